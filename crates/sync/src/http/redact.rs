//! Text that may reach an error or a log line: the API key removed (as sent, and as it
//! looks percent-encoded in a query), control characters and runs of white space folded
//! into one space, cut to a readable length.

use crate::settings::ApiKey;

/// The longest text kept from a platform or the HTTP stack, in characters.
const MESSAGE_MAX_CHARS: usize = 300;
/// What stands where the key was.
const REDACTED: &str = "[redacted]";

/// `text` made safe to show.
pub(crate) fn safe_text(text: &str, key: &ApiKey) -> String {
    let mut text = text.to_owned();
    let plain = key.expose();
    if !plain.is_empty() {
        let encoded: String = url::form_urlencoded::byte_serialize(plain.as_bytes()).collect();
        for form in [plain, encoded.as_str()] {
            text = text.replace(form, REDACTED);
        }
    }
    let folded = text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if folded.chars().count() > MESSAGE_MAX_CHARS {
        let cut: String = folded.chars().take(MESSAGE_MAX_CHARS).collect();
        format!("{cut}…")
    } else {
        folded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_and_noise_are_removed() {
        let key = ApiKey::new("k3y/with+signs");
        let long = "x".repeat(400);
        let cases = [
            (
                "Invalid NetworkToken k3y/with+signs",
                "Invalid NetworkToken [redacted]",
                "the key as sent",
            ),
            (
                "GET /Apiv3/json?NetworkToken=k3y%2Fwith%2Bsigns&Target=Offer",
                "GET /Apiv3/json?NetworkToken=[redacted]&Target=Offer",
                "the key percent-encoded in an echoed URL",
            ),
            ("  two\n\tlines \r\n", "two lines", "white space folded"),
            ("bell\u{7}here", "bell here", "control characters folded"),
        ];
        for (text, expected, description) in cases {
            assert_eq!(safe_text(text, &key), expected, "{description}");
        }
        let cut = safe_text(&long, &key);
        assert_eq!(
            cut.chars().count(),
            MESSAGE_MAX_CHARS + 1,
            "long text is cut"
        );
        assert!(cut.ends_with('…'));
    }
}
