DROP TABLE offers;
DROP FUNCTION trackly_keep_updated_at_unless_changed();
DROP FUNCTION trackly_jsonb_key_count(JSONB);
