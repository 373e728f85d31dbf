//! Time as the SPEC writes it (§1.4): responses carry UTC with whole seconds and a `Z`.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// A timestamp as responses show it: `2025-11-01T14:30:00Z`.
///
/// Written digit by digit: every offer, link and click in an answer carries one or two,
/// and chrono's `format` parses its pattern anew each time (a tenth of the server's CPU
/// in a list of offers). Years outside 0–9999 take chrono's path.
///
/// ```
/// use chrono::TimeZone;
/// let time = chrono::Utc.with_ymd_and_hms(2025, 11, 1, 14, 30, 0).unwrap();
/// assert_eq!(trackly_domain::time::format_timestamp(time), "2025-11-01T14:30:00Z");
/// ```
pub fn format_timestamp(time: DateTime<Utc>) -> String {
    let Ok(year) = u32::try_from(time.year()) else {
        return time.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    };
    if year > 9999 {
        return time.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    let mut text = String::with_capacity(20);
    for (value, width, separator) in [
        (year, 4, '-'),
        (time.month(), 2, '-'),
        (time.day(), 2, 'T'),
        (time.hour(), 2, ':'),
        (time.minute(), 2, ':'),
        (time.second(), 2, 'Z'),
    ] {
        push_digits(&mut text, value, width);
        text.push(separator);
    }
    text
}

/// Appends `value`'s last `width` decimal digits, zero-padded.
fn push_digits(text: &mut String, value: u32, width: u32) {
    for position in (0..width).rev() {
        let digit = value / 10u32.pow(position) % 10;
        text.push(char::from_digit(digit, 10).unwrap_or('0'));
    }
}
