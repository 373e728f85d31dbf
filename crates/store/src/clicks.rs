//! Clicks (SPEC §5): batch inserts from the click writer, the raw-click list, the
//! redirect's offer lookup and the monthly partitions.

use chrono::{DateTime, Duration, NaiveTime, Utc};
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Timestamptz};
use trackly_domain::click::{BotReason, Click};
use trackly_domain::offer::{OfferRef, OfferStatus};
use trackly_domain::query::{ClickFilter, Page};
use trackly_domain::ObjectId;

pub use crate::click_rollups::VisitorKey;
use crate::click_rollups::{add_to_rollups, StoredClick};
use crate::error::StoreError;
use crate::offers::offer_id;
use crate::schema::{clicks, offers};

/// A `clicks` row, for inserting and reading.
#[derive(Debug, Queryable, Selectable, Insertable)]
#[diesel(table_name = clicks, check_for_backend(Pg))]
struct ClickRow {
    account_id: String,
    id: String,
    offer_id: String,
    created_at: DateTime<Utc>,
    ip: Option<String>,
    user_agent: Option<String>,
    referer: Option<String>,
    sub1: Option<String>,
    sub2: Option<String>,
    sub3: Option<String>,
    sub4: Option<String>,
    sub5: Option<String>,
    is_bot: bool,
    bot_reason: Option<String>,
}

impl From<&Click> for ClickRow {
    fn from(click: &Click) -> Self {
        let [sub1, sub2, sub3, sub4, sub5] = click.subs.clone();
        Self {
            account_id: click.account_id.to_string(),
            id: click.id.to_string(),
            offer_id: click.offer_id.to_string(),
            created_at: click.created_at,
            ip: click.ip.clone(),
            user_agent: click.user_agent.clone(),
            referer: click.referer.clone(),
            sub1,
            sub2,
            sub3,
            sub4,
            sub5,
            is_bot: click.bot_reason.is_some(),
            bot_reason: click.bot_reason.map(|reason| reason.as_str().to_owned()),
        }
    }
}

impl TryFrom<ClickRow> for Click {
    type Error = StoreError;

    fn try_from(row: ClickRow) -> Result<Self, StoreError> {
        let corrupt =
            |what: &str| StoreError::Other(format!("click {} has an invalid {what}", row.id));
        let bot_reason = match &row.bot_reason {
            Some(text) => Some(BotReason::parse(text).ok_or_else(|| corrupt("bot reason"))?),
            None => None,
        };
        Ok(Click {
            id: ObjectId::parse(&row.id).ok_or_else(|| corrupt("id"))?,
            account_id: ObjectId::parse(&row.account_id).ok_or_else(|| corrupt("account id"))?,
            offer_id: ObjectId::parse(&row.offer_id).ok_or_else(|| corrupt("offer id"))?,
            created_at: row.created_at,
            ip: row.ip,
            user_agent: row.user_agent,
            referer: row.referer,
            subs: [row.sub1, row.sub2, row.sub3, row.sub4, row.sub5],
            bot_reason,
        })
    }
}

/// Inserts a batch of clicks in one multi-row statement and adds them to the daily
/// rollups, in one transaction; returns how many were stored. A click already stored
/// (same account, id and time) is skipped, so a batch retried after an unclear failure
/// is neither stored nor counted twice.
pub fn insert_clicks(conn: &mut PgConnection, batch: &[Click]) -> Result<usize, StoreError> {
    insert_clicks_with(conn, batch, &|_| false).map(|inserted| inserted.stored)
}

/// What a batch insert did.
#[derive(Debug, Default)]
pub struct InsertedClicks {
    /// Clicks stored.
    pub stored: usize,
    /// Keys of the visitors this batch stored for the first time (see `visitor_key`).
    pub new_visitors: Vec<VisitorKey>,
}

/// Like `insert_clicks`, skipping the visitor rows for which `known` is true: visitors
/// that a caller saw committed before (their row exists, so the insert would do
/// nothing). The commit is asynchronous (`synchronous_commit = off`): the clicks were
/// only in memory a moment ago, and a crash of PostgreSQL itself loses at most its WAL
/// writer's last fraction of a second, as documented in docs/CLICKS.md.
pub fn insert_clicks_with(
    conn: &mut PgConnection,
    batch: &[Click],
    known: &dyn Fn(&VisitorKey) -> bool,
) -> Result<InsertedClicks, StoreError> {
    if batch.is_empty() {
        return Ok(InsertedClicks::default());
    }
    let rows: Vec<ClickRow> = batch.iter().map(ClickRow::from).collect();
    conn.transaction(|conn| {
        diesel::sql_query("SET LOCAL synchronous_commit = off").execute(conn)?;
        let inserted: Vec<StoredClick> = diesel::insert_into(clicks::table)
            .values(&rows)
            .on_conflict_do_nothing()
            .returning(StoredClick::as_returning())
            .get_results(conn)?;
        let new_visitors = add_to_rollups(conn, &inserted, known)?;
        Ok(InsertedClicks {
            stored: inserted.len(),
            new_visitors,
        })
    })
}

/// What a redirect needs to know about an offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectTarget {
    /// The offer's id.
    pub offer_id: ObjectId,
    /// Its account.
    pub account_id: ObjectId,
    /// Where clicks go.
    pub tracking_url: String,
    /// Only active offers redirect.
    pub status: OfferStatus,
}

/// The offer with tracking code `code`, whatever its account.
pub fn find_redirect_target(
    conn: &mut PgConnection,
    code: &str,
) -> Result<Option<RedirectTarget>, StoreError> {
    let row: Option<(String, String, String, String)> = offers::table
        .filter(offers::code.eq(code))
        .select((
            offers::id,
            offers::account_id,
            offers::tracking_url,
            offers::status,
        ))
        .first(conn)
        .optional()?;
    row.map(|(id, account_id, tracking_url, status)| {
        let corrupt = || StoreError::Other(format!("offer {id} has an invalid row"));
        Ok(RedirectTarget {
            offer_id: ObjectId::parse(&id).ok_or_else(corrupt)?,
            account_id: ObjectId::parse(&account_id).ok_or_else(corrupt)?,
            tracking_url,
            status: OfferStatus::parse(&status).ok_or_else(corrupt)?,
        })
    })
    .transpose()
}

/// One page of an offer's clicks, newest first, and how many match in all. `NotFound`
/// when the account has no such offer.
pub fn list_clicks(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    offer: &OfferRef,
    filter: &ClickFilter,
    page: Page,
) -> Result<(Vec<Click>, u64), StoreError> {
    let offer_id = offer_id(conn, account_id, offer)?.ok_or(StoreError::NotFound)?;

    let filtered = || {
        let mut query = clicks::table
            .filter(clicks::account_id.eq(account_id.as_str()))
            .filter(clicks::offer_id.eq(offer_id.clone()))
            .into_boxed();
        if let Some(from) = filter.from {
            query = query.filter(clicks::created_at.ge(from.and_time(NaiveTime::MIN).and_utc()));
        }
        if let Some(to) = filter.to {
            let end = to.and_time(NaiveTime::MIN).and_utc() + Duration::days(1);
            query = query.filter(clicks::created_at.lt(end));
        }
        if let Some(is_bot) = filter.is_bot {
            query = query.filter(clicks::is_bot.eq(is_bot));
        }
        query
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let total = u64::try_from(total).unwrap_or_default();
    if u64::try_from(page.offset()).unwrap_or(u64::MAX) >= total {
        return Ok((Vec::new(), total));
    }
    let rows: Vec<ClickRow> = filtered()
        .order((clicks::created_at.desc(), clicks::id.desc()))
        .limit(i64::from(page.per_page))
        .offset(page.offset())
        .select(ClickRow::as_select())
        .load(conn)?;
    let clicks = rows
        .into_iter()
        .map(Click::try_from)
        .collect::<Result<_, _>>()?;
    Ok((clicks, total))
}

/// How many months of click partitions exist ahead of the current one.
const MONTHS_AHEAD: i32 = 3;

/// Creates the click partitions from last month to `MONTHS_AHEAD` months after `now`'s;
/// returns how many were new.
pub fn ensure_click_partitions(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<i32, StoreError> {
    #[derive(QueryableByName)]
    struct Created {
        #[diesel(sql_type = Integer)]
        created: i32,
    }
    let result: Created =
        diesel::sql_query("SELECT trackly_ensure_click_partitions($1, $2) AS created")
            .bind::<Timestamptz, _>(now - Duration::days(31))
            .bind::<Integer, _>(MONTHS_AHEAD + 2)
            .get_result(conn)?;
    Ok(result.created)
}
