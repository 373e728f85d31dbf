DROP INDEX clicks_by_link;
CREATE INDEX clicks_by_link ON clicks (link_id, created_at) WHERE link_id IS NOT NULL;
