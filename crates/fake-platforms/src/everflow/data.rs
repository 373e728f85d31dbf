//! What a fake Everflow serves: offers and conversions as Everflow writes them (integer
//! ids, amounts as JSON numbers, Unix seconds), built from INTEGRATIONS.md §2.3 and §2.6.

use serde_json::{json, Map, Number, Value};

/// Where an offer's payout entries are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// `relationship.payout_revenue.entries`, when `relationship=payout_revenue` is asked.
    Relationship,
    /// A top-level `payout_revenue` list, always.
    TopLevel,
}

/// What the tracking-link call answers for an offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum EverflowLink {
    /// `https://www.trk.example.com/<offer>/<affiliate>/`.
    Generated,
    /// This URL.
    Url(String),
    /// A 400 `{"error": …}` with this text.
    Refused(String),
}

/// An offer of `GET /v1/networks/offers`.
#[derive(Debug, Clone, PartialEq)]
pub struct EverflowOffer {
    pub(crate) id: u64,
    pub(crate) fields: Map<String, Value>,
    pub(crate) entry: Map<String, Value>,
    pub(crate) placement: Placement,
    pub(crate) link: EverflowLink,
}

impl EverflowOffer {
    /// An active offer with one default `cpa` payout entry of 5.0, the documented fields,
    /// its entries under `relationship`.
    pub fn new(id: u64, name: &str) -> Self {
        let fields = json!({
            "network_id": 1, "network_advertiser_id": 42, "name": name,
            "offer_status": "active", "currency_id": "USD",
            "destination_url": "https://adv.example/lp?tid={transaction_id}",
            "preview_url": "https://adv.example/preview", "visibility": "public",
            "time_created": 1_700_000_000, "time_saved": 1_772_323_200_u64
        });
        let entry = json!({
            "network_offer_payout_revenue_id": 901, "entry_name": "Base", "is_default": true,
            "payout_type": "cpa", "payout_amount": 5.0, "payout_percentage": 0,
            "revenue_type": "rpa", "revenue_amount": 10.0, "revenue_percentage": 0
        });
        Self {
            id,
            fields: fields.as_object().cloned().unwrap_or_default(),
            entry: entry.as_object().cloned().unwrap_or_default(),
            placement: Placement::Relationship,
            link: EverflowLink::Generated,
        }
    }

    /// The default entry's payout type and amount (`"7.25"` is served as the number 7.25).
    pub fn payout(mut self, payout_type: &str, amount: &str) -> Self {
        self.entry
            .insert("payout_type".to_owned(), payout_type.into());
        self.entry
            .insert("payout_amount".to_owned(), json_number(amount));
        self
    }

    /// Serves the payout entries as a top-level `payout_revenue` list instead.
    pub fn payout_at_top_level(mut self) -> Self {
        self.placement = Placement::TopLevel;
        self
    }

    /// Sets (or replaces) one offer field: `.with("offer_status", "paused")`.
    pub fn with(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.fields.insert(field.to_owned(), value.into());
        self
    }

    /// The tracking-link call answers this URL.
    pub fn link(mut self, url: &str) -> Self {
        self.link = EverflowLink::Url(url.to_owned());
        self
    }

    /// The tracking-link call refuses this offer with a 400.
    pub fn without_link(mut self, message: &str) -> Self {
        self.link = EverflowLink::Refused(message.to_owned());
        self
    }
}

/// A conversion of `POST /v1/networks/reporting/conversions`.
#[derive(Debug, Clone, PartialEq)]
pub struct EverflowConversion {
    pub(crate) fields: Map<String, Value>,
}

impl EverflowConversion {
    /// A conversion on `offer_id` at `unix_time` with the given status and payout
    /// (`"5.0"` is served as the number 5.0), like the documented row, no sub values.
    pub fn new(
        conversion_id: &str,
        offer_id: u64,
        unix_time: i64,
        status: &str,
        payout: &str,
    ) -> Self {
        let fields = json!({
            "conversion_id": conversion_id, "transaction_id": "",
            "conversion_unix_timestamp": unix_time, "click_unix_timestamp": unix_time - 60,
            "status": status, "payout_type": "cpa", "payout": json_number(payout),
            "revenue_type": "rpa", "revenue": 10.0, "sale_amount": 0, "currency_id": "USD",
            "is_event": false, "event": "Base", "sub1": "", "sub2": "", "source_id": "",
            "adv1": "", "order_id": "",
            "relationship": {
                "offer": { "network_offer_id": offer_id, "name": "Offer" },
                "affiliate": { "network_affiliate_id": 7 }
            }
        });
        Self {
            fields: fields.as_object().cloned().unwrap_or_default(),
        }
    }

    /// Sets (or replaces) one field: `.with("transaction_id", "a8f3…")`.
    pub fn with(mut self, field: &str, value: impl Into<Value>) -> Self {
        self.fields.insert(field.to_owned(), value.into());
        self
    }

    /// `conversion_unix_timestamp`.
    pub(crate) fn unix_time(&self) -> i64 {
        self.fields
            .get("conversion_unix_timestamp")
            .and_then(Value::as_i64)
            .unwrap_or_default()
    }

    /// Whether it is a post-conversion event.
    pub(crate) fn is_event(&self) -> bool {
        self.fields.get("is_event").and_then(Value::as_bool) == Some(true)
    }
}

/// A JSON number written from its text; test data that is not a number is a bug in the
/// test, so it panics.
fn json_number(text: &str) -> Value {
    serde_json::from_str::<Number>(text)
        .map(Value::Number)
        .unwrap_or_else(|_| panic!("{text:?} is not a JSON number"))
}
