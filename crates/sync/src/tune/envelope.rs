//! TUNE's response envelope (INTEGRATIONS.md §1.2): `response.status` 1 is success and
//! `response.data` the payload; anything else is an error whose text is in
//! `errorMessage` and/or `errors[]` (`err_msg`, `publicMessage`), with `errors` an array
//! or an object. Errors arrive with HTTP 200.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::wire::scalar::Scalar;

#[derive(Deserialize)]
struct Envelope {
    response: Body,
}

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    status: Scalar,
    #[serde(default, rename = "errorMessage")]
    error_message: Scalar,
    #[serde(default)]
    errors: Option<Value>,
    #[serde(default)]
    data: Option<Box<RawValue>>,
}

/// What an envelope says.
#[derive(Debug)]
pub(crate) enum Opened {
    /// Success, with `response.data` when present.
    Success(Option<Box<RawValue>>),
    /// An error, with its text.
    Failure(String),
}

/// Reads an envelope; the error describes a body that is not one.
pub(crate) fn open(body: &[u8]) -> Result<Opened, String> {
    let envelope: Envelope =
        serde_json::from_slice(body).map_err(|error| format!("not a TUNE envelope ({error})"))?;
    let response = envelope.response;
    if response.status.text() == Some("1") {
        return Ok(Opened::Success(response.data));
    }
    let mut messages: Vec<String> = Vec::new();
    let mut add = |text: &str| {
        let text = text.trim();
        if !text.is_empty() && !messages.iter().any(|known| known == text) {
            messages.push(text.to_owned());
        }
    };
    if let Some(text) = response.error_message.text() {
        add(text);
    }
    let items: Vec<&Value> = match &response.errors {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Object(items)) => items.values().collect(),
        Some(single @ Value::String(_)) => vec![single],
        _ => Vec::new(),
    };
    for item in items {
        match item {
            Value::String(text) => add(text),
            Value::Object(fields) => ["err_msg", "publicMessage"]
                .iter()
                .filter_map(|name| fields.get(*name).and_then(Value::as_str))
                .for_each(&mut add),
            _ => {}
        }
    }
    Ok(Opened::Failure(if messages.is_empty() {
        format!(
            "TUNE answered status {} without a message",
            response.status.text().unwrap_or("null")
        )
    } else {
        messages.join("; ")
    }))
}

/// The error text of a body that is an error envelope.
pub(crate) fn error_message(body: &[u8]) -> Option<String> {
    match open(body) {
        Ok(Opened::Failure(message)) => Some(message),
        _ => None,
    }
}

/// True when a body is an error envelope that reports a rate limit. TUNE's signal is
/// undocumented; these phrases are our reading of "an error that mentions a limit".
pub(crate) fn reports_rate_limit(body: &[u8]) -> bool {
    error_message(body).is_some_and(|message| {
        let lower = message.to_ascii_lowercase();
        ["rate limit", "limit exceeded", "too many"]
            .iter()
            .any(|phrase| lower.contains(phrase))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_gives_the_data() {
        let body = br#"{"request": {}, "response": {"status": 1, "data": {"page": "1"}}}"#;
        let Ok(Opened::Success(Some(data))) = open(body) else {
            panic!("a success envelope");
        };
        assert_eq!(data.get(), r#"{"page": "1"}"#);
        let string_status = br#"{"response": {"status": "1", "data": []}}"#;
        assert!(matches!(open(string_status), Ok(Opened::Success(Some(_)))));
    }

    #[test]
    fn error_text_is_gathered_from_every_place() {
        let cases = [
            (
                r#"{"status": -1, "data": "", "errors": [{"err_msg": "Invalid NetworkToken", "publicMessage": "Invalid NetworkToken"}], "errorMessage": "Invalid NetworkToken"}"#,
                "Invalid NetworkToken",
                "the documented error mode, repeated text said once",
            ),
            (
                r#"{"status": -1, "errors": {"0": {"publicMessage": "Offer is private"}}}"#,
                "Offer is private",
                "errors as an object",
            ),
            (
                r#"{"status": "-1", "errorMessage": null, "errors": [{"err_msg": "a"}, {"publicMessage": "b"}]}"#,
                "a; b",
                "several errors",
            ),
            (
                r#"{"status": -1, "errors": ["plain text"]}"#,
                "plain text",
                "errors as strings",
            ),
            (
                r#"{"status": 0}"#,
                "TUNE answered status 0 without a message",
                "no text at all",
            ),
        ];
        for (response, expected, description) in cases {
            let body = format!(r#"{{"response": {response}}}"#);
            assert_eq!(
                error_message(body.as_bytes()).as_deref(),
                Some(expected),
                "{description}"
            );
        }
    }

    #[test]
    fn rate_limits_are_recognised_in_error_text() {
        let cases = [
            ("API rate limit exceeded", true, "rate limit"),
            ("Too many requests", true, "too many"),
            (
                "Request limit exceeded for this hour",
                true,
                "limit exceeded",
            ),
            ("Invalid NetworkToken", false, "a key error"),
            ("Invalid limit parameter", false, "the word limit alone"),
        ];
        for (message, expected, description) in cases {
            let body = format!(r#"{{"response": {{"status": -1, "errorMessage": "{message}"}}}}"#);
            assert_eq!(
                reports_rate_limit(body.as_bytes()),
                expected,
                "{description}"
            );
        }
        let success = br#"{"response": {"status": 1, "data": "too many"}}"#;
        assert!(
            !reports_rate_limit(success),
            "success is never a rate limit"
        );
    }

    #[test]
    fn other_bodies_are_not_envelopes() {
        let cases: [(&[u8], &str); 3] = [
            (b"<html>504 Gateway Time-out</html>", "HTML"),
            (
                br#"{"response": {"status": 1, "data": {"pa"#,
                "truncated JSON",
            ),
            (br#"{"offers": []}"#, "another shape"),
        ];
        for (body, description) in cases {
            assert!(open(body).is_err(), "{description}");
        }
    }
}
