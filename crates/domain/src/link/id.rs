//! The link id (SPEC §9.1): 7 characters of `[A-Za-z0-9]`, random, unique across the
//! service and never reused. It is the short link's path (`/Ab3kX9q`), beside the
//! 6-character offer codes.

use std::fmt;

/// The alphabet link ids are drawn from, for callers that generate them.
pub const LINK_ID_ALPHABET: [char; 62] = crate::text::ALPHANUMERIC;

/// The length of every link id.
pub const LINK_ID_LENGTH: usize = 7;

/// Seven-character paths the service itself answers (or keeps for itself), which no link
/// may use as its id: `/healthz`, `/metrics`, and `/api/v2/links/shorten` beside
/// `/api/v2/links/{linkId}`.
pub const RESERVED_LINK_IDS: &[&str] = &["healthz", "metrics", "shorten"];

/// A well-formed link id such as `Ab3kX9q`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkId(String);

impl LinkId {
    /// Reads a link id; `None` unless it is exactly 7 characters of `[A-Za-z0-9]`.
    pub fn parse(text: &str) -> Option<Self> {
        let well_formed =
            text.len() == LINK_ID_LENGTH && text.bytes().all(|b| b.is_ascii_alphanumeric());
        well_formed.then(|| Self(text.to_owned()))
    }

    /// True for ids that collide with the service's own paths.
    pub fn is_reserved(&self) -> bool {
        RESERVED_LINK_IDS.contains(&self.0.as_str())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LinkId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_seven_ascii_letters_or_digits_only() {
        let cases = [
            ("Ab3kX9q", true, "mixed case and digits"),
            ("aaaaaaa", true, "lower case only"),
            ("ZZZZZZZ", true, "upper case only"),
            ("Ab3kX9", false, "six characters (an offer code's length)"),
            ("Ab3kX9qq", false, "eight characters"),
            ("Ab3kX9-", false, "a dash"),
            ("Ab3kX9é", false, "a non-ASCII letter"),
            ("", false, "empty"),
        ];
        for (text, valid, description) in cases {
            assert_eq!(LinkId::parse(text).is_some(), valid, "{description}");
        }
    }

    #[test]
    fn the_alphabet_is_exactly_what_parse_accepts() {
        for letter in LINK_ID_ALPHABET {
            let id = letter.to_string().repeat(LINK_ID_LENGTH);
            assert!(LinkId::parse(&id).is_some(), "{letter}");
        }
        assert_eq!(LINK_ID_ALPHABET.len(), 62);
    }

    #[test]
    fn service_paths_are_reserved() {
        for reserved in RESERVED_LINK_IDS {
            assert!(LinkId::parse(reserved).expect("well formed").is_reserved());
        }
        assert!(!LinkId::parse("Ab3kX9q").expect("valid").is_reserved());
    }
}
