//! One type for either platform, so a caller holding a connection's `platform` string
//! does not branch on it at every call.

use chrono::{DateTime, Utc};
use trackly_domain::offer::ExternalPlatform;

use crate::conversion::ConversionSweep;
use crate::error::PlatformError;
use crate::everflow::EverflowClient;
use crate::offer::OfferSweep;
use crate::options::ClientOptions;
use crate::settings::ConnectionSettings;
use crate::tune::TuneClient;

/// A TUNE or an Everflow client.
pub enum PlatformClient {
    /// A TUNE connection.
    Tune(TuneClient),
    /// An Everflow connection.
    Everflow(EverflowClient),
}

impl PlatformClient {
    /// The client for `platform`; see [`TuneClient::new`] and [`EverflowClient::new`].
    pub fn new(
        platform: ExternalPlatform,
        settings: ConnectionSettings,
        options: ClientOptions,
    ) -> Result<Self, PlatformError> {
        Ok(match platform {
            ExternalPlatform::Tune => Self::Tune(TuneClient::new(settings, options)?),
            ExternalPlatform::Everflow => Self::Everflow(EverflowClient::new(settings, options)?),
        })
    }

    /// The platform this client speaks to.
    pub fn platform(&self) -> ExternalPlatform {
        match self {
            Self::Tune(_) => ExternalPlatform::Tune,
            Self::Everflow(_) => ExternalPlatform::Everflow,
        }
    }

    /// Checks the key with one cheap authenticated call.
    pub async fn check_key(&self) -> Result<(), PlatformError> {
        match self {
            Self::Tune(client) => client.check_key().await,
            Self::Everflow(client) => client.check_key().await,
        }
    }

    /// Every offer with its tracking link.
    pub async fn offers(&self) -> Result<OfferSweep, PlatformError> {
        match self {
            Self::Tune(client) => client.offers().await,
            Self::Everflow(client) => client.offers().await,
        }
    }

    /// Every conversion between `from` and `to`.
    pub async fn conversions(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<ConversionSweep, PlatformError> {
        match self {
            Self::Tune(client) => client.conversions(from, to).await,
            Self::Everflow(client) => client.conversions(from, to).await,
        }
    }
}
