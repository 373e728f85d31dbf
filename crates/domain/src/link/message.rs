//! A message's totals across its links (the dashboard's links by message, SPEC §11).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// One SMS message: how many links it was sent with and what they did.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageTotals {
    /// The client's message id.
    pub message_id: String,
    /// Links created for it (one per recipient).
    pub links: i64,
    /// When its newest link was created.
    pub last_sent_at: DateTime<Utc>,
    /// Clicks on its links by people.
    pub clicks: i64,
    /// First clicks (one per recipient at most).
    pub first_clicks: i64,
    /// Bot clicks (link previews, scanners).
    pub bot_clicks: i64,
    /// Conversions credited to the message, refunds and chargebacks left out.
    pub conversions: i64,
    /// Revenue credited to the message, refunds and chargebacks taken off.
    pub revenue: Decimal,
}
