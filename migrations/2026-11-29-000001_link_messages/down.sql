DROP TRIGGER links_count_messages ON links;
DROP FUNCTION trackly_count_link_messages();
DROP TABLE link_messages;
