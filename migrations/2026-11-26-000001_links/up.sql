-- Links (SPEC §9): one short link per SMS message, for an offer or a plain URL.
--
-- The id is the short link's path: unique across the service and never reused, so it is
-- the whole primary key, and links are never deleted (no endpoint deletes one, and the
-- account reference has no cascade). Past one machine, links distribute by their own id:
-- a redirect knows only the id.
CREATE TABLE links (
    id            TEXT COLLATE "C" PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9]{7}$'),
    account_id    TEXT COLLATE "C" NOT NULL REFERENCES accounts (id),
    offer_id      TEXT REFERENCES offers (id),
    url           TEXT CHECK (char_length(url) <= 2048),
    list_id       TEXT CHECK (char_length(list_id) <= 255),
    phone_number  TEXT CHECK (phone_number ~ '^\+[0-9]{8,15}$'),
    contact_phone TEXT CHECK (contact_phone ~ '^\+[0-9]{8,15}$'),
    message_id    TEXT CHECK (char_length(message_id) <= 255),
    metadata      JSONB NOT NULL DEFAULT '{}'
                  CONSTRAINT links_metadata_limits
                  CHECK (jsonb_typeof(metadata) = 'object' AND trackly_jsonb_key_count(metadata) <= 50),
    created_at    TIMESTAMPTZ NOT NULL,
    -- Offer mode or URL mode, never both.
    CHECK ((offer_id IS NULL) <> (url IS NULL)),
    CHECK (list_id IS NOT NULL OR phone_number IS NOT NULL)
);

-- The list (SPEC §9.5), newest first, and its exact-match filters.
CREATE INDEX links_list ON links (account_id, created_at DESC, id DESC);
CREATE INDEX links_by_offer ON links (account_id, offer_id, created_at DESC, id DESC)
    WHERE offer_id IS NOT NULL;
CREATE INDEX links_by_message ON links (account_id, message_id) WHERE message_id IS NOT NULL;
CREATE INDEX links_by_list ON links (account_id, list_id) WHERE list_id IS NOT NULL;

-- A click through a link records the link and its message, list and contact (§9.4); a
-- URL-mode link's clicks have no offer. first_click is decided by the click writer
-- through first_clicks below. The new columns have no CHECKs: the writer copies them
-- from links, which checked them (and each CHECK costs every click insert).
ALTER TABLE clicks
    ALTER COLUMN offer_id DROP NOT NULL,
    ADD COLUMN link_id TEXT COLLATE "C",
    ADD COLUMN message_id TEXT,
    ADD COLUMN list_id TEXT,
    ADD COLUMN contact_phone TEXT,
    ADD COLUMN first_click BOOLEAN NOT NULL DEFAULT FALSE,
    ADD CONSTRAINT clicks_offer_or_link CHECK (offer_id IS NOT NULL OR link_id IS NOT NULL);

-- A link's clicks, for its stats (SPEC §9.5).
CREATE INDEX clicks_by_link ON clicks (link_id, created_at) WHERE link_id IS NOT NULL;

-- The first human click per message and person (SPEC §9.4). The primary key decides the
-- winner: the click writer inserts a row per candidate with ON CONFLICT DO NOTHING in
-- the transaction that stores the clicks, so exactly one click wins however many
-- threads or nodes store clicks of the same message at once. message_key is
-- 'm:<message id>' or 'l:<link id>'; person_key the contact's phone number or
-- 'l:<link id>' (see trackly_domain::link::FirstClickKey).
CREATE TABLE first_clicks (
    account_id  TEXT COLLATE "C" NOT NULL,
    message_key TEXT COLLATE "C" NOT NULL,
    person_key  TEXT COLLATE "C" NOT NULL,
    click_id    TEXT COLLATE "C" NOT NULL,
    link_id     TEXT COLLATE "C" NOT NULL,
    offer_id    TEXT COLLATE "C",
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, message_key, person_key)
);

-- Offer stats gain first clicks (SPEC §9.5).
ALTER TABLE click_daily ADD COLUMN first_clicks BIGINT NOT NULL DEFAULT 0;

-- Revenue credited to a click through a link names the link, for the link's stats.
ALTER TABLE revenue_events ADD COLUMN link_id TEXT COLLATE "C";
CREATE INDEX revenue_events_by_link ON revenue_events (account_id, link_id) WHERE link_id IS NOT NULL;

-- As before (2026-11-24-000005_revenue), and: a record with a message_id and no click_id
-- is credited to that message's first click of the offer (SPEC §9.4) — the earliest
-- when the message went to several contacts — and its click_id filled in; a record
-- credited to a click through a link names the link.
CREATE OR REPLACE FUNCTION trackly_record_revenue(p_account TEXT, p_records JSONB, p_now TIMESTAMPTZ)
RETURNS TABLE (rec_idx INTEGER, rec_outcome TEXT, rec_revenue_id TEXT, rec_offer_id TEXT,
               rec_click_id TEXT, rec_message_id TEXT, rec_revenue NUMERIC)
LANGUAGE plpgsql AS $$
DECLARE
    r RECORD;
    v_click_offer TEXT;
    v_click TEXT;
    v_link TEXT;
    v_offer TEXT;
    v_payout NUMERIC;
    v_live INTEGER;
    v_all INTEGER;
BEGIN
    FOR r IN
        SELECT * FROM jsonb_to_recordset(p_records) AS x(
            idx INTEGER, id TEXT, click_id TEXT, click_second BIGINT, offer_id TEXT, offer_code TEXT,
            offer_ref TEXT, revenue NUMERIC, message_id TEXT, attribution_type TEXT, event_type TEXT,
            txn_id TEXT, occurred_at TIMESTAMPTZ)
    LOOP
        rec_idx := r.idx;
        rec_outcome := NULL;
        rec_revenue_id := NULL; rec_offer_id := NULL; rec_click_id := NULL;
        rec_message_id := NULL; rec_revenue := NULL;
        v_click_offer := NULL; v_click := r.click_id; v_link := NULL; v_offer := NULL; v_payout := NULL;

        -- A txn_id seen before answers with the first event.
        IF r.txn_id IS NOT NULL THEN
            SELECT e.id, e.offer_id, e.click_id, e.message_id, e.revenue
              INTO rec_revenue_id, rec_offer_id, rec_click_id, rec_message_id, rec_revenue
              FROM revenue_events e WHERE e.account_id = p_account AND e.txn_id = r.txn_id;
            IF FOUND THEN
                rec_outcome := 'duplicate';
                RETURN NEXT;
                CONTINUE;
            END IF;
        END IF;

        IF r.click_id IS NOT NULL THEN
            SELECT c.offer_id, c.link_id INTO v_click_offer, v_link FROM clicks c
             WHERE c.account_id = p_account AND c.id = r.click_id
               AND c.created_at >= to_timestamp(r.click_second)
               AND c.created_at < to_timestamp(r.click_second + 1);
            IF NOT FOUND THEN
                rec_outcome := 'click_not_found';
                RETURN NEXT;
                CONTINUE;
            END IF;
        END IF;

        IF r.offer_id IS NOT NULL THEN
            SELECT o.id, o.payout INTO v_offer, v_payout FROM offers o
             WHERE o.account_id = p_account AND o.id = r.offer_id;
        END IF;
        IF v_offer IS NULL AND r.offer_code IS NOT NULL THEN
            SELECT o.id, o.payout INTO v_offer, v_payout FROM offers o
             WHERE o.account_id = p_account AND o.code = r.offer_code;
        END IF;
        IF v_offer IS NULL AND r.offer_ref IS NOT NULL THEN
            SELECT count(*) FILTER (WHERE o.status <> 'archived'), count(*) INTO v_live, v_all
              FROM offers o WHERE o.account_id = p_account AND o.external_id = r.offer_ref;
            IF v_live > 1 OR (v_live = 0 AND v_all > 1) THEN
                rec_outcome := 'ambiguous_offer';
                RETURN NEXT;
                CONTINUE;
            END IF;
            SELECT o.id, o.payout INTO v_offer, v_payout FROM offers o
             WHERE o.account_id = p_account AND o.external_id = r.offer_ref
             ORDER BY (o.status = 'archived'), o.id
             LIMIT 1;
        END IF;
        IF r.offer_ref IS NOT NULL AND v_offer IS NULL THEN
            rec_outcome := 'offer_not_found';
            RETURN NEXT;
            CONTINUE;
        END IF;

        IF r.click_id IS NOT NULL THEN
            IF v_offer IS NOT NULL AND v_offer IS DISTINCT FROM v_click_offer THEN
                rec_outcome := 'offer_mismatch';
                RETURN NEXT;
                CONTINUE;
            END IF;
            IF v_offer IS NULL AND v_click_offer IS NOT NULL THEN
                SELECT o.id, o.payout INTO v_offer, v_payout FROM offers o
                 WHERE o.account_id = p_account AND o.id = v_click_offer;
            END IF;
        END IF;
        IF v_offer IS NULL THEN
            rec_outcome := 'offer_not_found';
            RETURN NEXT;
            CONTINUE;
        END IF;

        -- Revenue for a message goes to the message's first click of this offer.
        IF v_click IS NULL AND r.message_id IS NOT NULL THEN
            SELECT f.click_id, f.link_id INTO v_click, v_link FROM first_clicks f
             WHERE f.account_id = p_account AND f.message_key = 'm:' || r.message_id
               AND f.offer_id = v_offer
             ORDER BY f.created_at, f.click_id
             LIMIT 1;
        END IF;

        INSERT INTO revenue_events AS e (account_id, id, offer_id, click_id, link_id, message_id, txn_id,
                                         revenue, event_type, attribution_type, occurred_at, created_at)
        VALUES (p_account, r.id, v_offer, v_click, v_link, r.message_id, r.txn_id, COALESCE(r.revenue, v_payout),
                r.event_type, r.attribution_type, r.occurred_at, p_now)
        ON CONFLICT (account_id, txn_id) WHERE txn_id IS NOT NULL DO NOTHING
        RETURNING e.id, e.offer_id, e.click_id, e.message_id, e.revenue
             INTO rec_revenue_id, rec_offer_id, rec_click_id, rec_message_id, rec_revenue;
        IF FOUND THEN
            rec_outcome := 'created';
        ELSE
            -- A concurrent request recorded the same txn_id first.
            SELECT e.id, e.offer_id, e.click_id, e.message_id, e.revenue
              INTO rec_revenue_id, rec_offer_id, rec_click_id, rec_message_id, rec_revenue
              FROM revenue_events e WHERE e.account_id = p_account AND e.txn_id = r.txn_id;
            rec_outcome := 'duplicate';
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;
