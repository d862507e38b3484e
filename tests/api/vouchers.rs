//! Service vouchers through the API and the CLI: exact money, serials, caps,
//! idempotent sales, reservation and redemption, expiry and the ledger.

use chrono::Duration;
use serde_json::{Value, json};
use woonservice::domain::Role;
use woonservice::domain::member::MemberKind;
use woonservice::domain::report::Month;
use woonservice::domain::schedule::local_date;
use woonservice::domain::voucher::Serial;
use woonservice::service::jobs::Job;
use woonservice::store::municipalities;

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::scenario::{Scenario, weekday_morning};

fn set_municipality(
    app: &TestApp,
    s: &Scenario,
    change: impl FnOnce(&mut woonservice::domain::municipality::MunicipalityFields),
) {
    app.with_db(|c| {
        let mut m = municipalities::find(c, s.municipality)?.unwrap();
        change(&mut m.fields);
        municipalities::update(c, s.municipality, &m.fields, app.now())
    });
}

async fn sell_with_key(app: &TestApp, s: &Scenario, client: i64, count: i64, key: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/clients/{client}/vouchers")))
        .bearer_auth(&s.coordinator)
        .header("Idempotency-Key", key)
        .json(&json!({"count": count}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_idempotency_key_belongs_to_one_user_and_is_forgotten_after_a_day() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Gerda");
    assert_eq!(sell_with_key(&app, &s, client, 2, "dag-1").await.status(), 201);
    // Another coordinator's key of the same text is another key.
    let colleague = Scenario {
        municipality: s.municipality,
        advisor: s.advisor.clone(),
        coordinator: app.token_for(Role::Coordinator, &["Waalre"]).await,
        coach_id: s.coach_id,
        coach: s.coach.clone(),
        coach_email: s.coach_email.clone(),
    };
    assert_eq!(sell_with_key(&app, &colleague, client, 3, "dag-1").await.status(), 201);
    assert_eq!(app.balance(&s, client).await["available"], 5);
    // Within the day the same key answers what it answered before.
    app.advance(chrono::Duration::hours(23));
    assert_eq!(sell_with_key(&app, &s, client, 2, "dag-1").await.status(), 201);
    assert_eq!(app.balance(&s, client).await["available"], 5);
    // A day and an hour after it was first used the key is free again: the same
    // text sells anew.
    app.advance(chrono::Duration::hours(2));
    assert_eq!(sell_with_key(&app, &s, client, 4, "dag-1").await.status(), 201);
    assert_eq!(app.balance(&s, client).await["available"], 9);
}

#[tokio::test]
async fn a_sale_issues_numbered_vouchers_at_the_exact_price_valid_for_the_municipalitys_months() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    set_municipality(&app, &s, |m| {
        m.voucher_price = woonservice::domain::money::Money::parse_positive("5.55", 1000).unwrap();
        m.voucher_validity_months = 6;
    });
    let client = app.client_in(s.municipality, "Annie");
    let response = sell_with_key(&app, &s, client, 10, "sale-1").await;
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.headers()["location"],
        format!("/api/v1/clients/{client}/vouchers")
    );
    let sale: Value = response.json().await.unwrap();
    assert_eq!(sale["total_value"], "55.50");
    let vouchers = sale["vouchers"].as_array().unwrap();
    assert_eq!(vouchers.len(), 10);
    let today = woonservice::domain::schedule::local_date(chrono::Utc::now());
    let expected_expiry = woonservice::domain::voucher::expiry(today, 6).to_string();
    for v in vouchers {
        assert_eq!(v["value"], "5.55");
        assert_eq!(v["status"], "available");
        assert_eq!(v["issued_on"], today.to_string());
        assert_eq!(v["expires_on"], expected_expiry);
        assert!(Serial::parse(v["serial"].as_str().unwrap()).is_ok());
        assert!(v["serial"].as_str().unwrap().starts_with("WAA-"));
    }
    let mut serials: Vec<&str> = vouchers.iter().map(|v| v["serial"].as_str().unwrap()).collect();
    serials.dedup();
    assert_eq!(serials.len(), 10);
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["available_value"].as_str()),
        (Some(10), Some("55.50"))
    );
}

#[tokio::test]
async fn a_sale_needs_an_idempotency_key_and_a_repeat_with_it_sells_once() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Gerrit");
    let without = app
        .post(
            &format!("/api/v1/clients/{client}/vouchers"),
            &s.coordinator,
            &json!({"count": 2}),
        )
        .await;
    let problem = assert_problem(without, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
    let spaced = sell_with_key(&app, &s, client, 2, "two words").await;
    let problem = assert_problem(spaced, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "Idempotency-Key");
    let first = sell_with_key(&app, &s, client, 2, "k").await.text().await.unwrap();
    let again = sell_with_key(&app, &s, client, 2, "k").await.text().await.unwrap();
    assert_eq!(first, again);
    assert_problem(
        sell_with_key(&app, &s, client, 3, "k").await,
        422,
        "idempotency_key_reused",
    )
    .await;
    assert_eq!(app.balance(&s, client).await["available"], 2);

    let concurrent = futures_util::future::join_all((0..16).map(|_| sell_with_key(&app, &s, client, 4, "burst"))).await;
    let mut bodies = Vec::new();
    for response in concurrent {
        assert_eq!(response.status(), 201);
        bodies.push(response.text().await.unwrap());
    }
    assert!(
        bodies.iter().all(|b| b == &bodies[0]),
        "sixteen identical sales answered differently"
    );
    assert_eq!(
        app.balance(&s, client).await["available"],
        6,
        "sixteen identical sales sold one batch"
    );
}

#[tokio::test]
async fn a_sale_that_would_pass_the_yearly_cap_sells_nothing_and_reaching_it_exactly_is_allowed() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    set_municipality(&app, &s, |m| m.yearly_voucher_cap = Some(12));
    let client = app.client_in(s.municipality, "Riet");
    assert_eq!(sell_with_key(&app, &s, client, 10, "a").await.status(), 201);
    assert_problem(
        sell_with_key(&app, &s, client, 3, "b").await,
        409,
        "yearly_cap_exceeded",
    )
    .await;
    assert_eq!(app.balance(&s, client).await["available"], 10);
    assert_eq!(sell_with_key(&app, &s, client, 2, "c").await.status(), 201);
    for count in [0, 101] {
        assert_problem(
            sell_with_key(&app, &s, client, count, &format!("d{count}")).await,
            422,
            "validation_failed",
        )
        .await;
    }
}

#[tokio::test]
async fn only_an_available_voucher_is_cancelled_and_a_mistyped_serial_is_refused() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Truus");
    let sale = app.sell(&s, client, 2).await;
    let serial = sale["vouchers"][0]["serial"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/vouchers/{serial}/cancel");
    assert_problem(
        app.post(&path, &s.advisor, &json!({"reason": "x"})).await,
        403,
        "forbidden",
    )
    .await;
    let cancelled: Value = app
        .post(&path, &s.coordinator, &json!({"reason": "Verkeerd verkocht"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_problem(
        app.post(&path, &s.coordinator, &json!({"reason": "nogmaals"})).await,
        409,
        "voucher_not_cancellable",
    )
    .await;
    let mut mistyped = serial.clone();
    let last = mistyped.pop().unwrap().to_digit(10).unwrap();
    mistyped.push(char::from_digit((last + 1) % 10, 10).unwrap());
    let refused = assert_problem(
        app.post(
            &format!("/api/v1/vouchers/{mistyped}/cancel"),
            &s.coordinator,
            &json!({"reason": "x"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "serial");
    let unknown = Serial::new("ZZZ", 2026, 999_999);
    assert_problem(
        app.post(
            &format!("/api/v1/vouchers/{}/cancel", unknown.as_str()),
            &s.coordinator,
            &json!({"reason": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["cancelled"].as_i64()),
        (Some(1), Some(1))
    );
}

#[tokio::test]
async fn the_store_counts_and_picks_exactly_the_vouchers_the_domain_calls_spendable() {
    use diesel::prelude::*;
    use woonservice::domain::voucher::{VoucherStatus, is_spendable};
    use woonservice::store::schema::vouchers as v;
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Truus");
    // The statuses a voucher can have without an assignment (a reserved or redeemed
    // one needs one, and is never spendable: the domain's tests cover those).
    let statuses: Vec<VoucherStatus> = VoucherStatus::ALL
        .iter()
        .copied()
        .filter(|s| !s.keeps_assignment())
        .collect();
    let kinds = statuses.len() as i64;
    app.sell(&s, client, 3 * kinds).await;
    let today = local_date(chrono::Utc::now());
    // Each of them with an expiry of yesterday, today and tomorrow.
    let stored: Vec<(i64, VoucherStatus, chrono::NaiveDate)> = app.with_db(|c| {
        let ids: Vec<i64> = v::table
            .filter(v::client_id.eq(client))
            .order(v::id)
            .select(v::id)
            .load(c)?;
        let mut stored = Vec::new();
        for (i, id) in ids.into_iter().enumerate() {
            let status = statuses[i % statuses.len()];
            let expires_on = today + Duration::days(i as i64 / kinds - 1);
            diesel::update(v::table.find(id))
                .set((v::status.eq(status), v::expires_on.eq(expires_on)))
                .execute(c)?;
            stored.push((id, status, expires_on));
        }
        Ok(stored)
    });
    let spendable: Vec<i64> = stored
        .iter()
        .filter(|(_, status, expires_on)| is_spendable(*status, *expires_on, today))
        .map(|(id, _, _)| *id)
        .collect();
    assert_eq!(spendable.len(), 2, "available today and tomorrow");
    let mut picked: Vec<i64> = app
        .with_db(|c| woonservice::store::vouchers::spendable(c, client, 100, today))
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    picked.sort_unstable();
    assert_eq!(picked, spendable);
    let counted = app.with_db(|c| woonservice::store::vouchers::available_count(c, client, today));
    assert_eq!(counted, spendable.len() as i64);
}

#[tokio::test]
async fn a_voucher_past_its_date_counts_as_expired_before_and_after_the_expiry_job() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Kees");
    app.sell(&s, client, 3).await;
    let yesterday = woonservice::domain::schedule::local_date(chrono::Utc::now()) - Duration::days(1);
    app.with_db(|c| {
        use diesel::prelude::*;
        use woonservice::store::schema::vouchers as v;
        let first: i64 = v::table
            .filter(v::client_id.eq(client))
            .select(v::id)
            .order(v::id)
            .first(c)?;
        diesel::update(v::table.find(first))
            .set(v::expires_on.eq(yesterday))
            .execute(c)?;
        Ok(())
    });
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["expired"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(balance["items"][0]["status"], "expired", "soonest expiry first");
    let expired = woonservice::service::vouchers::expire(&app.ctx.db, app.now()).unwrap();
    assert_eq!(expired, 1);
    assert_eq!(
        woonservice::service::vouchers::expire(&app.ctx.db, app.now()).unwrap(),
        0,
        "the job expires a voucher once"
    );
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["expired"].as_i64()),
        (Some(2), Some(1))
    );
}

/// A jobseeker-tier request for `client`, routed, with a proposal of `hours` hours.
async fn tier_two_proposal(app: &TestApp, s: &Scenario, client: i64, member: i64, day: i64, hours: f64) -> (i64, i64) {
    let start = weekday_morning(day);
    let request = app.request(s, client, "odd_jobs", start, 8, 1.0).await;
    let (_, routed) = app.route(&s.advisor, request).await;
    assert_eq!(routed["tier"], "woonservice", "{routed}");
    let body =
        json!({"member_id": member, "starts_at": start, "ends_at": start + Duration::minutes((hours * 60.0) as i64)});
    let response = app
        .post(&format!("/api/v1/requests/{request}/assignments"), &s.advisor, &body)
        .await;
    assert_eq!(response.status(), 201);
    (request, response.json::<Value>().await.unwrap()["id"].as_i64().unwrap())
}

#[tokio::test]
async fn accepting_reserves_a_voucher_per_started_hour_and_completing_redeems_for_the_hours_worked() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Jan");
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 40);
    app.sell(&s, client, 5).await;
    let (_, assignment) = tier_two_proposal(&app, &s, client, jobseeker, 3, 2.25).await;
    let (status, _) = app.act(&s.advisor, assignment, "accept", json!({})).await;
    assert_eq!(status, 200);
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["reserved"].as_i64()),
        (Some(2), Some(3))
    );
    let reserved_for: Vec<&Value> = balance["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["status"] == "reserved")
        .collect();
    assert!(reserved_for.iter().all(|v| v["assignment_id"] == assignment));

    let (_, done) = app
        .act(&s.advisor, assignment, "complete", json!({"hours_worked": 1.5}))
        .await;
    assert_eq!(done["voucher_shortfall"], 0);
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (
            balance["available"].as_i64(),
            balance["reserved"].as_i64(),
            balance["redeemed"].as_i64()
        ),
        (Some(3), Some(0), Some(2)),
        "two started hours redeemed, the third reserved one released"
    );

    let (_, second) = tier_two_proposal(&app, &s, client, jobseeker, 10, 1.0).await;
    app.act(&s.advisor, second, "accept", json!({})).await;
    let (_, done) = app
        .act(&s.advisor, second, "complete", json!({"hours_worked": 5.0}))
        .await;
    assert_eq!(
        done["voucher_shortfall"], 2,
        "five hours due, three vouchers left: the work completes with a shortfall"
    );
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["redeemed"].as_i64()),
        (Some(0), Some(5))
    );
    // The shortfall is in the report of the month the work was done.
    let month = Month::of(local_date(weekday_morning(10)));
    let report: Value = app
        .get(
            &format!(
                "/api/v1/reports/monthly?municipality_id={}&month={month}",
                s.municipality
            ),
            &s.coordinator,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(report["vouchers"]["shortfall"], 2, "{report}");
}

#[tokio::test]
async fn a_no_show_releases_the_reservation_and_a_voucher_that_expires_while_reserved_is_still_redeemed() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Truus");
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 40);
    app.sell(&s, client, 3).await;
    let (_, missed) = tier_two_proposal(&app, &s, client, jobseeker, 3, 2.0).await;
    app.act(&s.advisor, missed, "accept", json!({})).await;
    assert_eq!(app.balance(&s, client).await["reserved"], 2);
    let (status, _) = app
        .act(&s.advisor, missed, "no-show", json!({"reason": "Niemand thuis"}))
        .await;
    assert_eq!(status, 200);
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["reserved"].as_i64()),
        (Some(3), Some(0))
    );

    let (_, visit) = tier_two_proposal(&app, &s, client, jobseeker, 4, 2.0).await;
    app.act(&s.advisor, visit, "accept", json!({})).await;
    // The client booked in time; the vouchers' date passes before the visit.
    let statement =
        format!("UPDATE vouchers SET expires_on = '2020-01-31' WHERE assignment_id = {visit} AND status = 'reserved'");
    assert_eq!(
        app.with_db(|c| Ok(diesel::RunQueryDsl::execute(diesel::sql_query(statement), c)?)),
        2
    );
    Job::ExpireVouchers.run(&app.ctx).unwrap();
    let (status, done) = app
        .act(&s.advisor, visit, "complete", json!({"hours_worked": 2.0}))
        .await;
    assert_eq!((status, done["voucher_shortfall"].as_i64()), (200, Some(0)), "{done}");
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["redeemed"].as_i64(), balance["available"].as_i64()),
        (Some(2), Some(1))
    );
    assert!(verify(&app).0);
}

#[tokio::test]
async fn an_accept_without_enough_vouchers_is_409_and_changes_nothing_and_volunteer_work_uses_none() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Wim");
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 40);
    app.sell(&s, client, 1).await;
    let (request, assignment) = tier_two_proposal(&app, &s, client, jobseeker, 3, 1.0).await;
    let serial = app.balance(&s, client).await["items"][0]["serial"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/v1/vouchers/{serial}/cancel"),
        &s.coordinator,
        &json!({"reason": "terug"}),
    )
    .await;
    let (status, body) = app.act(&s.advisor, assignment, "accept", json!({})).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("insufficient_vouchers")));
    let assignment_now: Value = app
        .get(&format!("/api/v1/assignments/{assignment}"), &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(assignment_now["status"], "proposed");
    let detail: Value = app
        .get(&format!("/api/v1/requests/{request}"), &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["status"], "routed");

    let volunteer = app.worker(&s, MemberKind::Volunteer, &["errands"], 8);
    let start = weekday_morning(3);
    let errands = app.request(&s, client, "errands", start, 4, 1.0).await;
    app.route(&s.advisor, errands).await;
    let free = app.propose(&s, errands, volunteer, start, 1).await;
    let (status, _) = app.act(&s.advisor, free, "accept", json!({})).await;
    assert_eq!(status, 200, "tier 1 needs no vouchers");
}

#[tokio::test]
async fn twelve_simultaneous_accepts_against_three_vouchers_accept_exactly_three() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Mien");
    app.sell(&s, client, 12).await;
    let mut assignments = Vec::new();
    for _ in 0..12 {
        let member = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 40);
        assignments.push(tier_two_proposal(&app, &s, client, member, 3, 1.0).await.1);
    }
    let balance = app.balance(&s, client).await;
    for v in balance["items"].as_array().unwrap().iter().skip(3) {
        let serial = v["serial"].as_str().unwrap();
        app.post(
            &format!("/api/v1/vouchers/{serial}/cancel"),
            &s.coordinator,
            &json!({"reason": "terug"}),
        )
        .await;
    }
    let results =
        futures_util::future::join_all(assignments.iter().map(|a| app.act(&s.advisor, *a, "accept", json!({})))).await;
    let accepted = results.iter().filter(|(status, _)| *status == 200).count();
    let short = results
        .iter()
        .filter(|(status, body)| *status == 409 && body["code"] == "insufficient_vouchers")
        .count();
    assert_eq!((accepted, short), (3, 9), "{results:?}");
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["reserved"].as_i64(), balance["available"].as_i64()),
        (Some(3), Some(0))
    );
}

#[tokio::test]
async fn sixty_four_simultaneous_completions_and_cancels_of_one_assignment_have_one_outcome() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Jo");
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 40);
    app.sell(&s, client, 4).await;
    let (_, assignment) = tier_two_proposal(&app, &s, client, jobseeker, 3, 2.0).await;
    app.act(&s.advisor, assignment, "accept", json!({})).await;
    let calls = (0..64).map(|i| {
        let (action, body) = if i % 2 == 0 {
            ("complete", json!({"hours_worked": 2.0}))
        } else {
            ("cancel", json!({"reason": "afgezegd"}))
        };
        app.act(&s.advisor, assignment, action, body)
    });
    let results = futures_util::future::join_all(calls).await;
    let succeeded: Vec<&(u16, Value)> = results.iter().filter(|(status, _)| *status == 200).collect();
    assert_eq!(succeeded.len(), 1, "{results:?}");
    assert!(
        results
            .iter()
            .filter(|(status, _)| *status != 200)
            .all(|(status, body)| *status == 409 && body["code"] == "invalid_transition")
    );
    let balance = app.balance(&s, client).await;
    let (redeemed, available) = (
        balance["redeemed"].as_i64().unwrap(),
        balance["available"].as_i64().unwrap(),
    );
    match succeeded[0].1["status"].as_str().unwrap() {
        "completed" => assert_eq!((redeemed, available), (2, 2)),
        "cancelled" => assert_eq!((redeemed, available), (0, 4)),
        other => panic!("unexpected outcome {other}"),
    }
}

pub fn verify(app: &TestApp) -> (bool, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_woonservice"))
        .args(["vouchers", "verify"])
        .env_clear()
        .env("DATABASE_URL", app.db.url())
        .env("JWT_SECRET", "verify-secret-that-is-long-enough-for-hs256")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    // The exit status and stderr go into the message too: a failure to start or to
    // connect must be told apart from a ledger mismatch.
    (
        output.status.success(),
        format!(
            "{}\n[{}] {}",
            String::from_utf8_lossy(&output.stdout),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ),
    )
}

#[tokio::test]
async fn the_ledger_rebuilds_every_voucher_and_a_tampered_row_fails_the_check() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Henk");
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 40);
    app.sell(&s, client, 6).await;
    let (_, done) = tier_two_proposal(&app, &s, client, jobseeker, 3, 2.0).await;
    app.act(&s.advisor, done, "accept", json!({})).await;
    app.act(&s.advisor, done, "complete", json!({"hours_worked": 1.0}))
        .await;
    let (_, held) = tier_two_proposal(&app, &s, client, jobseeker, 10, 1.0).await;
    app.act(&s.advisor, held, "accept", json!({})).await;
    let serial = app.balance(&s, client).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["status"] == "available")
        .unwrap()["serial"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/v1/vouchers/{serial}/cancel"),
        &s.coordinator,
        &json!({"reason": "terug"}),
    )
    .await;

    let (ok, out) = verify(&app);
    assert!(ok, "{out}");
    assert!(
        out.contains("checked 6 voucher(s) of 1 client(s)")
            && out.contains("redeemed 1")
            && out.contains("reserved 1")
            && out.contains("cancelled 1"),
        "{out}"
    );

    // Each kind of tampering on its own: a status, an owner, a value.
    let other = app.client_in(s.municipality, "Kees");
    let tamperings = [
        (
            "status = 'available'",
            "stored available, the ledger says cancelled".to_owned(),
        ),
        (
            &*format!("client_id = {other}"),
            format!("stored client {other}, the ledger sold it to client {client}"),
        ),
        (
            "value_cents = 50000",
            "stored value 50000 cents, the ledger sold it at 500 cents".to_owned(),
        ),
    ];
    let sql = |set: &str| {
        let statement = format!("UPDATE vouchers SET {set} WHERE serial = '{serial}'");
        app.with_db(|c| Ok(diesel::RunQueryDsl::execute(diesel::sql_query(statement), c)?));
    };
    for (set, found) in tamperings {
        sql(set);
        let (ok, out) = verify(&app);
        assert!(!ok, "a tampered voucher passed: {out}");
        assert!(out.contains("MISMATCH") && out.contains(&found), "{found}: {out}");
        sql(&format!(
            "status = 'cancelled', client_id = {client}, value_cents = 500"
        ));
        let (ok, out) = verify(&app);
        assert!(ok, "restored, yet: {out}");
    }
}

#[tokio::test]
async fn ledger_events_cannot_be_changed_or_deleted() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Ria");
    app.sell(&s, client, 1).await;
    let result = app.ctx.db.run_blocking(|c| {
        use diesel::prelude::*;
        use woonservice::store::schema::voucher_events as e;
        diesel::update(e::table).set(e::kind.eq("redeemed")).execute(c)?;
        Ok(())
    });
    assert!(result.is_err(), "an event was changed");
    let result = app.ctx.db.run_blocking(|c| {
        use diesel::prelude::*;
        diesel::delete(woonservice::store::schema::voucher_events::table).execute(c)?;
        Ok(())
    });
    assert!(result.is_err(), "an event was deleted");
}

#[tokio::test]
async fn vouchers_expire_when_the_service_clock_passes_their_date_and_not_a_day_before() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Riet");
    let sold = app.sell(&s, client, 2).await;
    let expires_on: chrono::NaiveDate = serde_json::from_value(sold["vouchers"][0]["expires_on"].clone()).unwrap();
    let noon_of =
        |day: chrono::NaiveDate| woonservice::domain::schedule::local_to_utc(day.and_hms_opt(12, 0, 0).unwrap());
    // Noon of the last valid day: still spendable.
    app.advance(noon_of(expires_on) - app.now());
    assert_eq!(Job::ExpireVouchers.run(&app.ctx).unwrap(), "0 voucher(s) expired");
    assert_eq!(app.balance(&s, client).await["available"], 2);
    // Noon of the day after: the job expires both, once.
    app.advance(noon_of(expires_on + Duration::days(1)) - app.now());
    assert_eq!(Job::ExpireVouchers.run(&app.ctx).unwrap(), "2 voucher(s) expired");
    assert_eq!(Job::ExpireVouchers.run(&app.ctx).unwrap(), "0 voucher(s) expired");
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["expired"].as_i64()),
        (Some(0), Some(2))
    );
}

#[tokio::test]
async fn a_clients_voucher_history_shows_every_change_newest_first_a_page_at_a_time() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Jan");
    let (_, client_email) = app.user(Role::Client, &[s.municipality], Some(client), None);
    let own = app.token(&client_email).await;
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 40);
    let sale = app.sell(&s, client, 3).await;
    let (_, assignment) = tier_two_proposal(&app, &s, client, jobseeker, 3, 1.5).await;
    app.act(&s.advisor, assignment, "accept", json!({})).await;
    app.act(&s.advisor, assignment, "complete", json!({"hours_worked": 1.0}))
        .await;
    let coordinator = app
        .get("/api/v1/me", &s.coordinator)
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .clone();

    let page = |token: String, query: String| {
        let app = &app;
        async move {
            let response = app
                .get(&format!("/api/v1/clients/{client}/voucher-events{query}"), &token)
                .await;
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    let all = page(own.clone(), String::new()).await;
    let kinds: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["released", "redeemed", "reserved", "reserved", "sold", "sold", "sold"],
        "newest first: one hour redeemed, the second reserved voucher released"
    );
    let sold = &all["items"][6];
    assert_eq!(sold["serial"], sale["vouchers"][0]["serial"]);
    assert_eq!((sold["value"].as_str(), &sold["by"]), (Some("5.00"), &coordinator));
    assert_eq!(all["items"][1]["assignment_id"], assignment);
    assert_eq!(all["next_cursor"], Value::Null);

    let first = page(s.advisor.clone(), "?limit=3".into()).await;
    assert_eq!(first["items"], json!(all["items"].as_array().unwrap()[..3]));
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = page(s.coordinator.clone(), format!("?limit=3&cursor={cursor}")).await;
    assert_eq!(second["items"], json!(all["items"].as_array().unwrap()[3..6]));
    let back = page(
        s.advisor.clone(),
        format!("?limit=3&cursor={}", second["prev_cursor"].as_str().unwrap()),
    )
    .await;
    assert_eq!(back["items"], first["items"]);

    let other = app.client_in(s.municipality, "Piet");
    assert_problem(
        app.get(&format!("/api/v1/clients/{other}/voucher-events"), &own).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get(&format!("/api/v1/clients/{client}/voucher-events"), &s.coach)
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.get(&format!("/api/v1/clients/{client}/voucher-events?limit=0"), &own)
            .await,
        422,
        "validation_failed",
    )
    .await;
}
