-- Benchmark data (SPEC §8.1): 10 accounts, 10,000 offers, and :clicks clicks on one offer
-- spread over the last 30 days, with the stats rollups the click writer would keep.
-- Expects the bootstrap account to exist; psql variable: clicks. The hot offer is the
-- bootstrap account's first, code b00000.
\set ON_ERROR_STOP on
SELECT trackly_ensure_click_partitions(now() - interval '40 days', 4);

INSERT INTO accounts (id, name, postback_secret_sha256, created_at)
SELECT lpad(to_hex(extract(epoch FROM now())::bigint), 8, '0') || lpad(to_hex(i), 16, '0'),
       'bench ' || i, sha256(('secret' || i)::bytea), now()
  FROM generate_series(1, 9) AS i;

-- 1,000 offers for each account; the bootstrap account's come first.
WITH owners AS (
    SELECT id, row_number() OVER (ORDER BY name = 'default' DESC, id) - 1 AS n FROM accounts
)
INSERT INTO offers (id, account_id, code, name, tracking_url, external_platform, external_id,
                    payout, payout_type, status, metadata, created_at, updated_at)
SELECT lpad(to_hex(extract(epoch FROM now())::bigint - 86400), 8, '0') || lpad(to_hex(i), 16, '0'),
       owners.id,
       'b' || lpad(to_hex(i), 5, '0'),
       'Bench offer ' || i,
       'https://advertiser.example/track?click={click_id}&sub={sub1}',
       CASE WHEN i % 2 = 0 THEN 'tune' ELSE 'everflow' END,
       'ext-' || i,
       2.5, 'cpa', 'active', '{"vertical":"bench","geo":"US"}',
       now() - make_interval(secs => 10000 - i), now()
  FROM generate_series(0, 9999) AS i
  JOIN owners ON owners.n = i / 1000;
INSERT INTO offer_codes (code, account_id, offer_id)
SELECT code, account_id, id FROM offers WHERE code LIKE 'b%';

-- The clicks of the hot offer: ~10% bots, visitors drawn from 20,000 addresses.
INSERT INTO clicks (account_id, id, offer_id, created_at, ip, user_agent, sub1, is_bot, bot_reason)
SELECT o.account_id,
       lpad(to_hex(extract(epoch FROM t.at)::bigint), 8, '0') || lpad(to_hex(t.i), 16, '0'),
       o.id, t.at,
       '10.' || (t.i % 20000 / 250) || '.' || (t.i % 250) || '.1',
       CASE WHEN t.i % 10 = 0 THEN 'curl/8.5.0'
            ELSE 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148 Safari/604.1' END,
       'bench',
       t.i % 10 = 0,
       CASE WHEN t.i % 10 = 0 THEN 'bot_user_agent' END
  FROM offers o,
       LATERAL (SELECT i, now() - (i::float8 / :clicks) * interval '30 days' AS at
                  FROM generate_series(1, :clicks) AS i) AS t
 WHERE o.code = 'b00000';

INSERT INTO click_daily (account_id, offer_id, day, clicks, bot_clicks, unique_clicks, unique_human_clicks)
SELECT account_id, offer_id, (created_at AT TIME ZONE 'UTC')::date,
       count(*), count(*) FILTER (WHERE is_bot),
       count(DISTINCT (ip, user_agent)),
       count(DISTINCT (ip, user_agent)) FILTER (WHERE NOT is_bot)
  FROM clicks WHERE offer_id = (SELECT id FROM offers WHERE code = 'b00000') GROUP BY 1, 2, 3;

-- Settle the machine before measuring: no autovacuum or checkpoint of the seed mid-run.
VACUUM ANALYZE;
CHECKPOINT;
