//! How many statements the hot reads send to the database, counted on the real server:
//! each statement is a round trip, and a change that adds one to a read fails here.
//!
//! Every connection made after `watched_app` starts carries a recorder (diesel's
//! default instrumentation); a recorder keeps the statements of connections to the
//! watched database only, so tests running beside this one in the same process do not
//! count. On PostgreSQL the caller's account comes from the cache of recent callers
//! (`service/callers.rs`) after the first call; on SQLite it is read every call.

use std::collections::HashMap;
use std::sync::{Mutex, Once};

use diesel::connection::{Instrumentation, InstrumentationEvent, set_default_instrumentation};
use serde_json::json;
use woonservice::config::DatabaseTarget;
use woonservice::domain::Role;
use woonservice::domain::provider::ProviderKind;
use woonservice::store::{assignments, referrals, requests};

use crate::helpers::{TestApp, TestDb, ok_json, spawn_app_on};

/// Statements per watched database, by the URL its connections were made with.
static SEEN: Mutex<Option<HashMap<String, Vec<String>>>> = Mutex::new(None);

struct Recorder {
    url: Option<String>,
}

impl Instrumentation for Recorder {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        match event {
            InstrumentationEvent::StartEstablishConnection { url, .. } => self.url = Some(url.to_owned()),
            InstrumentationEvent::StartQuery { query, .. } => {
                let Some(url) = &self.url else { return };
                let mut seen = SEEN.lock().unwrap();
                if let Some(list) = seen.as_mut().and_then(|s| s.get_mut(url)) {
                    list.push(query.to_string());
                }
            }
            _ => {}
        }
    }
}

fn url_of(target: &DatabaseTarget) -> String {
    match target {
        DatabaseTarget::Postgres(url) => url.clone(),
        DatabaseTarget::Sqlite(path) => path.to_string_lossy().into_owned(),
    }
}

/// A server whose statements on its database are recorded.
async fn watched_app() -> (TestApp, String) {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        set_default_instrumentation(|| Some(Box::new(Recorder { url: None }))).expect("instrumentation is set");
    });
    let db = TestDb::new();
    let url = url_of(&db.target);
    SEEN.lock()
        .unwrap()
        .get_or_insert_with(HashMap::new)
        .insert(url.clone(), Vec::new());
    let app = spawn_app_on(db, None).await;
    app.hearing_account_changes().await;
    (app, url)
}

/// The statements that read the caller's account: none on PostgreSQL once it is
/// cached, one on SQLite.
fn caller(app: &TestApp) -> usize {
    if app.db.is_postgres() { 0 } else { 1 }
}

/// The statements sent since the last call. What a new connection runs first is left
/// out — SQLite's `PRAGMA`s, the account-change listener's `LISTEN` — as the pool may
/// open a connection in the background during any call.
fn take(url: &str) -> Vec<String> {
    let mut seen = SEEN.lock().unwrap();
    let list = seen
        .as_mut()
        .and_then(|s| s.get_mut(url))
        .expect("the database is watched");
    std::mem::take(list)
        .into_iter()
        .filter(|s| !s.trim_start().starts_with("PRAGMA") && !s.trim_start().starts_with("LISTEN"))
        .collect()
}

/// Reads `path` twice (the first read may prepare statements on a fresh connection) and
/// answers the statements of the second.
async fn statements_of(app: &TestApp, url: &str, path: &str, token: &str) -> Vec<String> {
    ok_json(app.get(path, token).await).await;
    take(url);
    ok_json(app.get(path, token).await).await;
    take(url)
}

fn assert_statements(what: &str, statements: &[String], expected: usize) {
    assert_eq!(
        statements.len(),
        expected,
        "{what} took {} statements, expected {expected}:\n{}",
        statements.len(),
        statements.join("\n")
    );
}

#[actix_web::test]
async fn a_request_is_read_in_one_statement_besides_its_caller() {
    let (app, url) = watched_app().await;
    let world = app.world().await;
    let town = &world.waalre;
    let advisor = world.token(Role::Advisor);
    let client = world.token(Role::Client);
    let provider = app.provider_in(town.municipality, ProviderKind::PrivateProvider, &["gardening"]);
    let referred = app.with_db(|c| requests::find(c, town.request)).unwrap();
    let with_referral = app.open_referral(town.client, town.municipality, provider, referred.created_by);
    let referral_request = app.with_db(|c| referrals::find(c, with_referral)).unwrap();
    let with_assignment = app.accepted_assignment(town.client, town.municipality, town.jobseeker, referred.created_by);
    let assignment_request = app.with_db(|c| assignments::find(c, with_assignment)).unwrap();

    // The request with its client, latest assignment, referral and trail.
    for (id, token) in [
        (town.request, advisor),
        (town.request, client),
        (referral_request.request_id, advisor),
        (assignment_request.request_id, advisor),
    ] {
        let path = format!("/api/v1/requests/{id}");
        let statements = statements_of(&app, &url, &path, token).await;
        assert_statements(&path, &statements, caller(&app) + 1);
    }
    let read = ok_json(
        app.get(&format!("/api/v1/requests/{}", referral_request.request_id), advisor)
            .await,
    )
    .await;
    assert_eq!(read["referral"]["provider_id"], json!(provider), "{read}");
    let read = ok_json(
        app.get(&format!("/api/v1/requests/{}", assignment_request.request_id), advisor)
            .await,
    )
    .await;
    assert_eq!(read["assignment"]["id"], json!(with_assignment), "{read}");
    assert_eq!(read["assignment"]["status"], "accepted", "{read}");

    // A request the caller may not see costs the same.
    let other = format!("/api/v1/requests/{}", world.valkenswaard.request);
    let response = app.get(&other, advisor).await;
    assert_eq!(response.status(), 404);
    take(&url);
    let response = app.get(&other, advisor).await;
    assert_eq!(response.status(), 404);
    assert_statements("a request out of scope", &take(&url), caller(&app) + 1);
}

#[actix_web::test]
async fn the_other_hot_reads_take_at_most_two_statements_besides_their_caller() {
    let (app, url) = watched_app().await;
    let world = app.world().await;
    let town = &world.waalre;
    let creator = app.with_db(|c| requests::find(c, town.request)).unwrap().created_by;
    app.accepted_assignment(town.client, town.municipality, town.jobseeker, creator);
    app.voucher_of(town.client, town.municipality, creator);

    // One page.
    let queue = statements_of(
        &app,
        &url,
        "/api/v1/requests?status=unmatched&limit=50",
        world.token(Role::Advisor),
    )
    .await;
    assert_statements("the unmatched queue", &queue, caller(&app) + 1);
    // The member (who may see them), one page.
    let schedule = format!("/api/v1/members/{}/assignments", town.jobseeker);
    for role in [Role::Coach, Role::Member] {
        let statements = statements_of(&app, &url, &schedule, world.token(role)).await;
        assert_statements(
            &format!("a member's schedule read by {role:?}"),
            &statements,
            caller(&app) + 2,
        );
    }
    // The client with its tally, one page of vouchers.
    let vouchers = format!("/api/v1/clients/{}/vouchers", town.client);
    for role in [Role::Coordinator, Role::Client] {
        let statements = statements_of(&app, &url, &vouchers, world.token(role)).await;
        assert_statements(
            &format!("a client's vouchers read by {role:?}"),
            &statements,
            caller(&app) + 2,
        );
    }
    let balance = ok_json(app.get(&vouchers, world.token(Role::Coordinator)).await).await;
    assert_eq!(balance["items"].as_array().map(Vec::len), Some(2), "{balance}");
}

#[actix_web::test]
async fn routing_a_new_request_takes_one_statement_per_kind_of_fact() {
    let (app, url) = watched_app().await;
    let world = app.world().await;
    let town = &world.waalre;
    let advisor = world.token(Role::Advisor);
    let creator = app.with_db(|c| requests::find(c, town.request)).unwrap().created_by;
    // Every member of the town pauses, so the walk passes both member tiers (their
    // statement still runs and finds nobody) and refers the request to the provider.
    app.with_db(|c| {
        use diesel::prelude::*;
        use woonservice::domain::member::MemberStatus;
        use woonservice::store::schema::members;
        diesel::update(members::table.filter(members::municipality_id.eq(town.municipality)))
            .set(members::status.eq(MemberStatus::Paused))
            .execute(c)?;
        Ok(())
    });
    let mut statements = Vec::new();
    // The first route prepares statements on a fresh connection; the second counts.
    for _ in 0..2 {
        let fresh = app.fresh_request(town.client, town.municipality, creator);
        take(&url);
        let routed = ok_json(
            app.post(
                &format!("/api/v1/requests/{}/route", fresh.request),
                advisor,
                &json!({}),
            )
            .await,
        )
        .await;
        assert_eq!(routed["tier"], "private_provider", "{routed}");
        statements = take(&url);
    }
    // BEGIN; the request locked; its client, category, preconditions and trail; the
    // skilled members with their bookings and history with the client; the providers
    // with their open referrals; the trail lines; the referral; the new status; COMMIT.
    assert_statements("routing a new request", &statements, caller(&app) + 9);
}
