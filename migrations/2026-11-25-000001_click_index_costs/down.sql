ALTER TABLE click_visitors
    ALTER COLUMN account_id TYPE TEXT COLLATE "default",
    ALTER COLUMN offer_id TYPE TEXT COLLATE "default";
ALTER TABLE click_daily
    ALTER COLUMN account_id TYPE TEXT COLLATE "default",
    ALTER COLUMN offer_id TYPE TEXT COLLATE "default";

ALTER TABLE clicks DROP CONSTRAINT clicks_pkey;
ALTER TABLE clicks DROP CONSTRAINT clicks_id_length;
ALTER TABLE clicks ADD CONSTRAINT clicks_id_check CHECK (id ~ '^[0-9a-f]{24}$');
DROP INDEX clicks_by_offer_time;
ALTER TABLE clicks
    ALTER COLUMN account_id TYPE TEXT COLLATE "default",
    ALTER COLUMN id TYPE TEXT COLLATE "default",
    ALTER COLUMN offer_id TYPE TEXT COLLATE "default";
ALTER TABLE clicks ADD PRIMARY KEY (account_id, id, created_at);
CREATE INDEX clicks_by_offer_time ON clicks (offer_id, created_at DESC, id DESC);
