-- Benchmark links (SPEC §9): :links links of the bootstrap account, one per message, each
-- to its own contact, for the offer :offer (the redirect benchmark's). Ids are the base-62
-- digits of i × 2654435761 mod 62⁷: distinct for every i (the multiplier is a prime
-- that is neither 2 nor 31) and scattered over the id space as random ids are.
\set ON_ERROR_STOP on
CREATE FUNCTION pg_temp.base62(n BIGINT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(substr('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
                             ((n / power(62::NUMERIC, k)::BIGINT) % 62)::INTEGER + 1, 1), '' ORDER BY k DESC)
      FROM generate_series(0, 6) AS k
$$;

WITH seeded AS (
INSERT INTO links (id, account_id, offer_id, list_id, phone_number, contact_phone, message_id, created_at)
SELECT pg_temp.base62((i * 2654435761) % 3521614606208),
       o.account_id, o.id,
       'list-' || (i % 100),
       '+1555' || lpad(i::TEXT, 7, '0'),
       '+1555' || lpad(i::TEXT, 7, '0'),
       'msg-' || i,
       now() - make_interval(secs => :links - i)
  FROM offers o, generate_series(1, :links) AS i
 WHERE o.id = :'offer'
RETURNING id, account_id)
-- Each id in the directory of link ids, as the API writes it.
INSERT INTO link_ids (id, account_id) SELECT id, account_id FROM seeded;

VACUUM ANALYZE links, link_ids;
