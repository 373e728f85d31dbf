//! The click table's monthly partitions (SPEC §14): created ahead of time, and dropped
//! whole once every click in them is older than the retention. The daily rollups are
//! separate tables, so stats of dropped days stay as they were.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamptz};

use crate::error::StoreError;

/// How many months of click partitions exist ahead of the current one.
const MONTHS_AHEAD: i32 = 3;

/// Creates the click partitions from last month (or, when `keep_from` is later, from its
/// month) to `MONTHS_AHEAD` months after `now`'s; returns how many were new.
pub fn ensure_click_partitions(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
    keep_from: Option<DateTime<Utc>>,
) -> Result<i32, StoreError> {
    #[derive(QueryableByName)]
    struct Created {
        #[diesel(sql_type = Integer)]
        created: i32,
    }
    let start = (now - Duration::days(31)).max(keep_from.unwrap_or(DateTime::<Utc>::MIN_UTC));
    let months = MONTHS_AHEAD + 1 + months_between(start, now);
    let result: Created =
        diesel::sql_query("SELECT trackly_ensure_click_partitions($1, $2) AS created")
            .bind::<Timestamptz, _>(start)
            .bind::<Integer, _>(months)
            .get_result(conn)?;
    Ok(result.created)
}

/// Drops every monthly click partition whose whole month ended at or before
/// `keep_from`; returns their names, oldest first.
pub fn drop_click_partitions_before(
    conn: &mut PgConnection,
    keep_from: DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    #[derive(QueryableByName)]
    struct Partition {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let partitions: Vec<Partition> = diesel::sql_query(
        "SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
         WHERE i.inhparent = 'clicks'::regclass ORDER BY c.relname",
    )
    .load(conn)?;
    let mut dropped = Vec::new();
    for partition in partitions {
        let Some(month) = month_of(&partition.name) else {
            continue; // clicks_default, or a table someone else attached
        };
        if month_end(month) <= keep_from {
            // The name was read back as clicks_YYYY_MM: digits only, safe to quote.
            diesel::sql_query(format!("DROP TABLE \"{}\"", partition.name)).execute(conn)?;
            dropped.push(partition.name);
        }
    }
    Ok(dropped)
}

/// The first day of the month a partition named `clicks_YYYY_MM` holds.
fn month_of(name: &str) -> Option<NaiveDate> {
    let rest = name.strip_prefix("clicks_")?;
    let (year, month) = rest.split_once('_')?;
    if year.len() != 4
        || month.len() != 2
        || !(year.bytes().chain(month.bytes())).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, 1)
}

/// The first instant after the month starting on `first_day`.
fn month_end(first_day: NaiveDate) -> DateTime<Utc> {
    let (year, month) = if first_day.month() == 12 {
        (first_day.year() + 1, 1)
    } else {
        (first_day.year(), first_day.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1)
        .unwrap_or(NaiveDate::MAX)
        .and_hms_opt(0, 0, 0)
        .map_or(DateTime::<Utc>::MAX_UTC, |start| start.and_utc())
}

/// Whole months from `start`'s month to `end`'s (0 for the same month).
fn months_between(start: DateTime<Utc>, end: DateTime<Utc>) -> i32 {
    let months = |at: DateTime<Utc>| at.year() * 12 + i32::try_from(at.month0()).unwrap_or(0);
    (months(end) - months(start)).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_names_read_as_their_months() {
        let cases = [
            ("clicks_2026_11", Some((2026, 11)), "a month"),
            ("clicks_2026_12", Some((2026, 12)), "December"),
            ("clicks_default", None, "the default partition"),
            ("clicks_2026_13", None, "no such month"),
            ("clicks_26_11", None, "a short year"),
            ("other_2026_11", None, "another table"),
        ];
        for (name, month, description) in cases {
            let want = month.and_then(|(year, month)| NaiveDate::from_ymd_opt(year, month, 1));
            assert_eq!(month_of(name), want, "{description}");
        }
        let december = NaiveDate::from_ymd_opt(2026, 12, 1).expect("a day");
        assert_eq!(
            month_end(december).to_rfc3339(),
            "2027-01-01T00:00:00+00:00"
        );
    }
}
