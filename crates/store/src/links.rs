//! Links (SPEC §9): creating any number in two statements (one resolving their offers,
//! one inserting them), reading one with its stats, the list, and the redirect's lookup.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveTime, SubsecRound, Utc};
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::sql_types::{Array, Jsonb, Nullable, Text, Timestamptz};
use rust_decimal::Decimal;
use trackly_domain::link::{
    Link, LinkDestination, LinkFilter, LinkId, LinkRefused, LinkRoute, NewLink, OfferKey,
    PhoneNumber, RouteTarget,
};
use trackly_domain::offer::{Metadata, OfferRef, PayoutType};
use trackly_domain::query::Page;
use trackly_domain::{ObjectId, OfferCode};

use crate::error::StoreError;
use crate::link_offers::{resolve_offers, ResolvedOffer};
use crate::link_stats::{link_stats, Counting};
use crate::offers::{metadata_json, offer_id};
use crate::schema::{link_ids, links, offers};
use crate::secrets::new_link_id;

/// How many times fresh ids are drawn for links whose id was taken (a clash needs two
/// equal ids out of 62⁷, so a second round is already rare).
const INSERT_ATTEMPTS: usize = 8;

/// A `links` row as stored.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = links, check_for_backend(Pg))]
struct LinkRow {
    id: String,
    account_id: String,
    offer_id: Option<String>,
    url: Option<String>,
    list_id: Option<String>,
    phone_number: Option<String>,
    contact_phone: Option<String>,
    message_id: Option<String>,
    metadata: serde_json::Value,
    created_at: DateTime<Utc>,
}

/// What a link's answer and stats need of its offer.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = offers, check_for_backend(Pg))]
struct LinkOfferRow {
    tracking_url: String,
    filter_bots: bool,
    payout_type: String,
    payout: Decimal,
}

impl LinkOfferRow {
    /// How the offer counts its link's stats: bots left out or not, and a cpc offer's
    /// payout per counted click.
    fn counting(&self) -> Counting {
        Counting {
            filter_bots: self.filter_bots,
            per_click: (PayoutType::parse(&self.payout_type) == Some(PayoutType::Cpc))
                .then_some(self.payout),
        }
    }
}

/// A link row with its offer (none in URL mode) as a domain link.
fn link_of(row: LinkRow, offer: Option<&LinkOfferRow>) -> Result<Link, StoreError> {
    let corrupt = |what: &str| StoreError::Other(format!("link {} has an invalid {what}", row.id));
    let phone = |text: &Option<String>| -> Result<Option<PhoneNumber>, StoreError> {
        text.as_deref()
            .map(|text| PhoneNumber::parse(text).ok_or_else(|| corrupt("phone number")))
            .transpose()
    };
    let destination_url = match (&row.url, offer) {
        (Some(url), _) => url.clone(),
        (None, Some(offer)) => offer.tracking_url.clone(),
        (None, None) => return Err(corrupt("destination")),
    };
    Ok(Link {
        id: LinkId::parse(&row.id).ok_or_else(|| corrupt("id"))?,
        account_id: ObjectId::parse(&row.account_id).ok_or_else(|| corrupt("account id"))?,
        offer_id: row
            .offer_id
            .as_deref()
            .map(|id| ObjectId::parse(id).ok_or_else(|| corrupt("offer id")))
            .transpose()?,
        destination_url,
        filter_bots: offer.is_some_and(|offer| offer.filter_bots),
        phone_number: phone(&row.phone_number)?,
        contact_phone: phone(&row.contact_phone)?,
        metadata: serde_json::from_value(row.metadata.clone())
            .ok()
            .and_then(|map| Metadata::from_map(map).ok())
            .ok_or_else(|| corrupt("metadata"))?,
        list_id: row.list_id,
        message_id: row.message_id,
        created_at: row.created_at,
    })
}

/// One link to insert: its request and the offer it resolved to.
struct Pending<'a> {
    index: usize,
    request: &'a NewLink,
    offer: Option<ResolvedOffer>,
    id: LinkId,
}

/// Creates a link for each request of `account_id`, made at `now`; each stands alone.
/// The outcomes come back in the order of `requests`.
pub fn create_links(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    requests: &[NewLink],
    now: DateTime<Utc>,
) -> Result<Vec<Result<Link, LinkRefused>>, StoreError> {
    // As PostgreSQL keeps it, so the links answered equal the links read back.
    let now = now.trunc_subsecs(6);
    let offers = resolve_offers(conn, account_id, requests)?;
    let mut outcomes: Vec<Option<Result<Link, LinkRefused>>> = vec![None; requests.len()];
    let mut pending = Vec::with_capacity(requests.len());
    for (index, (request, offer)) in requests.iter().zip(offers).enumerate() {
        match offer {
            Err(refused) => outcomes[index] = Some(Err(refused)),
            Ok(offer) => pending.push(Pending {
                index,
                request,
                offer,
                id: new_link_id(),
            }),
        }
    }
    for _ in 0..INSERT_ATTEMPTS {
        if pending.is_empty() {
            break;
        }
        let inserted = insert_pending(conn, account_id, &pending, now)?;
        let mut clashed = Vec::new();
        for link in pending {
            if inserted.contains(link.id.as_str()) {
                outcomes[link.index] = Some(Ok(new_link(account_id, &link, now)));
            } else {
                clashed.push(Pending {
                    id: new_link_id(),
                    ..link
                });
            }
        }
        pending = clashed;
    }
    if !pending.is_empty() {
        return Err(StoreError::Conflict("no free link id was found".to_owned()));
    }
    outcomes
        .into_iter()
        .map(|outcome| {
            outcome.ok_or_else(|| StoreError::Other("a link request got no outcome".to_owned()))
        })
        .collect()
}

/// The link as stored by `insert_pending`.
fn new_link(account_id: &ObjectId, link: &Pending<'_>, now: DateTime<Utc>) -> Link {
    let request = link.request;
    let (offer_id, destination_url, filter_bots) = match (&request.destination, &link.offer) {
        (LinkDestination::Url(url), _) => (None, url.as_str().to_owned(), false),
        (LinkDestination::Offer(_), Some(offer)) => (
            Some(offer.id.clone()),
            offer.tracking_url.clone(),
            offer.filter_bots,
        ),
        // resolve_offers answers every offer-mode request with an offer or a refusal.
        (LinkDestination::Offer(_), None) => unreachable!("an offer link without its offer"),
    };
    Link {
        id: link.id.clone(),
        account_id: account_id.clone(),
        offer_id,
        destination_url,
        filter_bots,
        list_id: request.list_id.clone(),
        phone_number: request.phone_number.clone(),
        contact_phone: request.contact_phone.clone(),
        message_id: request.message_id.clone(),
        metadata: request.metadata.clone(),
        created_at: now,
    }
}

/// Inserts the pending links in one statement, each column as one array, claiming their
/// ids in the service-wide directory of link ids; returns the ids inserted (an id ever
/// taken is skipped, for a new draw).
fn insert_pending(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    pending: &[Pending<'_>],
    now: DateTime<Utc>,
) -> Result<HashSet<String>, StoreError> {
    #[derive(QueryableByName)]
    struct Inserted {
        #[diesel(sql_type = Text)]
        id: String,
    }
    let text = |pick: &dyn Fn(&Pending<'_>) -> Option<String>| -> Vec<Option<String>> {
        pending.iter().map(pick).collect()
    };
    let phone = |phone: &Option<PhoneNumber>| phone.as_ref().map(|phone| phone.as_str().to_owned());
    let inserted: Vec<Inserted> = diesel::sql_query(
        "WITH claimed AS ( \
             INSERT INTO link_ids (id, account_id) SELECT unnest($3::text[]), $1 \
             ON CONFLICT (id) DO NOTHING RETURNING id) \
         INSERT INTO links (id, account_id, offer_id, url, list_id, phone_number, contact_phone, \
                            message_id, metadata, created_at) \
         SELECT l.id, $1, offer_id, url, list_id, phone_number, contact_phone, message_id, \
                metadata, $2 \
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], \
                       $9::text[], $10::jsonb[]) \
                AS l(id, offer_id, url, list_id, phone_number, contact_phone, message_id, metadata) \
           JOIN claimed USING (id) \
         RETURNING id",
    )
    .bind::<Text, _>(account_id.as_str())
    .bind::<Timestamptz, _>(now)
    .bind::<Array<Text>, _>(
        pending
            .iter()
            .map(|link| link.id.as_str())
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Nullable<Text>>, _>(text(&|link| {
        link.offer.as_ref().map(|offer| offer.id.as_str().to_owned())
    }))
    .bind::<Array<Nullable<Text>>, _>(text(&|link| match &link.request.destination {
        LinkDestination::Url(url) => Some(url.as_str().to_owned()),
        LinkDestination::Offer(_) => None,
    }))
    .bind::<Array<Nullable<Text>>, _>(text(&|link| link.request.list_id.clone()))
    .bind::<Array<Nullable<Text>>, _>(text(&|link| phone(&link.request.phone_number)))
    .bind::<Array<Nullable<Text>>, _>(text(&|link| phone(&link.request.contact_phone)))
    .bind::<Array<Nullable<Text>>, _>(text(&|link| link.request.message_id.clone()))
    .bind::<Array<Jsonb>, _>(
        pending
            .iter()
            .map(|link| metadata_json(link.request.metadata.entries()))
            .collect::<Vec<_>>(),
    )
    .load(conn)?;
    Ok(inserted.into_iter().map(|row| row.id).collect())
}

/// The link's row with its offer's, when the link belongs to `account_id`.
fn find_row(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    link_id: &LinkId,
) -> Result<Option<(LinkRow, Option<LinkOfferRow>)>, StoreError> {
    Ok(links::table
        .left_join(offers::table.on(link_offer()))
        .filter(links::id.eq(link_id.as_str()))
        .filter(links::account_id.eq(account_id.as_str()))
        .select((LinkRow::as_select(), Option::<LinkOfferRow>::as_select()))
        .first(conn)
        .optional()?)
}

/// The account's link `link_id` with its stats (SPEC §9.5), if there is one.
pub fn find_link(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    link_id: &LinkId,
) -> Result<Option<(Link, trackly_domain::link::LinkStats)>, StoreError> {
    let Some((row, offer)) = find_row(conn, account_id, link_id)? else {
        return Ok(None);
    };
    let counting = offer
        .as_ref()
        .map_or_else(Counting::default, LinkOfferRow::counting);
    let stats = link_stats(conn, account_id, link_id, counting)?;
    Ok(Some((link_of(row, offer.as_ref())?, stats)))
}

/// One page of the account's links matching `filter`, newest first, and how many match.
/// An `offer_id` naming no offer of the account matches none.
pub fn list_links(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    filter: &LinkFilter,
    page: Page,
) -> Result<(Vec<Link>, u64), StoreError> {
    let offer = match filter.offer.as_deref().map(OfferKey::parse) {
        None => None,
        Some(OfferKey::Id(id)) => offer_id(conn, account_id, &OfferRef::Id(id))?,
        Some(OfferKey::Code(code)) => offer_id(conn, account_id, &OfferRef::Code(code))?,
        Some(OfferKey::External(_) | OfferKey::Nothing) => return Ok((Vec::new(), 0)),
    };
    if filter.offer.is_some() && offer.is_none() {
        return Ok((Vec::new(), 0));
    }
    let filtered = || {
        let mut query = links::table
            .filter(links::account_id.eq(account_id.as_str()))
            .into_boxed();
        if let Some(offer) = &offer {
            query = query.filter(links::offer_id.eq(offer.clone()));
        }
        if let Some(message_id) = &filter.message_id {
            query = query.filter(links::message_id.eq(message_id.clone()));
        }
        if let Some(list_id) = &filter.list_id {
            query = query.filter(links::list_id.eq(list_id.clone()));
        }
        if let Some(from) = filter.from {
            query = query.filter(links::created_at.ge(from.and_time(NaiveTime::MIN).and_utc()));
        }
        if let Some(to) = filter.to {
            let end = to.and_time(NaiveTime::MIN).and_utc() + Duration::days(1);
            query = query.filter(links::created_at.lt(end));
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let total = u64::try_from(total).unwrap_or_default();
    if u64::try_from(page.offset()).unwrap_or(u64::MAX) >= total {
        return Ok((Vec::new(), total));
    }
    let rows: Vec<(LinkRow, Option<LinkOfferRow>)> = filtered()
        .left_join(offers::table.on(link_offer()))
        .order((links::created_at.desc(), links::id.desc()))
        .limit(i64::from(page.per_page))
        .offset(page.offset())
        .select((LinkRow::as_select(), Option::<LinkOfferRow>::as_select()))
        .load(conn)?;
    let links = rows
        .into_iter()
        .map(|(row, offer)| link_of(row, offer.as_ref()))
        .collect::<Result<_, _>>()?;
    Ok((links, total))
}

/// The join condition "is the link's offer" (same account, same id).
#[diesel::dsl::auto_type]
fn link_offer() -> _ {
    offers::account_id
        .eq(links::account_id)
        .and(offers::id.nullable().eq(links::offer_id))
}

/// What following the links `link_ids` needs, in one query: the links that exist, in
/// no particular order (an id missing from the answer names no link). Each id is found
/// through the service-wide directory of link ids, then by its account.
pub fn find_link_routes(
    conn: &mut PgConnection,
    link_ids: &[LinkId],
) -> Result<Vec<LinkRoute>, StoreError> {
    let ids: Vec<&str> = link_ids.iter().map(LinkId::as_str).collect();
    let rows: Vec<(LinkRow, Option<String>)> = link_ids::table
        .inner_join(
            links::table.on(links::account_id
                .eq(link_ids::account_id)
                .and(links::id.eq(link_ids::id))),
        )
        .left_join(offers::table.on(link_offer()))
        .filter(link_ids::id.eq_any(ids))
        .select((LinkRow::as_select(), offers::code.nullable()))
        .load(conn)?;
    rows.into_iter()
        .map(|(row, code)| link_route(row, code))
        .collect()
}

fn link_route(row: LinkRow, code: Option<String>) -> Result<LinkRoute, StoreError> {
    let corrupt = |what: &str| StoreError::Other(format!("link {} has an invalid {what}", row.id));
    let target = match (&row.url, code) {
        (Some(url), _) => RouteTarget::Url(url.clone()),
        (None, Some(code)) => {
            RouteTarget::Offer(OfferCode::parse(&code).ok_or_else(|| corrupt("offer code"))?)
        }
        (None, None) => return Err(corrupt("destination")),
    };
    Ok(LinkRoute {
        link_id: LinkId::parse(&row.id).ok_or_else(|| corrupt("id"))?,
        account_id: ObjectId::parse(&row.account_id).ok_or_else(|| corrupt("account id"))?,
        target,
        contact_phone: row
            .contact_phone
            .as_deref()
            .map(|phone| PhoneNumber::parse(phone).ok_or_else(|| corrupt("contact phone")))
            .transpose()?,
        message_id: row.message_id,
        list_id: row.list_id,
    })
}
