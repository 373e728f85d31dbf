//! Deciding first clicks (SPEC §9.4) while a batch of clicks is stored. Every human
//! click through a link competes under its `FirstClickKey`; within the batch the earliest
//! competitor of each key is put forward, and the `first_clicks` primary key decides
//! against every other batch, on this node or another, committed or in flight: an
//! `INSERT … ON CONFLICT DO NOTHING` waits for a concurrent transaction holding the same
//! key and then skips it. Keys are inserted in sorted order, so two writers never wait
//! for each other in a circle.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, Nullable, Text, Timestamptz};
use trackly_domain::click::Click;
use trackly_domain::link::{FirstClickKey, LinkId};

use crate::error::StoreError;

/// Claims first clicks for the batch's human link clicks; returns the ids of the clicks
/// that won. Runs in the caller's transaction, before the clicks are inserted, so a
/// click and its claim commit together.
pub(crate) fn claim_first_clicks(
    conn: &mut PgConnection,
    batch: &[Click],
) -> Result<HashSet<String>, StoreError> {
    // (account, key) → the earliest competing click of the batch, with its link.
    let mut earliest: BTreeMap<(&str, FirstClickKey), (&Click, &LinkId)> = BTreeMap::new();
    for click in batch.iter().filter(|click| click.bot_reason.is_none()) {
        let Some(link) = &click.link else {
            continue;
        };
        earliest
            .entry((click.account_id.as_str(), link.first_click_key()))
            .and_modify(|(best, best_link)| {
                if (click.created_at, click.id.as_str()) < (best.created_at, best.id.as_str()) {
                    *best = click;
                    *best_link = &link.link_id;
                }
            })
            .or_insert((click, &link.link_id));
    }
    if earliest.is_empty() {
        return Ok(HashSet::new());
    }
    #[derive(QueryableByName)]
    struct Claimed {
        #[diesel(sql_type = Text)]
        click_id: String,
    }
    let column = |pick: fn(&(&str, FirstClickKey), &Click, &LinkId) -> String| {
        earliest
            .iter()
            .map(|(key, (click, link))| pick(key, click, link))
            .collect::<Vec<String>>()
    };
    let claimed: Vec<Claimed> = diesel::sql_query(
        "INSERT INTO first_clicks (account_id, message_key, person_key, click_id, link_id, \
                                   offer_id, created_at) \
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
                              $6::text[], $7::timestamptz[]) \
         ON CONFLICT DO NOTHING RETURNING click_id",
    )
    .bind::<Array<Text>, _>(column(|(account, _), _, _| (*account).to_owned()))
    .bind::<Array<Text>, _>(column(|(_, key), _, _| key.message.clone()))
    .bind::<Array<Text>, _>(column(|(_, key), _, _| key.person.clone()))
    .bind::<Array<Text>, _>(column(|_, click, _| click.id.as_str().to_owned()))
    .bind::<Array<Text>, _>(column(|_, _, link| link.as_str().to_owned()))
    .bind::<Array<Nullable<Text>>, _>(
        earliest
            .values()
            .map(|(click, _)| click.offer_id.as_ref().map(|id| id.as_str().to_owned()))
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Timestamptz>, _>(
        earliest
            .values()
            .map(|(click, _)| click.created_at)
            .collect::<Vec<DateTime<Utc>>>(),
    )
    .load(conn)?;
    Ok(claimed.into_iter().map(|row| row.click_id).collect())
}
