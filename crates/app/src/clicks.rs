//! Clicks (SPEC §5): the raw-click list, the lookup behind a redirect, and storing the
//! click writer's batches.

use trackly_domain::click::{Click, RedirectTarget};
use trackly_domain::offer::OfferRef;
use trackly_domain::query::{ClickFilter, Page};
use trackly_domain::ObjectId;
use trackly_store::clicks::{find_redirect_target, list_clicks, store_clicks};

use crate::{App, AppError, Paged};

pub use trackly_store::clicks::{ClaimKey, MayBeStored, Remembered, StoredClicks, VisitorKey};

/// One page of the clicks of the account's offer named by `offer`, newest first. Read on
/// the replica when there is one (SPEC §14).
pub async fn list(
    app: &App,
    account: &ObjectId,
    offer: OfferRef,
    filter: ClickFilter,
    page: Page,
) -> Result<Paged<Click>, AppError> {
    let account = account.clone();
    let (items, total) = app
        .run_read(move |conn| Ok(list_clicks(conn, &account, &offer, &filter, page)?))
        .await?;
    Ok(Paged::new(items, page, total))
}

/// The offer behind tracking code `code`, whatever its account. Read on the primary: a
/// link is followed as soon as its offer is made.
pub async fn redirect_target(app: &App, code: &str) -> Result<Option<RedirectTarget>, AppError> {
    let code = code.to_owned();
    app.run(move |conn| Ok(find_redirect_target(conn, &code)?))
        .await
}

/// Stores a batch of clicks with their rollups, in one transaction (for the click
/// writer's threads, which may block). Visitors and first-click keys `remembered` knows
/// of are not written again; with `MayBeStored::Yes` clicks already stored are skipped.
pub fn store(
    app: &App,
    batch: &[Click],
    remembered: Remembered<'_>,
    may_be_stored: MayBeStored,
) -> Result<StoredClicks, AppError> {
    app.run_blocking(|conn| Ok(store_clicks(conn, batch, remembered, may_be_stored)?))
}
