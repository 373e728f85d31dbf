//! A fresh database with one account and an app that can seal platform keys; connections
//! to the fakes, runs that wait for their end, and readers of what a run wrote.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use diesel::sql_types::{Bytea, Text};
use diesel::{sql_query, QueryableByName, RunQueryDsl};
use serde_json::{json, Value};
use trackly_app::{
    accounts, clicks, integrations, links, offers, revenue, sync_runs, Answer, App, AppError,
};
use trackly_domain::click::Click;
use trackly_domain::integration::{
    Integration, IntegrationInput, NewIntegration, RunStatus, SyncKind, SyncRun,
};
use trackly_domain::link::{ClickLink, Link, LinkInput, NewLink};
use trackly_domain::offer::{ExternalPlatform, OfferStatus};
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::revenue::{RevenueEvent, RevenueFilter};
use trackly_domain::{ObjectId, Offer};
use trackly_fake_platforms::{FakeEverflow, FakeTune};
use trackly_store::secrets::SecretKey;
use trackly_sync::{ClientOptions, Schedule, Syncer};
use trackly_test_db::TestDb;

use crate::logs;

/// The key both fakes accept; distinctive, so a leak is easy to find.
pub const KEY: &str = "SeCrEt-KeY-9f8e7d";

/// What answers show of [`KEY`].
pub const KEY_LAST4: &str = "…8e7d";

/// `TRACKLY_SECRET_KEY` of the tests.
const SECRET_HEX: &str = "8f4e2a6c1b3d5f7091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8";

/// The first page, large enough for every list of a test.
pub const ALL: Page = Page {
    page: 1,
    per_page: 100,
};

/// Short waits, pages of two rows, no throttle (like the client tests).
pub fn options() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_secs(2),
        attempts: 3,
        backoff: Duration::from_millis(10),
        rate_limit_wait: Duration::from_millis(100),
        max_retry_after: Duration::from_secs(5),
        min_request_interval: Duration::ZERO,
        offer_page_size: 2,
        conversion_page_size: 2,
    }
}

/// The secret key the tests seal platform keys with.
pub fn secret() -> SecretKey {
    SecretKey::from_hex(SECRET_HEX).expect("64 hex digits")
}

/// A connection request from JSON, as the API would read it.
pub fn new_integration(body: Value) -> NewIntegration {
    let input: IntegrationInput = serde_json::from_value(body).expect("a connection request");
    NewIntegration::new(input).expect("a valid connection request")
}

/// A TUNE network connection (affiliate 3) to `fake`, with `key`.
pub fn tune_body(fake: &FakeTune, key: &str) -> Value {
    json!({"platform": "tune", "base_url": fake.base_url(), "affiliate_id": "3", "api_key": key})
}

/// An Everflow connection (affiliate 7) to `fake`, with `key`.
pub fn everflow_body(fake: &FakeEverflow, key: &str) -> Value {
    json!({"platform": "everflow", "base_url": fake.base_url(), "affiliate_id": "7", "api_key": key})
}

/// The app on a database of its own, with one account.
pub struct Context {
    /// The use cases, sealing keys with [`secret`].
    pub app: App,
    /// The account the tests act for.
    pub account: ObjectId,
    /// Kept last: the database outlives the app's use.
    pub db: TestDb,
}

impl Context {
    /// A new database and account; logs are captured from here on.
    pub async fn new() -> Self {
        logs::capture();
        let db = TestDb::new();
        let app = App::connect(db.url(), 8).with_secret_key(secret());
        let account = accounts::create(&app, "sync")
            .await
            .expect("an account")
            .account_id;
        Self { app, account, db }
    }

    /// Another app on the same database: another node.
    pub fn other_node(&self) -> App {
        App::connect(self.db.url(), 8).with_secret_key(secret())
    }

    /// A syncer of this app with the short options and the default schedule.
    pub fn syncer(&self) -> Syncer {
        Syncer::new(self.app.clone(), options(), Schedule::default())
    }

    /// Connects the account with the request `body`.
    pub async fn connect(&self, body: Value) -> Result<Integration, AppError> {
        trackly_sync::connect(&self.app, &self.account, new_integration(body), &options()).await
    }

    /// Connects the account to `fake` with the right key.
    pub async fn connect_tune(&self, fake: &FakeTune) -> Integration {
        self.connect(tune_body(fake, KEY))
            .await
            .expect("connected to TUNE")
    }

    /// Connects the account to `fake` with the right key.
    pub async fn connect_everflow(&self, fake: &FakeEverflow) -> Integration {
        self.connect(everflow_body(fake, KEY))
            .await
            .expect("connected to Everflow")
    }

    /// Asks for a run of `kind` (`POST …/sync`) and waits until it ended.
    pub async fn run(&self, integration: &Integration, kind: SyncKind) -> SyncRun {
        self.run_by(&self.syncer(), integration, kind).await
    }

    /// [`Context::run`] with `syncer`.
    pub async fn run_by(
        &self,
        syncer: &Syncer,
        integration: &Integration,
        kind: SyncKind,
    ) -> SyncRun {
        let started = syncer
            .request(&self.account, &integration.id, Some(kind))
            .await
            .unwrap_or_else(|error| panic!("a {kind} run starts: {error}"));
        assert_eq!(started.len(), 1, "one run of {kind}");
        assert_eq!(started[0].status, RunStatus::Running);
        self.ended(integration, &started[0].id).await
    }

    /// Waits until the run `id` ended, as `GET …/runs` shows it.
    pub async fn ended(&self, integration: &Integration, id: &ObjectId) -> SyncRun {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let run = self
                .runs(integration)
                .await
                .into_iter()
                .find(|run| &run.id == id)
                .unwrap_or_else(|| panic!("run {id} is listed"));
            if run.status != RunStatus::Running {
                assert!(run.finished_at.is_some(), "an ended run has its end");
                self.lock_given_back(&integration.id, run.kind, deadline)
                    .await;
                return run;
            }
            assert!(Instant::now() < deadline, "run {id} did not end in 60 s");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Waits until the lock of the connection's `kind` sync is free: a run records its
    /// end, then gives its lock back, so a request right after the end may still find it
    /// held for a moment.
    async fn lock_given_back(&self, integration: &ObjectId, kind: SyncKind, deadline: Instant) {
        loop {
            let lock = sync_runs::lock(&self.app, &self.account, integration, kind)
                .await
                .expect("the lock");
            if let Some(lock) = lock {
                lock.release().await.expect("released");
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the {kind} lock was not given back"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// The connection's runs, newest first.
    pub async fn runs(&self, integration: &Integration) -> Vec<SyncRun> {
        integrations::runs(&self.app, &self.account, &integration.id, ALL)
            .await
            .expect("the runs")
            .items
    }

    /// Every offer of the account, archived ones included.
    pub async fn all_offers(&self) -> Vec<Offer> {
        let mut all = Vec::new();
        for status in [
            OfferStatus::Active,
            OfferStatus::Paused,
            OfferStatus::Archived,
        ] {
            let filter = OfferFilter {
                status: Some(status),
                ..OfferFilter::default()
            };
            let page = offers::list(&self.app, &self.account, filter, ALL)
                .await
                .expect("the offers");
            all.extend(page.items.iter().cloned());
        }
        all
    }

    /// The account's offer twin of `platform`'s offer `external_id`; fails when missing.
    pub async fn twin(&self, platform: ExternalPlatform, external_id: &str) -> Offer {
        let mut found: Vec<Offer> = self
            .all_offers()
            .await
            .into_iter()
            .filter(|offer| {
                offer.external_platform == Some(platform)
                    && offer.external_id.as_deref() == Some(external_id)
            })
            .collect();
        assert_eq!(found.len(), 1, "one twin of {platform} offer {external_id}");
        found.remove(0)
    }

    /// Every revenue event of the account, newest first.
    pub async fn revenue(&self) -> Vec<RevenueEvent> {
        revenue::list(&self.app, &self.account, RevenueFilter::default(), ALL)
            .await
            .expect("the revenue")
            .items
    }

    /// The revenue event with this `txn_id`; fails when missing.
    pub async fn event(&self, txn_id: &str) -> RevenueEvent {
        self.revenue()
            .await
            .into_iter()
            .find(|event| event.txn_id.as_deref() == Some(txn_id))
            .unwrap_or_else(|| panic!("a revenue event {txn_id}"))
    }

    /// Makes a link to `offer` for `message` and `contact`.
    pub async fn link(&self, offer: &Offer, message: &str, contact: &str) -> Link {
        let input: LinkInput = serde_json::from_value(json!({
            "offerId": offer.id.as_str(), "listId": "spring", "messageId": message,
            "contactPhone": contact
        }))
        .expect("a link request");
        let link = NewLink::shorten(input).expect("a valid link request");
        let (sender, receiver) = std::sync::mpsc::channel();
        links::shorten(&self.app, &self.account, link, None, move |made| {
            let _ = sender.send(made.clone());
            Answer {
                status: 201,
                body: String::new(),
            }
        })
        .await
        .expect("a link");
        receiver.recv().expect("the link")
    }

    /// Stores a person's click through `link` at `at` (the redirect's click writer) and
    /// returns it as stored, `first_click` decided.
    pub fn follow(&self, link: &Link, at: DateTime<Utc>) -> Click {
        let click = Click {
            link: Some(ClickLink {
                link_id: link.id.clone(),
                message_id: link.message_id.clone(),
                list_id: link.list_id.clone(),
                contact_phone: link.contact_phone.clone(),
            }),
            ..self.click_on(link.offer_id.as_ref().expect("an offer link"), at)
        };
        self.store(click)
    }

    /// Stores a person's click straight on `offer` (a tracking-link click) at `at`.
    pub fn click(&self, offer: &Offer, at: DateTime<Utc>) -> Click {
        self.store(self.click_on(&offer.id, at))
    }

    fn click_on(&self, offer: &ObjectId, at: DateTime<Utc>) -> Click {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let random = NEXT.fetch_add(1, Ordering::SeqCst).to_be_bytes();
        Click {
            id: ObjectId::new(u32::try_from(at.timestamp()).expect("recent"), random),
            account_id: self.account.clone(),
            offer_id: Some(offer.clone()),
            link: None,
            first_click: false,
            created_at: at,
            ip: Some("198.51.100.7".to_owned()),
            user_agent: Some("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)".to_owned()),
            referer: None,
            subs: Default::default(),
            bot_reason: None,
        }
    }

    fn store(&self, click: Click) -> Click {
        clicks::store(
            &self.app,
            std::slice::from_ref(&click),
            clicks::Remembered::NOTHING,
            clicks::MayBeStored::No,
        )
        .expect("stored");
        click
    }

    /// The sealed keys of the account's connections, as stored.
    pub fn sealed_keys(&self) -> Vec<Vec<u8>> {
        #[derive(QueryableByName)]
        struct Row {
            #[diesel(sql_type = Bytea)]
            api_key_sealed: Vec<u8>,
        }
        let rows: Vec<Row> = sql_query("SELECT api_key_sealed FROM integrations")
            .load(&mut self.db.connect())
            .expect("the sealed keys");
        rows.into_iter().map(|row| row.api_key_sealed).collect()
    }

    /// Every row of every table of the database, as JSON text, by table.
    pub fn dump(&self) -> BTreeMap<String, String> {
        #[derive(QueryableByName)]
        struct Name {
            #[diesel(sql_type = Text)]
            name: String,
        }
        #[derive(QueryableByName)]
        struct Rows {
            #[diesel(sql_type = Text)]
            text: String,
        }
        let mut conn = self.db.connect();
        let tables: Vec<Name> = sql_query(
            "SELECT quote_ident(table_name::text) AS name FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
        )
        .load(&mut conn)
        .expect("the tables");
        assert!(
            tables.iter().any(|table| table.name == "integrations"),
            "the dump reads the schema"
        );
        tables
            .into_iter()
            .map(|table| {
                let rows: Vec<Rows> = sql_query(format!(
                    "SELECT coalesce(string_agg(row_to_json(t)::text, E'\\n'), '') AS text \
                     FROM {} t",
                    table.name
                ))
                .load(&mut conn)
                .unwrap_or_else(|error| panic!("the rows of {}: {error}", table.name));
                let text = rows.into_iter().map(|row| row.text).collect();
                (table.name, text)
            })
            .collect()
    }
}

/// Fails the test when `text` shows the key, as text or as the hex of its bytes.
pub fn assert_no_key(text: &str, what: &str) {
    let hex: String = KEY.bytes().map(|byte| format!("{byte:02x}")).collect();
    assert!(!text.contains(KEY), "the key shows in {what}: {text}");
    assert!(
        !text.to_ascii_lowercase().contains(&hex),
        "the key's bytes show in {what}: {text}"
    );
}

/// `YYYY-MM-DD HH:MM:SS` in UTC, as TUNE writes `Stat.datetime` for a UTC network.
pub fn tune_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}
