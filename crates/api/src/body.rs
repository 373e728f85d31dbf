//! The JSON body extractor (SPEC §1.1): `application/json` or no content type, at most
//! 5 MiB, and a JSON object — each failure with its SPEC code — read into a request type
//! (whose lenient fields leave type errors to the rules). The body is read straight into
//! the request type: no JSON value of the whole body is built, so a 10,000-link bulk
//! request takes a fraction of the memory (SPEC §8.1). Only a body that does not read
//! is parsed again, as a value, to say what is wrong with it.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ApiError;

/// The largest body accepted (5 MiB).
pub const MAX_BODY_BYTES: usize = 5 * 1024 * 1024;

/// A request body that is a JSON object, read as a `T`; `raw` is the object as sent (for
/// the idempotency digest).
#[derive(Debug, Clone)]
pub struct JsonBody<T> {
    /// The body as the request type.
    pub body: T,
    /// The object as sent.
    pub raw: RawBody,
}

/// A request body as sent, known to be one JSON object.
#[derive(Debug, Clone)]
pub struct RawBody(web::Bytes);

impl RawBody {
    /// The object in canonical form (keys sorted, no spaces), for the idempotency
    /// digest. A body read as a request type is valid JSON and reads as a value again;
    /// were it not to, the bytes as sent stand for it.
    pub fn canonical(&self) -> Vec<u8> {
        match serde_json::from_slice::<Value>(&self.0) {
            Ok(value) => value.to_string().into_bytes(),
            Err(_) => self.0.to_vec(),
        }
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let checked = check_headers(request);
        let body = web::Bytes::from_request(request, payload);
        Box::pin(async move {
            checked?;
            let bytes = body.await.map_err(|error| {
                if error.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::payload_too_large()
                } else {
                    ApiError::invalid_json("The request body could not be read.")
                }
            })?;
            parse_object(bytes)
        })
    }
}

/// The payload limit for the body reader, registered as app data.
pub fn payload_config() -> web::PayloadConfig {
    web::PayloadConfig::new(MAX_BODY_BYTES)
}

fn check_headers(request: &HttpRequest) -> Result<(), ApiError> {
    if let Some(content_type) = request.headers().get(header::CONTENT_TYPE) {
        let essence = content_type
            .to_str()
            .ok()
            .and_then(|text| text.split(';').next())
            .map(str::trim);
        if !essence.is_some_and(|essence| essence.eq_ignore_ascii_case("application/json")) {
            return Err(ApiError::unsupported_media_type());
        }
    }
    let declared_length = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.parse::<u64>().ok());
    if declared_length.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Err(ApiError::payload_too_large());
    }
    Ok(())
}

fn parse_object<T: DeserializeOwned>(bytes: web::Bytes) -> Result<JsonBody<T>, ApiError> {
    let is_object = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if is_object {
        if let Ok(body) = serde_json::from_slice::<T>(&bytes) {
            return Ok(JsonBody {
                body,
                raw: RawBody(bytes),
            });
        }
    }
    through_value(bytes)
}

/// `bytes` read as a JSON value first, then as a `T`: what is wrong with a body that did
/// not read directly, or a body that repeats a key (the last one counts, as it does for
/// the idempotency digest).
fn through_value<T: DeserializeOwned>(bytes: web::Bytes) -> Result<JsonBody<T>, ApiError> {
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(raw @ Value::Object(_)) => {
            let body = T::deserialize(&raw).map_err(|error| {
                ApiError::invalid_json(format!("The request body cannot be read: {error}."))
            })?;
            Ok(JsonBody {
                body,
                raw: RawBody(bytes),
            })
        }
        Ok(_) => Err(ApiError::invalid_json(
            "The request body must be a JSON object.",
        )),
        Err(_) if bytes.iter().all(u8::is_ascii_whitespace) => Err(ApiError::invalid_json(
            "The request body is empty; send a JSON object.",
        )),
        Err(error) => Err(ApiError::invalid_json(format!(
            "The request body is not valid JSON (line {}, column {}).",
            error.line(),
            error.column()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Named {
        name: Option<String>,
    }

    fn parse(text: &str) -> Result<JsonBody<Named>, ApiError> {
        parse_object(web::Bytes::copy_from_slice(text.as_bytes()))
    }

    #[test]
    fn bodies_read_directly_as_they_read_through_a_value() {
        let read = |text: &str| parse(text).map(|body| body.body).map_err(|e| e.to_string());
        let named = |name: &str| Named {
            name: Some(name.to_owned()),
        };
        assert_eq!(
            read(r#" {"name": "a", "other": [1, {"x": null}]} "#),
            Ok(named("a"))
        );
        // A repeated key: the last one counts, as in the value the digest is made of.
        assert_eq!(read(r#"{"name": "a", "name": "b"}"#), Ok(named("b")));
        for (text, why) in [
            ("[1]", "must be a JSON object"),
            ("  ", "is empty"),
            (r#"{"name": "a"} x"#, "is not valid JSON"),
            (r#"{"name": 5}"#, "cannot be read"),
        ] {
            let error = read(text).expect_err(text);
            assert!(error.contains(why), "{text}: {error}");
        }
    }

    #[test]
    fn the_digest_form_is_canonical() {
        let canonical = |text: &str| parse(text).expect(text).raw.canonical();
        assert_eq!(
            canonical(r#"{ "other": 1,  "name": "a" }"#),
            canonical(r#"{"name":"a","other":1}"#)
        );
        assert_eq!(canonical(r#"{"name":"a"}"#), br#"{"name":"a"}"#.to_vec());
    }
}
