-- Offers (SPEC §2). The slug is not stored: it is derived from the name and the fixed
-- code, and a slug is looked up through its code, so links sent before a rename still work.

-- Number of keys of a JSON object, for the metadata limit (SPEC §2: at most 50 keys).
CREATE FUNCTION trackly_jsonb_key_count(doc JSONB) RETURNS INTEGER
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT count(*)::INTEGER FROM jsonb_object_keys(doc) $$;

CREATE TABLE offers (
    id                TEXT PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    account_id        TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code              TEXT NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9]{6}$'),
    name              TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 255),
    tracking_url      TEXT NOT NULL CHECK (char_length(tracking_url) <= 2048),
    external_platform TEXT CHECK (external_platform IN ('tune', 'everflow')),
    external_id       TEXT CHECK (char_length(external_id) <= 255),
    advertiser_id     TEXT CHECK (char_length(advertiser_id) <= 255),
    payout            NUMERIC(14, 4) NOT NULL DEFAULT 0 CHECK (payout BETWEEN 0 AND 1000000000),
    payout_type       TEXT NOT NULL DEFAULT 'cpa' CHECK (payout_type IN ('cpa', 'cpc')),
    filter_bots       BOOLEAN NOT NULL DEFAULT FALSE,
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'archived')),
    metadata          JSONB NOT NULL DEFAULT '{}'
                      CONSTRAINT offers_metadata_limits
                      CHECK (jsonb_typeof(metadata) = 'object' AND trackly_jsonb_key_count(metadata) <= 50),
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

-- The list (SPEC §3.2): by account, optionally by status, newest first.
CREATE INDEX offers_list_by_status ON offers (account_id, status, created_at DESC, id DESC);
CREATE INDEX offers_list ON offers (account_id, created_at DESC, id DESC);
-- Exact-match filters and revenue attribution by external id.
CREATE INDEX offers_by_external_id ON offers (account_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX offers_by_advertiser_id ON offers (account_id, advertiser_id) WHERE advertiser_id IS NOT NULL;

-- An update sets updated_at to the caller's clock; when no other column changed, the
-- stored value is kept (SPEC §2: updated_at changes whenever a field changes).
CREATE FUNCTION trackly_keep_updated_at_unless_changed() RETURNS TRIGGER
    LANGUAGE plpgsql AS $$
DECLARE
    requested TIMESTAMPTZ := NEW.updated_at;
BEGIN
    NEW.updated_at := OLD.updated_at;
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := requested;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER offers_updated_at BEFORE UPDATE ON offers
    FOR EACH ROW EXECUTE FUNCTION trackly_keep_updated_at_unless_changed();
