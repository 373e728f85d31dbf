-- Clicks (SPEC §5.2): the table that grows without bound, partitioned by month of
-- created_at. account_id leads the primary key so the table can later be distributed by
-- account (Citus). A click id carries its creation second, so a lookup by id can name its
-- partition.
CREATE TABLE clicks (
    account_id TEXT NOT NULL,
    id         TEXT NOT NULL CHECK (id ~ '^[0-9a-f]{24}$'),
    offer_id   TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    ip         TEXT,
    user_agent TEXT CHECK (char_length(user_agent) <= 512),
    referer    TEXT CHECK (char_length(referer) <= 1024),
    sub1       TEXT CHECK (char_length(sub1) <= 255),
    sub2       TEXT CHECK (char_length(sub2) <= 255),
    sub3       TEXT CHECK (char_length(sub3) <= 255),
    sub4       TEXT CHECK (char_length(sub4) <= 255),
    sub5       TEXT CHECK (char_length(sub5) <= 255),
    is_bot     BOOLEAN NOT NULL,
    bot_reason TEXT CHECK (bot_reason IN ('empty_user_agent', 'bot_user_agent', 'head_request', 'bot_network')),
    CHECK (is_bot = (bot_reason IS NOT NULL)),
    PRIMARY KEY (account_id, id, created_at)
) PARTITION BY RANGE (created_at);

-- The raw-click list (SPEC §5.4) and the per-offer stats (SPEC §7) read by offer and time.
CREATE INDEX clicks_by_offer_time ON clicks (offer_id, created_at DESC, id DESC);

-- Rows outside every monthly partition land here, so an insert never fails; the service
-- creates months ahead of time so this stays empty.
CREATE TABLE clicks_default PARTITION OF clicks DEFAULT;

-- Creates the monthly partitions of `months` months starting with the month of `start`
-- (those that do not exist yet). Returns how many it created.
CREATE FUNCTION trackly_ensure_click_partitions(start TIMESTAMPTZ, months INTEGER) RETURNS INTEGER
    LANGUAGE plpgsql AS $$
DECLARE
    month_start TIMESTAMPTZ;
    name TEXT;
    created INTEGER := 0;
BEGIN
    FOR i IN 0 .. months - 1 LOOP
        month_start := date_trunc('month', start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                       + make_interval(months => i);
        name := 'clicks_' || to_char(month_start AT TIME ZONE 'UTC', 'YYYY_MM');
        IF to_regclass(name) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF clicks FOR VALUES FROM (%L) TO (%L)',
                name, month_start, month_start + interval '1 month');
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END
$$;

SELECT trackly_ensure_click_partitions(now() - interval '1 month', 4);
