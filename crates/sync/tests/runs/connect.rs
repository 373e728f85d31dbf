//! `connect` (SPEC §10.1): the platform checks the key before the connection is stored;
//! the key is stored sealed and shown only by its last four characters.

use std::time::Duration;

use serde_json::{json, Value};
use trackly_app::{integrations, App, AppError};
use trackly_domain::integration::{IntegrationInput, MessageIdField};
use trackly_domain::offer::ExternalPlatform;
use trackly_fake_platforms::{FakeEverflow, FakeTune, Mode};
use trackly_sync::ClientOptions;

use crate::helpers::{
    assert_no_key, everflow_body, new_integration, options, tune_body, Context, KEY, KEY_LAST4,
};

/// A port of 127.0.0.1 nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its address").port();
    drop(listener);
    port
}

/// Fails the test unless the account has no connection and no key is stored.
async fn assert_nothing_stored(context: &Context, description: &str) {
    let listed = integrations::list(&context.app, &context.account)
        .await
        .expect("the connections");
    assert!(listed.is_empty(), "{description}: {listed:?}");
    assert!(context.sealed_keys().is_empty(), "{description}");
}

#[tokio::test]
async fn tune_and_everflow_connections_are_stored_once_the_platform_accepts_the_key() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    let everflow = FakeEverflow::start(KEY);

    let tune_connection = context.connect_tune(&tune).await;
    let everflow_connection = context.connect_everflow(&everflow).await;

    let settings = &tune_connection.settings;
    assert_eq!(settings.platform, ExternalPlatform::Tune);
    assert_eq!(settings.base_url.as_deref(), Some(tune.base_url().as_str()));
    assert_eq!(settings.affiliate_id.as_deref(), Some("3"));
    assert_eq!(settings.message_id_field, MessageIdField::AffSub);
    assert!(settings.sync_offers && settings.sync_conversions);
    assert_eq!(
        everflow_connection.settings.platform,
        ExternalPlatform::Everflow
    );
    assert_eq!(
        everflow_connection.settings.affiliate_id.as_deref(),
        Some("7")
    );
    for connection in [&tune_connection, &everflow_connection] {
        assert_eq!(connection.api_key_last4, KEY_LAST4);
        assert_no_key(&format!("{connection:?}"), "the connection");
    }
    let tune_requests = tune.requests();
    assert_eq!(tune_requests.len(), 1, "one small request checks the key");
    assert!(tune_requests[0].key_accepted);
    assert_eq!(tune_requests[0].key_name.as_deref(), Some("NetworkToken"));
    let everflow_requests = everflow.requests();
    assert_eq!(everflow_requests.len(), 1);
    assert!(everflow_requests[0].key_accepted);

    let listed = integrations::list(&context.app, &context.account)
        .await
        .expect("the connections");
    assert_eq!(listed, [tune_connection.clone(), everflow_connection]);
    let opened = integrations::opened(&context.app, &context.account, &tune_connection.id)
        .await
        .expect("opened");
    assert_eq!(opened.api_key.expose(), KEY, "the sealed key opens");
    assert_eq!(opened.integration, tune_connection);
}

#[tokio::test]
async fn a_wrong_key_is_rejected_with_the_platforms_message_and_nothing_is_stored() {
    let tune = FakeTune::start(KEY);
    let everflow = FakeEverflow::start(KEY);
    let wrong = "not-the-key-1234";
    let cases: [(Value, &str, &str); 3] = [
        (
            tune_body(&tune, wrong),
            "Invalid NetworkToken",
            "TUNE network API: its 200 error envelope",
        ),
        (
            json!({"platform": "tune", "base_url": tune.base_url(), "api_key": wrong}),
            "Invalid api_key",
            "TUNE affiliate API: its 200 error envelope",
        ),
        (
            everflow_body(&everflow, wrong),
            "Invalid API key",
            "Everflow: its 401",
        ),
    ];
    for (body, message, description) in cases {
        let context = Context::new().await;
        let outcome = context.connect(body).await;
        assert_eq!(
            outcome,
            Err(AppError::PlatformRejectedKey(message.to_owned())),
            "{description}"
        );
        assert_nothing_stored(&context, description).await;
    }
    assert!(tune.requests().iter().all(|request| !request.key_accepted));
    assert!(everflow
        .requests()
        .iter()
        .all(|request| !request.key_accepted));
}

/// Where a connection request points, for a platform that is down.
enum Down {
    /// A fake TUNE answering the next requests with this mode.
    Tune(Mode, usize),
    /// A fake Everflow answering the next requests with this mode.
    Everflow(Mode, usize),
    /// TUNE on a port nothing listens on.
    DeadTune,
    /// Everflow on a port nothing listens on.
    DeadEverflow,
}

#[tokio::test]
async fn a_platform_that_is_down_is_unreachable_and_nothing_is_stored() {
    let quick = ClientOptions {
        timeout: Duration::from_millis(300),
        ..options()
    };
    let cases = [
        (
            Down::Tune(Mode::ServerError(500), 3),
            "HTTP 500",
            "TUNE answering 500 on every attempt",
        ),
        (
            Down::Everflow(Mode::ServerError(500), 3),
            "HTTP 500",
            "Everflow answering 500 on every attempt",
        ),
        (
            Down::Everflow(Mode::ServerError(503), 3),
            "HTTP 503",
            "Everflow answering 503 on every attempt",
        ),
        (
            Down::Tune(Mode::Slow(Duration::from_secs(2)), 1),
            "300 ms",
            "TUNE slower than the timeout",
        ),
        (Down::DeadTune, "", "TUNE on a port nothing listens on"),
        (
            Down::DeadEverflow,
            "",
            "Everflow on a port nothing listens on",
        ),
    ];
    for (down, words, description) in cases {
        let context = Context::new().await;
        let tune = FakeTune::start(KEY);
        let everflow = FakeEverflow::start(KEY);
        let body = match down {
            Down::Tune(mode, times) => {
                tune.queue(mode, times);
                tune_body(&tune, KEY)
            }
            Down::Everflow(mode, times) => {
                everflow.queue(mode, times);
                everflow_body(&everflow, KEY)
            }
            Down::DeadTune => json!({
                "platform": "tune", "affiliate_id": "3", "api_key": KEY,
                "base_url": format!("http://127.0.0.1:{}/Apiv3/json", closed_port())
            }),
            Down::DeadEverflow => json!({
                "platform": "everflow", "affiliate_id": "7", "api_key": KEY,
                "base_url": format!("http://127.0.0.1:{}", closed_port())
            }),
        };
        let outcome = trackly_sync::connect(
            &context.app,
            &context.account,
            new_integration(body),
            &quick,
        )
        .await;
        let Err(AppError::PlatformUnreachable(message)) = &outcome else {
            panic!("{description}: {outcome:?}");
        };
        assert!(
            message.contains(words),
            "{description}: {message:?} says {words:?}"
        );
        assert_no_key(message, description);
        assert_nothing_stored(&context, description).await;
    }
}

#[tokio::test]
async fn a_second_connection_to_the_same_platform_is_refused() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    let other_tune = FakeTune::start(KEY);
    let everflow = FakeEverflow::start(KEY);
    let first = context.connect_tune(&tune).await;

    let cases = [
        (tune_body(&tune, KEY), "the same TUNE again"),
        (
            tune_body(&other_tune, KEY),
            "another TUNE network, same platform",
        ),
    ];
    for (body, description) in cases {
        assert_eq!(
            context.connect(body).await,
            Err(AppError::IntegrationExists),
            "{description}"
        );
    }
    let everflow_connection = context.connect_everflow(&everflow).await;
    let listed = integrations::list(&context.app, &context.account)
        .await
        .expect("the connections");
    assert_eq!(listed, [first, everflow_connection], "one per platform");
    assert_eq!(context.sealed_keys().len(), 2);
}

#[tokio::test]
async fn the_key_is_stored_sealed_and_no_column_holds_it() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    let everflow = FakeEverflow::start(KEY);
    let tune_connection = context.connect_tune(&tune).await;
    context.connect_everflow(&everflow).await;

    let sealed = context.sealed_keys();
    assert_eq!(sealed.len(), 2);
    for bytes in &sealed {
        assert!(
            !bytes
                .windows(KEY.len())
                .any(|window| window == KEY.as_bytes()),
            "the key's bytes are in api_key_sealed"
        );
        assert_eq!(
            bytes.len(),
            12 + KEY.len() + 16,
            "AES-256-GCM: nonce, ciphertext, tag"
        );
    }
    assert_ne!(sealed[0], sealed[1], "a fresh nonce per connection");
    for (table, rows) in context.dump() {
        assert_no_key(&rows, &format!("table {table}"));
    }
    let dump = context.dump();
    assert!(
        dump.get("integrations")
            .is_some_and(|rows| rows.contains(KEY_LAST4)),
        "only the last four characters are kept in clear"
    );

    let shown = integrations::get(&context.app, &context.account, &tune_connection.id)
        .await
        .expect("the connection");
    assert_eq!(shown.api_key_last4, KEY_LAST4);
    assert_no_key(&format!("{shown:?}"), "the connection");
    let opened = integrations::opened(&context.app, &context.account, &tune_connection.id)
        .await
        .expect("opened");
    assert_no_key(&format!("{opened:?}"), "an opened connection's Debug");
}

#[tokio::test]
async fn without_a_secret_key_no_key_is_sent_to_the_platform() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    let keyless = App::connect(context.db.url(), 2);

    let outcome = trackly_sync::connect(
        &keyless,
        &context.account,
        new_integration(tune_body(&tune, KEY)),
        &options(),
    )
    .await;

    assert_eq!(outcome, Err(AppError::SecretKeyMissing));
    assert!(tune.requests().is_empty(), "nothing was checked");
    assert_nothing_stored(&context, "no secret key").await;
}

fn change_input(body: Value) -> IntegrationInput {
    serde_json::from_value(body).expect("a change request")
}

#[tokio::test]
async fn a_change_is_checked_with_the_platform_only_when_the_key_or_endpoint_moves() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    let moved_to = FakeTune::start(KEY);
    let connection = context.connect_tune(&tune).await;
    let sealed = context.sealed_keys();
    let quick = options();
    let change = |body: Value| {
        trackly_sync::change(
            &context.app,
            &context.account,
            &connection.id,
            change_input(body),
            &quick,
        )
    };

    let refused = [
        (
            json!({"api_key": "not-the-key-1234"}),
            AppError::PlatformRejectedKey("Invalid NetworkToken".to_owned()),
            "a wrong new key",
        ),
        (
            json!({"base_url": format!("http://127.0.0.1:{}/Apiv3/json", closed_port())}),
            AppError::PlatformUnreachable(String::new()),
            "an endpoint nothing listens on, checked with the stored key",
        ),
    ];
    for (body, expected, description) in refused {
        let outcome = change(body).await;
        match (&outcome, &expected) {
            (Err(AppError::PlatformUnreachable(_)), AppError::PlatformUnreachable(_)) => {}
            _ => assert_eq!(outcome, Err(expected), "{description}"),
        }
        let stored = integrations::get(&context.app, &context.account, &connection.id)
            .await
            .expect("the connection");
        assert_eq!(stored, connection, "{description}: nothing changed");
        assert_eq!(
            context.sealed_keys(),
            sealed,
            "{description}: the key stays"
        );
    }

    tune.clear_requests();
    let flags = change(json!({"sync_conversions": false}))
        .await
        .expect("changed");
    assert!(!flags.settings.sync_conversions);
    assert!(
        tune.requests().is_empty(),
        "a change of what is synced asks no platform"
    );

    let moved = change(json!({"base_url": moved_to.base_url()}))
        .await
        .expect("moved");
    assert_eq!(
        moved.settings.base_url.as_deref(),
        Some(moved_to.base_url().as_str())
    );
    let checks = moved_to.requests();
    assert_eq!(checks.len(), 1, "the new endpoint checks the stored key");
    assert!(checks[0].key_accepted);

    let rekeyed = change(json!({"api_key": KEY})).await.expect("a new key");
    assert_eq!(rekeyed.api_key_last4, KEY_LAST4);
    assert_ne!(
        context.sealed_keys(),
        sealed,
        "sealed again, with a fresh nonce"
    );
    let opened = integrations::opened(&context.app, &context.account, &connection.id)
        .await
        .expect("opened");
    assert_eq!(opened.api_key.expose(), KEY);
}
