//! Offers (SPEC §3): create, get, list, update, archive. A change to an offer is told to
//! the app's offer listeners once it is committed. Reads go through the offer cache
//! when the app has one (`App::with_offer_cache`).

use std::sync::Arc;

use trackly_domain::offer::OfferRef;
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::{NewOffer, ObjectId, Offer, OfferPatch};
use trackly_store::offers::{archive_offer, find_offer, insert_offer, list_offers, update_offer};

use crate::offer_reads::Lookup;
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
        app.offer_changed(account, &created.code);
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
    app.offer_changed(account, &created.code);
    Ok(created)
}

/// The account's offer named by `offer`, from the offer cache or the primary (clients
/// read an offer right after they create or change it).
pub async fn get(app: &App, account: &ObjectId, offer: OfferRef) -> Result<Arc<Offer>, AppError> {
    let stamp = match app.offer_watch.offer(account, &offer) {
        Lookup::Hit(found) => return Ok(found),
        Lookup::Miss(stamp) => stamp,
    };
    let owner = account.clone();
    let named = offer.clone();
    let found = app
        .run(move |conn| find_offer(conn, &owner, &named)?.ok_or(AppError::NotFound))
        .await
        .map(Arc::new)?;
    app.offer_watch
        .file_offer(account, offer, stamp, Arc::clone(&found));
    Ok(found)
}

/// One page of the account's offers matching `filter`, newest first (SPEC §3.2): from
/// the offer cache, or else read on the primary to fill it; on the replica when there is
/// one and the app caches no offers (SPEC §14).
pub async fn list(
    app: &App,
    account: &ObjectId,
    filter: OfferFilter,
    page: Page,
) -> Result<Arc<Paged<Offer>>, AppError> {
    let stamp = match app.offer_watch.page(account, &filter, page) {
        Lookup::Hit(found) => return Ok(found),
        Lookup::Miss(stamp) => stamp,
    };
    let owner = account.clone();
    let matching = filter.clone();
    let read = move |conn: &mut _| Ok(list_offers(conn, &owner, &matching, page)?);
    // Only the primary is sure to hold every change the change log has shown.
    let (items, total) = match stamp {
        Some(_) => app.run(read).await?,
        None => app.run_read(read).await?,
    };
    let found = Arc::new(Paged::new(items, page, total));
    app.offer_watch
        .file_page(account, filter, page, stamp, Arc::clone(&found));
    Ok(found)
}

/// Applies `patch` to the account's offer named by `offer` and returns it as stored.
pub async fn update(
    app: &App,
    account: &ObjectId,
    offer: OfferRef,
    patch: OfferPatch,
) -> Result<Offer, AppError> {
    let owner = account.clone();
    let now = app.now();
    let updated = app
        .run(move |conn| update_offer(conn, &owner, &offer, &patch, now)?.ok_or(AppError::NotFound))
        .await?;
    app.offer_changed(account, &updated.code);
    Ok(updated)
}

/// Archives the account's offer named by `offer` (a soft delete; also when it is
/// archived already).
pub async fn archive(app: &App, account: &ObjectId, offer: OfferRef) -> Result<(), AppError> {
    let owner = account.clone();
    let now = app.now();
    let code = app
        .run(move |conn| Ok(archive_offer(conn, &owner, &offer, now)?))
        .await?;
    app.offer_changed(account, &code);
    Ok(())
}
