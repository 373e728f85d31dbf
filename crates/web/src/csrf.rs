//! Anti-forgery tokens. A signed-in form carries its session's token; the sign-in form,
//! before there is a session, carries a token that also sits in a cookie of its own
//! (a page on another site can set neither).

use actix_web::cookie::Cookie;
use rand::distributions::Alphanumeric;
use rand::Rng;
use subtle::ConstantTimeEq;

use crate::error::WebError;
use crate::session::dashboard_cookie;

/// The sign-in form's cookie.
pub(crate) const SIGN_IN_COOKIE: &str = "trackly_sign_in";
/// The hidden field every form carries.
pub(crate) const FIELD: &str = "csrf_token";

/// Refuses a form whose token is not `expected`.
pub(crate) fn check(expected: &str, sent: &str) -> Result<(), WebError> {
    if !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(sent.as_bytes())) {
        Ok(())
    } else {
        Err(WebError::Forgery)
    }
}

/// A new token for the sign-in form.
pub(crate) fn new_sign_in_token() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(43)
        .map(char::from)
        .collect()
}

/// The cookie holding the sign-in form's token.
pub(crate) fn sign_in_cookie(token: &str, secure: bool) -> Cookie<'static> {
    dashboard_cookie(SIGN_IN_COOKIE, token.to_owned(), secure)
}
