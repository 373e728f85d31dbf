//! `TestWeb`: the real server, API and dashboard, on a random port with its own
//! database and an account; a signed-in browser session made of plain requests.

use std::net::TcpListener;
use std::time::Duration;

use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Method, Response};
use serde_json::{json, Value};
use trackly_api::{serve_with, AppSettings, AppState};
use trackly_app::App;
use trackly_domain::account::CreatedAccount;
use trackly_store::accounts::create_account;
use trackly_store::PgConnection;
use trackly_test_db::TestDb;
use trackly_tracking::{BotDetector, ClickPipeline, SpoolConfig, Tracker, SEGMENT_BYTES};
use trackly_web::{configure, WebState, SESSION_COOKIE};

/// A running server with its database and one account.
pub struct TestWeb {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// The account the dashboard is signed in to.
    pub account: CreatedAccount,
    /// An HTTP client that does not follow redirects.
    pub client: reqwest::Client,
    clicks: Option<ClickPipeline>,
    _data_dir: tempfile::TempDir,
    /// Kept last so the database outlives the server's use.
    pub db: TestDb,
}

/// A browser's signed-in session: its cookie and its forms' token.
pub struct Session {
    /// The session cookie's value.
    pub cookie: String,
    /// The token the session's forms carry.
    pub csrf_token: String,
}

impl TestWeb {
    /// Starts the server with tracking links under `http://trk.test`.
    pub async fn spawn() -> Self {
        Self::spawn_at("http://trk.test").await
    }

    /// Starts the server with tracking links under `public_url`; `{address}` stands for
    /// the server's own address.
    pub async fn spawn_at(public_url: &str) -> Self {
        let db = TestDb::new();
        let account = create_account(&mut db.connect(), "test", None, chrono::Utc::now())
            .expect("create the test account");
        // As `serve` runs it: offers cached, kept current by the change log.
        let app = App::connect(db.url(), 4).with_offer_cache(db.url(), 16 << 20);
        let data_dir = tempfile::tempdir().expect("a data directory");
        let spool = SpoolConfig {
            data_dir: data_dir.path().to_owned(),
            max_bytes: 64 << 20,
            fsync_interval: Duration::from_millis(100),
            segment_bytes: SEGMENT_BYTES,
        };
        let (clicks, sink) = ClickPipeline::start(app.clone(), &spool).expect("click pipeline");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let address = format!("http://{}", listener.local_addr().expect("address"));
        let public_url = public_url.replace("{address}", &address);
        let tracker = Tracker::new(app.clone(), BotDetector::new(), sink);
        let settings = AppSettings {
            public_url: public_url.clone(),
            trust_proxy: false,
            platform_options: trackly_sync::ClientOptions::default(),
        };
        let dashboard = configure(WebState::new(app.clone(), &public_url));
        let server = serve_with(
            listener,
            AppState::new(app, tracker, settings),
            1,
            dashboard,
        )
        .expect("start server");
        tokio::spawn(server);
        Self {
            address,
            account,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            clicks: Some(clicks),
            _data_dir: data_dir,
            db,
        }
    }

    /// A connection to the test database, to look behind the pages.
    pub fn conn(&self) -> PgConnection {
        self.db.connect()
    }

    /// Waits until the clicks the server spooled are stored.
    pub async fn flush_clicks(&self) {
        let clicks = self.clicks.as_ref().expect("the click pipeline runs");
        for _ in 0..500 {
            if clicks.flush(Duration::ZERO) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("clicks were not stored within 5 s");
    }

    /// Signs in with this app's key.
    pub async fn sign_in(&self) -> Session {
        self.sign_in_with(&self.account.api_key)
            .await
            .expect("the test key signs in")
    }

    /// Signs in with `key` through the form; `None` when it is refused.
    pub async fn sign_in_with(&self, key: &str) -> Option<Session> {
        let form = self.get("/app/sign-in", None).await;
        let form_cookie = cookie_value(&form, "trackly_sign_in").expect("the form sets its cookie");
        let page = form.text().await.expect("page");
        let token = hidden_token(&page);
        let answer = self
            .client
            .post(format!("{}/app/sign-in", self.address))
            .header(COOKIE, format!("trackly_sign_in={form_cookie}"))
            .form(&[("csrf_token", token.as_str()), ("api_key", key)])
            .send()
            .await
            .expect("request");
        if answer.status() != 303 {
            return None;
        }
        let cookie = cookie_value(&answer, SESSION_COOKIE).expect("a session cookie");
        let overview = self.get("/app", Some(&cookie)).await;
        assert_eq!(overview.status(), 200, "the new session opens the overview");
        let csrf_token = hidden_token(&overview.text().await.expect("page"));
        Some(Session { cookie, csrf_token })
    }

    /// `GET {path}` with the session cookie `session` (if any).
    pub async fn get(&self, path: &str, session: Option<&str>) -> Response {
        let mut request = self.client.get(format!("{}{path}", self.address));
        if let Some(session) = session {
            request = request.header(COOKIE, format!("{SESSION_COOKIE}={session}"));
        }
        request.send().await.expect("request")
    }

    /// `GET {path}` as `session`: status and page.
    pub async fn page(&self, path: &str, session: &Session) -> (u16, String) {
        let response = self.get(path, Some(&session.cookie)).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("page"))
    }

    /// `POST {path}` with `fields` as `session` (its token added unless `fields` has one).
    pub async fn post_form(
        &self,
        path: &str,
        session: &Session,
        fields: &[(&str, &str)],
    ) -> Response {
        let mut fields = fields.to_vec();
        if !fields.iter().any(|(name, _)| *name == "csrf_token") {
            fields.push(("csrf_token", &session.csrf_token));
        }
        self.client
            .post(format!("{}{path}", self.address))
            .header(COOKIE, format!("{SESSION_COOKIE}={}", session.cookie))
            .form(&fields)
            .send()
            .await
            .expect("request")
    }

    /// A request to the API with this app's key.
    pub fn api(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
            .header("X-Api-Key", &self.account.api_key)
    }

    /// Creates an offer through the API and returns its object.
    pub async fn create_offer(&self, body: Value) -> Value {
        let response = self
            .api(Method::POST, "/api/v2/offers")
            .json(&body)
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 201, "creating {body}");
        response.json::<Value>().await.expect("json")["offer"].clone()
    }

    /// An offer named `name` with a plain destination.
    pub async fn offer_named(&self, name: &str) -> Value {
        self.create_offer(json!({"name": name, "tracking_url": "https://adv.example/t?c={click_id}", "payout": "2.50"}))
            .await
    }
}

impl Drop for TestWeb {
    fn drop(&mut self) {
        if let Some(clicks) = self.clicks.take() {
            clicks.shutdown(Duration::from_millis(200));
        }
    }
}

/// The value of cookie `name` that `response` sets.
pub fn cookie_value(response: &Response, name: &str) -> Option<String> {
    set_cookies(response)
        .into_iter()
        .find(|cookie| cookie.starts_with(&format!("{name}=")))
        .and_then(|cookie| {
            cookie
                .split(';')
                .next()
                .map(|pair| pair[name.len() + 1..].to_owned())
        })
}

/// Every `Set-Cookie` header of `response`.
pub fn set_cookies(response: &Response) -> Vec<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok().map(str::to_owned))
        .collect()
}

/// Where a redirect goes.
pub fn location(response: &Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The first anti-forgery token of a page.
pub fn hidden_token(page: &str) -> String {
    let start = page
        .find(r#"name="csrf_token" value=""#)
        .unwrap_or_else(|| panic!("no token in {page}"))
        + r#"name="csrf_token" value=""#.len();
    page[start..]
        .split('"')
        .next()
        .expect("a closing quote")
        .to_owned()
}
