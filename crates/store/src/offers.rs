//! Offer queries (SPEC §3): create, find, list, update with the atomic metadata merge,
//! archive. Every query is scoped to one account.

use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{Array, Bool, Jsonb, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;
use trackly_domain::offer::{
    too_many_keys, Change, ExternalPlatform, Metadata, OfferName, OfferRef, OfferStatus,
    PayoutType, TrackingUrl,
};
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::{Amount, NewOffer, ObjectId, Offer, OfferCode, OfferPatch};

use crate::error::StoreError;
use crate::schema::offers;
use crate::secrets::{new_id, new_offer_code};

/// How many fresh id/code pairs an insert tries before giving up (a clash needs two
/// equal random codes out of 36⁶, so a second try is already rare).
const INSERT_ATTEMPTS: usize = 8;

/// An `offers` row as stored.
#[derive(Debug, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = offers, check_for_backend(Pg))]
struct OfferRow {
    id: String,
    account_id: String,
    code: String,
    name: String,
    tracking_url: String,
    external_platform: Option<String>,
    external_id: Option<String>,
    advertiser_id: Option<String>,
    payout: Decimal,
    payout_type: String,
    filter_bots: bool,
    status: String,
    metadata: serde_json::Value,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<OfferRow> for Offer {
    type Error = StoreError;

    fn try_from(row: OfferRow) -> Result<Self, StoreError> {
        let corrupt =
            |what: &str| StoreError::Other(format!("offer {} has an invalid {what}", row.id));
        let metadata = serde_json::from_value(row.metadata.clone())
            .ok()
            .and_then(|map| Metadata::from_map(map).ok())
            .ok_or_else(|| corrupt("metadata"))?;
        let external_platform = match &row.external_platform {
            Some(text) => Some(ExternalPlatform::parse(text).ok_or_else(|| corrupt("platform"))?),
            None => None,
        };
        Ok(Offer {
            id: ObjectId::parse(&row.id).ok_or_else(|| corrupt("id"))?,
            account_id: ObjectId::parse(&row.account_id).ok_or_else(|| corrupt("account id"))?,
            code: OfferCode::parse(&row.code).ok_or_else(|| corrupt("code"))?,
            name: OfferName::parse(&row.name).map_err(|_| corrupt("name"))?,
            tracking_url: TrackingUrl::parse(&row.tracking_url)
                .ok_or_else(|| corrupt("tracking URL"))?,
            external_platform,
            external_id: row.external_id,
            advertiser_id: row.advertiser_id,
            payout: Amount::new(row.payout).ok_or_else(|| corrupt("payout"))?,
            payout_type: PayoutType::parse(&row.payout_type)
                .ok_or_else(|| corrupt("payout type"))?,
            filter_bots: row.filter_bots,
            status: OfferStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
            metadata,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Stores a new offer for `account_id` with a fresh id and code, retrying when a code
/// is already taken. One statement claims the code in the service-wide directory of
/// codes and inserts the offer only when the claim succeeded.
pub fn insert_offer(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    offer: &NewOffer,
    now: DateTime<Utc>,
) -> Result<Offer, StoreError> {
    let metadata = metadata_json(offer.metadata.entries());
    for _ in 0..INSERT_ATTEMPTS {
        let id = new_id(now);
        let code = new_offer_code();
        let inserted: Option<OfferRow> = diesel::sql_query(
            "WITH claimed AS ( \
                 INSERT INTO offer_codes (code, account_id, offer_id) VALUES ($3, $2, $1) \
                 ON CONFLICT DO NOTHING RETURNING code) \
             INSERT INTO offers (id, account_id, code, name, tracking_url, external_platform, \
                                 external_id, advertiser_id, payout, payout_type, filter_bots, \
                                 status, metadata, created_at, updated_at) \
             SELECT $1, $2, code, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14 \
               FROM claimed \
             RETURNING *",
        )
        .bind::<Text, _>(id.as_str())
        .bind::<Text, _>(account_id.as_str())
        .bind::<Text, _>(code.as_str())
        .bind::<Text, _>(offer.name.as_str())
        .bind::<Text, _>(offer.tracking_url.as_str())
        .bind::<Nullable<Text>, _>(offer.external_platform.map(ExternalPlatform::as_str))
        .bind::<Nullable<Text>, _>(offer.external_id.as_deref())
        .bind::<Nullable<Text>, _>(offer.advertiser_id.as_deref())
        .bind::<Numeric, _>(offer.payout.value())
        .bind::<Text, _>(offer.payout_type.as_str())
        .bind::<Bool, _>(offer.filter_bots)
        .bind::<Text, _>(offer.status.as_str())
        .bind::<Jsonb, _>(&metadata)
        .bind::<Timestamptz, _>(now)
        .get_result(conn)
        .optional()?;
        if let Some(row) = inserted {
            return row.try_into();
        }
    }
    Err(StoreError::Conflict(
        "no free offer code was found".to_owned(),
    ))
}

/// The offer of `account_id` named by `offer`, if there is one. Each branch is a static
/// query, so diesel keeps it as a prepared statement (this is the hot read path).
pub fn find_offer(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    offer: &OfferRef,
) -> Result<Option<Offer>, StoreError> {
    let of_account = offers::table
        .filter(offers::account_id.eq(account_id.as_str()))
        .select(OfferRow::as_select());
    let row = match offer {
        OfferRef::Id(id) => of_account.filter(offers::id.eq(id.as_str())).first(conn),
        OfferRef::Code(code) => of_account
            .filter(offers::code.eq(code.as_str()))
            .first(conn),
    };
    row.optional()?.map(Offer::try_from).transpose()
}

/// The account's twin of a platform offer: the oldest of its offers with this platform
/// and external id, locked until the transaction ends so a concurrent sync waits for it.
pub fn find_offer_twin(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    platform: ExternalPlatform,
    external_id: &str,
) -> Result<Option<Offer>, StoreError> {
    offers::table
        .filter(offers::account_id.eq(account_id.as_str()))
        .filter(offers::external_id.eq(external_id))
        .filter(offers::external_platform.eq(platform.as_str()))
        .order((offers::created_at.asc(), offers::id.asc()))
        .select(OfferRow::as_select())
        .for_update()
        .first(conn)
        .optional()?
        .map(Offer::try_from)
        .transpose()
}

/// The id of the account's offer with this platform and external id (the oldest, when
/// several share them).
pub fn offer_id_by_external(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    platform: ExternalPlatform,
    external_id: &str,
) -> Result<Option<ObjectId>, StoreError> {
    let id: Option<String> = offers::table
        .filter(offers::account_id.eq(account_id.as_str()))
        .filter(offers::external_id.eq(external_id))
        .filter(offers::external_platform.eq(platform.as_str()))
        .order((offers::created_at.asc(), offers::id.asc()))
        .select(offers::id)
        .first(conn)
        .optional()?;
    Ok(id.as_deref().and_then(ObjectId::parse))
}

/// The id of the account's offer named by `offer`, if there is one.
pub fn offer_id(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    offer: &OfferRef,
) -> Result<Option<String>, StoreError> {
    let of_account = offers::table
        .filter(offers::account_id.eq(account_id.as_str()))
        .select(offers::id);
    let id = match offer {
        OfferRef::Id(id) => of_account.filter(offers::id.eq(id.as_str())).first(conn),
        OfferRef::Code(code) => of_account
            .filter(offers::code.eq(code.as_str()))
            .first(conn),
    };
    id.optional().map_err(StoreError::from)
}

/// One page of the account's offers matching `filter`, newest first, and how many match
/// in all.
pub fn list_offers(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    filter: &OfferFilter,
    page: Page,
) -> Result<(Vec<Offer>, u64), StoreError> {
    let total: i64 = filtered(account_id, filter).count().get_result(conn)?;
    let total = u64::try_from(total).unwrap_or_default();
    if u64::try_from(page.offset()).unwrap_or(u64::MAX) >= total {
        return Ok((Vec::new(), total));
    }
    let rows: Vec<OfferRow> = filtered(account_id, filter)
        .order((offers::created_at.desc(), offers::id.desc()))
        .limit(i64::from(page.per_page))
        .offset(page.offset())
        .select(OfferRow::as_select())
        .load(conn)?;
    let offers = rows
        .into_iter()
        .map(Offer::try_from)
        .collect::<Result<_, _>>()?;
    Ok((offers, total))
}

/// The fields an update writes; `None` leaves a column as it is.
#[derive(AsChangeset)]
#[diesel(table_name = offers)]
struct OfferChanges<'a> {
    name: Option<&'a str>,
    tracking_url: Option<&'a str>,
    external_platform: Option<Option<&'a str>>,
    external_id: Option<Option<&'a str>>,
    advertiser_id: Option<Option<&'a str>>,
    payout: Option<Decimal>,
    payout_type: Option<&'a str>,
    filter_bots: Option<bool>,
    status: Option<&'a str>,
    updated_at: DateTime<Utc>,
}

/// Applies `patch` to the account's offer in one statement: the metadata merge happens
/// in SQL, so concurrent merges of different keys all survive. `updated_at` moves to
/// `now` only when a column really changed. `Ok(None)` when there is no such offer.
pub fn update_offer(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    offer: &OfferRef,
    patch: &OfferPatch,
    now: DateTime<Utc>,
) -> Result<Option<Offer>, StoreError> {
    let changes = OfferChanges {
        name: patch.name.as_ref().map(OfferName::as_str),
        tracking_url: patch.tracking_url.as_ref().map(TrackingUrl::as_str),
        external_platform: change(&patch.external_platform).map(|p| p.map(|p| p.as_str())),
        external_id: change(&patch.external_id).map(|id| id.map(String::as_str)),
        advertiser_id: change(&patch.advertiser_id).map(|id| id.map(String::as_str)),
        payout: patch.payout.map(Amount::value),
        payout_type: patch.payout_type.map(PayoutType::as_str),
        filter_bots: patch.filter_bots,
        status: patch.status.map(OfferStatus::as_str),
        updated_at: now,
    };
    let (set, remove) = match &patch.metadata {
        Some(metadata) => (metadata_json(&metadata.set), metadata.remove.clone()),
        None => (
            serde_json::Value::Object(serde_json::Map::new()),
            Vec::new(),
        ),
    };
    let merged_metadata = sql::<Jsonb>("(metadata || ")
        .bind::<Jsonb, _>(set)
        .sql(") - ")
        .bind::<Array<Text>, _>(remove);
    diesel::update(
        offers::table
            .filter(offers::account_id.eq(account_id.as_str()))
            .filter(named(offer)),
    )
    .set((changes, offers::metadata.eq(merged_metadata)))
    .returning(OfferRow::as_returning())
    .get_result(conn)
    .optional()
    .map_err(|error| match error {
        DieselError::DatabaseError(DatabaseErrorKind::CheckViolation, ref info)
            if info.constraint_name() == Some("offers_metadata_limits") =>
        {
            StoreError::Rejected(too_many_keys())
        }
        other => other.into(),
    })?
    .map(Offer::try_from)
    .transpose()
}

/// Archives the account's offer (a soft delete; archiving twice is fine) and returns its
/// tracking code. `NotFound` when there is no such offer.
pub fn archive_offer(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    offer: &OfferRef,
    now: DateTime<Utc>,
) -> Result<OfferCode, StoreError> {
    let code: String = diesel::update(
        offers::table
            .filter(offers::account_id.eq(account_id.as_str()))
            .filter(named(offer)),
    )
    .set((
        offers::status.eq(OfferStatus::Archived.as_str()),
        offers::updated_at.eq(now),
    ))
    .returning(offers::code)
    .get_result(conn)?;
    OfferCode::parse(&code)
        .ok_or_else(|| StoreError::Other(format!("an offer has the invalid code {code:?}")))
}

/// The condition "is the offer named by `offer`".
fn named(offer: &OfferRef) -> Box<dyn BoxableExpression<offers::table, Pg, SqlType = Bool> + '_> {
    match offer {
        OfferRef::Id(id) => Box::new(offers::id.eq(id.as_str())),
        OfferRef::Code(code) => Box::new(offers::code.eq(code.as_str())),
    }
}

/// The account's offers that match `filter` (SPEC §3.2).
fn filtered<'a>(account_id: &'a ObjectId, filter: &'a OfferFilter) -> offers::BoxedQuery<'a, Pg> {
    let mut query = offers::table
        .filter(offers::account_id.eq(account_id.as_str()))
        .into_boxed();
    query = match filter.status {
        Some(status) => query.filter(offers::status.eq(status.as_str())),
        None => query.filter(offers::status.ne(OfferStatus::Archived.as_str())),
    };
    if let Some(text) = &filter.name_contains {
        query = query.filter(offers::name.ilike(contains_pattern(text)));
    }
    if let Some(platform) = filter.external_platform {
        query = query.filter(offers::external_platform.eq(platform.as_str()));
    }
    if let Some(external_id) = &filter.external_id {
        query = query.filter(offers::external_id.eq(external_id));
    }
    if let Some(advertiser_id) = &filter.advertiser_id {
        query = query.filter(offers::advertiser_id.eq(advertiser_id));
    }
    query
}

/// A `LIKE` pattern matching `text` anywhere, with its wildcards escaped.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

fn change<T>(change: &Change<T>) -> Option<Option<&T>> {
    match change {
        Change::Keep => None,
        Change::Set(value) => Some(value.as_ref()),
    }
}

pub(crate) fn metadata_json(
    entries: &std::collections::BTreeMap<String, String>,
) -> serde_json::Value {
    serde_json::Value::Object(
        entries
            .iter()
            .map(|(key, value)| (key.clone(), serde_json::Value::String(value.clone())))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_pattern_escapes_like_wildcards() {
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
