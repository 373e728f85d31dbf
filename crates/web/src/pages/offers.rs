//! `/app/offers`: the account's offers, searched by name and filtered by status and
//! platform, a page at a time.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use trackly_app::offers;
use trackly_domain::query::{OfferFilter, Page};
use trackly_domain::InputError;

use super::html;
use super::params::{encode, param, Query};
use crate::error::WebError;
use crate::format;
use crate::layout::{page, Section};
use crate::session::SignedIn;
use crate::WebState;

/// Offers per page.
const PER_PAGE: &str = "25";

/// `GET /app/offers`.
pub(crate) async fn list(
    state: web::Data<WebState>,
    user: SignedIn,
    query: Query,
) -> Result<HttpResponse, WebError> {
    let q = param(&query, "q").unwrap_or_default();
    let status = param(&query, "status").unwrap_or_default();
    let platform = param(&query, "external_platform").unwrap_or_default();
    let parsed = OfferFilter::parse(|name| param(&query, name))
        .and_then(|filter| Ok((filter, Page::parse(param(&query, "page"), Some(PER_PAGE))?)));
    let (listed, refused) = match parsed {
        Ok((filter, page)) => (
            Some(offers::list(&state.app, &user.account, filter, page).await?),
            None,
        ),
        Err(error) => (None, Some(error)),
    };
    let filtered = !(q.is_empty() && status.is_empty() && platform.is_empty());
    Ok(html(page(
        "Offers",
        Section::Offers,
        &user,
        html! {
            div.heading {
                h1 { "Offers" }
                a.button href="/app/offers/new" { "New offer" }
            }
            (filters(q, status, platform, refused.as_ref()))
            @if let Some(listed) = listed {
                @if listed.items.is_empty() {
                    div.empty {
                        @if filtered {
                            p { "No offers match these filters." }
                            p { a href="/app/offers" { "Show every offer" } }
                        } @else {
                            p { "No offers yet. Add the advertiser's tracking URL as an offer to get a short link for it." }
                            p { a.button href="/app/offers/new" { "Create your first offer" } }
                        }
                    }
                } @else {
                    div.table-wrap {
                        table {
                            thead { tr {
                                th scope="col" { "Name" }
                                th scope="col" { "Status" }
                                th scope="col" { "Platform" }
                                th scope="col" { "Payout" }
                                th scope="col" { "Created" }
                            } }
                            tbody {
                                @for offer in &listed.items {
                                    tr {
                                        th scope="row" { a href=(format!("/app/offers/{}", offer.id)) { (offer.name.as_str()) } }
                                        td { span class=(format!("badge badge-{}", offer.status)) { (offer.status) } }
                                        td { (offer.external_platform.map_or("–", |platform| platform.as_str())) }
                                        td { (format::money(offer.payout.value())) " " (offer.payout_type) }
                                        td { (format::time(offer.created_at)) }
                                    }
                                }
                            }
                        }
                    }
                    @let pages = listed.pagination;
                    nav.pager aria-label="Pages" {
                        @if pages.page > 1 {
                            a rel="prev" href=(page_link(q, status, platform, pages.page - 1)) { "← Newer" }
                        }
                        span { "Page " (pages.page) " of " (pages.total_pages.max(1)) " · " (format::count(i64::try_from(pages.total).unwrap_or(i64::MAX))) " offers" }
                        @if u64::from(pages.page) < pages.total_pages {
                            a rel="next" href=(page_link(q, status, platform, pages.page + 1)) { "Older →" }
                        }
                    }
                }
            }
        },
    )))
}

/// The search and filter form.
fn filters(q: &str, status: &str, platform: &str, refused: Option<&InputError>) -> Markup {
    let statuses = [
        ("", "Active and paused"),
        ("active", "Active"),
        ("paused", "Paused"),
        ("archived", "Archived"),
    ];
    let platforms = [
        ("", "Any platform"),
        ("tune", "TUNE"),
        ("everflow", "Everflow"),
    ];
    html! {
        form.filters method="get" action="/app/offers" role="search" {
            div.field {
                label for="q" { "Name contains" }
                input #q name="q" type="search" value=(q);
            }
            div.field {
                label for="status" { "Status" }
                select #status name="status" {
                    @for (value, text) in statuses { option value=(value) selected[value == status] { (text) } }
                }
            }
            div.field {
                label for="external_platform" { "Platform" }
                select #external_platform name="external_platform" {
                    @for (value, text) in platforms { option value=(value) selected[value == platform] { (text) } }
                }
            }
            button type="submit" { "Filter" }
            @if let Some(error) = refused { p.error role="alert" { (error) } }
        }
    }
}

/// The address of page `number` with the same filters.
fn page_link(q: &str, status: &str, platform: &str, number: u32) -> String {
    let number = number.to_string();
    format!(
        "/app/offers?{}",
        encode(&[
            ("q", q),
            ("status", status),
            ("external_platform", platform),
            ("page", &number)
        ])
    )
}
