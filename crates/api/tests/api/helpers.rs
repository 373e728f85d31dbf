//! `TestApp`: the real server on a random port, its own database, an account with a key,
//! and typed helpers per endpoint.

use std::net::TcpListener;
use std::time::{Duration, Instant};

use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};
use trackly_api::{serve, AppSettings, AppState};
use trackly_app::App;
use trackly_domain::account::CreatedAccount;
use trackly_store::accounts::create_account;
use trackly_store::{build_pool, PgPool};
use trackly_test_db::TestDb;
use trackly_tracking::{BotDetector, ClickPipeline, Counter, SpoolConfig, Tracker, SEGMENT_BYTES};

/// The base of tracking links in tests.
pub const PUBLIC_URL: &str = "http://trk.test";

/// How a test app differs from the default one.
#[derive(Default)]
pub struct TestOptions {
    /// Take client addresses from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// Bot networks, as the lines of a CIDR file.
    pub bot_cidrs: &'static str,
    /// Connect the server through this URL instead of straight to the test database
    /// (for outage tests through a proxy); `{db}` stands for the database name.
    pub database_url: Option<String>,
    /// The server's pool size; `None` is the default of 8 connections.
    pub pool_size: Option<u32>,
    /// The spool's byte limit; `None` is 64 MiB.
    pub spool_max_bytes: Option<u64>,
    /// Serve without `TRACKLY_SECRET_KEY` (platform connections cannot be stored).
    pub no_secret_key: bool,
}

/// The `TRACKLY_SECRET_KEY` of test servers.
pub const SECRET_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// A running server with its database and one account.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// The account every helper acts for.
    pub account: CreatedAccount,
    /// A pool on the test database, for looking behind the API.
    pub pool: PgPool,
    /// The HTTP client.
    pub client: reqwest::Client,
    /// The server's click pipeline, stopped when the app is dropped.
    pub clicks: Option<ClickPipeline>,
    /// The server's data directory (the click spool).
    pub data_dir: tempfile::TempDir,
    /// Kept last so the database outlives the pool's use.
    pub db: TestDb,
}

impl TestApp {
    /// Starts the server on a fresh database with one account.
    pub async fn spawn() -> Self {
        Self::spawn_with(TestOptions::default()).await
    }

    /// Starts a server configured by `options`.
    pub async fn spawn_with(options: TestOptions) -> Self {
        let db = TestDb::new();
        let account = create_account(&mut db.connect(), "test", None, chrono::Utc::now())
            .expect("create the test account");
        let server_url = options
            .database_url
            .map_or_else(|| db.url().to_owned(), |url| url.replace("{db}", db.name()));
        // As `serve` runs it: offers cached, kept current by the change log.
        let mut server_app = App::connect(&server_url, options.pool_size.unwrap_or(8))
            .with_offer_cache(&server_url, 16 << 20);
        if !options.no_secret_key {
            let key = trackly_app::SecretKey::from_hex(SECRET_KEY).expect("a valid test key");
            server_app = server_app.with_secret_key(key);
        }
        let data_dir = tempfile::tempdir().expect("a data directory");
        let spool = SpoolConfig {
            data_dir: data_dir.path().to_owned(),
            max_bytes: options.spool_max_bytes.unwrap_or(64 << 20),
            fsync_interval: Duration::from_millis(100),
            segment_bytes: SEGMENT_BYTES,
        };
        let (clicks, sink) =
            ClickPipeline::start(server_app.clone(), &spool).expect("start the click pipeline");
        let bots = BotDetector::from_cidrs(options.bot_cidrs).expect("valid test CIDRs");
        let settings = AppSettings {
            public_url: PUBLIC_URL.to_owned(),
            trust_proxy: options.trust_proxy,
            platform_options: trackly_sync::ClientOptions {
                timeout: Duration::from_secs(2),
                backoff: Duration::from_millis(10),
                rate_limit_wait: Duration::from_millis(100),
                max_retry_after: Duration::from_secs(1),
                min_request_interval: Duration::ZERO,
                ..trackly_sync::ClientOptions::default()
            },
        };
        let tracker = Tracker::new(server_app.clone(), bots, sink);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let server =
            serve(listener, AppState::new(server_app, tracker, settings), 1).expect("start server");
        tokio::spawn(server);
        Self {
            address,
            account,
            pool: build_pool(db.url(), 4),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            clicks: Some(clicks),
            data_dir,
            db,
        }
    }

    /// The server's click pipeline.
    pub fn clicks(&self) -> &ClickPipeline {
        self.clicks.as_ref().expect("the click pipeline runs")
    }

    /// Waits until every click the server spooled is stored (at most `timeout`).
    pub async fn flush_clicks(&self, timeout: Duration) {
        let started = Instant::now();
        while !self.clicks().flush(Duration::ZERO) {
            assert!(
                started.elapsed() < timeout,
                "clicks not stored within {timeout:?}: {} of {} spooled",
                self.clicks().stats().get(Counter::Stored),
                self.clicks().stats().get(Counter::Spooled)
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// How many clicks the database holds.
    pub fn click_rows(&self) -> i64 {
        use diesel::prelude::*;
        let mut conn = self.pool.get().expect("connection");
        trackly_store::schema::clicks::table
            .count()
            .get_result(&mut **conn)
            .expect("count")
    }

    /// Stores one click of `offer` directly (through the click writer's store call, so
    /// the rollups see it) and returns its id.
    pub fn store_click(
        &self,
        offer: &Value,
        at: chrono::DateTime<chrono::Utc>,
        visitor: (&str, &str),
        bot_reason: Option<trackly_domain::click::BotReason>,
    ) -> String {
        let id = trackly_store::secrets::new_id(at);
        let click = trackly_domain::click::Click {
            id: id.clone(),
            account_id: self.account.account_id.clone(),
            offer_id: Some(
                trackly_domain::ObjectId::parse(offer["id"].as_str().expect("offer id"))
                    .expect("valid id"),
            ),
            link: None,
            first_click: false,
            created_at: at,
            ip: Some(visitor.0.to_owned()),
            user_agent: Some(visitor.1.to_owned()),
            referer: None,
            subs: Default::default(),
            bot_reason,
        };
        let mut conn = self.pool.get().expect("connection");
        trackly_store::clicks::insert_clicks(&mut conn, &[click]).expect("store click");
        id.to_string()
    }

    /// `POST /api/v2/revenue` → (status, body).
    pub async fn post_revenue(&self, body: &Value) -> (u16, Value) {
        send(self.api(Method::POST, "/api/v2/revenue").json(body)).await
    }

    /// How many revenue events the database holds.
    pub fn revenue_rows(&self) -> i64 {
        use diesel::prelude::*;
        let mut conn = self.pool.get().expect("connection");
        trackly_store::schema::revenue_events::table
            .count()
            .get_result(&mut **conn)
            .expect("count")
    }

    /// `GET {path}` without a key and without following redirects.
    pub async fn follow(&self, path: &str) -> Response {
        self.request(Method::GET, path)
            .send()
            .await
            .expect("request")
    }

    /// A second account, to check tenant isolation.
    pub fn other_account(&self) -> CreatedAccount {
        create_account(&mut self.db.connect(), "other", None, chrono::Utc::now())
            .expect("create account")
    }

    /// A request to `path` (under the server root) without a key.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
    }

    /// A request carrying this app's API key.
    pub fn api(&self, method: Method, path: &str) -> RequestBuilder {
        self.with_key(method, path, &self.account.api_key)
    }

    /// A request carrying `key`.
    pub fn with_key(&self, method: Method, path: &str, key: &str) -> RequestBuilder {
        self.request(method, path).header("X-Api-Key", key)
    }

    /// `POST /api/v2/offers`.
    pub async fn post_offer(&self, body: &Value) -> Response {
        self.api(Method::POST, "/api/v2/offers")
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// Creates an offer named `name` and returns its object.
    pub async fn create_offer(&self, name: &str) -> Value {
        self.create_offer_with(
            json!({"name": name, "tracking_url": "https://adv.example.com/c?id={click_id}"}),
        )
        .await
    }

    /// Creates an offer from `body` (which must be valid) and returns its object.
    pub async fn create_offer_with(&self, body: Value) -> Value {
        let response = self.post_offer(&body).await;
        assert_eq!(response.status(), 201, "creating {body}");
        response.json::<Value>().await.expect("json")["offer"].clone()
    }

    /// `GET /api/v2/offers{query}` → (status, body).
    pub async fn list_offers(&self, query: &str) -> (u16, Value) {
        send(self.api(Method::GET, &format!("/api/v2/offers{query}"))).await
    }

    /// `GET /api/v2/offers/{id}` → (status, body).
    pub async fn get_offer(&self, id: &str) -> (u16, Value) {
        send(self.api(Method::GET, &format!("/api/v2/offers/{id}"))).await
    }

    /// `PUT /api/v2/offers/{id}` → (status, body).
    pub async fn put_offer(&self, id: &str, body: &Value) -> (u16, Value) {
        send(
            self.api(Method::PUT, &format!("/api/v2/offers/{id}"))
                .json(body),
        )
        .await
    }

    /// `DELETE /api/v2/offers/{id}` → (status, body).
    pub async fn delete_offer(&self, id: &str) -> (u16, Value) {
        send(self.api(Method::DELETE, &format!("/api/v2/offers/{id}"))).await
    }

    /// `POST {path}` (a link endpoint) with `body` → (status, body).
    pub async fn post_link(&self, path: &str, body: &Value) -> (u16, Value) {
        send(self.api(Method::POST, path).json(body)).await
    }

    /// Makes a link through `POST /api/v2/links/shorten` (the body must be valid) and
    /// returns the answer.
    pub async fn shorten(&self, body: Value) -> Value {
        let (status, answer) = self.post_link("/api/v2/links/shorten", &body).await;
        assert_eq!(status, 201, "shortening {body}: {answer}");
        answer
    }

    /// `GET /api/v2/links/{linkId}` → (status, body).
    pub async fn get_link(&self, link_id: &str) -> (u16, Value) {
        send(self.api(Method::GET, &format!("/api/v2/links/{link_id}"))).await
    }

    /// How many links the database holds, all accounts together.
    pub fn link_rows(&self) -> i64 {
        use diesel::prelude::*;
        let mut conn = self.pool.get().expect("connection");
        trackly_store::schema::links::table
            .count()
            .get_result(&mut **conn)
            .expect("count")
    }

    /// How many offers the database holds, all accounts together.
    pub fn offer_rows(&self) -> i64 {
        use diesel::prelude::*;
        let mut conn = self.pool.get().expect("connection");
        trackly_store::schema::offers::table
            .count()
            .get_result(&mut **conn)
            .expect("count")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(clicks) = self.clicks.take() {
            clicks.shutdown(Duration::from_millis(200));
        }
    }
}

/// Sends a request and returns its status and JSON body (`null` when the body is empty).
pub async fn send(request: RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

/// Asserts an error answer: status, code, and that `error` is a sentence.
pub fn assert_error(status: u16, body: &Value, expected_status: u16, code: &str, context: &str) {
    assert_eq!(status, expected_status, "{context}: status (body {body})");
    assert_eq!(body["code"], code, "{context}: code (body {body})");
    assert!(
        body["error"].as_str().is_some_and(|text| !text.is_empty()),
        "{context}: message"
    );
}
