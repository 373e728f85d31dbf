//! Idempotent use cases (SPEC §1.7): one run per key, the first answer replayed.

use trackly_app::{offers, Answer, AppError, Once};
use trackly_domain::offer::OfferInput;
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::NewOffer;

use crate::helpers::Context;

fn new_offer(name: &str) -> NewOffer {
    NewOffer::try_from(OfferInput {
        name: name.into(),
        tracking_url: "https://adv.example/x".into(),
        ..OfferInput::default()
    })
    .expect("valid")
}

/// The answer a create gives: 201 and the new offer's id.
fn answer_with_id(offer: &trackly_domain::Offer) -> Answer {
    Answer {
        status: 201,
        body: offer.id.to_string(),
    }
}

async fn offer_count(context: &Context) -> u64 {
    offers::list(
        &context.app,
        &context.account.account_id,
        OfferFilter::default(),
        Page {
            page: 1,
            per_page: 1,
        },
    )
    .await
    .expect("listed")
    .pagination
    .total
}

#[tokio::test]
async fn a_repeated_key_replays_the_first_answer_and_creates_nothing() {
    let context = Context::new().await;
    let account = &context.account.account_id;
    let once = || Once::new("order-42", [7; 32]).expect("a valid key");
    let first = offers::create(
        &context.app,
        account,
        new_offer("Once"),
        Some(once()),
        answer_with_id,
    )
    .await
    .expect("created");
    let again = offers::create(
        &context.app,
        account,
        new_offer("Once"),
        Some(once()),
        answer_with_id,
    )
    .await
    .expect("replayed");
    assert!(!first.replayed && again.replayed);
    assert_eq!(
        again.answer, first.answer,
        "the first answer, status and body"
    );
    assert_eq!(offer_count(&context).await, 1, "created once");
}

#[tokio::test]
async fn a_key_reused_for_another_request_is_a_conflict() {
    let context = Context::new().await;
    let account = &context.account.account_id;
    let with_digest = |digest| Some(Once::new("order-43", [digest; 32]).expect("valid"));
    offers::create(
        &context.app,
        account,
        new_offer("A"),
        with_digest(1),
        answer_with_id,
    )
    .await
    .expect("created");
    let other = offers::create(
        &context.app,
        account,
        new_offer("B"),
        with_digest(2),
        answer_with_id,
    )
    .await;
    assert_eq!(other, Err(AppError::IdempotencyConflict));
    assert_eq!(offer_count(&context).await, 1);
}

#[tokio::test]
async fn concurrent_requests_with_one_key_create_exactly_one_offer() {
    let context = Context::new().await;
    let runs = (0..6).map(|_| {
        let app = context.app.clone();
        let account = context.account.account_id.clone();
        tokio::spawn(async move {
            let once = Once::new("race", [9; 32]).expect("valid");
            offers::create(
                &app,
                &account,
                new_offer("Race"),
                Some(once),
                answer_with_id,
            )
            .await
        })
    });
    let mut bodies = Vec::new();
    for run in runs {
        match run.await.expect("the task") {
            Ok(answered) => bodies.push(answered.answer.body),
            Err(error) => assert_eq!(
                error,
                AppError::IdempotencyConflict,
                "the only other outcome"
            ),
        }
    }
    assert!(!bodies.is_empty());
    assert!(
        bodies.windows(2).all(|pair| pair[0] == pair[1]),
        "one answer for all"
    );
    assert_eq!(offer_count(&context).await, 1, "exactly one offer");
}

#[test]
fn keys_must_be_1_to_255_visible_ascii_characters() {
    let cases = [
        ("k", true, "one character"),
        (&*"k".repeat(255), true, "255 characters"),
        (&*"k".repeat(256), false, "256 characters"),
        ("", false, "empty"),
        ("with space", false, "a space"),
        ("é", false, "not ASCII"),
    ];
    for (key, ok, description) in cases {
        assert_eq!(Once::new(key, [0; 32]).is_ok(), ok, "{description}");
    }
}
