//! The enumerations and text fields of an offer (SPEC §2), each readable only through
//! its checked constructor.

use url::Url;

use crate::text::is_storable;

/// The longest offer name, in Unicode scalar values.
pub const NAME_MAX_CHARS: usize = 255;
/// The longest tracking URL, in characters.
pub const TRACKING_URL_MAX_CHARS: usize = 2048;
/// The longest `external_id` / `advertiser_id`, in characters.
pub const EXTERNAL_REF_MAX_CHARS: usize = 255;

wire_enum! {
    /// The affiliate platform an offer comes from.
    ExternalPlatform { /// TUNE (HasOffers).
    Tune = "tune", /// Everflow.
    Everflow = "everflow" }
}

wire_enum! {
    /// How an offer pays: per action (conversion) or per click.
    PayoutType { /// Cost per action: revenue comes from conversions.
    Cpa = "cpa", /// Cost per click: every counted click also earns the payout.
    Cpc = "cpc" }
}

wire_enum! {
    /// Where an offer is in its life. Only active offers redirect.
    OfferStatus { /// Redirects and counts clicks.
    Active = "active", /// Kept, but its link answers 410.
    Paused = "paused", /// Soft-deleted: hidden from default lists, restorable by update.
    Archived = "archived" }
}

/// An offer name: trimmed, 1–255 Unicode scalar values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferName(String);

impl OfferName {
    /// Trims and checks a name. The caller turns the problem into the SPEC code, which
    /// differs between create and update.
    pub fn parse(text: &str) -> Result<Self, NameProblem> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            Err(NameProblem::Empty)
        } else if !is_storable(trimmed) {
            Err(NameProblem::Unstorable)
        } else if trimmed.chars().count() > NAME_MAX_CHARS {
            Err(NameProblem::TooLong)
        } else {
            Ok(Self(trimmed.to_owned()))
        }
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameProblem {
    /// Nothing left after trimming.
    Empty,
    /// Over 255 characters.
    TooLong,
    /// Contains a NUL character.
    Unstorable,
}

/// An absolute `http`/`https` URL with a host, at most 2048 characters, kept exactly as
/// given (after trimming surrounding white space) so its macros survive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingUrl(String);

impl TrackingUrl {
    /// Checks a tracking URL; `None` when it breaks a rule.
    pub fn parse(text: &str) -> Option<Self> {
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed.chars().count() > TRACKING_URL_MAX_CHARS {
            return None;
        }
        let authority = ["http://", "https://"].iter().find_map(|prefix| {
            let head = trimmed.get(..prefix.len())?;
            head.eq_ignore_ascii_case(prefix)
                .then(|| &trimmed[prefix.len()..])
        });
        // The URL parser would read `https:///x` as host `x`; an empty authority is refused.
        let authority_present =
            authority.is_some_and(|rest| !rest.starts_with('/') && !rest.starts_with('\\'));
        if !authority_present || trimmed.chars().any(char::is_control) {
            return None;
        }
        let parsed = Url::parse(trimmed).ok()?;
        let host_ok = parsed.host_str().is_some_and(|host| !host.is_empty());
        let scheme_ok = matches!(parsed.scheme(), "http" | "https");
        (host_ok && scheme_ok).then(|| Self(trimmed.to_owned()))
    }

    /// The URL as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerations_read_their_exact_wire_spelling() {
        assert_eq!(
            ExternalPlatform::parse("tune"),
            Some(ExternalPlatform::Tune)
        );
        assert_eq!(ExternalPlatform::parse("TUNE"), None);
        assert_eq!(PayoutType::parse("cpc"), Some(PayoutType::Cpc));
        assert_eq!(OfferStatus::parse("archived"), Some(OfferStatus::Archived));
        for status in OfferStatus::ALL {
            assert_eq!(OfferStatus::parse(status.as_str()), Some(*status));
        }
    }

    #[test]
    fn name_is_trimmed_and_counted_in_characters() {
        assert_eq!(
            OfferName::parse("  Summer  ").map(|n| n.0),
            Ok("Summer".to_owned())
        );
        assert_eq!(OfferName::parse("   "), Err(NameProblem::Empty));
        assert!(
            OfferName::parse(&"é".repeat(255)).is_ok(),
            "255 two-byte characters fit"
        );
        assert_eq!(
            OfferName::parse(&"é".repeat(256)),
            Err(NameProblem::TooLong)
        );
    }

    #[test]
    fn tracking_url_rules() {
        let long = format!("https://example.com/{}", "a".repeat(2048 - 20));
        let too_long = format!("{long}a");
        let cases = [
            (
                "https://example.com/path?x={click_id}",
                true,
                "https with a macro",
            ),
            ("http://example.com", true, "http, no path"),
            ("HTTPS://EXAMPLE.COM/", true, "scheme in upper case"),
            (
                "https://trk.example.com/c?a=1&s1={{sub1}}",
                true,
                "double-brace macro",
            ),
            (long.as_str(), true, "exactly 2048 characters"),
            (too_long.as_str(), false, "2049 characters"),
            ("ftp://example.com", false, "not http(s)"),
            ("javascript:alert(1)", false, "javascript scheme"),
            ("example.com/path", false, "relative"),
            ("https://", false, "no host"),
            ("https:///path", false, "empty host"),
            ("http://exa mple.com", false, "space in the host"),
            ("https://example.com/\nx", false, "control character"),
            ("//example.com", false, "scheme-relative"),
        ];
        for (url, ok, description) in cases {
            assert_eq!(
                TrackingUrl::parse(url).is_some(),
                ok,
                "{description}: {url:?}"
            );
        }
    }
}
