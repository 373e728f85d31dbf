//! Sessions, anti-forgery tokens, escaping and the headers of every page.

use reqwest::header::CONTENT_SECURITY_POLICY;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{cookie_value, location, set_cookies, TestWeb};

/// How many offers the account holds.
async fn offer_count(web: &TestWeb) -> u64 {
    let body: Value = web
        .api(Method::GET, "/api/v2/offers?status=active")
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    body["pagination"]["total"].as_u64().expect("a total")
}

#[tokio::test]
async fn a_browser_at_the_root_goes_to_the_dashboard_and_api_clients_get_json() {
    let web = TestWeb::spawn().await;
    let browser = web
        .client
        .get(format!("{}/", web.address))
        .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .expect("request");
    assert_eq!(
        (browser.status().as_u16(), location(&browser)),
        (303, "/app".to_owned())
    );
    for accept in [None, Some("application/json"), Some("*/*")] {
        let mut request = web.client.get(format!("{}/", web.address));
        if let Some(accept) = accept {
            request = request.header("Accept", accept);
        }
        let answer = request.send().await.expect("request");
        assert_eq!(answer.status(), 404, "Accept {accept:?}");
        let body: Value = answer.json().await.expect("a JSON error");
        assert_eq!(body["code"], "not_found", "Accept {accept:?}");
    }
}

#[tokio::test]
async fn every_dashboard_answer_carries_the_content_security_policy() {
    let web = TestWeb::spawn().await;
    let session = web.sign_in().await;
    let offer = web.offer_named("Headers").await;
    let paths = [
        "/app/sign-in".to_owned(),
        "/app".to_owned(),
        "/app/offers".to_owned(),
        "/app/offers/new".to_owned(),
        format!("/app/offers/{}", offer["id"].as_str().expect("id")),
        "/app/links".to_owned(),
        "/app/integrations".to_owned(),
        "/app/no-such-page".to_owned(),
    ];
    for path in paths {
        let response = web.get(&path, Some(&session.cookie)).await;
        let policy = response
            .headers()
            .get(CONTENT_SECURITY_POLICY)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(
            policy.starts_with("default-src 'self'"),
            "{path}: {policy:?}"
        );
        assert!(!policy.contains("unsafe"), "{path}: {policy:?}");
        let page = response.text().await.expect("page");
        assert!(
            !page.contains("<script>") && !page.contains(" style="),
            "{path} has no inline script or style"
        );
    }
}

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_secure_behind_https() {
    for (public_url, secure) in [("http://trk.test", false), ("https://trk.test", true)] {
        let web = TestWeb::spawn_at(public_url).await;
        let form = web.get("/app/sign-in", None).await;
        let form_cookie = cookie_value(&form, "trackly_sign_in").expect("form cookie");
        let token = crate::helpers::hidden_token(&form.text().await.expect("page"));
        let signed_in = web
            .client
            .post(format!("{}/app/sign-in", web.address))
            .header("Cookie", format!("trackly_sign_in={form_cookie}"))
            .form(&[
                ("csrf_token", token.as_str()),
                ("api_key", web.account.api_key.as_str()),
            ])
            .send()
            .await
            .expect("request");
        let cookie = set_cookies(&signed_in)
            .into_iter()
            .find(|cookie| cookie.starts_with("trackly_session="))
            .expect("a session cookie");
        assert!(cookie.contains("HttpOnly"), "{public_url}: {cookie}");
        assert!(cookie.contains("SameSite=Strict"), "{public_url}: {cookie}");
        assert_eq!(cookie.contains("Secure"), secure, "{public_url}: {cookie}");
    }
}

#[tokio::test]
async fn a_wrong_key_is_refused_at_sign_in_and_pages_need_a_session() {
    let web = TestWeb::spawn().await;
    assert!(web
        .sign_in_with("trk_notakeynotakeynotakeynotakey0000")
        .await
        .is_none());
    for path in [
        "/app",
        "/app/offers",
        "/app/links",
        "/app/integrations",
        "/app/offers/new",
    ] {
        let response = web.get(path, None).await;
        assert_eq!(
            (response.status().as_u16(), location(&response)),
            (303, "/app/sign-in".to_owned()),
            "{path}"
        );
        let forged = web.get(path, Some("made-up-session")).await;
        assert_eq!(forged.status(), 303, "{path} with a made-up cookie");
    }
}

#[tokio::test]
async fn forms_without_their_sessions_token_change_nothing() {
    let web = TestWeb::spawn().await;
    let session = web.sign_in().await;
    let other = web.sign_in().await;
    let offer = web.offer_named("Kept").await;
    let update = format!("/app/offers/{}", offer["id"].as_str().expect("id"));
    let before = offer_count(&web).await;
    let tokens = [
        ("", "an empty token"),
        ("forged", "a made-up token"),
        (other.csrf_token.as_str(), "another session's token"),
    ];
    for (token, description) in tokens {
        let fields = [
            ("csrf_token", token),
            ("name", "Changed"),
            ("tracking_url", "https://x.example"),
            ("payout_type", "cpa"),
            ("status", "active"),
        ];
        for path in ["/app/offers", update.as_str(), "/app/sign-out"] {
            let response = web.post_form(path, &session, &fields).await;
            assert_eq!(response.status(), 403, "{path} with {description}");
        }
    }
    let missing = web
        .client
        .post(format!("{}/app/offers", web.address))
        .header("Cookie", format!("trackly_session={}", session.cookie))
        .form(&[("name", "No token"), ("tracking_url", "https://x.example")])
        .send()
        .await
        .expect("request");
    assert_eq!(missing.status(), 403, "a form without a token");
    assert_eq!(offer_count(&web).await, before, "no offer was created");
    let (_, page) = web.page(&update, &session).await;
    assert!(
        page.contains("Kept") && !page.contains("Changed"),
        "the offer is unchanged"
    );
    assert_eq!(
        web.page("/app", &session).await.0,
        200,
        "the session is still open"
    );
}

#[tokio::test]
async fn the_sign_in_form_needs_its_own_cookie_token() {
    let web = TestWeb::spawn().await;
    let cases = [
        (None, "token", "no form cookie"),
        (
            Some("one-token"),
            "another-token",
            "a token that is not the cookie's",
        ),
    ];
    for (cookie, token, description) in cases {
        let mut request = web.client.post(format!("{}/app/sign-in", web.address));
        if let Some(cookie) = cookie {
            request = request.header("Cookie", format!("trackly_sign_in={cookie}"));
        }
        let response = request
            .form(&[
                ("csrf_token", token),
                ("api_key", web.account.api_key.as_str()),
            ])
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 403, "{description}");
        assert!(
            cookie_value(&response, "trackly_session").is_none(),
            "{description}: no session"
        );
    }
}

#[tokio::test]
async fn sessions_end_at_sign_out_after_twelve_idle_hours_and_with_their_key() {
    use diesel::prelude::*;
    let web = TestWeb::spawn().await;

    let signed_out = web.sign_in().await;
    let response = web.post_form("/app/sign-out", &signed_out, &[]).await;
    assert_eq!(
        (response.status().as_u16(), location(&response)),
        (303, "/app/sign-in".to_owned())
    );
    assert_eq!(
        web.get("/app", Some(&signed_out.cookie)).await.status(),
        303,
        "signed out"
    );

    let idle = web.sign_in().await;
    let recent = web.sign_in().await;
    let digest = trackly_store::secrets::digest(&idle.cookie).to_vec();
    diesel::sql_query("UPDATE dashboard_sessions SET last_seen_at = now() - interval '12 hours 1 minute' WHERE token_sha256 = $1")
        .bind::<diesel::sql_types::Bytea, _>(digest)
        .execute(&mut web.conn())
        .expect("age the session");
    assert_eq!(
        web.get("/app", Some(&idle.cookie)).await.status(),
        303,
        "idle for 12 hours"
    );
    assert_eq!(
        web.get("/app", Some(&recent.cookie)).await.status(),
        200,
        "used just now"
    );

    trackly_store::api_keys::revoke_key(&mut web.conn(), &web.account.key_id, chrono::Utc::now())
        .expect("revoke the key");
    assert_eq!(
        web.get("/app", Some(&recent.cookie)).await.status(),
        303,
        "its key was revoked"
    );
    assert!(
        web.sign_in_with(&web.account.api_key).await.is_none(),
        "a revoked key cannot sign in again"
    );
}

#[tokio::test]
async fn hostile_names_show_as_text_on_every_page() {
    let web = TestWeb::spawn().await;
    let hostile = "<script>alert(1)</script>";
    let offer = web
        .create_offer(json!({"name": hostile, "tracking_url": "https://h.example/?q=\"><img src=x onerror=alert(2)>", "external_id": "<b>x</b>"}))
        .await;
    let link = web
        .api(Method::POST, "/api/v2/links/shorten")
        .json(&json!({"offerId": offer["id"], "listId": "l", "messageId": "<img src=x onerror=alert(3)>"}))
        .send()
        .await
        .expect("request");
    assert_eq!(link.status(), 201, "{:?}", link.text().await);
    let session = web.sign_in().await;
    let id = offer["id"].as_str().expect("id");
    for path in [
        "/app".to_owned(),
        "/app/offers".to_owned(),
        format!("/app/offers/{id}"),
        format!("/app/offers/{id}/edit"),
        "/app/links".to_owned(),
    ] {
        let (status, page) = web.page(&path, &session).await;
        assert_eq!(status, 200, "{path}");
        for raw in ["<script>alert", "<img src=x", "<b>x</b>"] {
            assert!(!page.contains(raw), "{path} shows {raw:?} as markup");
        }
    }
    let (_, page) = web.page(&format!("/app/offers/{id}"), &session).await;
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the name shows as text"
    );
}

#[tokio::test]
async fn a_body_that_is_no_form_gets_the_dashboards_400_page() {
    let web = TestWeb::spawn().await;
    let session = web.sign_in().await;
    let response = web
        .client
        .post(format!("{}/app/offers", web.address))
        .header("Cookie", format!("trackly_session={}", session.cookie))
        .header("Content-Type", "application/json")
        .body(r#"{"name": "Not a form"}"#)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 400);
    assert!(
        response.headers().get(CONTENT_SECURITY_POLICY).is_some(),
        "the page carries the policy"
    );
    let page = response.text().await.expect("page");
    assert!(page.contains("That form could not be read"), "{page}");
}
