//! `Idempotency-Key` on POST (SPEC §1.7), at the HTTP edge: the header and a digest of the
//! request become the app's `Once`, and the app's answer becomes the response, marked
//! `Idempotent-Replayed: true` when it repeats the first one.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};
use trackly_app::{Answer, Answered, Once};
use trackly_domain::InputError;

use crate::body::RawBody;
use crate::error::ApiError;

/// The request header.
const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// The header on replayed responses.
const REPLAYED_HEADER: &str = "idempotent-replayed";

/// The request's `Once`, when it carries an `Idempotency-Key`. The digest covers the
/// method, the path and the body in canonical form (keys sorted), so the same JSON sent
/// with other spacing or key order is the same request. The canonical form is made only
/// for requests with the header.
pub fn once(request: &HttpRequest, body: &RawBody) -> Result<Option<Once>, InputError> {
    let Some(key) = request.headers().get(IDEMPOTENCY_KEY_HEADER) else {
        return Ok(None);
    };
    let key = key
        .to_str()
        .map_err(|_| InputError::InvalidIdempotencyKey)?;
    let mut hasher = Sha256::new();
    hasher.update(request.method().as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(request.path().as_bytes());
    hasher.update(b"\n");
    hasher.update(body.canonical());
    Once::new(key, hasher.finalize().into()).map(Some)
}

/// An answer with `status` and `body` rendered as JSON.
pub fn answer(status: StatusCode, body: &impl Serialize) -> Answer {
    Answer {
        status: status.as_u16(),
        // Serialising the API's own views cannot fail: they hold strings, numbers,
        // booleans, maps with string keys and lists of those.
        body: serde_json::to_string(body).unwrap_or_default(),
    }
}

/// The response for an app's answer.
pub fn respond(answered: Answered) -> Result<HttpResponse, ApiError> {
    let status = StatusCode::from_u16(answered.answer.status).map_err(ApiError::server_error)?;
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CONTENT_TYPE, "application/json"));
    if answered.replayed {
        response.insert_header((REPLAYED_HEADER, "true"));
    }
    Ok(response.body(answered.answer.body))
}
