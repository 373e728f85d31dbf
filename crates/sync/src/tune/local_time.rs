//! TUNE's `Stat.datetime` is wall-clock time in the network's zone, which is a
//! connection setting (INTEGRATIONS.md §1.6). Reading converts it to UTC; the report
//! window is written back in the same zone.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// TUNE's datetime format.
const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// A TUNE datetime read in `zone`. In the hour a clock goes back, the earlier instant
/// wins; a time that the clock skipped cannot come from TUNE in that zone and is refused,
/// naming the zone (the setting is then likely wrong).
pub(crate) fn read_local(text: &str, zone: Tz) -> Result<DateTime<Utc>, String> {
    let naive = NaiveDateTime::parse_from_str(text, FORMAT)
        .map_err(|_| format!("datetime {text:?} is not YYYY-MM-DD HH:MM:SS"))?;
    zone.from_local_datetime(&naive)
        .earliest()
        .map(|local| local.with_timezone(&Utc))
        .ok_or_else(|| format!("datetime {text:?} does not exist in {}", zone.name()))
}

/// An instant as TUNE's wall-clock text in `zone`.
pub(crate) fn write_local(instant: DateTime<Utc>, zone: Tz) -> String {
    instant.with_timezone(&zone).format(FORMAT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap_or_else(|error| panic!("{text}: {error}"))
            .with_timezone(&Utc)
    }

    #[test]
    fn datetimes_are_read_in_the_connection_zone() {
        let cases = [
            (
                "2026-03-02 13:45:10",
                Tz::UTC,
                "2026-03-02T13:45:10Z",
                "UTC",
            ),
            (
                "2026-03-02 13:45:10",
                Tz::America__New_York,
                "2026-03-02T18:45:10Z",
                "New York in winter is UTC-5",
            ),
            (
                "2026-07-02 13:45:10",
                Tz::America__New_York,
                "2026-07-02T17:45:10Z",
                "New York in summer is UTC-4",
            ),
            (
                "2026-03-02 08:00:00",
                Tz::Asia__Kolkata,
                "2026-03-02T02:30:00Z",
                "a half-hour offset",
            ),
            (
                "2026-11-01 01:30:00",
                Tz::America__New_York,
                "2026-11-01T05:30:00Z",
                "the repeated hour reads as the earlier instant",
            ),
        ];
        for (text, zone, expected, description) in cases {
            assert_eq!(read_local(text, zone), Ok(utc(expected)), "{description}");
        }
    }

    #[test]
    fn unreadable_datetimes_are_reported() {
        let cases = [
            (
                "2026-03-08 02:30:00",
                Tz::America__New_York,
                "datetime \"2026-03-08 02:30:00\" does not exist in America/New_York",
                "the skipped hour",
            ),
            (
                "2026-03-02T13:45:10Z",
                Tz::UTC,
                "datetime \"2026-03-02T13:45:10Z\" is not YYYY-MM-DD HH:MM:SS",
                "RFC 3339 is not TUNE's format",
            ),
            (
                "2026-03-02",
                Tz::UTC,
                "datetime \"2026-03-02\" is not YYYY-MM-DD HH:MM:SS",
                "a date alone",
            ),
        ];
        for (text, zone, expected, description) in cases {
            assert_eq!(
                read_local(text, zone),
                Err(expected.to_owned()),
                "{description}"
            );
        }
    }

    #[test]
    fn the_window_is_written_in_the_connection_zone() {
        let instant = utc("2026-03-01T00:00:00Z");
        let cases = [
            (Tz::UTC, "2026-03-01 00:00:00", "UTC"),
            (
                Tz::America__New_York,
                "2026-02-28 19:00:00",
                "New York is behind",
            ),
            (Tz::Asia__Tokyo, "2026-03-01 09:00:00", "Tokyo is ahead"),
        ];
        for (zone, expected, description) in cases {
            assert_eq!(write_local(instant, zone), expected, "{description}");
        }
    }
}
