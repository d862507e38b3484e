use crate::helpers::{TestDb, assert_problem, eventually, spawn_app, spawn_app_on};
use crate::proxy::Proxy;
use woonservice::config::DatabaseTarget;

#[tokio::test]
async fn healthz_answers_ok_and_returns_a_request_id() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers().contains_key("x-request-id"));
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn readyz_answers_ready_when_the_database_answers() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_request_id_sent_by_the_caller_comes_back() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("X-Request-Id", "intake-42")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["x-request-id"], "intake-42");
    let response = app
        .client
        .get(app.url("/healthz"))
        .header("X-Request-Id", "bad id with spaces")
        .send()
        .await
        .unwrap();
    assert_ne!(response.headers()["x-request-id"], "bad id with spaces");
}

/// PostgreSQL only: an embedded SQLite file cannot become unreachable.
#[tokio::test]
async fn when_the_database_goes_down_requests_get_503_and_the_service_recovers_when_it_returns() {
    let db = TestDb::new();
    let DatabaseTarget::Postgres(url) = db.target.clone() else {
        eprintln!("skipped: needs TEST_DATABASE_URL (PostgreSQL)");
        return;
    };
    let upstream = upstream_address(&url);
    let proxy = Proxy::start(upstream);
    let proxied = url.replacen(
        &format!("{}:{}", upstream.ip(), upstream.port()),
        &proxy.address.to_string(),
        1,
    );
    let app = spawn_app_on(db, Some(DatabaseTarget::Postgres(proxied))).await;
    let email = app.staff(woonservice::domain::Role::Advisor, &["Waalre"]);
    let token = app.token(&email).await;
    assert_eq!(app.get("/api/v1/me", &token).await.status(), 200);

    proxy.cut();
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    let ready = assert_problem(ready, 503, "unavailable").await;
    assert!(
        !ready["detail"].as_str().unwrap().contains("127.0.0.1"),
        "no internals in {ready}"
    );
    let me = app.get("/api/v1/me", &token).await;
    assert!(me.headers().contains_key("retry-after"));
    assert_problem(me, 503, "unavailable").await;

    proxy.restore();
    eventually(
        std::time::Duration::from_secs(5),
        "the service recovers after the database returned",
        async || app.get("/api/v1/me", &token).await.status() == 200,
    )
    .await;
    assert_eq!(app.client.get(app.url("/readyz")).send().await.unwrap().status(), 200);
}

fn upstream_address(url: &str) -> std::net::SocketAddr {
    let after_scheme = &url[url.find("://").unwrap() + 3..];
    let authority = after_scheme.split('/').next().unwrap();
    let host_port = authority.rsplit('@').next().unwrap();
    let host_port = if host_port.contains(':') {
        host_port.to_owned()
    } else {
        format!("{host_port}:5432")
    };
    let host_port = host_port.replace("localhost", "127.0.0.1");
    host_port
        .parse()
        .expect("TEST_DATABASE_URL names host:port as an IP address")
}
