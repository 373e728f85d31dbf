//! The OpenAPI document: every route documented, every documented path served, every
//! operation named once; its docs page.

mod constraints;
mod docs_page;

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::Value;
use trackly_api::routes::ROUTES;

use crate::helpers::TestApp;

/// The paths under `/api/v2` that need no API key: the document and its docs page.
const PUBLIC: [&str; 3] = [
    "/api/v2/openapi.json",
    "/api/v2/docs",
    "/api/v2/docs/{asset}",
];

/// `/{code:[a-z0-9]{6}}` → `/{code}`: actix patterns as OpenAPI writes them.
fn openapi_path(pattern: &str) -> String {
    let mut path = String::new();
    // Some(depth) while skipping a parameter's regex; depth counts its own braces.
    let mut skipping: Option<usize> = None;
    for c in pattern.chars() {
        match (skipping, c) {
            (None, ':') => skipping = Some(0),
            (None, _) => path.push(c),
            (Some(depth), '{') => skipping = Some(depth + 1),
            (Some(0), '}') => {
                skipping = None;
                path.push('}');
            }
            (Some(depth), '}') => skipping = Some(depth - 1),
            (Some(_), _) => {}
        }
    }
    path
}

async fn document(app: &TestApp) -> Value {
    let response = app
        .request(Method::GET, "/api/v2/openapi.json")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 200, "the document is public");
    response.json().await.expect("json")
}

fn operations(document: &Value) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in ["get", "put", "post", "delete", "patch", "head"] {
            if item.get(method).is_some() {
                found.insert((path.clone(), method.to_uppercase()));
            }
        }
    }
    found
}

#[tokio::test]
async fn the_document_lists_exactly_the_routes_the_server_registers() {
    let app = TestApp::spawn().await;
    let document = document(&app).await;
    assert!(document["openapi"]
        .as_str()
        .is_some_and(|version| version.starts_with("3.1")));
    let registered: BTreeSet<(String, String)> = ROUTES
        .iter()
        .flat_map(|(pattern, methods)| {
            methods
                .split(", ")
                .map(move |method| (openapi_path(pattern), method.to_owned()))
        })
        .collect();
    assert_eq!(operations(&document), registered);
}

#[tokio::test]
async fn every_api_operation_documents_its_error_codes() {
    let app = TestApp::spawn().await;
    let document = document(&app).await;
    for (path, method) in operations(&document) {
        let operation = &document["paths"][&path][method.to_lowercase()];
        let responses = operation["responses"].as_object().expect("responses");
        let protected = path.starts_with("/api/v2/") && !PUBLIC.contains(&path.as_str());
        if protected {
            assert!(
                responses.contains_key("401"),
                "{method} {path} documents 401"
            );
            assert!(
                responses.contains_key("503"),
                "{method} {path} documents 503"
            );
            assert!(
                operation["security"].is_array(),
                "{method} {path} needs the API key"
            );
        }
        for (status, response) in responses {
            if status.starts_with('4') && protected {
                let description = response["description"].as_str().unwrap_or_default();
                let names_a_code = description
                    .split([',', ';', ':', ' '])
                    .any(|word| word.contains('_') || word == "unauthorized");
                assert!(
                    names_a_code,
                    "{method} {path} {status} names its codes: {description:?}"
                );
            }
        }
    }
}

#[tokio::test]
async fn every_documented_operation_is_served() {
    let app = TestApp::spawn().await;
    let document = document(&app).await;
    for (path, method) in operations(&document) {
        let concrete = path
            .replace("{id}", "664f1a2b3c4d5e6f7a8b9c0d")
            .replace("{code}", "zzzzzz")
            .replace("{slug}", "ofr_x_zzzzzz")
            .replace("{linkId}", "ZZZZZZZ")
            .replace("{asset}", "trackly-docs.js");
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let response = app
            .request(method.clone(), &concrete)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        let is_json = response.headers().get("content-type").is_some_and(|value| {
            value
                .to_str()
                .unwrap_or_default()
                .starts_with("application/json")
        });
        let body = response.text().await.unwrap_or_default();
        assert_ne!(status, 405, "{method} {concrete} is routed");
        let unknown_route = status == 404 && is_json && body.contains("\"not_found\"");
        assert!(
            !unknown_route,
            "{method} {concrete} is routed, not an unknown path: {body}"
        );
    }
}

#[tokio::test]
async fn every_operation_has_a_unique_descriptive_id() {
    let app = TestApp::spawn().await;
    let document = document(&app).await;
    let mut seen = BTreeSet::new();
    for (path, method) in operations(&document) {
        let id = document["paths"][&path][method.to_lowercase()]["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has an operationId"));
        assert!(
            id.len() > 4 && id.chars().all(|c| c.is_ascii_alphanumeric()),
            "{method} {path}: {id:?} is a camelCase name"
        );
        assert!(seen.insert(id.to_owned()), "{id} names one operation only");
    }
}
