//! Tracking links (SPEC §5.1): `GET /{code}` and `GET /c/{slug}`, public. The offer comes
//! from the redirect cache and the click goes to the click sink, so no database round trip
//! sits on this path.

use std::net::IpAddr;

use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use trackly_domain::click::{
    classify, click_field, Click, ClickSignals, REFERER_MAX_CHARS, SUB_MAX_CHARS,
    USER_AGENT_MAX_CHARS,
};
use trackly_domain::destination::{destination, MacroValues};
use trackly_domain::offer::OfferStatus;
use trackly_domain::slug::code_of_slug;
use trackly_store::credentials::new_id;

use crate::error::ErrorBody;
use crate::query::QueryParams;
use crate::state::AppState;

/// Follow a tracking link: 302 to the offer's URL with its macros filled in; the click
/// is recorded (SPEC §5.1). `HEAD` answers alike and counts as a bot click.
#[utoipa::path(method(get, head), path = "/{code}", tag = "tracking",
    params(
        ("code" = String, Path, description = "The offer's 6-character code", pattern = "^[a-z0-9]{6}$"),
        ("sub1" = Option<String>, Query), ("sub2" = Option<String>, Query), ("sub3" = Option<String>, Query),
        ("sub4" = Option<String>, Query), ("sub5" = Option<String>, Query),
    ),
    responses(
        (status = 302, description = "To the destination (Location header)"),
        (status = 404, description = "Unknown tracking link (plain text); not_found (JSON) for a path that is no code at all",
            content((String = "text/plain"), (ErrorBody = "application/json"))),
        (status = 410, description = "The offer is paused or archived (plain text)", content_type = "text/plain", body = String),
        (status = 503, description = "The offer cannot be looked up right now (plain text)", content_type = "text/plain", body = String),
    ))]
pub async fn by_code(
    state: web::Data<AppState>,
    request: HttpRequest,
    code: web::Path<String>,
) -> HttpResponse {
    redirect(&state, &request, &code).await
}

/// Follow a tracking link named by slug: any slug whose code matches (SPEC §5.1).
#[utoipa::path(method(get, head), path = "/c/{slug}", tag = "tracking",
    params(
        ("slug" = String, Path, description = "Any slug of the offer: ofr_<name>_<code>"),
        ("sub1" = Option<String>, Query), ("sub2" = Option<String>, Query), ("sub3" = Option<String>, Query),
        ("sub4" = Option<String>, Query), ("sub5" = Option<String>, Query),
    ),
    responses(
        (status = 302, description = "To the destination (Location header)"),
        (status = 404, description = "Unknown tracking link (plain text); not_found (JSON) for a path that is no slug at all",
            content((String = "text/plain"), (ErrorBody = "application/json"))),
        (status = 410, description = "The offer is paused or archived (plain text)", content_type = "text/plain", body = String),
        (status = 503, description = "The offer cannot be looked up right now (plain text)", content_type = "text/plain", body = String),
    ))]
pub async fn by_slug(
    state: web::Data<AppState>,
    request: HttpRequest,
    slug: web::Path<String>,
) -> HttpResponse {
    match code_of_slug(&slug) {
        Some(code) => redirect(&state, &request, code.as_str()).await,
        None => unknown_link(),
    }
}

async fn redirect(state: &AppState, request: &HttpRequest, code: &str) -> HttpResponse {
    let target = match state.redirects.lookup(&state.pool, code).await {
        Ok(Some(target)) => target,
        Ok(None) => return unknown_link(),
        Err(error) => {
            log::warn!("redirect for {code} failed: {error}");
            return plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "Tracking is temporarily unavailable; try again shortly.\n",
            )
            .map_into_boxed_body();
        }
    };
    if target.status != OfferStatus::Active {
        return plain(StatusCode::GONE, "This offer is no longer available.\n");
    }
    let now = chrono::Utc::now();
    let click_id = new_id(now);
    let params = QueryParams::from_request(request).ok();
    let sub = |index: usize| {
        params
            .as_ref()
            .and_then(|params| params.get(["sub1", "sub2", "sub3", "sub4", "sub5"][index]))
    };
    let subs = [sub(0), sub(1), sub(2), sub(3), sub(4)];
    let location = destination(
        &target.tracking_url,
        &MacroValues {
            click_id: click_id.as_str(),
            offer_id: target.offer_id.as_str(),
            subs,
        },
    );

    let user_agent = header_text(request, header::USER_AGENT);
    let ip = client_ip(request, state.trust_proxy);
    let bot_reason = classify(ClickSignals {
        is_head: request.method() == Method::HEAD,
        user_agent,
        user_agent_is_bot: user_agent.is_some_and(|agent| state.bots.user_agent_is_bot(agent)),
        in_bot_network: state.bots.in_bot_network(ip),
    });
    state.clicks.record(Click {
        id: click_id,
        account_id: target.account_id,
        offer_id: target.offer_id,
        created_at: now,
        ip: ip.map(|ip| ip.to_string()),
        user_agent: user_agent.map(|agent| click_field(agent, USER_AGENT_MAX_CHARS)),
        referer: header_text(request, header::REFERER)
            .map(|referer| click_field(referer, REFERER_MAX_CHARS)),
        subs: subs.map(|value| value.map(|value| click_field(value, SUB_MAX_CHARS))),
        bot_reason,
    });

    HttpResponse::Found()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// The client address: the peer, or with `trust_proxy` the first valid address of
/// `X-Forwarded-For` (the original client as reported by the proxies).
fn client_ip(request: &HttpRequest, trust_proxy: bool) -> Option<IpAddr> {
    let forwarded = trust_proxy
        .then(|| header_text(request, header::HeaderName::from_static("x-forwarded-for")))
        .flatten()
        .and_then(|value| value.split(',').next())
        .and_then(|first| first.trim().parse::<IpAddr>().ok());
    forwarded.or_else(|| request.peer_addr().map(|address| address.ip()))
}

fn header_text(request: &HttpRequest, name: header::HeaderName) -> Option<&str> {
    request
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

fn unknown_link() -> HttpResponse {
    plain(StatusCode::NOT_FOUND, "Unknown tracking link.\n")
}

fn plain(status: StatusCode, text: &'static str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .content_type("text/plain; charset=utf-8")
        .body(text)
}
