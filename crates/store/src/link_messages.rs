//! Links grouped by message (the dashboard's links page, SPEC §11): each message with its
//! link count, its links' clicks and the revenue credited to it.

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Numeric, Text, Timestamptz};
use rust_decimal::Decimal;
use trackly_domain::link::MessageTotals;
use trackly_domain::query::Page;
use trackly_domain::ObjectId;

use crate::error::StoreError;

/// One page of the account's messages (`$2`: only this one when not null), newest first,
/// from the `link_messages` rollup, with their links' clicks and the revenue events
/// naming them.
const MESSAGES_SQL: &str = "
WITH m AS (
    SELECT message_id, links, last_sent_at
      FROM link_messages
     WHERE account_id = $1 AND ($2::text IS NULL OR message_id = $2)
     ORDER BY last_sent_at DESC, message_id DESC
     LIMIT $3 OFFSET $4
),
c AS (
    SELECT l.message_id,
           count(*) FILTER (WHERE NOT k.is_bot) AS clicks,
           count(*) FILTER (WHERE k.first_click) AS first_clicks,
           count(*) FILTER (WHERE k.is_bot) AS bot_clicks
      FROM m
      JOIN links l ON l.account_id = $1 AND l.message_id = m.message_id
      JOIN clicks k ON k.link_id = l.id AND k.account_id = $1
     GROUP BY l.message_id
),
r AS (
    SELECT message_id,
           count(*) FILTER (WHERE event_type NOT IN ('refund', 'chargeback')) AS conversions,
           sum(CASE WHEN event_type IN ('refund', 'chargeback') THEN -revenue ELSE revenue END) AS net
      FROM revenue_events
     WHERE account_id = $1 AND message_id IN (SELECT message_id FROM m)
     GROUP BY message_id
)
SELECT m.message_id, m.links, m.last_sent_at,
       coalesce(c.clicks, 0) AS clicks, coalesce(c.first_clicks, 0) AS first_clicks,
       coalesce(c.bot_clicks, 0) AS bot_clicks, coalesce(r.conversions, 0) AS conversions,
       coalesce(r.net, 0) AS revenue
  FROM m LEFT JOIN c USING (message_id) LEFT JOIN r USING (message_id)
 ORDER BY m.last_sent_at DESC, m.message_id DESC";

#[derive(QueryableByName)]
struct MessageRow {
    #[diesel(sql_type = Text)]
    message_id: String,
    #[diesel(sql_type = BigInt)]
    links: i64,
    #[diesel(sql_type = Timestamptz)]
    last_sent_at: DateTime<Utc>,
    #[diesel(sql_type = BigInt)]
    clicks: i64,
    #[diesel(sql_type = BigInt)]
    first_clicks: i64,
    #[diesel(sql_type = BigInt)]
    bot_clicks: i64,
    #[diesel(sql_type = BigInt)]
    conversions: i64,
    #[diesel(sql_type = Numeric)]
    revenue: Decimal,
}

/// One page of the account's messages, newest first (only `message_id` when given), and
/// whether more follow. There is no total: counting a million messages would cost more
/// than the page.
pub fn message_totals(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    message_id: Option<&str>,
    page: Page,
) -> Result<(Vec<MessageTotals>, bool), StoreError> {
    let mut rows: Vec<MessageRow> = diesel::sql_query(MESSAGES_SQL)
        .bind::<Text, _>(account_id.as_str())
        .bind::<Nullable<Text>, _>(message_id)
        .bind::<BigInt, _>(i64::from(page.per_page) + 1)
        .bind::<BigInt, _>(page.offset())
        .load(conn)?;
    let more = rows.len() > usize::try_from(page.per_page).unwrap_or(usize::MAX);
    rows.truncate(usize::try_from(page.per_page).unwrap_or(usize::MAX));
    let messages = rows
        .into_iter()
        .map(|row| MessageTotals {
            message_id: row.message_id,
            links: row.links,
            last_sent_at: row.last_sent_at,
            clicks: row.clicks,
            first_clicks: row.first_clicks,
            bot_clicks: row.bot_clicks,
            conversions: row.conversions,
            revenue: row.revenue.normalize(),
        })
        .collect();
    Ok((messages, more))
}
