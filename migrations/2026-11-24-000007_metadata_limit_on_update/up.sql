-- The 50-key metadata limit (SPEC §2) moves from a CHECK, which called a SQL function on
-- every insert, to the update trigger: only a merge can exceed it, since inserts are
-- validated before they reach the database. The error keeps the constraint name, so it
-- is still reported as invalid_metadata. A cheap CHECK keeps metadata an object.
ALTER TABLE offers DROP CONSTRAINT offers_metadata_limits;
ALTER TABLE offers ADD CONSTRAINT offers_metadata_object CHECK (jsonb_typeof(metadata) = 'object');

CREATE OR REPLACE FUNCTION trackly_keep_updated_at_unless_changed() RETURNS TRIGGER
    LANGUAGE plpgsql AS $$
DECLARE
    requested TIMESTAMPTZ := NEW.updated_at;
BEGIN
    IF NEW.metadata IS DISTINCT FROM OLD.metadata AND trackly_jsonb_key_count(NEW.metadata) > 50 THEN
        RAISE EXCEPTION 'offer metadata may hold at most 50 keys'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'offers_metadata_limits';
    END IF;
    NEW.updated_at := OLD.updated_at;
    IF NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := requested;
    END IF;
    RETURN NEW;
END
$$;
