//! The dashboard's one error type: each becomes a page (or, for a visitor who is not
//! signed in, a redirect to the sign-in form). Causes go to the log, never to the page.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use maud::html;
use trackly_app::AppError;

use crate::layout::bare_page;

/// Why a dashboard request was not answered with its page.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WebError {
    /// No live session: sign in first.
    #[error("sign-in needed")]
    SignInNeeded,
    /// The form's anti-forgery token is missing or wrong.
    #[error("the form's anti-forgery token is missing or wrong")]
    Forgery,
    /// No such page, or no such offer in this account.
    #[error("not found")]
    NotFound,
    /// The form could not be read at all.
    #[error("unreadable form: {0}")]
    BadForm(String),
    /// The database is down.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<AppError> for WebError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::NotFound => Self::NotFound,
            AppError::Unavailable(cause) => Self::Unavailable(cause),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::SignInNeeded => StatusCode::SEE_OTHER,
            Self::Forgery => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::BadForm(_) => StatusCode::BAD_REQUEST,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (title, explanation) = match self {
            Self::SignInNeeded => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, "/app/sign-in"))
                    .finish();
            }
            Self::Forgery => (
                "This form has expired",
                "The page you sent it from was too old or came from another site. Go back, reload the page and send it again.",
            ),
            Self::NotFound => (
                "Not found",
                "There is no such page, or it belongs to another account.",
            ),
            Self::BadForm(_) => (
                "That form could not be read",
                "Go back, reload the page and send it again.",
            ),
            Self::Unavailable(cause) => {
                log::warn!("dashboard: database unavailable: {cause}");
                (
                    "The database cannot be reached",
                    "Nothing was changed. Try again in a moment.",
                )
            }
            Self::Internal(cause) => {
                log::error!("dashboard: {cause}");
                (
                    "Something went wrong",
                    "Nothing was changed. Try again; if it keeps happening, the server's log says why.",
                )
            }
        };
        let body = bare_page(
            title,
            html! {
                h1 { (title) }
                p { (explanation) }
                p { a href="/app" { "Back to the overview" } }
            },
        );
        HttpResponse::build(self.status_code())
            .content_type("text/html; charset=utf-8")
            .body(body.into_string())
    }
}
