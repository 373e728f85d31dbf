//! One Everflow call and a paged Everflow list (INTEGRATIONS.md §2.1): the key in the
//! `X-Eflow-API-Key` header, `page`/`page_size` in the query, `paging` in the answer.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

use super::error_body::error_message;
use super::EverflowClient;
use crate::error::PlatformError;
use crate::http::outcome::require_success;
use crate::http::redact::safe_text;
use crate::wire::rows::Rows;
use crate::wire::scalar::Scalar;
use crate::wire::MAX_PAGES;

/// The header that carries the key.
const KEY_HEADER: &str = "X-Eflow-API-Key";

/// One page of a list: the rows under `offers` or `conversions` (`null` is an empty
/// list, a missing list is an error), and `paging`.
#[derive(Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
struct ListPage<T> {
    #[serde(
        default,
        alias = "offers",
        alias = "conversions",
        deserialize_with = "present"
    )]
    rows: Option<Rows<T>>,
    #[serde(default)]
    paging: Option<Paging>,
}

/// A list that is there, even as `null`.
fn present<'de, D, T>(deserializer: D) -> Result<Option<Rows<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Rows::deserialize(deserializer).map(Some)
}

/// A list's `paging`.
#[derive(Default, Deserialize)]
pub(super) struct Paging {
    #[serde(default)]
    page_size: Scalar,
    #[serde(default)]
    total_count: Scalar,
}

/// A request: what it is called in logs, its method, path under the base URL, query and
/// JSON body.
#[derive(Clone)]
pub(super) struct Call<'a> {
    pub(super) operation: &'a str,
    pub(super) method: Method,
    pub(super) path: &'a str,
    pub(super) query: Vec<(&'a str, String)>,
    pub(super) body: Option<Value>,
}

impl EverflowClient {
    /// The body of a successful answer; 401/403 are a rejected key, other 4xx a refusal
    /// with Everflow's message.
    pub(super) async fn call(&self, call: &Call<'_>) -> Result<Vec<u8>, PlatformError> {
        let url = format!("{}{}", self.base_url, call.path);
        let key = self.http.key();
        let answer = self
            .http
            .send(
                call.operation,
                |client| {
                    let request = client
                        .request(call.method.clone(), url.as_str())
                        .header(KEY_HEADER, key.expose())
                        .query(&call.query);
                    match &call.body {
                        Some(body) => request.json(body),
                        None => request,
                    }
                },
                |_| false,
            )
            .await?;
        require_success(&answer, error_message, key)?;
        Ok(answer.body)
    }

    /// Every row of a list: pages 1, 2, … of `page_size` rows until
    /// `page * page_size >= total_count` or a page comes back short.
    pub(super) async fn pages<T: DeserializeOwned>(
        &self,
        call: Call<'_>,
        page_size: u32,
    ) -> Result<Vec<T>, PlatformError> {
        let mut rows = Vec::new();
        for page in 1..=MAX_PAGES {
            let mut paged = call.clone();
            paged.query.push(("page", page.to_string()));
            paged.query.push(("page_size", page_size.to_string()));
            let body = self.call(&paged).await?;
            let (page_rows, paging) = self.read_list::<T>(&call, page, &body)?;
            let served = page_rows.len();
            rows.extend(page_rows);
            let size = number(&paging.page_size)
                .filter(|size| *size > 0)
                .unwrap_or(u64::from(page_size));
            let short = (served as u64) < size;
            let all_read =
                number(&paging.total_count).is_some_and(|total| u64::from(page) * size >= total);
            if short || all_read {
                return Ok(rows);
            }
        }
        Err(PlatformError::BadResponse(format!(
            "{} has more than {MAX_PAGES} pages",
            call.operation
        )))
    }

    /// The rows and paging of one page; its list must be there, under the name
    /// `call.operation` (`offers`, `conversions`).
    pub(super) fn read_list<T: DeserializeOwned>(
        &self,
        call: &Call<'_>,
        page: u32,
        body: &[u8],
    ) -> Result<(Vec<T>, Paging), PlatformError> {
        let unreadable = |detail: String| {
            PlatformError::BadResponse(safe_text(
                &format!("{} page {page} {detail}", call.operation),
                self.http.key(),
            ))
        };
        let read: ListPage<T> = serde_json::from_slice(body)
            .map_err(|error| unreadable(format!("is unreadable ({error})")))?;
        let rows = read
            .rows
            .ok_or_else(|| unreadable(format!("has no {} list", call.operation)))?;
        Ok((rows.0, read.paging.unwrap_or_default()))
    }
}

fn number(value: &Scalar) -> Option<u64> {
    value.text().and_then(|text| text.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_must_be_there_but_may_be_null() {
        let cases = [
            (
                r#"{"offers": [1, 2], "paging": {"total_count": 2}}"#,
                Some(2),
                "offers",
            ),
            (r#"{"conversions": [1]}"#, Some(1), "conversions, no paging"),
            (r#"{"offers": null}"#, Some(0), "null is an empty list"),
            (r#"{"offers": []}"#, Some(0), "an empty list"),
            (r#"{"error": "nope"}"#, None, "no list at all"),
            ("{}", None, "an empty object"),
        ];
        for (json, expected, description) in cases {
            let page: ListPage<u8> =
                serde_json::from_str(json).unwrap_or_else(|error| panic!("{description}: {error}"));
            assert_eq!(
                page.rows.map(|rows| rows.0.len()),
                expected,
                "{description}"
            );
        }
    }
}
