//! Sync runs (SPEC §10.4): started, finished with their counts and errors, listed newest
//! first; and the advisory lock that keeps two nodes from running the same sync at once.

use chrono::{DateTime, Utc};
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use trackly_domain::integration::{RunCounts, RunStatus, SyncKind, SyncRun, MAX_RUN_ERRORS};
use trackly_domain::query::Page;
use trackly_domain::ObjectId;

use crate::error::StoreError;
use crate::schema::{integrations, sync_runs};
use crate::secrets::new_id;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = sync_runs, check_for_backend(Pg))]
struct RunRow {
    id: String,
    integration_id: String,
    kind: String,
    status: String,
    started_at: DateTime<Utc>,
    finished_at: Option<DateTime<Utc>>,
    offers_created: i32,
    offers_updated: i32,
    offers_skipped: i32,
    conversions_imported: i32,
    duplicates: i32,
    unmatched: i32,
    errors: serde_json::Value,
}

impl TryFrom<RunRow> for SyncRun {
    type Error = StoreError;

    fn try_from(row: RunRow) -> Result<Self, StoreError> {
        let corrupt =
            |what: &str| StoreError::Other(format!("sync run {} has an invalid {what}", row.id));
        let count = |value: i32| u32::try_from(value).unwrap_or_default();
        Ok(SyncRun {
            id: ObjectId::parse(&row.id).ok_or_else(|| corrupt("id"))?,
            integration_id: ObjectId::parse(&row.integration_id)
                .ok_or_else(|| corrupt("integration"))?,
            kind: SyncKind::parse(&row.kind).ok_or_else(|| corrupt("kind"))?,
            status: RunStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
            started_at: row.started_at,
            finished_at: row.finished_at,
            counts: RunCounts {
                offers_created: count(row.offers_created),
                offers_updated: count(row.offers_updated),
                offers_skipped: count(row.offers_skipped),
                conversions_imported: count(row.conversions_imported),
                duplicates: count(row.duplicates),
                unmatched: count(row.unmatched),
            },
            errors: serde_json::from_value(row.errors).map_err(|_| corrupt("errors"))?,
        })
    }
}

/// Records the start of a run of `kind` for the account's connection.
pub fn start_run(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    integration_id: &ObjectId,
    kind: SyncKind,
    now: DateTime<Utc>,
) -> Result<SyncRun, StoreError> {
    diesel::insert_into(sync_runs::table)
        .values((
            sync_runs::id.eq(new_id(now).as_str()),
            sync_runs::account_id.eq(account_id.as_str()),
            sync_runs::integration_id.eq(integration_id.as_str()),
            sync_runs::kind.eq(kind.as_str()),
            sync_runs::status.eq(RunStatus::Running.as_str()),
            sync_runs::started_at.eq(now),
        ))
        .returning(RunRow::as_returning())
        .get_result(conn)?
        .try_into()
}

/// Records how the account's run `run_id` ended. Only the first 100 errors are kept.
pub fn finish_run(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    run_id: &ObjectId,
    status: RunStatus,
    counts: &RunCounts,
    errors: &[String],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let count = |value: u32| i32::try_from(value).unwrap_or(i32::MAX);
    let kept = &errors[..errors.len().min(MAX_RUN_ERRORS)];
    diesel::update(sync_runs::table.find((account_id.as_str(), run_id.as_str())))
        .set((
            sync_runs::status.eq(status.as_str()),
            sync_runs::finished_at.eq(now),
            sync_runs::offers_created.eq(count(counts.offers_created)),
            sync_runs::offers_updated.eq(count(counts.offers_updated)),
            sync_runs::offers_skipped.eq(count(counts.offers_skipped)),
            sync_runs::conversions_imported.eq(count(counts.conversions_imported)),
            sync_runs::duplicates.eq(count(counts.duplicates)),
            sync_runs::unmatched.eq(count(counts.unmatched)),
            sync_runs::errors.eq(serde_json::json!(kept)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks the connection's runs of `kind` still `running` as failed: called by the run
/// that holds the lock, so they belong to a process that stopped mid-run.
pub fn fail_interrupted_runs(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    integration_id: &ObjectId,
    kind: SyncKind,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(
        sync_runs::table
            .filter(sync_runs::account_id.eq(account_id.as_str()))
            .filter(sync_runs::integration_id.eq(integration_id.as_str()))
            .filter(sync_runs::kind.eq(kind.as_str()))
            .filter(sync_runs::status.eq(RunStatus::Running.as_str())),
    )
    .set((
        sync_runs::status.eq(RunStatus::Failed.as_str()),
        sync_runs::finished_at.eq(now),
        sync_runs::errors.eq(serde_json::json!([
            "the process running this sync stopped before it finished; nothing it read was written"
        ])),
    ))
    .execute(conn)?;
    Ok(())
}

/// When the connection's latest run of `kind` started, if it ever ran.
pub fn last_run_started(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    integration_id: &ObjectId,
    kind: SyncKind,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    Ok(sync_runs::table
        .filter(sync_runs::account_id.eq(account_id.as_str()))
        .filter(sync_runs::integration_id.eq(integration_id.as_str()))
        .filter(sync_runs::kind.eq(kind.as_str()))
        .select(diesel::dsl::max(sync_runs::started_at))
        .first(conn)?)
}

/// One page of the account's connection's runs, newest first, and how many there are.
/// `NotFound` when the account has no such connection.
pub fn list_runs(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    integration_id: &ObjectId,
    page: Page,
) -> Result<(Vec<SyncRun>, u64), StoreError> {
    let owned: i64 = integrations::table
        .filter(integrations::account_id.eq(account_id.as_str()))
        .filter(integrations::id.eq(integration_id.as_str()))
        .count()
        .get_result(conn)?;
    if owned == 0 {
        return Err(StoreError::NotFound);
    }
    let total: i64 = sync_runs::table
        .filter(sync_runs::account_id.eq(account_id.as_str()))
        .filter(sync_runs::integration_id.eq(integration_id.as_str()))
        .count()
        .get_result(conn)?;
    let runs = sync_runs::table
        .filter(sync_runs::account_id.eq(account_id.as_str()))
        .filter(sync_runs::integration_id.eq(integration_id.as_str()))
        .order((sync_runs::started_at.desc(), sync_runs::id.desc()))
        .limit(i64::from(page.per_page))
        .offset(page.offset())
        .select(RunRow::as_select())
        .load(conn)?
        .into_iter()
        .map(SyncRun::try_from)
        .collect::<Result<_, _>>()?;
    Ok((runs, u64::try_from(total).unwrap_or_default()))
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

/// Takes the session lock of the connection's `kind` sync, if no session holds it: two
/// nodes never run the same sync at once. Held until [`unlock_sync`] or the session ends.
pub fn try_lock_sync(
    conn: &mut PgConnection,
    integration_id: &ObjectId,
    kind: SyncKind,
) -> Result<bool, StoreError> {
    let row: Locked = diesel::sql_query(
        "SELECT pg_try_advisory_lock(hashtextextended('trackly.sync.' || $1, 0)) AS locked",
    )
    .bind::<Text, _>(lock_name(integration_id, kind))
    .get_result(conn)?;
    Ok(row.locked)
}

/// Releases what [`try_lock_sync`] took.
pub fn unlock_sync(
    conn: &mut PgConnection,
    integration_id: &ObjectId,
    kind: SyncKind,
) -> Result<(), StoreError> {
    diesel::sql_query(
        "SELECT pg_advisory_unlock(hashtextextended('trackly.sync.' || $1, 0)) AS locked",
    )
    .bind::<Text, _>(lock_name(integration_id, kind))
    .execute(conn)?;
    Ok(())
}

fn lock_name(integration_id: &ObjectId, kind: SyncKind) -> String {
    format!("{}.{}", integration_id.as_str(), kind.as_str())
}
