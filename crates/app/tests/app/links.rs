//! links::shorten/shorten_many/get/list/route, first clicks decided by the database, and
//! revenue by message id credited to the first click.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde_json::json;
use trackly_app::{clicks, links, revenue, App, AppError};
use trackly_domain::click::{BotReason, Click};
use trackly_domain::link::{
    ClickLink, Link, LinkFilter, LinkId, LinkInput, LinkRefused, NewLink, RouteTarget,
};
use trackly_domain::offer::{OfferInput, OfferRef};
use trackly_domain::query::{ClickFilter, Page};
use trackly_domain::revenue::{RevenueFields, RevenueInput};
use trackly_domain::ObjectId;

use crate::helpers::{answer, Context};

fn request(body: serde_json::Value) -> NewLink {
    let input: LinkInput = serde_json::from_value(body).expect("reads");
    NewLink::shorten(input).expect("valid")
}

/// Makes a link and returns it.
async fn shorten(context: &Context, link: NewLink) -> Result<Link, AppError> {
    let (sender, receiver) = std::sync::mpsc::channel();
    links::shorten(
        &context.app,
        &context.account.account_id,
        link,
        None,
        move |made| {
            let _ = sender.send(made.clone());
            answer(201)
        },
    )
    .await?;
    Ok(receiver.recv().expect("the link"))
}

/// A click through `link` at `at`, by a person unless `bot`.
fn click(link: &Link, at: DateTime<Utc>, bot: bool) -> Click {
    let mut random = [0u8; 8];
    random.copy_from_slice(&rand::random::<[u8; 8]>());
    Click {
        id: ObjectId::new(u32::try_from(at.timestamp()).expect("recent"), random),
        account_id: link.account_id.clone(),
        offer_id: link.offer_id.clone(),
        link: Some(ClickLink {
            link_id: link.id.clone(),
            message_id: link.message_id.clone(),
            list_id: link.list_id.clone(),
            contact_phone: link.contact_phone.clone(),
        }),
        first_click: false,
        created_at: at,
        ip: Some("198.51.100.7".to_owned()),
        user_agent: Some("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)".to_owned()),
        referer: None,
        subs: Default::default(),
        bot_reason: bot.then_some(BotReason::BotUserAgent),
    }
}

#[tokio::test]
async fn links_are_made_in_both_modes_and_read_back() {
    let context = Context::new().await;
    let offer = context.offer("Summer").await;
    let by_code = shorten(
        &context,
        request(json!({"offerId": offer.code.as_str(), "listId": "spring", "messageId": "m-1"})),
    )
    .await
    .expect("offer mode");
    assert_eq!(by_code.offer_id.as_ref(), Some(&offer.id));
    assert_eq!(by_code.destination_url, offer.tracking_url.as_str());
    let by_url = shorten(
        &context,
        request(json!({"url": "https://shop.example/sale", "phoneNumber": "+14155550123"})),
    )
    .await
    .expect("URL mode");
    assert_eq!(by_url.offer_id, None);
    assert_ne!(by_code.id, by_url.id);

    let (read, stats) = links::get(
        &context.app,
        &context.account.account_id,
        by_code.id.clone(),
    )
    .await
    .expect("found");
    assert_eq!(read, by_code);
    assert_eq!(stats.clicks, 0);

    let routes = [
        (by_code.id.clone(), RouteTarget::Offer(offer.code.clone())),
        (
            by_url.id.clone(),
            RouteTarget::Url("https://shop.example/sale".to_owned()),
        ),
    ];
    let unknown = LinkId::parse("ZZZZZZZ").expect("well formed");
    let mut asked: Vec<LinkId> = routes.iter().map(|(id, _)| id.clone()).collect();
    asked.push(unknown);
    let app = context.app.clone();
    let found = tokio::task::spawn_blocking(move || links::routes_blocking(&app, &asked))
        .await
        .expect("the lookup ran")
        .expect("looked up");
    assert_eq!(found.len(), 2, "the unknown id is left out: {found:?}");
    for (id, target) in routes {
        let route = found
            .iter()
            .find(|route| route.link_id == id)
            .expect("known");
        assert_eq!(route.target, target);
    }

    let page = Page {
        page: 1,
        per_page: 50,
    };
    let listed =
        |filter: LinkFilter| links::list(&context.app, &context.account.account_id, filter, page);
    let by_message = listed(LinkFilter {
        message_id: Some("m-1".to_owned()),
        ..LinkFilter::default()
    })
    .await
    .expect("listed");
    assert_eq!(by_message.items, vec![by_code.clone()]);
    let all = listed(LinkFilter::default()).await.expect("listed");
    assert_eq!(all.items, vec![by_url, by_code], "newest first");
}

#[tokio::test]
async fn paused_offers_and_other_accounts_offers_cannot_be_linked() {
    let context = Context::new().await;
    let paused = context
        .offer_with(OfferInput {
            name: "Paused".into(),
            tracking_url: "https://adv.example/c".into(),
            status: "paused".into(),
            ..OfferInput::default()
        })
        .await;
    let refused = shorten(
        &context,
        request(json!({"offerId": paused.id.as_str(), "listId": "l"})),
    )
    .await;
    assert_eq!(
        refused,
        Err(AppError::LinkRefused(LinkRefused::OfferNotFound))
    );

    let other = Context::new().await;
    let theirs = other.offer("Theirs").await;
    let refused = shorten(
        &context,
        request(json!({"offerId": theirs.code.as_str(), "listId": "l"})),
    )
    .await;
    assert_eq!(
        refused,
        Err(AppError::LinkRefused(LinkRefused::OfferNotFound))
    );
}

#[tokio::test]
async fn the_first_human_click_per_message_and_contact_wins_once() {
    let context = Context::new().await;
    let offer = context.offer("Summer").await;
    let to_ann = shorten(
        &context,
        request(json!({"offerId": offer.id.as_str(), "listId": "l", "messageId": "m-1", "contactPhone": "+14155550001"})),
    )
    .await
    .expect("made");
    let to_bob = shorten(
        &context,
        request(json!({"offerId": offer.id.as_str(), "listId": "l", "messageId": "m-1", "contactPhone": "+14155550002"})),
    )
    .await
    .expect("made");
    let now = Utc::now();
    let earlier = now - chrono::Duration::seconds(1);
    // A preview bot first, then Ann twice (the earlier click comes later in the batch),
    // then Bob.
    context.store_clicks(&[click(&to_ann, earlier - chrono::Duration::seconds(1), true)]);
    context.store_clicks(&[click(&to_ann, now, false), click(&to_ann, earlier, false)]);
    context.store_clicks(&[click(&to_ann, now, false), click(&to_bob, now, false)]);

    let listed = clicks::list(
        &context.app,
        &context.account.account_id,
        OfferRef::Id(offer.id.clone()),
        ClickFilter::default(),
        Page {
            page: 1,
            per_page: 50,
        },
    )
    .await
    .expect("listed");
    let firsts: Vec<&Click> = listed
        .items
        .iter()
        .filter(|click| click.first_click)
        .collect();
    assert_eq!(firsts.len(), 2, "one for Ann, one for Bob");
    let ann_first = firsts
        .iter()
        .find(|click| click.link.as_ref().map(|link| &link.link_id) == Some(&to_ann.id))
        .expect("Ann's first click");
    assert_eq!(
        ann_first.created_at.timestamp(),
        earlier.timestamp(),
        "the earliest of the batch"
    );
    assert!(listed
        .items
        .iter()
        .all(|click| !(click.first_click && click.bot_reason.is_some())));

    let (_, stats) = links::get(&context.app, &context.account.account_id, to_ann.id.clone())
        .await
        .expect("found");
    assert_eq!(
        (stats.clicks, stats.first_clicks, stats.bot_clicks),
        (4, 1, 1)
    );

    // Revenue for the message goes to the earliest first click of the message.
    let fields = RevenueFields {
        offer_id: offer.id.as_str().into(),
        message_id: "m-1".into(),
        revenue: "12.5".into(),
        ..RevenueFields::default()
    };
    let input = RevenueInput::new(fields, Utc::now()).expect("valid");
    let (sender, receiver) = std::sync::mpsc::channel();
    revenue::record(
        &context.app,
        &context.account.account_id,
        input,
        None,
        move |recorded| {
            let _ = sender.send(recorded.clone());
            answer(201)
        },
    )
    .await
    .expect("recorded");
    let recorded = receiver.recv().expect("the event");
    assert_eq!(recorded.click_id.as_deref(), Some(ann_first.id.as_str()));
    let (_, stats) = links::get(&context.app, &context.account.account_id, to_ann.id.clone())
        .await
        .expect("found");
    assert_eq!(
        (stats.conversions, stats.revenue.to_string()),
        (1, "12.5".to_owned())
    );
}

#[tokio::test]
async fn concurrent_writers_agree_on_exactly_one_first_click() {
    let context = Arc::new(Context::new().await);
    let link = shorten(
        &context,
        request(json!({"url": "https://shop.example", "listId": "l", "messageId": "m-9"})),
    )
    .await
    .expect("made");
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let context = Arc::clone(&context);
            let link = link.clone();
            std::thread::spawn(move || {
                for _ in 0..10 {
                    let batch: Vec<Click> =
                        (0..5).map(|_| click(&link, Utc::now(), false)).collect();
                    context.store_clicks(&batch);
                }
            })
        })
        .collect();
    for writer in writers {
        writer.join().expect("a writer");
    }
    let (_, stats) = links::get(&context.app, &context.account.account_id, link.id.clone())
        .await
        .expect("found");
    assert_eq!((stats.clicks, stats.first_clicks), (200, 1));
}

/// What a node's click writer remembers: the first-click keys it saw taken.
#[derive(Default)]
struct ClaimMemo(Mutex<HashSet<clicks::ClaimKey>>);

impl ClaimMemo {
    /// Stores `batch` through `app` as a writer with this memory; returns how many keys
    /// the batch put forward (claimed or found taken).
    fn store(&self, app: &App, batch: &[Click]) -> usize {
        let known = self.0.lock().expect("memo").clone();
        let remembered = clicks::Remembered {
            visitor: &|_| false,
            claim: &|key| known.contains(key),
        };
        let stored =
            clicks::store(app, batch, remembered, clicks::MayBeStored::No).expect("stored");
        let put_forward = stored.taken_claims.len();
        self.0.lock().expect("memo").extend(stored.taken_claims);
        put_forward
    }
}

#[tokio::test]
async fn a_node_skips_claims_it_saw_taken_and_two_nodes_still_make_one_first_click() {
    let context = Context::new().await;
    let link = shorten(
        &context,
        request(json!({"url": "https://shop.example", "listId": "l", "messageId": "m-7", "contactPhone": "+14155550007"})),
    )
    .await
    .expect("made");
    let other_node = context.another_node();
    let (memo_a, memo_b) = (ClaimMemo::default(), ClaimMemo::default());
    let human = || click(&link, Utc::now(), false);

    assert_eq!(memo_a.store(&context.app, &[human()]), 1, "A claims");
    assert_eq!(
        memo_a.store(&context.app, &[human(), human()]),
        0,
        "A's repeat clicks skip the claim"
    );
    assert_eq!(
        memo_b.store(&other_node, &[human()]),
        1,
        "B does not know the key: it claims and PostgreSQL refuses"
    );
    assert_eq!(memo_b.store(&other_node, &[human()]), 0, "B now knows");
    let (_, stats) = links::get(&context.app, &context.account.account_id, link.id.clone())
        .await
        .expect("found");
    assert_eq!((stats.clicks, stats.first_clicks), (5, 1));

    // A key remembered as taken is not claimed at all: here a memory that knows every
    // key makes a message's only click no first click.
    let unclaimed = shorten(
        &context,
        request(json!({"url": "https://shop.example", "messageId": "m-8", "listId": "l"})),
    )
    .await
    .expect("made");
    let everything_taken = clicks::Remembered {
        visitor: &|_| false,
        claim: &|_| true,
    };
    let stored = clicks::store(
        &context.app,
        &[click(&unclaimed, Utc::now(), false)],
        everything_taken,
        clicks::MayBeStored::No,
    )
    .expect("stored");
    assert!(stored.taken_claims.is_empty());
    let (_, stats) = links::get(&context.app, &context.account.account_id, unclaimed.id)
        .await
        .expect("found");
    assert_eq!((stats.clicks, stats.first_clicks), (1, 0));
}

#[tokio::test]
async fn messages_are_listed_newest_first_with_their_link_counts() {
    let context = Context::new().await;
    for (message, contact) in [
        ("m-old", "+14155550001"),
        ("m-new", "+14155550002"),
        ("m-new", "+14155550003"),
    ] {
        let link = request(
            json!({"url": "https://shop.example", "listId": "l", "messageId": message, "contactPhone": contact}),
        );
        shorten(&context, link).await.expect("made");
    }
    shorten(
        &context,
        request(json!({"url": "https://shop.example", "listId": "l"})),
    )
    .await
    .expect("a link without a message");
    let page = Page {
        page: 1,
        per_page: 50,
    };
    let listed =
        trackly_app::dashboard::messages(&context.app, &context.account.account_id, None, page)
            .await
            .expect("messages");
    let seen: Vec<(&str, i64)> = listed
        .items
        .iter()
        .map(|m| (m.message_id.as_str(), m.links))
        .collect();
    assert_eq!(
        seen,
        [("m-new", 2), ("m-old", 1)],
        "newest first, links counted, none without a message"
    );
    assert!(!listed.more, "one page holds them");
    let first = Page {
        page: 1,
        per_page: 1,
    };
    let paged =
        trackly_app::dashboard::messages(&context.app, &context.account.account_id, None, first)
            .await
            .expect("a page of one");
    assert_eq!(
        (paged.items[0].message_id.as_str(), paged.more),
        ("m-new", true)
    );
    let only = trackly_app::dashboard::messages(
        &context.app,
        &context.account.account_id,
        Some("m-old".to_owned()),
        page,
    )
    .await
    .expect("one message");
    assert_eq!((only.items.len(), only.more), (1, false));
}
