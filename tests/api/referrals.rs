//! Referrals to providers: the deadline they carry, reading them, and retired providers.

use chrono::Duration;
use serde_json::{Value, json};
use woonservice::domain::Role;
use woonservice::domain::member::MemberKind;
use woonservice::domain::provider::ProviderKind;
use woonservice::service::jobs::Job;

use crate::helpers::{TestApp, assert_problem, ok_json, spawn_app};
use crate::scenario::{Scenario, reasons, row, weekday_morning};

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
    let detail = ok_json(app.get(&format!("/api/v1/requests/{first}"), &s.advisor).await).await;
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
    let changed = ok_json(app.patch(&path, &admin, &json!({"referral_response_hours": 4})).await).await;
    assert_eq!(changed["referral_response_hours"], 4);
    assert_problem(
        app.patch(&path, &s.coordinator, &json!({"referral_response_hours": 8}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let (second, _) = referred_moving_job(&app, &s, "Gerrit").await;
    let detail = ok_json(app.get(&format!("/api/v1/requests/{second}"), &s.advisor).await).await;
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
    let all = ok_json(app.get("/api/v1/referrals?status=open", &s.advisor).await).await;
    let items = all["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["request_id"], first, "oldest first");
    assert_eq!(items[0]["provider_id"], provider);
    let one = ok_json(
        app.get(&format!("/api/v1/referrals?request_id={second}"), &s.coach)
            .await,
    )
    .await;
    assert_eq!(one["items"].as_array().unwrap().len(), 1);
    let id = one["items"][0]["id"].as_i64().unwrap();
    let read = ok_json(app.get(&format!("/api/v1/referrals/{id}"), &s.coordinator).await).await;
    assert_eq!(read, one["items"][0]);
    let none = ok_json(app.get("/api/v1/referrals?status=accepted", &s.advisor).await).await;
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
        let retired = ok_json(
            app.patch(
                &format!("/api/v1/providers/{id}"),
                &s.coordinator,
                &json!({"active": false}),
            )
            .await,
        )
        .await;
        assert_eq!(retired["active"], false);
    }
    let listed = ok_json(app.get("/api/v1/providers", &s.advisor).await).await;
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

async fn referral_of(app: &TestApp, s: &Scenario, request: i64) -> i64 {
    let detail = ok_json(app.get(&format!("/api/v1/requests/{request}"), &s.advisor).await).await;
    detail["referral"]["id"].as_i64().expect("the request has a referral")
}

#[tokio::test]
async fn the_provider_accepts_and_completes_and_the_request_is_completed_followed_up_and_counted() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    app.provider_in(s.municipality, ProviderKind::Business, &["moving"]);
    let (request, _) = referred_moving_job(&app, &s, "Riet").await;
    let referral = referral_of(&app, &s, request).await;
    let path = |action: &str| format!("/api/v1/referrals/{referral}/{action}");
    assert_problem(
        app.post(&path("complete"), &s.advisor, &json!({})).await,
        409,
        "invalid_transition",
    )
    .await;
    let accepted = ok_json(app.post(&path("accept"), &s.advisor, &json!({})).await).await;
    assert_eq!(accepted["status"], "accepted");
    let advisor_id = ok_json(app.get("/api/v1/me", &s.advisor).await).await["id"].clone();
    assert_eq!(accepted["answered_by"], advisor_id);
    let detail = ok_json(app.get(&format!("/api/v1/requests/{request}"), &s.advisor).await).await;
    assert_eq!(
        (detail["status"].as_str(), detail["referral"]["status"].as_str()),
        (Some("referred"), Some("accepted"))
    );
    assert_problem(
        app.post(&path("accept"), &s.coordinator, &json!({})).await,
        409,
        "invalid_transition",
    )
    .await;
    assert_problem(
        app.post(&path("complete"), &s.coordinator, &json!({"note": ""})).await,
        422,
        "validation_failed",
    )
    .await;
    let done = ok_json(
        app.post(
            &path("complete"),
            &s.coordinator,
            &json!({"note": "De kast is weg; mevrouw is blij."}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (done["status"].as_str(), done["note"].as_str()),
        (Some("completed"), Some("De kast is weg; mevrouw is blij."))
    );
    let detail = ok_json(app.get(&format!("/api/v1/requests/{request}"), &s.advisor).await).await;
    assert_eq!(
        (detail["status"].as_str(), detail["referral"]["status"].as_str()),
        (Some("completed"), Some("completed"))
    );

    // Three months on the advisor hears how it went, and the month counts it.
    app.advance(Duration::days(95));
    assert_eq!(Job::CreateFollowUps.run(&app.ctx).unwrap(), "1 follow-up(s) created");
    let due = ok_json(app.get("/api/v1/follow-ups?due=true", &s.advisor).await).await;
    assert_eq!(due["items"][0]["request_id"], request);
}

#[tokio::test]
async fn of_sixteen_simultaneous_accepts_of_one_referral_exactly_one_wins() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    app.provider_in(s.municipality, ProviderKind::Business, &["moving"]);
    let (request, _) = referred_moving_job(&app, &s, "Riet").await;
    let referral = referral_of(&app, &s, request).await;
    let path = format!("/api/v1/referrals/{referral}/accept");
    let empty = json!({});
    let calls = (0..16).map(|i| {
        let token = if i % 2 == 0 { &s.advisor } else { &s.coordinator };
        app.post(&path, token, &empty)
    });
    let statuses: Vec<u16> = futures_util::future::join_all(calls)
        .await
        .into_iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 15, "{statuses:?}");
}

#[tokio::test]
async fn only_advisors_and_coordinators_in_scope_answer_and_a_cancelled_request_withdraws_an_accepted_referral() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    app.provider_in(s.municipality, ProviderKind::Business, &["moving"]);
    let (request, _) = referred_moving_job(&app, &s, "Riet").await;
    let referral = referral_of(&app, &s, request).await;
    let accept = format!("/api/v1/referrals/{referral}/accept");
    assert_problem(app.post(&accept, &s.coach, &json!({})).await, 403, "forbidden").await;
    let admin = app.token_for(Role::Admin, &[]).await;
    assert_problem(app.post(&accept, &admin, &json!({})).await, 403, "forbidden").await;
    let elsewhere = app.token_for(Role::Advisor, &["Valkenswaard"]).await;
    assert_problem(app.post(&accept, &elsewhere, &json!({})).await, 404, "not_found").await;
    let unchanged = ok_json(app.get(&format!("/api/v1/referrals/{referral}"), &s.advisor).await).await;
    assert_eq!(unchanged["status"], "open", "nothing was written");

    assert_eq!(app.post(&accept, &s.advisor, &json!({})).await.status(), 200);
    let cancelled = app
        .post(
            &format!("/api/v1/requests/{request}/cancel"),
            &s.advisor,
            &json!({"reason": "Mevrouw verhuist zelf"}),
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    let ended = ok_json(app.get(&format!("/api/v1/referrals/{referral}"), &s.advisor).await).await;
    assert_eq!(ended["status"], "withdrawn");
    assert_problem(
        app.post(
            &format!("/api/v1/referrals/{referral}/complete"),
            &s.advisor,
            &json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
}
