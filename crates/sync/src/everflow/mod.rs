//! The Everflow Network API v1 client (INTEGRATIONS.md §2).

mod conversions;
mod error_body;
mod link;
mod offers;
mod request;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::de::IgnoredAny;

use self::conversions::{map_conversion, report_body, EverflowConversion};
use self::offers::{map_offer, EverflowOffer};
use self::request::Call;
use crate::conversion::ConversionSweep;
use crate::error::PlatformError;
use crate::http::Http;
use crate::linking::link_each;
use crate::offer::OfferSweep;
use crate::options::ClientOptions;
use crate::settings::{non_blank, ConnectionSettings};

/// Everflow's API root.
const DEFAULT_BASE_URL: &str = "https://api.eflow.team";
/// The offers list.
const OFFERS_PATH: &str = "/v1/networks/offers";

/// A client for one Everflow connection, on the network API. `message_id_field` and
/// `timezone` do not apply: our click id travels in `sub1` and times are Unix seconds.
pub struct EverflowClient {
    http: Http,
    base_url: String,
    affiliate_id: Option<u64>,
}

impl EverflowClient {
    /// A client for `settings`; fails when the base URL is unusable, the affiliate id is
    /// not a number (Everflow ids are integers) or the key cannot be sent. Makes no request.
    pub fn new(
        settings: ConnectionSettings,
        options: ClientOptions,
    ) -> Result<Self, PlatformError> {
        let base = non_blank(&settings.base_url).unwrap_or(DEFAULT_BASE_URL);
        let parsed = url::Url::parse(base).map_err(|error| {
            PlatformError::Setup(format!("the Everflow base_url is not a URL ({error})"))
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(PlatformError::Setup(
                "the Everflow base_url must be http or https".to_owned(),
            ));
        }
        let affiliate_id = non_blank(&settings.affiliate_id)
            .map(|text| {
                text.parse::<u64>().map_err(|_| {
                    PlatformError::Setup("the Everflow affiliate_id must be a number".to_owned())
                })
            })
            .transpose()?;
        Ok(Self {
            http: Http::new("Everflow", settings.api_key, options)?,
            base_url: base.trim_end_matches('/').to_owned(),
            affiliate_id,
        })
    }

    /// One offer page of one row. A 401/403 is [`PlatformError::RejectedKey`] with
    /// Everflow's message; an answer that is not an offer list is
    /// [`PlatformError::BadResponse`] (a `base_url` that is not Everflow's).
    pub async fn check_key(&self) -> Result<(), PlatformError> {
        let call = Call {
            operation: "offers",
            method: Method::GET,
            path: OFFERS_PATH,
            query: vec![("page", "1".to_owned()), ("page_size", "1".to_owned())],
            body: None,
        };
        let body = self.call(&call).await?;
        self.read_list::<IgnoredAny>(&call, 1, &body).map(|_| ())
    }

    /// Every offer on every page with its payout entries, each with its tracking link for
    /// our affiliate. Fails before any request when the affiliate id is missing; an offer
    /// Everflow makes no link for is skipped with Everflow's reason.
    pub async fn offers(&self) -> Result<OfferSweep, PlatformError> {
        let affiliate_id = self.affiliate_id.ok_or_else(|| {
            PlatformError::Setup(
                "an Everflow connection needs its affiliate_id to generate tracking links"
                    .to_owned(),
            )
        })?;
        let call = Call {
            operation: "offers",
            method: Method::GET,
            path: OFFERS_PATH,
            query: vec![("relationship", "payout_revenue".to_owned())],
            body: None,
        };
        let page_size = self.http.options().offer_page_size;
        let rows: Vec<EverflowOffer> = self.pages(call, page_size).await?;
        link_each(
            rows,
            |id| async move { self.tracking_link(&id, affiliate_id).await },
            map_offer,
        )
        .await
    }

    /// Every conversion (not post-conversion events) between `from` and `to`, asked for
    /// in UTC.
    pub async fn conversions(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<ConversionSweep, PlatformError> {
        let call = Call {
            operation: "conversions",
            method: Method::POST,
            path: "/v1/networks/reporting/conversions",
            query: Vec::new(),
            body: Some(report_body(from, to)),
        };
        let page_size = self.http.options().conversion_page_size;
        let rows: Vec<EverflowConversion> = self.pages(call, page_size).await?;
        Ok(ConversionSweep::from_results(
            rows.into_iter().map(map_conversion),
        ))
    }
}
