-- Every change to an offer, whoever makes it (a node of the API, a platform sync, an
-- operator in psql), leaves a row here, written by the trigger below in the changing
-- transaction. Nodes that cache offers read the rows of transactions that have finished
-- since they last looked, every few milliseconds, and forget what they cached of those
-- accounts' offers (SPEC §8.1; DECISIONS.md "Offer cache"). NOTIFY would say the same,
-- but a transaction that notifies holds one lock of the whole database while its commit
-- is flushed, which made concurrent offer writes 4.5 times slower on the benchmark.
--
-- Unlogged: the rows matter only to sessions that are connected; after a crash every
-- node reconnects and drops its cache anyway. `xid` orders rows by the transaction that
-- wrote them, so a reader can ask for "every transaction not finished when I last
-- looked" without missing one that commits out of order; readers also delete by it the
-- rows of transactions that had finished ten minutes ago. One index, no sequence: the
-- trigger costs an offer INSERT about a tenth of its throughput (docs/PERFORMANCE.md).
CREATE UNLOGGED TABLE offer_changes (
    xid        XID8 NOT NULL DEFAULT pg_current_xact_id(),
    account_id TEXT COLLATE "C" NOT NULL,
    code       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX offer_changes_by_xid ON offer_changes (xid);

CREATE FUNCTION record_offer_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO offer_changes (account_id, code) VALUES (OLD.account_id, OLD.code);
    ELSE
        INSERT INTO offer_changes (account_id, code) VALUES (NEW.account_id, NEW.code);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER offers_record_change
    AFTER INSERT OR UPDATE OR DELETE ON offers
    FOR EACH ROW EXECUTE FUNCTION record_offer_change();
