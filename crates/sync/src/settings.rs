//! What a connection to a platform is made of (SPEC §10.1): where it is, the key, and
//! the few choices that change how links and conversions are read.

use std::fmt;

use chrono_tz::Tz;

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

/// The TUNE click parameter that carries our `{click_id}` and whose value comes back on
/// each conversion (SPEC §10.1 `message_id_field`). Everflow always uses `sub1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MessageIdField {
    /// `aff_sub` (the default).
    #[default]
    AffSub,
    /// `aff_sub2`.
    AffSub2,
    /// `aff_sub3`.
    AffSub3,
    /// `aff_sub4`.
    AffSub4,
    /// `aff_sub5`.
    AffSub5,
    /// `affiliate_unique1`.
    AffiliateUnique1,
    /// `affiliate_unique2`.
    AffiliateUnique2,
    /// `affiliate_unique3`.
    AffiliateUnique3,
    /// `affiliate_unique4`.
    AffiliateUnique4,
    /// `affiliate_unique5`.
    AffiliateUnique5,
    /// `source`.
    Source,
}

impl MessageIdField {
    /// Every value, in declaration order.
    pub const ALL: [Self; 11] = [
        Self::AffSub,
        Self::AffSub2,
        Self::AffSub3,
        Self::AffSub4,
        Self::AffSub5,
        Self::AffiliateUnique1,
        Self::AffiliateUnique2,
        Self::AffiliateUnique3,
        Self::AffiliateUnique4,
        Self::AffiliateUnique5,
        Self::Source,
    ];

    /// The wire spelling, e.g. `"aff_sub2"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AffSub => "aff_sub",
            Self::AffSub2 => "aff_sub2",
            Self::AffSub3 => "aff_sub3",
            Self::AffSub4 => "aff_sub4",
            Self::AffSub5 => "aff_sub5",
            Self::AffiliateUnique1 => "affiliate_unique1",
            Self::AffiliateUnique2 => "affiliate_unique2",
            Self::AffiliateUnique3 => "affiliate_unique3",
            Self::AffiliateUnique4 => "affiliate_unique4",
            Self::AffiliateUnique5 => "affiliate_unique5",
            Self::Source => "source",
        }
    }

    /// Reads the wire spelling (exact, case-sensitive, like the other enumerations).
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.as_str() == text)
    }
}

impl fmt::Display for MessageIdField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
    fn message_id_field_reads_and_writes_every_spelling() {
        for field in MessageIdField::ALL {
            assert_eq!(
                MessageIdField::parse(field.as_str()),
                Some(field),
                "{field}"
            );
        }
        let refused = [
            ("AFF_SUB", "upper case"),
            ("aff_sub1", "aff_sub has no 1"),
            ("aff_sub6", "only five aff_subs"),
            ("aff_unique1", "TUNE's link name, not the setting's"),
            ("", "empty"),
        ];
        for (text, description) in refused {
            assert_eq!(MessageIdField::parse(text), None, "{description}");
        }
    }

    #[test]
    fn debug_output_hides_the_key() {
        let settings = ConnectionSettings::new(ApiKey::new("secret-key-1234"));
        let shown = format!("{settings:?}");
        assert!(!shown.contains("secret-key-1234"), "{shown}");
        assert!(shown.contains("ApiKey(<hidden>)"), "{shown}");
    }
}
