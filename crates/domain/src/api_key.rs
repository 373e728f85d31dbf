//! API keys (SPEC §1.2): `trk_` followed by 32 characters of `[A-Za-z0-9]`.

/// The prefix every key starts with.
pub const API_KEY_PREFIX: &str = "trk_";
/// The number of random characters after the prefix.
pub const API_KEY_SECRET_LEN: usize = 32;

/// True when `text` has the shape of an API key. Only well-formed keys are looked up.
pub fn is_well_formed_api_key(text: &str) -> bool {
    text.strip_prefix(API_KEY_PREFIX).is_some_and(|secret| {
        secret.len() == API_KEY_SECRET_LEN && secret.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// The part of a key that may be shown later (`trk_` and its first 4 characters).
pub fn display_prefix(key: &str) -> String {
    key.chars().take(API_KEY_PREFIX.len() + 4).collect()
}

/// True when `text` is a usable `Idempotency-Key` (SPEC §1.7): 1–255 visible ASCII
/// characters.
pub fn is_valid_idempotency_key(text: &str) -> bool {
    (1..=255).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_graphic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_key_shape() {
        let cases = [
            ("trk_abcdefghijklmnopqrstuvwxyzABCDEF", true, "32 letters"),
            ("trk_0123456789012345678901234567890a", true, "digits"),
            (
                "trk_abcdefghijklmnopqrstuvwxyzABCDE",
                false,
                "31 characters",
            ),
            (
                "trk_abcdefghijklmnopqrstuvwxyzABCDEFG",
                false,
                "33 characters",
            ),
            (
                "TRK_abcdefghijklmnopqrstuvwxyzABCDEF",
                false,
                "prefix in upper case",
            ),
            ("trk_abcdefghijklmnopqrstuvwxyzABCD-F", false, "punctuation"),
            ("", false, "empty"),
        ];
        for (key, ok, description) in cases {
            assert_eq!(is_well_formed_api_key(key), ok, "{description}");
        }
        assert_eq!(
            display_prefix("trk_abcdefghijklmnopqrstuvwxyzABCDEF"),
            "trk_abcd"
        );
    }

    #[test]
    fn idempotency_key_shape() {
        assert!(is_valid_idempotency_key("order-42"));
        assert!(is_valid_idempotency_key(&"k".repeat(255)));
        assert!(!is_valid_idempotency_key(&"k".repeat(256)));
        assert!(!is_valid_idempotency_key(""));
        assert!(!is_valid_idempotency_key("has space"));
        assert!(!is_valid_idempotency_key("café"));
    }
}
