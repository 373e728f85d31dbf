//! The offers link requests name (SPEC §9.1, §9.2), resolved for a whole batch with one
//! query: by id, by code (bare or from a slug) or, for platform links, by external id.

use std::collections::BTreeSet;

use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use trackly_domain::link::{LinkDestination, LinkOffer, LinkRefused, NewLink, OfferKey};
use trackly_domain::offer::OfferStatus;
use trackly_domain::ObjectId;

use crate::error::StoreError;
use crate::schema::offers;

/// What a new link needs of its offer.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedOffer {
    /// The offer's id.
    pub(crate) id: ObjectId,
    /// Its tracking URL, the link's `destinationUrl`.
    pub(crate) tracking_url: String,
    /// Its bot filter, the link's `filterBots`.
    pub(crate) filter_bots: bool,
}

/// An offer as the resolution reads it.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = offers, check_for_backend(Pg))]
struct CandidateRow {
    id: String,
    code: String,
    external_id: Option<String>,
    external_platform: Option<String>,
    status: String,
    tracking_url: String,
    filter_bots: bool,
}

impl CandidateRow {
    /// True when a link may point at this offer: it is active and, for a platform link
    /// (§9.2), it has an external platform.
    fn linkable(&self, offer: &LinkOffer) -> bool {
        OfferStatus::parse(&self.status) == Some(OfferStatus::Active)
            && (self.external_platform.is_some() || !offer.from_platform)
    }

    fn resolved(&self) -> Result<ResolvedOffer, StoreError> {
        Ok(ResolvedOffer {
            id: ObjectId::parse(&self.id)
                .ok_or_else(|| StoreError::Other(format!("offer {} has an invalid id", self.id)))?,
            tracking_url: self.tracking_url.clone(),
            filter_bots: self.filter_bots,
        })
    }
}

/// For each request, in order: its offer (`None` in URL mode) or why there is none.
pub(crate) fn resolve_offers(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    requests: &[NewLink],
) -> Result<Vec<Result<Option<ResolvedOffer>, LinkRefused>>, StoreError> {
    let mut ids = BTreeSet::new();
    let mut codes = BTreeSet::new();
    let mut externals = BTreeSet::new();
    for request in requests {
        if let LinkDestination::Offer(offer) = &request.destination {
            match &offer.key {
                OfferKey::Id(id) => ids.insert(id.as_str()),
                OfferKey::Code(code) => codes.insert(code.as_str()),
                OfferKey::External(external) => externals.insert(external.as_str()),
                OfferKey::Nothing => false,
            };
        }
    }
    let candidates: Vec<CandidateRow> =
        if ids.is_empty() && codes.is_empty() && externals.is_empty() {
            Vec::new()
        } else {
            offers::table
                .filter(offers::account_id.eq(account_id.as_str()))
                .filter(
                    offers::id
                        .eq_any(&ids)
                        .or(offers::code.eq_any(&codes))
                        .or(offers::external_id.eq_any(&externals)),
                )
                .select(CandidateRow::as_select())
                .load(conn)?
        };
    requests
        .iter()
        .map(|request| match &request.destination {
            LinkDestination::Url(_) => Ok(Ok(None)),
            LinkDestination::Offer(offer) => match pick(&candidates, offer) {
                Ok(row) => row.resolved().map(|resolved| Ok(Some(resolved))),
                Err(refused) => Ok(Err(refused)),
            },
        })
        .collect()
}

/// The one linkable candidate `offer` names.
fn pick<'a>(
    candidates: &'a [CandidateRow],
    offer: &LinkOffer,
) -> Result<&'a CandidateRow, LinkRefused> {
    let named = |row: &&CandidateRow| match &offer.key {
        OfferKey::Id(id) => row.id == id.as_str(),
        OfferKey::Code(code) => row.code == code.as_str(),
        OfferKey::External(external) => row.external_id.as_deref() == Some(external.as_str()),
        OfferKey::Nothing => false,
    };
    let mut linkable = candidates
        .iter()
        .filter(named)
        .filter(|row| row.linkable(offer));
    match (linkable.next(), linkable.next()) {
        (Some(row), None) => Ok(row),
        (Some(_), Some(_)) => Err(LinkRefused::AmbiguousOffer),
        (None, _) => Err(LinkRefused::OfferNotFound),
    }
}
