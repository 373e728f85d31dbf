//! `/`: a browser that opens the service's address lands on the dashboard.

use actix_web::HttpResponse;

use super::see_other;

/// `GET /` from a browser.
pub(crate) async fn to_dashboard() -> HttpResponse {
    see_other("/app")
}
