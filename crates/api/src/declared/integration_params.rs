//! The parameters of the integration operations (SPEC §10).

use trackly_domain::integration::SyncKind;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::IntoParams;

use super::params::{parameter, query};
use crate::requests::schema::one_of;

/// `{id}` of a connection.
pub struct IntegrationIdPath;

impl IntoParams for IntegrationIdPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![parameter(
            "id",
            ParameterIn::Path,
            true,
            ObjectBuilder::new()
                .schema_type(Type::String)
                .examples(["664f1a2b3c4d5e6f7a8b9c0d"]),
            "The connection's id (24 lowercase hex characters); anything else is 404.",
        )]
    }
}

/// `kind` of `POST /api/v2/integrations/{id}/sync`.
pub struct SyncKindQuery;

impl IntoParams for SyncKindQuery {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let kinds = std::iter::once("").chain(SyncKind::ALL.iter().map(|kind| kind.as_str()));
        vec![query(
            "kind",
            one_of(kinds),
            "Sync only `offers` or only `conversions`; absent or empty: every kind the connection syncs.",
        )]
    }
}
