//! A fake Everflow Network API at `http://127.0.0.1:<port>`.

mod data;
mod handler;

pub use self::data::{EverflowConversion, EverflowOffer};
use crate::mode::Mode;
use crate::record::RecordedRequest;
use crate::serve::Running;

/// What the fake serves.
pub(crate) struct EverflowState {
    api_key: String,
    offers: Vec<EverflowOffer>,
    conversions: Vec<EverflowConversion>,
    link_field: String,
    paging_reported: bool,
}

/// A running fake Everflow; it stops when dropped. It accepts one key in the
/// `X-Eflow-API-Key` header (any spelling) and serves `GET /v1/networks/offers`,
/// `POST /v1/networks/tracking/offers/clicks` and `POST /v1/networks/reporting/conversions`
/// (UTC only, `page`/`page_size` in the query or the body). A missing or wrong key gets a
/// 401 `{"error": …}`.
pub struct FakeEverflow {
    running: Running<EverflowState>,
}

impl FakeEverflow {
    /// Starts a fake Everflow with no offers and no conversions that accepts `api_key`.
    pub fn start(api_key: &str) -> Self {
        let state = EverflowState {
            api_key: api_key.to_owned(),
            offers: Vec::new(),
            conversions: Vec::new(),
            link_field: "url".to_owned(),
            paging_reported: true,
        };
        Self {
            running: Running::start("everflow", state),
        }
    }

    /// The API root to configure as a connection's `base_url`.
    pub fn base_url(&self) -> String {
        self.running.origin()
    }

    /// Replaces the offers the list serves (in this order).
    pub fn set_offers(&self, offers: Vec<EverflowOffer>) {
        self.running.with(|fake| fake.platform.offers = offers);
    }

    /// Replaces the conversions the report serves (sorted by time).
    pub fn set_conversions(&self, conversions: Vec<EverflowConversion>) {
        self.running
            .with(|fake| fake.platform.conversions = conversions);
    }

    /// The field the tracking-link answer puts the URL in: `url` (the default) or
    /// `tracking_url`.
    pub fn set_link_field(&self, field: &str) {
        let field = field.to_owned();
        self.running.with(|fake| fake.platform.link_field = field);
    }

    /// Whether lists carry `paging` (they do unless set otherwise); without it a client
    /// must stop on a short page.
    pub fn set_paging_reported(&self, reported: bool) {
        self.running
            .with(|fake| fake.platform.paging_reported = reported);
    }

    /// Answers the next `times` requests with `mode`, after any modes already queued.
    pub fn queue(&self, mode: Mode, times: usize) {
        self.running.queue(mode, times);
    }

    /// Every request received so far, without the key's value.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.running.requests()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.running.clear_requests();
    }
}
