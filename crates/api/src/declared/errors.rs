//! Error answers in the document: for each status an operation can refuse with, the SPEC
//! codes its body can carry (SPEC §1.3). The codes are read from the values that answer
//! them (`InputError`, `ApiError`, `Unattributed`, `LinkRefused`), so the document cannot spell one
//! differently from the server. Routes declare their sets with `error_answers!`.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{ContentBuilder, Ref, Response, ResponseBuilder};

use crate::error::ApiError;
use trackly_domain::link::LinkRefused;
use trackly_domain::revenue::Unattributed;
use trackly_domain::InputError;

/// A code an error body can carry, and the body field it names (if any).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Coded {
    /// The SPEC code.
    pub code: &'static str,
    /// The `field` of the body.
    pub field: Option<&'static str>,
}

impl From<InputError> for Coded {
    fn from(error: InputError) -> Self {
        Self {
            code: error.code(),
            field: error.field(),
        }
    }
}

impl From<ApiError> for Coded {
    fn from(error: ApiError) -> Self {
        Self {
            code: error.code(),
            field: None,
        }
    }
}

impl From<LinkRefused> for Coded {
    fn from(refused: LinkRefused) -> Self {
        Self {
            code: refused.code(),
            field: None,
        }
    }
}

impl From<Unattributed> for Coded {
    fn from(error: Unattributed) -> Self {
        Self {
            code: error.code(),
            field: None,
        }
    }
}

/// The answer for `status` whose body is an `ErrorBody` with one of `codes` (and, for
/// field errors, one of their fields). A 503 also carries `Retry-After: 1`.
pub fn error_answer(status: u16, codes: &[Coded]) -> Response {
    let mut names: Vec<&'static str> = codes.iter().map(|coded| coded.code).collect();
    names.dedup();
    let mut fields: Vec<&'static str> = codes.iter().filter_map(|coded| coded.field).collect();
    fields.sort_unstable();
    fields.dedup();
    let mut narrowed = ObjectBuilder::new().property(
        "code",
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(names.iter().copied())),
    );
    if !fields.is_empty() {
        narrowed = narrowed.property(
            "field",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(fields.iter().copied())),
        );
    }
    let schema = Schema::AllOf(
        AllOfBuilder::new()
            .item(Ref::from_schema_name("ErrorBody"))
            .item(narrowed)
            .build(),
    );
    let mut answer = ResponseBuilder::new()
        .description(format!("{}: {}", meaning(status), names.join(", ")))
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(schema)).build(),
        );
    if status == 503 {
        answer = answer.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(["1"])),
                )
                .description(Some("Seconds to wait before retrying"))
                .build(),
        );
    }
    answer.build()
}

/// What a status means here, for the answer's description.
fn meaning(status: u16) -> &'static str {
    match status {
        400 => "The request breaks a rule",
        401 => "No valid credential",
        404 => "Not found (or another account's)",
        409 => "Conflict",
        413 => "Too large",
        415 => "Not JSON",
        500 => "Unexpected; logged with the request id",
        503 => "The database is unavailable; retry",
        _ => "Refused",
    }
}

/// Declares a unit type whose `utoipa::IntoResponses` lists an operation's error answers:
/// for each status, the values whose codes its body can carry, written
/// `Name { 404 => [ApiError::not_found()], … }` after the type's doc comment.
#[macro_export]
macro_rules! error_answers {
    ($(#[$meta:meta])* $name:ident { $($status:literal => [$($code:expr),+ $(,)?]),+ $(,)? }) => {
        $(#[$meta])*
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> std::collections::BTreeMap<
                String,
                utoipa::openapi::RefOr<utoipa::openapi::Response>,
            > {
                [$((
                    $status,
                    $crate::declared::errors::error_answer(
                        $status,
                        &[$($crate::declared::errors::Coded::from($code)),+],
                    ),
                )),+]
                .into_iter()
                .map(|(status, answer)| (status.to_string(), answer.into()))
                .collect()
            }
        }
    };
}

error_answers! {
    /// What every operation behind the API key can answer: no or a bad key, the database
    /// away, or the unexpected.
    ApiKeyErrors {
        401 => [ApiError::api_key_required(), ApiError::invalid_api_key()],
        500 => [ApiError::server_error("")],
        503 => [ApiError::unavailable("")],
    }
}
