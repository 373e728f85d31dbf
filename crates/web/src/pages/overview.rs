//! `/app`: the account's totals and chart over a range, and its best offers.

use actix_web::{web, HttpResponse};
use maud::html;
use trackly_app::dashboard;

use super::html;
use super::params::Query;
use super::stats_table::{daily_table, figures, range, range_form};
use crate::chart;
use crate::error::WebError;
use crate::format;
use crate::layout::{page, Section};
use crate::session::SignedIn;
use crate::WebState;

/// `GET /app`.
pub(crate) async fn show(
    state: web::Data<WebState>,
    user: SignedIn,
    query: Query,
) -> Result<HttpResponse, WebError> {
    let (range, refused) = range(&query, state.app.now().date_naive());
    let overview = dashboard::overview(&state.app, &user.account, range).await?;
    Ok(html(page(
        "Overview",
        Section::Overview,
        &user,
        html! {
            h1 { "Overview" }
            @if overview.live_offers == 0 {
                div.empty {
                    p { "No offers yet. An offer is an advertiser's tracking link you send people to." }
                    p { a.button href="/app/offers/new" { "Create your first offer" } }
                }
            }
            (range_form("/app", range, refused.as_ref()))
            (figures(&overview.stats.totals))
            (chart::daily(&overview.stats.daily))
            h2 { "Top offers by revenue" }
            @if overview.top_offers.is_empty() {
                p.empty { "Offers appear here once they exist." }
            } @else {
                div.table-wrap {
                    table {
                        thead { tr {
                            th scope="col" { "Offer" }
                            th scope="col" { "Clicks" }
                            th scope="col" { "Conversions" }
                            th scope="col" { "Revenue" }
                        } }
                        tbody {
                            @for offer in &overview.top_offers {
                                tr {
                                    th scope="row" { a href=(format!("/app/offers/{}", offer.offer_id)) { (offer.name) } }
                                    td { (format::count(offer.counts.clicks)) }
                                    td { (format::count(offer.counts.conversions)) }
                                    td { (format::money(offer.counts.revenue)) }
                                }
                            }
                        }
                    }
                }
            }
            (daily_table(&overview.stats.daily))
        },
    )))
}
