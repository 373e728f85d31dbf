-- Daily click rollups for the stats (SPEC §7), maintained by the click writer in the
-- transaction that inserts the clicks, so stats read at most one row per offer and day
-- however many clicks there are.
CREATE TABLE click_daily (
    account_id          TEXT NOT NULL,
    offer_id            TEXT NOT NULL,
    day                 DATE NOT NULL,
    clicks              BIGINT NOT NULL,
    bot_clicks          BIGINT NOT NULL,
    -- distinct (ip, user agent) among all clicks / among clicks that are not bots
    unique_clicks       BIGINT NOT NULL,
    unique_human_clicks BIGINT NOT NULL,
    PRIMARY KEY (account_id, offer_id, day)
);

-- The visitors seen per offer and day (a digest of ip and user agent), once among all
-- clicks and once among human clicks: a new row is a new unique click.
CREATE TABLE click_visitors (
    account_id  TEXT NOT NULL,
    offer_id    TEXT NOT NULL,
    day         DATE NOT NULL,
    humans_only BOOLEAN NOT NULL,
    visitor     BYTEA NOT NULL,
    PRIMARY KEY (account_id, offer_id, day, humans_only, visitor)
);

-- Clicks stored before this migration get their rollups now.
INSERT INTO click_daily (account_id, offer_id, day, clicks, bot_clicks, unique_clicks, unique_human_clicks)
SELECT account_id, offer_id, (created_at AT TIME ZONE 'UTC')::date,
       count(*), count(*) FILTER (WHERE is_bot),
       count(DISTINCT (ip, user_agent)),
       count(DISTINCT (ip, user_agent)) FILTER (WHERE NOT is_bot)
  FROM clicks GROUP BY 1, 2, 3;
INSERT INTO click_visitors (account_id, offer_id, day, humans_only, visitor)
SELECT DISTINCT account_id, offer_id, (created_at AT TIME ZONE 'UTC')::date, humans_only,
       substring(sha256(convert_to(coalesce(ip, '') || chr(1) || coalesce(user_agent, ''), 'UTF8')) FROM 1 FOR 16)
  FROM clicks, LATERAL (VALUES (FALSE), (TRUE)) AS scope(humans_only)
 WHERE NOT (humans_only AND is_bot);
