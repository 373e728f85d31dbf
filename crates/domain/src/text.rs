//! Text that PostgreSQL can store: any Unicode except NUL, which neither `text` nor
//! `jsonb` accepts. Request fields with a NUL are refused with their SPEC code; click
//! fields, which are cleaned rather than refused (SPEC §8.3), lose their NULs.

/// ASCII letters and digits: the alphabet of link ids, API keys and secrets.
pub const ALPHANUMERIC: [char; 62] = [
    'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S',
    'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l',
    'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '0', '1', '2', '3', '4',
    '5', '6', '7', '8', '9',
];

/// True when `text` has no NUL character.
pub fn is_storable(text: &str) -> bool {
    !text.contains('\0')
}

/// `text` without NUL characters, cut to at most `max` characters.
pub fn clean_and_cut(text: &str, max: usize) -> String {
    text.chars().filter(|c| *c != '\0').take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_the_one_unstorable_character() {
        assert!(is_storable("héllo\n\t🎉"));
        assert!(!is_storable("a\0b"));
        assert_eq!(clean_and_cut("a\0b\0c", 2), "ab");
        assert_eq!(clean_and_cut("héllo", 2), "hé");
    }
}
