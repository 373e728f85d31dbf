//! A platform that is down, slow, rate-limiting or answering garbage (SPEC §10.4): the
//! run ends `failed` with a clear error, nothing it half-sent is written, and the next
//! run, the platform well again, writes everything.

use std::time::Duration;

use chrono::Utc;
use trackly_domain::integration::{Integration, RunCounts, RunStatus, SyncKind};
use trackly_domain::offer::ExternalPlatform;
use trackly_fake_platforms::{
    EverflowConversion, EverflowOffer, FakeEverflow, FakeTune, Mode, TuneConversion, TuneOffer,
};
use trackly_sync::{ClientOptions, Schedule, Syncer};

use crate::helpers::{assert_no_key, options, tune_time, Context, KEY};

/// The misbehaviours, each with how many requests it answers and words of the error.
fn misbehaviours() -> Vec<(Mode, usize, &'static str, &'static str)> {
    vec![
        (
            Mode::ServerError(500),
            3,
            "the platform is unreachable: HTTP 500 (after 3 attempts)",
            "500 with an HTML page on every attempt",
        ),
        (
            Mode::Garbage,
            1,
            "the platform sent an unreadable answer",
            "an HTML page labelled as JSON",
        ),
        (
            Mode::TruncatedJson,
            1,
            "the platform sent an unreadable answer",
            "JSON cut off halfway",
        ),
        (
            Mode::Slow(Duration::from_secs(1)),
            1,
            "the platform is unreachable: no answer within 300 ms",
            "slower than the timeout",
        ),
        (
            Mode::RateLimited {
                retry_after: Some(3600),
            },
            1,
            "it asked to wait 3600 s, longer than the 5 s allowed",
            "429 with a Retry-After beyond the allowed wait",
        ),
        (
            Mode::RateLimited { retry_after: None },
            3,
            "still rate-limited after 3 attempts",
            "429 on every attempt",
        ),
        (
            Mode::PlatformError("Report is temporarily disabled".to_owned()),
            1,
            "the platform refused the request: Report is temporarily disabled",
            "the platform's own error (TUNE: a 200 error envelope; Everflow: a 400)",
        ),
    ]
}

/// A fake of `platform` serving three offers and three conversions of the last hours.
enum Fake {
    Tune(FakeTune),
    Everflow(FakeEverflow),
}

impl Fake {
    fn start(platform: ExternalPlatform) -> Self {
        let at = Utc::now() - chrono::Duration::hours(2);
        match platform {
            ExternalPlatform::Tune => {
                let fake = FakeTune::start(KEY);
                fake.set_offers((531..=533).map(|id| TuneOffer::new(id, "Offer")).collect());
                fake.set_conversions(
                    (531..=533)
                        .map(|id| {
                            TuneConversion::new(
                                &format!("ev-{id}"),
                                id,
                                &tune_time(at),
                                "approved",
                                "2.00000",
                            )
                        })
                        .collect(),
                );
                Self::Tune(fake)
            }
            ExternalPlatform::Everflow => {
                let fake = FakeEverflow::start(KEY);
                fake.set_offers(
                    (77..=79)
                        .map(|id| EverflowOffer::new(id, "Offer"))
                        .collect(),
                );
                fake.set_conversions(
                    (77..=79)
                        .map(|id| {
                            EverflowConversion::new(
                                &format!("cv-{id}"),
                                id,
                                at.timestamp(),
                                "approved",
                                "5.0",
                            )
                        })
                        .collect(),
                );
                Self::Everflow(fake)
            }
        }
    }

    fn queue(&self, mode: Mode, times: usize) {
        match self {
            Self::Tune(fake) => fake.queue(mode, times),
            Self::Everflow(fake) => fake.queue(mode, times),
        }
    }

    async fn connect(&self, context: &Context) -> Integration {
        match self {
            Self::Tune(fake) => context.connect_tune(fake).await,
            Self::Everflow(fake) => context.connect_everflow(fake).await,
        }
    }
}

/// Every misbehaviour on the second request of a `kind` run of `platform`: the first
/// page arrived, the rest did not.
async fn fails_whole_then_recovers(platform: ExternalPlatform, kind: SyncKind) {
    let quick = ClientOptions {
        timeout: Duration::from_millis(300),
        ..options()
    };
    for (mode, times, words, description) in misbehaviours() {
        let description = format!("{platform} {kind}: {description}");
        let context = Context::new().await;
        let syncer = Syncer::new(context.app.clone(), quick.clone(), Schedule::default());
        let fake = Fake::start(platform);
        let connection = fake.connect(&context).await;
        if kind == SyncKind::Conversions {
            let offers = context.run(&connection, SyncKind::Offers).await;
            assert_eq!(offers.status, RunStatus::Ok, "{description}");
        }
        let offers_before = context.all_offers().await;
        fake.queue(Mode::Slow(Duration::ZERO), 1);
        fake.queue(mode, times);

        let failed = context.run_by(&syncer, &connection, kind).await;

        assert_eq!(failed.status, RunStatus::Failed, "{description}");
        assert_eq!(failed.counts, RunCounts::default(), "{description}");
        assert_eq!(failed.errors.len(), 1, "{description}: {:?}", failed.errors);
        let error = &failed.errors[0];
        assert!(error.contains(words), "{description}: {error}");
        assert!(
            error.ends_with("nothing was written, and the next run retries"),
            "{description}: {error}"
        );
        assert_no_key(error, &description);
        assert_eq!(
            context.all_offers().await,
            offers_before,
            "{description}: no offer written or changed"
        );
        assert!(
            context.revenue().await.is_empty(),
            "{description}: no revenue written"
        );

        // The platform well again (and the patience of the usual options).
        let next = context.run(&connection, kind).await;

        assert_eq!(
            next.status,
            RunStatus::Ok,
            "{description}: {:?}",
            next.errors
        );
        let expected = match kind {
            SyncKind::Offers => RunCounts {
                offers_created: 3,
                ..RunCounts::default()
            },
            SyncKind::Conversions => RunCounts {
                conversions_imported: 3,
                ..RunCounts::default()
            },
        };
        assert_eq!(next.counts, expected, "{description}: the next run retries");
        let runs = context.runs(&connection).await;
        assert_eq!(runs[0].id, next.id, "{description}");
        assert_eq!(runs[1], failed, "{description}: the failure stays listed");
    }
}

#[tokio::test]
async fn a_misbehaving_tune_fails_an_offer_run_whole_and_the_next_run_recovers() {
    fails_whole_then_recovers(ExternalPlatform::Tune, SyncKind::Offers).await;
}

#[tokio::test]
async fn a_misbehaving_tune_fails_a_conversion_run_whole_and_the_next_run_recovers() {
    fails_whole_then_recovers(ExternalPlatform::Tune, SyncKind::Conversions).await;
}

#[tokio::test]
async fn a_misbehaving_everflow_fails_an_offer_run_whole_and_the_next_run_recovers() {
    fails_whole_then_recovers(ExternalPlatform::Everflow, SyncKind::Offers).await;
}

#[tokio::test]
async fn a_misbehaving_everflow_fails_a_conversion_run_whole_and_the_next_run_recovers() {
    fails_whole_then_recovers(ExternalPlatform::Everflow, SyncKind::Conversions).await;
}

#[tokio::test]
async fn a_platform_that_went_away_fails_every_run_of_the_account() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    tune.set_offers(vec![TuneOffer::new(531, "Bingo")]);
    let connection = context.connect_tune(&tune).await;
    drop(tune);

    let ended = context
        .syncer()
        .run_account(&context.account, Some(ExternalPlatform::Tune))
        .await
        .expect("the runs");

    let kinds: Vec<SyncKind> = ended.iter().map(|run| run.kind).collect();
    assert_eq!(kinds, [SyncKind::Offers, SyncKind::Conversions]);
    for run in &ended {
        assert_eq!(run.status, RunStatus::Failed, "{:?}", run.errors);
        assert_eq!(run.integration_id, connection.id);
        assert!(
            run.errors[0].starts_with("the platform is unreachable"),
            "{:?}",
            run.errors
        );
        assert_no_key(&run.errors[0], "a run error");
    }
    assert!(context.all_offers().await.is_empty());
    let listed = context.runs(&connection).await;
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|run| run.status == RunStatus::Failed));
}
