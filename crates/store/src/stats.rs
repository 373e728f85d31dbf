//! Stats (SPEC §7) from the daily click rollups and the revenue events, one query each.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;
use trackly_domain::offer::OfferRef;
use trackly_domain::offer::OfferStatus;
use trackly_domain::query::Page;
use trackly_domain::stats::{Counts, DateRange, DayCounts, OfferTotals};
use trackly_domain::ObjectId;

use crate::error::StoreError;
use crate::offers::offer_id;

/// The SPEC §7 counts of one row.
#[derive(Debug, Clone, Default, PartialEq, QueryableByName)]
struct CountsRow {
    /// Clicks that count (bots left out when the offer filters them).
    #[diesel(sql_type = BigInt)]
    pub clicks: i64,
    /// Distinct (ip, user agent) among counted clicks, summed over days.
    #[diesel(sql_type = BigInt)]
    pub unique_clicks: i64,
    /// Bot clicks, always.
    #[diesel(sql_type = BigInt)]
    pub bot_clicks: i64,
    /// First clicks (SPEC §9.4).
    #[diesel(sql_type = BigInt)]
    pub first_clicks: i64,
    /// Events that are not refunds or chargebacks.
    #[diesel(sql_type = BigInt)]
    pub conversions: i64,
    /// Event revenue minus refunds and chargebacks, plus payout per counted click for cpc.
    #[diesel(sql_type = Numeric)]
    pub revenue: Decimal,
}

impl From<CountsRow> for Counts {
    fn from(row: CountsRow) -> Self {
        Self {
            clicks: row.clicks,
            unique_clicks: row.unique_clicks,
            bot_clicks: row.bot_clicks,
            first_clicks: row.first_clicks,
            conversions: row.conversions,
            revenue: row.revenue,
        }
    }
}

/// One day of an offer's stats, as read.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
struct DayRow {
    /// The UTC day.
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    /// Its counts.
    #[diesel(embed)]
    counts: CountsRow,
}

/// The per-day counts of one offer (`$2`, its id), every day of the range present. Reads
/// the rollups of `click_daily` (≤ 366 rows) and aggregates the offer's revenue events
/// by day. The offer id is a plain parameter so the planner sees the value and uses the
/// per-offer indexes.
const OFFER_DAYS_SQL: &str = "
WITH o AS (
    SELECT id, filter_bots, payout_type, payout FROM offers WHERE account_id = $1 AND id = $2
),
c AS (
    SELECT day, clicks, bot_clicks, unique_clicks, unique_human_clicks, first_clicks FROM click_daily
     WHERE account_id = $1 AND offer_id = $2 AND day BETWEEN $3 AND $4
),
r AS (
    SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day,
           count(*) FILTER (WHERE event_type NOT IN ('refund', 'chargeback')) AS conversions,
           sum(CASE WHEN event_type IN ('refund', 'chargeback') THEN -revenue ELSE revenue END) AS net
      FROM revenue_events
     WHERE account_id = $1 AND offer_id = $2 AND occurred_at >= $5 AND occurred_at < $6
     GROUP BY 1
),
d AS (
    SELECT g.day::date AS day,
           coalesce(c.clicks, 0) - CASE WHEN o.filter_bots THEN coalesce(c.bot_clicks, 0) ELSE 0 END AS clicks,
           CASE WHEN o.filter_bots THEN coalesce(c.unique_human_clicks, 0) ELSE coalesce(c.unique_clicks, 0) END
               AS unique_clicks,
           coalesce(c.bot_clicks, 0) AS bot_clicks,
           coalesce(c.first_clicks, 0) AS first_clicks,
           coalesce(r.conversions, 0) AS conversions,
           coalesce(r.net, 0) AS net,
           o.payout_type, o.payout, o.id AS offer_id
      FROM o
     CROSS JOIN generate_series($3::date, $4::date, interval '1 day') AS g(day)
      LEFT JOIN c ON c.day = g.day::date
      LEFT JOIN r ON r.day = g.day::date
)
SELECT day, clicks, unique_clicks, bot_clicks, first_clicks, conversions,
       net + CASE WHEN payout_type = 'cpc' THEN clicks * payout ELSE 0 END AS revenue
  FROM d ORDER BY day";

/// The offer's id and every day of `range` for it, or `NotFound`.
pub fn offer_days(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    offer: &OfferRef,
    range: DateRange,
) -> Result<(ObjectId, Vec<DayCounts>), StoreError> {
    let offer_id = offer_id(conn, account_id, offer)?.ok_or(StoreError::NotFound)?;
    let days = days_of_offer(conn, account_id, &offer_id, range)?;
    let offer_id = ObjectId::parse(&offer_id).ok_or(StoreError::NotFound)?;
    Ok((offer_id, days))
}

/// Every day of `range` for the account's offer `offer_id` (already known to be its;
/// `NotFound` otherwise).
pub fn days_of_offer(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    offer_id: &str,
    range: DateRange,
) -> Result<Vec<DayCounts>, StoreError> {
    let (start, end) = bounds(range);
    let rows: Vec<DayRow> = diesel::sql_query(OFFER_DAYS_SQL)
        .bind::<Text, _>(account_id.as_str())
        .bind::<Text, _>(offer_id)
        .bind::<Date, _>(range.from)
        .bind::<Date, _>(range.to)
        .bind::<Timestamptz, _>(start)
        .bind::<Timestamptz, _>(end)
        .load(conn)?;
    if rows.is_empty() {
        return Err(StoreError::NotFound);
    }
    Ok(rows
        .into_iter()
        .map(|row| DayCounts {
            day: row.day,
            counts: row.counts.into(),
        })
        .collect())
}

/// An offer's totals in the account overview, as read.
#[derive(Debug, Clone, PartialEq, QueryableByName)]
struct OfferTotalsRow {
    /// The offer id.
    #[diesel(sql_type = Text)]
    offer_id: String,
    /// Its name.
    #[diesel(sql_type = Text)]
    name: String,
    /// Its status.
    #[diesel(sql_type = Text)]
    status: String,
    /// Its counts over the range.
    #[diesel(embed)]
    counts: CountsRow,
}

impl TryFrom<OfferTotalsRow> for OfferTotals {
    type Error = StoreError;

    fn try_from(row: OfferTotalsRow) -> Result<Self, StoreError> {
        let corrupt = || StoreError::Other(format!("offer {} has an invalid row", row.offer_id));
        Ok(Self {
            offer_id: ObjectId::parse(&row.offer_id).ok_or_else(corrupt)?,
            status: OfferStatus::parse(&row.status).ok_or_else(corrupt)?,
            name: row.name,
            counts: row.counts.into(),
        })
    }
}

/// The totals of every offer of the account that is not archived, highest revenue first.
const ACCOUNT_OFFERS_SQL: &str = "
WITH c AS (
    SELECT offer_id, sum(clicks) AS clicks, sum(bot_clicks) AS bot_clicks,
           sum(unique_clicks) AS unique_clicks, sum(unique_human_clicks) AS unique_human_clicks,
           sum(first_clicks) AS first_clicks
      FROM click_daily WHERE account_id = $1 AND day BETWEEN $2 AND $3 GROUP BY offer_id
),
r AS (
    SELECT offer_id,
           count(*) FILTER (WHERE event_type NOT IN ('refund', 'chargeback')) AS conversions,
           sum(CASE WHEN event_type IN ('refund', 'chargeback') THEN -revenue ELSE revenue END) AS net
      FROM revenue_events WHERE account_id = $1 AND occurred_at >= $4 AND occurred_at < $5 GROUP BY offer_id
),
t AS (
    SELECT o.id AS offer_id, o.name, o.status, o.created_at, o.payout_type, o.payout,
           (coalesce(c.clicks, 0) - CASE WHEN o.filter_bots THEN coalesce(c.bot_clicks, 0) ELSE 0 END)::bigint AS clicks,
           (CASE WHEN o.filter_bots THEN coalesce(c.unique_human_clicks, 0) ELSE coalesce(c.unique_clicks, 0) END)::bigint
               AS unique_clicks,
           coalesce(c.bot_clicks, 0)::bigint AS bot_clicks,
           coalesce(c.first_clicks, 0)::bigint AS first_clicks,
           coalesce(r.conversions, 0) AS conversions,
           coalesce(r.net, 0) AS net
      FROM offers o
      LEFT JOIN c ON c.offer_id = o.id
      LEFT JOIN r ON r.offer_id = o.id
     WHERE o.account_id = $1 AND o.status <> 'archived'
)
SELECT offer_id, name, status, clicks, unique_clicks, bot_clicks, first_clicks, conversions,
       net + CASE WHEN payout_type = 'cpc' THEN clicks * payout ELSE 0 END AS revenue
  FROM t
 ORDER BY revenue DESC, created_at DESC, offer_id DESC
 LIMIT $6 OFFSET $7";

/// One page of the account's offers with their totals, and how many offers there are.
pub fn account_offer_totals(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    range: DateRange,
    page: Page,
) -> Result<(Vec<OfferTotals>, u64), StoreError> {
    use crate::schema::offers;
    let total: i64 = offers::table
        .filter(offers::account_id.eq(account_id.as_str()))
        .filter(offers::status.ne("archived"))
        .count()
        .get_result(conn)?;
    let total = u64::try_from(total).unwrap_or_default();
    if u64::try_from(page.offset()).unwrap_or(u64::MAX) >= total {
        return Ok((Vec::new(), total));
    }
    let (start, end) = bounds(range);
    let rows: Vec<OfferTotalsRow> = diesel::sql_query(ACCOUNT_OFFERS_SQL)
        .bind::<Text, _>(account_id.as_str())
        .bind::<Date, _>(range.from)
        .bind::<Date, _>(range.to)
        .bind::<Timestamptz, _>(start)
        .bind::<Timestamptz, _>(end)
        .bind::<BigInt, _>(i64::from(page.per_page))
        .bind::<BigInt, _>(page.offset())
        .load(conn)?;
    let rows = rows
        .into_iter()
        .map(OfferTotals::try_from)
        .collect::<Result<_, _>>()?;
    Ok((rows, total))
}

/// The per-day counts of the whole account, every day of the range present: each offer's
/// day counted by its own rules (bots left out where it filters them, cpc payout per
/// counted click), then summed by day. Revenue events without an offer count as events.
const ACCOUNT_DAYS_SQL: &str = "
WITH c AS (
    SELECT offer_id, day, clicks, bot_clicks, unique_clicks, unique_human_clicks, first_clicks
      FROM click_daily WHERE account_id = $1 AND day BETWEEN $2 AND $3
),
r AS (
    SELECT offer_id, (occurred_at AT TIME ZONE 'UTC')::date AS day,
           count(*) FILTER (WHERE event_type NOT IN ('refund', 'chargeback')) AS conversions,
           sum(CASE WHEN event_type IN ('refund', 'chargeback') THEN -revenue ELSE revenue END) AS net
      FROM revenue_events
     WHERE account_id = $1 AND occurred_at >= $4 AND occurred_at < $5
     GROUP BY 1, 2
),
od AS (
    SELECT coalesce(c.offer_id, r.offer_id) AS offer_id, coalesce(c.day, r.day) AS day,
           coalesce(c.clicks, 0) AS clicks, coalesce(c.bot_clicks, 0) AS bot_clicks,
           coalesce(c.unique_clicks, 0) AS unique_clicks,
           coalesce(c.unique_human_clicks, 0) AS unique_human_clicks,
           coalesce(c.first_clicks, 0) AS first_clicks,
           coalesce(r.conversions, 0) AS conversions, coalesce(r.net, 0) AS net
      FROM c FULL JOIN r ON r.offer_id IS NOT DISTINCT FROM c.offer_id AND r.day = c.day
),
per AS (
    SELECT od.day,
           od.clicks - CASE WHEN o.filter_bots THEN od.bot_clicks ELSE 0 END AS clicks,
           CASE WHEN o.filter_bots THEN od.unique_human_clicks ELSE od.unique_clicks END AS unique_clicks,
           od.bot_clicks, od.first_clicks, od.conversions, od.net, o.payout_type, o.payout
      FROM od LEFT JOIN offers o ON o.account_id = $1 AND o.id = od.offer_id
)
SELECT g.day::date AS day,
       coalesce(sum(per.clicks), 0)::bigint AS clicks,
       coalesce(sum(per.unique_clicks), 0)::bigint AS unique_clicks,
       coalesce(sum(per.bot_clicks), 0)::bigint AS bot_clicks,
       coalesce(sum(per.first_clicks), 0)::bigint AS first_clicks,
       coalesce(sum(per.conversions), 0)::bigint AS conversions,
       coalesce(sum(per.net + CASE WHEN per.payout_type = 'cpc' THEN per.clicks * per.payout ELSE 0 END), 0)
           AS revenue
  FROM generate_series($2::date, $3::date, interval '1 day') AS g(day)
  LEFT JOIN per ON per.day = g.day::date
 GROUP BY g.day ORDER BY g.day";

/// Every day of `range` for the whole account, every offer (archived ones included:
/// their history still counts).
pub fn account_days(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    range: DateRange,
) -> Result<Vec<DayCounts>, StoreError> {
    let (start, end) = bounds(range);
    let rows: Vec<DayRow> = diesel::sql_query(ACCOUNT_DAYS_SQL)
        .bind::<Text, _>(account_id.as_str())
        .bind::<Date, _>(range.from)
        .bind::<Date, _>(range.to)
        .bind::<Timestamptz, _>(start)
        .bind::<Timestamptz, _>(end)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| DayCounts {
            day: row.day,
            counts: row.counts.into(),
        })
        .collect())
}

/// The first instant of the range and the first instant after it.
fn bounds(range: DateRange) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        range.from.and_time(NaiveTime::MIN).and_utc(),
        range.to.and_time(NaiveTime::MIN).and_utc() + Duration::days(1),
    )
}
