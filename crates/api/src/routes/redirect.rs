//! Tracking links (SPEC §5.1, §9.4): `GET /{code}`, `GET /c/{slug}` and `GET /{linkId}`,
//! public. A thin adapter: the request becomes a `Visit` for the tracker, which resolves
//! the link from its cache and spools the click; its answer becomes the `302`, `404`,
//! `410` or `503`.

use std::collections::BTreeMap;
use std::net::IpAddr;

use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use trackly_domain::link::LinkId;
use trackly_domain::slug::code_of_slug;
use trackly_tracking::{Followed, Redirect, TrackingError, Visit};
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::IntoResponses;

use crate::declared::link_params::LinkIdPath;
use crate::declared::params::{CodePath, SlugPath, SubsQuery};
use crate::query::QueryParams;
use crate::state::AppState;

/// Follow a tracking link: 302 to the offer's URL with its macros filled in; the click
/// is recorded (SPEC §5.1).
#[utoipa::path(
    get,
    path = "/{code}",
    tag = "tracking",
    operation_id = "followLink",
    params(CodePath, SubsQuery),
    responses(RedirectAnswers)
)]
pub async fn by_code(
    state: web::Data<AppState>,
    request: HttpRequest,
    code: web::Path<String>,
) -> HttpResponse {
    redirect(&state, &request, Followed::Offer(&code)).await
}

/// `HEAD` of a tracking link: answers like `GET` and counts as a bot click (SPEC §5.1).
#[utoipa::path(
    head,
    path = "/{code}",
    tag = "tracking",
    operation_id = "headLink",
    params(CodePath, SubsQuery),
    responses(RedirectAnswers)
)]
pub async fn head_by_code(
    state: web::Data<AppState>,
    request: HttpRequest,
    code: web::Path<String>,
) -> HttpResponse {
    by_code(state, request, code).await
}

/// Follow a tracking link named by slug: any slug whose code matches (SPEC §5.1).
#[utoipa::path(
    get,
    path = "/c/{slug}",
    tag = "tracking",
    operation_id = "followSlugLink",
    params(SlugPath, SubsQuery),
    responses(RedirectAnswers)
)]
pub async fn by_slug(
    state: web::Data<AppState>,
    request: HttpRequest,
    slug: web::Path<String>,
) -> HttpResponse {
    match code_of_slug(&slug) {
        Some(code) => redirect(&state, &request, Followed::Offer(code.as_str())).await,
        None => unknown_link(),
    }
}

/// `HEAD` of a tracking link named by slug (SPEC §5.1).
#[utoipa::path(
    head,
    path = "/c/{slug}",
    tag = "tracking",
    operation_id = "headSlugLink",
    params(SlugPath, SubsQuery),
    responses(RedirectAnswers)
)]
pub async fn head_by_slug(
    state: web::Data<AppState>,
    request: HttpRequest,
    slug: web::Path<String>,
) -> HttpResponse {
    by_slug(state, request, slug).await
}

/// Follow a message's short link (SPEC §9.4): 302 to its offer's URL, macros (with
/// `{message_id}`) filled in, or to its URL; the click records the link, its message,
/// list and contact.
#[utoipa::path(
    get,
    path = "/{linkId}",
    tag = "tracking",
    operation_id = "followShortLink",
    params(LinkIdPath, SubsQuery),
    responses(RedirectAnswers)
)]
pub async fn by_link(
    state: web::Data<AppState>,
    request: HttpRequest,
    link_id: web::Path<String>,
) -> HttpResponse {
    match LinkId::parse(&link_id) {
        Some(link_id) => redirect(&state, &request, Followed::Link(&link_id)).await,
        None => unknown_link(),
    }
}

/// `HEAD` of a message's short link: answers like `GET` and counts as a bot click.
#[utoipa::path(
    head,
    path = "/{linkId}",
    tag = "tracking",
    operation_id = "headShortLink",
    params(LinkIdPath, SubsQuery),
    responses(RedirectAnswers)
)]
pub async fn head_by_link(
    state: web::Data<AppState>,
    request: HttpRequest,
    link_id: web::Path<String>,
) -> HttpResponse {
    by_link(state, request, link_id).await
}

/// What a tracking link answers: the redirect, or a short plain text (JSON `not_found`
/// when the path is no link at all). `HEAD` answers carry no body.
pub struct RedirectAnswers;

impl IntoResponses for RedirectAnswers {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let no_store = || {
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(["no-store"])),
                )
                .description(Some("Never cached: every visit is a click"))
                .build()
        };
        let text = |description: &str| {
            ResponseBuilder::new().description(description).content(
                "text/plain",
                ContentBuilder::new()
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                    .build(),
            )
        };
        let plain = |description: &str| text(description).header("Cache-Control", no_store());
        let found = ResponseBuilder::new()
            .description("To the destination: the offer's tracking URL with its macros filled in (or a URL-mode link's URL)")
            .header(
                "Location",
                HeaderBuilder::new()
                    .schema(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .pattern(Some("^[Hh][Tt][Tt][Pp][Ss]?://")),
                    )
                    .description(Some("The destination"))
                    .build(),
            )
            .header("Cache-Control", no_store());
        // The router's JSON 404 (a path that is no link at all) carries no Cache-Control.
        let not_found = text("Unknown tracking link (plain text, not cached); not_found (JSON) for a path that is no link at all")
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("ErrorBody")))
                    .build(),
            );
        [
            ("302", found.build()),
            ("404", not_found.build()),
            ("410", plain("The offer is paused or archived").build()),
            (
                "503",
                plain("The offer cannot be looked up right now").build(),
            ),
        ]
        .into_iter()
        .map(|(status, answer)| (status.to_owned(), answer.into()))
        .collect()
    }
}

async fn redirect(state: &AppState, request: &HttpRequest, followed: Followed<'_>) -> HttpResponse {
    let params = QueryParams::from_request(request).ok();
    let sub = |name: &str| params.as_ref().and_then(|params| params.get(name));
    let visit = Visit {
        followed,
        is_head: request.method() == Method::HEAD,
        user_agent: header_text(request, header::USER_AGENT),
        referer: header_text(request, header::REFERER),
        ip: client_ip(request, state.trust_proxy),
        subs: [
            sub("sub1"),
            sub("sub2"),
            sub("sub3"),
            sub("sub4"),
            sub("sub5"),
        ],
    };
    match state.tracker.follow(&visit).await {
        Ok(Redirect { location }) => HttpResponse::Found()
            .insert_header((header::LOCATION, location))
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .finish(),
        Err(TrackingError::UnknownLink) => unknown_link(),
        Err(TrackingError::Gone) => plain(StatusCode::GONE, "This offer is no longer available.\n"),
        Err(error) => {
            let path = match followed {
                Followed::Offer(code) => code,
                Followed::Link(link_id) => link_id.as_str(),
            };
            log::warn!("redirect for /{path} failed: {error}");
            plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "Tracking is temporarily unavailable; try again shortly.\n",
            )
        }
    }
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
