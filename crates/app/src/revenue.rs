//! Revenue (SPEC §6): record one event, record a batch, a postback, list.

use trackly_domain::query::Page;
use trackly_domain::revenue::{
    BulkOutcome, Recorded, RevenueEvent, RevenueFilter, RevenueInput, MAX_BULK_RECORDS,
};
use trackly_domain::{InputError, ObjectId};
use trackly_store::accounts::account_by_postback_secret;
use trackly_store::revenue::{list_revenue, record_revenue};
use trackly_store::secrets::digest;
use trackly_store::PgConnection;

use crate::{Answer, Answered, App, AppError, Once, Paged};

/// Records one event for `account` and answers with `answer` of it, once per
/// idempotency key. A record that names no click or offer of the account changes nothing.
pub async fn record(
    app: &App,
    account: &ObjectId,
    input: RevenueInput,
    once: Option<Once>,
    answer: impl FnOnce(&Recorded) -> Answer + Send + 'static,
) -> Result<Answered, AppError> {
    let owner = account.clone();
    let now = app.now();
    let (answered, _) = app
        .answer_once(
            account,
            once,
            move |conn| record_one(conn, &owner, input, now),
            answer,
        )
        .await?;
    Ok(answered)
}

/// Records a batch: each record, valid or not (as the edge read it), stands alone; the
/// valid ones are stored in one round trip. Answers with `answer` of the summary, once
/// per idempotency key.
pub async fn record_bulk(
    app: &App,
    account: &ObjectId,
    records: Vec<Result<RevenueInput, InputError>>,
    once: Option<Once>,
    answer: impl FnOnce(&BulkOutcome) -> Answer + Send + 'static,
) -> Result<Answered, AppError> {
    if records.is_empty() {
        return Err(InputError::MissingRecords.into());
    }
    if records.len() > MAX_BULK_RECORDS {
        return Err(AppError::TooManyRecords {
            max: MAX_BULK_RECORDS,
        });
    }
    let mut valid = Vec::with_capacity(records.len());
    let mut invalid = Vec::new();
    for (index, record) in records.into_iter().enumerate() {
        match record {
            Ok(input) => valid.push((index, input)),
            Err(error) => invalid.push((index, error)),
        }
    }
    let owner = account.clone();
    let now = app.now();
    let (answered, _) = app
        .answer_once(
            account,
            once,
            move |conn| {
                let (indexes, inputs): (Vec<usize>, Vec<RevenueInput>) = valid.into_iter().unzip();
                let outcomes = record_revenue(conn, &owner, &inputs, now)?;
                Ok(BulkOutcome::new(indexes.into_iter().zip(outcomes), invalid))
            },
            answer,
        )
        .await?;
    Ok(answered)
}

/// Records a postback (SPEC §6.4): the account is the one whose postback secret is
/// `secret`. The secret is checked before the record, so a wrong secret is refused
/// whatever the record holds.
pub async fn record_postback(
    app: &App,
    secret: &str,
    input: Result<RevenueInput, InputError>,
) -> Result<Recorded, AppError> {
    let secret_digest = digest(secret);
    let now = app.now();
    app.run(move |conn| {
        let account =
            account_by_postback_secret(conn, &secret_digest)?.ok_or(AppError::Unauthenticated)?;
        record_one(conn, &account, input?, now)
    })
    .await
}

/// One page of the account's revenue events matching `filter`, newest first (SPEC §6.3).
/// Read on the replica when there is one (SPEC §14).
pub async fn list(
    app: &App,
    account: &ObjectId,
    filter: RevenueFilter,
    page: Page,
) -> Result<Paged<RevenueEvent>, AppError> {
    let account = account.clone();
    let (items, total) = app
        .run_read(move |conn| Ok(list_revenue(conn, &account, &filter, page)?))
        .await?;
    Ok(Paged::new(items, page, total))
}

/// Records one event; a record that names no click or offer of the account is
/// `AppError::Unattributed` and changes nothing.
pub(crate) fn record_one(
    conn: &mut PgConnection,
    account: &ObjectId,
    input: RevenueInput,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Recorded, AppError> {
    record_revenue(conn, account, &[input], now)?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::Internal("a revenue record got no outcome".to_owned()))?
        .map_err(AppError::from)
}
