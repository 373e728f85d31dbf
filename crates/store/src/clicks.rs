//! Clicks (SPEC §5, §9.4): batches copied in by the click writer with their first clicks
//! decided, the raw-click list, the redirect's offer lookup and the monthly partitions.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::sql_types::{Array, Bool, Nullable, Text, Timestamptz};
use trackly_domain::click::{BotReason, Click, RedirectTarget};
use trackly_domain::link::{ClickLink, LinkId, PhoneNumber};
use trackly_domain::offer::{OfferRef, OfferStatus};
use trackly_domain::query::{ClickFilter, Page};
use trackly_domain::ObjectId;

pub use crate::click_rollups::VisitorKey;
use crate::click_rollups::{add_to_rollups, StoredClick};
use crate::error::StoreError;
use crate::first_clicks::claim_first_clicks;
pub use crate::first_clicks::ClaimKey;
use crate::offers::offer_id;
use crate::schema::{clicks, offer_codes, offers};

/// A `clicks` row as it is read (`is_bot` follows from `bot_reason`).
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = clicks, check_for_backend(Pg))]
struct ClickRow {
    account_id: String,
    id: String,
    offer_id: Option<String>,
    created_at: DateTime<Utc>,
    ip: Option<String>,
    user_agent: Option<String>,
    referer: Option<String>,
    sub1: Option<String>,
    sub2: Option<String>,
    sub3: Option<String>,
    sub4: Option<String>,
    sub5: Option<String>,
    bot_reason: Option<String>,
    link_id: Option<String>,
    message_id: Option<String>,
    list_id: Option<String>,
    contact_phone: Option<String>,
    first_click: bool,
}

/// A `clicks` row as it is written, borrowed from the click. `None` is written as NULL
/// (COPY has no column defaults to fall back on).
#[derive(Insertable)]
#[diesel(table_name = clicks, treat_none_as_default_value = false)]
struct NewClickRow<'a> {
    account_id: &'a str,
    id: &'a str,
    offer_id: Option<&'a str>,
    created_at: DateTime<Utc>,
    ip: Option<&'a str>,
    user_agent: Option<&'a str>,
    referer: Option<&'a str>,
    sub1: Option<&'a str>,
    sub2: Option<&'a str>,
    sub3: Option<&'a str>,
    sub4: Option<&'a str>,
    sub5: Option<&'a str>,
    is_bot: bool,
    bot_reason: Option<&'static str>,
    link_id: Option<&'a str>,
    message_id: Option<&'a str>,
    list_id: Option<&'a str>,
    contact_phone: Option<&'a str>,
    first_click: bool,
}

impl<'a> NewClickRow<'a> {
    /// The row of `click`, which is its message's first click when `first_click`.
    fn new(click: &'a Click, first_click: bool) -> Self {
        let [sub1, sub2, sub3, sub4, sub5] = click.subs.each_ref().map(Option::as_deref);
        let link = click.link.as_ref();
        Self {
            account_id: click.account_id.as_str(),
            id: click.id.as_str(),
            offer_id: click.offer_id.as_ref().map(ObjectId::as_str),
            created_at: click.created_at,
            ip: click.ip.as_deref(),
            user_agent: click.user_agent.as_deref(),
            referer: click.referer.as_deref(),
            sub1,
            sub2,
            sub3,
            sub4,
            sub5,
            is_bot: click.bot_reason.is_some(),
            bot_reason: click.bot_reason.map(|reason| reason.as_str()),
            link_id: link.map(|link| link.link_id.as_str()),
            message_id: link.and_then(|link| link.message_id.as_deref()),
            list_id: link.and_then(|link| link.list_id.as_deref()),
            contact_phone: link
                .and_then(|link| link.contact_phone.as_ref().map(PhoneNumber::as_str)),
            first_click,
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
        let link = match &row.link_id {
            Some(link_id) => Some(ClickLink {
                link_id: LinkId::parse(link_id).ok_or_else(|| corrupt("link id"))?,
                message_id: row.message_id.clone(),
                list_id: row.list_id.clone(),
                contact_phone: row
                    .contact_phone
                    .as_deref()
                    .map(|phone| PhoneNumber::parse(phone).ok_or_else(|| corrupt("contact phone")))
                    .transpose()?,
            }),
            None => None,
        };
        Ok(Click {
            id: ObjectId::parse(&row.id).ok_or_else(|| corrupt("id"))?,
            account_id: ObjectId::parse(&row.account_id).ok_or_else(|| corrupt("account id"))?,
            offer_id: row
                .offer_id
                .as_deref()
                .map(|id| ObjectId::parse(id).ok_or_else(|| corrupt("offer id")))
                .transpose()?,
            link,
            first_click: row.first_click,
            created_at: row.created_at,
            ip: row.ip,
            user_agent: row.user_agent,
            referer: row.referer,
            subs: [row.sub1, row.sub2, row.sub3, row.sub4, row.sub5],
            bot_reason,
        })
    }
}

/// Stores a batch of clicks with their rollups, skipping clicks already stored; returns
/// how many were new. For callers that do not track visitors (tests, tools).
pub fn insert_clicks(conn: &mut PgConnection, batch: &[Click]) -> Result<usize, StoreError> {
    store_clicks(conn, batch, Remembered::NOTHING, MayBeStored::Yes).map(|stored| stored.stored)
}

/// What a caller remembers of the batches it stored before, so that their work is not
/// repeated: visitors whose rows exist, and first-click keys already taken.
#[derive(Clone, Copy)]
pub struct Remembered<'a> {
    /// True for visitors the caller saw committed (see `VisitorKey`).
    pub visitor: &'a dyn Fn(&VisitorKey) -> bool,
    /// True for first-click keys the caller saw taken (see `ClaimKey`).
    pub claim: &'a dyn Fn(&ClaimKey) -> bool,
}

impl Remembered<'static> {
    /// Nothing remembered: every visitor row is written and every key claimed.
    pub const NOTHING: Self = Self {
        visitor: &never::<VisitorKey>,
        claim: &never::<ClaimKey>,
    };
}

/// Knows nothing.
fn never<T>(_: &T) -> bool {
    false
}

/// Whether some clicks of a batch may already be in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MayBeStored {
    /// Fresh clicks that no earlier attempt can have written: copied straight in.
    No,
    /// Clicks replayed after a crash or retried after an unclear failure: those already
    /// stored are skipped, so nothing is stored twice.
    Yes,
}

/// What a batch store did.
#[derive(Debug, Default)]
pub struct StoredClicks {
    /// Clicks stored now.
    pub stored: usize,
    /// Clicks skipped because an earlier attempt had stored them.
    pub already_stored: usize,
    /// Keys of the visitors this batch stored for the first time (see `VisitorKey`).
    pub new_visitors: Vec<VisitorKey>,
    /// First-click keys this batch claimed or found taken, all taken now that it is
    /// committed (see `ClaimKey`).
    pub taken_claims: Vec<ClaimKey>,
}

/// Stores a batch of clicks and adds them to the daily rollups, in one transaction;
/// visitor rows and first-click claims that `remembered` knows of are not written again.
/// Fresh clicks go in with one `COPY`; with `MayBeStored::Yes` one
/// `INSERT … ON CONFLICT DO NOTHING` skips those already stored. The commit is
/// synchronous: the caller deletes its durable copy of the clicks once this returns.
pub fn store_clicks(
    conn: &mut PgConnection,
    batch: &[Click],
    remembered: Remembered<'_>,
    may_be_stored: MayBeStored,
) -> Result<StoredClicks, StoreError> {
    if batch.is_empty() {
        return Ok(StoredClicks::default());
    }
    conn.transaction(|conn| {
        let claims = claim_first_clicks(conn, batch, remembered.claim)?;
        let rows: Vec<NewClickRow<'_>> = batch
            .iter()
            .map(|click| NewClickRow::new(click, claims.won.contains(click.id.as_str())))
            .collect();
        let fresh: Vec<&NewClickRow<'_>> = match may_be_stored {
            MayBeStored::No => {
                diesel::copy_from(clicks::table)
                    .from_insertable(&rows)
                    .execute(conn)?;
                rows.iter().collect()
            }
            MayBeStored::Yes => {
                let inserted = insert_missing(conn, &rows)?;
                rows.iter()
                    .filter(|row| inserted.contains(row.id))
                    .collect()
            }
        };
        // Clicks of URL-mode links count for no offer.
        let offer_clicks = fresh.iter().filter_map(|row| {
            Some(StoredClick {
                account_id: row.account_id,
                offer_id: row.offer_id?,
                created_at: row.created_at,
                ip: row.ip,
                user_agent: row.user_agent,
                is_bot: row.is_bot,
                first_click: row.first_click,
            })
        });
        let new_visitors = add_to_rollups(conn, offer_clicks, remembered.visitor)?;
        Ok(StoredClicks {
            stored: fresh.len(),
            already_stored: batch.len() - fresh.len(),
            new_visitors,
            taken_claims: claims.taken,
        })
    })
}

/// Inserts the clicks of `batch` that the table does not hold yet; returns their ids.
/// One statement whatever the batch size: each column travels as one array.
fn insert_missing(
    conn: &mut PgConnection,
    rows: &[NewClickRow<'_>],
) -> Result<HashSet<String>, StoreError> {
    #[derive(QueryableByName)]
    struct Inserted {
        #[diesel(sql_type = Text)]
        id: String,
    }
    let column = |pick: for<'r> fn(&NewClickRow<'r>) -> Option<&'r str>| -> Vec<Option<&str>> {
        rows.iter().map(pick).collect()
    };
    let inserted: Vec<Inserted> = diesel::sql_query(
        "INSERT INTO clicks (account_id, id, offer_id, created_at, ip, user_agent, referer, \
                             sub1, sub2, sub3, sub4, sub5, is_bot, bot_reason, link_id, \
                             message_id, list_id, contact_phone, first_click) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], \
                              $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], \
                              $11::text[], $12::text[], $13::boolean[], $14::text[], \
                              $15::text[], $16::text[], $17::text[], $18::text[], \
                              $19::boolean[]) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind::<Array<Text>, _>(rows.iter().map(|row| row.account_id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(rows.iter().map(|row| row.id).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.offer_id))
    .bind::<Array<Timestamptz>, _>(rows.iter().map(|row| row.created_at).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.ip))
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.user_agent))
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.referer))
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.sub1))
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.sub2))
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.sub3))
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.sub4))
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.sub5))
    .bind::<Array<Bool>, _>(rows.iter().map(|row| row.is_bot).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.bot_reason))
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.link_id))
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.message_id))
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.list_id))
    .bind::<Array<Nullable<Text>>, _>(column(|row| row.contact_phone))
    .bind::<Array<Bool>, _>(rows.iter().map(|row| row.first_click).collect::<Vec<_>>())
    .load(conn)?;
    Ok(inserted.into_iter().map(|row| row.id).collect())
}

/// The offer with tracking code `code`, whatever its account: found through the
/// service-wide directory of codes.
pub fn find_redirect_target(
    conn: &mut PgConnection,
    code: &str,
) -> Result<Option<RedirectTarget>, StoreError> {
    let row: Option<(String, String, String, String)> = offer_codes::table
        .inner_join(
            offers::table.on(offers::account_id
                .eq(offer_codes::account_id)
                .and(offers::id.eq(offer_codes::offer_id))),
        )
        .filter(offer_codes::code.eq(code))
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

/// The `limit` newest clicks of the account's offer `offer_id`, without counting them all
/// (the dashboard's recent clicks: an offer may have millions).
pub fn latest_clicks(
    conn: &mut PgConnection,
    account_id: &ObjectId,
    offer_id: &ObjectId,
    limit: u32,
) -> Result<Vec<Click>, StoreError> {
    let rows: Vec<ClickRow> = clicks::table
        .filter(clicks::account_id.eq(account_id.as_str()))
        .filter(clicks::offer_id.eq(offer_id.as_str()))
        .order((clicks::created_at.desc(), clicks::id.desc()))
        .limit(i64::from(limit))
        .select(ClickRow::as_select())
        .load(conn)?;
    rows.into_iter().map(Click::try_from).collect()
}
