//! Amounts (SPEC §1.8): read from their exact text, rounded half-even to 4 fractional
//! digits, and refused when negative. Never a float.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// The fractional digits we keep.
const SCALE: u32 = 4;

/// Why a platform amount is not usable; the text is the amount as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AmountProblem {
    /// Not a decimal number.
    NotANumber(String),
    /// Below zero.
    Negative(String),
}

impl AmountProblem {
    /// One sentence naming the field: `payout "-1.5" is negative`.
    pub(crate) fn describe(&self, field: &str) -> String {
        match self {
            Self::NotANumber(text) => format!("{field} {text:?} is not a number"),
            Self::Negative(text) => format!("{field} {text:?} is negative"),
        }
    }
}

/// An amount from its text (`"80.00000"`, `25.5`, `1e2`), rounded half-even to 4
/// fractional digits, without trailing zeros.
pub(crate) fn parse_amount(text: &str) -> Result<Decimal, AmountProblem> {
    let value = Decimal::from_str(text)
        .or_else(|_| Decimal::from_scientific(text))
        .map_err(|_| AmountProblem::NotANumber(text.to_owned()))?;
    if value < Decimal::ZERO {
        return Err(AmountProblem::Negative(text.to_owned()));
    }
    Ok(value
        .round_dp_with_strategy(SCALE, RoundingStrategy::MidpointNearestEven)
        .normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_and_rounded_half_even_to_four_digits() {
        let cases = [
            (
                "2.00000",
                "2",
                "TUNE's five decimals, trailing zeros dropped",
            ),
            ("80.00000", "80", "a whole amount"),
            ("25.5", "25.5", "Everflow's number text"),
            ("0", "0", "zero"),
            ("-0.00", "0", "negative zero is zero"),
            ("1.23456", "1.2346", "rounded up past the midpoint"),
            ("1.23454", "1.2345", "rounded down below the midpoint"),
            ("0.00005", "0", "midpoint rounds to the even 0.0000"),
            ("0.00015", "0.0002", "midpoint rounds to the even 0.0002"),
            (
                "0.00025",
                "0.0002",
                "midpoint rounds down to the even 0.0002",
            ),
            ("2.50005", "2.5", "midpoint on a larger amount"),
            ("1e2", "100", "scientific notation"),
            ("1000000000.00001", "1000000000", "large amounts stay exact"),
        ];
        for (text, expected, description) in cases {
            let amount = parse_amount(text)
                .unwrap_or_else(|problem| panic!("{description}: {}", problem.describe("amount")));
            assert_eq!(amount.to_string(), expected, "{description}");
        }
    }

    #[test]
    fn unusable_amounts_are_reported() {
        let cases = [
            ("-1", AmountProblem::Negative("-1".to_owned()), "negative"),
            (
                "-0.0001",
                AmountProblem::Negative("-0.0001".to_owned()),
                "slightly negative",
            ),
            (
                "abc",
                AmountProblem::NotANumber("abc".to_owned()),
                "letters",
            ),
            (
                "true",
                AmountProblem::NotANumber("true".to_owned()),
                "a boolean",
            ),
            (
                "1,5",
                AmountProblem::NotANumber("1,5".to_owned()),
                "a decimal comma",
            ),
        ];
        for (text, expected, description) in cases {
            assert_eq!(parse_amount(text), Err(expected), "{description}");
        }
        assert_eq!(
            AmountProblem::Negative("-1.5".to_owned()).describe("payout"),
            r#"payout "-1.5" is negative"#
        );
    }
}
