//! The parameters of the link operations (SPEC §9.4, §9.5).

use trackly_domain::link::{LINK_ID_LENGTH, LINK_MESSAGE_ID_MAX_CHARS, LIST_ID_MAX_CHARS};
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::IntoParams;

use super::params::{parameter, query};
use crate::requests::schema::storable;

/// The pattern of a link id: 7 letters or digits.
pub fn link_id_pattern() -> String {
    format!("^[A-Za-z0-9]{{{LINK_ID_LENGTH}}}$")
}

/// `{linkId}` of `GET /{linkId}` and `GET /api/v2/links/{linkId}`.
pub struct LinkIdPath;

impl IntoParams for LinkIdPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![parameter(
            "linkId",
            ParameterIn::Path,
            true,
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(link_id_pattern()))
                .examples(["Ab3kX9q"]),
            "The link's id: 7 letters or digits.",
        )]
    }
}

/// The filters of `GET /api/v2/links` besides the days (SPEC §9.5).
pub struct LinkListQuery;

impl IntoParams for LinkListQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            query(
                "offer_id",
                storable(LIST_ID_MAX_CHARS),
                "Only links of this offer (its id, a slug or its code); one naming no offer of the account matches none; empty: every link.",
            ),
            query(
                "message_id",
                storable(LINK_MESSAGE_ID_MAX_CHARS),
                "Only links with exactly this message id; empty: every link.",
            ),
            query(
                "list_id",
                storable(LIST_ID_MAX_CHARS),
                "Only links with exactly this list id; empty: every link.",
            ),
        ]
    }
}
