-- Each account's SMS messages with how many links they were sent with and when the newest
-- was made: the dashboard's links-by-message page reads a page of it by recency instead of
-- grouping every link of the account (1.6 s over a million links). A statement-level
-- trigger keeps it, so every way links are inserted (one, bulk, SQL) counts; links are
-- never updated, and are deleted only with their account.
CREATE TABLE link_messages (
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    message_id   TEXT NOT NULL,
    links        BIGINT NOT NULL,
    last_sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, message_id)
);

CREATE INDEX link_messages_recent ON link_messages (account_id, last_sent_at DESC, message_id DESC);

CREATE FUNCTION trackly_count_link_messages() RETURNS TRIGGER
    LANGUAGE plpgsql AS $$
BEGIN
    -- In key order, so concurrent inserts for the same messages lock rows alike.
    INSERT INTO link_messages AS m (account_id, message_id, links, last_sent_at)
    SELECT account_id, message_id, count(*), max(created_at)
      FROM new_links
     WHERE message_id IS NOT NULL
     GROUP BY account_id, message_id
     ORDER BY account_id, message_id
    ON CONFLICT (account_id, message_id) DO UPDATE
       SET links = m.links + EXCLUDED.links,
           last_sent_at = greatest(m.last_sent_at, EXCLUDED.last_sent_at);
    RETURN NULL;
END
$$;

CREATE TRIGGER links_count_messages
    AFTER INSERT ON links
    REFERENCING NEW TABLE AS new_links
    FOR EACH STATEMENT EXECUTE FUNCTION trackly_count_link_messages();

INSERT INTO link_messages (account_id, message_id, links, last_sent_at)
SELECT account_id, message_id, count(*), max(created_at)
  FROM links
 WHERE message_id IS NOT NULL
 GROUP BY account_id, message_id;
