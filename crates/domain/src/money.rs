//! Money (SPEC §1.8): a finite decimal from 0 to 1,000,000,000 with at most 4 fractional
//! digits. Never a float inside; JSON numbers are read through their shortest decimal
//! text, which is exact for every amount the rules allow.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value;

/// The largest amount allowed.
const MAX_AMOUNT: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
/// The most fractional digits allowed.
const MAX_SCALE: u32 = 4;

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

    /// Reads an amount from JSON: a number, or a string of plain decimal notation
    /// (`"2.50"`). Anything else is `None`.
    pub fn from_json(value: &Value) -> Option<Self> {
        match value {
            Value::Number(number) => {
                let text = number.to_string();
                Decimal::from_str(&text)
                    .or_else(|_| Decimal::from_scientific(&text))
                    .ok()
                    .and_then(Self::new)
            }
            Value::String(text) if is_plain_decimal(text) => {
                Decimal::from_str(text).ok().and_then(Self::new)
            }
            _ => None,
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
    use serde_json::json;

    #[test]
    fn from_json_accepts_amounts_within_the_rules() {
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
            let amount =
                Amount::from_json(&input).unwrap_or_else(|| panic!("{description}: refused"));
            assert_eq!(amount.value().to_string(), expected, "{description}");
        }
    }

    #[test]
    fn from_json_refuses_everything_else() {
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
            assert_eq!(Amount::from_json(&input), None, "{description}: {input}");
        }
    }

    #[test]
    fn serializes_as_a_json_number() {
        let amount = Amount::from_json(&json!("2.50")).expect("valid");
        assert_eq!(serde_json::to_string(&amount).expect("serializes"), "2.5");
    }
}
