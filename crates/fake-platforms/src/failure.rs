//! The answers a [`Mode`] gives in place of the normal one, shaped like each platform's.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use serde_json::json;

use crate::mode::Mode;
use crate::tune::error_envelope;

/// Which platform is answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// TUNE: errors in an HTTP 200 envelope.
    Tune,
    /// Everflow: errors as `{"error": …}` with an HTTP status.
    Everflow,
}

/// The answer `mode` gives instead of the normal one; `None` when the normal answer
/// still follows (slow, truncated).
pub(crate) fn replacement(mode: &Mode, kind: Kind) -> Option<HttpResponse> {
    match mode {
        Mode::Slow(_) | Mode::TruncatedJson => None,
        Mode::ServerError(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let title = format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("Server Error")
            );
            Some(
                HttpResponse::build(status)
                    .content_type("text/html")
                    .body(format!(
                    "<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
                )),
            )
        }
        Mode::RateLimited { retry_after } => {
            let mut response = HttpResponse::TooManyRequests();
            if let Some(seconds) = retry_after {
                response.insert_header(("Retry-After", seconds.to_string()));
            }
            Some(match kind {
                Kind::Tune => response
                    .content_type("text/plain")
                    .body("Too Many Requests"),
                Kind::Everflow => response
                    .insert_header(("X-RateLimit-Limit", "30"))
                    .insert_header(("X-RateLimit-Remaining", "0"))
                    .json(json!({"error": "Rate limit exceeded"})),
            })
        }
        Mode::Garbage => Some(
            HttpResponse::Ok()
                .content_type("application/json")
                .body("<html><body>Down for maintenance</body></html>"),
        ),
        Mode::PlatformError(text) => Some(match kind {
            Kind::Tune => HttpResponse::Ok().json(error_envelope(text)),
            Kind::Everflow => HttpResponse::BadRequest().json(json!({"error": text})),
        }),
    }
}
