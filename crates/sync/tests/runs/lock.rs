//! One run of a kind per connection at a time, across nodes (SPEC §10.4: a PostgreSQL
//! advisory lock), and the schedule that runs what is due.

use std::time::Duration;

use trackly_app::{sync_runs, AppError};
use trackly_domain::integration::{RunStatus, SyncKind};
use trackly_domain::InputError;
use trackly_fake_platforms::{FakeTune, Mode, TuneOffer};
use trackly_sync::{Schedule, Syncer};

use crate::helpers::{options, tune_body, Context, KEY};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_running_what_is_due_at_once_make_one_run_of_each_kind() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    tune.set_offers((531..=535).map(|id| TuneOffer::new(id, "Offer")).collect());
    let connection = context.connect_tune(&tune).await;
    // Slow answers keep the first node's runs going while the other node asks.
    tune.queue(Mode::Slow(Duration::from_millis(150)), 4);
    let nodes = [context.app.clone(), context.other_node()]
        .map(|app| Syncer::new(app, options(), Schedule::default()));

    let (one, other) = tokio::join!(nodes[0].run_due(), nodes[1].run_due());

    let mut ended = one.expect("node one");
    ended.extend(other.expect("node two"));
    let mut kinds: Vec<SyncKind> = ended.iter().map(|run| run.kind).collect();
    kinds.sort_by_key(|kind| kind.as_str());
    assert_eq!(
        kinds,
        [SyncKind::Conversions, SyncKind::Offers],
        "one run per kind: {ended:?}"
    );
    assert!(ended.iter().all(|run| run.status == RunStatus::Ok));
    assert_eq!(context.runs(&connection).await.len(), 2);
    assert_eq!(context.all_offers().await.len(), 5, "written once");

    // Nothing is due again within the periods, on either node.
    for node in &nodes {
        assert_eq!(node.run_due().await, Ok(Vec::new()));
    }
    // A schedule whose periods passed runs both kinds again.
    let eager = Schedule {
        offers_every: Duration::ZERO,
        conversions_every: Duration::ZERO,
        ..Schedule::default()
    };
    let again = Syncer::new(context.other_node(), options(), eager)
        .run_due()
        .await
        .expect("due again");
    assert_eq!(again.len(), 2);
    assert_eq!(context.runs(&connection).await.len(), 4);
}

#[tokio::test]
async fn a_second_request_while_a_run_holds_the_lock_is_sync_running() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    tune.set_offers(vec![TuneOffer::new(531, "Bingo")]);
    let connection = context.connect_tune(&tune).await;
    // Slow answers keep both kinds' runs going while the test asks again.
    tune.queue(Mode::Slow(Duration::from_millis(800)), 3);
    let syncer = context.syncer();
    let other_node = Syncer::new(context.other_node(), options(), Schedule::default());

    let started = syncer
        .request(&context.account, &connection.id, Some(SyncKind::Offers))
        .await
        .expect("started");
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].status, RunStatus::Running);
    assert_eq!(started[0].kind, SyncKind::Offers);

    let cases = [
        (
            &syncer,
            Some(SyncKind::Offers),
            "the same node, the same kind",
        ),
        (
            &other_node,
            Some(SyncKind::Offers),
            "another node, the same kind",
        ),
    ];
    for (node, kind, description) in cases {
        assert_eq!(
            node.request(&context.account, &connection.id, kind).await,
            Err(AppError::SyncRunning),
            "{description}"
        );
    }
    // Without a kind: the conversions are not running, so they start alone.
    let rest = other_node
        .request(&context.account, &connection.id, None)
        .await
        .expect("the other kind starts");
    let kinds: Vec<SyncKind> = rest.iter().map(|run| run.kind).collect();
    assert_eq!(kinds, [SyncKind::Conversions]);
    assert_eq!(
        syncer.request(&context.account, &connection.id, None).await,
        Err(AppError::SyncRunning),
        "both kinds running"
    );
    // The scheduler leaves a running sync to its node.
    let eager = Schedule {
        offers_every: Duration::ZERO,
        conversions_every: Duration::ZERO,
        ..Schedule::default()
    };
    let due = Syncer::new(context.other_node(), options(), eager)
        .run_due()
        .await
        .expect("nothing to run");
    assert!(
        due.iter().all(|run| run.kind != SyncKind::Offers),
        "{due:?}"
    );

    let ended = context.ended(&connection, &started[0].id).await;
    assert_eq!(ended.status, RunStatus::Ok, "{:?}", ended.errors);
    assert_eq!(ended.counts.offers_created, 1);
    context.ended(&connection, &rest[0].id).await;
    // Once it ended, the lock is free again.
    let next = context.run(&connection, SyncKind::Offers).await;
    assert_eq!(next.status, RunStatus::Ok);
}

#[tokio::test]
async fn a_lock_held_by_another_session_refuses_every_request_of_its_kind() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    let connection = context.connect_tune(&tune).await;
    let held = sync_runs::lock(
        &context.other_node(),
        &context.account,
        &connection.id,
        SyncKind::Offers,
    )
    .await
    .expect("locked")
    .expect("free");

    assert_eq!(
        context
            .syncer()
            .request(&context.account, &connection.id, Some(SyncKind::Offers))
            .await,
        Err(AppError::SyncRunning)
    );
    assert!(
        context.runs(&connection).await.is_empty(),
        "no run was started"
    );
    assert!(
        sync_runs::lock(
            &context.app,
            &context.account,
            &connection.id,
            SyncKind::Offers
        )
        .await
        .expect("asked")
        .is_none(),
        "still held"
    );

    held.release().await.expect("released");
    let run = context.run(&connection, SyncKind::Offers).await;
    assert_eq!(run.status, RunStatus::Ok);
}

#[tokio::test]
async fn a_run_cut_off_by_a_stopped_process_is_marked_failed_by_the_next_one() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    tune.set_offers(vec![TuneOffer::new(531, "Bingo")]);
    let connection = context.connect_tune(&tune).await;
    // A node takes the lock, starts a run, and dies before it writes anything.
    let mut lock = sync_runs::lock(
        &context.other_node(),
        &context.account,
        &connection.id,
        SyncKind::Offers,
    )
    .await
    .expect("locked")
    .expect("free");
    let cut_off = sync_runs::begin(&context.other_node(), &mut lock, None)
        .await
        .expect("begun")
        .expect("a run");
    drop(lock);

    let next = context.run(&connection, SyncKind::Offers).await;

    assert_eq!(next.status, RunStatus::Ok);
    let runs = context.runs(&connection).await;
    let stale = runs
        .iter()
        .find(|run| run.id == cut_off.id)
        .expect("the cut-off run is listed");
    assert_eq!(stale.status, RunStatus::Failed);
    assert!(stale.finished_at.is_some());
    assert_eq!(
        stale.errors,
        ["the process running this sync stopped before it finished; nothing it read was written"]
    );
}

#[tokio::test]
async fn another_accounts_connection_cannot_be_synced() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    let connection = context.connect_tune(&tune).await;
    let stranger = trackly_app::accounts::create(&context.app, "stranger")
        .await
        .expect("another account")
        .account_id;

    let syncer = context.syncer();
    assert_eq!(
        syncer.request(&stranger, &connection.id, None).await,
        Err(AppError::NotFound)
    );
    assert_eq!(syncer.run_account(&stranger, None).await, Ok(Vec::new()));
    assert!(context.runs(&connection).await.is_empty());
    assert!(
        tune.requests().len() == 1,
        "only the key check reached the platform"
    );
}

#[tokio::test]
async fn a_connection_that_syncs_nothing_runs_only_the_kind_named() {
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    tune.set_offers(vec![TuneOffer::new(531, "Bingo")]);
    let mut body = tune_body(&tune, KEY);
    body["sync_offers"] = false.into();
    body["sync_conversions"] = false.into();
    let connection = context.connect(body).await.expect("connected");
    let syncer = context.syncer();

    assert_eq!(
        syncer.request(&context.account, &connection.id, None).await,
        Err(AppError::Invalid(InputError::SyncDisabled))
    );
    assert_eq!(
        syncer.run_account(&context.account, None).await,
        Ok(Vec::new())
    );
    assert_eq!(syncer.run_due().await, Ok(Vec::new()));
    assert!(context.runs(&connection).await.is_empty());

    let named = context.run(&connection, SyncKind::Offers).await;
    assert_eq!(named.status, RunStatus::Ok);
    assert_eq!(named.counts.offers_created, 1);
}

#[tokio::test]
async fn a_connection_whose_key_does_not_open_does_not_stop_the_others() {
    use diesel::prelude::*;
    use trackly_fake_platforms::FakeEverflow;
    let context = Context::new().await;
    let tune = FakeTune::start(KEY);
    tune.set_offers(vec![TuneOffer::new(531, "Bingo")]);
    let broken = context.connect_tune(&tune).await;
    let everflow = FakeEverflow::start(KEY);
    let working = context.connect_everflow(&everflow).await;
    // The TUNE key is altered where it is stored: it no longer opens.
    diesel::sql_query(
        "UPDATE integrations SET api_key_sealed = set_byte(api_key_sealed, 20, \
         get_byte(api_key_sealed, 20) # 1) WHERE id = $1",
    )
    .bind::<diesel::sql_types::Text, _>(broken.id.as_str())
    .execute(&mut context.db.connect())
    .expect("altered");

    let ended = context.syncer().run_due().await.expect("the schedule ran");

    assert!(!ended.is_empty(), "the Everflow syncs ran");
    assert!(
        ended.iter().all(|run| run.integration_id == working.id),
        "{ended:?}"
    );
    assert!(
        context.runs(&broken).await.is_empty(),
        "nothing ran for the broken one"
    );
}
