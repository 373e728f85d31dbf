-- Back to offers only: link clicks without an offer cannot stay in a table whose
-- offer_id is required again.
CREATE OR REPLACE FUNCTION trackly_record_revenue(p_account TEXT, p_records JSONB, p_now TIMESTAMPTZ)
RETURNS TABLE (rec_idx INTEGER, rec_outcome TEXT, rec_revenue_id TEXT, rec_offer_id TEXT,
               rec_click_id TEXT, rec_message_id TEXT, rec_revenue NUMERIC)
LANGUAGE plpgsql AS $$
DECLARE
    r RECORD;
    v_click_offer TEXT;
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
        v_click_offer := NULL; v_offer := NULL; v_payout := NULL;

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
            SELECT c.offer_id INTO v_click_offer FROM clicks c
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

        IF v_click_offer IS NOT NULL THEN
            IF v_offer IS NOT NULL AND v_offer <> v_click_offer THEN
                rec_outcome := 'offer_mismatch';
                RETURN NEXT;
                CONTINUE;
            END IF;
            IF v_offer IS NULL THEN
                SELECT o.id, o.payout INTO v_offer, v_payout FROM offers o
                 WHERE o.account_id = p_account AND o.id = v_click_offer;
            END IF;
        END IF;
        IF v_offer IS NULL THEN
            rec_outcome := 'offer_not_found';
            RETURN NEXT;
            CONTINUE;
        END IF;

        INSERT INTO revenue_events AS e (account_id, id, offer_id, click_id, message_id, txn_id, revenue,
                                         event_type, attribution_type, occurred_at, created_at)
        VALUES (p_account, r.id, v_offer, r.click_id, r.message_id, r.txn_id, COALESCE(r.revenue, v_payout),
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

DROP INDEX revenue_events_by_link;
ALTER TABLE revenue_events DROP COLUMN link_id;
ALTER TABLE click_daily DROP COLUMN first_clicks;
DROP TABLE first_clicks;
DROP INDEX clicks_by_link;
DELETE FROM clicks WHERE offer_id IS NULL;
ALTER TABLE clicks
    DROP CONSTRAINT clicks_offer_or_link,
    DROP COLUMN first_click,
    DROP COLUMN contact_phone,
    DROP COLUMN list_id,
    DROP COLUMN message_id,
    DROP COLUMN link_id,
    ALTER COLUMN offer_id SET NOT NULL;
DROP TABLE links;
