//! Dashboard sessions (SPEC §11): opened with a live API key, found by the digest of
//! their cookie while their key is live and they were used within `SESSION_IDLE`.

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Bytea, Text, Timestamptz};
use trackly_domain::session::{OpenedSession, Session, SESSION_IDLE};
use trackly_domain::ObjectId;

use crate::api_keys::{use_live_key, LiveKey};
use crate::error::StoreError;
use crate::schema::dashboard_sessions;
use crate::secrets::{digest, new_session_token};

/// Opens a session for the live key whose digest is `key_sha256`, recording the key's
/// use. `None` for an unknown or revoked key.
pub fn open_session(
    conn: &mut PgConnection,
    key_sha256: &[u8],
    now: DateTime<Utc>,
) -> Result<Option<OpenedSession>, StoreError> {
    conn.transaction(|conn| {
        let Some(LiveKey {
            id: key_id,
            account_id,
        }) = use_live_key(conn, key_sha256, now)?
        else {
            return Ok(None);
        };
        let account = ObjectId::parse(&account_id)
            .ok_or_else(|| StoreError::Other(format!("account {account_id} has an invalid id")))?;
        let token = new_session_token();
        let csrf_token = new_session_token();
        diesel::insert_into(dashboard_sessions::table)
            .values((
                dashboard_sessions::token_sha256.eq(digest(&token).to_vec()),
                dashboard_sessions::account_id.eq(&account_id),
                dashboard_sessions::api_key_id.eq(&key_id),
                dashboard_sessions::csrf_token.eq(&csrf_token),
                dashboard_sessions::created_at.eq(now),
                dashboard_sessions::last_seen_at.eq(now),
            ))
            .execute(conn)?;
        Ok(Some(OpenedSession {
            token,
            session: Session {
                account_id: account,
                csrf_token,
            },
        }))
    })
}

/// The session whose cookie value is `token`, marked as used now. `None` when there is
/// no such session, it was idle longer than `SESSION_IDLE`, or its key was revoked.
/// One round trip.
pub fn resume_session(
    conn: &mut PgConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<Session>, StoreError> {
    let row: Option<SessionRow> = diesel::sql_query(
        "UPDATE dashboard_sessions AS s SET last_seen_at = $3 \
         FROM api_keys AS k \
         WHERE s.token_sha256 = $1 AND s.last_seen_at > $2 \
           AND k.account_id = s.account_id AND k.id = s.api_key_id AND k.revoked_at IS NULL \
         RETURNING s.account_id, s.csrf_token",
    )
    .bind::<Bytea, _>(digest(token).to_vec())
    .bind::<Timestamptz, _>(now - SESSION_IDLE)
    .bind::<Timestamptz, _>(now)
    .get_result(conn)
    .optional()?;
    row.map(|row| {
        Ok(Session {
            account_id: ObjectId::parse(&row.account_id).ok_or_else(|| {
                StoreError::Other(format!("account {} has an invalid id", row.account_id))
            })?,
            csrf_token: row.csrf_token,
        })
    })
    .transpose()
}

/// A session as `resume_session` reads it.
#[derive(QueryableByName)]
struct SessionRow {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    csrf_token: String,
}

/// Ends the session whose cookie value is `token` (nothing when there is none).
pub fn close_session(conn: &mut PgConnection, token: &str) -> Result<(), StoreError> {
    diesel::delete(
        dashboard_sessions::table
            .filter(dashboard_sessions::token_sha256.eq(digest(token).to_vec())),
    )
    .execute(conn)?;
    Ok(())
}

/// Deletes sessions idle for longer than `SESSION_IDLE` and those of revoked keys;
/// returns how many.
pub fn purge_ended_sessions(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    Ok(diesel::sql_query(
        "DELETE FROM dashboard_sessions AS s \
          WHERE s.last_seen_at <= $1 \
             OR EXISTS (SELECT FROM api_keys AS k \
                         WHERE k.account_id = s.account_id AND k.id = s.api_key_id \
                           AND k.revoked_at IS NOT NULL)",
    )
    .bind::<Timestamptz, _>(now - SESSION_IDLE)
    .execute(conn)?)
}
