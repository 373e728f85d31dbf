-- Dashboard sign-ins (SPEC §11): a server-side session per browser, found by the SHA-256
-- of its cookie. It belongs to the API key it was opened with: revoking the key ends it.
-- It ends 12 hours after its last use, or at sign-out.
CREATE TABLE dashboard_sessions (
    token_sha256 BYTEA NOT NULL,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    api_key_id   TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token_sha256, account_id)
);

CREATE INDEX dashboard_sessions_last_seen_at ON dashboard_sessions (last_seen_at);
CREATE INDEX dashboard_sessions_api_key_id ON dashboard_sessions (api_key_id);
