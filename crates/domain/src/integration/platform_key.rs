//! A platform API key as the marketer gave it: never shown, never logged.

use std::fmt;

/// The longest platform key accepted, in characters.
pub const PLATFORM_KEY_MAX_CHARS: usize = 255;

/// A TUNE NetworkToken / affiliate `api_key` or an Everflow network key. Its `Debug`
/// hides it; answers show only [`PlatformKey::last4`].
#[derive(Clone, PartialEq, Eq)]
pub struct PlatformKey(String);

impl PlatformKey {
    /// A key: trimmed, 1–255 characters, no control characters.
    pub fn parse(text: &str) -> Option<Self> {
        let trimmed = text.trim();
        let fits = (1..=PLATFORM_KEY_MAX_CHARS).contains(&trimmed.chars().count());
        (fits && !trimmed.chars().any(char::is_control)).then(|| Self(trimmed.to_owned()))
    }

    /// The key itself, for the two places that need it: sealing it and calling the platform.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What answers show of it: `"…"` and its last four characters (fewer for a shorter key).
    pub fn last4(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        let tail: String = chars[chars.len().saturating_sub(4)..].iter().collect();
        format!("…{tail}")
    }
}

impl fmt::Debug for PlatformKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlatformKey(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_show_only_their_last_four_characters() {
        let key = PlatformKey::parse(" secret-key-9876 ").expect("a key");
        assert_eq!(key.last4(), "…9876");
        assert_eq!(format!("{key:?}"), "PlatformKey(<hidden>)");
        assert_eq!(PlatformKey::parse("abc").expect("a key").last4(), "…abc");
    }

    #[test]
    fn keys_that_cannot_be_sent_are_refused() {
        let refused = [
            ("", "empty"),
            ("   ", "blank"),
            ("a\nb", "a control character"),
        ];
        for (text, description) in refused {
            assert!(PlatformKey::parse(text).is_none(), "{description}");
        }
        assert!(PlatformKey::parse(&"k".repeat(256)).is_none(), "over 255");
        assert!(PlatformKey::parse(&"k".repeat(255)).is_some(), "255 fits");
    }
}
