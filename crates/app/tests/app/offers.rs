//! offers::create/get/list/update/archive.

use std::sync::{Arc, Mutex};

use trackly_app::{offers, AppError};
use trackly_domain::input::Sent;
use trackly_domain::offer::{OfferPatchInput, OfferRef, OfferStatus};
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::OfferPatch;

use crate::helpers::Context;

fn page(per_page: u32) -> Page {
    Page { page: 1, per_page }
}

#[tokio::test]
async fn an_offer_is_found_by_id_and_by_slug_and_only_by_its_account() {
    let context = Context::new().await;
    let offer = context.offer("Summer Promo").await;
    let account = &context.account.account_id;
    for reference in [offer.id.as_str().to_owned(), offer.slug()] {
        let found = offers::get(
            &context.app,
            account,
            OfferRef::parse(&reference).expect("a reference"),
        )
        .await
        .expect("found");
        assert_eq!(found.id, offer.id, "by {reference}");
    }
    let other = trackly_app::accounts::create(&context.app, "other")
        .await
        .expect("account");
    let hidden = offers::get(
        &context.app,
        &other.account_id,
        OfferRef::Id(offer.id.clone()),
    )
    .await;
    assert_eq!(
        hidden,
        Err(AppError::NotFound),
        "another account's offer is not found"
    );
}

#[tokio::test]
async fn lists_filter_page_and_count() {
    let context = Context::new().await;
    for name in ["Alpha", "Beta", "Gamma"] {
        context.offer(name).await;
    }
    let account = &context.account.account_id;
    let listed = offers::list(&context.app, account, OfferFilter::default(), page(2))
        .await
        .expect("listed");
    assert_eq!(listed.items.len(), 2);
    assert_eq!(listed.pagination.total, 3);
    assert_eq!(listed.pagination.total_pages, 2);
    assert_eq!(listed.items[0].name.as_str(), "Gamma", "newest first");
    let filter = OfferFilter {
        name_contains: Some("et".to_owned()),
        ..OfferFilter::default()
    };
    let found = offers::list(&context.app, account, filter, page(50))
        .await
        .expect("listed");
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].name.as_str(), "Beta");
}

#[tokio::test]
async fn updates_merge_metadata_and_archive_is_a_soft_delete() {
    let context = Context::new().await;
    let offer = context
        .offer_with(trackly_domain::offer::OfferInput {
            name: "Merge".into(),
            tracking_url: "https://adv.example/x".into(),
            metadata: Sent::Value(
                [
                    ("geo".to_owned(), "US".into()),
                    ("vertical".to_owned(), "finance".into()),
                ]
                .into_iter()
                .collect(),
            ),
            ..Default::default()
        })
        .await;
    let account = &context.account.account_id;
    let patch = OfferPatch::try_from(OfferPatchInput {
        name: "Merge v2".into(),
        metadata: Sent::Value(
            [
                ("geo".to_owned(), "CA".into()),
                ("vertical".to_owned(), Sent::Null),
            ]
            .into_iter()
            .collect(),
        ),
        ..OfferPatchInput::default()
    })
    .expect("a valid patch");
    let updated = offers::update(&context.app, account, OfferRef::Id(offer.id.clone()), patch)
        .await
        .expect("updated");
    assert_eq!(updated.name.as_str(), "Merge v2");
    assert_eq!(updated.code, offer.code, "a rename keeps the code");
    assert_eq!(
        updated.metadata.entries().iter().collect::<Vec<_>>(),
        vec![(&"geo".to_owned(), &"CA".to_owned())],
        "keys sent are set, keys sent as null removed"
    );

    offers::archive(&context.app, account, OfferRef::Id(offer.id.clone()))
        .await
        .expect("archived");
    let archived = offers::get(&context.app, account, OfferRef::Id(offer.id.clone()))
        .await
        .expect("still there");
    assert_eq!(archived.status, OfferStatus::Archived);
    let live = offers::list(&context.app, account, OfferFilter::default(), page(50))
        .await
        .expect("listed");
    assert!(
        live.items.is_empty(),
        "archived offers leave the default list"
    );
}

#[tokio::test]
async fn every_committed_change_is_told_to_the_offer_listeners() {
    let context = Context::new().await;
    let told = Arc::new(Mutex::new(Vec::new()));
    let heard = told.clone();
    context
        .app
        .on_offer_change(move |code| heard.lock().expect("lock").push(code.to_string()));
    let offer = context.offer("Listened").await;
    let account = &context.account.account_id;
    let patch = OfferPatch::try_from(OfferPatchInput {
        status: "paused".into(),
        ..OfferPatchInput::default()
    })
    .expect("valid");
    offers::update(&context.app, account, OfferRef::Id(offer.id.clone()), patch)
        .await
        .expect("updated");
    offers::archive(&context.app, account, OfferRef::Id(offer.id.clone()))
        .await
        .expect("archived");
    let missing = offers::archive(
        &context.app,
        account,
        OfferRef::parse("000000000000000000000000").expect("an id"),
    )
    .await;
    assert_eq!(missing, Err(AppError::NotFound));
    assert_eq!(
        *told.lock().expect("lock"),
        vec![offer.code.to_string(); 3],
        "create, update and archive, nothing for the failure"
    );
}
