//! accounts and keys, and the maintenance jobs.

use trackly_app::{accounts, keys, maintenance, AppError};
use trackly_domain::ObjectId;

use crate::helpers::Context;

#[tokio::test]
async fn keys_authenticate_until_revoked() {
    let context = Context::new().await;
    let account = &context.account.account_id;
    let key = keys::create(&context.app, account, Some("ci"))
        .await
        .expect("a key");
    let authenticated = keys::authenticate(&context.app, keys::digest(&key.api_key))
        .await
        .expect("looked up");
    assert_eq!(authenticated.as_ref(), Some(account));
    keys::revoke(&context.app, &key.key_id)
        .await
        .expect("revoked");
    let revoked = keys::authenticate(&context.app, keys::digest(&key.api_key))
        .await
        .expect("looked up");
    assert_eq!(revoked, None, "a revoked key names no account");
    let listed = keys::list(&context.app, account).await.expect("listed");
    assert_eq!(listed.len(), 2, "the account's first key and this one");
    assert!(listed
        .iter()
        .any(|summary| summary.id == key.key_id && summary.revoked_at.is_some()));
    let unknown = ObjectId::parse("000000000000000000000001").expect("an id");
    assert_eq!(
        keys::revoke(&context.app, &unknown).await,
        Err(AppError::NotFound)
    );
    assert_eq!(
        keys::list(&context.app, &unknown).await,
        Err(AppError::NotFound)
    );
}

#[tokio::test]
async fn accounts_are_listed_and_their_secret_rotates() {
    let context = Context::new().await;
    let listed = accounts::list(&context.app).await.expect("listed");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].key_count, 1);
    let secret = accounts::rotate_secret(&context.app, &context.account.account_id)
        .await
        .expect("rotated");
    assert_ne!(secret, context.account.postback_secret);
    let bootstrapped = accounts::bootstrap(&context.app, None)
        .await
        .expect("checked");
    assert!(
        bootstrapped.is_none(),
        "bootstrap only acts on an empty database"
    );
}

#[tokio::test]
async fn the_database_is_ready_and_upkeep_runs() {
    let context = Context::new().await;
    assert_eq!(
        maintenance::ready(&context.app).await,
        Ok(maintenance::Readiness {
            schema_is_current: true,
            replica: None,
        }),
        "ready, with no replica to report"
    );
    assert_eq!(
        maintenance::purge_idempotency_records(&context.app).await,
        Ok(0)
    );
    let upkeep = maintenance::upkeep_click_partitions(&context.app, None)
        .await
        .expect("partition upkeep");
    assert!(
        upkeep.dropped.is_empty(),
        "nothing is dropped without a retention"
    );
    let nowhere = trackly_app::App::connect("postgres://postgres@127.0.0.1:1/nowhere", 1);
    assert!(matches!(
        maintenance::ready(&nowhere).await,
        Err(AppError::Unavailable(_))
    ));
}
