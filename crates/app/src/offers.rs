//! Offers (SPEC §3): create, get, list, update, archive. A change to an offer is told to
//! the app's offer listeners once it is committed.

use trackly_domain::offer::OfferRef;
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::{NewOffer, ObjectId, Offer, OfferPatch};
use trackly_store::offers::{archive_offer, find_offer, insert_offer, list_offers, update_offer};

use crate::{Answer, Answered, App, AppError, Once, Paged};

/// Creates an offer for `account` and answers with `answer` of it, once per idempotency
/// key.
pub async fn create(
    app: &App,
    account: &ObjectId,
    offer: NewOffer,
    once: Option<Once>,
    answer: impl FnOnce(&Offer) -> Answer + Send + 'static,
) -> Result<Answered, AppError> {
    let owner = account.clone();
    let now = app.now();
    let (answered, created) = app
        .answer_once(
            account,
            once,
            move |conn| Ok(insert_offer(conn, &owner, &offer, now)?),
            answer,
        )
        .await?;
    if let Some(created) = created {
        app.offer_changed(&created.code);
    }
    Ok(answered)
}

/// Creates an offer for `account` and returns it (for callers without idempotency keys:
/// the dashboard's form).
pub async fn add(app: &App, account: &ObjectId, offer: NewOffer) -> Result<Offer, AppError> {
    let owner = account.clone();
    let now = app.now();
    let created = app
        .run(move |conn| Ok(insert_offer(conn, &owner, &offer, now)?))
        .await?;
    app.offer_changed(&created.code);
    Ok(created)
}

/// The account's offer named by `offer`. Read on the primary: clients read an offer right
/// after they create or change it.
pub async fn get(app: &App, account: &ObjectId, offer: OfferRef) -> Result<Offer, AppError> {
    let account = account.clone();
    app.run(move |conn| find_offer(conn, &account, &offer)?.ok_or(AppError::NotFound))
        .await
}

/// One page of the account's offers matching `filter`, newest first (SPEC §3.2). Read on
/// the replica when there is one (SPEC §14).
pub async fn list(
    app: &App,
    account: &ObjectId,
    filter: OfferFilter,
    page: Page,
) -> Result<Paged<Offer>, AppError> {
    let account = account.clone();
    let (items, total) = app
        .run_read(move |conn| Ok(list_offers(conn, &account, &filter, page)?))
        .await?;
    Ok(Paged::new(items, page, total))
}

/// Applies `patch` to the account's offer named by `offer` and returns it as stored.
pub async fn update(
    app: &App,
    account: &ObjectId,
    offer: OfferRef,
    patch: OfferPatch,
) -> Result<Offer, AppError> {
    let account = account.clone();
    let now = app.now();
    let updated = app
        .run(move |conn| {
            update_offer(conn, &account, &offer, &patch, now)?.ok_or(AppError::NotFound)
        })
        .await?;
    app.offer_changed(&updated.code);
    Ok(updated)
}

/// Archives the account's offer named by `offer` (a soft delete; also when it is
/// archived already).
pub async fn archive(app: &App, account: &ObjectId, offer: OfferRef) -> Result<(), AppError> {
    let account = account.clone();
    let now = app.now();
    let code = app
        .run(move |conn| Ok(archive_offer(conn, &account, &offer, now)?))
        .await?;
    app.offer_changed(&code);
    Ok(())
}
