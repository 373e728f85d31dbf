//! stats::offer/offers and clicks::store/list.

use chrono::{Duration, Utc};
use trackly_app::{clicks, stats};
use trackly_domain::click::{BotReason, Click};
use trackly_domain::offer::OfferRef;
use trackly_domain::query::{ClickFilter, Page};
use trackly_domain::stats::DateRange;
use trackly_domain::ObjectId;

use crate::helpers::Context;

/// A click of `offer` at `at` from `visitor`.
pub(crate) fn click(
    context: &Context,
    offer: &ObjectId,
    at: chrono::DateTime<Utc>,
    visitor: &str,
    bot: bool,
) -> Click {
    Click {
        id: ObjectId::new(u32::try_from(at.timestamp()).expect("recent"), rand_bytes()),
        account_id: context.account.account_id.clone(),
        offer_id: Some(offer.clone()),
        link: None,
        first_click: false,
        created_at: at,
        ip: Some(visitor.to_owned()),
        user_agent: Some("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)".to_owned()),
        referer: None,
        subs: Default::default(),
        bot_reason: bot.then_some(BotReason::BotUserAgent),
    }
}

fn rand_bytes() -> [u8; 8] {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::SeqCst).to_be_bytes()
}

#[tokio::test]
async fn stats_total_every_day_of_the_range() {
    let context = Context::new().await;
    let offer = context.offer("Counted").await;
    let today = Utc::now();
    let yesterday = today - Duration::days(1);
    let batch = vec![
        click(&context, &offer.id, today, "10.0.0.1", false),
        click(&context, &offer.id, today, "10.0.0.1", false),
        click(&context, &offer.id, today, "10.0.0.2", true),
        click(&context, &offer.id, yesterday, "10.0.0.3", false),
    ];
    context.store_clicks(&batch);
    let range = DateRange {
        from: yesterday.date_naive() - Duration::days(1),
        to: today.date_naive(),
    };
    let account = &context.account.account_id;
    let offer_stats = stats::offer(&context.app, account, OfferRef::Id(offer.id.clone()), range)
        .await
        .expect("stats");
    assert_eq!(offer_stats.daily.len(), 3, "every day, zeros included");
    assert_eq!(offer_stats.totals.clicks, 4);
    assert_eq!(offer_stats.totals.bot_clicks, 1);
    assert_eq!(
        offer_stats.totals.unique_clicks, 3,
        "per day: 2 today, 1 yesterday"
    );
    assert_eq!(
        offer_stats.totals.clicks,
        offer_stats
            .daily
            .iter()
            .map(|day| day.counts.clicks)
            .sum::<i64>()
    );
    let overview = stats::offers(
        &context.app,
        account,
        range,
        Page {
            page: 1,
            per_page: 50,
        },
    )
    .await
    .expect("overview");
    assert_eq!(overview.items.len(), 1);
    assert_eq!(overview.items[0].counts, offer_stats.totals);

    let bots = clicks::list(
        &context.app,
        account,
        OfferRef::Id(offer.id.clone()),
        ClickFilter {
            is_bot: Some(true),
            ..ClickFilter::default()
        },
        Page {
            page: 1,
            per_page: 50,
        },
    )
    .await
    .expect("listed");
    assert_eq!(bots.items.len(), 1);
    assert_eq!(bots.items[0].bot_reason, Some(BotReason::BotUserAgent));

    let target = clicks::redirect_target(&context.app, offer.code.as_str())
        .await
        .expect("looked up")
        .expect("a target");
    assert_eq!(target.offer_id, offer.id);
    assert_eq!(
        clicks::redirect_target(&context.app, "zzzzzz").await,
        Ok(None)
    );
}
