-- A link's clicks are found by equality only (its stats, SPEC §9.5; its message's, §11),
-- never by range, and link ids are random: every click of a link lands on a random page
-- of the index. A B-tree on (link_id, created_at) split those pages all the time (the
-- benchmark's index grew from 81 to 133 MB in ten seconds of clicks) and cost PostgreSQL
-- about 7 µs per link click; a hash index files the same entries in about 4
-- (docs/PERFORMANCE.md, "Where a link click's cost goes"). Built on every partition at once: on
-- a large table the click writer waits meanwhile and clicks wait in the spool.
DROP INDEX clicks_by_link;
CREATE INDEX clicks_by_link ON clicks USING hash (link_id) WHERE link_id IS NOT NULL;
