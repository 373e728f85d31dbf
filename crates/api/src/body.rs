//! The JSON body extractor (SPEC §1.1): `application/json` or no content type, at most
//! 5 MiB, and a JSON object — each failure with its SPEC code — read into a request type
//! (whose lenient fields leave type errors to the rules).

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
    pub raw: Value,
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
            parse_object(&bytes)
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

fn parse_object<T: DeserializeOwned>(bytes: &[u8]) -> Result<JsonBody<T>, ApiError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(raw @ Value::Object(_)) => {
            let body = T::deserialize(&raw).map_err(|error| {
                ApiError::invalid_json(format!("The request body cannot be read: {error}."))
            })?;
            Ok(JsonBody { body, raw })
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
