//! What a fake received, for tests to assert on. The key's value is never kept: only
//! which parameter or header carried it and whether it was the right one.

use serde_json::Value;

/// One request as the fake saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// `GET`, `POST`…
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query parameters in order, decoded, without the key parameters.
    pub query: Vec<(String, String)>,
    /// The parameter or header that carried a key (`NetworkToken`, `api_key`,
    /// `x-eflow-api-key`), never its value.
    pub key_name: Option<String>,
    /// Whether the key was the one the fake accepts.
    pub key_accepted: bool,
    /// The body, when it was JSON.
    pub body: Option<Value>,
}

impl RecordedRequest {
    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params(name).into_iter().next()
    }

    /// Every value of a query parameter, in order (`fields[]` repeats).
    pub fn params(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}
