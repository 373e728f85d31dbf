//! Money (SPEC §1.8): a finite decimal from 0 to 1,000,000,000 with at most 4 fractional
//! digits. Never a float inside; JSON numbers are read through their shortest decimal
//! text, which is exact for every amount the rules allow.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::input::AmountText;

/// The largest amount allowed, in whole units (SPEC §1.8).
pub const MAX_AMOUNT_UNITS: u32 = 1_000_000_000;
/// The most fractional digits allowed (trailing zeros do not count).
pub const MAX_FRACTION_DIGITS: u32 = 4;
/// The largest amount allowed.
const MAX_AMOUNT: Decimal = Decimal::from_parts(MAX_AMOUNT_UNITS, 0, 0, false, 0);
/// The most fractional digits allowed.
const MAX_SCALE: u32 = MAX_FRACTION_DIGITS;

/// An amount of money that satisfies SPEC §1.8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Amount(#[serde(with = "rust_decimal::serde::float")] Decimal);

impl Amount {
    /// Zero, the default payout.
    pub const ZERO: Self = Self(Decimal::ZERO);

    /// Checks a decimal against the rules; trailing zeros do not count as digits.
    pub fn new(value: Decimal) -> Option<Self> {
        let value = value.normalize();
        if value.is_zero() {
            return Some(Self::ZERO);
        }
        let valid = value.is_sign_positive() && value <= MAX_AMOUNT && value.scale() <= MAX_SCALE;
        valid.then_some(Self(value))
    }

    /// Reads an amount as sent: a JSON number (its decimal text, exponents allowed), or a
    /// string of plain decimal notation (`"2.50"`: no sign, exponent or spaces). `None`
    /// when it breaks a rule.
    ///
    /// ```
    /// use trackly_domain::input::AmountText;
    /// use trackly_domain::Amount;
    /// let payout = Amount::from_text(&AmountText::Text("2.50".into())).unwrap();
    /// assert_eq!(payout.value().to_string(), "2.5");
    /// assert!(Amount::from_text(&AmountText::Number("-1".into())).is_none());
    /// ```
    pub fn from_text(amount: &AmountText) -> Option<Self> {
        match amount {
            AmountText::Number(text) => Decimal::from_str(text)
                .or_else(|_| Decimal::from_scientific(text))
                .ok()
                .and_then(Self::new),
            AmountText::Text(text) if is_plain_decimal(text) => {
                Decimal::from_str(text).ok().and_then(Self::new)
            }
            AmountText::Text(_) => None,
        }
    }

    /// The amount as a decimal.
    pub fn value(self) -> Decimal {
        self.0
    }
}

/// `digits[.digits]`, nothing else: no sign, exponent or spaces.
fn is_plain_decimal(text: &str) -> bool {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && fraction.is_none_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Sent;
    use serde_json::json;

    /// An amount read from JSON the way requests read it.
    fn from_json(value: &serde_json::Value) -> Option<Amount> {
        serde_json::from_value::<Sent<AmountText>>(value.clone())
            .ok()?
            .value()
            .and_then(Amount::from_text)
    }

    #[test]
    fn amounts_within_the_rules_are_accepted() {
        let cases = [
            (json!(0), "0", "zero"),
            (json!(2.5), "2.5", "a number"),
            (
                json!("2.50"),
                "2.5",
                "a numeric string; trailing zeros are not digits",
            ),
            (json!(24.99), "24.99", "a float that is not exact in binary"),
            (json!(0.0001), "0.0001", "four fractional digits"),
            (json!(1_000_000_000), "1000000000", "the maximum"),
            (
                json!(999_999_999.999_9),
                "999999999.9999",
                "the largest with fractions",
            ),
            (
                json!("0.10000"),
                "0.1",
                "string with trailing zeros past four digits",
            ),
            (json!(-0.0), "0", "negative zero is zero"),
        ];
        for (input, expected, description) in cases {
            let amount = from_json(&input).unwrap_or_else(|| panic!("{description}: refused"));
            assert_eq!(amount.value().to_string(), expected, "{description}");
        }
    }

    #[test]
    fn everything_else_is_refused() {
        let cases = [
            (json!(-1), "negative"),
            (json!(-0.01), "negative fraction"),
            (json!(1_000_000_000.000_1), "over the maximum"),
            (json!(0.00001), "five fractional digits"),
            (json!("1e3"), "exponent in a string"),
            (json!(" 2.5"), "space in a string"),
            (json!("-2"), "sign in a string"),
            (json!(".5"), "no whole part"),
            (json!("5."), "no fraction after the point"),
            (json!(""), "empty string"),
            (json!("abc"), "not a number"),
            (json!(true), "boolean"),
            (json!(null), "null"),
            (json!([1]), "array"),
            (json!(1e300), "huge"),
        ];
        for (input, description) in cases {
            assert_eq!(from_json(&input), None, "{description}: {input}");
        }
    }

    #[test]
    fn serializes_as_a_json_number() {
        let amount = from_json(&json!("2.50")).expect("valid");
        assert_eq!(serde_json::to_string(&amount).expect("serializes"), "2.5");
    }
}
