//! Sync runs (SPEC §10.2–§10.4): the lock that keeps one run of a kind per connection
//! across nodes, the start of a run, and the writes of a finished sweep — all of a run's
//! writes and its report in one transaction, so a run either lands whole or not at all.

use std::time::Duration as StdDuration;

use chrono::Duration;
use trackly_domain::integration::{
    ConversionState, RunCounts, RunStatus, SyncKind, SyncRun, SyncedConversion, SyncedOffer,
};
use trackly_domain::offer::{Change, ExternalPlatform, Metadata, MetadataPatch, OfferRef};
use trackly_domain::revenue::{
    AttributionType, ClickReference, EventType, OfferReference, RevenueInput, MESSAGE_ID_MAX_CHARS,
};
use trackly_domain::{NewOffer, ObjectId, Offer, OfferCode, OfferPatch};
use trackly_store::offers::{find_offer_twin, insert_offer, offer_id_by_external, update_offer};
use trackly_store::revenue::find_revenue_by_txn;
use trackly_store::sync_runs::{
    fail_interrupted_runs, finish_run, last_run_started, start_run, try_lock_sync, unlock_sync,
};
use trackly_store::{PgConnection, PooledPg};

use crate::revenue::record_one;
use crate::{App, AppError};

/// The lock of one connection's sync of one kind, held on a session of its own: another
/// node asking for it is told no. Give it back with [`SyncLock::release`]; dropped
/// unreleased (a panic), it is released on the spot.
pub struct SyncLock {
    conn: Option<PooledPg>,
    account_id: ObjectId,
    integration_id: ObjectId,
    kind: SyncKind,
}

/// Takes the lock of the account's connection's `kind` sync; `None` when a run holds it.
pub async fn lock(
    app: &App,
    account_id: &ObjectId,
    integration_id: &ObjectId,
    kind: SyncKind,
) -> Result<Option<SyncLock>, AppError> {
    let mut lock = SyncLock {
        conn: Some(app.checkout().await?),
        account_id: account_id.clone(),
        integration_id: integration_id.clone(),
        kind,
    };
    let id = integration_id.clone();
    let locked = lock
        .with_conn(move |conn| Ok(try_lock_sync(conn, &id, kind)?))
        .await?;
    if locked {
        Ok(Some(lock))
    } else {
        // Not ours: the connection goes back without an unlock.
        lock.conn.take();
        Ok(None)
    }
}

impl SyncLock {
    /// Gives the lock back.
    pub async fn release(mut self) -> Result<(), AppError> {
        let (id, kind) = (self.integration_id.clone(), self.kind);
        let released = self
            .with_conn(move |conn| Ok(unlock_sync(conn, &id, kind)?))
            .await;
        self.conn.take();
        released
    }

    async fn with_conn<T: Send + 'static>(
        &mut self,
        work: impl FnOnce(&mut PgConnection) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let mut conn = self
            .conn
            .take()
            .ok_or_else(|| AppError::Internal("a sync lock lost its session".to_owned()))?;
        let (conn, result) = tokio::task::spawn_blocking(move || {
            let result = conn.run(work);
            (conn, result)
        })
        .await
        .map_err(|error| AppError::Internal(format!("a database task failed: {error}")))?;
        self.conn = Some(conn);
        result
    }
}

impl Drop for SyncLock {
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            let result = conn.run(|conn| unlock_sync(conn, &self.integration_id, self.kind));
            if let Err(error) = result {
                log::warn!("a sync lock could not be released: {error}");
            }
        }
    }
}

/// Starts a run under `lock`: runs of the kind still marked running belong to a
/// process that stopped, and are marked failed. With `due_every`, a run started less
/// than that long ago means none is due: `None`.
pub async fn begin(
    app: &App,
    lock: &mut SyncLock,
    due_every: Option<StdDuration>,
) -> Result<Option<SyncRun>, AppError> {
    let (account, id, kind) = (
        lock.account_id.clone(),
        lock.integration_id.clone(),
        lock.kind,
    );
    let now = app.now();
    lock.with_conn(move |conn| {
        fail_interrupted_runs(conn, &account, &id, kind, now)?;
        if let Some(every) = due_every {
            let every = Duration::from_std(every).unwrap_or(Duration::MAX);
            if last_run_started(conn, &account, &id, kind)?.is_some_and(|last| last > now - every) {
                return Ok(None);
            }
        }
        Ok(Some(start_run(conn, &account, &id, kind, now)?))
    })
    .await
}

/// Ends `run` as failed with `reason`: nothing it read was written.
pub async fn fail(
    app: &App,
    lock: &mut SyncLock,
    run: &SyncRun,
    reason: String,
) -> Result<(), AppError> {
    let (account, id) = (lock.account_id.clone(), run.id.clone());
    let now = app.now();
    lock.with_conn(move |conn| {
        Ok(finish_run(
            conn,
            &account,
            &id,
            RunStatus::Failed,
            &RunCounts::default(),
            &[reason],
            now,
        )?)
    })
    .await
}

/// Writes an offer sweep (SPEC §10.2) and ends `run` with its report, in one
/// transaction on the lock's own session (a run needs no other connection). Each offer becomes or updates the account's offer with the same platform
/// and external id; `skipped` are the platform's offers that could not be read or broke
/// our rules, with the reason. A platform offer already deleted that we never had is
/// not created.
pub async fn write_offers(
    app: &App,
    lock: &mut SyncLock,
    account: &ObjectId,
    run: &SyncRun,
    offers: Vec<SyncedOffer>,
    skipped: Vec<String>,
) -> Result<SyncRun, AppError> {
    let owner = account.clone();
    let mut run = run.clone();
    let now = app.now();
    let (run, changed) = lock
        .with_conn(move |conn| {
            conn.build_transaction().run(|conn| {
                let mut counts = RunCounts::default();
                let mut errors = skipped;
                let mut changed = Vec::new();
                for offer in &offers {
                    match write_offer(conn, &owner, offer, now)? {
                        Written::Created(code) => {
                            counts.offers_created += 1;
                            changed.push(code);
                        }
                        Written::Updated(code) => {
                            counts.offers_updated += 1;
                            changed.push(code);
                        }
                        Written::Unchanged => {}
                        Written::Skipped(reason) => errors.push(reason),
                    }
                }
                counts.offers_skipped = u32::try_from(errors.len()).unwrap_or(u32::MAX);
                end(conn, &owner, &mut run, counts, errors, now)?;
                Ok::<_, AppError>((run, changed))
            })
        })
        .await?;
    for code in &changed {
        app.offer_changed(account, code);
    }
    Ok(run)
}

/// What happened to one platform offer.
enum Written {
    Created(OfferCode),
    Updated(OfferCode),
    Unchanged,
    Skipped(String),
}

fn write_offer(
    conn: &mut PgConnection,
    account: &ObjectId,
    offer: &SyncedOffer,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Written, AppError> {
    let twin = find_offer_twin(conn, account, offer.external_platform, &offer.external_id)?;
    let Some(twin) = twin else {
        if offer.status == trackly_domain::offer::OfferStatus::Archived {
            return Ok(Written::Unchanged);
        }
        let Ok(metadata) = Metadata::from_map(offer.platform_metadata.clone()) else {
            return Ok(Written::Skipped(metadata_reason(offer)));
        };
        let new = NewOffer {
            name: offer.name.clone(),
            tracking_url: offer.tracking_url.clone(),
            external_platform: Some(offer.external_platform),
            external_id: Some(offer.external_id.clone()),
            advertiser_id: offer.advertiser_id.clone(),
            payout: offer.payout,
            payout_type: offer.payout_type,
            filter_bots: false,
            status: offer.status,
            metadata,
        };
        return Ok(Written::Created(
            insert_offer(conn, account, &new, now)?.code,
        ));
    };
    let Ok(metadata) = offer.metadata_over(twin.metadata.entries()) else {
        return Ok(Written::Skipped(metadata_reason(offer)));
    };
    if same(&twin, offer, &metadata) {
        return Ok(Written::Unchanged);
    }
    let remove = twin
        .metadata
        .entries()
        .keys()
        .filter(|key| !metadata.entries().contains_key(*key))
        .cloned()
        .collect();
    let patch = OfferPatch {
        name: Some(offer.name.clone()),
        tracking_url: Some(offer.tracking_url.clone()),
        advertiser_id: Change::Set(offer.advertiser_id.clone()),
        payout: Some(offer.payout),
        payout_type: Some(offer.payout_type),
        status: Some(offer.status),
        metadata: Some(MetadataPatch {
            set: offer.platform_metadata.clone(),
            remove,
        }),
        ..OfferPatch::default()
    };
    let updated = update_offer(conn, account, &OfferRef::Id(twin.id.clone()), &patch, now)?
        .ok_or(AppError::NotFound)?;
    Ok(Written::Updated(updated.code))
}

/// True when the twin already holds everything the platform offer says.
fn same(twin: &Offer, offer: &SyncedOffer, metadata: &Metadata) -> bool {
    twin.name == offer.name
        && twin.tracking_url == offer.tracking_url
        && twin.payout == offer.payout
        && twin.payout_type == offer.payout_type
        && twin.status == offer.status
        && twin.advertiser_id == offer.advertiser_id
        && twin.metadata == *metadata
}

fn metadata_reason(offer: &SyncedOffer) -> String {
    format!(
        "offer {}: its metadata would break the limits (50 keys of at most 40 characters, values of at most 500)",
        offer.external_id
    )
}

/// Writes a conversion sweep (SPEC §10.3) and ends `run` with its report, in one
/// transaction on the lock's own session. A payable conversion seen for the first time becomes a revenue event
/// with its `txn_id`; one seen before is a duplicate; a rejected one that was imported
/// becomes a refund of the same amount, once. `skipped` are the conversions the
/// platform sent that could not be read, with the reason.
pub async fn write_conversions(
    app: &App,
    lock: &mut SyncLock,
    account: &ObjectId,
    platform: ExternalPlatform,
    run: &SyncRun,
    conversions: Vec<SyncedConversion>,
    skipped: Vec<String>,
) -> Result<SyncRun, AppError> {
    let account = account.clone();
    let mut run = run.clone();
    let now = app.now();
    lock.with_conn(move |conn| {
        conn.build_transaction().run(|conn| {
            let mut counts = RunCounts::default();
            let mut errors = skipped;
            for conversion in &conversions {
                match write_conversion(conn, &account, platform, conversion, now)? {
                    Imported::New => counts.conversions_imported += 1,
                    Imported::Duplicate => counts.duplicates += 1,
                    Imported::Ignored => {}
                    Imported::Unmatched(reason) => {
                        counts.unmatched += 1;
                        errors.push(reason);
                    }
                }
            }
            end(conn, &account, &mut run, counts, errors, now)?;
            Ok::<_, AppError>(run)
        })
    })
    .await
}

/// What happened to one platform conversion.
enum Imported {
    New,
    Duplicate,
    Ignored,
    Unmatched(String),
}

fn write_conversion(
    conn: &mut PgConnection,
    account: &ObjectId,
    platform: ExternalPlatform,
    conversion: &SyncedConversion,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Imported, AppError> {
    let original = find_revenue_by_txn(conn, account, &conversion.txn_id)?;
    if conversion.state == ConversionState::Rejected {
        let Some(original) = original else {
            return Ok(Imported::Ignored);
        };
        let refund_txn = conversion.refund_txn_id();
        if find_revenue_by_txn(conn, account, &refund_txn)?.is_some() {
            return Ok(Imported::Duplicate);
        }
        let refund = RevenueInput {
            revenue: Some(original.revenue),
            click: original.click_id.as_deref().map(ClickReference::new),
            offer: Some(OfferReference::new(original.offer_id.as_str())),
            message_id: original.message_id.clone(),
            attribution_type: original.attribution_type,
            event_type: EventType::Refund,
            txn_id: Some(refund_txn),
            occurred_at: now,
        };
        return match record_one(conn, account, refund, now) {
            Ok(_) => Ok(Imported::New),
            Err(AppError::Unattributed(why)) => Ok(Imported::Unmatched(format!(
                "conversion {}: its refund could not be recorded ({})",
                conversion.txn_id,
                why.code()
            ))),
            Err(error) => Err(error),
        };
    }
    if original.is_some() {
        return Ok(Imported::Duplicate);
    }
    let offer = match &conversion.offer_external_id {
        Some(external) => offer_id_by_external(conn, account, platform, external)?,
        None => None,
    };
    let sale =
        |click: Option<&str>, offer: Option<&ObjectId>, message: Option<&str>| RevenueInput {
            revenue: Some(conversion.revenue),
            click: click.map(ClickReference::new),
            offer: offer.map(|id| OfferReference::new(id.as_str())),
            message_id: message.map(str::to_owned),
            attribution_type: AttributionType::Sale,
            event_type: EventType::Sale,
            txn_id: Some(conversion.txn_id.clone()),
            occurred_at: conversion.occurred_at,
        };
    let mut attempts = Vec::new();
    // 1: the platform's click ids as ours; 2: the message field's value as our click id.
    let ours = |text: &&String| ObjectId::parse(text).is_some();
    for click in conversion
        .click_candidates
        .iter()
        .chain(conversion.message_value.iter())
        .filter(ours)
    {
        attempts.push(sale(Some(click), None, None));
    }
    if let Some(offer) = &offer {
        // 2: the message whose first click of the offer earns it; 3: the offer alone.
        let message = conversion
            .message_value
            .as_deref()
            .filter(|value| value.chars().count() <= MESSAGE_ID_MAX_CHARS);
        if message.is_some() {
            attempts.push(sale(None, Some(offer), message));
        }
        attempts.push(sale(None, Some(offer), None));
    }
    for attempt in attempts {
        match record_one(conn, account, attempt, now) {
            Ok(recorded) if recorded.duplicate => return Ok(Imported::Duplicate),
            Ok(_) => return Ok(Imported::New),
            Err(AppError::Unattributed(_)) => continue,
            Err(error) => return Err(error),
        }
    }
    Ok(Imported::Unmatched(format!(
        "conversion {}: no click or offer of this account matches it (click ids {:?}, message value {:?}, platform offer {:?})",
        conversion.txn_id,
        conversion.click_candidates,
        conversion.message_value,
        conversion.offer_external_id
    )))
}

/// Ends `run` with its counts: `partial` when something was skipped or unmatched.
fn end(
    conn: &mut PgConnection,
    account: &ObjectId,
    run: &mut SyncRun,
    counts: RunCounts,
    errors: Vec<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let status = if errors.is_empty() {
        RunStatus::Ok
    } else {
        RunStatus::Partial
    };
    finish_run(conn, account, &run.id, status, &counts, &errors, now)?;
    run.status = status;
    run.finished_at = Some(now);
    run.counts = counts;
    run.errors = errors
        .into_iter()
        .take(trackly_domain::integration::MAX_RUN_ERRORS)
        .collect();
    Ok(())
}
