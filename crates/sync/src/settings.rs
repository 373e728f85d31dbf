//! What a connection to a platform is made of (SPEC §10.1): where it is, the key, and
//! the few choices that change how links and conversions are read.

use std::fmt;

use chrono_tz::Tz;
pub use trackly_domain::integration::MessageIdField;

/// A platform API key. Its `Debug` hides it and nothing outside this crate can read it
/// back, so logging the settings or an error cannot leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps the key exactly as the platform issued it.
    pub fn new(key: impl Into<String>) -> Self {
        Self(key.into())
    }

    /// The key itself, for the one place that sends it and the one that redacts it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<hidden>)")
    }
}

/// One account's connection to TUNE or Everflow.
#[derive(Debug, Clone)]
pub struct ConnectionSettings {
    /// The API endpoint. TUNE: the `…/Apiv3/json` URL (a URL with no path gets
    /// `/Apiv3/json`); when absent, `https://{network_id}.api.hasoffers.com/Apiv3/json`.
    /// Everflow: the API root; when absent, `https://api.eflow.team`.
    pub base_url: Option<String>,
    /// The platform key: TUNE's NetworkToken or affiliate `api_key`, Everflow's network key.
    pub api_key: ApiKey,
    /// TUNE's network id, used for the default endpoint.
    pub network_id: Option<String>,
    /// Our affiliate id on the platform. TUNE: when set, the network API is used and
    /// links are generated for this affiliate; when absent, the affiliate API. Everflow:
    /// required to generate tracking links.
    pub affiliate_id: Option<String>,
    /// TUNE's click parameter for our click id (default `aff_sub`).
    pub message_id_field: MessageIdField,
    /// The zone TUNE's `Stat.datetime` is written in (default UTC).
    pub timezone: Tz,
}

impl ConnectionSettings {
    /// Settings with only a key: no URL, ids unset, `aff_sub`, UTC.
    pub fn new(api_key: ApiKey) -> Self {
        Self {
            base_url: None,
            api_key,
            network_id: None,
            affiliate_id: None,
            message_id_field: MessageIdField::default(),
            timezone: Tz::UTC,
        }
    }
}

/// A configured text, or `None` when it is absent or blank.
pub(crate) fn non_blank(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_key() {
        let settings = ConnectionSettings::new(ApiKey::new("secret-key-1234"));
        let shown = format!("{settings:?}");
        assert!(!shown.contains("secret-key-1234"), "{shown}");
        assert!(shown.contains("ApiKey(<hidden>)"), "{shown}");
    }
}
