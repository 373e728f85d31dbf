//! `/app/offers/{offer}`: an offer's tracking link (with a copy button and a QR code),
//! its days over a range as a chart and a table, its recent clicks with their bot
//! reasons, and its revenue events.

use actix_web::{web, HttpResponse};
use maud::{html, Markup};
use trackly_app::dashboard::{self, OfferView};
use trackly_domain::offer::OfferRef;

use super::html;
use super::params::Query;
use super::stats_table::{daily_table, figures, range, range_form};
use crate::error::WebError;
use crate::layout::{page, Section};
use crate::session::SignedIn;
use crate::{chart, format, qr, WebState};

/// `GET /app/offers/{offer}` (its id or slug).
pub(crate) async fn show(
    state: web::Data<WebState>,
    user: SignedIn,
    offer: web::Path<String>,
    query: Query,
) -> Result<HttpResponse, WebError> {
    let offer = OfferRef::parse(&offer).ok_or(WebError::NotFound)?;
    let (range, refused) = range(&query, state.app.now().date_naive());
    let view = dashboard::offer(&state.app, &user.account, offer, range).await?;
    let link = format!("{}/{}", state.public_url, view.offer.code);
    let action = format!("/app/offers/{}", view.offer.id);
    Ok(html(page(
        view.offer.name.as_str(),
        Section::Offers,
        &user,
        html! {
            div.heading {
                h1 { (view.offer.name.as_str()) " " span class=(format!("badge badge-{}", view.offer.status)) { (view.offer.status) } }
                a.button.secondary href=(format!("{action}/edit")) { "Edit" }
            }
            (tracking_link(&link))
            (details(&view))
            h2 { "Performance" }
            (range_form(&action, range, refused.as_ref()))
            (figures(&view.stats.totals))
            (chart::daily(&view.stats.daily))
            (daily_table(&view.stats.daily))
            (recent_clicks(&view))
            (revenue(&view))
        },
    )))
}

/// The link to send, with a copy button (the script adds its behaviour) and a QR code.
fn tracking_link(link: &str) -> Markup {
    html! {
        section.link-box aria-labelledby="link-heading" {
            div {
                h2 #link-heading { "Tracking link" }
                div.copy-row {
                    label.visually-hidden for="tracking-link" { "Tracking link" }
                    input #tracking-link type="text" readonly value=(link);
                    button.copy type="button" data-copy="tracking-link" { "Copy" }
                }
                p.hint { "Send this link; each click is counted here and forwarded to the offer's URL." }
            }
            @if let Some(code) = qr::code(link) {
                div.qr { (code) }
            }
        }
    }
}

/// The offer's settings.
fn details(view: &OfferView) -> Markup {
    let offer = &view.offer;
    html! {
        dl.details {
            dt { "Destination" } dd.url { (offer.tracking_url.as_str()) }
            dt { "Payout" } dd { (format::money(offer.payout.value())) " " (offer.payout_type) }
            dt { "Platform" } dd { (offer.external_platform.map_or("–", |platform| platform.as_str())) }
            dt { "Platform offer id" } dd { (offer.external_id.as_deref().unwrap_or("–")) }
            dt { "Advertiser id" } dd { (offer.advertiser_id.as_deref().unwrap_or("–")) }
            dt { "Bots in the stats" } dd { @if offer.filter_bots { "Left out" } @else { "Counted" } }
        }
    }
}

/// The newest clicks, bots marked with their reason.
fn recent_clicks(view: &OfferView) -> Markup {
    html! {
        h2 { "Recent clicks" }
        @if view.recent_clicks.is_empty() {
            p.empty { "No clicks yet. Send the tracking link above; clicks appear here as they come in." }
        } @else {
            div.table-wrap {
                table #recent-clicks {
                    thead { tr {
                        th scope="col" { "Time" }
                        th scope="col" { "Visitor" }
                        th scope="col" { "Address" }
                        th scope="col" { "User agent" }
                        th scope="col" { "Message" }
                    } }
                    tbody {
                        @for click in &view.recent_clicks {
                            tr {
                                td { (format::time(click.created_at)) }
                                td {
                                    @if let Some(reason) = click.bot_reason {
                                        span.badge.badge-bot { "Bot" } " " span.reason { (reason) }
                                    } @else if click.first_click {
                                        span.badge.badge-person { "Person" } " " span.reason { "first click" }
                                    } @else {
                                        span.badge.badge-person { "Person" }
                                    }
                                }
                                td { (click.ip.as_deref().unwrap_or("–")) }
                                td.ua { (click.user_agent.as_deref().unwrap_or("–")) }
                                td { (click.link.as_ref().and_then(|link| link.message_id.as_deref()).unwrap_or("–")) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The newest revenue events.
fn revenue(view: &OfferView) -> Markup {
    html! {
        h2 { "Revenue events" }
        @if view.revenue.is_empty() {
            p.empty { "No revenue yet. Record conversions with POST /api/v2/revenue, a postback URL, or a TUNE/Everflow sync." }
        } @else {
            div.table-wrap {
                table {
                    thead { tr {
                        th scope="col" { "Occurred" }
                        th scope="col" { "Type" }
                        th scope="col" { "Amount" }
                        th scope="col" { "Transaction" }
                        th scope="col" { "Message" }
                    } }
                    tbody {
                        @for event in &view.revenue {
                            tr {
                                td { (format::time(event.occurred_at)) }
                                td { (event.event_type) }
                                td { (format::money(event.revenue.value())) }
                                td { (event.txn_id.as_deref().unwrap_or("–")) }
                                td { (event.message_id.as_deref().unwrap_or("–")) }
                            }
                        }
                    }
                }
            }
        }
    }
}
