//! The request pipeline both fakes share: record the request, apply the next queued
//! mode, then give the platform's normal answer (cut short for truncated JSON).

use std::sync::{Mutex, MutexGuard, PoisonError};

use actix_web::http::header::HeaderMap;
use actix_web::http::{Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;

use crate::failure::{replacement, Kind};
use crate::mode::{Mode, Script};
use crate::record::RecordedRequest;
use crate::server::FakeServer;

/// A request as the platforms read it.
pub(crate) struct Incoming {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Value>,
}

impl Incoming {
    /// The first value of a query parameter.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        self.params(name).into_iter().next()
    }

    /// Every value of a query parameter, in order.
    pub(crate) fn params(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }

    /// A header's value (names are case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// A platform's normal answer: status and JSON body.
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) body: Value,
}

/// Who carried a key, and whether it was right; the query without the key.
pub(crate) struct Credentials {
    pub(crate) key_name: Option<String>,
    pub(crate) key_accepted: bool,
    pub(crate) query: Vec<(String, String)>,
}

/// What makes a fake TUNE or Everflow.
pub(crate) trait Platform: Send + 'static {
    /// Which platform, for the shape of failures.
    const KIND: Kind;
    /// The key parameter or header of a request.
    fn credentials(&self, incoming: &Incoming) -> Credentials;
    /// The normal answer.
    fn answer(&self, incoming: &Incoming) -> Reply;
}

/// A platform's data with the queued modes and the requests received.
pub(crate) struct Fake<P> {
    pub(crate) script: Script,
    pub(crate) requests: Vec<RecordedRequest>,
    pub(crate) platform: P,
}

/// A running fake: its server and its state.
pub(crate) struct Running<P: Platform> {
    server: FakeServer,
    state: web::Data<Mutex<Fake<P>>>,
}

impl<P: Platform> Running<P> {
    /// Serves `platform` on a new server.
    pub(crate) fn start(name: &str, platform: P) -> Self {
        let state = web::Data::new(Mutex::new(Fake {
            script: Script::default(),
            requests: Vec::new(),
            platform,
        }));
        let shared = state.clone();
        let server = FakeServer::start(name, move |config| {
            config
                .app_data(shared.clone())
                .default_service(web::to(serve::<P>));
        });
        Self { server, state }
    }

    /// `http://127.0.0.1:<port>`.
    pub(crate) fn origin(&self) -> String {
        self.server.origin()
    }

    /// Runs `change` on the fake's state.
    pub(crate) fn with<R>(&self, change: impl FnOnce(&mut Fake<P>) -> R) -> R {
        change(&mut lock(&self.state))
    }

    /// Answers the next `times` requests with `mode`.
    pub(crate) fn queue(&self, mode: Mode, times: usize) {
        self.with(|fake| fake.script.queue(mode, times));
    }

    /// Every request received so far.
    pub(crate) fn requests(&self) -> Vec<RecordedRequest> {
        self.with(|fake| fake.requests.clone())
    }

    /// Forgets the requests received so far.
    pub(crate) fn clear_requests(&self) {
        self.with(|fake| fake.requests.clear());
    }
}

/// The state, even after a panicking test thread poisoned the lock.
fn lock<T>(state: &Mutex<T>) -> MutexGuard<'_, T> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn serve<P: Platform>(
    request: HttpRequest,
    body: web::Bytes,
    state: web::Data<Mutex<Fake<P>>>,
) -> HttpResponse {
    let incoming = Incoming {
        method: request.method().clone(),
        path: request.path().to_owned(),
        query: url::form_urlencoded::parse(request.query_string().as_bytes())
            .into_owned()
            .collect(),
        headers: request.headers().clone(),
        body: serde_json::from_slice(&body).ok(),
    };
    let mode = {
        let mut fake = lock(&state);
        let credentials = fake.platform.credentials(&incoming);
        fake.requests.push(RecordedRequest {
            method: incoming.method.to_string(),
            path: incoming.path.clone(),
            query: credentials.query,
            key_name: credentials.key_name,
            key_accepted: credentials.key_accepted,
            body: incoming.body.clone(),
        });
        fake.script.next_mode()
    };
    if let Some(Mode::Slow(delay)) = &mode {
        actix_web::rt::time::sleep(*delay).await;
    }
    if let Some(response) = mode.as_ref().and_then(|mode| replacement(mode, P::KIND)) {
        return response;
    }
    let reply = lock(&state).platform.answer(&incoming);
    let mut text = reply.body.to_string();
    if mode == Some(Mode::TruncatedJson) {
        let mut cut = text.len() / 2;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    HttpResponse::build(reply.status)
        .content_type("application/json")
        .body(text)
}
