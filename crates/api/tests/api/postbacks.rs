//! SPEC §6.4: postbacks authenticated by the postback secret.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{assert_error, send, TestApp};

#[tokio::test]
async fn postbacks_need_the_accounts_secret() {
    let app = TestApp::spawn().await;
    let offer = app
        .create_offer_with(
            json!({"name": "P", "tracking_url": "https://a.example", "external_id": "77"}),
        )
        .await;
    let click_id = app.store_click(
        &offer,
        chrono::Utc::now(),
        (
            "192.0.2.1",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)",
        ),
        None,
    );
    let secret = app.account.postback_secret.clone();
    let other = app.other_account();

    let cases = [
        (
            format!("/conv?click_id={click_id}&revenue=5"),
            401,
            "no secret",
        ),
        (
            format!("/conv?click_id={click_id}&revenue=5&postback_secret="),
            401,
            "empty secret",
        ),
        (
            format!("/conv?click_id={click_id}&revenue=5&postback_secret=pbs_wrong"),
            401,
            "wrong secret",
        ),
        (
            format!(
                "/conv?click_id={click_id}&revenue=5&postback_secret={}",
                other.postback_secret
            ),
            404,
            "another account's secret",
        ),
    ];
    for (path, status, description) in cases {
        let (got, body) = send(app.request(Method::GET, &path)).await;
        let code = if status == 401 {
            "unauthorized"
        } else {
            "click_not_found"
        };
        assert_error(got, &body, status, code, description);
    }
    assert_eq!(app.revenue_rows(), 0);

    let (status, body) = send(app.request(
        Method::GET,
        &format!("/conv?click_id={click_id}&revenue=5.50&txn_id=pb-1&event_type=sale&postback_secret={secret}"),
    ))
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["offer_id"], offer["id"]);
    assert_eq!(body["revenue"], json!(5.5));

    let (status, body) = send(app.request(
        Method::GET,
        &format!("/conv/offer?offer_id=77&message_id=sms-9&revenue=&txn_id=pb-2&postback_secret={secret}"),
    ))
    .await;
    assert_eq!(status, 201, "an empty revenue macro means not sent: {body}");
    assert_eq!(body["message_id"], "sms-9");
    assert_eq!(body["revenue"], json!(0.0), "the offer's payout");

    let (status, body) = send(app.request(
        Method::GET,
        &format!("/conv?click_id={click_id}&txn_id=pb-1&postback_secret={secret}"),
    ))
    .await;
    assert_eq!((status, body["duplicate"].clone()), (200, json!(true)));
    let (status, body) = send(app.request(
        Method::GET,
        &format!("/conv/offer?offer_id=77&revenue=abc&postback_secret={secret}"),
    ))
    .await;
    assert_error(
        status,
        &body,
        400,
        "invalid_revenue",
        "same rules as the API",
    );
    assert_eq!(app.revenue_rows(), 2);
}

#[tokio::test]
async fn a_rotated_secret_replaces_the_old_one() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("P").await;
    let old = app.account.postback_secret.clone();
    let new = trackly_store::accounts::rotate_postback_secret(
        &mut app.db.connect(),
        &app.account.account_id,
    )
    .expect("rotate");
    let path = |secret: &str| {
        format!(
            "/conv/offer?offer_id={}&postback_secret={secret}",
            offer["id"].as_str().expect("id")
        )
    };
    let (status, _) = send(app.request(Method::GET, &path(&old))).await;
    assert_eq!(status, 401, "the old secret stops working");
    let (status, _) = send(app.request(Method::GET, &path(&new))).await;
    assert_eq!(status, 201);
}
