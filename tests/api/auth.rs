use serde_json::{Value, json};
use woonservice::domain::Role;

use crate::helpers::{PASSWORD, assert_problem, spawn_app};

#[tokio::test]
async fn a_staff_user_logs_in_with_any_case_of_email_and_reads_itself() {
    let app = spawn_app().await;
    let email = app.staff(Role::Advisor, &["Waalre"]);
    let response = app.login(&email.to_uppercase(), PASSWORD).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["role"], "advisor");
    let token = body["access_token"].as_str().unwrap();

    let me: Value = app.get("/api/v1/me", token).await.json().await.unwrap();
    assert_eq!(me["email"], email);
    assert_eq!(me["role"], "advisor");
    assert_eq!(me["municipality_ids"], json!([app.municipality("Waalre")]));
    assert_eq!(me["client_id"], Value::Null);
}

#[tokio::test]
async fn an_unknown_email_and_a_wrong_password_get_the_same_401() {
    let app = spawn_app().await;
    let email = app.staff(Role::Coach, &["Waalre"]);
    let wrong_password = assert_problem(app.login(&email, "not-the-password").await, 401, "unauthorized").await;
    let unknown_email = assert_problem(
        app.login("nobody@test.woonservice.nl", "not-the-password").await,
        401,
        "unauthorized",
    )
    .await;
    assert_eq!(wrong_password, unknown_email);
}

#[tokio::test]
async fn ten_failures_lock_the_email_with_retry_after_and_leave_other_emails_alone() {
    let app = spawn_app().await;
    let locked = app.staff(Role::Advisor, &["Waalre"]);
    let other = app.staff(Role::Advisor, &["Waalre"]);
    for _ in 0..10 {
        assert_eq!(app.login(&locked, "wrong-password").await.status(), 401);
    }
    let response = app.login(&locked, PASSWORD).await;
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=15 * 60).contains(&retry_after), "Retry-After {retry_after}");
    assert_problem(response, 429, "too_many_requests").await;
    assert_eq!(app.login(&other, PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn a_successful_login_clears_earlier_failures() {
    let app = spawn_app().await;
    let email = app.staff(Role::Advisor, &["Waalre"]);
    for _ in 0..9 {
        assert_eq!(app.login(&email, "wrong-password").await.status(), 401);
    }
    assert_eq!(app.login(&email, PASSWORD).await.status(), 200);
    for _ in 0..9 {
        assert_eq!(app.login(&email, "wrong-password").await.status(), 401);
    }
    assert_eq!(app.login(&email, PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn me_without_a_token_or_with_a_bad_one_is_401_with_a_bearer_challenge() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    assert_problem(response, 401, "unauthorized").await;
    assert_problem(app.get("/api/v1/me", "not-a-jwt").await, 401, "unauthorized").await;
    let basic = app
        .client
        .get(app.url("/api/v1/me"))
        .header("Authorization", "Basic YWRtaW46YWRtaW4=")
        .send()
        .await
        .unwrap();
    assert_problem(basic, 401, "unauthorized").await;
}

#[tokio::test]
async fn a_token_signed_with_another_secret_or_expired_is_refused() {
    let app = spawn_app().await;
    let email = app.staff(Role::Admin, &[]);
    let user_id = app
        .with_db(|c| {
            woonservice::store::users::find_credentials(c, &woonservice::domain::Email::parse(&email).unwrap())
        })
        .unwrap()
        .user_id;
    let foreign = woonservice::service::tokens::Tokens::new(&[1; 32])
        .issue(user_id, Role::Admin, 0, chrono::Utc::now())
        .unwrap();
    assert_problem(app.get("/api/v1/me", &foreign).await, 401, "unauthorized").await;
    let expired = app
        .ctx
        .tokens
        .issue(user_id, Role::Admin, 0, chrono::Utc::now() - chrono::Duration::hours(2))
        .unwrap();
    let body = assert_problem(app.get("/api/v1/me", &expired).await, 401, "unauthorized").await;
    assert_eq!(body["detail"], "the token has expired");
}

#[tokio::test]
async fn a_deactivated_users_token_stops_working_at_the_next_request() {
    let app = spawn_app().await;
    app.hearing_account_changes().await;
    let email = app.staff(Role::Coordinator, &["Waalre"]);
    let token = app.token(&email).await;
    assert_eq!(app.get("/api/v1/me", &token).await.status(), 200);
    let parsed = woonservice::domain::Email::parse(&email).unwrap();
    app.with_db(|c| {
        let id = woonservice::store::users::find_credentials(c, &parsed)?
            .unwrap()
            .user_id;
        woonservice::store::users::set_active(c, id, false, app.now())
    });
    // Changed in the database, not through this instance: on PostgreSQL the instance
    // hears of it from the database within milliseconds and forgets the cached account.
    // SQLite reads the account every call, so the very next one is refused.
    let start = std::time::Instant::now();
    while app.db.is_postgres() && app.get("/api/v1/me", &token).await.status() == 200 {
        assert!(
            start.elapsed() < std::time::Duration::from_millis(500),
            "the deactivation was not heard"
        );
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    assert_problem(app.get("/api/v1/me", &token).await, 401, "unauthorized").await;
    assert_problem(app.login(&email, PASSWORD).await, 401, "unauthorized").await;
}

#[tokio::test]
async fn a_login_body_missing_the_password_names_the_field() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "a@b.nl"}))
        .send()
        .await
        .unwrap();
    let body = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(body["errors"], json!([{"field": "password", "message": "is required"}]));
}
