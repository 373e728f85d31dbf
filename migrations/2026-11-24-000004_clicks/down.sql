DROP TABLE clicks;
DROP FUNCTION trackly_ensure_click_partitions(TIMESTAMPTZ, INTEGER);
