//! Time as the SPEC writes it (§1.4): responses carry UTC with whole seconds and a `Z`.

use chrono::{DateTime, Utc};

/// A timestamp as responses show it: `2025-11-01T14:30:00Z`.
///
/// ```
/// use chrono::TimeZone;
/// let time = chrono::Utc.with_ymd_and_hms(2025, 11, 1, 14, 30, 0).unwrap();
/// assert_eq!(trackly_domain::time::format_timestamp(time), "2025-11-01T14:30:00Z");
/// ```
pub fn format_timestamp(time: DateTime<Utc>) -> String {
    time.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}
