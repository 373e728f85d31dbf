//! One HTTP exchange with a platform, with the patience of [`ClientOptions`]: a timeout
//! per request, retries with a doubling backoff for connection failures and 5xx, waits
//! for rate limits (`Retry-After`, or the configured wait), and a minimum gap between
//! requests. Redirects are not followed, so neither the key in a TUNE query nor
//! Everflow's key header can travel to another host. Request URLs are never logged and
//! transport errors lose their URL before they are shown.

pub(crate) mod outcome;
pub(crate) mod redact;
mod retry_after;

use std::time::Duration;

use chrono::Utc;
use reqwest::header::RETRY_AFTER;
use reqwest::{Client, RequestBuilder, StatusCode};
use tokio::sync::Mutex;
use tokio::time::Instant;

use self::redact::safe_text;
use self::retry_after::parse_retry_after;
use crate::error::PlatformError;
use crate::options::ClientOptions;
use crate::settings::ApiKey;

/// The longest pause between two tries after a failure.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// A complete answer: status, the wait a `Retry-After` header asked for, and the body.
#[derive(Debug)]
pub(crate) struct Answer {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// The wait `Retry-After` asked for, when it was present and readable.
    pub(crate) retry_after: Option<Duration>,
    /// The body, whole.
    pub(crate) body: Vec<u8>,
}

/// A client for one platform connection.
pub(crate) struct Http {
    client: Client,
    options: ClientOptions,
    key: ApiKey,
    platform: &'static str,
    last_request: Mutex<Option<Instant>>,
}

/// Why a try did not produce an answer.
enum Failure {
    /// The request ran out of time.
    Timeout,
    /// Connecting, sending or reading failed; the text is safe to show.
    Transport(String),
}

/// Why another try is due.
enum Retry {
    /// A rate limit: HTTP 429, or a platform's rate-limit message in a 2xx body.
    RateLimit { retry_after: Option<Duration> },
    /// A connection failure or a server error, described.
    Backoff(String),
}

impl Http {
    /// A client named `platform` in logs, sending `key`. The key must be printable ASCII:
    /// it travels in a query string or a header.
    pub(crate) fn new(
        platform: &'static str,
        key: ApiKey,
        options: ClientOptions,
    ) -> Result<Self, PlatformError> {
        let text = key.expose();
        if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_graphic()) {
            return Err(PlatformError::Setup(
                "the API key must be printable ASCII without spaces".to_owned(),
            ));
        }
        let client = Client::builder()
            .timeout(options.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|error| PlatformError::Setup(describe(error, &key)))?;
        Ok(Self {
            client,
            options,
            key,
            platform,
            last_request: Mutex::new(None),
        })
    }

    /// The key, for the request builders and for redaction.
    pub(crate) fn key(&self) -> &ApiKey {
        &self.key
    }

    /// The options this client was built with.
    pub(crate) fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// Sends the request `build` makes (again for each try) until an answer is final:
    /// anything but a connection failure, a 5xx or a rate limit. `rate_limit_in_body`
    /// recognises a rate limit a platform reports in a 2xx body. `operation` names the
    /// call in logs and must not contain the URL.
    pub(crate) async fn send(
        &self,
        operation: &str,
        build: impl Fn(&Client) -> RequestBuilder,
        rate_limit_in_body: impl Fn(&Answer) -> bool,
    ) -> Result<Answer, PlatformError> {
        let attempts = self.options.attempts.max(1);
        let mut attempt = 1;
        loop {
            self.throttle().await;
            log::debug!("{} {operation}: try {attempt} of {attempts}", self.platform);
            let retry = match self.try_once(&build).await {
                Err(Failure::Timeout) => {
                    return Err(PlatformError::Unreachable(format!(
                        "no answer within {}",
                        show_duration(self.options.timeout)
                    )))
                }
                Err(Failure::Transport(reason)) => Retry::Backoff(reason),
                Ok(answer) if answer.status == StatusCode::TOO_MANY_REQUESTS => Retry::RateLimit {
                    retry_after: answer.retry_after,
                },
                Ok(answer) if answer.status.is_server_error() => {
                    Retry::Backoff(format!("HTTP {}", answer.status.as_u16()))
                }
                Ok(answer) if rate_limit_in_body(&answer) => Retry::RateLimit {
                    retry_after: answer.retry_after,
                },
                Ok(answer) => return Ok(answer),
            };
            let wait = self.wait_before_retry(&retry, attempt)?;
            if attempt >= attempts {
                return Err(match retry {
                    Retry::RateLimit { .. } => PlatformError::RateLimited(format!(
                        "still rate-limited after {attempts} attempts"
                    )),
                    Retry::Backoff(reason) => {
                        PlatformError::Unreachable(format!("{reason} (after {attempts} attempts)"))
                    }
                });
            }
            let cause = match &retry {
                Retry::RateLimit { .. } => "rate-limited".to_owned(),
                Retry::Backoff(reason) => reason.clone(),
            };
            log::warn!(
                "{} {operation}: {cause}; trying again in {} (try {} of {attempts})",
                self.platform,
                show_duration(wait),
                attempt + 1
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// The pause before the next try, or the error when a platform asks for a longer
    /// wait than allowed.
    fn wait_before_retry(&self, retry: &Retry, attempt: u32) -> Result<Duration, PlatformError> {
        match retry {
            Retry::RateLimit {
                retry_after: Some(wait),
            } if *wait > self.options.max_retry_after => Err(PlatformError::RateLimited(format!(
                "it asked to wait {}, longer than the {} allowed",
                show_duration(*wait),
                show_duration(self.options.max_retry_after)
            ))),
            Retry::RateLimit { retry_after } => {
                Ok(retry_after.unwrap_or(self.options.rate_limit_wait))
            }
            Retry::Backoff(_) => {
                let factor = 2_u32.saturating_pow(attempt.saturating_sub(1));
                Ok(self.options.backoff.saturating_mul(factor).min(MAX_BACKOFF))
            }
        }
    }

    /// One try: the whole answer, or why there is none.
    async fn try_once(
        &self,
        build: &impl Fn(&Client) -> RequestBuilder,
    ) -> Result<Answer, Failure> {
        let response = build(&self.client)
            .send()
            .await
            .map_err(|error| self.failure(error))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| parse_retry_after(value, Utc::now()));
        let body = response
            .bytes()
            .await
            .map_err(|error| self.failure(error))?
            .to_vec();
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }

    fn failure(&self, error: reqwest::Error) -> Failure {
        if error.is_timeout() {
            Failure::Timeout
        } else {
            Failure::Transport(describe(error, &self.key))
        }
    }

    /// Waits until the minimum gap since the previous request has passed.
    async fn throttle(&self) {
        let interval = self.options.min_request_interval;
        if interval.is_zero() {
            return;
        }
        let mut last = self.last_request.lock().await;
        if let Some(previous) = *last {
            tokio::time::sleep_until(previous + interval).await;
        }
        *last = Some(Instant::now());
    }
}

/// A transport error and its causes, without the URL and without the key.
fn describe(error: reqwest::Error, key: &ApiKey) -> String {
    let error = error.without_url();
    let mut parts = vec![error.to_string()];
    let mut cause = std::error::Error::source(&error);
    while let Some(inner) = cause {
        let text = inner.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        cause = inner.source();
    }
    safe_text(&parts.join(": "), key)
}

/// `30 s` for whole seconds, `250 ms` otherwise.
fn show_duration(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{} ms", duration.as_millis())
    }
}
