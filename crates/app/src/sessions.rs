//! Dashboard sessions (SPEC §11): sign in with an API key, resume on every page, sign
//! out.

use trackly_domain::session::{OpenedSession, Session};
use trackly_store::secrets::digest;
use trackly_store::sessions::{close_session, open_session, resume_session};

use crate::{App, AppError};

/// Opens a session for `api_key`; `None` when it is no live key.
pub async fn sign_in(app: &App, api_key: &str) -> Result<Option<OpenedSession>, AppError> {
    let key_digest = digest(api_key);
    let now = app.now();
    app.run(move |conn| Ok(open_session(conn, &key_digest, now)?))
        .await
}

/// The live session whose cookie value is `token`, marked as used; `None` when it ended
/// (idle for 12 hours, signed out, or its key revoked).
pub async fn resume(app: &App, token: &str) -> Result<Option<Session>, AppError> {
    let token = token.to_owned();
    let now = app.now();
    app.run(move |conn| Ok(resume_session(conn, &token, now)?))
        .await
}

/// Ends the session whose cookie value is `token`.
pub async fn sign_out(app: &App, token: &str) -> Result<(), AppError> {
    let token = token.to_owned();
    app.run(move |conn| Ok(close_session(conn, &token)?)).await
}
