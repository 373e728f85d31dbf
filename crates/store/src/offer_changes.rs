//! The log of changed offers: the trigger `offers_record_change` writes a row for every
//! change to an offer, in the changing transaction, whoever makes it; a node that caches
//! offers reads the rows of the transactions that finished since it last looked.
//!
//! Rows are read by transaction id against a horizon: the oldest transaction still
//! running when the reader last looked (`pg_snapshot_xmin`). Every transaction that
//! commits after a look has an id at or above that look's horizon, whatever order
//! transactions commit in, so a reader that asks for "at or above my last horizon" each
//! time misses none; it sees some rows twice, and skips those it has seen.

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::{sql_query, QueryableByName, RunQueryDsl};
use trackly_domain::{ObjectId, OfferCode};

use crate::error::StoreError;

/// The horizon of a look: the oldest transaction still running, as a number.
macro_rules! horizon {
    () => {
        "pg_snapshot_xmin(pg_current_snapshot())::text::int8"
    };
}

/// The `application_name` of a reader's session, as `pg_stat_activity` shows it.
pub const READER_NAME: &str = "trackly-offer-changes";

/// One offer changed, by a committed transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferChanged {
    /// The offer's account.
    pub account: ObjectId,
    /// The offer's tracking code.
    pub code: OfferCode,
}

/// A row of the log: the transaction, the account and the code.
type Seen = (i64, String, String);

/// A reader of the log: where it last looked, the rows it has already seen at or above
/// that point, and its past horizons, by when it took them, for cleaning up.
#[derive(Debug)]
pub struct ChangeReader {
    horizon: i64,
    seen: HashSet<Seen>,
    past_horizons: VecDeque<(Instant, i64)>,
}

#[derive(QueryableByName)]
struct Horizon {
    #[diesel(sql_type = BigInt)]
    horizon: i64,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    horizon: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    xid: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    account_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    code: Option<String>,
}

impl ChangeReader {
    /// A reader on `conn` (named `READER_NAME`) that will see every change committed
    /// from now on.
    pub fn start(conn: &mut PgConnection) -> Result<Self, StoreError> {
        sql_query(format!("SET application_name = '{READER_NAME}'")).execute(conn)?;
        let Horizon { horizon } =
            sql_query(concat!("SELECT ", horizon!(), " AS horizon")).get_result(conn)?;
        Ok(Self {
            horizon,
            seen: HashSet::new(),
            past_horizons: VecDeque::new(),
        })
    }

    /// The changes committed since the last call (or `start`), each once.
    pub fn changes(&mut self, conn: &mut PgConnection) -> Result<Vec<OfferChanged>, StoreError> {
        let rows: Vec<Row> = sql_query(concat!(
            "SELECT h.horizon, c.xid::text::int8 AS xid, c.account_id, c.code \
             FROM (SELECT ",
            horizon!(),
            " AS horizon) h \
             LEFT JOIN offer_changes c ON c.xid >= $1::text::xid8"
        ))
        .bind::<Text, _>(self.horizon.to_string())
        .load(conn)?;
        let mut seen = HashSet::with_capacity(rows.len());
        let mut changes = Vec::new();
        for row in rows {
            self.horizon = row.horizon;
            let (Some(xid), Some(account), Some(code)) = (row.xid, row.account_id, row.code) else {
                continue;
            };
            let row = (xid, account, code);
            if !self.seen.contains(&row) {
                match (ObjectId::parse(&row.1), OfferCode::parse(&row.2)) {
                    (Some(account), Some(code)) => changes.push(OfferChanged { account, code }),
                    _ => log::warn!("ignored an offer change of an invalid account or code"),
                }
            }
            seen.insert(row);
        }
        self.seen = seen;
        Ok(changes)
    }

    /// Deletes the rows of the transactions that had finished `kept_for` ago: those
    /// below a horizon this reader saw that long ago. Keep them far longer than any
    /// reader's pause between two looks.
    pub fn forget_old_changes(
        &mut self,
        conn: &mut PgConnection,
        kept_for: Duration,
    ) -> Result<(), StoreError> {
        self.past_horizons.push_back((Instant::now(), self.horizon));
        let mut old_enough = None;
        while let Some(&(at, horizon)) = self.past_horizons.front() {
            if at.elapsed() < kept_for {
                break;
            }
            old_enough = Some(horizon);
            self.past_horizons.pop_front();
        }
        if let Some(horizon) = old_enough {
            sql_query("DELETE FROM offer_changes WHERE xid < $1::text::xid8")
                .bind::<Text, _>(horizon.to_string())
                .execute(conn)?;
        }
        Ok(())
    }
}
