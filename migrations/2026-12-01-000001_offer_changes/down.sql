DROP TRIGGER offers_record_change ON offers;
DROP FUNCTION record_offer_change();
DROP TABLE offer_changes;
