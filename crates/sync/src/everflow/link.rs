//! `POST /v1/networks/tracking/offers/clicks` (INTEGRATIONS.md §2.5): the offer's tracking
//! URL for our affiliate, read from `url` and else `tracking_url`. A refusal skips the
//! offer; we never fall back to `destination_url`.

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::request::Call;
use super::EverflowClient;
use crate::error::PlatformError;
use crate::wire::scalar::Scalar;

#[derive(Deserialize)]
struct TrackingLink {
    #[serde(default)]
    url: Scalar,
    #[serde(default)]
    tracking_url: Scalar,
}

impl EverflowClient {
    /// `Ok(Ok(url))`, `Ok(Err(reason))` when Everflow made no link for this offer, or the
    /// error that stops the whole sweep (a rejected key among them).
    pub(super) async fn tracking_link(
        &self,
        offer_id: &str,
        affiliate_id: u64,
    ) -> Result<Result<String, String>, PlatformError> {
        let Ok(offer_number) = offer_id.parse::<u64>() else {
            return Ok(Err(format!(
                "offer id {offer_id:?} is not a number, so Everflow cannot link it"
            )));
        };
        let call = Call {
            operation: "tracking link",
            method: Method::POST,
            path: "/v1/networks/tracking/offers/clicks",
            query: Vec::new(),
            body: Some(json!({
                "network_offer_id": offer_number,
                "network_affiliate_id": affiliate_id,
            })),
        };
        let body = match self.call(&call).await {
            Ok(body) => body,
            Err(PlatformError::Refused(message)) => {
                return Ok(Err(format!("Everflow made no tracking link: {message}")))
            }
            Err(error) => return Err(error),
        };
        let link: TrackingLink = serde_json::from_slice(&body).map_err(|error| {
            PlatformError::BadResponse(format!(
                "the tracking link for offer {offer_id} is unreadable ({error})"
            ))
        })?;
        Ok(link
            .url
            .into_text()
            .or(link.tracking_url.into_text())
            .ok_or_else(|| "Everflow's tracking link has neither url nor tracking_url".to_owned()))
    }
}
