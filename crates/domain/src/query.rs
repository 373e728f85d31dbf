//! Query strings: pagination (SPEC §1.6) and the offer list filters (SPEC §3.2).

use chrono::NaiveDate;

use crate::error::InputError;
use crate::offer::{ExternalPlatform, OfferStatus, EXTERNAL_REF_MAX_CHARS};
use crate::text::is_storable;

/// The page size used when none is asked for.
pub const DEFAULT_PER_PAGE: u32 = 50;
/// The largest page served; larger requests are served this many.
pub const MAX_PER_PAGE: u32 = 100;
/// The longest name search accepted.
pub const MAX_SEARCH_CHARS: usize = 255;

/// A page of a list: 1-based page number and the page size actually used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Page {
    /// The 1-based page number.
    pub page: u32,
    /// The page size, at most 100.
    pub per_page: u32,
}

impl Page {
    /// Reads `page` and `per_page` (absent → 1 and 50; above 100 → 100).
    pub fn parse(page: Option<&str>, per_page: Option<&str>) -> Result<Self, InputError> {
        let page = page
            .map(|text| positive(text, "page"))
            .transpose()?
            .unwrap_or(1);
        let per_page = per_page
            .map(|text| positive(text, "per_page"))
            .transpose()?
            .unwrap_or(DEFAULT_PER_PAGE)
            .min(MAX_PER_PAGE);
        Ok(Self { page, per_page })
    }

    /// The number of rows before this page.
    pub fn offset(self) -> i64 {
        (i64::from(self.page) - 1) * i64::from(self.per_page)
    }

    /// The pagination block of a response for `total` rows.
    pub fn summary(self, total: u64) -> Pagination {
        Pagination {
            page: self.page,
            per_page: self.per_page,
            total,
            total_pages: total.div_ceil(u64::from(self.per_page)),
        }
    }
}

/// The `pagination` object of a list response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Pagination {
    /// The page served.
    pub page: u32,
    /// The page size used.
    pub per_page: u32,
    /// Rows matching, across all pages.
    pub total: u64,
    /// `ceil(total / per_page)`.
    pub total_pages: u64,
}

/// A whole number ≥ 1; values too large for `u32` are still whole numbers, served as
/// the largest page (an empty page past the end) rather than refused.
fn positive(text: &str, field: &'static str) -> Result<u32, InputError> {
    let invalid = InputError::InvalidPagination(field);
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid);
    }
    match text.parse::<u64>() {
        Ok(0) => Err(invalid),
        Ok(value) => Ok(u32::try_from(value).unwrap_or(u32::MAX)),
        Err(_) if text.trim_start_matches('0').is_empty() => Err(invalid),
        Err(_) => Ok(u32::MAX),
    }
}

/// Which offers a list shows (SPEC §3.2).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct OfferFilter {
    /// Only this status; `None` means every status but `archived`.
    pub status: Option<OfferStatus>,
    /// Case-insensitive substring of the name.
    pub name_contains: Option<String>,
    /// Exact platform.
    pub external_platform: Option<ExternalPlatform>,
    /// Exact platform id.
    pub external_id: Option<String>,
    /// Exact advertiser id.
    pub advertiser_id: Option<String>,
}

impl OfferFilter {
    /// Reads the filters from query parameters, looked up by `param`.
    pub fn parse<'a>(param: impl Fn(&str) -> Option<&'a str>) -> Result<Self, InputError> {
        let status = param("status")
            .map(|text| {
                OfferStatus::parse(text).ok_or(InputError::InvalidStatus {
                    allowed: "active, paused, archived",
                })
            })
            .transpose()?;
        let name_contains = param("q")
            .map(|text| {
                if text.chars().count() > MAX_SEARCH_CHARS || !is_storable(text) {
                    Err(InputError::InvalidQuery {
                        field: "q",
                        reason: "must be at most 255 characters, without NUL characters",
                    })
                } else {
                    Ok(text.to_owned())
                }
            })
            .transpose()?
            .filter(|text| !text.is_empty());
        let external_platform = param("external_platform")
            .map(|text| ExternalPlatform::parse(text).ok_or(InputError::InvalidExternalPlatform))
            .transpose()?;
        let exact = |name: &str, error: InputError| {
            param(name)
                .map(|text| {
                    if text.chars().count() > EXTERNAL_REF_MAX_CHARS || !is_storable(text) {
                        Err(error.clone())
                    } else {
                        Ok(text.to_owned())
                    }
                })
                .transpose()
        };
        Ok(Self {
            status,
            name_contains,
            external_platform,
            external_id: exact("external_id", InputError::InvalidExternalId)?,
            advertiser_id: exact("advertiser_id", InputError::InvalidAdvertiserId)?,
        })
    }
}

/// Which clicks of an offer a list shows (SPEC §5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClickFilter {
    /// First UTC day included.
    pub from: Option<NaiveDate>,
    /// Last UTC day included.
    pub to: Option<NaiveDate>,
    /// Only bots (`true`) or only people (`false`).
    pub is_bot: Option<bool>,
}

impl ClickFilter {
    /// Reads `from`, `to` (`YYYY-MM-DD`) and `is_bot` (`true`/`false`).
    pub fn parse<'a>(param: impl Fn(&str) -> Option<&'a str>) -> Result<Self, InputError> {
        let from = param("from").map(parse_date).transpose()?;
        let to = param("to").map(parse_date).transpose()?;
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                return Err(InputError::InvalidDateRange("from must not be after to"));
            }
        }
        let is_bot = param("is_bot")
            .map(|text| match text {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(InputError::InvalidQuery {
                    field: "is_bot",
                    reason: "must be true or false",
                }),
            })
            .transpose()?;
        Ok(Self { from, to, is_bot })
    }
}

/// A `YYYY-MM-DD` UTC day.
pub fn parse_date(text: &str) -> Result<NaiveDate, InputError> {
    let well_formed = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    well_formed
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or(InputError::InvalidDateRange(
            "dates must be real days written YYYY-MM-DD",
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// page, per_page, expected (page, per_page) or the refused parameter, description.
    type PageCase = (
        Option<&'static str>,
        Option<&'static str>,
        Result<(u32, u32), &'static str>,
        &'static str,
    );

    #[test]
    fn pagination_rules() {
        let cases: [PageCase; 12] = [
            (None, None, Ok((1, 50)), "defaults"),
            (Some("3"), Some("10"), Ok((3, 10)), "explicit"),
            (
                None,
                Some("1000"),
                Ok((1, 100)),
                "per_page above 100 is served as 100",
            ),
            (None, Some("100"), Ok((1, 100)), "per_page 100"),
            (Some("0"), None, Err("page"), "page 0"),
            (None, Some("0"), Err("per_page"), "per_page 0"),
            (Some("-1"), None, Err("page"), "negative"),
            (Some("1.5"), None, Err("page"), "fraction"),
            (Some("abc"), None, Err("page"), "text"),
            (Some(""), None, Err("page"), "empty"),
            (Some(" 1"), None, Err("page"), "space"),
            (
                Some("99999999999999999999999"),
                None,
                Ok((u32::MAX, 50)),
                "huge page is past the end",
            ),
        ];
        for (page, per_page, expected, description) in cases {
            let got = Page::parse(page, per_page)
                .map(|p| (p.page, p.per_page))
                .map_err(|e| match e {
                    InputError::InvalidPagination(field) => field,
                    other => panic!("{description}: unexpected {other:?}"),
                });
            assert_eq!(got, expected, "{description}");
        }
    }

    #[test]
    fn summary_counts_pages() {
        let page = Page {
            page: 1,
            per_page: 10,
        };
        assert_eq!(page.summary(0).total_pages, 0);
        assert_eq!(page.summary(10).total_pages, 1);
        assert_eq!(page.summary(11).total_pages, 2);
    }

    #[test]
    fn filter_reads_and_checks_parameters() {
        let filter = OfferFilter::parse(|name| match name {
            "status" => Some("paused"),
            "q" => Some("Promo"),
            "external_platform" => Some("tune"),
            _ => None,
        })
        .expect("valid");
        assert_eq!(filter.status, Some(OfferStatus::Paused));
        assert_eq!(filter.name_contains.as_deref(), Some("Promo"));
        assert_eq!(filter.external_platform, Some(ExternalPlatform::Tune));

        let long = "x".repeat(256);
        let cases = [
            ("status", "deleted", "invalid_status"),
            ("external_platform", "cake", "invalid_external_platform"),
            ("q", long.as_str(), "invalid_query"),
            ("external_id", long.as_str(), "invalid_external_id"),
            ("advertiser_id", long.as_str(), "invalid_advertiser_id"),
        ];
        for (key, value, code) in cases {
            let error = OfferFilter::parse(|name| (name == key).then_some(value)).expect_err(key);
            assert_eq!(error.code(), code, "{key}={value}");
        }
    }

    #[test]
    fn click_filter_reads_dates_and_bot_flag() {
        let filter = ClickFilter::parse(|name| match name {
            "from" => Some("2026-01-01"),
            "to" => Some("2026-01-31"),
            "is_bot" => Some("false"),
            _ => None,
        })
        .expect("valid");
        assert_eq!(filter.from, NaiveDate::from_ymd_opt(2026, 1, 1));
        assert_eq!(filter.is_bot, Some(false));

        let cases = [
            ("from", "2026-02-30", "invalid_date_range", "not a real day"),
            ("from", "2026-1-1", "invalid_date_range", "not zero-padded"),
            ("to", "yesterday", "invalid_date_range", "words"),
            ("is_bot", "yes", "invalid_query", "not a boolean"),
        ];
        for (key, value, code, description) in cases {
            let error =
                ClickFilter::parse(|name| (name == key).then_some(value)).expect_err(description);
            assert_eq!(error.code(), code, "{description}");
        }
        let reversed = ClickFilter::parse(|name| match name {
            "from" => Some("2026-02-01"),
            "to" => Some("2026-01-01"),
            _ => None,
        });
        assert_eq!(reversed.map_err(|e| e.code()), Err("invalid_date_range"));
    }
}
