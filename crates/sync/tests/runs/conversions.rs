//! Conversion runs (SPEC §10.3): each conversion becomes a revenue event with txn_id
//! `<platform>:<id>`, matched by click id, then by the message field (our click id, or the
//! message whose first click of the offer earns it), then by the offer; unmatched ones
//! are reported; a re-run duplicates nothing; a later rejection is refunded once.

use chrono::{DateTime, Duration, DurationRound, Utc};
use rust_decimal::Decimal;
use trackly_app::stats;
use trackly_domain::integration::{RunCounts, RunStatus, SyncKind};
use trackly_domain::offer::{ExternalPlatform, OfferRef};
use trackly_domain::revenue::{EventType, RevenueEvent};
use trackly_domain::stats::{Counts, DateRange};
use trackly_domain::{ObjectId, Offer};
use trackly_fake_platforms::{
    EverflowConversion, EverflowOffer, FakeEverflow, FakeTune, TuneConversion, TuneOffer,
};

use crate::helpers::{tune_time, Context, KEY};

fn imported(imported: u32, duplicates: u32, unmatched: u32) -> RunCounts {
    RunCounts {
        conversions_imported: imported,
        duplicates,
        unmatched,
        ..RunCounts::default()
    }
}

/// The offer's totals over the last week.
async fn totals(context: &Context, offer: &Offer) -> Counts {
    let today = Utc::now().date_naive();
    let range = DateRange {
        from: today - Duration::days(7),
        to: today,
    };
    stats::offer(
        &context.app,
        &context.account,
        OfferRef::Id(offer.id.clone()),
        range,
    )
    .await
    .expect("the stats")
    .totals
}

fn amount(text: &str) -> Decimal {
    text.parse().expect("an amount")
}

/// The events with this txn id (a duplicate would show as two).
fn with_txn<'a>(events: &'a [RevenueEvent], txn_id: &str) -> Vec<&'a RevenueEvent> {
    events
        .iter()
        .filter(|event| event.txn_id.as_deref() == Some(txn_id))
        .collect()
}

/// A whole second in the past, as the platforms report times.
fn ago(span: Duration) -> DateTime<Utc> {
    (Utc::now() - span)
        .duration_trunc(Duration::seconds(1))
        .expect("whole seconds")
}

#[tokio::test]
async fn tune_conversions_match_by_click_message_and_offer_and_rejections_become_one_refund() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    tune.set_offers(vec![
        TuneOffer::new(531, "Bingo"),
        TuneOffer::new(532, "Slots"),
        TuneOffer::new(533, "Poker"),
    ]);
    let connection = context.connect_tune(&tune).await;
    let offers = context.run(&connection, SyncKind::Offers).await;
    assert_eq!(offers.status, RunStatus::Ok);
    let bingo = context.twin(ExternalPlatform::Tune, "531").await;
    let slots = context.twin(ExternalPlatform::Tune, "532").await;
    let poker = context.twin(ExternalPlatform::Tune, "533").await;

    // Clicks three and four hours ago; conversions an hour ago.
    let by_click = context.click(&bingo, ago(Duration::hours(3)));
    let by_sub = context.click(&bingo, ago(Duration::hours(3)));
    let to_ann = context.link(&slots, "msg-7", "+14155550001").await;
    let to_bob = context.link(&slots, "msg-7", "+14155550002").await;
    let bob_first = context.follow(&to_bob, ago(Duration::hours(4)));
    context.follow(&to_ann, ago(Duration::hours(3)));
    context.follow(&to_bob, ago(Duration::hours(2)));
    let never_stored = ObjectId::new(
        u32::try_from(ago(Duration::hours(3)).timestamp()).expect("recent"),
        [9; 8],
    );
    let at = ago(Duration::hours(1));
    let when = tune_time(at);
    let conversions = |click_status: &str, offer_status: &str| {
        vec![
            TuneConversion::new("ev-click", 531, &when, click_status, "2.50000")
                .mobile("affiliate_click_id", by_click.id.as_str()),
            TuneConversion::new("ev-sub", 531, &when, "approved", "1.00000")
                .stat("ad_id", "tune-session-102f")
                .stat("affiliate_info1", by_sub.id.as_str()),
            TuneConversion::new("ev-msg", 532, &when, "approved", "4.00000")
                .stat("affiliate_info1", "msg-7"),
            TuneConversion::new("ev-offer", 533, &when, offer_status, "7.00000"),
            TuneConversion::new("ev-pending", 533, &when, "pending", "3.00000"),
            TuneConversion::new("ev-never", 533, &when, "rejected", "5.00000"),
            TuneConversion::new("ev-lost", 999, &when, "approved", "9.00000")
                .mobile("affiliate_click_id", never_stored.as_str()),
        ]
    };
    tune.set_conversions(conversions("approved", "approved"));

    let first = context.run(&connection, SyncKind::Conversions).await;

    assert_eq!(first.kind, SyncKind::Conversions);
    assert_eq!(first.status, RunStatus::Partial, "{:?}", first.errors);
    assert_eq!(
        first.counts,
        imported(5, 0, 1),
        "a rejection never imported is left out"
    );
    assert_eq!(first.errors.len(), 1, "{:?}", first.errors);
    assert!(
        first.errors[0].starts_with("conversion tune:ev-lost: no click or offer"),
        "{:?}",
        first.errors
    );
    let events = context.revenue().await;
    assert_eq!(events.len(), 5, "{events:?}");
    let expected = [
        (
            "tune:ev-click",
            &bingo,
            Some(&by_click.id),
            None,
            "2.5",
            "the platform's click id is ours",
        ),
        (
            "tune:ev-sub",
            &bingo,
            Some(&by_sub.id),
            None,
            "1",
            "aff_sub holds our click id",
        ),
        (
            "tune:ev-msg",
            &slots,
            Some(&bob_first.id),
            Some("msg-7"),
            "4",
            "aff_sub holds the message: its first click of the offer",
        ),
        ("tune:ev-offer", &poker, None, None, "7", "the offer alone"),
        (
            "tune:ev-pending",
            &poker,
            None,
            None,
            "3",
            "pending is payable",
        ),
    ];
    for (txn, offer, click, message, revenue, description) in expected {
        let found = with_txn(&events, txn);
        assert_eq!(found.len(), 1, "{description}");
        let event = found[0];
        assert_eq!(event.offer_id, offer.id, "{description}");
        assert_eq!(
            event.click_id.as_deref(),
            click.map(ObjectId::as_str),
            "{description}"
        );
        assert_eq!(event.message_id.as_deref(), message, "{description}");
        assert_eq!(event.revenue.value().to_string(), revenue, "{description}");
        assert_eq!(event.event_type, EventType::Sale, "{description}");
        assert_eq!(event.occurred_at, at, "{description}: the platform's time");
    }
    assert_eq!(totals(&context, &bingo).await.revenue, amount("3.5"));
    assert_eq!(totals(&context, &slots).await.revenue, amount("4"));
    assert_eq!(totals(&context, &poker).await.revenue, amount("10"));

    let again = context.run(&connection, SyncKind::Conversions).await;

    assert_eq!(again.counts, imported(0, 5, 1), "a re-run duplicates");
    assert_eq!(context.revenue().await.len(), 5, "and adds no revenue");
    assert_eq!(totals(&context, &poker).await.revenue, amount("10"));

    // The platform rejects two conversions it had approved.
    tune.set_conversions(conversions("rejected", "rejected"));
    let rejected = context.run(&connection, SyncKind::Conversions).await;

    assert_eq!(rejected.counts, imported(2, 3, 1), "two refunds");
    let events = context.revenue().await;
    let refunds = [
        ("tune:ev-click:refund", &bingo, Some(&by_click.id), "2.5"),
        ("tune:ev-offer:refund", &poker, None, "7"),
    ];
    for (txn, offer, click, revenue) in refunds {
        let found = with_txn(&events, txn);
        assert_eq!(found.len(), 1, "{txn}");
        let refund = found[0];
        assert_eq!(refund.event_type, EventType::Refund, "{txn}");
        assert_eq!(
            refund.revenue.value().to_string(),
            revenue,
            "{txn}: the same amount"
        );
        assert_eq!(refund.offer_id, offer.id, "{txn}");
        assert_eq!(
            refund.click_id.as_deref(),
            click.map(ObjectId::as_str),
            "{txn}"
        );
    }
    assert_eq!(totals(&context, &bingo).await.revenue, amount("1"));
    assert_eq!(totals(&context, &poker).await.revenue, amount("3"));

    let once_more = context.run(&connection, SyncKind::Conversions).await;

    assert_eq!(once_more.counts, imported(0, 5, 1), "refunded once");
    assert_eq!(context.revenue().await.len(), 7);
    assert_eq!(totals(&context, &poker).await.revenue, amount("3"));
}

#[tokio::test]
async fn everflow_conversions_match_by_transaction_id_sub1_and_offer_and_refund_once() {
    let context = Context::new().await;
    let everflow = FakeEverflow::start(KEY);
    everflow.set_offers(vec![
        EverflowOffer::new(77, "Acme"),
        EverflowOffer::new(78, "Beta"),
        EverflowOffer::new(79, "Gamma"),
    ]);
    let connection = context.connect_everflow(&everflow).await;
    context.run(&connection, SyncKind::Offers).await;
    let acme = context.twin(ExternalPlatform::Everflow, "77").await;
    let beta = context.twin(ExternalPlatform::Everflow, "78").await;
    let gamma = context.twin(ExternalPlatform::Everflow, "79").await;
    let clicked = context.click(&acme, ago(Duration::hours(3)));
    let link = context.link(&beta, "msg-9", "+14155550003").await;
    let first = context.follow(&link, ago(Duration::hours(3)));
    let at = ago(Duration::hours(1)).timestamp();
    let conversions = |status: &str| {
        vec![
            EverflowConversion::new("cv-click", 77, at, status, "5.0")
                .with("transaction_id", clicked.id.as_str()),
            EverflowConversion::new("cv-msg", 78, at, "approved", "6.0").with("sub1", "msg-9"),
            EverflowConversion::new("cv-offer", 79, at, "approved", "7.5"),
            EverflowConversion::new("cv-event", 79, at, "approved", "1.0").with("is_event", true),
            EverflowConversion::new("cv-lost", 99, at, "approved", "8.0")
                .with("transaction_id", "a8f3c2e4b1d94e0f"),
        ]
    };
    everflow.set_conversions(conversions("approved"));

    let ended = context
        .syncer()
        .run_account(&context.account, Some(ExternalPlatform::Everflow))
        .await
        .expect("the runs");

    let kinds: Vec<SyncKind> = ended.iter().map(|run| run.kind).collect();
    assert_eq!(kinds, [SyncKind::Offers, SyncKind::Conversions]);
    assert_eq!(ended[0].counts, RunCounts::default(), "offers unchanged");
    let run = &ended[1];
    assert_eq!(run.status, RunStatus::Partial);
    assert_eq!(run.counts, imported(3, 0, 1), "events are not conversions");
    assert!(
        run.errors[0].starts_with("conversion everflow:cv-lost:"),
        "{:?}",
        run.errors
    );
    let events = context.revenue().await;
    assert_eq!(events.len(), 3);
    let click = context.event("everflow:cv-click").await;
    assert_eq!(
        (click.offer_id.clone(), click.click_id.as_deref()),
        (acme.id.clone(), Some(clicked.id.as_str()))
    );
    let message = context.event("everflow:cv-msg").await;
    assert_eq!(message.click_id.as_deref(), Some(first.id.as_str()));
    assert_eq!(message.message_id.as_deref(), Some("msg-9"));
    let offer = context.event("everflow:cv-offer").await;
    assert_eq!(
        (offer.offer_id.clone(), offer.click_id.clone()),
        (gamma.id.clone(), None)
    );
    assert_eq!(offer.revenue.value().to_string(), "7.5");
    assert_eq!(totals(&context, &acme).await.revenue, amount("5"));

    everflow.set_conversions(conversions("rejected"));
    for (round, expected) in [(1, imported(1, 2, 1)), (2, imported(0, 3, 1))] {
        let run = context.run(&connection, SyncKind::Conversions).await;
        assert_eq!(run.counts, expected, "rejected, round {round}");
    }
    let events = context.revenue().await;
    let refunds = with_txn(&events, "everflow:cv-click:refund");
    assert_eq!(refunds.len(), 1, "refunded once");
    assert_eq!(refunds[0].event_type, EventType::Refund);
    assert_eq!(refunds[0].revenue.value().to_string(), "5");
    assert_eq!(refunds[0].click_id.as_deref(), Some(clicked.id.as_str()));
    assert_eq!(totals(&context, &acme).await.revenue, Decimal::ZERO);
}

#[tokio::test]
async fn a_run_reports_every_unmatched_conversion_in_its_counts_and_at_most_100_errors() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    let connection = context.connect_tune(&tune).await;
    let when = tune_time(ago(Duration::hours(1)));
    tune.set_conversions(
        (0..105)
            .map(|n| {
                TuneConversion::new(&format!("lost-{n:03}"), 999, &when, "approved", "1.00000")
            })
            .collect(),
    );

    let run = context.run(&connection, SyncKind::Conversions).await;

    assert_eq!(run.status, RunStatus::Partial);
    assert_eq!(run.counts, imported(0, 0, 105), "every one counted");
    assert_eq!(run.errors.len(), 100, "GET …/runs keeps at most 100 errors");
    assert!(
        run.errors[0].starts_with("conversion tune:lost-000:"),
        "{:?}",
        run.errors[0]
    );
    assert!(context.revenue().await.is_empty());
}
