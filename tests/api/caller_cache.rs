//! Two instances on one database: a change to an account made through one is seen by
//! the other on the caller's next call, although (on PostgreSQL) the other keeps
//! recent callers in memory. On SQLite the cache is off and the same holds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use woonservice::domain::Role;
use woonservice::store::users;

use crate::helpers::{Options, TestApp, TestDb, ok_json, spawn_with};

async fn two_instances() -> (TestApp, TestApp) {
    let db = Arc::new(TestDb::new());
    let one = spawn_with(db.clone(), Options::default()).await;
    let two = spawn_with(db, Options::default()).await;
    for app in [&one, &two] {
        assert_eq!(app.ctx.callers.enabled(), app.db.is_postgres());
        app.hearing_account_changes().await;
    }
    (one, two)
}

/// Calls `me` on `app` until it answers `status`; how long that took.
async fn until_me_answers(app: &TestApp, token: &str, status: u16) -> Duration {
    let start = Instant::now();
    loop {
        if app.get("/api/v1/me", token).await.status() == status {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "me did not answer {status} within 2 s"
        );
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

#[actix_web::test]
async fn a_deactivation_through_one_instance_ends_the_session_on_the_other() {
    let (one, two) = two_instances().await;
    let admin = one.token_for(Role::Admin, &[]).await;
    let email = two.staff(Role::Advisor, &["Waalre"]);
    let advisor = two.token(&email).await;
    let id = two
        .with_db(|c| users::id_by_email(c, &woonservice::domain::Email::parse(&email).unwrap()))
        .unwrap();
    // Read twice on the second instance: the account is in its cache now.
    for _ in 0..2 {
        ok_json(two.get("/api/v1/me", &advisor).await).await;
    }

    ok_json(
        one.patch(&format!("/api/v1/users/{id}"), &admin, &json!({"active": false}))
            .await,
    )
    .await;
    let took = until_me_answers(&two, &advisor, 401).await;
    // The notice travels through PostgreSQL and the listener reads it every 10 ms.
    assert!(took < Duration::from_millis(500), "the other instance took {took:?}");
    // And on the instance that made the change, at once.
    assert_eq!(one.get("/api/v1/me", &advisor).await.status(), 401);
}

#[actix_web::test]
async fn a_new_scope_given_through_one_instance_is_what_the_other_serves() {
    let (one, two) = two_instances().await;
    let admin = one.token_for(Role::Admin, &[]).await;
    let waalre = one.municipality("Waalre");
    let eindhoven = one.municipality("Eindhoven");
    let email = two.staff(Role::Advisor, &["Waalre"]);
    let advisor = two.token(&email).await;
    let id = two
        .with_db(|c| users::id_by_email(c, &woonservice::domain::Email::parse(&email).unwrap()))
        .unwrap();
    let me = ok_json(two.get("/api/v1/me", &advisor).await).await;
    assert_eq!(me["municipality_ids"], json!([waalre]), "{me}");

    // A new scope ends the account's tokens: a fresh login sees the new scope.
    ok_json(
        one.patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            &json!({"municipality_ids": [waalre, eindhoven]}),
        )
        .await,
    )
    .await;
    until_me_answers(&two, &advisor, 401).await;
    let advisor = two.token(&email).await;
    let me = ok_json(two.get("/api/v1/me", &advisor).await).await;
    let mut scope: Vec<i64> = serde_json::from_value(me["municipality_ids"].clone()).unwrap();
    scope.sort_unstable();
    let mut expected = vec![waalre, eindhoven];
    expected.sort_unstable();
    assert_eq!(scope, expected, "{me}");
}
