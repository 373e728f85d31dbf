//! revenue::record/record_bulk/record_postback/list.

use trackly_app::{revenue, AppError};
use trackly_domain::input::Sent;
use trackly_domain::query::Page;
use trackly_domain::revenue::{
    Recorded, RevenueFields, RevenueFilter, RevenueInput, Unattributed, MAX_BULK_RECORDS,
};
use trackly_domain::InputError;

use crate::helpers::{answer, Context};

fn record(offer: &str, revenue: &str, txn: Option<&str>) -> RevenueInput {
    RevenueInput::new(
        RevenueFields {
            offer_id: offer.into(),
            revenue: revenue.into(),
            txn_id: txn.map_or(Sent::Absent, Sent::from),
            ..RevenueFields::default()
        },
        chrono::Utc::now(),
    )
    .expect("a valid record")
}

async fn record_one(context: &Context, input: RevenueInput) -> Result<Recorded, AppError> {
    let (sender, receiver) = std::sync::mpsc::channel();
    revenue::record(
        &context.app,
        &context.account.account_id,
        input,
        None,
        move |recorded| {
            let _ = sender.send(recorded.clone());
            answer(201)
        },
    )
    .await?;
    Ok(receiver.recv().expect("the recorded event"))
}

#[tokio::test]
async fn a_txn_id_records_once_and_an_unknown_offer_records_nothing() {
    let context = Context::new().await;
    let offer = context.offer("Paying").await;
    let first = record_one(
        &context,
        record(offer.id.as_str(), "24.99", Some("order-1")),
    )
    .await
    .expect("recorded");
    assert!(!first.duplicate);
    assert_eq!(first.offer_id, offer.id);
    let again = record_one(&context, record(offer.id.as_str(), "99", Some("order-1")))
        .await
        .expect("answered");
    assert!(again.duplicate, "the same txn_id is the first event");
    assert_eq!(again.revenue_id, first.revenue_id);
    assert_eq!(again.revenue, first.revenue);
    let unknown = record_one(&context, record("no-such-offer", "1", None)).await;
    assert_eq!(
        unknown,
        Err(AppError::Unattributed(Unattributed::OfferNotFound))
    );
    let listed = revenue::list(
        &context.app,
        &context.account.account_id,
        RevenueFilter::default(),
        Page {
            page: 1,
            per_page: 50,
        },
    )
    .await
    .expect("listed");
    assert_eq!(listed.pagination.total, 1, "one event stored");
}

#[tokio::test]
async fn a_batch_sums_its_outcomes_and_each_record_stands_alone() {
    let context = Context::new().await;
    let offer = context.offer("Batch").await;
    let id = offer.id.as_str();
    record_one(&context, record(id, "1", Some("seen")))
        .await
        .expect("recorded");
    let records = vec![
        Ok(record(id, "2.50", None)),
        Err(InputError::InvalidRevenue),
        Ok(record(id, "7", Some("seen"))),
        Ok(record("unknown", "1", None)),
        Ok(record(id, "0.5", None)),
    ];
    let (sender, receiver) = std::sync::mpsc::channel();
    revenue::record_bulk(
        &context.app,
        &context.account.account_id,
        records,
        None,
        move |outcome| {
            let _ = sender.send(outcome.clone());
            answer(200)
        },
    )
    .await
    .expect("recorded");
    let outcome = receiver.recv().expect("the outcome");
    assert_eq!(outcome.created, 2);
    assert_eq!(outcome.duplicates, 1);
    assert_eq!(outcome.failed, 2);
    assert_eq!(outcome.total_revenue.normalize().to_string(), "3");
    let failures: Vec<(usize, &str)> = outcome
        .failures
        .iter()
        .map(|failure| (failure.index, failure.code))
        .collect();
    assert_eq!(
        failures,
        vec![(1, "invalid_revenue"), (3, "offer_not_found")]
    );
}

#[tokio::test]
async fn a_batch_must_hold_1_to_1000_records() {
    let context = Context::new().await;
    let account = &context.account.account_id;
    let empty =
        revenue::record_bulk(&context.app, account, Vec::new(), None, |_| answer(200)).await;
    assert_eq!(empty, Err(AppError::Invalid(InputError::MissingRecords)));
    let too_many = vec![Err(InputError::InvalidRevenue); MAX_BULK_RECORDS + 1];
    let refused =
        revenue::record_bulk(&context.app, account, too_many, None, |_| answer(200)).await;
    assert_eq!(
        refused,
        Err(AppError::TooManyRecords {
            max: MAX_BULK_RECORDS
        })
    );
}

#[tokio::test]
async fn a_postback_needs_the_accounts_secret_before_anything_else() {
    let context = Context::new().await;
    let offer = context.offer("Postback").await;
    let wrong = revenue::record_postback(
        &context.app,
        "pbs_not-the-secret",
        Err(InputError::InvalidRevenue),
    )
    .await;
    assert_eq!(
        wrong,
        Err(AppError::Unauthenticated),
        "the secret is checked first"
    );
    let invalid = revenue::record_postback(
        &context.app,
        &context.account.postback_secret,
        Err(InputError::InvalidRevenue),
    )
    .await;
    assert_eq!(invalid, Err(AppError::Invalid(InputError::InvalidRevenue)));
    let recorded = revenue::record_postback(
        &context.app,
        &context.account.postback_secret,
        Ok(record(offer.id.as_str(), "3", None)),
    )
    .await
    .expect("recorded");
    assert_eq!(recorded.offer_id, offer.id);
}
