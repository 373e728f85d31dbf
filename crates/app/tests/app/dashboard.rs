//! The dashboard's reads: the account's days add up its offers' days, each counted by
//! its own rules; an offer's page lists its newest clicks.

use chrono::{Duration, Utc};
use trackly_app::{dashboard, offers, stats};
use trackly_domain::input::Sent;
use trackly_domain::offer::{OfferInput, OfferRef};
use trackly_domain::stats::{Counts, DateRange};
use trackly_domain::OfferPatch;

use crate::helpers::Context;
use crate::stats::click;

#[tokio::test]
async fn the_overview_adds_up_every_offer_counted_by_its_own_rules() {
    let context = Context::new().await;
    let per_click = context
        .offer_with(OfferInput {
            name: "Per click, bots left out".into(),
            tracking_url: "https://a.example".into(),
            payout: "0.25".into(),
            payout_type: Sent::Value("cpc".to_owned()),
            filter_bots: Sent::Value(true),
            ..OfferInput::default()
        })
        .await;
    let archived = context.offer("Archived later").await;
    let now = Utc::now();
    let yesterday = now - Duration::days(1);
    let batch = vec![
        click(&context, &per_click.id, now, "10.0.0.1", false),
        click(&context, &per_click.id, now, "10.0.0.2", true),
        click(&context, &per_click.id, yesterday, "10.0.0.3", false),
        click(&context, &archived.id, now, "10.0.0.4", false),
        click(&context, &archived.id, now, "10.0.0.4", true),
    ];
    context.store_clicks(&batch);
    let account = &context.account.account_id;
    offers::update(
        &context.app,
        account,
        OfferRef::Id(archived.id.clone()),
        OfferPatch {
            status: Some(trackly_domain::offer::OfferStatus::Archived),
            ..OfferPatch::default()
        },
    )
    .await
    .expect("archive");
    let range = DateRange {
        from: yesterday.date_naive(),
        to: now.date_naive(),
    };

    let overview = dashboard::overview(&context.app, account, range)
        .await
        .expect("overview");
    let mut each = Vec::new();
    for offer in [&per_click, &archived] {
        let days = stats::offer(&context.app, account, OfferRef::Id(offer.id.clone()), range)
            .await
            .expect("offer stats");
        each.push(days);
    }
    for (index, day) in overview.stats.daily.iter().enumerate() {
        let sum = Counts::total(each.iter().map(|offer| &offer.daily[index].counts));
        assert_eq!(
            day.counts, sum,
            "{}: the account's day is its offers' days added up",
            day.day
        );
    }
    assert_eq!(
        overview.stats.totals.clicks,
        2 + 2,
        "bots left out of the cpc offer only"
    );
    assert_eq!(overview.stats.totals.bot_clicks, 2);
    assert_eq!(
        overview.stats.totals.revenue.normalize().to_string(),
        "0.5",
        "two counted clicks at 0.25"
    );
    assert_eq!(overview.live_offers, 1, "the archived offer is not live");
    assert_eq!(overview.top_offers.len(), 1);

    let page = dashboard::offer(
        &context.app,
        account,
        OfferRef::Id(per_click.id.clone()),
        range,
    )
    .await
    .expect("offer page");
    let times: Vec<_> = page
        .recent_clicks
        .iter()
        .map(|click| click.created_at)
        .collect();
    assert_eq!(times.len(), 3);
    assert!(
        times.windows(2).all(|pair| pair[0] >= pair[1]),
        "newest first"
    );
    assert_eq!(page.stats.totals, each[0].totals);
}
