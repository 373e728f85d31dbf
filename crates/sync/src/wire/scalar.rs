//! One JSON scalar read leniently (INTEGRATIONS.md §1.2): a string, a number, a boolean
//! or null, kept as text. Numbers keep their exact JSON text, so an amount never passes
//! through a float. Blank strings, and PHP's empty `[]`/`{}`, count as absent.

use serde::de::{Deserialize, Deserializer, Error};
use serde_json::value::RawValue;

/// A scalar as text; `None` when absent, null or blank.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scalar(Option<String>);

impl Scalar {
    /// The text, when there is any.
    pub(crate) fn text(&self) -> Option<&str> {
        self.0.as_deref()
    }

    /// The text, owned.
    pub(crate) fn into_text(self) -> Option<String> {
        self.0
    }

    /// True for a set flag: `"1"`, `1` or `true`.
    pub(crate) fn is_set_flag(&self) -> bool {
        matches!(self.text(), Some("1" | "true"))
    }

    /// Reads one JSON value given as its source text.
    fn from_json_text(json: &str) -> Result<Self, String> {
        let json = json.trim();
        match json.as_bytes().first() {
            Some(b'"') => {
                let text: String = serde_json::from_str(json).map_err(|error| error.to_string())?;
                let trimmed = text.trim();
                Ok(Self((!trimmed.is_empty()).then(|| trimmed.to_owned())))
            }
            Some(b'[' | b'{') if json == "[]" || json == "{}" => Ok(Self(None)),
            Some(b'[' | b'{') => {
                Err("expected a single value, found an object or a list".to_owned())
            }
            _ if json == "null" => Ok(Self(None)),
            _ => Ok(Self(Some(json.to_owned()))),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        Self::from_json_text(raw.get()).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_read_as_their_text() {
        let cases = [
            (r#""532""#, Some("532"), "a string"),
            ("532", Some("532"), "an integer keeps its digits"),
            (
                "80.00000",
                Some("80.00000"),
                "a decimal keeps its exact text",
            ),
            ("0.1", Some("0.1"), "no float rounding"),
            (
                "12345678901234567890.123456789",
                Some("12345678901234567890.123456789"),
                "more digits than a float holds",
            ),
            ("true", Some("true"), "a boolean"),
            (
                r#"" padded ""#,
                Some("padded"),
                "surrounding blanks are trimmed",
            ),
            (r#""""#, None, "an empty string is absent"),
            (r#""   ""#, None, "a blank string is absent"),
            ("null", None, "null is absent"),
            ("[]", None, "PHP's empty array is absent"),
            ("{}", None, "an empty object is absent"),
            (r#""caf\u00e9""#, Some("café"), "escapes are decoded"),
        ];
        for (json, expected, description) in cases {
            let scalar: Scalar =
                serde_json::from_str(json).unwrap_or_else(|error| panic!("{description}: {error}"));
            assert_eq!(scalar.text(), expected, "{description}");
        }
    }

    #[test]
    fn objects_and_lists_with_content_are_refused() {
        for (json, description) in [(r#"{"a": 1}"#, "object"), ("[1]", "list")] {
            assert!(
                serde_json::from_str::<Scalar>(json).is_err(),
                "{description}"
            );
        }
    }

    #[test]
    fn flags_are_set_by_one_or_true() {
        let cases = [
            (r#""1""#, true, "string one"),
            ("1", true, "number one"),
            ("true", true, "boolean"),
            (r#""0""#, false, "string zero"),
            ("0", false, "number zero"),
            ("false", false, "false"),
            ("null", false, "null"),
        ];
        for (json, expected, description) in cases {
            let scalar: Scalar =
                serde_json::from_str(json).unwrap_or_else(|error| panic!("{description}: {error}"));
            assert_eq!(scalar.is_set_flag(), expected, "{description}");
        }
    }
}
