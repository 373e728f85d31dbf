DROP INDEX sync_runs_newest;
ALTER TABLE sync_runs
    DROP CONSTRAINT sync_runs_integration,
    DROP CONSTRAINT sync_runs_pkey,
    DROP COLUMN account_id,
    ADD PRIMARY KEY (id);
CREATE INDEX sync_runs_newest ON sync_runs (integration_id, started_at DESC, id DESC);
ALTER TABLE integrations DROP CONSTRAINT integrations_pkey, ADD PRIMARY KEY (id);
ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_integration_id_fkey FOREIGN KEY (integration_id)
    REFERENCES integrations (id) ON DELETE CASCADE;

DROP INDEX dashboard_sessions_api_key;
ALTER TABLE dashboard_sessions DROP CONSTRAINT dashboard_sessions_api_key;
ALTER TABLE api_keys ADD COLUMN key_sha256 BYTEA;
UPDATE api_keys k SET key_sha256 = d.key_sha256
  FROM api_key_digests d WHERE d.account_id = k.account_id AND d.key_id = k.id;
ALTER TABLE api_keys
    ALTER COLUMN key_sha256 SET NOT NULL,
    ADD CONSTRAINT api_keys_key_sha256_key UNIQUE (key_sha256),
    DROP CONSTRAINT api_keys_pkey,
    ADD PRIMARY KEY (id);
DROP TABLE api_key_digests;
ALTER TABLE dashboard_sessions ADD CONSTRAINT dashboard_sessions_api_key_id_fkey
    FOREIGN KEY (api_key_id) REFERENCES api_keys (id) ON DELETE CASCADE;
CREATE INDEX dashboard_sessions_api_key_id ON dashboard_sessions (api_key_id);

ALTER TABLE links DROP CONSTRAINT links_offer, DROP CONSTRAINT links_pkey, ADD PRIMARY KEY (id);
DROP TABLE link_ids;

DROP INDEX offers_code;
ALTER TABLE offers
    DROP CONSTRAINT offers_pkey,
    ALTER COLUMN account_id TYPE TEXT COLLATE "default",
    ADD PRIMARY KEY (id),
    ADD CONSTRAINT offers_code_key UNIQUE (code);
ALTER TABLE links ADD CONSTRAINT links_offer_id_fkey FOREIGN KEY (offer_id) REFERENCES offers (id);
DROP TABLE offer_codes;
