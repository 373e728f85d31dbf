//! Query parameters of the dashboard's pages (filters, ranges, paging): empty values
//! mean "not given", as a form sends them.

use std::collections::HashMap;

use actix_web::web;

/// A page's query parameters.
pub(crate) type Query = web::Query<HashMap<String, String>>;

/// The value of `name`, when given and not empty.
pub(crate) fn param<'a>(query: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    query
        .get(name)
        .map(String::as_str)
        .filter(|value| !value.is_empty())
}

/// The query string of `pairs` whose values are not empty, for links that keep a
/// page's filters.
pub(crate) fn encode(pairs: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .copied()
        .filter(|(_, value)| !value.is_empty())
        .collect();
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(kept)
        .finish()
}
