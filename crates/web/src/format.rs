//! Numbers and times as people read them: thousands separated, money to the cent,
//! ratios as percentages, times in UTC.

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

/// `1234567` → `1,234,567`.
pub(crate) fn count(value: i64) -> String {
    let sign = if value < 0 { "-" } else { "" };
    format!("{sign}{}", grouped(&value.unsigned_abs().to_string()))
}

/// An amount to two decimals, thousands separated: `1234.5` → `1,234.50`.
pub(crate) fn money(value: Decimal) -> String {
    let rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let size = rounded.abs();
    let whole = size.trunc();
    let cents = ((size - whole) * Decimal::ONE_HUNDRED).trunc();
    let sign = if rounded.is_zero() || rounded.is_sign_positive() {
        ""
    } else {
        "-"
    };
    format!("{sign}{}.{cents:0>2}", grouped(&whole.to_string()))
}

/// Digits with a comma before every group of three from the right.
fn grouped(digits: &str) -> String {
    let mut text = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            text.push(',');
        }
        text.push(digit);
    }
    text
}

/// Earnings per click, to four decimals as the API gives them.
pub(crate) fn per_click(value: Decimal) -> String {
    value
        .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
        .to_string()
}

/// `part ÷ whole` as a percentage to one decimal; `–` without a whole.
pub(crate) fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "–".to_owned();
    }
    let ratio = Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole);
    format!(
        "{}%",
        ratio.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
    )
}

/// `2026-11-25 14:03 UTC`.
pub(crate) fn time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_people_write_them() {
        let cases = [
            (count(0), "0", "zero"),
            (count(999), "999", "three digits"),
            (count(1_000), "1,000", "four digits"),
            (count(1_234_567), "1,234,567", "seven digits"),
            (count(-12_345), "-12,345", "negative"),
            (
                money(Decimal::new(12345, 1)),
                "1,234.50",
                "money with one decimal",
            ),
            (money(Decimal::new(-5, 2)), "-0.05", "small refund"),
            (
                money(Decimal::new(-150_000, 2)),
                "-1,500.00",
                "large refund",
            ),
            (
                money(Decimal::new(1005, 3)),
                "1.01",
                "rounded half away from zero",
            ),
            (percent(1, 3), "33.3%", "a third"),
            (percent(0, 0), "–", "no clicks"),
        ];
        for (got, want, description) in cases {
            assert_eq!(got, want, "{description}");
        }
    }
}
