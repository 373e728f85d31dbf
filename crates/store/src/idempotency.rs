//! Idempotency records (SPEC §1.7). `run_once` claims the key in the transaction that
//! does the work and records the response there too, so the work and the record commit
//! together; a concurrent request with the same key waits on the claim and then replays.

use chrono::{DateTime, Duration, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Bytea, Text, Timestamptz};
use trackly_domain::ObjectId;

use crate::error::StoreError;
use crate::schema::idempotency_keys;

/// How long a recorded response is replayed.
pub const IDEMPOTENCY_WINDOW: Duration = Duration::hours(24);

/// What a claim found.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Claim {
    /// The key is new (or its record expired): do the work, then `record_response`.
    Fresh,
    /// The same request already ran: answer with its response.
    Replay {
        /// The first response's status.
        status: u16,
        /// The first response's body.
        body: String,
    },
    /// The key was used for a different request.
    Mismatch,
}

/// A response as it is recorded and replayed: a status and a body, opaque to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The response's status.
    pub status: u16,
    /// The response's body.
    pub body: String,
}

/// How a request with an idempotency key ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Once {
    /// The work ran now; its response is recorded.
    Done(Recorded),
    /// The same request ran before: its recorded response.
    Replayed(Recorded),
    /// The key was used for a different request; nothing ran.
    Conflict,
}

/// Runs `work` at most once per (account, `key`) within the replay window, in one
/// transaction with the claim of the key and the record of its response: concurrent
/// requests with the key wait on the claim, then replay what committed. `work` returns
/// the response to record.
pub fn run_once<E>(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    key: &str,
    request_sha256: &[u8],
    now: DateTime<Utc>,
    work: impl FnOnce(&mut PgConnection) -> Result<Recorded, E>,
) -> Result<Once, E>
where
    E: From<StoreError> + From<diesel::result::Error>,
{
    conn.transaction(
        |conn| match claim_key(conn, account_id, key, request_sha256, now)? {
            Claim::Fresh => {
                let response = work(conn)?;
                record_response(conn, account_id, key, response.status, &response.body)?;
                Ok(Once::Done(response))
            }
            Claim::Replay { status, body } => Ok(Once::Replayed(Recorded { status, body })),
            Claim::Mismatch => Ok(Once::Conflict),
        },
    )
}

/// Claims `key` for a request with digest `request_sha256`. Call inside a transaction.
fn claim_key(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    key: &str,
    request_sha256: &[u8],
    now: DateTime<Utc>,
) -> Result<Claim, StoreError> {
    let claimed = diesel::sql_query(
        "INSERT INTO idempotency_keys (account_id, key, request_sha256, status, body, created_at) \
         VALUES ($1, $2, $3, 0, '', $4) \
         ON CONFLICT (account_id, key) DO UPDATE \
         SET request_sha256 = EXCLUDED.request_sha256, status = 0, body = '', created_at = EXCLUDED.created_at \
         WHERE idempotency_keys.created_at <= $5",
    )
    .bind::<Text, _>(account_id.as_str())
    .bind::<Text, _>(key)
    .bind::<Bytea, _>(request_sha256)
    .bind::<Timestamptz, _>(now)
    .bind::<Timestamptz, _>(now - IDEMPOTENCY_WINDOW)
    .execute(conn)?;
    if claimed > 0 {
        return Ok(Claim::Fresh);
    }
    let (digest, status, body): (Vec<u8>, i16, String) = idempotency_keys::table
        .find((account_id.as_str(), key))
        .select((
            idempotency_keys::request_sha256,
            idempotency_keys::status,
            idempotency_keys::body,
        ))
        .first(conn)?;
    if digest != request_sha256 {
        return Ok(Claim::Mismatch);
    }
    Ok(Claim::Replay {
        status: u16::try_from(status).unwrap_or_default(),
        body,
    })
}

/// Records the response of the request that claimed `key`.
fn record_response(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), StoreError> {
    diesel::update(idempotency_keys::table.find((account_id.as_str(), key)))
        .set((
            idempotency_keys::status.eq(i16::try_from(status).unwrap_or(i16::MAX)),
            idempotency_keys::body.eq(body),
        ))
        .execute(conn)?;
    Ok(())
}

/// Deletes records older than the replay window; returns how many.
pub fn purge_expired(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<usize, StoreError> {
    diesel::delete(
        idempotency_keys::table.filter(idempotency_keys::created_at.le(now - IDEMPOTENCY_WINDOW)),
    )
    .execute(conn)
    .map_err(StoreError::from)
}
