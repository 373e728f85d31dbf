//! Daily click rollups (SPEC §7): per offer and UTC day, the click and bot counts and the
//! unique counts among all and among human clicks. The click writer adds every stored
//! batch in the same transaction, so the stats never scan raw clicks.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use diesel::pg::{Pg, PgConnection};
use diesel::prelude::*;
use diesel::upsert::excluded;
use sha2::{Digest, Sha256};

use crate::error::StoreError;
use crate::schema::{click_daily, click_visitors, clicks};

/// What the rollups need of a stored click.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = clicks, check_for_backend(Pg))]
pub(crate) struct StoredClick {
    account_id: String,
    offer_id: String,
    created_at: DateTime<Utc>,
    ip: Option<String>,
    user_agent: Option<String>,
    is_bot: bool,
}

/// (account, offer, day)
type DayKey = (String, String, NaiveDate);

/// A visitor row's identity (account, offer, day, scope and visitor), digested to 16
/// bytes, for callers that remember which visitors are already stored.
pub type VisitorKey = [u8; 16];

fn visitor_key(day: &DayKey, humans_only: bool, visitor: &[u8]) -> VisitorKey {
    let mut hasher = Sha256::new();
    for part in [
        day.0.as_bytes(),
        day.1.as_bytes(),
        day.2.to_string().as_bytes(),
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

#[derive(Insertable)]
#[diesel(table_name = click_visitors)]
struct Visitor {
    account_id: String,
    offer_id: String,
    day: NaiveDate,
    humans_only: bool,
    visitor: Vec<u8>,
}

#[derive(Insertable)]
#[diesel(table_name = click_daily)]
struct DailyIncrement {
    account_id: String,
    offer_id: String,
    day: NaiveDate,
    clicks: i64,
    bot_clicks: i64,
    unique_clicks: i64,
    unique_human_clicks: i64,
}

/// Adds freshly stored clicks to `click_visitors` and `click_daily`; visitors for which
/// `known` is true are already stored and skipped. Returns the keys of the visitors
/// stored now.
pub(crate) fn add_to_rollups(
    conn: &mut PgConnection,
    stored: &[StoredClick],
    known: &dyn Fn(&VisitorKey) -> bool,
) -> Result<Vec<VisitorKey>, StoreError> {
    if stored.is_empty() {
        return Ok(Vec::new());
    }
    let mut counts: BTreeMap<DayKey, [i64; 4]> = BTreeMap::new();
    let mut visitors = BTreeSet::new();
    for click in stored {
        let key = (
            click.account_id.clone(),
            click.offer_id.clone(),
            click.created_at.date_naive(),
        );
        let entry = counts.entry(key.clone()).or_default();
        entry[0] += 1;
        entry[1] += i64::from(click.is_bot);
        let visitor = visitor_digest(click.ip.as_deref(), click.user_agent.as_deref());
        visitors.insert((key.clone(), false, visitor.clone()));
        if !click.is_bot {
            visitors.insert((key, true, visitor));
        }
    }
    let rows: Vec<Visitor> = visitors
        .into_iter()
        .filter(|(day, humans_only, visitor)| !known(&visitor_key(day, *humans_only, visitor)))
        .map(
            |((account_id, offer_id, day), humans_only, visitor)| Visitor {
                account_id,
                offer_id,
                day,
                humans_only,
                visitor,
            },
        )
        .collect();
    let inserted: Vec<(String, String, NaiveDate, bool, Vec<u8>)> = if rows.is_empty() {
        Vec::new()
    } else {
        diesel::insert_into(click_visitors::table)
            .values(&rows)
            .on_conflict_do_nothing()
            .returning((
                click_visitors::account_id,
                click_visitors::offer_id,
                click_visitors::day,
                click_visitors::humans_only,
                click_visitors::visitor,
            ))
            .get_results(conn)?
    };
    let mut new_visitors = Vec::with_capacity(inserted.len());
    for (account_id, offer_id, day, humans_only, visitor) in inserted {
        let key = (account_id, offer_id, day);
        new_visitors.push(visitor_key(&key, humans_only, &visitor));
        let entry = counts.entry(key).or_default();
        entry[if humans_only { 3 } else { 2 }] += 1;
    }
    let increments: Vec<DailyIncrement> = counts
        .into_iter()
        .map(
            |((account_id, offer_id, day), [clicks, bots, unique, unique_human])| DailyIncrement {
                account_id,
                offer_id,
                day,
                clicks,
                bot_clicks: bots,
                unique_clicks: unique,
                unique_human_clicks: unique_human,
            },
        )
        .collect();
    diesel::insert_into(click_daily::table)
        .values(&increments)
        .on_conflict((
            click_daily::account_id,
            click_daily::offer_id,
            click_daily::day,
        ))
        .do_update()
        .set((
            click_daily::clicks.eq(click_daily::clicks + excluded(click_daily::clicks)),
            click_daily::bot_clicks.eq(click_daily::bot_clicks + excluded(click_daily::bot_clicks)),
            click_daily::unique_clicks
                .eq(click_daily::unique_clicks + excluded(click_daily::unique_clicks)),
            click_daily::unique_human_clicks
                .eq(click_daily::unique_human_clicks + excluded(click_daily::unique_human_clicks)),
        ))
        .execute(conn)?;
    Ok(new_visitors)
}

/// 16 bytes of SHA-256 of `ip`, a 0x01 separator and `user_agent` (absent values as
/// empty), as the migration computes for older clicks.
fn visitor_digest(ip: Option<&str>, user_agent: Option<&str>) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(ip.unwrap_or_default().as_bytes());
    hasher.update([1u8]);
    hasher.update(user_agent.unwrap_or_default().as_bytes());
    hasher.finalize()[..16].to_vec()
}
