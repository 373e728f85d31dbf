//! The headers every dashboard response carries: a strict content security policy (no
//! inline script or style, nothing from elsewhere), no framing, no sniffing, no caching
//! of pages that show an account's data.

use actix_web::guard::GuardContext;
use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;

/// Everything comes from the service itself; forms post only to it; no page may be
/// framed.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The headers of every dashboard response (a response that sets one keeps its own).
pub(crate) fn headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((header::CACHE_CONTROL, "no-store"))
}

/// True when the request asks for an HTML page (a browser), not for JSON.
pub(crate) fn wants_html(context: &GuardContext<'_>) -> bool {
    context
        .head()
        .headers()
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}
