//! Where a server stands in the write-ahead log, for the read replica's lag check
//! (SPEC §14): how far the primary has written, and how far a streaming replica has
//! replayed. Positions are byte offsets in the log (a `pg_lsn` as a number), so the two
//! servers' answers compare directly, whatever their clocks say.

use diesel::dsl::sql;
use diesel::pg::PgConnection;
use diesel::sql_types::{BigInt, Nullable};
use diesel::{select, RunQueryDsl};

use crate::error::StoreError;

/// How far the primary has written its log: every transaction committed before this
/// call is at or before it.
pub fn written_wal_position(conn: &mut PgConnection) -> Result<u64, StoreError> {
    let position: i64 = select(sql::<BigInt>(
        "(pg_current_wal_lsn() - '0/0'::pg_lsn)::int8",
    ))
    .get_result(conn)?;
    // A log position less '0/0' is never negative.
    Ok(position.unsigned_abs())
}

/// How far a streaming replica has replayed the primary's log: what its readers see.
/// `None` when the server is not a standby (a primary, or a replica since promoted),
/// whose data may have parted from the primary's.
pub fn replayed_wal_position(conn: &mut PgConnection) -> Result<Option<u64>, StoreError> {
    let position: Option<i64> = select(sql::<Nullable<BigInt>>(
        "CASE WHEN pg_is_in_recovery() \
         THEN (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::int8 END",
    ))
    .get_result(conn)?;
    Ok(position.map(i64::unsigned_abs))
}
