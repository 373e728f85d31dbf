//! Resource ids (SPEC §1.5): 12 bytes, 4 of big-endian Unix seconds then 8 random,
//! written as 24 lowercase hex characters so that they sort roughly by creation time.

use std::fmt;

/// A resource id such as `664f1a2b3c4d5e6f7a8b9c0d`. Always well-formed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId(String);

impl ObjectId {
    /// Builds an id from its creation second and 8 random bytes (the caller owns the
    /// clock and the random source).
    pub fn new(unix_seconds: u32, random: [u8; 8]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = String::with_capacity(24);
        for byte in unix_seconds.to_be_bytes().into_iter().chain(random) {
            text.push(char::from(HEX[usize::from(byte >> 4)]));
            text.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        Self(text)
    }

    /// Reads an id; `None` unless it is exactly 24 lowercase hex characters.
    pub fn parse(text: &str) -> Option<Self> {
        let well_formed = text.len() == 24
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        well_formed.then(|| Self(text.to_owned()))
    }

    /// The Unix second the id was made in (its first 4 bytes).
    pub fn unix_seconds(&self) -> u32 {
        // The constructor guarantees 8 leading hex digits, so this parse cannot fail.
        u32::from_str_radix(&self.0[..8], 16).unwrap_or_default()
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_id_is_seconds_then_random_bytes_in_hex() {
        let id = ObjectId::new(0x664f1a2b, [0x3c, 0x4d, 0x5e, 0x6f, 0x7a, 0x8b, 0x9c, 0x0d]);
        assert_eq!(id.as_str(), "664f1a2b3c4d5e6f7a8b9c0d");
        assert_eq!(id.unix_seconds(), 0x664f1a2b);
    }

    #[test]
    fn parse_accepts_only_24_lowercase_hex_characters() {
        let cases = [
            ("664f1a2b3c4d5e6f7a8b9c0d", true, "well-formed"),
            ("664F1A2B3C4D5E6F7A8B9C0D", false, "upper case"),
            ("664f1a2b3c4d5e6f7a8b9c0", false, "23 characters"),
            ("664f1a2b3c4d5e6f7a8b9c0d0", false, "25 characters"),
            ("664f1a2b3c4d5e6f7a8b9c0g", false, "non-hex character"),
            ("", false, "empty"),
        ];
        for (text, ok, description) in cases {
            assert_eq!(
                ObjectId::parse(text).is_some(),
                ok,
                "{description}: {text:?}"
            );
        }
    }
}
