//! Assignments through the API: the status machine, the request's status with it,
//! and the guarantees under concurrent accepts.

use chrono::Duration;
use serde_json::{Value, json};
use woonservice::domain::hours::QuarterHours;
use woonservice::domain::member::MemberKind;
use woonservice::domain::request::{NewTaskRequest, RequestStatus, Tier};
use woonservice::domain::window::DateWindow;
use woonservice::store::requests;

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::scenario::{Scenario, weekday_morning};

async fn request_status(app: &TestApp, s: &Scenario, request: i64) -> String {
    let detail: Value = app
        .get(&format!("/api/v1/requests/{request}"), &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    detail["status"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_proposal_accepted_schedules_the_request_and_completing_it_completes_the_request() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Annie");
    let volunteer = app.worker(&s, MemberKind::Volunteer, &["gardening"], 8);
    let start = weekday_morning(3);
    let request = app.request(&s, client, "gardening", start, 4, 2.0).await;
    app.route(&s.advisor, request).await;
    let assignment = app.propose(&s, request, volunteer, start, 2).await;
    assert_eq!(request_status(&app, &s, request).await, "routed");

    let (status, body) = app.act(&s.advisor, assignment, "accept", json!({})).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("accepted")), "{body}");
    assert_eq!(request_status(&app, &s, request).await, "scheduled");
    let (status, body) = app.act(&s.advisor, assignment, "accept", json!({})).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("invalid_transition")));

    let (status, body) = app
        .act(&s.advisor, assignment, "complete", json!({"hours_worked": 2.25}))
        .await;
    assert_eq!((status, body["hours_worked"].as_f64()), (200, Some(2.25)));
    assert_eq!(request_status(&app, &s, request).await, "completed");
    let detail: Value = app
        .get(&format!("/api/v1/requests/{request}"), &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["assignment"]["id"], assignment);
    assert_eq!(detail["assignment"]["status"], "completed");
    let (status, _) = app.route(&s.advisor, request).await;
    assert_eq!(status, 409, "a completed request cannot be routed");
}

#[tokio::test]
async fn a_decline_or_no_show_puts_the_request_back_for_the_next_candidate() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Gerrit");
    let first = app.worker(&s, MemberKind::Volunteer, &["errands"], 8);
    let second = app.worker(&s, MemberKind::Volunteer, &["errands"], 8);
    let start = weekday_morning(3);
    let request = app.request(&s, client, "errands", start, 4, 1.0).await;
    app.route(&s.advisor, request).await;
    let declined = app.propose(&s, request, first, start, 1).await;
    let (status, body) = app.act(&s.coach, declined, "decline", json!({})).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("declined")),
        "their coach declines for a volunteer in scope"
    );
    let (status, body) = app.act(&s.advisor, declined, "accept", json!({})).await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("invalid_transition")),
        "a declined assignment cannot be accepted"
    );
    assert_eq!(request_status(&app, &s, request).await, "routed");

    let next = app.propose(&s, request, second, start, 1).await;
    app.act(&s.advisor, next, "accept", json!({})).await;
    assert_eq!(request_status(&app, &s, request).await, "scheduled");
    let (status, body) = app
        .act(&s.advisor, next, "no-show", json!({"reason": "Niet komen opdagen"}))
        .await;
    assert_eq!(
        (status, body["status"].as_str(), body["reason"].as_str()),
        (200, Some("no_show"), Some("Niet komen opdagen"))
    );
    assert_eq!(request_status(&app, &s, request).await, "routed");
}

#[tokio::test]
async fn a_slot_outside_the_window_or_a_member_of_the_wrong_kind_is_refused() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Riet");
    let volunteer = app.worker(&s, MemberKind::Volunteer, &["gardening"], 8);
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["gardening"], 8);
    let start = weekday_morning(3);
    let request = app.request(&s, client, "gardening", start, 4, 2.0).await;
    let path = format!("/api/v1/requests/{request}/assignments");
    let slot = |from: chrono::DateTime<chrono::Utc>, member: i64| json!({"member_id": member, "starts_at": from, "ends_at": from + Duration::hours(2)});
    assert_problem(
        app.post(&path, &s.advisor, &slot(start, volunteer)).await,
        409,
        "invalid_transition",
    )
    .await;
    app.route(&s.advisor, request).await;
    let late = assert_problem(
        app.post(&path, &s.advisor, &slot(start + Duration::hours(3), volunteer))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(late["errors"][0]["field"], "starts_at");
    let odd = assert_problem(
        app.post(&path, &s.advisor, &slot(start + Duration::minutes(10), volunteer))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(odd["errors"][0]["field"], "starts_at");
    let wrong_kind = assert_problem(
        app.post(&path, &s.advisor, &slot(start, jobseeker)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(wrong_kind["errors"][0]["field"], "member_id");
    app.propose(&s, request, volunteer, start, 2).await;
    assert_problem(
        app.post(&path, &s.advisor, &slot(start, volunteer)).await,
        409,
        "invalid_transition",
    )
    .await;
}

/// Requests routed to the volunteer tier with a one-hour window at each of `starts`,
/// made directly in the store (a bulk setup, not what is under test).
fn routed_requests(app: &TestApp, s: &Scenario, starts: &[chrono::DateTime<chrono::Utc>]) -> Vec<i64> {
    let client = app.client_in(s.municipality, "Bulk");
    let admin = app.user(woonservice::domain::Role::Admin, &[], None, None).0;
    starts
        .iter()
        .map(|start| {
            let new = NewTaskRequest {
                client_id: client,
                category: "gardening".into(),
                description: "Tuin".into(),
                window: DateWindow::stored(*start, *start + Duration::hours(2)),
                estimated_hours: QuarterHours::from_hours(1),
            };
            app.with_db(|c| {
                let id = requests::insert(c, &new, s.municipality, admin, app.now())?;
                requests::set_routing(c, id, RequestStatus::Routed, Some(Tier::Volunteer), app.now())?;
                Ok(id)
            })
        })
        .collect()
}

async fn accept_all_at_once(app: &TestApp, s: &Scenario, assignments: &[i64]) -> Vec<(u16, Value)> {
    futures_util::future::join_all(assignments.iter().map(|a| app.act(&s.advisor, *a, "accept", json!({})))).await
}

#[tokio::test]
async fn of_thirty_two_simultaneous_accepts_of_overlapping_slots_for_one_member_exactly_one_succeeds() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let member = app.worker(&s, MemberKind::Volunteer, &["gardening"], 40);
    let monday = weekday_morning(3);
    let starts: Vec<_> = (0..32).map(|i| monday + Duration::minutes(15 * (i % 4))).collect();
    let requests = routed_requests(&app, &s, &starts);
    let mut assignments = Vec::new();
    for (request, start) in requests.iter().zip(&starts) {
        assignments.push(app.propose(&s, *request, member, *start, 1).await);
    }
    let results = accept_all_at_once(&app, &s, &assignments).await;
    let accepted = results.iter().filter(|(status, _)| *status == 200).count();
    let overlaps = results
        .iter()
        .filter(|(status, body)| *status == 409 && body["code"] == "overlap")
        .count();
    assert_eq!(accepted, 1, "{results:?}");
    assert_eq!(overlaps, 31, "{results:?}");
}

#[tokio::test]
async fn of_thirty_two_simultaneous_accepts_no_more_hours_are_accepted_than_the_weekly_cap() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let member = app.worker(&s, MemberKind::Volunteer, &["gardening"], 5);
    // 32 one-hour slots one after another from Monday 09:00: all in one ISO week, none overlapping.
    let monday = weekday_morning(3);
    let starts: Vec<_> = (0..32).map(|i| monday + Duration::hours(i)).collect();
    let requests = routed_requests(&app, &s, &starts);
    let mut assignments = Vec::new();
    for (request, start) in requests.iter().zip(&starts) {
        assignments.push(app.propose(&s, *request, member, *start, 1).await);
    }
    let results = accept_all_at_once(&app, &s, &assignments).await;
    let accepted = results.iter().filter(|(status, _)| *status == 200).count();
    let capped = results
        .iter()
        .filter(|(status, body)| *status == 409 && body["code"] == "weekly_cap")
        .count();
    assert_eq!(accepted, 5, "a 5-hour cap takes five one-hour slots: {results:?}");
    assert_eq!(capped, 27, "{results:?}");
}

#[tokio::test]
async fn a_members_schedule_lists_their_assignments_soonest_first() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Jo");
    let volunteer = app.worker(&s, MemberKind::Volunteer, &["errands"], 20);
    let later = weekday_morning(10);
    let sooner = weekday_morning(3);
    let r1 = app.request(&s, client, "errands", later, 4, 1.0).await;
    let r2 = app.request(&s, client, "errands", sooner, 4, 1.0).await;
    app.route(&s.advisor, r1).await;
    app.route(&s.advisor, r2).await;
    let a_later = app.propose(&s, r1, volunteer, later, 1).await;
    let a_sooner = app.propose(&s, r2, volunteer, sooner, 1).await;
    let schedule: Value = app
        .get(&format!("/api/v1/members/{volunteer}/assignments?limit=1"), &s.coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(schedule["items"][0]["id"], a_sooner);
    let next = schedule["next_cursor"].as_str().unwrap();
    let page2: Value = app
        .get(
            &format!("/api/v1/members/{volunteer}/assignments?limit=1&cursor={next}"),
            &s.coach,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page2["items"][0]["id"], a_later);
    assert_eq!(page2["next_cursor"], Value::Null);
    let client_token = app
        .token(
            &app.user(woonservice::domain::Role::Client, &[s.municipality], Some(client), None)
                .1,
        )
        .await;
    assert_problem(
        app.get(&format!("/api/v1/members/{volunteer}/assignments"), &client_token)
            .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn the_member_reads_where_to_go_and_whom_to_ring_and_the_client_reads_who_comes() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Riet Smulders");
    let volunteer = app.worker(&s, MemberKind::Volunteer, &["gardening"], 16);
    let start = weekday_morning(3);
    let request = app.request(&s, client, "gardening", start, 4, 1.0).await;
    app.route(&s.advisor, request).await;
    let assignment = app.propose(&s, request, volunteer, start, 1).await;
    let path = format!("/api/v1/assignments/{assignment}");

    let (_, member_email) = app.user(woonservice::domain::Role::Member, &[], None, Some(volunteer));
    let member = app.token(&member_email).await;
    for token in [&member, &s.advisor, &s.coordinator] {
        let read: Value = app.get(&path, token).await.json().await.unwrap();
        assert_eq!(read["id"], assignment, "{read}");
        assert_eq!(
            read["visit"],
            json!({"category": "gardening", "category_name": "Tuinonderhoud", "description": "Hulp gevraagd",
                "address": "Dreef 1, 5581 AB Waalre", "client_name": "Riet Smulders", "client_phone": "040 123 45 67"})
        );
    }

    let (_, client_email) = app.user(woonservice::domain::Role::Client, &[s.municipality], Some(client), None);
    let own = app.token(&client_email).await;
    let read: Value = app.get(&path, &own).await.json().await.unwrap();
    let member_name = app.with_db(|c| Ok(woonservice::store::members::find(c, volunteer)?.unwrap().fields.name));
    let first_name = member_name.split_whitespace().next().unwrap();
    assert_eq!(
        read["visit"],
        json!({"category": "gardening", "category_name": "Tuinonderhoud", "description": "Hulp gevraagd",
            "member_name": first_name}),
        "the client sees no address book, only who comes"
    );
    let other = app.client_in(s.municipality, "Piet");
    let (_, other_email) = app.user(woonservice::domain::Role::Client, &[s.municipality], Some(other), None);
    let stranger = app.token(&other_email).await;
    assert_problem(app.get(&path, &stranger).await, 404, "not_found").await;
}
