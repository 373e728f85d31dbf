-- Connections to TUNE and Everflow, and their sync runs (SPEC §10).

-- One connection per platform per account (SPEC §10.1). The platform key is stored
-- sealed with AES-256-GCM under TRACKLY_SECRET_KEY (12-byte nonce, then the ciphertext
-- and its tag), bound to the row's id; only its last four characters are kept in clear.
CREATE TABLE integrations (
    id               TEXT PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    account_id       TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    platform         TEXT NOT NULL CHECK (platform IN ('tune', 'everflow')),
    base_url         TEXT CHECK (char_length(base_url) <= 2048),
    network_id       TEXT CHECK (char_length(network_id) <= 63),
    affiliate_id     TEXT CHECK (affiliate_id ~ '^[0-9]{1,20}$'),
    api_key_sealed   BYTEA NOT NULL CHECK (octet_length(api_key_sealed) > 28),
    api_key_last4    TEXT NOT NULL,
    sync_offers      BOOLEAN NOT NULL DEFAULT TRUE,
    sync_conversions BOOLEAN NOT NULL DEFAULT TRUE,
    message_id_field TEXT NOT NULL DEFAULT 'aff_sub',
    timezone         TEXT NOT NULL DEFAULT 'UTC',
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL,
    CONSTRAINT integrations_one_per_platform UNIQUE (account_id, platform)
);

-- Sync runs (SPEC §10.4), newest first per connection and kind.
CREATE TABLE sync_runs (
    id                   TEXT PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    integration_id       TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    kind                 TEXT NOT NULL CHECK (kind IN ('offers', 'conversions')),
    status               TEXT NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed')),
    started_at           TIMESTAMPTZ NOT NULL,
    finished_at          TIMESTAMPTZ,
    offers_created       INTEGER NOT NULL DEFAULT 0,
    offers_updated       INTEGER NOT NULL DEFAULT 0,
    offers_skipped       INTEGER NOT NULL DEFAULT 0,
    conversions_imported INTEGER NOT NULL DEFAULT 0,
    duplicates           INTEGER NOT NULL DEFAULT 0,
    unmatched            INTEGER NOT NULL DEFAULT 0,
    errors               JSONB NOT NULL DEFAULT '[]'
                         CHECK (jsonb_typeof(errors) = 'array' AND jsonb_array_length(errors) <= 100)
);

CREATE INDEX sync_runs_newest ON sync_runs (integration_id, started_at DESC, id DESC);

