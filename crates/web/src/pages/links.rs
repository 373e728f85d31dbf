//! `/app/links`: links by message (SPEC §9): each SMS message with how many links it was
//! sent with, their clicks by people and bots, first clicks, and the conversions and
//! revenue credited to it.

use actix_web::{web, HttpResponse};
use maud::html;
use trackly_app::dashboard;
use trackly_domain::link::LINK_MESSAGE_ID_MAX_CHARS;
use trackly_domain::query::Page;

use super::html;
use super::params::{encode, param, Query};
use crate::error::WebError;
use crate::format;
use crate::layout::{page, Section};
use crate::session::SignedIn;
use crate::WebState;

/// Messages per page.
const PER_PAGE: &str = "25";

/// `GET /app/links`.
pub(crate) async fn list(
    state: web::Data<WebState>,
    user: SignedIn,
    query: Query,
) -> Result<HttpResponse, WebError> {
    let message = param(&query, "message_id").unwrap_or_default();
    let (listed, refused) = match Page::parse(param(&query, "page"), Some(PER_PAGE)) {
        Ok(page) if message.chars().count() <= LINK_MESSAGE_ID_MAX_CHARS => {
            let only = (!message.is_empty()).then(|| message.to_owned());
            (
                Some(dashboard::messages(&state.app, &user.account, only, page).await?),
                None,
            )
        }
        Ok(_) => (
            None,
            Some(format!(
                "A message id has at most {LINK_MESSAGE_ID_MAX_CHARS} characters."
            )),
        ),
        Err(error) => (None, Some(error.to_string())),
    };
    Ok(html(page(
        "Links",
        Section::Links,
        &user,
        html! {
            h1 { "Links by message" }
            form.filters method="get" action="/app/links" role="search" {
                div.field {
                    label for="message_id" { "Message id" }
                    input #message_id name="message_id" type="search" value=(message);
                }
                button type="submit" { "Find" }
                @if let Some(error) = &refused { p.error role="alert" { (error) } }
            }
            @if let Some(listed) = listed {
                @if listed.items.is_empty() {
                    div.empty {
                        @if message.is_empty() {
                            p { "No links yet. Create one short link per SMS with "
                                code { "POST /api/v2/links" } " or, for a whole send, "
                                code { "POST /api/v2/links/bulk" } "; give each the message id." }
                            p { a href="/api/v2/docs" { "Read the API documentation" } }
                        } @else {
                            p { "No links carry this message id." }
                            p { a href="/app/links" { "Show every message" } }
                        }
                    }
                } @else {
                    div.table-wrap {
                        table #messages {
                            thead { tr {
                                th scope="col" { "Message" }
                                th scope="col" { "Links" }
                                th scope="col" { "Clicks" }
                                th scope="col" { "First clicks" }
                                th scope="col" { "Bot clicks" }
                                th scope="col" { "Conversions" }
                                th scope="col" { "Revenue" }
                                th scope="col" { "Last sent" }
                            } }
                            tbody {
                                @for totals in &listed.items {
                                    tr {
                                        th scope="row" { (totals.message_id) }
                                        td { (format::count(totals.links)) }
                                        td { (format::count(totals.clicks)) }
                                        td { (format::count(totals.first_clicks)) }
                                        td { (format::count(totals.bot_clicks)) }
                                        td { (format::count(totals.conversions)) }
                                        td { (format::money(totals.revenue)) }
                                        td { (format::time(totals.last_sent_at)) }
                                    }
                                }
                            }
                        }
                    }
                    @let number = listed.page.page;
                    nav.pager aria-label="Pages" {
                        @if number > 1 {
                            a rel="prev" href=(format!("/app/links?{}", encode(&[("message_id", message), ("page", &(number - 1).to_string())]))) { "← Newer" }
                        }
                        span { "Page " (number) }
                        @if listed.more {
                            a rel="next" href=(format!("/app/links?{}", encode(&[("message_id", message), ("page", &(number + 1).to_string())]))) { "Older →" }
                        }
                    }
                }
            }
        },
    )))
}
