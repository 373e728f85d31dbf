DROP FUNCTION trackly_record_revenue(TEXT, JSONB, TIMESTAMPTZ);
DROP TABLE revenue_events;
