//! One TUNE call and a paged TUNE list: the key and `Target`/`Method` in the query, the
//! envelope opened, errors made safe.

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::envelope::{error_message, open, reports_rate_limit, Opened};
use super::page::read_page;
use super::TuneClient;
use crate::error::PlatformError;
use crate::http::outcome::require_success;
use crate::http::redact::safe_text;
use crate::wire::MAX_PAGES;

impl TuneClient {
    /// `Target::Method` with `params`: `response.data` on success, [`PlatformError::Refused`]
    /// with TUNE's text for an error envelope.
    pub(super) async fn call(
        &self,
        target: &str,
        method: &str,
        params: &[(&str, String)],
    ) -> Result<Option<Box<RawValue>>, PlatformError> {
        match self.open_call(target, method, params).await? {
            Opened::Success(data) => Ok(data),
            Opened::Failure(message) => Err(PlatformError::Refused(message)),
        }
    }

    /// `Target::Method` with `params`, up to the opened envelope (its error text already
    /// made safe); transport, HTTP and unreadable answers are errors.
    pub(super) async fn open_call(
        &self,
        target: &str,
        method: &str,
        params: &[(&str, String)],
    ) -> Result<Opened, PlatformError> {
        let operation = format!("{target}::{method}");
        let key = self.http.key();
        let mut query: Vec<(&str, &str)> = vec![
            (self.api.key_parameter(), key.expose()),
            ("Target", target),
            ("Method", method),
        ];
        query.extend(params.iter().map(|(name, value)| (*name, value.as_str())));
        let answer = self
            .http
            .send(
                &operation,
                |client| client.get(self.endpoint.clone()).query(&query),
                |answer| answer.status.is_success() && reports_rate_limit(&answer.body),
            )
            .await?;
        require_success(&answer, error_message, key)?;
        match open(&answer.body) {
            Ok(Opened::Failure(message)) => Ok(Opened::Failure(safe_text(&message, key))),
            Ok(success) => Ok(success),
            Err(detail) => Err(PlatformError::BadResponse(safe_text(
                &format!("{operation}: {detail}"),
                key,
            ))),
        }
    }

    /// Every row of a paged list: pages 1, 2, … of `page_size` rows until
    /// `page >= pageCount`.
    pub(super) async fn pages<T: DeserializeOwned>(
        &self,
        target: &str,
        method: &str,
        params: &[(&str, String)],
        page_size: u32,
    ) -> Result<Vec<T>, PlatformError> {
        let mut rows = Vec::new();
        for page in 1..=MAX_PAGES {
            let mut query = params.to_vec();
            query.push(("limit", page_size.to_string()));
            query.push(("page", page.to_string()));
            let data = self.call(target, method, &query).await?;
            let read = read_page::<T>(data.as_deref()).map_err(|detail| {
                PlatformError::BadResponse(safe_text(
                    &format!("{target}::{method} page {page}: {detail}"),
                    self.http.key(),
                ))
            })?;
            rows.extend(read.rows);
            if page >= read.page_count {
                return Ok(rows);
            }
        }
        Err(PlatformError::BadResponse(format!(
            "{target}::{method} has more than {MAX_PAGES} pages"
        )))
    }
}
