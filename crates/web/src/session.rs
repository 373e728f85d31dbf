//! Who is signed in: the session cookie, read into `SignedIn` for every page that needs
//! it, and the cookies that open and close a session.

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use trackly_app::sessions;
use trackly_domain::session::SESSION_IDLE;
use trackly_domain::ObjectId;

use crate::error::WebError;
use crate::WebState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "trackly_session";

/// A request from a signed-in browser.
pub(crate) struct SignedIn {
    /// The account it sees.
    pub account: ObjectId,
    /// The token its forms must carry.
    pub csrf_token: String,
    /// The session cookie's value (to end it at sign-out).
    pub token: String,
}

impl FromRequest for SignedIn {
    type Error = WebError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, WebError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = request
            .cookie(SESSION_COOKIE)
            .map(|cookie| cookie.value().to_owned());
        let state = request.app_data::<web::Data<WebState>>().cloned();
        Box::pin(async move {
            let (Some(token), Some(state)) = (token, state) else {
                return Err(WebError::SignInNeeded);
            };
            let session = sessions::resume(&state.app, &token)
                .await?
                .ok_or(WebError::SignInNeeded)?;
            Ok(SignedIn {
                account: session.account_id,
                csrf_token: session.csrf_token,
                token,
            })
        })
    }
}

/// The cookie that carries a new session.
pub(crate) fn session_cookie(token: &str, secure: bool) -> Cookie<'static> {
    let mut cookie = dashboard_cookie(SESSION_COOKIE, token.to_owned(), secure);
    cookie.set_max_age(CookieDuration::seconds(SESSION_IDLE.num_seconds()));
    cookie
}

/// A cookie that makes the browser forget `name`.
pub(crate) fn expired_cookie(name: &'static str, secure: bool) -> Cookie<'static> {
    let mut cookie = dashboard_cookie(name, String::new(), secure);
    cookie.make_removal();
    cookie
}

/// A dashboard cookie: for this site's own requests to `/app` only, out of scripts'
/// reach, `Secure` behind https.
pub(crate) fn dashboard_cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/app")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .finish()
}
