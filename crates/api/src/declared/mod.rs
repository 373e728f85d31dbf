//! What handlers declare about themselves for the API document (SPEC §13): the error
//! answers each can give and the parameters each reads. The handlers use these pieces;
//! `crate::openapi` assembles the document from the handlers.

pub mod errors;
pub mod integration_params;
pub mod link_params;
pub mod params;
