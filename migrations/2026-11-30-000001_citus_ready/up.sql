-- Citus-ready by construction (SPEC §14): every table holding an account's rows has
-- account_id in its primary key and in every unique constraint, and every foreign key
-- between such tables carries account_id on both sides, so no row can point at another
-- account's and each table can be distributed by account_id, co-located.
--
-- Three values arrive without an account and must stay unique across the service: an
-- offer's tracking code, a link id and an API key's digest. Each gets a directory, keyed
-- by that value alone and holding its account: in Citus, a table distributed by its own
-- key. Rows are written with their owner in one statement and never deleted (codes, link
-- ids and key digests are never reused). `accounts` itself is a small table read by
-- every node (a Citus reference table): its unique postback-secret digest stays.
-- crates/store/tests/citus_ready.rs reads pg_catalog and names any table that breaks this.

-- Offer codes ----------------------------------------------------------------------------
-- offers.account_id takes links' collation ("C", as every table the click writer fills):
-- a join compares the two, and a comparison across collations cannot use the other
-- side's index (a link's cold lookup scanned the offers' whole primary key).
-- Each directory's primary key carries the rest of its row (INCLUDE), so a lookup is
-- one index-only probe.
CREATE TABLE offer_codes (
    code       TEXT COLLATE "C",
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    offer_id   TEXT NOT NULL,
    PRIMARY KEY (code) INCLUDE (account_id, offer_id)
);
INSERT INTO offer_codes (code, account_id, offer_id) SELECT code, account_id, id FROM offers;

ALTER TABLE links DROP CONSTRAINT links_offer_id_fkey;
ALTER TABLE offers
    DROP CONSTRAINT offers_code_key,
    DROP CONSTRAINT offers_pkey,
    ALTER COLUMN account_id TYPE TEXT COLLATE "C",
    ADD PRIMARY KEY (account_id, id);
CREATE UNIQUE INDEX offers_code ON offers (account_id, code);

-- Links ----------------------------------------------------------------------------------
CREATE TABLE link_ids (
    id         TEXT COLLATE "C",
    account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (id) INCLUDE (account_id)
);
INSERT INTO link_ids (id, account_id) SELECT id, account_id FROM links;

ALTER TABLE links
    DROP CONSTRAINT links_pkey,
    ADD PRIMARY KEY (account_id, id),
    ADD CONSTRAINT links_offer FOREIGN KEY (account_id, offer_id) REFERENCES offers (account_id, id);

-- API keys -------------------------------------------------------------------------------
CREATE TABLE api_key_digests (
    key_sha256 BYTEA,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key_id     TEXT NOT NULL,
    PRIMARY KEY (key_sha256) INCLUDE (account_id, key_id)
);
INSERT INTO api_key_digests (key_sha256, account_id, key_id)
SELECT key_sha256, account_id, id FROM api_keys;

ALTER TABLE dashboard_sessions DROP CONSTRAINT dashboard_sessions_api_key_id_fkey;
DROP INDEX dashboard_sessions_api_key_id;
ALTER TABLE api_keys
    DROP CONSTRAINT api_keys_pkey,
    DROP COLUMN key_sha256,
    ADD PRIMARY KEY (account_id, id);
ALTER TABLE dashboard_sessions
    ADD CONSTRAINT dashboard_sessions_api_key FOREIGN KEY (account_id, api_key_id)
        REFERENCES api_keys (account_id, id) ON DELETE CASCADE;
CREATE INDEX dashboard_sessions_api_key ON dashboard_sessions (account_id, api_key_id);

-- Integrations and their runs ------------------------------------------------------------
ALTER TABLE sync_runs DROP CONSTRAINT sync_runs_integration_id_fkey;
ALTER TABLE integrations
    DROP CONSTRAINT integrations_pkey,
    ADD PRIMARY KEY (account_id, id);

ALTER TABLE sync_runs ADD COLUMN account_id TEXT;
UPDATE sync_runs r SET account_id = i.account_id FROM integrations i WHERE i.id = r.integration_id;
DROP INDEX sync_runs_newest;
ALTER TABLE sync_runs
    ALTER COLUMN account_id SET NOT NULL,
    DROP CONSTRAINT sync_runs_pkey,
    ADD PRIMARY KEY (account_id, id),
    ADD CONSTRAINT sync_runs_integration FOREIGN KEY (account_id, integration_id)
        REFERENCES integrations (account_id, id) ON DELETE CASCADE;
CREATE INDEX sync_runs_newest ON sync_runs (account_id, integration_id, started_at DESC, id DESC);
