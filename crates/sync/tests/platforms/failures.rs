//! Every misbehaviour of INTEGRATIONS.md §5 on both platforms: what the client retries,
//! what it reports, how many requests it spends, and that no error shows the key.

use std::time::{Duration, Instant};

use trackly_domain::offer::ExternalPlatform;
use trackly_fake_platforms::{EverflowOffer, FakeEverflow, FakeTune, Mode, TuneOffer};
use trackly_sync::{ClientOptions, OfferSweep, PlatformClient, PlatformError};

use crate::helpers::{assert_no_key, everflow, options, tune_network, KEY};

/// One offer sweep against a fresh fake of `platform` whose next `times` requests
/// answer `mode`: the outcome and how many requests reached the fake.
async fn sweep_with(
    platform: ExternalPlatform,
    mode: Mode,
    times: usize,
    options: ClientOptions,
) -> (Result<OfferSweep, PlatformError>, usize) {
    match platform {
        ExternalPlatform::Tune => {
            let fake = FakeTune::start(KEY);
            fake.set_offers(vec![TuneOffer::new(532, "Bingo")]);
            fake.queue(mode, times);
            let client =
                PlatformClient::new(platform, tune_network(&fake, KEY), options).expect("a client");
            let outcome = client.offers().await;
            (outcome, fake.requests().len())
        }
        ExternalPlatform::Everflow => {
            let fake = FakeEverflow::start(KEY);
            fake.set_offers(vec![EverflowOffer::new(77, "Acme")]);
            fake.queue(mode, times);
            let client =
                PlatformClient::new(platform, everflow(&fake, KEY), options).expect("a client");
            let outcome = client.offers().await;
            (outcome, fake.requests().len())
        }
    }
}

/// What a case must end with.
#[derive(Clone)]
enum Expect {
    /// One offer, after this many requests.
    Offers(usize),
    /// This error after this many requests.
    Error(PlatformError, usize),
    /// An unreadable answer after this many requests (the detail differs by platform).
    Unreadable(usize),
}

#[tokio::test]
async fn misbehaviour_is_retried_or_reported_on_both_platforms() {
    let short_timeout = ClientOptions {
        timeout: Duration::from_millis(200),
        ..options()
    };
    let cases = [
        (
            Mode::ServerError(500),
            3,
            options(),
            Expect::Error(
                PlatformError::Unreachable("HTTP 500 (after 3 attempts)".to_owned()),
                3,
            ),
            "500 with HTML on every attempt",
        ),
        (
            Mode::ServerError(504),
            2,
            options(),
            Expect::Offers(4),
            "504 twice, then the list and the link",
        ),
        (
            Mode::TruncatedJson,
            1,
            options(),
            Expect::Unreadable(1),
            "JSON cut off halfway",
        ),
        (
            Mode::Garbage,
            1,
            options(),
            Expect::Unreadable(1),
            "HTML labelled as JSON",
        ),
        (
            Mode::Slow(Duration::from_secs(1)),
            1,
            short_timeout,
            Expect::Error(
                PlatformError::Unreachable("no answer within 200 ms".to_owned()),
                1,
            ),
            "slower than the timeout, not retried",
        ),
        (
            Mode::RateLimited { retry_after: None },
            1,
            options(),
            Expect::Offers(3),
            "429 without Retry-After waits the configured time",
        ),
        (
            Mode::RateLimited {
                retry_after: Some(3600),
            },
            1,
            options(),
            Expect::Error(
                PlatformError::RateLimited(
                    "it asked to wait 3600 s, longer than the 5 s allowed".to_owned(),
                ),
                1,
            ),
            "a Retry-After beyond the allowed wait fails at once",
        ),
        (
            Mode::RateLimited { retry_after: None },
            3,
            options(),
            Expect::Error(
                PlatformError::RateLimited("still rate-limited after 3 attempts".to_owned()),
                3,
            ),
            "429 on every attempt",
        ),
        (
            Mode::PlatformError("Something broke".to_owned()),
            1,
            options(),
            Expect::Error(PlatformError::Refused("Something broke".to_owned()), 1),
            "the platform's own error (TUNE envelope, Everflow 400)",
        ),
    ];
    for platform in [ExternalPlatform::Tune, ExternalPlatform::Everflow] {
        for (mode, times, options, expect, description) in cases.iter().cloned() {
            let (outcome, requests) = sweep_with(platform, mode, times, options).await;
            let description = format!("{platform}: {description}");
            if let Err(error) = &outcome {
                assert_no_key(error);
            }
            match expect {
                Expect::Offers(expected_requests) => {
                    let sweep = outcome.unwrap_or_else(|error| panic!("{description}: {error}"));
                    assert_eq!(sweep.offers.len(), 1, "{description}");
                    assert_eq!(requests, expected_requests, "{description}");
                }
                Expect::Error(expected, expected_requests) => {
                    assert_eq!(outcome, Err(expected), "{description}");
                    assert_eq!(requests, expected_requests, "{description}");
                }
                Expect::Unreadable(expected_requests) => {
                    assert!(
                        matches!(outcome, Err(PlatformError::BadResponse(_))),
                        "{description}: {outcome:?}"
                    );
                    assert_eq!(requests, expected_requests, "{description}");
                }
            }
        }
    }
}

#[tokio::test]
async fn retry_after_is_honoured_before_trying_again() {
    for platform in [ExternalPlatform::Tune, ExternalPlatform::Everflow] {
        let started = Instant::now();
        let (outcome, requests) = sweep_with(
            platform,
            Mode::RateLimited {
                retry_after: Some(1),
            },
            1,
            options(),
        )
        .await;
        let waited = started.elapsed();
        let sweep = outcome.unwrap_or_else(|error| panic!("{platform}: {error}"));
        assert_eq!(sweep.offers.len(), 1, "{platform}");
        assert_eq!(
            requests, 3,
            "{platform}: the 429, the retried list, the link"
        );
        assert!(
            waited >= Duration::from_secs(1),
            "{platform}: waited {waited:?}"
        );
    }
}

#[tokio::test]
async fn a_tune_error_envelope_that_reports_a_rate_limit_is_retried() {
    let (outcome, requests) = sweep_with(
        ExternalPlatform::Tune,
        Mode::PlatformError("API rate limit exceeded".to_owned()),
        2,
        options(),
    )
    .await;

    let sweep = outcome.unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(sweep.offers.len(), 1);
    assert_eq!(
        requests, 4,
        "two limited answers, then the list and the link"
    );
}

#[tokio::test]
async fn a_key_the_platform_echoes_never_reaches_an_error() {
    for platform in [ExternalPlatform::Tune, ExternalPlatform::Everflow] {
        let (outcome, _) = sweep_with(
            platform,
            Mode::PlatformError(format!("bad request with key={KEY}")),
            1,
            options(),
        )
        .await;
        let error = outcome.expect_err("refused");
        assert_eq!(
            error,
            PlatformError::Refused("bad request with key=[redacted]".to_owned()),
            "{platform}"
        );
        assert_no_key(&error);
    }
}
