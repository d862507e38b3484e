//! Referrals to providers: the deadline they carry, reading them, and retired providers.

use chrono::Duration;
use serde_json::{Value, json};
use woonservice::domain::Role;
use woonservice::domain::member::MemberKind;
use woonservice::domain::provider::ProviderKind;

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::scenario::{Scenario, reasons, row, weekday_morning};

async fn patch(app: &TestApp, path: &str, token: &str, body: &Value) -> reqwest::Response {
    app.client
        .patch(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn json_of(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// A moving job no member can take, with one business that offers it: the engine
/// refers it.
async fn referred_moving_job(app: &TestApp, s: &Scenario, name: &str) -> (i64, i64) {
    let client = app.client_in(s.municipality, name);
    let request = app.request(s, client, "moving", weekday_morning(3), 6, 2.0).await;
    let (status, result) = app.route(&s.advisor, request).await;
    assert_eq!((status, result["status"].as_str()), (200, Some("referred")), "{result}");
    (request, client)
}

fn at(value: &Value) -> chrono::DateTime<chrono::Utc> {
    serde_json::from_value(value.clone()).unwrap()
}

#[tokio::test]
async fn a_referral_must_be_answered_within_the_municipalitys_hours_48_by_default() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    app.provider_in(s.municipality, ProviderKind::Business, &["moving"]);
    let (first, _) = referred_moving_job(&app, &s, "Riet").await;
    let detail = json_of(app.get(&format!("/api/v1/requests/{first}"), &s.advisor).await).await;
    let referral = &detail["referral"];
    assert_eq!(referral["status"], "open");
    assert_eq!(referral["request_id"], first);
    assert_eq!(referral["tier"], "business");
    assert_eq!(referral["created_by"], Value::Null, "the engine referred it");
    assert_eq!(
        at(&referral["respond_by"]) - at(&referral["created_at"]),
        Duration::hours(48)
    );

    let admin = app.token_for(Role::Admin, &[]).await;
    let path = format!("/api/v1/municipalities/{}", s.municipality);
    let changed = json_of(patch(&app, &path, &admin, &json!({"referral_response_hours": 4})).await).await;
    assert_eq!(changed["referral_response_hours"], 4);
    assert_problem(
        patch(&app, &path, &s.coordinator, &json!({"referral_response_hours": 8})).await,
        403,
        "forbidden",
    )
    .await;
    let (second, _) = referred_moving_job(&app, &s, "Gerrit").await;
    let detail = json_of(app.get(&format!("/api/v1/requests/{second}"), &s.advisor).await).await;
    let referral = &detail["referral"];
    assert_eq!(
        at(&referral["respond_by"]) - at(&referral["created_at"]),
        Duration::hours(4)
    );
}

#[tokio::test]
async fn a_new_municipality_gives_providers_48_hours_unless_the_admin_says_otherwise() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin, &[]).await;
    let default = json_of_created(
        app.post("/api/v1/municipalities", &admin, &json!({"name": "Bergeijk"}))
            .await,
    )
    .await;
    assert_eq!(default["referral_response_hours"], 48);
    let quick = json_of_created(
        app.post(
            "/api/v1/municipalities",
            &admin,
            &json!({"name": "Eersel", "referral_response_hours": 0}),
        )
        .await,
    )
    .await;
    assert_eq!(quick["referral_response_hours"], 0);
    for hours in [-1, 721] {
        let problem = assert_problem(
            app.post(
                "/api/v1/municipalities",
                &admin,
                &json!({"name": "Reusel", "referral_response_hours": hours}),
            )
            .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "referral_response_hours", "{problem}");
    }
}

async fn json_of_created(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

#[tokio::test]
async fn staff_list_and_read_the_referrals_of_their_municipality_by_status_and_request() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let provider = app.provider_in(s.municipality, ProviderKind::Business, &["moving"]);
    let (first, _) = referred_moving_job(&app, &s, "Riet").await;
    let (second, _) = referred_moving_job(&app, &s, "Gerrit").await;
    let all = json_of(app.get("/api/v1/referrals?status=open", &s.advisor).await).await;
    let items = all["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["request_id"], first, "oldest first");
    assert_eq!(items[0]["provider_id"], provider);
    let one = json_of(
        app.get(&format!("/api/v1/referrals?request_id={second}"), &s.coach)
            .await,
    )
    .await;
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    let id = one["items"][0]["id"].as_i64().unwrap();
    let read = json_of(app.get(&format!("/api/v1/referrals/{id}"), &s.coordinator).await).await;
    assert_eq!(read, one["items"][0]);
    let none = json_of(app.get("/api/v1/referrals?status=accepted", &s.advisor).await).await;
    assert!(none["items"].as_array().unwrap().is_empty());
    assert_eq!(app.get("/api/v1/referrals/999999", &s.advisor).await.status(), 404);
    let elsewhere = app.token_for(Role::Advisor, &["Valkenswaard"]).await;
    assert_eq!(
        app.get(&format!("/api/v1/referrals/{id}"), &elsewhere).await.status(),
        404
    );
    assert_problem(
        app.get("/api/v1/referrals?status=maybe", &s.advisor).await,
        400,
        "bad_request",
    )
    .await;
}

#[tokio::test]
async fn a_retired_provider_stays_listed_but_is_never_referred_to_nor_blocks_woonservice() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let mover = app.provider_in(s.municipality, ProviderKind::Business, &["moving"]);
    let organisation = app.provider_in(s.municipality, ProviderKind::Organisation, &["administration"]);
    for id in [mover, organisation] {
        let retired = json_of(
            patch(
                &app,
                &format!("/api/v1/providers/{id}"),
                &s.coordinator,
                &json!({"active": false}),
            )
            .await,
        )
        .await;
        assert_eq!(retired["active"], false);
    }
    let listed = json_of(app.get("/api/v1/providers", &s.advisor).await).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2, "kept for history");

    let client = app.client_in(s.municipality, "Jan");
    let moving = app.request(&s, client, "moving", weekday_morning(3), 6, 2.0).await;
    let (_, result) = app.route(&s.advisor, moving).await;
    assert_eq!(result["status"], "unmatched", "{result}");

    app.sell(&s, client, 5).await;
    app.worker(&s, MemberKind::Jobseeker, &["administration"], 16);
    let paperwork = app
        .request(&s, client, "administration", weekday_morning(3), 4, 2.0)
        .await;
    let (_, result) = app.route(&s.advisor, paperwork).await;
    assert_eq!(
        reasons(&result)[1],
        row("woonservice", "matched", "matched"),
        "{result}"
    );
}
