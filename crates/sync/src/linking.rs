//! Each platform offer needs its own tracking-link call, and both clients sweep the same
//! way: an offer without an id, or one the platform makes no link for, is skipped with
//! the reason; any other failure stops the sweep.

use std::future::Future;

use crate::error::PlatformError;
use crate::offer::{OfferSweep, PlatformOffer, SkippedOffer};

/// What the sweep reads of a platform offer before mapping it.
pub(crate) trait Linkable {
    /// The platform's offer id.
    fn id(&self) -> Option<&str>;
    /// The platform's name for it, for a skip report.
    fn name(&self) -> Option<String>;
}

/// Links and maps every row: `link` answers the tracking URL or why there is none,
/// `map` turns a row, its id and its URL into our offer.
pub(crate) async fn link_each<R, Fut>(
    rows: Vec<R>,
    link: impl Fn(String) -> Fut,
    map: impl Fn(R, String, &str) -> Result<PlatformOffer, SkippedOffer>,
) -> Result<OfferSweep, PlatformError>
where
    R: Linkable,
    Fut: Future<Output = Result<Result<String, String>, PlatformError>>,
{
    let mut results = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(id) = row.id().map(str::to_owned) else {
            results.push(Err(SkippedOffer {
                external_id: None,
                name: row.name(),
                reason: "the offer has no id".to_owned(),
            }));
            continue;
        };
        results.push(match link(id.clone()).await? {
            Ok(url) => map(row, id, &url),
            Err(reason) => Err(SkippedOffer {
                external_id: Some(id),
                name: row.name(),
                reason,
            }),
        });
    }
    Ok(OfferSweep::from_results(results))
}
