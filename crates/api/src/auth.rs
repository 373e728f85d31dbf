//! API-key authentication (SPEC §1.2): the `X-Api-Key` header, hashed with SHA-256 and
//! looked up by digest, hits cached for a few seconds.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use trackly_app::keys;
use trackly_domain::api_key::is_well_formed_api_key;
use trackly_domain::ObjectId;

use crate::error::ApiError;
use crate::state::AppState;

/// The header that carries the key.
pub const API_KEY_HEADER: &str = "x-api-key";

/// The account a request acts for.
#[derive(Debug, Clone)]
pub struct Account(pub ObjectId);

impl FromRequest for Account {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let header = request
            .headers()
            .get(API_KEY_HEADER)
            .map(|value| value.to_str().ok().map(str::to_owned));
        let state = request.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let key = match header {
                None => return Err(ApiError::api_key_required()),
                Some(key) => key
                    .filter(|key| is_well_formed_api_key(key))
                    .ok_or_else(ApiError::invalid_api_key)?,
            };
            let state =
                state.ok_or_else(|| ApiError::server_error("AppState is not registered"))?;
            account_for_key(&state, &key).await.map(Account)
        })
    }
}

async fn account_for_key(state: &AppState, key: &str) -> Result<ObjectId, ApiError> {
    let digest = keys::digest(key);
    let app = state.app.clone();
    // One lookup per key at a time: when the entry expires under load, the requests
    // that miss together wait for the same query instead of queueing on the key's row.
    state
        .key_cache
        .try_get_with(digest, async move {
            keys::authenticate(&app, digest)
                .await?
                .ok_or_else(ApiError::invalid_api_key)
        })
        .await
        .map_err(|shared| (*shared).clone())
}
