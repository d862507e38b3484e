//! Cursors that the service did not give out — forged with the hash the source shows,
//! or signed with the server's key but holding a key no row can have — answer 400,
//! on SQLite and on PostgreSQL alike, and never reach the database as an error.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use woonservice::api::paging::{CursorKey, Cursors, KEY_PURPOSE};
use woonservice::domain::member::MemberKind;
use woonservice::domain::page::{Direction, Position};

use crate::helpers::{TestApp, assert_problem, spawn_app};

/// A cursor as anyone could make one before cursors were signed with a server key:
/// a SHA-256 over a salt that is in the public source.
fn with_public_salt(payload: &str) -> String {
    let digest = Sha256::new()
        .chain_update(b"woonservice cursor v1")
        .chain_update(payload.as_bytes())
        .finalize();
    let mut bytes = payload.as_bytes().to_vec();
    bytes.extend_from_slice(&digest[..6]);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A cursor signed with the key of this test's server (the test knows its secret).
fn signed<K: CursorKey>(app: &TestApp, key: K, id: i64) -> String {
    Cursors::new(app.ctx.keys.derive(KEY_PURPOSE)).encode(&Position {
        direction: Direction::After,
        key,
        id,
    })
}

async fn assert_refused(app: &TestApp, path: &str, cursor: &str, token: &str) {
    let separator = if path.contains('?') { '&' } else { '?' };
    let response = app.get(&format!("{path}{separator}cursor={cursor}"), token).await;
    let body = assert_problem(response, 400, "bad_request").await;
    assert!(body["detail"].as_str().unwrap().contains("cursor"), "{body}");
}

fn day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1).unwrap()
}

fn moment(year: i32) -> DateTime<Utc> {
    day(year).and_hms_opt(0, 0, 0).unwrap().and_utc()
}

#[tokio::test]
async fn a_cursor_forged_with_the_public_hash_or_another_key_is_refused_on_every_kind_of_list() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Jo");
    let volunteer = app.worker(&s, MemberKind::Volunteer, &["errands"], 20);
    let vouchers = format!("/api/v1/clients/{client}/vouchers");
    let schedule = format!("/api/v1/members/{volunteer}/assignments");
    let foreign = Cursors::new([9; 32]);
    fn after<K>(key: K, id: i64) -> Position<K> {
        Position {
            direction: Direction::After,
            key,
            id,
        }
    }
    for (path, payload, cursor, token) in [
        ("/api/v1/clients", "a|1|", foreign.encode(&after((), 1)), &s.advisor),
        (
            &vouchers,
            "a|1|2026-01-01",
            foreign.encode(&after(day(2026), 1)),
            &s.coordinator,
        ),
        (&schedule, "a|1|0", foreign.encode(&after(moment(2026), 1)), &s.coach),
    ] {
        assert_refused(&app, path, &with_public_salt(payload), token).await;
        assert_refused(&app, path, &cursor, token).await;
    }
}

#[tokio::test]
async fn a_signed_cursor_with_an_id_no_row_can_have_is_refused_and_the_largest_id_is_an_empty_page() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Jo");
    for id in [0, -1, i64::MIN] {
        assert_refused(&app, "/api/v1/clients", &signed(&app, (), id), &s.advisor).await;
        let vouchers = format!("/api/v1/clients/{client}/vouchers");
        assert_refused(&app, &vouchers, &signed(&app, day(2026), id), &s.coordinator).await;
    }
    // Past the last possible row: a valid position with nothing after it.
    let path = format!("/api/v1/clients?cursor={}", signed(&app, (), i64::MAX));
    let response = app.get(&path, &s.advisor).await;
    assert_eq!(response.status(), 200);
    let page: serde_json::Value = response.json().await.unwrap();
    assert_eq!(page["items"], serde_json::json!([]));
}

#[tokio::test]
async fn a_signed_cursor_with_a_date_outside_what_both_databases_store_is_refused() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Jo");
    let path = format!("/api/v1/clients/{client}/vouchers");
    // PostgreSQL refuses dates before 4713 BC; chrono's range ends at ±262143.
    for year in [-262_000, -200_000, -5000, 0, 10_000, 200_000, 262_000] {
        assert_refused(&app, &path, &signed(&app, day(year), 1), &s.coordinator).await;
    }
    for edge in [day(1), day(9999)] {
        let cursor = signed(&app, edge, 1);
        let response = app.get(&format!("{path}?cursor={cursor}"), &s.coordinator).await;
        assert_eq!(response.status(), 200, "{edge}");
    }
}

#[tokio::test]
async fn a_signed_cursor_with_a_timestamp_outside_what_both_databases_store_is_refused() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let volunteer = app.worker(&s, MemberKind::Volunteer, &["errands"], 20);
    let path = format!("/api/v1/members/{volunteer}/assignments");
    for year in [-262_000, -200_000, -5000, 0, 10_000, 200_000, 262_000] {
        assert_refused(&app, &path, &signed(&app, moment(year), 1), &s.coach).await;
    }
    for edge in [moment(1), moment(9999)] {
        let cursor = signed(&app, edge, 1);
        let response = app.get(&format!("{path}?cursor={cursor}"), &s.coach).await;
        assert_eq!(response.status(), 200, "{edge}");
    }
}
