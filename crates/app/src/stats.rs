//! Stats (SPEC §7): one offer per day, and every offer of the account. Both tolerate lag,
//! so they are read on the replica when there is one (SPEC §14).

use trackly_domain::offer::OfferRef;
use trackly_domain::query::Page;
use trackly_domain::stats::{DateRange, OfferStats, OfferTotals};
use trackly_domain::ObjectId;
use trackly_store::stats::{account_offer_totals, offer_days};

use crate::{App, AppError, Paged};

/// The account's offer named by `offer`: every day of `range` and their totals.
pub async fn offer(
    app: &App,
    account: &ObjectId,
    offer: OfferRef,
    range: DateRange,
) -> Result<OfferStats, AppError> {
    let account = account.clone();
    let (offer_id, daily) = app
        .run_read(move |conn| Ok(offer_days(conn, &account, &offer, range)?))
        .await?;
    Ok(OfferStats::from_days(offer_id, range, daily))
}

/// One page of the totals of every offer of the account that is not archived, highest
/// revenue first (SPEC §7.2).
pub async fn offers(
    app: &App,
    account: &ObjectId,
    range: DateRange,
    page: Page,
) -> Result<Paged<OfferTotals>, AppError> {
    let account = account.clone();
    let (items, total) = app
        .run_read(move |conn| Ok(account_offer_totals(conn, &account, range, page)?))
        .await?;
    Ok(Paged::new(items, page, total))
}
