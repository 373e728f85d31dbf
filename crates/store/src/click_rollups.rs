//! Daily click rollups (SPEC §7): per offer and UTC day, the click and bot counts and the
//! unique counts among all and among human clicks. The click writer adds every stored
//! batch in the same transaction, so the stats never scan raw clicks. Each statement
//! sends its columns as arrays (`unnest`), so a batch of any size is one short statement.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Bool, Bytea, Date, Text};
use sha2::{Digest, Sha256};

use crate::error::StoreError;

/// What the rollups need of a stored click of an offer.
pub(crate) struct StoredClick<'a> {
    pub(crate) account_id: &'a str,
    pub(crate) offer_id: &'a str,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) ip: Option<&'a str>,
    pub(crate) user_agent: Option<&'a str>,
    pub(crate) is_bot: bool,
    pub(crate) first_click: bool,
}

/// (account, offer, day)
type DayKey<'a> = (&'a str, &'a str, NaiveDate);

/// A visitor row's identity (account, offer, day, scope and visitor), digested to 16
/// bytes, for callers that remember which visitors are already stored.
pub type VisitorKey = [u8; 16];

fn visitor_key(
    account: &str,
    offer: &str,
    day: NaiveDate,
    humans_only: bool,
    visitor: &[u8],
) -> VisitorKey {
    let mut hasher = Sha256::new();
    for part in [
        account.as_bytes(),
        offer.as_bytes(),
        day.to_string().as_bytes(),
    ] {
        hasher.update(part);
        hasher.update([0u8]);
    }
    hasher.update([u8::from(humans_only)]);
    hasher.update(visitor);
    let digest = hasher.finalize();
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

/// A `click_visitors` row as `RETURNING` gives it back.
#[derive(QueryableByName)]
struct NewVisitor {
    #[diesel(sql_type = Text)]
    account_id: String,
    #[diesel(sql_type = Text)]
    offer_id: String,
    #[diesel(sql_type = Date)]
    day: NaiveDate,
    #[diesel(sql_type = Bool)]
    humans_only: bool,
    #[diesel(sql_type = Bytea)]
    visitor: Vec<u8>,
}

/// Adds freshly stored clicks to `click_visitors` and `click_daily`; visitors for which
/// `known` is true are already stored and skipped. Returns the keys of the visitors
/// stored now.
pub(crate) fn add_to_rollups<'a>(
    conn: &mut PgConnection,
    stored: impl Iterator<Item = StoredClick<'a>>,
    known: &dyn Fn(&VisitorKey) -> bool,
) -> Result<Vec<VisitorKey>, StoreError> {
    // Days in key order, each with [clicks, bot clicks, unique clicks, unique human
    // clicks, first clicks]: sorted, so concurrent writers update shared rows in one
    // order.
    let mut days: BTreeMap<DayKey<'a>, usize> = BTreeMap::new();
    let mut counts: Vec<[i64; 5]> = Vec::new();
    // Each visitor once per day and scope, before anything is hashed: a batch often
    // holds many clicks of one visitor.
    let mut seen: HashMap<(DayKey<'a>, Option<&'a str>, Option<&'a str>), bool> = HashMap::new();
    for click in stored {
        let key = (
            click.account_id,
            click.offer_id,
            click.created_at.date_naive(),
        );
        let index = *days.entry(key).or_insert_with(|| {
            counts.push([0; 5]);
            counts.len() - 1
        });
        counts[index][0] += 1;
        counts[index][1] += i64::from(click.is_bot);
        counts[index][4] += i64::from(click.first_click);
        *seen.entry((key, click.ip, click.user_agent)).or_default() |= !click.is_bot;
    }
    let mut visitors: BTreeSet<(DayKey<'a>, bool, [u8; 16])> = BTreeSet::new();
    for ((key, ip, user_agent), has_human_click) in seen {
        let visitor = visitor_digest(ip, user_agent);
        visitors.insert((key, false, visitor));
        if has_human_click {
            visitors.insert((key, true, visitor));
        }
    }
    if days.is_empty() {
        return Ok(Vec::new());
    }
    visitors.retain(|((account, offer, day), humans_only, visitor)| {
        !known(&visitor_key(account, offer, *day, *humans_only, visitor))
    });
    let inserted = insert_visitors(conn, &visitors)?;
    let mut new_visitors = Vec::with_capacity(inserted.len());
    for row in &inserted {
        new_visitors.push(visitor_key(
            &row.account_id,
            &row.offer_id,
            row.day,
            row.humans_only,
            &row.visitor,
        ));
        // Every returned row belongs to a day of this batch.
        if let Some(&index) = days.get(&(row.account_id.as_str(), row.offer_id.as_str(), row.day)) {
            counts[index][if row.humans_only { 3 } else { 2 }] += 1;
        }
    }
    add_daily_counts(conn, &days, &counts)?;
    Ok(new_visitors)
}

/// Inserts the visitor rows not stored yet; returns those it inserted.
fn insert_visitors(
    conn: &mut PgConnection,
    visitors: &BTreeSet<(DayKey<'_>, bool, [u8; 16])>,
) -> Result<Vec<NewVisitor>, StoreError> {
    if visitors.is_empty() {
        return Ok(Vec::new());
    }
    Ok(diesel::sql_query(
        "INSERT INTO click_visitors (account_id, offer_id, day, humans_only, visitor) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::boolean[], $5::bytea[]) \
         ON CONFLICT DO NOTHING \
         RETURNING account_id, offer_id, day, humans_only, visitor",
    )
    .bind::<Array<Text>, _>(visitors.iter().map(|row| row.0 .0).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(visitors.iter().map(|row| row.0 .1).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(visitors.iter().map(|row| row.0 .2).collect::<Vec<_>>())
    .bind::<Array<Bool>, _>(visitors.iter().map(|row| row.1).collect::<Vec<_>>())
    .bind::<Array<Bytea>, _>(
        visitors
            .iter()
            .map(|row| row.2.to_vec())
            .collect::<Vec<_>>(),
    )
    .load(conn)?)
}

/// Adds per-day counts to `click_daily`, creating the rows that do not exist yet.
fn add_daily_counts(
    conn: &mut PgConnection,
    days: &BTreeMap<DayKey<'_>, usize>,
    counts: &[[i64; 5]],
) -> Result<(), StoreError> {
    let count =
        |which: usize| -> Vec<i64> { days.values().map(|&index| counts[index][which]).collect() };
    diesel::sql_query(
        "INSERT INTO click_daily AS d (account_id, offer_id, day, clicks, bot_clicks, \
                                       unique_clicks, unique_human_clicks, first_clicks) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::bigint[], $5::bigint[], \
                              $6::bigint[], $7::bigint[], $8::bigint[]) \
         ON CONFLICT (account_id, offer_id, day) DO UPDATE SET \
             clicks = d.clicks + EXCLUDED.clicks, \
             bot_clicks = d.bot_clicks + EXCLUDED.bot_clicks, \
             unique_clicks = d.unique_clicks + EXCLUDED.unique_clicks, \
             unique_human_clicks = d.unique_human_clicks + EXCLUDED.unique_human_clicks, \
             first_clicks = d.first_clicks + EXCLUDED.first_clicks",
    )
    .bind::<Array<Text>, _>(days.keys().map(|key| key.0).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(days.keys().map(|key| key.1).collect::<Vec<_>>())
    .bind::<Array<Date>, _>(days.keys().map(|key| key.2).collect::<Vec<_>>())
    .bind::<Array<BigInt>, _>(count(0))
    .bind::<Array<BigInt>, _>(count(1))
    .bind::<Array<BigInt>, _>(count(2))
    .bind::<Array<BigInt>, _>(count(3))
    .bind::<Array<BigInt>, _>(count(4))
    .execute(conn)?;
    Ok(())
}

/// 16 bytes of SHA-256 of `ip`, a 0x01 separator and `user_agent` (absent values as
/// empty), as the migration computes for older clicks.
fn visitor_digest(ip: Option<&str>, user_agent: Option<&str>) -> [u8; 16] {
    let mut hasher = Sha256::new();
    hasher.update(ip.unwrap_or_default().as_bytes());
    hasher.update([1u8]);
    hasher.update(user_agent.unwrap_or_default().as_bytes());
    let mut digest = [0u8; 16];
    digest.copy_from_slice(&hasher.finalize()[..16]);
    digest
}
