//! `/app/integrations`: the account's TUNE and Everflow connections (SPEC §10) and how
//! their latest syncs went.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use trackly_app::dashboard::{self, IntegrationView};
use trackly_domain::integration::SyncKind;
use trackly_domain::offer::ExternalPlatform;

use super::html;
use crate::error::WebError;
use crate::format;
use crate::layout::{page, Section};
use crate::session::SignedIn;
use crate::WebState;

/// `GET /app/integrations`.
pub(crate) async fn list(
    state: web::Data<WebState>,
    user: SignedIn,
) -> Result<HttpResponse, WebError> {
    let connections = dashboard::integrations(&state.app, &user.account).await?;
    Ok(html(page(
        "Integrations",
        Section::Integrations,
        &user,
        html! {
            h1 { "Integrations" }
            @if connections.is_empty() {
                div.empty {
                    p { "No platform connected. Connect TUNE or Everflow with "
                        code { "POST /api/v2/integrations" }
                        " to bring in their offers every hour and their conversions every 15 minutes." }
                    p { a href="/api/v2/docs" { "Read the API documentation" } }
                }
            }
            @for connection in &connections { (connection_section(connection)) }
        },
    )))
}

/// One connection and its runs.
fn connection_section(view: &IntegrationView) -> Markup {
    let settings = &view.integration.settings;
    let platform = match settings.platform {
        ExternalPlatform::Tune => "TUNE",
        ExternalPlatform::Everflow => "Everflow",
    };
    html! {
        section.connection aria-label=(platform) {
            h2 { (platform) }
            dl.details {
                dt { "API key" } dd { (view.integration.api_key_last4) }
                dt { "Endpoint" } dd.url { (settings.base_url.as_deref().unwrap_or("the platform's default")) }
                @if let Some(network) = &settings.network_id { dt { "Network id" } dd { (network) } }
                @if let Some(affiliate) = &settings.affiliate_id { dt { "Affiliate id" } dd { (affiliate) } }
                dt { "Syncs" } dd {
                    (if settings.sync_offers { "offers" } else { "" })
                    (if settings.sync_offers && settings.sync_conversions { " and " } else { "" })
                    (if settings.sync_conversions { "conversions" } else { "" })
                    (if !settings.sync_offers && !settings.sync_conversions { "nothing (both turned off)" } else { "" })
                }
            }
            h3 { "Latest runs" }
            @if view.runs.is_empty() {
                p.empty { "No sync has run yet. The schedule runs it, or start one with POST /api/v2/integrations/{id}/sync." }
            } @else {
                div.table-wrap {
                    table {
                        thead { tr {
                            th scope="col" { "Started" }
                            th scope="col" { "Kind" }
                            th scope="col" { "Status" }
                            th scope="col" { "Result" }
                            th scope="col" { "Errors" }
                        } }
                        tbody {
                            @for run in &view.runs {
                                tr {
                                    td { (format::time(run.started_at)) }
                                    td { (run.kind) }
                                    td { span class=(format!("badge badge-{}", run.status)) { (run.status) } }
                                    td {
                                        @if run.kind == SyncKind::Offers {
                                            (run.counts.offers_created) " created, " (run.counts.offers_updated) " updated, " (run.counts.offers_skipped) " skipped"
                                        } @else {
                                            (run.counts.conversions_imported) " imported, " (run.counts.duplicates) " duplicates, " (run.counts.unmatched) " unmatched"
                                        }
                                    }
                                    td {
                                        @if run.errors.is_empty() { "–" } @else {
                                            ul.errors { @for error in &run.errors { li { (error) } } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
