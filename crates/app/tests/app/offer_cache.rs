//! The offer cache (`App::with_offer_cache`): what a node serves from memory, and how
//! every change, wherever it is committed, reaches it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{PgConnection, RunQueryDsl};
use trackly_app::{offers, App};
use trackly_domain::input::Sent;
use trackly_domain::offer::{OfferPatchInput, OfferRef};
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::{ObjectId, Offer, OfferPatch};
use trackly_store::offer_changes::READER_NAME;

use crate::helpers::Context;

/// How long a change may take to reach another node's cache in these tests: the log is
/// read every few milliseconds; a lost session is found within a second.
const WITHIN: Duration = Duration::from_secs(3);

const FIRST_PAGE: Page = Page {
    page: 1,
    per_page: 50,
};

async fn name_read(app: &App, account: &ObjectId, offer: &Offer) -> String {
    let found = offers::get(app, account, OfferRef::Id(offer.id.clone()))
        .await
        .expect("the offer");
    found.name.as_str().to_owned()
}

async fn name_listed(app: &App, account: &ObjectId) -> String {
    let listed = offers::list(app, account, OfferFilter::default(), FIRST_PAGE)
        .await
        .expect("a page");
    listed.items[0].name.as_str().to_owned()
}

/// Waits until `app`'s reads of `offer`, alone and in its list, say `expected`; fails
/// after `WITHIN`.
async fn until_read(app: &App, account: &ObjectId, offer: &Offer, expected: &str) {
    let started = Instant::now();
    loop {
        let read = name_read(app, account, offer).await;
        let listed = name_listed(app, account).await;
        if read == expected && listed == expected {
            return;
        }
        assert!(
            started.elapsed() < WITHIN,
            "still read {read:?} and listed {listed:?}, not {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the change reader of a node is connected, and a little more so that its
/// node trusts it.
async fn until_reading(psql: &mut PgConnection) {
    let started = Instant::now();
    loop {
        let reading = diesel::sql_query(format!(
            "SELECT 1 FROM pg_stat_activity WHERE application_name = '{READER_NAME}' AND datname = current_database()"
        ))
        .execute(psql)
        .expect("pg_stat_activity");
        if reading > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            return;
        }
        assert!(started.elapsed() < WITHIN, "no change reader");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Renames `offer` in SQL with triggers off, as no writer of Trackly can: the change
/// leaves no row in the log of changes.
fn rename_silently(psql: &mut PgConnection, offer: &Offer, name: &str) {
    psql.batch_execute(&format!(
        "BEGIN; SET LOCAL session_replication_role = replica; \
         UPDATE offers SET name = '{name}' WHERE id = '{}'; COMMIT",
        offer.id
    ))
    .expect("renamed");
}

fn rename(name: &str) -> OfferPatch {
    OfferPatch::try_from(OfferPatchInput {
        name: Sent::Value(name.to_owned()),
        ..OfferPatchInput::default()
    })
    .expect("a valid patch")
}

/// A database with an offer named "Before", a node that caches offers and has read it
/// (alone and in its list), and a psql session.
struct Scene {
    context: Context,
    offer: Offer,
    cached: App,
    psql: PgConnection,
}

impl Scene {
    async fn new() -> Self {
        let context = Context::new().await;
        let offer = context.offer("Before").await;
        let cached = context.caching_node(None);
        let mut psql = context.psql();
        until_reading(&mut psql).await;
        until_read(&cached, &context.account.account_id, &offer, "Before").await;
        Self {
            context,
            offer,
            cached,
            psql,
        }
    }

    fn account(&self) -> &ObjectId {
        &self.context.account.account_id
    }

    /// Renames the offer through `node`'s use case.
    async fn rename_on(&self, node: &App, name: &str) {
        offers::update(
            node,
            self.account(),
            OfferRef::Id(self.offer.id.clone()),
            rename(name),
        )
        .await
        .expect("renamed");
    }

    /// Waits until the caching node reads the offer as `name`.
    async fn until_read(&self, name: &str) {
        until_read(&self.cached, self.account(), &self.offer, name).await;
    }
}

#[tokio::test]
async fn a_change_made_on_another_node_reaches_this_nodes_cached_reads() {
    let scene = Scene::new().await;
    scene
        .rename_on(&scene.context.another_node(), "After")
        .await;
    scene.until_read("After").await;
}

#[tokio::test]
async fn offer_listeners_hear_of_a_change_made_on_another_node() {
    let scene = Scene::new().await;
    let heard = Arc::new(Mutex::new(Vec::new()));
    let into = Arc::clone(&heard);
    scene
        .cached
        .on_offer_change(move |code| into.lock().expect("lock").push(code.to_string()));
    scene
        .rename_on(&scene.context.another_node(), "After")
        .await;
    let started = Instant::now();
    while !heard
        .lock()
        .expect("lock")
        .contains(&scene.offer.code.to_string())
    {
        assert!(
            started.elapsed() < WITHIN,
            "the redirect's cache was not told"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_change_is_read_at_once_on_the_node_that_made_it() {
    let scene = Scene::new().await;
    scene.rename_on(&scene.cached, "After").await;
    let (cached, account) = (&scene.cached, scene.account());
    assert_eq!(name_read(cached, account, &scene.offer).await, "After");
    assert_eq!(name_listed(cached, account).await, "After");
}

#[tokio::test]
async fn a_cached_read_is_served_from_memory_until_the_log_shows_a_change() {
    let mut scene = Scene::new().await;
    rename_silently(&mut scene.psql, &scene.offer, "Unannounced");
    assert_eq!(
        name_read(&scene.cached, scene.account(), &scene.offer).await,
        "Before",
        "served from memory"
    );

    // An operator's ordinary UPDATE in psql fires the trigger like any writer.
    let update = format!(
        "UPDATE offers SET name = 'From psql' WHERE id = '{}'",
        scene.offer.id
    );
    scene.psql.batch_execute(&update).expect("renamed in psql");
    scene.until_read("From psql").await;
}

#[tokio::test]
async fn what_was_cached_before_the_reading_session_was_lost_is_read_again() {
    let mut scene = Scene::new().await;
    // The session is cut, and a change is made that the log does not show.
    scene
        .psql
        .batch_execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE application_name = '{READER_NAME}' AND datname = current_database()"
        ))
        .expect("terminated");
    rename_silently(&mut scene.psql, &scene.offer, "During the cut");

    scene.until_read("During the cut").await;
}

#[tokio::test]
async fn offers_are_read_from_the_database_while_the_change_log_cannot_be_read() {
    let context = Context::new().await;
    let account = &context.account.account_id;
    let offer = context.offer("Before").await;
    let cached = context.caching_node(Some("postgres://postgres@127.0.0.1:1/nowhere"));
    let mut psql = context.psql();
    assert_eq!(name_read(&cached, account, &offer).await, "Before");
    assert_eq!(name_listed(&cached, account).await, "Before");

    rename_silently(&mut psql, &offer, "Read fresh");

    assert_eq!(name_read(&cached, account, &offer).await, "Read fresh");
    assert_eq!(name_listed(&cached, account).await, "Read fresh");
}
