//! The one error type at the HTTP edge: every failure becomes the SPEC §1.3 body
//! `{"error", "code"[, "field"]}`. Causes of 5xx answers go to the log, never to clients.

use std::fmt;

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use trackly_app::AppError;
use trackly_domain::link::LinkRefused;
use trackly_domain::revenue::Unattributed;
use trackly_domain::InputError;

/// An error answer of the API.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<&'static str>,
    cause: Option<String>,
}

/// The body of every error (SPEC §1.3).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody<'a> {
    /// A sentence for people.
    error: &'a str,
    /// The SPEC's machine code.
    code: &'a str,
    /// The body field concerned, on validation errors about one field.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

impl ApiError {
    /// An error with a status, SPEC code and sentence.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field: None,
            cause: None,
        }
    }

    /// `404 not_found`: no such resource, another account's resource, or no such route.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "Not found.")
    }

    /// `401 unauthorized` for a request without `X-Api-Key`. The text is the SPEC's own
    /// (§1.2), kept word for word for clients of Trackly SMS.
    pub fn api_key_required() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "API key required")
    }

    /// `401 unauthorized` for a malformed, unknown or revoked key; the SPEC's own text.
    pub fn invalid_api_key() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", "Invalid API key")
    }

    /// `400 invalid_json`.
    pub fn invalid_json(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_json", message)
    }

    /// `405 method_not_allowed`.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "This method is not allowed on this path.",
        )
    }

    /// `413 payload_too_large`.
    pub fn payload_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "The request body is larger than 5 MiB.",
        )
    }

    /// `415 unsupported_media_type`.
    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Content-Type must be application/json.",
        )
    }

    /// `500 server_error`; `cause` is logged, not shown.
    pub fn server_error(cause: impl fmt::Display) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "Something went wrong on our side; it is logged. Try again.",
        )
        .with_cause(cause)
    }

    /// `503 service_unavailable`; `cause` is logged, not shown.
    pub fn unavailable(cause: impl fmt::Display) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "The database is unavailable; retry shortly.",
        )
        .with_cause(cause)
    }

    /// The SPEC code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// What went wrong inside, for the log (5xx only).
    pub fn cause(&self) -> Option<&str> {
        self.cause.as_deref()
    }

    fn with_cause(mut self, cause: impl fmt::Display) -> Self {
        self.cause = Some(cause.to_string());
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )?;
        if let Some(cause) = &self.cause {
            write!(f, " ({cause})")?;
        }
        Ok(())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header((header::RETRY_AFTER, "1"));
        }
        response.json(ErrorBody {
            error: &self.message,
            code: self.code,
            field: self.field,
        })
    }
}

impl From<InputError> for ApiError {
    fn from(error: InputError) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            code: error.code(),
            message: error.to_string(),
            field: error.field(),
            cause: None,
        }
    }
}

impl From<Unattributed> for ApiError {
    fn from(error: Unattributed) -> Self {
        let status = match error {
            Unattributed::ClickNotFound | Unattributed::OfferNotFound => StatusCode::NOT_FOUND,
            Unattributed::AmbiguousOffer => StatusCode::CONFLICT,
            Unattributed::OfferMismatch => StatusCode::BAD_REQUEST,
        };
        Self::new(status, error.code(), error.message())
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Invalid(input) => input.into(),
            AppError::NotFound => Self::not_found(),
            AppError::Unattributed(unattributed) => unattributed.into(),
            AppError::LinkRefused(refused) => {
                let status = match refused {
                    LinkRefused::OfferNotFound => StatusCode::NOT_FOUND,
                    LinkRefused::AmbiguousOffer => StatusCode::CONFLICT,
                };
                Self::new(status, refused.code(), refused.message())
            }
            AppError::IdempotencyConflict => Self::new(
                StatusCode::CONFLICT,
                "idempotency_conflict",
                error.to_string(),
            ),
            AppError::TooManyRecords { .. } => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_many_records",
                error.to_string(),
            ),
            AppError::Unauthenticated => Self::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Invalid postback secret.",
            ),
            AppError::IntegrationExists => Self::new(
                StatusCode::CONFLICT,
                "integration_exists",
                error.to_string(),
            ),
            AppError::PlatformRejectedKey(_) => Self::new(
                StatusCode::BAD_REQUEST,
                "platform_rejected_key",
                error.to_string(),
            ),
            AppError::PlatformUnreachable(_) => Self::new(
                StatusCode::BAD_GATEWAY,
                "platform_unreachable",
                error.to_string(),
            ),
            AppError::SyncRunning => {
                Self::new(StatusCode::CONFLICT, "sync_running", error.to_string())
            }
            AppError::SecretKeyMissing => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "secret_key_missing",
                error.to_string(),
            ),
            AppError::Unavailable(cause) => Self::unavailable(cause),
            AppError::Internal(cause) => Self::server_error(cause),
        }
    }
}
