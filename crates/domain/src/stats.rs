//! Stats (SPEC §7): the date range and the ratios.

use chrono::{Duration, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::InputError;
use crate::query::parse_date;

/// The longest range, in days.
pub const MAX_RANGE_DAYS: i64 = 366;
/// The default range: the last 7 days, today included.
const DEFAULT_DAYS: i64 = 7;
/// Fractional digits of `epc` and `conversion_rate`.
const RATIO_DIGITS: u32 = 4;

/// An inclusive range of UTC days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

impl DateRange {
    /// Reads `from` and `to` (`YYYY-MM-DD`). Without both: the last 7 days including
    /// `today`; with only `to`, the 7 days ending then; with only `from`, up to `today`.
    /// `from` after `to`, a bad date or more than 366 days is `invalid_date_range`.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> Result<Self, InputError> {
        let to_day = to.map(parse_date).transpose()?;
        let from_day = from.map(parse_date).transpose()?;
        let to = to_day.unwrap_or(today);
        let from = from_day.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
        if from > to {
            return Err(InputError::InvalidDateRange("from must not be after to"));
        }
        if (to - from).num_days() + 1 > MAX_RANGE_DAYS {
            return Err(InputError::InvalidDateRange(
                "the range may span at most 366 days",
            ));
        }
        Ok(Self { from, to })
    }

    /// Every day of the range, in order.
    pub fn days(self) -> impl Iterator<Item = NaiveDate> {
        self.from.iter_days().take_while(move |day| *day <= self.to)
    }
}

/// The SPEC §7 counts for one day or one range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Clicks that count (bots left out when the offer filters them).
    pub clicks: i64,
    /// Distinct (ip, user agent) among counted clicks, summed over days.
    pub unique_clicks: i64,
    /// Bot clicks, always.
    pub bot_clicks: i64,
    /// First clicks of people on messages (SPEC §9.4, §9.5); never bots.
    pub first_clicks: i64,
    /// Events that are not refunds or chargebacks.
    pub conversions: i64,
    /// Event revenue minus refunds and chargebacks, plus payout per counted click for cpc.
    pub revenue: Decimal,
}

impl Counts {
    /// The sum of `days`: the totals of a range.
    pub fn total<'a>(days: impl IntoIterator<Item = &'a Counts>) -> Self {
        days.into_iter().fold(Self::default(), |mut sum, day| {
            sum.clicks += day.clicks;
            sum.unique_clicks += day.unique_clicks;
            sum.bot_clicks += day.bot_clicks;
            sum.first_clicks += day.first_clicks;
            sum.conversions += day.conversions;
            sum.revenue += day.revenue;
            sum
        })
    }
}

/// One day of an offer's stats.
#[derive(Debug, Clone, PartialEq)]
pub struct DayCounts {
    /// The UTC day.
    pub day: NaiveDate,
    /// Its counts.
    pub counts: Counts,
}

/// An offer's stats over a range: every day, and their sum.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferStats {
    /// The offer.
    pub offer_id: crate::ObjectId,
    /// The range.
    pub range: DateRange,
    /// The sum of the days.
    pub totals: Counts,
    /// Every day of the range, in order, zeros included.
    pub daily: Vec<DayCounts>,
}

/// The whole account's stats over a range (the dashboard's overview, SPEC §11): every
/// day, and their sum.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountStats {
    /// The range.
    pub range: DateRange,
    /// The sum of the days.
    pub totals: Counts,
    /// Every day of the range, in order, zeros included.
    pub daily: Vec<DayCounts>,
}

impl AccountStats {
    /// The stats of `daily` (every day of `range`), their totals summed.
    pub fn from_days(range: DateRange, daily: Vec<DayCounts>) -> Self {
        Self {
            range,
            totals: Counts::total(daily.iter().map(|day| &day.counts)),
            daily,
        }
    }
}

impl OfferStats {
    /// The stats of `offer_id` from `daily` (every day of `range`), their totals summed.
    pub fn from_days(offer_id: crate::ObjectId, range: DateRange, daily: Vec<DayCounts>) -> Self {
        Self {
            offer_id,
            range,
            totals: Counts::total(daily.iter().map(|day| &day.counts)),
            daily,
        }
    }
}

/// An offer's totals in the account overview (SPEC §7.2).
#[derive(Debug, Clone, PartialEq)]
pub struct OfferTotals {
    /// The offer.
    pub offer_id: crate::ObjectId,
    /// Its name.
    pub name: String,
    /// Its status.
    pub status: crate::offer::OfferStatus,
    /// Its counts over the range.
    pub counts: Counts,
}

/// `numerator ÷ clicks` with 4 fractional digits (half away from zero); 0 without clicks.
pub fn per_click(numerator: Decimal, clicks: u64) -> Decimal {
    if clicks == 0 {
        return Decimal::ZERO;
    }
    (numerator / Decimal::from(clicks))
        .round_dp_with_strategy(RATIO_DIGITS, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        parse_date(text).expect("valid")
    }

    #[test]
    fn date_range_rules() {
        let today = day("2026-03-10");
        let ok = [
            (
                None,
                None,
                ("2026-03-04", "2026-03-10"),
                "default: 7 days with today",
            ),
            (
                Some("2026-01-01"),
                Some("2026-01-07"),
                ("2026-01-01", "2026-01-07"),
                "explicit",
            ),
            (
                Some("2026-03-10"),
                Some("2026-03-10"),
                ("2026-03-10", "2026-03-10"),
                "one day",
            ),
            (
                None,
                Some("2026-02-07"),
                ("2026-02-01", "2026-02-07"),
                "only to",
            ),
            (
                Some("2026-03-01"),
                None,
                ("2026-03-01", "2026-03-10"),
                "only from",
            ),
            (
                Some("2025-01-01"),
                Some("2026-01-01"),
                ("2025-01-01", "2026-01-01"),
                "366 days",
            ),
        ];
        for (from, to, (want_from, want_to), description) in ok {
            let range = DateRange::parse(from, to, today).expect(description);
            assert_eq!(
                (range.from, range.to),
                (day(want_from), day(want_to)),
                "{description}"
            );
        }
        let refused = [
            (Some("2026-01-08"), Some("2026-01-07"), "from after to"),
            (Some("2025-01-01"), Some("2026-01-02"), "367 days"),
            (Some("2026-02-30"), None, "not a day"),
            (None, Some("01/02/2026"), "wrong format"),
            (Some("2026-03-11"), None, "only from, after today"),
        ];
        for (from, to, description) in refused {
            let error = DateRange::parse(from, to, today).expect_err(description);
            assert_eq!(error.code(), "invalid_date_range", "{description}");
        }
        assert_eq!(
            DateRange::parse(Some("2026-01-30"), Some("2026-02-02"), today)
                .expect("valid")
                .days()
                .count(),
            4
        );
    }

    #[test]
    fn ratios_have_four_digits_and_zero_without_clicks() {
        assert_eq!(per_click(Decimal::new(10, 0), 3).to_string(), "3.3333");
        assert_eq!(per_click(Decimal::new(2, 0), 3).to_string(), "0.6667");
        assert_eq!(per_click(Decimal::new(5, 0), 0), Decimal::ZERO);
        assert_eq!(per_click(Decimal::new(-15, 1), 2).to_string(), "-0.75");
        assert_eq!(per_click(Decimal::new(1, 0), 4).to_string(), "0.25");
    }
}
