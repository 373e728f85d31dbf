//! `check_key`: ok, or the platform's own words for a rejected key.

use trackly_domain::offer::ExternalPlatform;
use trackly_fake_platforms::{FakeEverflow, FakeTune, Mode};
use trackly_sync::{
    ApiKey, ClientOptions, ConnectionSettings, EverflowClient, PlatformClient, PlatformError,
    TuneClient,
};

use crate::helpers::{assert_no_key, everflow, options, tune_affiliate, tune_network, KEY};

#[tokio::test]
async fn a_good_key_passes_with_one_small_request() {
    let tune = FakeTune::start(KEY);
    let fake_everflow = FakeEverflow::start(KEY);
    let clients = [
        PlatformClient::new(ExternalPlatform::Tune, tune_network(&tune, KEY), options()),
        PlatformClient::new(ExternalPlatform::Tune, tune_affiliate(&tune), options()),
        PlatformClient::new(
            ExternalPlatform::Everflow,
            everflow(&fake_everflow, KEY),
            options(),
        ),
    ];
    for client in clients {
        let client = client.expect("a client");
        client
            .check_key()
            .await
            .unwrap_or_else(|error| panic!("{}: {error}", client.platform()));
    }
    let tune_requests = tune.requests();
    assert_eq!(tune_requests.len(), 2);
    assert!(tune_requests.iter().all(|request| {
        request.param("limit") == Some("1") && request.param("Method") == Some("findAll")
    }));
    let everflow_requests = fake_everflow.requests();
    assert_eq!(everflow_requests.len(), 1);
    assert_eq!(everflow_requests[0].param("page_size"), Some("1"));
}

#[tokio::test]
async fn a_wrong_key_is_rejected_with_the_platform_message() {
    let tune = FakeTune::start(KEY);
    let fake_everflow = FakeEverflow::start(KEY);
    let wrong = "wrong-key";
    let cases = [
        (
            TuneClient::new(tune_network(&tune, wrong), options())
                .expect("a client")
                .check_key()
                .await,
            "Invalid NetworkToken",
            "TUNE's 200 error envelope",
        ),
        (
            EverflowClient::new(everflow(&fake_everflow, wrong), options())
                .expect("a client")
                .check_key()
                .await,
            "Invalid API key",
            "Everflow's 401",
        ),
    ];
    for (outcome, message, description) in cases {
        assert_eq!(
            outcome,
            Err(PlatformError::RejectedKey(message.to_owned())),
            "{description}"
        );
    }
    assert!(tune.requests().iter().all(|request| !request.key_accepted));
}

#[tokio::test]
async fn any_tune_refusal_of_the_check_is_the_key() {
    let tune = FakeTune::start(KEY);
    tune.queue(Mode::PlatformError(format!("Token {KEY} is disabled")), 1);
    let client = TuneClient::new(tune_network(&tune, KEY), options()).expect("a client");

    let error = client.check_key().await.expect_err("refused");

    assert_eq!(
        error,
        PlatformError::RejectedKey("Token [redacted] is disabled".to_owned()),
        "the platform's text, with the key scrubbed"
    );
    assert_no_key(&error);
}

#[tokio::test]
async fn a_platform_that_is_not_there_is_unreachable() {
    let unused_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("its address").port()
    };
    let settings = ConnectionSettings {
        base_url: Some(format!("http://127.0.0.1:{unused_port}/Apiv3/json")),
        affiliate_id: Some("3".to_owned()),
        ..ConnectionSettings::new(ApiKey::new(KEY))
    };
    let client = TuneClient::new(
        settings,
        ClientOptions {
            attempts: 2,
            ..options()
        },
    )
    .expect("a client");

    let error = client.check_key().await.expect_err("nothing listens");

    assert!(matches!(error, PlatformError::Unreachable(_)), "{error:?}");
    assert!(error.to_string().contains("(after 2 attempts)"), "{error}");
    assert_no_key(&error);
}

#[tokio::test]
async fn an_address_that_is_not_the_api_is_not_a_rejected_key() {
    let tune = FakeTune::start(KEY);
    let wrong_path = ConnectionSettings {
        base_url: Some(format!("{}/elsewhere", tune.base_url())),
        ..tune_network(&tune, KEY)
    };
    let tune_outcome = TuneClient::new(wrong_path, options())
        .expect("a client")
        .check_key()
        .await;
    assert_eq!(
        tune_outcome,
        Err(PlatformError::Refused(
            "HTTP 404 without a message".to_owned()
        )),
        "TUNE: a path that answers 404"
    );

    let fake_everflow = FakeEverflow::start(KEY);
    fake_everflow.queue(Mode::Garbage, 1);
    let everflow_outcome = EverflowClient::new(everflow(&fake_everflow, KEY), options())
        .expect("a client")
        .check_key()
        .await;
    assert!(
        matches!(everflow_outcome, Err(PlatformError::BadResponse(_))),
        "Everflow: a 200 that is no offer list: {everflow_outcome:?}"
    );
}
