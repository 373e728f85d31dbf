//! Text that PostgreSQL can store: any Unicode except NUL, which neither `text` nor
//! `jsonb` accepts. Request fields with a NUL are refused with their SPEC code; click
//! fields, which are cleaned rather than refused (SPEC §8.3), lose their NULs.

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
