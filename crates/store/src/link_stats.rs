//! A link's stats (SPEC §9.5), counted the way an offer's are (§7): clicks without bots
//! when the offer filters them, first clicks, bot clicks, and the conversions and
//! revenue credited to the link's clicks (plus the payout per counted click of a cpc
//! offer). A link has few clicks, so they are counted from its index, not rolled up.

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Numeric, Text};
use rust_decimal::Decimal;
use trackly_domain::link::{LinkId, LinkStats};
use trackly_domain::ObjectId;

use crate::error::StoreError;

/// `$1` account, `$2` link, `$3` whether bots are left out, `$4` whether counted clicks
/// earn `$5` each.
const LINK_STATS_SQL: &str = "
WITH c AS (
    SELECT count(*) AS all_clicks,
           count(*) FILTER (WHERE is_bot) AS bot_clicks,
           count(*) FILTER (WHERE first_click) AS first_clicks
      FROM clicks WHERE link_id = $2 AND account_id = $1
),
r AS (
    SELECT count(*) FILTER (WHERE event_type NOT IN ('refund', 'chargeback')) AS conversions,
           coalesce(sum(CASE WHEN event_type IN ('refund', 'chargeback') THEN -revenue ELSE revenue END), 0)
               AS net
      FROM revenue_events WHERE account_id = $1 AND link_id = $2
),
n AS (
    SELECT c.all_clicks - CASE WHEN $3 THEN c.bot_clicks ELSE 0 END AS clicks,
           c.first_clicks, c.bot_clicks, r.conversions, r.net
      FROM c, r
)
SELECT clicks, first_clicks, bot_clicks, conversions,
       net + CASE WHEN $4 THEN clicks * $5 ELSE 0 END AS revenue
  FROM n";

#[derive(QueryableByName)]
struct StatsRow {
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

/// How the link's offer counts: whether it leaves bots out, and what each counted click
/// earns (a cpc offer's payout). A URL-mode link has no offer: all clicks, no earnings.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Counting {
    pub(crate) filter_bots: bool,
    pub(crate) per_click: Option<Decimal>,
}

/// The stats of the account's link `link_id`, counted as `counting` says.
pub(crate) fn link_stats(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    link_id: &LinkId,
    counting: Counting,
) -> Result<LinkStats, StoreError> {
    let row: StatsRow = diesel::sql_query(LINK_STATS_SQL)
        .bind::<Text, _>(account_id.as_str())
        .bind::<Text, _>(link_id.as_str())
        .bind::<Bool, _>(counting.filter_bots)
        .bind::<Bool, _>(counting.per_click.is_some())
        .bind::<Numeric, _>(counting.per_click.unwrap_or(Decimal::ZERO))
        .get_result(conn)?;
    Ok(LinkStats {
        clicks: row.clicks,
        first_clicks: row.first_clicks,
        bot_clicks: row.bot_clicks,
        conversions: row.conversions,
        revenue: row.revenue.normalize(),
    })
}
