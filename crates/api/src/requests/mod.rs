//! Request bodies at the edge: each type reads its JSON leniently (a field of the wrong
//! type is kept for its rule to report the SPEC's code) and documents itself in the API
//! document with the domain's own limits; it becomes domain input by `TryFrom`.

pub mod integrations;
pub mod links;
pub mod offers;
pub mod revenue;
pub mod schema;
