//! The TUNE (HasOffers API v3) client (INTEGRATIONS.md §1).

mod api;
mod conversions;
mod endpoint;
mod envelope;
mod link;
mod local_time;
mod offers;
mod page;
mod request;
mod sub_ids;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use url::Url;

use self::api::TuneApi;
use self::conversions::{map_conversion, report_fields, ConversionRow};
use self::endpoint::tune_endpoint;
use self::envelope::Opened;
use self::local_time::write_local;
use self::offers::{map_offer, OfferRow};
use crate::conversion::ConversionSweep;
use crate::error::PlatformError;
use crate::http::Http;
use crate::linking::link_each;
use crate::offer::OfferSweep;
use crate::options::ClientOptions;
use crate::settings::{non_blank, ConnectionSettings, MessageIdField};

/// A client for one TUNE connection. With an affiliate id it speaks the network API
/// (`NetworkToken`, `Offer`/`Report`, links for that affiliate); without one, the
/// affiliate API (`api_key`, `Affiliate_Offer`/`Affiliate_Report`).
pub struct TuneClient {
    http: Http,
    endpoint: Url,
    api: TuneApi,
    message_id_field: MessageIdField,
    timezone: Tz,
}

impl TuneClient {
    /// A client for `settings`; fails when they name no usable endpoint or the key
    /// cannot be sent. Makes no request.
    pub fn new(
        settings: ConnectionSettings,
        options: ClientOptions,
    ) -> Result<Self, PlatformError> {
        let endpoint = tune_endpoint(
            non_blank(&settings.base_url),
            non_blank(&settings.network_id),
        )?;
        let affiliate_id = non_blank(&settings.affiliate_id).map(str::to_owned);
        Ok(Self {
            http: Http::new("TUNE", settings.api_key, options)?,
            endpoint,
            api: TuneApi::for_affiliate(affiliate_id),
            message_id_field: settings.message_id_field,
            timezone: settings.timezone,
        })
    }

    /// One offer page of one row. TUNE's error envelope is
    /// [`PlatformError::RejectedKey`] with TUNE's text: the key is all this call depends
    /// on. An HTTP error (a wrong `base_url` answering 404) stays what it is.
    pub async fn check_key(&self) -> Result<(), PlatformError> {
        let params = [("limit", "1".to_owned()), ("page", "1".to_owned())];
        match self
            .open_call(self.api.offer_target(), "findAll", &params)
            .await?
        {
            Opened::Success(_) => Ok(()),
            Opened::Failure(message) => Err(PlatformError::RejectedKey(message)),
        }
    }

    /// Every offer on every page, each with its tracking link. An offer TUNE makes no
    /// link for is skipped with TUNE's reason.
    pub async fn offers(&self) -> Result<OfferSweep, PlatformError> {
        let page_size = self.http.options().offer_page_size;
        let sort = [("sort[id]", "asc".to_owned())];
        let rows: Vec<OfferRow> = self
            .pages(self.api.offer_target(), "findAll", &sort, page_size)
            .await?;
        let offers = rows.into_iter().map(|row| row.offer).collect();
        link_each(
            offers,
            |id| async move { self.tracking_link(&id).await },
            |offer, id, click_url| map_offer(offer, id, click_url, self.message_id_field),
        )
        .await
    }

    /// Every conversion whose `Stat.datetime` lies between `from` and `to` (TUNE's
    /// BETWEEN), the window written in the connection's zone.
    pub async fn conversions(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<ConversionSweep, PlatformError> {
        let mut params: Vec<(&str, String)> = report_fields(&self.api, self.message_id_field)
            .into_iter()
            .map(|field| ("fields[]", field.to_owned()))
            .collect();
        params.extend([
            ("filters[Stat.datetime][conditional]", "BETWEEN".to_owned()),
            (
                "filters[Stat.datetime][values][]",
                write_local(from, self.timezone),
            ),
            (
                "filters[Stat.datetime][values][]",
                write_local(to, self.timezone),
            ),
            ("sort[Stat.datetime]", "asc".to_owned()),
        ]);
        let page_size = self.http.options().conversion_page_size;
        let rows: Vec<ConversionRow> = self
            .pages(
                self.api.report_target(),
                "getConversions",
                &params,
                page_size,
            )
            .await?;
        Ok(ConversionSweep::from_results(rows.into_iter().map(|row| {
            map_conversion(row, self.message_id_field, self.timezone)
        })))
    }
}
