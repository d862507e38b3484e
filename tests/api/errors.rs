//! Framework-level errors take the same problem+json path as the service's own.

use serde_json::json;

use woonservice::domain::Role;

use crate::helpers::{assert_problem, spawn_app};

#[tokio::test]
async fn malformed_json_is_400_bad_request() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("Content-Type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_problem(response, 400, "bad_request").await;
}

#[tokio::test]
async fn a_wrong_json_type_is_400_naming_the_field() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": 12, "password": "x"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(response, 400, "bad_request").await;
    assert!(body["detail"].as_str().unwrap().contains("email"), "{body}");
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_413() {
    let app = spawn_app().await;
    let huge = format!("{{\"email\": \"{}\", \"password\": \"x\"}}", "a".repeat(1024 * 1024));
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("Content-Type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_problem(response, 413, "payload_too_large").await;
}

#[tokio::test]
async fn a_body_that_is_not_json_is_415() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .body("email=a")
        .send()
        .await
        .unwrap();
    assert_problem(response, 415, "unsupported_media_type").await;
}

#[tokio::test]
async fn an_unknown_route_is_404_problem_json() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/api/v1/nothing-here")).send().await.unwrap();
    assert_problem(response, 404, "not_found").await;
}

#[tokio::test]
async fn a_wrong_method_is_405_with_allow() {
    let app = spawn_app().await;
    let response = app.client.delete(app.url("/api/v1/auth/login")).send().await.unwrap();
    assert_eq!(response.headers()["allow"], "POST");
    assert_problem(response, 405, "method_not_allowed").await;
    let response = app.client.put(app.url("/healthz")).send().await.unwrap();
    assert_problem(response, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn a_fault_is_500_with_a_request_id_and_no_word_of_its_cause() {
    let app = spawn_app().await;
    let w = app.world().await;
    // A stored value the service cannot read: a fault of ours, not of the caller.
    let statement = format!(
        "UPDATE clients SET target_groups = ',secret_internal_value,' WHERE id = {}",
        w.waalre.client
    );
    app.with_db(|c| Ok(diesel::RunQueryDsl::execute(diesel::sql_query(statement), c)?));
    let response = app
        .get(&format!("/api/v1/clients/{}", w.waalre.client), w.token(Role::Advisor))
        .await;
    assert!(response.headers().contains_key("x-request-id"));
    let text = response.text().await.unwrap();
    let problem: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (problem["status"].as_u64(), problem["code"].as_str()),
        (Some(500), Some("internal_error"))
    );
    assert!(
        !text.contains("secret_internal_value") && !text.contains("stored code"),
        "the cause leaked: {text}"
    );
}
