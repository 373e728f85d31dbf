//! `generateTrackingLink` (INTEGRATIONS.md §1.5): the offer's `click_url`, or why TUNE
//! made none. A refusal skips the offer; we never fall back to `offer_url`.

use serde::Deserialize;

use super::TuneClient;
use crate::error::PlatformError;
use crate::wire::scalar::Scalar;

#[derive(Deserialize)]
struct TrackingLink {
    #[serde(default)]
    click_url: Scalar,
}

impl TuneClient {
    /// `Ok(Ok(click_url))`, `Ok(Err(reason))` when TUNE made no link for this offer, or
    /// the error that stops the whole sweep.
    pub(super) async fn tracking_link(
        &self,
        offer_id: &str,
    ) -> Result<Result<String, String>, PlatformError> {
        let mut params = vec![("offer_id", offer_id.to_owned())];
        if let Some(affiliate_id) = self.api.link_affiliate() {
            params.push(("affiliate_id", affiliate_id.to_owned()));
        }
        let data = match self
            .call(self.api.offer_target(), "generateTrackingLink", &params)
            .await
        {
            Ok(data) => data,
            Err(PlatformError::Refused(message)) => {
                return Ok(Err(format!("TUNE made no tracking link: {message}")))
            }
            Err(error) => return Err(error),
        };
        let click_url = match data {
            Some(data) => serde_json::from_str::<TrackingLink>(data.get())
                .map_err(|error| {
                    PlatformError::BadResponse(format!(
                        "generateTrackingLink for offer {offer_id} is unreadable ({error})"
                    ))
                })?
                .click_url
                .into_text(),
            None => None,
        };
        Ok(click_url.ok_or_else(|| "TUNE's tracking link has no click_url".to_owned()))
    }
}
