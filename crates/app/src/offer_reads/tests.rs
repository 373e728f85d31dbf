//! The stamps' rules, without a database: what a reading session's state and an
//! account's changes do to filed reads.

use std::sync::Mutex;

use chrono::Utc;
use trackly_domain::offer::{Metadata, OfferName, OfferStatus, PayoutType, TrackingUrl};
use trackly_domain::Amount;

use super::*;

fn account(digit: char) -> ObjectId {
    ObjectId::parse(&digit.to_string().repeat(24)).expect("an id")
}

fn offer(account: &ObjectId) -> Arc<Offer> {
    let now = Utc::now();
    Arc::new(Offer {
        id: ObjectId::parse("664f1a2b3c4d5e6f7a8b9c0d").expect("an id"),
        account_id: account.clone(),
        code: OfferCode::parse("a1b2c3").expect("a code"),
        name: OfferName::parse("Summer").expect("a name"),
        tracking_url: TrackingUrl::parse("https://example.com/?c={click_id}").expect("a URL"),
        external_platform: None,
        external_id: None,
        advertiser_id: None,
        payout: Amount::ZERO,
        payout_type: PayoutType::Cpa,
        filter_bots: true,
        status: OfferStatus::Active,
        metadata: Metadata::default(),
        created_at: now,
        updated_at: now,
    })
}

fn by_id() -> OfferRef {
    OfferRef::Id(ObjectId::parse("664f1a2b3c4d5e6f7a8b9c0d").expect("an id"))
}

fn is_hit(lookup: &Lookup<Offer>) -> bool {
    matches!(lookup, Lookup::Hit(_))
}

/// A watch whose reading session has just read the log.
fn reading_watch() -> OfferWatch {
    let watch = OfferWatch::with_cache(1 << 20, &OfferWatch::without_cache());
    watch.reading_started();
    watch
}

/// Reads the offer through `watch` the way `offers::get` does, calling `meanwhile`
/// between taking the stamp and filing the answer (while the database is being asked).
fn read_through(watch: &OfferWatch, owner: &ObjectId, meanwhile: impl FnOnce()) {
    let Lookup::Miss(stamp) = watch.offer(owner, &by_id()) else {
        panic!("expected a miss");
    };
    meanwhile();
    watch.file_offer(owner, by_id(), stamp, offer(owner));
}

#[test]
fn a_read_is_served_from_the_cache_until_an_offer_of_its_account_changes() {
    let watch = reading_watch();
    let owner = account('1');
    read_through(&watch, &owner, || {});
    assert!(is_hit(&watch.offer(&owner, &by_id())));
    watch.changed(&owner, &OfferCode::parse("zzzzzz").expect("a code"));
    assert!(!is_hit(&watch.offer(&owner, &by_id())));
}

#[test]
fn a_change_to_another_account_leaves_the_reads_of_this_one() {
    let watch = reading_watch();
    let owner = account('1');
    read_through(&watch, &owner, || {});
    watch.changed(&account('2'), &OfferCode::parse("a1b2c3").expect("a code"));
    assert!(is_hit(&watch.offer(&owner, &by_id())));
}

#[test]
fn an_answer_read_before_a_change_and_filed_after_it_is_never_served() {
    let watch = reading_watch();
    let owner = account('1');
    read_through(&watch, &owner, || {
        watch.changed(&owner, &OfferCode::parse("a1b2c3").expect("a code"));
    });
    assert!(!is_hit(&watch.offer(&owner, &by_id())));
}

#[test]
fn nothing_is_served_or_filed_without_a_reading_session() {
    type Setup = fn(&OfferWatch);
    let cases: [(&str, Setup); 3] = [
        ("never read", |_| {}),
        ("lost after reading", |watch| {
            watch.reading_started();
            watch.reading_lost();
        }),
        ("reading again after a loss", |watch| {
            watch.reading_started();
            watch.reading_lost();
            watch.reading_started();
        }),
    ];
    for (description, state) in cases {
        let watch = OfferWatch::with_cache(1 << 20, &OfferWatch::without_cache());
        state(&watch);
        let owner = account('1');
        read_through(&watch, &owner, || {});
        let reading = watch.stamp(&owner).is_some();
        assert_eq!(
            is_hit(&watch.offer(&owner, &by_id())),
            reading,
            "{description}"
        );
    }
}

#[test]
fn a_session_that_starts_again_voids_what_was_filed_before() {
    let watch = reading_watch();
    let owner = account('1');
    read_through(&watch, &owner, || {});
    watch.reading_started();
    assert!(!is_hit(&watch.offer(&owner, &by_id())));
}

#[test]
fn an_answer_read_while_the_session_was_lost_is_not_served_once_it_is_back() {
    let watch = reading_watch();
    let owner = account('1');
    read_through(&watch, &owner, || {
        watch.reading_lost();
        watch.reading_started();
    });
    assert!(!is_hit(&watch.offer(&owner, &by_id())));
}

#[test]
fn a_watch_without_cache_serves_nothing_and_still_tells_listeners() {
    let watch = OfferWatch::without_cache();
    watch.reading_started();
    let owner = account('1');
    read_through(&watch, &owner, || {});
    assert!(!is_hit(&watch.offer(&owner, &by_id())));
    let heard = Arc::new(Mutex::new(Vec::new()));
    let into = Arc::clone(&heard);
    watch.listen(Box::new(move |code| {
        into.lock().expect("lock").push(code.to_string());
    }));
    watch.changed(&owner, &OfferCode::parse("a1b2c3").expect("a code"));
    assert_eq!(*heard.lock().expect("lock"), ["a1b2c3"]);
}
