//! SPEC §3.3: one offer by id or slug.

use crate::helpers::{assert_error, TestApp};

#[tokio::test]
async fn get_offer_by_id_or_slug_answers_the_flat_object() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Summer Promo").await;
    for key in ["id", "slug"] {
        let (status, body) = app.get_offer(offer[key].as_str().expect("key")).await;
        assert_eq!(status, 200, "by {key}");
        assert_eq!(
            body, offer,
            "by {key}: the same object create returned, not wrapped"
        );
    }
}

#[tokio::test]
async fn get_offer_refuses_unknown_and_malformed_ids_with_404() {
    let app = TestApp::spawn().await;
    let offer = app.create_offer("Summer Promo").await;
    let code = offer["slug"]
        .as_str()
        .expect("slug")
        .rsplit('_')
        .next()
        .expect("code")
        .to_owned();
    let cases = [
        (
            "664f1a2b3c4d5e6f7a8b9c0d".to_owned(),
            "well-formed unknown id",
        ),
        ("not-an-id".to_owned(), "malformed id"),
        ("664F1A2B3C4D5E6F7A8B9C0D".to_owned(), "upper-case id"),
        (
            "ofr_summer-promo_zzzzzz".to_owned(),
            "slug with an unknown code",
        ),
        (code, "a bare code is not an id"),
        ("%00".to_owned(), "a NUL byte"),
    ];
    for (id, description) in cases {
        let (status, body) = app.get_offer(&id).await;
        assert_error(status, &body, 404, "not_found", description);
    }
}
