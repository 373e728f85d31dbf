//! A fake TUNE (HasOffers API v3) at `http://127.0.0.1:<port>/Apiv3/json`.

mod data;
mod handler;

use serde_json::{json, Value};

pub use self::data::{RowShape, TuneConversion, TuneOffer};
use crate::mode::Mode;
use crate::record::RecordedRequest;
use crate::serve::Running;

/// What the fake serves.
pub(crate) struct TuneState {
    api_key: String,
    offers: Vec<TuneOffer>,
    conversions: Vec<TuneConversion>,
    offer_rows: RowShape,
    report_rows: RowShape,
}

/// A TUNE error envelope (HTTP 200, `status: -1`) with this text in every place TUNE
/// puts it.
pub(crate) fn error_envelope(message: &str) -> Value {
    json!({
        "request": {},
        "response": {
            "status": -1, "httpStatus": 200, "data": "",
            "errors": [{"err_msg": message, "publicMessage": message}],
            "errorMessage": message
        }
    })
}

/// A running fake TUNE; it stops when dropped. It accepts one key, as `NetworkToken`
/// (network API: `Offer`, `Report`) or as `api_key` (affiliate API: `Affiliate_Offer`,
/// `Affiliate_Report`), and serves `findAll`, `generateTrackingLink` and
/// `getConversions`. A wrong key gets TUNE's error envelope (`Invalid NetworkToken`).
/// Offers come keyed by id and report rows as a list unless set otherwise; an empty set
/// is `[]`.
pub struct FakeTune {
    running: Running<TuneState>,
}

impl FakeTune {
    /// Starts a fake TUNE with no offers and no conversions that accepts `api_key`.
    pub fn start(api_key: &str) -> Self {
        let state = TuneState {
            api_key: api_key.to_owned(),
            offers: Vec::new(),
            conversions: Vec::new(),
            offer_rows: RowShape::KeyedById,
            report_rows: RowShape::List,
        };
        Self {
            running: Running::start("tune", state),
        }
    }

    /// The endpoint to configure as a connection's `base_url`.
    pub fn base_url(&self) -> String {
        format!("{}/Apiv3/json", self.running.origin())
    }

    /// Replaces the offers `findAll` serves (in this order).
    pub fn set_offers(&self, offers: Vec<TuneOffer>) {
        self.running.with(|fake| fake.platform.offers = offers);
    }

    /// Replaces the conversions `getConversions` serves (sorted by `Stat.datetime`).
    pub fn set_conversions(&self, conversions: Vec<TuneConversion>) {
        self.running
            .with(|fake| fake.platform.conversions = conversions);
    }

    /// How `findAll` sends its rows.
    pub fn set_offer_rows(&self, shape: RowShape) {
        self.running.with(|fake| fake.platform.offer_rows = shape);
    }

    /// How `getConversions` sends its rows.
    pub fn set_report_rows(&self, shape: RowShape) {
        self.running.with(|fake| fake.platform.report_rows = shape);
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
