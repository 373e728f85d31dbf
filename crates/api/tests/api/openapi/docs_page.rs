//! `GET /api/v2/docs`: a public HTML page whose every asset is served by the binary.

use regex::Regex;
use reqwest::Method;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_docs_page_loads_only_same_origin_assets_that_are_served() {
    let app = TestApp::spawn().await;
    let response = app
        .request(Method::GET, "/api/v2/docs")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200, "public, no API key");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(header("content-type").starts_with("text/html"));
    assert!(
        header("content-security-policy").starts_with("default-src 'self'"),
        "served under a same-origin policy"
    );
    let html = response.text().await.expect("body");
    assert!(
        !html.contains("<script>") && !html.contains("<style"),
        "no inline script or style"
    );
    let reference = Regex::new(r#"(?:src|href)="([^"]*)""#).expect("regex");
    let assets: Vec<&str> = reference
        .captures_iter(&html)
        .map(|found| found.get(1).expect("a value").as_str())
        .collect();
    assert!(assets.len() >= 3, "a stylesheet and scripts: {assets:?}");
    for asset in assets {
        assert!(
            asset.starts_with('/') && !asset.starts_with("//"),
            "{asset} is on this server"
        );
        let loaded = app
            .request(Method::GET, asset)
            .send()
            .await
            .expect("request");
        assert_eq!(loaded.status(), 200, "{asset} is served");
        let kind = loaded
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = loaded.bytes().await.expect("body");
        assert!(!body.is_empty(), "{asset} has content");
        if asset.ends_with(".js") {
            assert!(kind.starts_with("text/javascript"), "{asset}: {kind}");
        } else if asset.ends_with(".css") {
            assert!(kind.starts_with("text/css"), "{asset}: {kind}");
        }
    }
    let (status, body) =
        crate::helpers::send(app.request(Method::GET, "/api/v2/docs/nothing.js")).await;
    crate::helpers::assert_error(status, &body, 404, "not_found", "an unknown asset");
}
