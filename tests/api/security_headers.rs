//! Security headers on every kind of answer, and the two HTML pages rendering in a
//! real browser under their Content-Security-Policy.

use chrono::Utc;
use reqwest::Response;
use woonservice::domain::report::Month;
use woonservice::domain::schedule::local_date;

use crate::browser::{self, BearerProxy};
use crate::helpers::spawn_app;

fn header<'a>(response: &'a Response, name: &str) -> &'a str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_else(|| panic!("{} has no {name}", response.url()))
}

fn assert_secured(response: &Response) {
    assert_eq!(
        header(response, "x-content-type-options"),
        "nosniff",
        "{}",
        response.url()
    );
    assert_eq!(header(response, "referrer-policy"), "no-referrer", "{}", response.url());
    assert_eq!(header(response, "x-frame-options"), "DENY", "{}", response.url());
    assert!(header(response, "content-security-policy").contains("frame-ancestors 'none'"));
}

fn assert_page_policy(response: &Response) {
    assert_secured(response);
    let policy = header(response, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ] {
        assert!(policy.contains(directive), "{policy} lacks {directive}");
    }
    assert!(!policy.contains("unsafe-"), "{policy}");
}

fn assert_resource_policy(response: &Response) {
    assert_secured(response);
    assert!(header(response, "content-security-policy").starts_with("default-src 'none'"));
}

fn report_path(municipality: i64) -> String {
    let month = Month::of(local_date(Utc::now()));
    format!("/api/v1/reports/monthly?municipality_id={municipality}&month={month}")
}

#[tokio::test]
async fn every_kind_of_answer_carries_the_security_headers_and_pages_a_strict_policy() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let get = |path: &str| app.client.get(app.url(path)).send();

    let health = get("/healthz").await.unwrap();
    assert_eq!(health.status(), 200);
    assert_resource_policy(&health);
    let me = app.get("/api/v1/me", &s.advisor).await;
    assert_eq!(me.status(), 200);
    assert_resource_policy(&me);
    let unauthorized = get("/api/v1/me").await.unwrap();
    assert_eq!(unauthorized.status(), 401);
    assert_eq!(header(&unauthorized, "content-type"), "application/problem+json");
    assert_resource_policy(&unauthorized);
    let fallback = get("/api/v1/nothing-here").await.unwrap();
    assert_eq!(fallback.status(), 404);
    assert_eq!(header(&fallback, "content-type"), "application/problem+json");
    assert_resource_policy(&fallback);
    let document = get("/openapi.json").await.unwrap();
    assert_eq!(document.status(), 200);
    assert_resource_policy(&document);
    let redirect = get("/docs").await.unwrap();
    assert_eq!(redirect.status(), 308);
    assert_secured(&redirect);

    let docs = get("/docs/").await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(header(&docs, "content-type").starts_with("text/html"));
    assert_page_policy(&docs);
    let report = app
        .client
        .get(app.url(&report_path(s.municipality)))
        .bearer_auth(&s.coordinator)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), 200);
    assert!(header(&report, "content-type").starts_with("text/html"));
    assert_page_policy(&report);
}

/// The check below must see a violation when there is one: Swagger UI's OAuth
/// redirect page (which we never use) has an inline script the policy refuses.
#[tokio::test]
async fn the_browser_check_sees_a_csp_violation_when_a_page_has_one() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let app = spawn_app().await;
    let visit = browser::visit(chromium, &app.url("/docs/oauth2-redirect.html"));
    assert!(!visit.csp_violations().is_empty(), "{}", visit.log);
}

#[tokio::test]
async fn the_api_documentation_renders_in_a_headless_browser_without_a_csp_violation() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let app = spawn_app().await;
    let visit = browser::visit(chromium, &app.url("/docs/"));
    assert_eq!(visit.csp_violations(), Vec::<&str>::new());
    // Operations appear only once Swagger UI's scripts ran and read /openapi.json.
    assert!(visit.dom.contains(r#"data-path="/api/v1/users""#), "{}", visit.dom);
    assert!(visit.dom.contains(r#"data-path="/api/v1/reports/monthly""#));
}

#[tokio::test]
async fn the_printable_report_renders_in_a_headless_browser_without_a_csp_violation() {
    let Some(chromium) = browser::chromium() else {
        return;
    };
    let app = spawn_app().await;
    let s = app.scenario().await;
    let upstream = app.address.trim_start_matches("http://").parse().unwrap();
    let proxy = BearerProxy::start(upstream, &s.coordinator);
    let visit = browser::visit(chromium, &proxy.url(&report_path(s.municipality)));
    assert_eq!(visit.csp_violations(), Vec::<&str>::new());
    assert!(
        visit.dom.contains("Maandrapportage WoonService in de Wijk"),
        "{}",
        visit.dom
    );
    assert!(visit.dom.contains("<svg"), "the charts are there");
}
