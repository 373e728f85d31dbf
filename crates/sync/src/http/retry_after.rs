//! The `Retry-After` header (RFC 9110 §10.2.3): whole seconds, or an HTTP date.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// How long the header asks to wait; `None` when it is unreadable. A date in the past
/// means no wait.
pub(crate) fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = DateTime::parse_from_rfc2822(value).ok()?;
    Some(
        (date.with_timezone(&Utc) - now)
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn seconds_and_dates_are_read() {
        let now = Utc.with_ymd_and_hms(2026, 3, 2, 13, 0, 0).single();
        let now = now.unwrap_or_else(|| panic!("a valid test date"));
        let cases = [
            ("1", Some(Duration::from_secs(1)), "whole seconds"),
            (" 30 ", Some(Duration::from_secs(30)), "padded"),
            ("0", Some(Duration::ZERO), "zero"),
            (
                "Mon, 02 Mar 2026 13:00:05 GMT",
                Some(Duration::from_secs(5)),
                "an HTTP date five seconds ahead",
            ),
            (
                "Mon, 02 Mar 2026 12:59:00 GMT",
                Some(Duration::ZERO),
                "an HTTP date in the past",
            ),
            ("-1", None, "negative seconds"),
            ("1.5", None, "fractional seconds"),
            ("soon", None, "words"),
        ];
        for (value, expected, description) in cases {
            assert_eq!(parse_retry_after(value, now), expected, "{description}");
        }
    }
}
