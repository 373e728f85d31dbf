//! Query-string access for handlers.

use actix_web::HttpRequest;
use trackly_domain::InputError;

/// The decoded query parameters of a request, in order.
pub struct QueryParams(Vec<(String, String)>);

impl QueryParams {
    /// Decodes the request's query string; a malformed one is `400 invalid_query`.
    pub fn from_request(request: &HttpRequest) -> Result<Self, InputError> {
        serde_urlencoded::from_str(request.query_string())
            .map(Self)
            .map_err(|_| InputError::InvalidQuery {
                field: "query string",
                reason: "is not valid URL encoding",
            })
    }

    /// The first value of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}
