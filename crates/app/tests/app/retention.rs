//! Click retention (SPEC §14): months of clicks past `TRACKLY_CLICK_RETENTION_DAYS` are
//! dropped whole; the daily stats of those days stay.

use std::num::NonZeroU32;

use chrono::{Duration, NaiveDate, Utc};
use trackly_app::{clicks, maintenance, stats};
use trackly_domain::offer::OfferRef;
use trackly_domain::query::{ClickFilter, Page};
use trackly_domain::stats::{Counts, DateRange};
use trackly_domain::ObjectId;

use crate::helpers::{Context, Moved};
use crate::stats::click;

/// The offer's totals over `day`.
async fn old_day_totals(context: &Context, offer: &ObjectId, day: DateRange) -> Counts {
    stats::offer(
        &context.app,
        &context.account.account_id,
        OfferRef::Id(offer.clone()),
        day,
    )
    .await
    .expect("stats")
    .totals
}

/// How many raw clicks of the offer are stored from `from` on.
async fn raw_clicks(context: &Context, offer: &ObjectId, from: NaiveDate) -> u64 {
    let filter = ClickFilter {
        from: Some(from),
        ..ClickFilter::default()
    };
    let page = Page {
        page: 1,
        per_page: 50,
    };
    clicks::list(
        &context.app,
        &context.account.account_id,
        OfferRef::Id(offer.clone()),
        filter,
        page,
    )
    .await
    .expect("clicks")
    .pagination
    .total
}

#[tokio::test]
async fn months_past_the_retention_are_dropped_and_their_stats_stay() {
    let context = Context::new().await;
    let offer = context.offer("Kept stats").await;
    let now = Utc::now();
    let old = now - Duration::days(200);
    let clock = Moved::at(old);
    let app = context.app.clone().with_clock(clock.clone());
    // A server running 200 days ago made that month's partitions.
    maintenance::upkeep_click_partitions(&app, None)
        .await
        .expect("partitions then");
    let batch = vec![
        click(&context, &offer.id, old, "10.0.0.1", false),
        click(&context, &offer.id, old, "10.0.0.2", true),
        click(&context, &offer.id, now, "10.0.0.3", false),
    ];
    context.store_clicks(&batch);
    let old_day = DateRange {
        from: old.date_naive(),
        to: old.date_naive(),
    };
    let before = old_day_totals(&context, &offer.id, old_day).await;
    assert_eq!((before.clicks, before.bot_clicks), (2, 1));
    assert_eq!(raw_clicks(&context, &offer.id, old.date_naive()).await, 3);

    clock.forward(Duration::days(200));
    let ninety = NonZeroU32::new(90).expect("not zero");
    let upkeep = maintenance::upkeep_click_partitions(&app, Some(ninety))
        .await
        .expect("upkeep");
    let old_month = format!("clicks_{}", old.format("%Y_%m"));
    assert!(
        upkeep.dropped.contains(&old_month),
        "{old_month} dropped: {upkeep:?}"
    );
    assert!(!upkeep.dropped.iter().any(|name| name == "clicks_default"));
    assert_eq!(
        raw_clicks(&context, &offer.id, old.date_naive()).await,
        1,
        "only today's click is left"
    );
    assert_eq!(
        old_day_totals(&context, &offer.id, old_day).await,
        before,
        "the old day's stats are unchanged"
    );

    let again = maintenance::upkeep_click_partitions(&app, Some(ninety))
        .await
        .expect("again");
    assert!(
        again.dropped.is_empty(),
        "nothing more is past 90 days: {again:?}"
    );
    clock.forward(Duration::days(400));
    let later = maintenance::upkeep_click_partitions(&app, Some(ninety))
        .await
        .expect("later");
    let this_month = format!("clicks_{}", now.format("%Y_%m"));
    assert!(
        later.dropped.contains(&this_month),
        "a year on, this month goes too: {later:?}"
    );
    assert_eq!(raw_clicks(&context, &offer.id, old.date_naive()).await, 0);
}
