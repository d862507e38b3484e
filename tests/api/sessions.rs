//! Tokens end with the password, role, scope or activity they were issued under, and a
//! repeated call with an Idempotency-Key is answered only to who may still make it.

use serde_json::{Value, json};
use woonservice::domain::{Email, Role};
use woonservice::store::users;

use crate::helpers::{PASSWORD, TestApp, assert_problem, spawn_app};

fn user_id(app: &TestApp, email: &str) -> i64 {
    let email = Email::parse(email).unwrap();
    app.with_db(|c| users::find_credentials(c, &email)).unwrap().user_id
}

async fn patch_user(app: &TestApp, admin: &str, id: i64, body: Value) {
    let response = app
        .client
        .patch(app.url(&format!("/api/v1/users/{id}")))
        .bearer_auth(admin)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
}

async fn ended(app: &TestApp, token: &str) {
    let body = assert_problem(app.get("/api/v1/me", token).await, 401, "unauthorized").await;
    assert!(body["detail"].as_str().unwrap().contains("log in again"), "{body}");
}

#[tokio::test]
async fn a_password_role_or_scope_change_ends_the_tokens_issued_before_it() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin, &[]).await;
    app.municipality("Valkenswaard");
    let email = app.staff(Role::Advisor, &["Waalre"]);
    let id = user_id(&app, &email);

    let changes = [
        json!({"password": "een-nieuw-wachtwoord"}),
        json!({"role": "coordinator"}),
        json!({"municipality_ids": [app.municipality("Valkenswaard")]}),
    ];
    let mut password = PASSWORD;
    for change in changes {
        let token = app.token_with(&email, password).await;
        let second = app.token_with(&email, password).await;
        assert_eq!(app.get("/api/v1/me", &token).await.status(), 200);
        patch_user(&app, &admin, id, change.clone()).await;
        ended(&app, &token).await;
        ended(&app, &second).await;
        if change.get("password").is_some() {
            password = "een-nieuw-wachtwoord";
            assert_problem(app.login(&email, PASSWORD).await, 401, "unauthorized").await;
        }
        let fresh = app.token_with(&email, password).await;
        assert_eq!(app.get("/api/v1/me", &fresh).await.status(), 200, "after {change}");
    }
}

#[tokio::test]
async fn a_change_of_email_alone_keeps_the_tokens() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin, &[]).await;
    let email = app.staff(Role::Advisor, &["Waalre"]);
    let token = app.token(&email).await;
    patch_user(
        &app,
        &admin,
        user_id(&app, &email),
        json!({"email": "nieuw.adres@test.woonservice.nl"}),
    )
    .await;
    assert_eq!(app.get("/api/v1/me", &token).await.status(), 200);
}

#[tokio::test]
async fn a_token_from_before_a_deactivation_stays_dead_after_reactivation() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin, &[]).await;
    let email = app.staff(Role::Coordinator, &["Waalre"]);
    let id = user_id(&app, &email);
    let token = app.token(&email).await;
    patch_user(&app, &admin, id, json!({"active": false})).await;
    assert_problem(app.get("/api/v1/me", &token).await, 401, "unauthorized").await;
    patch_user(&app, &admin, id, json!({"active": true})).await;
    ended(&app, &token).await;
    assert_eq!(app.get("/api/v1/me", &app.token(&email).await).await.status(), 200);
}

async fn create_request(app: &TestApp, token: &str, client: i64, key: &str) -> reqwest::Response {
    let start = chrono::Utc::now() + chrono::Duration::days(3);
    app.client
        .post(app.url("/api/v1/requests"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(
            &json!({"client_id": client, "category": "gardening", "description": "Gras maaien",
            "window_start": start.date_naive().and_hms_opt(9, 0, 0).unwrap().and_utc(),
            "window_end": start.date_naive().and_hms_opt(12, 0, 0).unwrap().and_utc(),
            "estimated_hours": 1}),
        )
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_replayed_request_intake_is_refused_to_an_advisor_who_lost_the_municipality() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin, &[]).await;
    let waalre = app.municipality("Waalre");
    let client = app.client_in(waalre, "Annie");
    let email = app.staff(Role::Advisor, &["Waalre", "Valkenswaard"]);
    let token = app.token(&email).await;
    assert_eq!(create_request(&app, &token, client, "intake-1").await.status(), 201);
    assert_eq!(
        create_request(&app, &token, client, "intake-1").await.status(),
        201,
        "a replay"
    );

    patch_user(
        &app,
        &admin,
        user_id(&app, &email),
        json!({"municipality_ids": [app.municipality("Valkenswaard")]}),
    )
    .await;
    let token = app.token(&email).await;
    let without_key = assert_problem(
        create_request(&app, &token, client, "intake-2").await,
        422,
        "validation_failed",
    )
    .await;
    let replay = assert_problem(
        create_request(&app, &token, client, "intake-1").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(replay["errors"], without_key["errors"]);
}

#[tokio::test]
async fn a_replayed_voucher_sale_is_refused_to_a_coordinator_who_lost_the_municipality() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin, &[]).await;
    let waalre = app.municipality("Waalre");
    let client = app.client_in(waalre, "Gerrit");
    let email = app.staff(Role::Coordinator, &["Waalre", "Valkenswaard"]);
    let sell = |token: String| {
        let app = &app;
        async move {
            app.client
                .post(app.url(&format!("/api/v1/clients/{client}/vouchers")))
                .bearer_auth(token)
                .header("Idempotency-Key", "verkoop-1")
                .json(&json!({"count": 2}))
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(sell(app.token(&email).await).await.status(), 201);
    patch_user(
        &app,
        &admin,
        user_id(&app, &email),
        json!({"municipality_ids": [app.municipality("Valkenswaard")]}),
    )
    .await;
    assert_problem(sell(app.token(&email).await).await, 404, "not_found").await;
    patch_user(&app, &admin, user_id(&app, &email), json!({"role": "advisor"})).await;
    assert_problem(sell(app.token(&email).await).await, 403, "forbidden").await;
}
