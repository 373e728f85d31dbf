//! Everflow's error body (INTEGRATIONS.md §2.2): `{"error": "message"}` for every status,
//! the key read case-insensitively (one client decodes `{"Error": …}`). A body that is not
//! JSON is kept as text unless it is an HTML page.

use serde_json::Value;

/// The message of an Everflow error body.
pub(crate) fn error_message(body: &[u8]) -> Option<String> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => fields
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("error"))
            .map(|(_, value)| match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            }),
        Ok(_) => None,
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let text = text.trim();
            (!text.is_empty() && !text.starts_with('<')).then(|| text.to_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_found_in_every_documented_shape() {
        let cases: [(&[u8], Option<&str>, &str); 7] = [
            (
                br#"{"error": "No Authentication Method Found"}"#,
                Some("No Authentication Method Found"),
                "documented",
            ),
            (
                br#"{"Error": "Invalid key"}"#,
                Some("Invalid key"),
                "capitalised key",
            ),
            (
                br#"{"ERROR": {"code": 7}}"#,
                Some(r#"{"code":7}"#),
                "a structured error as its JSON",
            ),
            (br#"{"message": "other"}"#, None, "no error key"),
            (b"Unauthorized", Some("Unauthorized"), "plain text is kept"),
            (
                b"<html><body>401</body></html>",
                None,
                "an HTML page is not a message",
            ),
            (b"", None, "empty"),
        ];
        for (body, expected, description) in cases {
            assert_eq!(error_message(body).as_deref(), expected, "{description}");
        }
    }
}
