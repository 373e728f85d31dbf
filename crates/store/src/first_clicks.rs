//! Deciding first clicks (SPEC §9.4) while a batch of clicks is stored. Every human
//! click through a link competes under its `FirstClickKey`; within the batch the earliest
//! competitor of each key is put forward, and the `first_clicks` primary key decides
//! against every other batch, on this node or another, committed or in flight: an
//! `INSERT … ON CONFLICT DO NOTHING` waits for a concurrent transaction holding the same
//! key and then skips it. Keys are inserted in sorted order, so two writers never wait
//! for each other in a circle. A caller may remember keys it saw taken (`ClaimKey`):
//! rows are never deleted, so a key once taken stays taken and its clicks skip the claim.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Array, Nullable, Text, Timestamptz};
use sha2::{Digest, Sha256};
use trackly_domain::click::Click;
use trackly_domain::link::{FirstClickKey, LinkId};

use crate::error::StoreError;

/// A first-click key with its account, digested to 16 bytes, for callers that remember
/// which keys are taken.
pub type ClaimKey = [u8; 16];

/// What claiming did for a batch.
pub(crate) struct Claims {
    /// The ids of the clicks that won.
    pub(crate) won: HashSet<String>,
    /// Every key the batch put forward: each is taken (by this batch or an earlier one)
    /// once the caller's transaction commits.
    pub(crate) taken: Vec<ClaimKey>,
}

/// Claims first clicks for the batch's human link clicks whose key `known_taken` does
/// not know as taken. Runs in the caller's transaction, before the clicks are inserted,
/// so a click and its claim commit together.
pub(crate) fn claim_first_clicks(
    conn: &mut PgConnection,
    batch: &[Click],
    known_taken: &dyn Fn(&ClaimKey) -> bool,
) -> Result<Claims, StoreError> {
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
    let mut taken = Vec::with_capacity(earliest.len());
    earliest.retain(|(account, key), _| {
        let digest = claim_key(account, key);
        let known = known_taken(&digest);
        if !known {
            taken.push(digest);
        }
        !known
    });
    if earliest.is_empty() {
        return Ok(Claims {
            won: HashSet::new(),
            taken,
        });
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
    Ok(Claims {
        won: claimed.into_iter().map(|row| row.click_id).collect(),
        taken,
    })
}

/// The digest of `account`'s first-click key `key`.
fn claim_key(account: &str, key: &FirstClickKey) -> ClaimKey {
    let mut hasher = Sha256::new();
    for part in [account, &key.message, &key.person] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    let mut claim = [0u8; 16];
    claim.copy_from_slice(&digest[..16]);
    claim
}
