//! The committed OpenAPI document is what the code generates and what the server serves.

use serde_json::Value;

use crate::helpers::{assert_problem, spawn_app};

const COMMITTED: &str = include_str!("../../openapi/woonservice.json");

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let generated: Value =
        serde_json::from_str(&woonservice::api::openapi_document().to_pretty_json().unwrap()).unwrap();
    let committed: Value = serde_json::from_str(COMMITTED).expect("openapi/woonservice.json is JSON");
    assert!(
        generated == committed,
        "openapi/woonservice.json is out of date; refresh it with:\n    cargo run -q -- openapi > openapi/woonservice.json"
    );
}

#[tokio::test]
async fn the_server_serves_the_committed_document_as_openapi_3_1() {
    let app = spawn_app().await;
    let served: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(served, serde_json::from_str::<Value>(COMMITTED).unwrap());
    assert!(served["openapi"].as_str().unwrap().starts_with("3.1"));
}

#[tokio::test]
async fn the_document_is_read_without_a_token_and_another_method_on_it_is_405() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/openapi.json")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let response = app.client.post(app.url("/openapi.json")).send().await.unwrap();
    assert_eq!(response.headers()["allow"], "GET");
    assert_problem(response, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn the_docs_page_loads_nothing_from_another_host() {
    let app = spawn_app().await;
    let redirect = app.client.get(app.url("/docs")).send().await.unwrap();
    assert_eq!(redirect.status(), 308);
    let page = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"));
    for asset in ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-initializer.js"] {
        let response = app.client.get(app.url(&format!("/docs/{asset}"))).send().await.unwrap();
        assert_eq!(response.status(), 200, "{asset}");
        let text = response.text().await.unwrap();
        if asset == "swagger-initializer.js" {
            assert!(text.contains("/openapi.json"), "the page loads our document");
        }
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "external reference in the page"
    );
}
