//! `X-Request-Id` (SPEC §1.9): echo a usable incoming id or make one, put it on every
//! response, and log the cause of every 5xx with it.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use rand::Rng;

use crate::error::ApiError;

/// The header's name.
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The request's id, stored in the request's extensions for handlers and logs.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The longest incoming id that is echoed (SPEC §1.9).
pub const MAX_REQUEST_ID_CHARS: usize = 128;

/// Middleware: assigns the id, sets the response header, logs 5xx causes.
pub async fn assign_request_id(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = request
        .headers()
        .get(&REQUEST_ID_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|value| is_usable(value))
        .map_or_else(new_request_id, str::to_owned);
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.call(request).await?;
    if response.status().is_server_error() {
        let cause = response
            .response()
            .error()
            .map(|error| match error.as_error::<ApiError>() {
                Some(api_error) => api_error.to_string(),
                None => error.to_string(),
            })
            .unwrap_or_default();
        log::error!(
            "request_id={id} status={} {cause}",
            response.status().as_u16()
        );
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    Ok(response)
}

/// 1–128 visible ASCII characters.
fn is_usable(value: &str) -> bool {
    (1..=MAX_REQUEST_ID_CHARS).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_graphic())
}

fn new_request_id() -> String {
    format!("{:032x}", rand::thread_rng().gen::<u128>())
}
