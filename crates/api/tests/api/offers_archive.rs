//! SPEC §3.5: archiving (soft delete) and restoring.

use serde_json::json;

use crate::helpers::{assert_error, TestApp};

#[tokio::test]
async fn delete_archives_and_a_put_restores() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("A").await;
    let id = offer["id"].as_str().expect("id");

    for attempt in ["first", "again"] {
        let (status, body) = app.delete_offer(id).await;
        assert_eq!(
            (status, body),
            (200, json!({"success": true, "archived": true})),
            "{attempt}"
        );
    }
    let (_, archived) = app.get_offer(id).await;
    assert_eq!(archived["status"], "archived", "nothing is removed");
    let (_, default_list) = app.list_offers("").await;
    assert_eq!(default_list["pagination"]["total"], 0);
    let (_, archived_list) = app.list_offers("?status=archived").await;
    assert_eq!(archived_list["offers"][0]["id"], id);

    let (status, restored) = app.put_offer(id, &json!({"status": "active"})).await;
    assert_eq!(status, 200);
    assert_eq!(restored["status"], "active");
}

#[tokio::test]
async fn update_may_archive_too() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("A").await;
    let (status, body) = app
        .put_offer(
            offer["id"].as_str().expect("id"),
            &json!({"status": "archived"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "archived");
}

#[tokio::test]
async fn delete_of_a_missing_offer_is_404() {
    let app = TestApp::spawn().await;
    let (status, body) = app.delete_offer("664f1a2b3c4d5e6f7a8b9c0d").await;
    assert_error(status, &body, 404, "not_found", "unknown id");
    let (status, body) = app.delete_offer("garbage").await;
    assert_error(status, &body, 404, "not_found", "malformed id");
}
