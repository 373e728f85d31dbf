//! Revenue (SPEC §6): recording validated records in one round trip, and listing.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Jsonb, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use trackly_domain::offer::OfferRef;
use trackly_domain::query::Page;
use trackly_domain::revenue::{
    AttributionType, EventType, RecordOutcome, Recorded, RevenueEvent, RevenueFilter, RevenueInput,
    Unattributed,
};
use trackly_domain::{Amount, ObjectId};

use crate::error::StoreError;
use crate::offers::offer_id;
use crate::schema::revenue_events;
use crate::secrets::new_id;

#[derive(QueryableByName)]
struct OutcomeRow {
    #[diesel(sql_type = Integer)]
    rec_idx: i32,
    #[diesel(sql_type = Text)]
    rec_outcome: String,
    #[diesel(sql_type = Nullable<Text>)]
    rec_revenue_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    rec_offer_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    rec_click_id: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    rec_message_id: Option<String>,
    #[diesel(sql_type = Nullable<Numeric>)]
    rec_revenue: Option<Decimal>,
}

/// Records `records` for the account in one database round trip. Each record stands
/// alone; the outcomes come back in the order of `records`.
pub fn record_revenue(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    records: &[RevenueInput],
    now: DateTime<Utc>,
) -> Result<Vec<RecordOutcome>, StoreError> {
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let input: Vec<Value> = records
        .iter()
        .enumerate()
        .map(|(index, record)| record_json(index, record, now))
        .collect();
    let rows: Vec<OutcomeRow> =
        diesel::sql_query("SELECT * FROM trackly_record_revenue($1, $2, $3)")
            .bind::<Text, _>(account_id.as_str())
            .bind::<Jsonb, _>(Value::Array(input))
            .bind::<Timestamptz, _>(now)
            .load(conn)?;
    let mut outcomes: Vec<Option<RecordOutcome>> = vec![None; records.len()];
    for row in rows {
        let index = usize::try_from(row.rec_idx)
            .map_err(|_| StoreError::Other("bad record index".to_owned()))?;
        let corrupt =
            |what: &str| StoreError::Other(format!("a recorded event has an invalid {what}"));
        let outcome = match row.rec_outcome.as_str() {
            "created" | "duplicate" => Ok(Recorded {
                duplicate: row.rec_outcome == "duplicate",
                revenue_id: row
                    .rec_revenue_id
                    .as_deref()
                    .and_then(ObjectId::parse)
                    .ok_or_else(|| corrupt("id"))?,
                offer_id: row
                    .rec_offer_id
                    .as_deref()
                    .and_then(ObjectId::parse)
                    .ok_or_else(|| corrupt("offer id"))?,
                click_id: row.rec_click_id,
                message_id: row.rec_message_id,
                revenue: row
                    .rec_revenue
                    .and_then(Amount::new)
                    .ok_or_else(|| corrupt("amount"))?,
            }),
            other => Err(Unattributed::parse(other)
                .ok_or_else(|| StoreError::Other(format!("unknown revenue outcome {other}")))?),
        };
        if let Some(slot) = outcomes.get_mut(index) {
            *slot = Some(outcome);
        }
    }
    outcomes
        .into_iter()
        .map(|outcome| {
            outcome.ok_or_else(|| StoreError::Other("a revenue record got no outcome".to_owned()))
        })
        .collect()
}

/// One record as the SQL function reads it.
fn record_json(index: usize, record: &RevenueInput, now: DateTime<Utc>) -> Value {
    let offer = record.offer.as_ref();
    json!({
        "idx": index,
        "id": new_id(now).as_str(),
        "click_id": record.click.as_ref().map(|click| click.text()),
        "click_second": record.click.as_ref().and_then(|click| click.id()).map(ObjectId::unix_seconds),
        "offer_id": offer.and_then(|offer| offer.id()).map(ObjectId::as_str),
        "offer_code": offer.and_then(|offer| offer.code()).map(|code| code.as_str()),
        "offer_ref": offer.map(|offer| offer.text()),
        "revenue": record.revenue.map(|amount| amount.value().to_string()),
        "message_id": record.message_id,
        "attribution_type": record.attribution_type.as_str(),
        "event_type": record.event_type.as_str(),
        "txn_id": record.txn_id,
        "occurred_at": record.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    })
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = revenue_events, check_for_backend(Pg))]
struct EventRow {
    id: String,
    offer_id: String,
    click_id: Option<String>,
    message_id: Option<String>,
    txn_id: Option<String>,
    revenue: Decimal,
    event_type: String,
    attribution_type: String,
    occurred_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
}

impl TryFrom<EventRow> for RevenueEvent {
    type Error = StoreError;

    fn try_from(row: EventRow) -> Result<Self, StoreError> {
        let corrupt = |what: &str| {
            StoreError::Other(format!("revenue event {} has an invalid {what}", row.id))
        };
        Ok(RevenueEvent {
            id: ObjectId::parse(&row.id).ok_or_else(|| corrupt("id"))?,
            offer_id: ObjectId::parse(&row.offer_id).ok_or_else(|| corrupt("offer id"))?,
            click_id: row.click_id,
            message_id: row.message_id,
            txn_id: row.txn_id,
            revenue: Amount::new(row.revenue).ok_or_else(|| corrupt("revenue"))?,
            event_type: EventType::parse(&row.event_type).ok_or_else(|| corrupt("event type"))?,
            attribution_type: AttributionType::parse(&row.attribution_type)
                .ok_or_else(|| corrupt("attribution"))?,
            occurred_at: row.occurred_at,
            created_at: row.created_at,
        })
    }
}

/// The account's event with the transaction id `txn_id`, if there is one.
pub fn find_revenue_by_txn(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    txn_id: &str,
) -> Result<Option<RevenueEvent>, StoreError> {
    revenue_events::table
        .filter(revenue_events::account_id.eq(account_id.as_str()))
        .filter(revenue_events::txn_id.eq(txn_id))
        .select(EventRow::as_select())
        .first(conn)
        .optional()?
        .map(RevenueEvent::try_from)
        .transpose()
}

/// One page of the account's revenue events matching `filter`, newest `occurred_at`
/// first, and how many match. An `offer_id` naming no offer of the account matches none.
pub fn list_revenue(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    filter: &RevenueFilter,
    page: Page,
) -> Result<(Vec<RevenueEvent>, u64), StoreError> {
    let offer_id = match filter.offer.as_deref() {
        None => None,
        Some(text) => match OfferRef::parse(text) {
            Some(offer) => match offer_id(conn, account_id, &offer)? {
                Some(id) => Some(id),
                None => return Ok((Vec::new(), 0)),
            },
            None => return Ok((Vec::new(), 0)),
        },
    };
    let filtered = || {
        let mut query = revenue_events::table
            .filter(revenue_events::account_id.eq(account_id.as_str()))
            .into_boxed();
        if let Some(offer_id) = &offer_id {
            query = query.filter(revenue_events::offer_id.eq(offer_id.clone()));
        }
        if let Some(from) = filter.from {
            query = query
                .filter(revenue_events::occurred_at.ge(from.and_time(NaiveTime::MIN).and_utc()));
        }
        if let Some(to) = filter.to {
            let end = to.and_time(NaiveTime::MIN).and_utc() + Duration::days(1);
            query = query.filter(revenue_events::occurred_at.lt(end));
        }
        if let Some(event_type) = filter.event_type {
            query = query.filter(revenue_events::event_type.eq(event_type.as_str()));
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let total = u64::try_from(total).unwrap_or_default();
    if u64::try_from(page.offset()).unwrap_or(u64::MAX) >= total {
        return Ok((Vec::new(), total));
    }
    let rows: Vec<EventRow> = filtered()
        .order((
            revenue_events::occurred_at.desc(),
            revenue_events::id.desc(),
        ))
        .limit(i64::from(page.per_page))
        .offset(page.offset())
        .select(EventRow::as_select())
        .load(conn)?;
    let events = rows
        .into_iter()
        .map(RevenueEvent::try_from)
        .collect::<Result<_, _>>()?;
    Ok((events, total))
}
