//! The offer code (SPEC §2): 6 characters of `[a-z0-9]`, random, unique across all
//! offers, fixed for the offer's life. It is the tracking link's path (`/a1b2c3`).

use std::fmt;

/// The alphabet codes are drawn from, for callers that generate them.
pub const CODE_ALPHABET: [char; 36] = [
    'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's',
    't', 'u', 'v', 'w', 'x', 'y', 'z', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
];

/// The length of every code.
pub const CODE_LENGTH: usize = 6;

/// Six-character paths the service itself answers, which no offer may use as its code.
pub const RESERVED_CODES: &[&str] = &["readyz"];

/// A well-formed offer code such as `a1b2c3`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OfferCode(String);

impl OfferCode {
    /// Reads a code; `None` unless it is exactly 6 characters of `[a-z0-9]`.
    pub fn parse(text: &str) -> Option<Self> {
        let well_formed = text.len() == CODE_LENGTH
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        well_formed.then(|| Self(text.to_owned()))
    }

    /// True for codes that collide with the service's own paths.
    pub fn is_reserved(&self) -> bool {
        RESERVED_CODES.contains(&self.0.as_str())
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OfferCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_six_lowercase_letters_or_digits_only() {
        let cases = [
            ("a1b2c3", true, "letters and digits"),
            ("zzzzzz", true, "letters only"),
            ("A1b2c3", false, "upper case"),
            ("a1b2c", false, "five characters"),
            ("a1b2c3d", false, "seven characters"),
            ("a1-2c3", false, "punctuation"),
            ("a1b2cé", false, "non-ASCII"),
        ];
        for (text, ok, description) in cases {
            assert_eq!(
                OfferCode::parse(text).is_some(),
                ok,
                "{description}: {text:?}"
            );
        }
    }

    #[test]
    fn alphabet_matches_the_parse_rule() {
        let code: String = CODE_ALPHABET[..CODE_LENGTH].iter().collect();
        assert!(OfferCode::parse(&code).is_some());
        assert!(CODE_ALPHABET
            .iter()
            .all(|c| OfferCode::parse(&c.to_string().repeat(6)).is_some()));
    }
}
