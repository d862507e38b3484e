//! The login throttle holds under parallel guessing: each password check is counted
//! before it is made, per account and per client address.

use std::net::IpAddr;
use std::sync::Arc;

use chrono::Duration;
use futures_util::future::join_all;
use serde_json::json;
use woonservice::domain::Role;
use woonservice::service::jobs::Job;
use woonservice::store::login_attempts::{self, Key};

use crate::helpers::{Options, PASSWORD, TestApp, TestDb, assert_problem, spawn_app, spawn_with};

fn attempts(app: &TestApp, key: Key<'_>) -> i64 {
    app.with_db(|c| login_attempts::count_since(c, key, app.now() - Duration::minutes(15)))
        .attempts
}

/// Sends every login at once and, as a caller would, sends again those answered 503
/// (busy) until each has another answer or a minute has passed.
async fn all_at_once<'a, F, Fut>(items: &'a [String], send: F) -> Vec<reqwest::Response>
where
    F: Fn(&'a str) -> Fut,
    Fut: std::future::Future<Output = reqwest::Response>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let mut answers: Vec<Option<reqwest::Response>> = items.iter().map(|_| None).collect();
    loop {
        let pending: Vec<usize> = (0..items.len()).filter(|i| answers[*i].is_none()).collect();
        if pending.is_empty() {
            return answers.into_iter().map(Option::unwrap).collect();
        }
        assert!(std::time::Instant::now() < deadline, "logins still busy after a minute");
        let sent = join_all(pending.iter().map(|i| send(&items[*i]))).await;
        for (i, response) in pending.into_iter().zip(sent) {
            if response.status() == 503 {
                assert!(response.headers().contains_key("retry-after"));
            } else {
                answers[i] = Some(response);
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

async fn statuses(responses: Vec<reqwest::Response>) -> (usize, usize, Vec<u16>) {
    let codes: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    for r in responses.into_iter().filter(|r| r.status() == 429) {
        let retry_after: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=15 * 60).contains(&retry_after), "Retry-After {retry_after}");
        assert_problem(r, 429, "too_many_requests").await;
    }
    let count = |code| codes.iter().filter(|c| **c == code).count();
    (count(401), count(429), codes)
}

#[tokio::test]
async fn thirty_parallel_guesses_at_one_account_get_exactly_ten_password_checks() {
    let app = spawn_app().await;
    let email = app.staff(Role::Advisor, &["Waalre"]);
    let passwords: Vec<String> = (0..30).map(|i| format!("gok-{i}-wachtwoord")).collect();
    let guesses = all_at_once(&passwords, |p| app.login(&email, p)).await;
    let (checked, refused, codes) = statuses(guesses).await;
    assert_eq!((checked, refused), (10, 20), "{codes:?}");
    assert_eq!(attempts(&app, Key::Email(&email)), 10);
    // The right password is refused too until the window has passed.
    assert_problem(app.login(&email, PASSWORD).await, 429, "too_many_requests").await;
}

#[tokio::test]
async fn one_address_spraying_a_password_over_many_accounts_is_stopped_after_fifty() {
    let app = spawn_app().await;
    let emails: Vec<String> = (0..60).map(|i| format!("naam{i}@example.nl")).collect();
    let sprayed = all_at_once(&emails, |e| app.login(e, "Welkom01!")).await;
    let (checked, refused, codes) = statuses(sprayed).await;
    assert_eq!((checked, refused), (50, 10), "{codes:?}");
    assert_eq!(attempts(&app, Key::Address("127.0.0.1")), 50);
    // A real account from the same address is refused as well, for the window.
    let email = app.staff(Role::Advisor, &["Waalre"]);
    assert_problem(app.login(&email, PASSWORD).await, 429, "too_many_requests").await;
}

async fn login_via_proxy(app: &TestApp, email: &str, client: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("X-Forwarded-For", client)
        .json(&json!({"email": email, "password": "verkeerd-wachtwoord"}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_office_address_is_counted_on_its_own() {
    let localhost: IpAddr = "127.0.0.1".parse().unwrap();
    let app = spawn_with(
        Arc::new(TestDb::new()),
        Options {
            trusted_proxies: vec![localhost],
            ..Options::default()
        },
    )
    .await;
    let emails: Vec<String> = (0..55).map(|i| format!("n{i}@example.nl")).collect();
    let noisy = all_at_once(&emails, |e| login_via_proxy(&app, e, "203.0.113.9")).await;
    let (_, refused, _) = statuses(noisy).await;
    assert_eq!(refused, 5);
    assert_eq!(attempts(&app, Key::Address("203.0.113.9")), 50);
    // Another office behind the same proxy is not locked out with it.
    assert_eq!(
        login_via_proxy(&app, "x@example.nl", "198.51.100.4").await.status(),
        401
    );
    // A client cannot pick its address by writing the header itself in front of the proxy's.
    assert_eq!(
        login_via_proxy(&app, "y@example.nl", "192.0.2.1, 203.0.113.9")
            .await
            .status(),
        429
    );
}

#[tokio::test]
async fn without_a_trusted_proxy_the_forwarded_header_is_ignored() {
    let app = spawn_app().await;
    login_via_proxy(&app, "z@example.nl", "198.51.100.4").await;
    assert_eq!(attempts(&app, Key::Address("127.0.0.1")), 1);
    assert_eq!(attempts(&app, Key::Address("198.51.100.4")), 0);
}

#[tokio::test]
async fn the_purge_job_forgets_attempts_older_than_the_window() {
    let app = spawn_app().await;
    // Two wrong passwords twenty minutes apart, as the service's clock counts.
    login_via_proxy(&app, "oud@example.nl", "192.0.2.1").await;
    app.advance(Duration::minutes(20));
    login_via_proxy(&app, "nieuw@example.nl", "192.0.2.1").await;
    let summary = Job::PurgeLoginAttempts.run(&app.ctx).unwrap();
    assert_eq!(summary, "1 old login attempt(s) and 0 desk session(s) forgotten");
    let left =
        app.with_db(|c| login_attempts::count_since(c, Key::Address("127.0.0.1"), app.now() - Duration::days(1)));
    assert_eq!(left.attempts, 1);
}
