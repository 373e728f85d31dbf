//! What a fake TUNE serves: offers and conversions as TUNE writes them (string numbers,
//! `"0"`/`"1"` flags, nulls), built from the samples of INTEGRATIONS.md §1.4 and §1.6.

use serde_json::{json, Map, Value};

/// How TUNE sends a set of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowShape {
    /// A JSON list.
    List,
    /// An object keyed by id (by position for report rows).
    KeyedById,
}

/// What `generateTrackingLink` answers for an offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TuneLink {
    /// `https://trk.example.com/aff_c?offer_id=<id>[&aff_id=<affiliate>]`.
    Generated,
    /// This `click_url`.
    Url(String),
    /// An error envelope with this text.
    Refused(String),
}

/// An offer of `Offer::findAll`.
#[derive(Debug, Clone, PartialEq)]
pub struct TuneOffer {
    pub(crate) fields: Map<String, Value>,
    pub(crate) link: TuneLink,
}

impl TuneOffer {
    /// An active `cpa_flat` offer paying `"2.00000"`, with the documented fields.
    pub fn new(id: u64, name: &str) -> Self {
        let fields = json!({
            "id": id.to_string(), "name": name, "status": "active", "advertiser_id": "18",
            "payout_type": "cpa_flat", "default_payout": "2.00000", "percent_payout": null,
            "revenue_type": "cpa_flat", "currency": null,
            "offer_url": "https://adv.example/lp?tid={transaction_id}",
            "preview_url": "https://adv.example/preview", "expiration_date": "2027-10-31",
            "is_expired": "0", "require_approval": "0", "is_private": "0",
            "modified": "2026-02-27 10:15:00"
        });
        Self {
            fields: fields.as_object().cloned().unwrap_or_default(),
            link: TuneLink::Generated,
        }
    }

    /// Sets (or replaces) one field, with any JSON value: `.with("default_payout", 2.5)`.
    pub fn with(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.fields.insert(field.to_owned(), value.into());
        self
    }

    /// `generateTrackingLink` answers this `click_url`.
    pub fn link(mut self, click_url: &str) -> Self {
        self.link = TuneLink::Url(click_url.to_owned());
        self
    }

    /// `generateTrackingLink` refuses this offer with an error envelope.
    pub fn without_link(mut self, message: &str) -> Self {
        self.link = TuneLink::Refused(message.to_owned());
        self
    }

    /// The offer's id as text.
    pub(crate) fn id(&self) -> String {
        text_of(self.fields.get("id"))
    }
}

/// A conversion of `Report::getConversions`.
#[derive(Debug, Clone, PartialEq)]
pub struct TuneConversion {
    pub(crate) stat: Map<String, Value>,
    pub(crate) mobile: Map<String, Value>,
}

impl TuneConversion {
    /// A conversion on `offer_id` at `datetime` (`YYYY-MM-DD HH:MM:SS`, the network's
    /// zone) with the given status and payout text, like the documented row.
    pub fn new(event_id: &str, offer_id: u64, datetime: &str, status: &str, payout: &str) -> Self {
        let stat = json!({
            "tune_event_id": event_id, "id": null, "ad_id": null, "datetime": datetime,
            "status": status, "payout": payout, "revenue": payout, "sale_amount": "0.00000",
            "currency": "USD", "offer_id": offer_id.to_string(), "source": "",
            "affiliate_info1": "", "affiliate_info2": "", "affiliate_info3": "",
            "affiliate_info4": "", "affiliate_info5": "", "approved_payout": null
        });
        Self {
            stat: stat.as_object().cloned().unwrap_or_default(),
            mobile: json!({"affiliate_click_id": null})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        }
    }

    /// Sets a `Stat` field: `.stat("affiliate_info1", "664f…")`.
    pub fn stat(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.stat.insert(field.to_owned(), value.into());
        self
    }

    /// Sets a `ConversionsMobile` field: `.mobile("affiliate_click_id", "664f…")`.
    pub fn mobile(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.mobile.insert(field.to_owned(), value.into());
        self
    }

    /// `Stat.datetime` as text.
    pub(crate) fn datetime(&self) -> String {
        text_of(self.stat.get("datetime"))
    }
}

/// A JSON value as text: strings as they are, other values as JSON.
fn text_of(value: Option<&Value>) -> String {
    match value {
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}
