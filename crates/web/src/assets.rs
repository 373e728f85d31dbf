//! The stylesheet and the one small script, embedded in the binary and served with a
//! long cache lifetime: their URLs carry a digest of their content, so a new build
//! gets new URLs.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use sha2::{Digest, Sha256};

use crate::error::WebError;

/// An embedded file.
struct Asset {
    /// Its name under `/app/assets/`.
    name: &'static str,
    /// Its `Content-Type`.
    content_type: &'static str,
    /// Its bytes.
    body: &'static str,
}

/// The stylesheet.
const STYLESHEET: Asset = Asset {
    name: "style.css",
    content_type: "text/css; charset=utf-8",
    body: include_str!("../assets/style.css"),
};

/// The copy button's script (pages work without it).
const COPY_SCRIPT: Asset = Asset {
    name: "copy.js",
    content_type: "text/javascript; charset=utf-8",
    body: include_str!("../assets/copy.js"),
};

/// Every embedded file.
const ASSETS: [Asset; 2] = [STYLESHEET, COPY_SCRIPT];

/// The stylesheet's URL.
pub(crate) static STYLESHEET_URL: LazyLock<String> = LazyLock::new(|| STYLESHEET.url());
/// The script's URL.
pub(crate) static COPY_SCRIPT_URL: LazyLock<String> = LazyLock::new(|| COPY_SCRIPT.url());

impl Asset {
    /// Its URL, with a version (the start of its SHA-256) that changes with its content.
    fn url(&self) -> String {
        let digest = Sha256::digest(self.body.as_bytes());
        format!("/app/assets/{}?v={}", self.name, hex::encode(&digest[..6]))
    }
}

/// `GET /app/assets/{name}`.
pub(crate) async fn serve(name: web::Path<String>) -> Result<HttpResponse, WebError> {
    let asset = ASSETS
        .iter()
        .find(|asset| asset.name == name.as_str())
        .ok_or(WebError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=31536000, immutable"))
        .body(asset.body))
}
