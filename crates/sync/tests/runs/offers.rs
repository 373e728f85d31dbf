//! Offer runs (SPEC §10.2): every page becomes or updates the account's twin of each
//! platform offer; a second run neither duplicates nor loses local metadata; an offer
//! breaking our rules is skipped and reported, never half-written.

use std::collections::BTreeMap;

use trackly_app::offers;
use trackly_domain::integration::{RunCounts, RunStatus, SyncKind};
use trackly_domain::offer::{ExternalPlatform, MetadataPatch, OfferRef, OfferStatus, PayoutType};
use trackly_domain::{Offer, OfferPatch};
use trackly_fake_platforms::{EverflowOffer, FakeEverflow, FakeTune, TuneOffer};

use crate::helpers::{Context, KEY};

/// Sets the metadata key `campaign` on `offer`, as a marketer would by hand.
async fn label(context: &Context, offer: &Offer) {
    let patch = OfferPatch {
        metadata: Some(MetadataPatch {
            set: BTreeMap::from([("campaign".to_owned(), "spring".to_owned())]),
            remove: Vec::new(),
        }),
        ..OfferPatch::default()
    };
    offers::update(
        &context.app,
        &context.account,
        OfferRef::Id(offer.id.clone()),
        patch,
    )
    .await
    .expect("labelled");
}

fn meta<'a>(offer: &'a Offer, key: &str) -> Option<&'a str> {
    offer.metadata.entries().get(key).map(String::as_str)
}

fn counts(created: u32, updated: u32, skipped: u32) -> RunCounts {
    RunCounts {
        offers_created: created,
        offers_updated: updated,
        offers_skipped: skipped,
        ..RunCounts::default()
    }
}

fn tune_offers(long_name: &str) -> Vec<TuneOffer> {
    vec![
        TuneOffer::new(531, "Bingo"),
        TuneOffer::new(532, "Per click")
            .with("payout_type", "cpc")
            .with("default_payout", "0.25000"),
        TuneOffer::new(533, "Paused").with("status", "paused"),
        TuneOffer::new(534, "Pending").with("status", "pending"),
        TuneOffer::new(535, long_name),
        TuneOffer::new(536, "Expired").with("is_expired", "1"),
        TuneOffer::new(537, "Deleted").with("status", "deleted"),
    ]
}

#[tokio::test]
async fn tune_offers_of_every_page_become_twins_with_our_click_id_in_aff_sub() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    let long_name = "n".repeat(300);
    tune.set_offers(tune_offers(&long_name));
    let connection = context.connect_tune(&tune).await;
    tune.clear_requests();

    let run = context.run(&connection, SyncKind::Offers).await;

    assert_eq!(run.kind, SyncKind::Offers);
    assert_eq!(run.status, RunStatus::Partial, "{:?}", run.errors);
    assert_eq!(
        run.counts,
        counts(4, 0, 1),
        "deleted offers we never had are not created"
    );
    assert_eq!(
        run.errors,
        ["offer 535: the name is over 255 characters"],
        "the skipped offer is reported"
    );
    let requests = tune.requests();
    let pages: Vec<Option<&str>> = requests
        .iter()
        .filter(|request| request.param("Method") == Some("findAll"))
        .map(|request| request.param("page"))
        .collect();
    assert_eq!(
        pages,
        [Some("1"), Some("2"), Some("3"), Some("4")],
        "seven offers in pages of two"
    );

    let bingo = context.twin(ExternalPlatform::Tune, "531").await;
    assert_eq!(bingo.name.as_str(), "Bingo");
    assert_eq!(
        bingo.tracking_url.as_str(),
        "https://trk.example.com/aff_c?offer_id=531&aff_id=3&aff_sub={click_id}"
    );
    assert_eq!(bingo.payout.value().to_string(), "2");
    assert_eq!(bingo.payout_type, PayoutType::Cpa);
    assert_eq!(bingo.status, OfferStatus::Active);
    assert_eq!(bingo.advertiser_id.as_deref(), Some("18"));
    assert_eq!(meta(&bingo, "tune.status"), Some("active"));
    assert_eq!(meta(&bingo, "tune.payout_type"), Some("cpa_flat"));
    assert_eq!(meta(&bingo, "tune.expiration_date"), Some("2027-10-31"));
    assert!(
        bingo
            .metadata
            .entries()
            .keys()
            .all(|key| key.starts_with("tune.")),
        "{:?}",
        bingo.metadata
    );
    let per_click = context.twin(ExternalPlatform::Tune, "532").await;
    assert_eq!(per_click.payout_type, PayoutType::Cpc);
    assert_eq!(per_click.payout.value().to_string(), "0.25");
    let statuses = [
        ("533", OfferStatus::Paused, "paused stays paused"),
        ("534", OfferStatus::Paused, "pending is paused"),
    ];
    for (id, status, description) in statuses {
        let twin = context.twin(ExternalPlatform::Tune, id).await;
        assert_eq!(twin.status, status, "{description}");
    }
    let all = context.all_offers().await;
    assert_eq!(all.len(), 4, "{all:?}");
    assert!(
        all.iter().all(|offer| offer.name.as_str() != long_name),
        "the long name was never half-written"
    );
}

#[tokio::test]
async fn a_second_tune_run_updates_changes_keeps_local_metadata_and_never_duplicates() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    let long_name = "n".repeat(300);
    tune.set_offers(tune_offers(&long_name));
    let connection = context.connect_tune(&tune).await;
    let first = context.run(&connection, SyncKind::Offers).await;
    assert_eq!(first.counts, counts(4, 0, 1));
    let bingo = context.twin(ExternalPlatform::Tune, "531").await;
    let paused = context.twin(ExternalPlatform::Tune, "533").await;
    label(&context, &bingo).await;
    label(&context, &paused).await;

    // Nothing changed on the platform: nothing changes here.
    let again = context.run(&connection, SyncKind::Offers).await;
    assert_eq!(again.counts, counts(0, 0, 1), "local keys are no change");
    assert_eq!(context.all_offers().await.len(), 4);

    // On the platform: a new payout and status, a deletion, a new offer, a fixed name.
    let mut changed = tune_offers("Fixed name");
    changed[0] = TuneOffer::new(531, "Bingo")
        .with("default_payout", "3.75000")
        .with("status", "paused");
    changed[1] = changed[1].clone().with("status", "deleted");
    changed.push(TuneOffer::new(538, "Newcomer"));
    tune.set_offers(changed);

    let second = context.run(&connection, SyncKind::Offers).await;

    assert_eq!(second.status, RunStatus::Ok, "{:?}", second.errors);
    assert_eq!(
        second.counts,
        counts(2, 2, 0),
        "535 (its name fixed) and 538 created; 531 and 532 updated"
    );
    let bingo = context.twin(ExternalPlatform::Tune, "531").await;
    assert_eq!(bingo.payout.value().to_string(), "3.75");
    assert_eq!(bingo.status, OfferStatus::Paused);
    assert_eq!(meta(&bingo, "tune.status"), Some("paused"));
    assert_eq!(
        meta(&bingo, "campaign"),
        Some("spring"),
        "a local key survives an update"
    );
    let paused = context.twin(ExternalPlatform::Tune, "533").await;
    assert_eq!(meta(&paused, "campaign"), Some("spring"));
    assert_eq!(meta(&paused, "tune.status"), Some("paused"));
    assert_eq!(
        context.twin(ExternalPlatform::Tune, "532").await.status,
        OfferStatus::Archived,
        "deleted on the platform"
    );
    assert_eq!(
        context
            .twin(ExternalPlatform::Tune, "535")
            .await
            .name
            .as_str(),
        "Fixed name"
    );
    context.twin(ExternalPlatform::Tune, "538").await;
    assert_eq!(
        context.all_offers().await.len(),
        6,
        "one twin per platform offer"
    );
    assert_eq!(
        bingo.id,
        context.twin(ExternalPlatform::Tune, "531").await.id,
        "updated in place"
    );

    let runs = context.runs(&connection).await;
    let listed: Vec<_> = runs.iter().map(|run| run.id.clone()).collect();
    assert_eq!(
        listed,
        [second.id, again.id, first.id],
        "GET …/runs lists newest first"
    );
}

#[tokio::test]
async fn everflow_offers_become_twins_with_our_click_id_in_sub1_and_follow_changes() {
    let context = Context::new().await;
    let everflow = FakeEverflow::start(KEY);
    let long_name = "e".repeat(300);
    everflow.set_offers(vec![
        EverflowOffer::new(77, "Acme"),
        EverflowOffer::new(78, "Per click").payout("cpc", "0.3"),
        EverflowOffer::new(79, "Paused").with("offer_status", "paused"),
        EverflowOffer::new(80, &long_name),
        EverflowOffer::new(81, "Top level")
            .payout("cpa", "7.25")
            .payout_at_top_level(),
    ]);
    let connection = context.connect_everflow(&everflow).await;
    everflow.clear_requests();

    let first = context.run(&connection, SyncKind::Offers).await;

    assert_eq!(first.status, RunStatus::Partial);
    assert_eq!(first.counts, counts(4, 0, 1));
    assert_eq!(first.errors, ["offer 80: the name is over 255 characters"]);
    let list_pages = everflow
        .requests()
        .iter()
        .filter(|request| request.path == "/v1/networks/offers")
        .count();
    assert_eq!(list_pages, 3, "five offers in pages of two");
    let acme = context.twin(ExternalPlatform::Everflow, "77").await;
    assert_eq!(
        acme.tracking_url.as_str(),
        "https://www.trk.example.com/77/7/?sub1={click_id}"
    );
    assert_eq!(acme.payout.value().to_string(), "5");
    assert_eq!(acme.payout_type, PayoutType::Cpa);
    assert_eq!(acme.status, OfferStatus::Active);
    assert_eq!(acme.advertiser_id.as_deref(), Some("42"));
    assert_eq!(meta(&acme, "everflow.offer_status"), Some("active"));
    assert_eq!(meta(&acme, "everflow.revenue_amount"), Some("10.0"));
    let per_click = context.twin(ExternalPlatform::Everflow, "78").await;
    assert_eq!(
        (per_click.payout_type, per_click.payout.value().to_string()),
        (PayoutType::Cpc, "0.3".to_owned())
    );
    assert_eq!(
        context.twin(ExternalPlatform::Everflow, "79").await.status,
        OfferStatus::Paused
    );
    assert_eq!(
        context
            .twin(ExternalPlatform::Everflow, "81")
            .await
            .payout
            .value()
            .to_string(),
        "7.25"
    );
    label(&context, &acme).await;

    everflow.set_offers(vec![
        EverflowOffer::new(77, "Acme").payout("cpa", "6.5"),
        EverflowOffer::new(78, "Per click").payout("cpc", "0.3"),
        EverflowOffer::new(79, "Paused").with("offer_status", "active"),
        EverflowOffer::new(80, &long_name),
        EverflowOffer::new(81, "Top level")
            .payout("cpa", "7.25")
            .payout_at_top_level(),
    ]);
    let second = context.run(&connection, SyncKind::Offers).await;

    assert_eq!(second.counts, counts(0, 2, 1));
    let acme = context.twin(ExternalPlatform::Everflow, "77").await;
    assert_eq!(acme.payout.value().to_string(), "6.5");
    assert_eq!(meta(&acme, "campaign"), Some("spring"));
    assert_eq!(
        context.twin(ExternalPlatform::Everflow, "79").await.status,
        OfferStatus::Active
    );
    assert_eq!(context.all_offers().await.len(), 4, "no duplicates");
}

#[tokio::test]
async fn offers_of_both_platforms_with_the_same_id_stay_apart() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    let everflow = FakeEverflow::start(KEY);
    tune.set_offers(vec![TuneOffer::new(77, "On TUNE")]);
    everflow.set_offers(vec![EverflowOffer::new(77, "On Everflow")]);
    let tune_connection = context.connect_tune(&tune).await;
    let everflow_connection = context.connect_everflow(&everflow).await;

    for connection in [&tune_connection, &everflow_connection] {
        let run = context.run(connection, SyncKind::Offers).await;
        assert_eq!(run.counts, counts(1, 0, 0));
    }

    assert_eq!(
        context
            .twin(ExternalPlatform::Tune, "77")
            .await
            .name
            .as_str(),
        "On TUNE"
    );
    assert_eq!(
        context
            .twin(ExternalPlatform::Everflow, "77")
            .await
            .name
            .as_str(),
        "On Everflow"
    );
}
