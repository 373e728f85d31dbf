//! Phone numbers (SPEC §9.1): E.164, a `+` followed by 8 to 15 digits. They identify the
//! contact a message went to; they are stored and answered to the account, and never
//! written to logs (`Debug` hides them).

use std::borrow::Cow;
use std::fmt;

/// The fewest digits after the `+`.
pub const PHONE_MIN_DIGITS: usize = 8;
/// The most digits after the `+` (E.164's limit).
pub const PHONE_MAX_DIGITS: usize = 15;

/// A phone number in E.164 form, such as `+14155550123`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Reads a number; `None` unless it is `+` and 8–15 ASCII digits, nothing else.
    pub fn parse(text: &str) -> Option<Self> {
        let digits = text.strip_prefix('+')?;
        let well_formed = (PHONE_MIN_DIGITS..=PHONE_MAX_DIGITS).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit());
        well_formed.then(|| Self(text.to_owned()))
    }

    /// The number as text, for storing and answering (never for logging).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Redacted: a phone number must not reach a log through `{:?}`.
impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhoneNumber(<redacted>)")
    }
}

/// What a phone number becomes in a log line.
pub const REDACTED_PHONE: &str = "+[phone]";

/// `text` with everything shaped like an E.164 phone number (`+` and 8–15 digits, also
/// with the `+` percent-encoded as `%2B`) replaced by `+[phone]`, for log lines: whatever
/// a log line quotes (a query string, a body, a database error), no number gets through.
pub fn redact_phone_numbers(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut redacted = String::new();
    let mut copied = 0;
    let mut index = 0;
    while index < bytes.len() {
        let plus = match bytes[index] {
            b'+' => 1,
            b'%' if bytes.get(index + 1) == Some(&b'2')
                && matches!(bytes.get(index + 2), Some(b'B' | b'b')) =>
            {
                3
            }
            _ => {
                index += 1;
                continue;
            }
        };
        let digits = bytes[index + plus..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if (PHONE_MIN_DIGITS..=PHONE_MAX_DIGITS).contains(&digits) {
            redacted.push_str(&text[copied..index]);
            redacted.push_str(REDACTED_PHONE);
            copied = index + plus + digits;
        }
        index += plus + digits;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    redacted.push_str(&text[copied..]);
    Cow::Owned(redacted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_redacted_from_log_text() {
        let cases = [
            ("no numbers here", "no numbers here", "nothing to redact"),
            ("to +14155550123 now", "to +[phone] now", "a number"),
            (
                "phone=%2B14155550123&x=1",
                "phone=+[phone]&x=1",
                "percent-encoded",
            ),
            ("p=%2b447911123456", "p=+[phone]", "lower-case encoding"),
            (
                "+1 and +1234567",
                "+1 and +1234567",
                "too short to be a number",
            ),
            (
                "+1234567890123456",
                "+1234567890123456",
                "16 digits: no E.164 number",
            ),
            (
                "a+14155550123b+447911123456",
                "a+[phone]b+[phone]",
                "two, touching text",
            ),
            (
                "ünï +14155550123 ✓",
                "ünï +[phone] ✓",
                "among non-ASCII text",
            ),
        ];
        for (text, expected, description) in cases {
            assert_eq!(redact_phone_numbers(text), expected, "{description}");
        }
    }

    #[test]
    fn parse_accepts_e164_only() {
        let cases = [
            ("+14155550123", true, "a US number"),
            ("+447911123456", true, "a UK number"),
            ("+12345678", true, "8 digits, the fewest"),
            ("+123456789012345", true, "15 digits, the most"),
            ("+1234567", false, "7 digits"),
            ("+1234567890123456", false, "16 digits"),
            ("14155550123", false, "no plus"),
            ("+1 415 555 0123", false, "spaces"),
            ("+1-415-555-0123", false, "dashes"),
            ("++14155550123", false, "two pluses"),
            ("+١٤١٥٥٥٥٠١٢٣", false, "non-ASCII digits"),
            ("", false, "empty"),
        ];
        for (text, valid, description) in cases {
            assert_eq!(PhoneNumber::parse(text).is_some(), valid, "{description}");
        }
    }

    #[test]
    fn debug_output_never_shows_the_number() {
        let phone = PhoneNumber::parse("+14155550123").expect("valid");
        let shown = format!("{phone:?} {:?}", Some(&phone));
        assert!(!shown.contains("4155550123"), "{shown}");
    }
}
