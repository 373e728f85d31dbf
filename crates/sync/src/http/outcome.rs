//! What a final answer (one that is not retried) means when it is not a success:
//! 401/403 are a rejected key, a redirect is not followed, any other 4xx is a refusal.
//! The platform's own message goes with it, made safe.

use reqwest::StatusCode;

use super::redact::safe_text;
use super::Answer;
use crate::error::PlatformError;
use crate::settings::ApiKey;

/// `Ok` for a 2xx answer; otherwise the error, with the message `read_message` finds in
/// the body (TUNE's envelope, Everflow's `{"error": …}`).
pub(crate) fn require_success(
    answer: &Answer,
    read_message: impl FnOnce(&[u8]) -> Option<String>,
    key: &ApiKey,
) -> Result<(), PlatformError> {
    let status = answer.status;
    if status.is_success() {
        return Ok(());
    }
    if status.is_redirection() {
        return Err(PlatformError::BadResponse(format!(
            "HTTP {} redirect, which the client does not follow",
            status.as_u16()
        )));
    }
    let message = read_message(&answer.body)
        .map(|text| safe_text(&text, key))
        .filter(|text| !text.is_empty())
        .unwrap_or_else(|| format!("HTTP {} without a message", status.as_u16()));
    Err(match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => PlatformError::RejectedKey(message),
        _ => PlatformError::Refused(message),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT),
            retry_after: None,
            body: Vec::new(),
        }
    }

    #[test]
    fn statuses_map_to_errors() {
        let key = ApiKey::new("secret");
        let said = |_: &[u8]| Some("said secret".to_owned());
        let silent = |_: &[u8]| None;
        type Reader = fn(&[u8]) -> Option<String>;
        let cases: [(u16, Reader, Result<(), PlatformError>, &str); 6] = [
            (200, said, Ok(()), "success"),
            (
                401,
                said,
                Err(PlatformError::RejectedKey("said [redacted]".to_owned())),
                "401 with a message that echoes the key",
            ),
            (
                403,
                silent,
                Err(PlatformError::RejectedKey(
                    "HTTP 403 without a message".to_owned(),
                )),
                "403 without a message",
            ),
            (
                404,
                said,
                Err(PlatformError::Refused("said [redacted]".to_owned())),
                "other 4xx",
            ),
            (
                400,
                silent,
                Err(PlatformError::Refused(
                    "HTTP 400 without a message".to_owned(),
                )),
                "400 without a message",
            ),
            (
                302,
                said,
                Err(PlatformError::BadResponse(
                    "HTTP 302 redirect, which the client does not follow".to_owned(),
                )),
                "redirect",
            ),
        ];
        for (status, reader, expected, description) in cases {
            assert_eq!(
                require_success(&answer(status), reader, &key),
                expected,
                "{description}"
            );
        }
    }
}
