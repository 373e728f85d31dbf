-- Responses of POST requests sent with an Idempotency-Key (SPEC §1.7), replayed for 24
-- hours. The row is written in the same transaction as the work it records.
CREATE TABLE idempotency_keys (
    account_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key            TEXT NOT NULL,
    request_sha256 BYTEA NOT NULL,
    status         SMALLINT NOT NULL,
    body           TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, key)
);

CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
