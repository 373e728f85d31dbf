//! `Idempotency-Key` on POST (SPEC §1.7). The key is claimed, the work done and the
//! response recorded in one transaction: concurrent requests with one key wait on the
//! claim, then replay the committed response, so the work runs exactly once.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use trackly_domain::api_key::is_valid_idempotency_key;
use trackly_domain::{InputError, ObjectId};
use trackly_store::idempotency::{claim_key, record_response, Claim};
use trackly_store::PgConnection;

use crate::db::run_db;
use crate::error::ApiError;
use crate::state::AppState;

/// The request header.
const IDEMPOTENCY_KEY_HEADER: &str = "idempotency-key";
/// The header on replayed responses.
const REPLAYED_HEADER: &str = "idempotent-replayed";

/// What a POST's work produced: a status and a JSON body.
pub type WorkResult = Result<(StatusCode, Value), ApiError>;

/// Runs `work` once per `Idempotency-Key` (or simply once when the request has none) and
/// answers with its response, or the recorded one.
pub async fn respond_once<F>(
    state: &AppState,
    request: &HttpRequest,
    account: &ObjectId,
    body: &Map<String, Value>,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut PgConnection) -> WorkResult + Send + 'static,
{
    let Some(key) = request.headers().get(IDEMPOTENCY_KEY_HEADER) else {
        let (status, body) = run_db(&state.pool, work).await?;
        return Ok(HttpResponse::build(status).json(body));
    };
    let key = key
        .to_str()
        .ok()
        .filter(|key| is_valid_idempotency_key(key))
        .ok_or(InputError::InvalidIdempotencyKey)?
        .to_owned();
    let request_digest = request_digest(request, body);
    let account = account.clone();
    let outcome = run_db(&state.pool, move |conn| {
        conn.build_transaction().run(|conn| {
            match claim_key(conn, &account, &key, &request_digest, chrono::Utc::now())? {
                Claim::Fresh => {
                    let (status, body) = work(conn)?;
                    let text = body.to_string();
                    record_response(conn, &account, &key, status.as_u16(), &text)?;
                    Ok((status.as_u16(), text, false))
                }
                Claim::Replay { status, body } => Ok((status, body, true)),
                Claim::Mismatch => Err(ApiError::idempotency_conflict(
                    "This Idempotency-Key was already used with a different request",
                )),
            }
        })
    })
    .await?;
    let (status, text, replayed) = outcome;
    let status = StatusCode::from_u16(status).map_err(ApiError::server_error)?;
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CONTENT_TYPE, "application/json"));
    if replayed {
        response.insert_header((REPLAYED_HEADER, "true"));
    }
    Ok(response.body(text))
}

/// SHA-256 of the method, the path and the body in canonical form (keys sorted), so that
/// the same JSON sent with other spacing or key order counts as the same request.
fn request_digest(request: &HttpRequest, body: &Map<String, Value>) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(request.method().as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(request.path().as_bytes());
    hasher.update(b"\n");
    hasher.update(Value::Object(body.clone()).to_string().as_bytes());
    hasher.finalize().to_vec()
}
