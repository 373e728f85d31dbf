CREATE OR REPLACE FUNCTION trackly_keep_updated_at_unless_changed() RETURNS TRIGGER
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
ALTER TABLE offers DROP CONSTRAINT offers_metadata_object;
ALTER TABLE offers ADD CONSTRAINT offers_metadata_limits
    CHECK (jsonb_typeof(metadata) = 'object' AND trackly_jsonb_key_count(metadata) <= 50);
