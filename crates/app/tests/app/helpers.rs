//! A fresh database with one account, and the app on it.

use trackly_app::{accounts, clicks, Answer, App};
use trackly_domain::account::CreatedAccount;
use trackly_domain::click::Click;
use trackly_domain::offer::OfferInput;
use trackly_domain::{NewOffer, Offer};
use trackly_test_db::TestDb;

/// The app on a database of its own, with one account.
pub struct Context {
    /// The use cases.
    pub app: App,
    /// The account the tests act for.
    pub account: CreatedAccount,
    /// Kept last so the database outlives the app's use (and is dropped with the test).
    _db: TestDb,
}

impl Context {
    /// A new database and account.
    pub async fn new() -> Self {
        let db = TestDb::new();
        let app = App::connect(db.url(), 4);
        let account = accounts::create(&app, "test").await.expect("an account");
        Self {
            app,
            account,
            _db: db,
        }
    }

    /// The app of a second node on the same database.
    pub fn another_node(&self) -> App {
        App::connect(self._db.url(), 2)
    }

    /// The app of a node on the same database that caches offers, as `serve` runs it,
    /// reading the change log at `changes_url` (the database's own URL when `None`).
    pub fn caching_node(&self, changes_url: Option<&str>) -> App {
        App::connect(self._db.url(), 2)
            .with_offer_cache(changes_url.unwrap_or(self._db.url()), 1 << 20)
    }

    /// A session of its own on the database, as an operator's psql.
    pub fn psql(&self) -> diesel::PgConnection {
        self._db.connect()
    }

    /// Creates an offer named `name` and returns it.
    pub async fn offer(&self, name: &str) -> Offer {
        self.offer_with(OfferInput {
            name: name.into(),
            tracking_url: "https://adv.example/c?id={click_id}".into(),
            ..OfferInput::default()
        })
        .await
    }

    /// Stores `batch` as the click writer does with fresh clicks, remembering nothing.
    pub fn store_clicks(&self, batch: &[Click]) {
        clicks::store(
            &self.app,
            batch,
            clicks::Remembered::NOTHING,
            clicks::MayBeStored::No,
        )
        .expect("stored");
    }

    /// Creates an offer from `input` (which must be valid) and returns it.
    pub async fn offer_with(&self, input: OfferInput) -> Offer {
        let offer = NewOffer::try_from(input).expect("a valid offer");
        let (sender, receiver) = std::sync::mpsc::channel();
        trackly_app::offers::create(
            &self.app,
            &self.account.account_id,
            offer,
            None,
            move |created| {
                let _ = sender.send(created.clone());
                answer(201)
            },
        )
        .await
        .expect("created");
        receiver.recv().expect("the created offer")
    }
}

/// An answer with `status` and an empty body, for tests that look at the result itself.
pub fn answer(status: u16) -> Answer {
    Answer {
        status,
        body: String::new(),
    }
}

/// A clock the test sets and moves.
#[derive(Clone)]
pub struct Moved(std::sync::Arc<std::sync::Mutex<chrono::DateTime<chrono::Utc>>>);

impl Moved {
    /// A clock showing `at`.
    pub fn at(at: chrono::DateTime<chrono::Utc>) -> Self {
        Self(std::sync::Arc::new(std::sync::Mutex::new(at)))
    }

    /// Moves the clock by `by` (back when negative).
    pub fn forward(&self, by: chrono::Duration) {
        *self.0.lock().expect("clock") += by;
    }
}

impl trackly_app::Clock for Moved {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        *self.0.lock().expect("clock")
    }
}
