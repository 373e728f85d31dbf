-- Accounts own every resource; API keys and postback secrets are stored only as SHA-256
-- digests (SPEC §1.2).
CREATE TABLE accounts (
    id                     TEXT PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    name                   TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 255),
    postback_secret_sha256 BYTEA NOT NULL UNIQUE,
    created_at             TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY CHECK (id ~ '^[0-9a-f]{24}$'),
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         TEXT CHECK (char_length(name) <= 255),
    prefix       TEXT NOT NULL,
    key_sha256   BYTEA NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);

CREATE INDEX api_keys_account_id ON api_keys (account_id, created_at);
