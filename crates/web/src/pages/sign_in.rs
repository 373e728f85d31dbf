//! Signing in with an API key, and out.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use trackly_app::sessions;

use super::{html, see_other};
use crate::csrf::{self, SIGN_IN_COOKIE};
use crate::error::WebError;
use crate::form::{csrf_field, summary, FieldErrors};
use crate::layout::bare_page;
use crate::session::{expired_cookie, session_cookie, SignedIn, SESSION_COOKIE};
use crate::WebState;

/// `GET /app/sign-in`: the form, with a fresh anti-forgery token in its cookie.
pub(crate) async fn form(state: web::Data<WebState>) -> HttpResponse {
    let token = csrf::new_sign_in_token();
    let mut response = html(page(&token, &FieldErrors::default()));
    // A freshly built cookie always forms a valid header.
    let _ = response.add_cookie(&csrf::sign_in_cookie(&token, state.secure_cookies));
    response
}

/// `POST /app/sign-in`: opens a session for a live key and goes to the overview.
pub(crate) async fn submit(
    state: web::Data<WebState>,
    request: HttpRequest,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let expected = request
        .cookie(SIGN_IN_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .unwrap_or_default();
    let sent = form.get(csrf::FIELD).map_or("", String::as_str);
    csrf::check(&expected, sent)?;
    let key = form.get("api_key").map_or("", |key| key.trim());
    let Some(opened) = sessions::sign_in(&state.app, key).await? else {
        let errors = FieldErrors::general(
            "That is not a live API key of this service. Check it, or ask for a new one."
                .to_owned(),
        );
        let mut refused = html(page(&expected, &errors));
        *refused.status_mut() = StatusCode::UNAUTHORIZED;
        return Ok(refused);
    };
    let mut response = see_other("/app");
    response
        .add_cookie(&session_cookie(&opened.token, state.secure_cookies))
        .and_then(|()| response.add_cookie(&expired_cookie(SIGN_IN_COOKIE, state.secure_cookies)))
        .map_err(|error| WebError::Internal(error.to_string()))?;
    Ok(response)
}

/// `POST /app/sign-out`: ends the session.
pub(crate) async fn sign_out(
    state: web::Data<WebState>,
    user: SignedIn,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    csrf::check(
        &user.csrf_token,
        form.get(csrf::FIELD).map_or("", String::as_str),
    )?;
    sessions::sign_out(&state.app, &user.token).await?;
    let mut response = see_other("/app/sign-in");
    response
        .add_cookie(&expired_cookie(SESSION_COOKIE, state.secure_cookies))
        .map_err(|error| WebError::Internal(error.to_string()))?;
    Ok(response)
}

/// The sign-in form.
fn page(token: &str, errors: &FieldErrors) -> Markup {
    bare_page(
        "Sign in",
        html! {
            h1 { "Sign in" }
            p { "Use one of your account's API keys (" code { "trk_…" } "). "
                "The key is checked once; the browser then keeps a session for 12 hours of use." }
            (summary(errors, &[]))
            form method="post" action="/app/sign-in" {
                (csrf_field(token))
                div.field {
                    label for="api_key" { "API key" }
                    input #api_key name="api_key" type="password" autocomplete="off" required
                        spellcheck="false" autocapitalize="off";
                }
                button type="submit" { "Sign in" }
            }
        },
    )
}
