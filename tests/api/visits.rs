//! What the people around a visit see and steer: a jobseeker's learning goals in the
//! ranking, and the ranking itself without routing.

use serde_json::json;
use woonservice::domain::Role;
use woonservice::domain::member::MemberKind;
use woonservice::service::jobs::Job;

use crate::helpers::{TestApp, assert_problem, ok_json, spawn_app};
use crate::scenario::{Scenario, weekday_morning};

/// A scenario whose jobseekers belong to another coach of the same municipality.
fn with_other_coach(app: &TestApp, s: &Scenario) -> Scenario {
    let (coach_id, coach_email) = app.user(Role::Coach, &[s.municipality], None, None);
    Scenario {
        municipality: s.municipality,
        advisor: s.advisor.clone(),
        coordinator: s.coordinator.clone(),
        coach_id,
        coach: String::new(),
        coach_email,
    }
}

#[tokio::test]
async fn a_coach_sets_learning_goals_and_work_in_them_ranks_a_jobseeker_higher() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let first = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 16);
    let learner = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 16);
    let volunteer = app.worker(&s, MemberKind::Volunteer, &["errands"], 16);

    let set = ok_json(
        app.patch(
            &format!("/api/v1/members/{learner}"),
            &s.coach,
            &json!({"learning_goals": ["odd_jobs"]}),
        )
        .await,
    )
    .await;
    assert_eq!(set["learning_goals"], json!(["odd_jobs"]));
    for (member, body, message) in [
        (
            learner,
            json!({"learning_goals": ["juggling"]}),
            "unknown categories: juggling",
        ),
        (
            volunteer,
            json!({"learning_goals": ["errands"]}),
            "only a jobseeker has learning goals",
        ),
        (learner, json!({"learning_goals": ["Odd Jobs"]}), ""),
    ] {
        let problem = assert_problem(
            app.patch(&format!("/api/v1/members/{member}"), &s.coordinator, &body)
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "learning_goals", "{problem}");
        assert!(
            problem["errors"][0]["message"].as_str().unwrap().contains(message),
            "{problem}"
        );
    }
    let unchanged = ok_json(app.get(&format!("/api/v1/members/{learner}"), &s.coordinator).await).await;
    assert_eq!(unchanged["learning_goals"], json!(["odd_jobs"]), "nothing was written");

    let client = app.client_in(s.municipality, "Gerrit");
    app.sell(&s, client, 5).await;
    let request = app.request(&s, client, "odd_jobs", weekday_morning(3), 6, 1.0).await;
    let (_, routed) = app.route(&s.advisor, request).await;
    assert_eq!(routed["tier"], "woonservice", "{routed}");
    let candidates = routed["candidates"].as_array().unwrap();
    assert_eq!(candidates[0]["id"], learner, "{routed}");
    assert_eq!(candidates[0]["score_parts"]["learning"], 1.0);
    assert_eq!(candidates[1]["id"], first);
    assert_eq!(candidates[1]["score_parts"]["learning"], 0.0);
    assert_eq!(
        candidates[0]["score"].as_f64().unwrap() - candidates[1]["score"].as_f64().unwrap(),
        1.0,
        "the only difference is the learning part"
    );
}

#[tokio::test]
async fn the_ranking_without_routing_changes_nothing_and_shows_a_coach_only_their_own() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let own = app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 16);
    let others = app.worker(&with_other_coach(&app, &s), MemberKind::Jobseeker, &["odd_jobs"], 16);
    let client = app.client_in(s.municipality, "Truus");
    app.sell(&s, client, 5).await;
    let request = app.request(&s, client, "odd_jobs", weekday_morning(3), 6, 1.0).await;
    let path = format!("/api/v1/requests/{request}/candidates");
    assert_problem(app.get(&path, &s.advisor).await, 409, "invalid_transition").await;

    let (_, routed) = app.route(&s.advisor, request).await;
    let before = ok_json(app.get(&format!("/api/v1/requests/{request}"), &s.advisor).await).await;
    let ranking = ok_json(app.get(&path, &s.advisor).await).await;
    assert_eq!(ranking["tier"], "woonservice");
    assert_eq!(
        ranking["candidates"], routed["candidates"],
        "ranked as routing ranks them"
    );
    let ids: Vec<i64> = ranking["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&own) && ids.contains(&others), "{ranking}");
    let coach = ok_json(app.get(&path, &s.coach).await).await;
    let ids: Vec<i64> = coach["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [own], "the coach sees their own jobseeker only");
    assert_eq!(
        ok_json(app.get(&format!("/api/v1/requests/{request}"), &s.advisor).await).await,
        before,
        "nothing changed"
    );

    let elsewhere = app.token_for(Role::Coach, &["Valkenswaard"]).await;
    assert_problem(app.get(&path, &elsewhere).await, 404, "not_found").await;
    let admin = app.token_for(Role::Admin, &[]).await;
    assert_problem(app.get(&path, &admin).await, 403, "forbidden").await;
}

/// The mails queued so far, as (template, recipient).
fn mails(app: &TestApp) -> Vec<(String, String)> {
    app.with_db(|c| {
        let page = woonservice::store::outbox::list(
            c,
            None,
            &woonservice::domain::page::PageRequest {
                limit: 200,
                position: None,
            },
        )?;
        Ok(page
            .items
            .into_iter()
            .map(|m| (m.template.as_str().to_owned(), m.recipient))
            .collect())
    })
}

/// A jobseeker with a member account and an email, an advisor's tier-2 proposal for a
/// client with five vouchers: (member token, member email, assignment, request, client).
async fn advisor_proposal_to_a_jobseeker(app: &TestApp, s: &Scenario) -> (String, String, i64, i64, i64) {
    let jobseeker = app.worker(s, MemberKind::Jobseeker, &["odd_jobs"], 16);
    let email = app.with_db(|c| {
        let mut m = woonservice::store::members::find(c, jobseeker)?.unwrap();
        m.fields.email = Some(woonservice::domain::Email::parse("sanne@example.nl").unwrap());
        woonservice::store::members::update(c, jobseeker, &m.fields, app.now())?;
        Ok("sanne@example.nl".to_owned())
    });
    let (_, login) = app.user(Role::Member, &[], None, Some(jobseeker));
    let token = app.token(&login).await;
    let client = app.client_in(s.municipality, "Gerrit");
    app.sell(s, client, 5).await;
    let start = weekday_morning(3);
    let request = app.request(s, client, "odd_jobs", start, 6, 2.0).await;
    let (_, routed) = app.route(&s.advisor, request).await;
    assert_eq!(routed["tier"], "woonservice", "{routed}");
    let assignment = app.propose(s, request, jobseeker, start, 2).await;
    (token, email, assignment, request, client)
}

#[tokio::test]
async fn a_jobseekers_own_accept_waits_for_their_coach_who_confirms_it() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let (member, member_email, assignment, request, client) = advisor_proposal_to_a_jobseeker(&app, &s).await;
    let (status, held) = app.act(&member, assignment, "accept", json!({})).await;
    assert_eq!(
        (status, held["status"].as_str()),
        (200, Some("awaiting_confirmation")),
        "{held}"
    );
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["reserved"].as_i64()),
        (Some(3), Some(2)),
        "held"
    );
    let detail = ok_json(app.get(&format!("/api/v1/requests/{request}"), &s.advisor).await).await;
    assert_eq!(detail["status"], "routed", "not scheduled before the coach says yes");
    assert!(mails(&app).contains(&("confirmation_requested".into(), s.coach_email.clone())));

    // Only the jobseeker's own coach answers.
    let confirm = format!("/api/v1/assignments/{assignment}/confirm");
    assert_problem(app.post(&confirm, &s.advisor, &json!({})).await, 403, "forbidden").await;
    let other_coach = {
        let (_, email) = app.user(Role::Coach, &[s.municipality], None, None);
        app.token(&email).await
    };
    assert_problem(app.post(&confirm, &other_coach, &json!({})).await, 403, "forbidden").await;
    let elsewhere = app.token_for(Role::Coach, &["Valkenswaard"]).await;
    assert_problem(app.post(&confirm, &elsewhere, &json!({})).await, 404, "not_found").await;
    assert_problem(app.post(&confirm, &member, &json!({})).await, 403, "forbidden").await;

    let confirmed = ok_json(app.post(&confirm, &s.coach, &json!({})).await).await;
    assert_eq!(confirmed["status"], "accepted");
    let detail = ok_json(app.get(&format!("/api/v1/requests/{request}"), &s.advisor).await).await;
    assert_eq!(detail["status"], "scheduled");
    assert!(mails(&app).contains(&("confirmation_answered".into(), member_email)));
    assert_eq!(
        app.balance(&s, client).await["reserved"],
        2,
        "still reserved, now for the visit"
    );
    assert_problem(
        app.post(&confirm, &s.coach, &json!({})).await,
        409,
        "invalid_transition",
    )
    .await;
}

#[tokio::test]
async fn a_rejected_accept_gives_the_vouchers_back_and_the_request_waits_for_the_next_candidate() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let (member, member_email, assignment, request, client) = advisor_proposal_to_a_jobseeker(&app, &s).await;
    app.act(&member, assignment, "accept", json!({})).await;
    let reject = format!("/api/v1/assignments/{assignment}/reject");
    assert_problem(
        app.post(&reject, &s.coach, &json!({"reason": ""})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(app.post(&reject, &s.coach, &json!({})).await, 422, "validation_failed").await;
    let before = mails(&app).len();
    let rejected = ok_json(
        app.post(&reject, &s.coach, &json!({"reason": "Eerst de cursus afmaken"}))
            .await,
    )
    .await;
    assert_eq!(
        (rejected["status"].as_str(), rejected["reason"].as_str()),
        (Some("rejected"), Some("Eerst de cursus afmaken"))
    );
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["reserved"].as_i64()),
        (Some(5), Some(0))
    );
    let detail = ok_json(app.get(&format!("/api/v1/requests/{request}"), &s.advisor).await).await;
    assert_eq!(detail["status"], "routed");
    assert_eq!(
        mails(&app)[before..],
        [("confirmation_answered".to_owned(), member_email)]
    );
    assert_problem(
        app.post(&reject, &s.coach, &json!({"reason": "nog eens"})).await,
        409,
        "invalid_transition",
    )
    .await;
    let (status, _) = app.act(&s.advisor, assignment, "accept", json!({})).await;
    assert_eq!(status, 409, "a rejected visit is not accepted after all");
}

#[tokio::test]
async fn accepts_by_the_coach_an_advisor_or_on_the_coachs_own_proposal_need_no_confirmation() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let (_, _, by_advisor, _, _) = advisor_proposal_to_a_jobseeker(&app, &s).await;
    let (status, body) = app.act(&s.advisor, by_advisor, "accept", json!({})).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("accepted")));

    let (member, _, _, _, _) = advisor_proposal_to_a_jobseeker(&app, &s).await;
    let own_member = ok_json(app.get("/api/v1/me", &member).await).await["member_id"]
        .as_i64()
        .unwrap();
    let start = weekday_morning(10);
    let later = app
        .request(&s, app.client_in(s.municipality, "Joop"), "odd_jobs", start, 6, 1.0)
        .await;
    let client = ok_json(app.get(&format!("/api/v1/requests/{later}"), &s.advisor).await).await["client_id"]
        .as_i64()
        .unwrap();
    app.sell(&s, client, 2).await;
    app.route(&s.advisor, later).await;
    let body = json!({"member_id": own_member, "starts_at": start, "ends_at": start + chrono::Duration::hours(1)});
    let proposed = ok_json_created(
        app.post(&format!("/api/v1/requests/{later}/assignments"), &s.coach, &body)
            .await,
    )
    .await;
    let (status, body) = app.act(&member, proposed, "accept", json!({})).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("accepted")),
        "the coach proposed it: {body}"
    );
}

async fn ok_json_created(response: reqwest::Response) -> i64 {
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body["id"].as_i64().unwrap()
}

#[tokio::test]
async fn of_thirty_two_simultaneous_own_accepts_of_overlapping_slots_exactly_one_is_held() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let (member, _, first, _, _) = advisor_proposal_to_a_jobseeker(&app, &s).await;
    let jobseeker = ok_json(app.get("/api/v1/me", &member).await).await["member_id"]
        .as_i64()
        .unwrap();
    let client = app.client_in(s.municipality, "Bulk");
    app.sell(&s, client, 10).await;
    let monday = weekday_morning(3);
    let mut assignments = vec![first];
    for i in 0..31 {
        let start = monday + chrono::Duration::minutes(15 * (i % 4));
        let request = app.request(&s, client, "odd_jobs", start, 3, 1.0).await;
        app.route(&s.advisor, request).await;
        assignments.push(app.propose(&s, request, jobseeker, start, 1).await);
    }
    let results =
        futures_util::future::join_all(assignments.iter().map(|a| app.act(&member, *a, "accept", json!({})))).await;
    let held = results
        .iter()
        .filter(|(status, body)| *status == 200 && body["status"] == "awaiting_confirmation")
        .count();
    let overlaps = results
        .iter()
        .filter(|(status, body)| *status == 409 && body["code"] == "overlap")
        .count();
    assert_eq!((held, overlaps), (1, 31), "{results:?}");
}

/// The scenario's municipality with its default seven days of sign-off (the scenario
/// sets 0 for the tests of redemption at completion).
async fn with_sign_off_days(app: &TestApp, s: &Scenario) {
    let admin = app.token_for(Role::Admin, &[]).await;
    let path = format!("/api/v1/municipalities/{}", s.municipality);
    let set = ok_json(app.patch(&path, &admin, &json!({"sign_off_days": 7})).await).await;
    assert_eq!(set["sign_off_days"], 7);
    let problem = assert_problem(
        app.patch(&path, &admin, &json!({"sign_off_days": 61})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "sign_off_days");
}

/// A tier-2 visit the advisor proposed, accepted and completed with `hours`, in a
/// municipality with seven days of sign-off: (assignment, client, the client's token).
async fn completed_visit(app: &TestApp, s: &Scenario, hours: f64) -> (i64, i64, String) {
    with_sign_off_days(app, s).await;
    let (_, _, assignment, _, client) = advisor_proposal_to_a_jobseeker(app, s).await;
    app.act(&s.advisor, assignment, "accept", json!({})).await;
    let (status, done) = app
        .act(&s.advisor, assignment, "complete", json!({"hours_worked": hours}))
        .await;
    assert_eq!((status, done["sign_off"].as_str()), (200, Some("pending")), "{done}");
    (assignment, client, client_token(app, s, client).await)
}

/// The monthly report of the month of the visits these tests make.
async fn month_report(app: &TestApp, s: &Scenario) -> serde_json::Value {
    let month = woonservice::domain::report::Month::of(woonservice::domain::schedule::local_date(weekday_morning(3)));
    let path = format!(
        "/api/v1/reports/monthly?municipality_id={}&month={month}",
        s.municipality
    );
    ok_json(app.get(&path, &s.coordinator).await).await
}

fn assert_ledger_verifies(app: &TestApp) {
    let (ok, output) = crate::vouchers::verify(app);
    assert!(ok, "{output}");
}

async fn client_token(app: &TestApp, s: &Scenario, client: i64) -> String {
    let (_, email) = app.user(Role::Client, &[s.municipality], Some(client), None);
    app.token(&email).await
}

#[tokio::test]
async fn a_visit_proposed_accepted_confirmed_completed_disputed_and_resolved_redeems_the_resolved_hours() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    with_sign_off_days(&app, &s).await;
    let (member, member_email, assignment, _, client) = advisor_proposal_to_a_jobseeker(&app, &s).await;
    let own = client_token(&app, &s, client).await;
    app.with_db(|c| {
        let mut found = woonservice::store::clients::find(c, client)?.unwrap();
        found.fields.email = Some(woonservice::domain::Email::parse("gerrit@example.nl").unwrap());
        woonservice::store::clients::update(c, client, &found.fields, app.now())
    });
    let advisor_email = app.with_db(|c| {
        Ok(
            woonservice::store::users::staff_of(c, Role::Advisor, s.municipality)?[0]
                .1
                .clone(),
        )
    });
    let start = mails(&app).len();

    let (_, held) = app.act(&member, assignment, "accept", json!({})).await;
    assert_eq!(held["status"], "awaiting_confirmation");
    ok_json(
        app.post(
            &format!("/api/v1/assignments/{assignment}/confirm"),
            &s.coach,
            &json!({}),
        )
        .await,
    )
    .await;
    let (status, done) = app
        .act(&member, assignment, "complete", json!({"hours_worked": 2.5}))
        .await;
    assert_eq!((status, done["sign_off"].as_str()), (200, Some("pending")), "{done}");
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (balance["reserved"].as_i64(), balance["redeemed"].as_i64()),
        (Some(2), Some(0)),
        "nothing redeemed before the client's word"
    );

    let sign_off = format!("/api/v1/assignments/{assignment}/sign-off");
    let resolve = format!("/api/v1/assignments/{assignment}/resolve");
    assert_problem(
        app.post(&resolve, &s.advisor, &json!({"hours_worked": 2, "note": "x"}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_problem(
        app.post(&sign_off, &own, &json!({"agree": false})).await,
        422,
        "validation_failed",
    )
    .await;
    let disputed = ok_json(
        app.post(
            &sign_off,
            &own,
            &json!({"agree": false, "reason": "Sanne was er maar twee uur"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (disputed["sign_off"].as_str(), disputed["dispute_reason"].as_str()),
        (Some("disputed"), Some("Sanne was er maar twee uur"))
    );
    assert_eq!(app.balance(&s, client).await["redeemed"], 0);

    for (hours, field) in [(json!(-1), "hours_worked"), (json!(2.1), "hours_worked")] {
        let problem = assert_problem(
            app.post(&resolve, &s.advisor, &json!({"hours_worked": hours, "note": "Gebeld"}))
                .await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field);
    }
    assert_problem(
        app.post(&resolve, &own, &json!({"hours_worked": 2, "note": "Zelf"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let resolved = ok_json(
        app.post(
            &resolve,
            &s.advisor,
            &json!({"hours_worked": 2, "note": "Met beiden gebeld: twee uur."}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (resolved["sign_off"].as_str(), resolved["hours_worked"].as_f64()),
        (Some("resolved"), Some(2.0))
    );
    let balance = app.balance(&s, client).await;
    assert_eq!(
        (
            balance["available"].as_i64(),
            balance["reserved"].as_i64(),
            balance["redeemed"].as_i64()
        ),
        (Some(3), Some(0), Some(2)),
        "two vouchers redeemed"
    );
    assert_ledger_verifies(&app);
    let report = month_report(&app, &s).await;
    assert_eq!(report["visits"]["disputes"], 1, "{report}");
    let sent = mails(&app)[start..].to_vec();
    eprintln!(
        "the mails of the visit:\n{}",
        sent.iter()
            .map(|(t, to)| format!("{t} -> {to}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(
        sent,
        [
            ("confirmation_requested".to_owned(), s.coach_email.clone()),
            ("visit_scheduled".to_owned(), "gerrit@example.nl".to_owned()),
            ("confirmation_answered".to_owned(), member_email),
            ("sign_off_requested".to_owned(), "gerrit@example.nl".to_owned()),
            ("sign_off_disputed".to_owned(), advisor_email),
        ]
    );
}

#[tokio::test]
async fn the_client_agrees_with_a_rating_or_the_days_pass_and_the_vouchers_are_redeemed_once() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let (first, client, own) = completed_visit(&app, &s, 1.5).await;
    let path = format!("/api/v1/assignments/{first}/sign-off");
    let problem = assert_problem(
        app.post(&path, &own, &json!({"agree": true, "rating": 6})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "rating");
    let stranger = client_token(&app, &s, app.client_in(s.municipality, "Buurman")).await;
    assert_problem(
        app.post(&path, &stranger, &json!({"agree": true})).await,
        404,
        "not_found",
    )
    .await;
    let agreed = ok_json(
        app.post(
            &path,
            &own,
            &json!({"agree": true, "rating": 5, "comment": "Heel netjes"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (
            agreed["sign_off"].as_str(),
            agreed["rating"].as_i64(),
            agreed["comment"].as_str()
        ),
        (Some("agreed"), Some(5), Some("Heel netjes"))
    );
    assert_eq!(
        app.balance(&s, client).await["redeemed"],
        2,
        "1.5 hours: two started hours"
    );
    // The coach sees what the client said; the member's own view leaves it out.
    let member_path = format!("/api/v1/members/{}", agreed["member_id"]);
    let seen = ok_json(app.get(&member_path, &s.coach).await).await;
    assert_eq!(
        (
            seen["feedback"]["ratings"].as_i64(),
            seen["feedback"]["average_rating"].as_f64()
        ),
        (Some(1), Some(5.0))
    );
    assert_eq!(seen["feedback"]["latest_comments"][0]["comment"], "Heel netjes");
    let report = month_report(&app, &s).await;
    assert_eq!(
        report["visits"],
        json!({"ratings": 1, "average_rating": 5.0, "disputes": 0}),
        "{report}"
    );
    assert_problem(
        app.post(&path, &own, &json!({"agree": true})).await,
        409,
        "invalid_transition",
    )
    .await;

    // A second visit nobody signs off: agreed for the client once seven days have passed.
    let start = weekday_morning(10);
    let request = app.request(&s, client, "odd_jobs", start, 6, 1.0).await;
    app.route(&s.advisor, request).await;
    let jobseeker = agreed["member_id"].as_i64().unwrap();
    let second = app.propose(&s, request, jobseeker, start, 1).await;
    app.act(&s.advisor, second, "accept", json!({})).await;
    app.act(&s.advisor, second, "complete", json!({"hours_worked": 1.0}))
        .await;
    app.advance(chrono::Duration::days(6));
    assert_eq!(
        Job::ApproveSignOffs.run(&app.ctx).unwrap(),
        "0 sign-off(s) agreed after the days passed"
    );
    app.advance(chrono::Duration::days(2));
    assert_eq!(
        Job::ApproveSignOffs.run(&app.ctx).unwrap(),
        "1 sign-off(s) agreed after the days passed"
    );
    assert_eq!(
        Job::ApproveSignOffs.run(&app.ctx).unwrap(),
        "0 sign-off(s) agreed after the days passed"
    );
    let (_, read) = app.act(&s.advisor, second, "accept", json!({})).await;
    assert_eq!(read["code"], "invalid_transition");
    let later = ok_json(app.get(&format!("/api/v1/assignments/{second}"), &s.advisor).await).await;
    assert_eq!(later["sign_off"], "auto_agreed");
    assert_eq!(app.balance(&s, client).await["redeemed"], 3);
    assert_ledger_verifies(&app);
}

#[tokio::test]
async fn sixteen_simultaneous_sign_offs_and_resolutions_have_one_outcome_and_redeem_once() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let (assignment, client, own) = completed_visit(&app, &s, 2.0).await;
    let sign_off = format!("/api/v1/assignments/{assignment}/sign-off");
    let agree = json!({"agree": true, "rating": 4});
    let dispute = json!({"agree": false, "reason": "Te lang"});
    let calls = (0..16).map(|i| {
        let token = if i % 2 == 0 { &own } else { &s.advisor };
        let body = if i % 3 == 0 { &dispute } else { &agree };
        app.post(&sign_off, token, body)
    });
    let statuses: Vec<u16> = futures_util::future::join_all(calls)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 15, "{statuses:?}");
    let read = ok_json(app.get(&format!("/api/v1/assignments/{assignment}"), &s.advisor).await).await;
    let redeemed = app.balance(&s, client).await["redeemed"].as_i64().unwrap();
    match read["sign_off"].as_str() {
        Some("agreed") => assert_eq!(redeemed, 2),
        Some("disputed") => {
            assert_eq!(redeemed, 0);
            let resolve = format!("/api/v1/assignments/{assignment}/resolve");
            let body = json!({"hours_worked": 1, "note": "Een uur"});
            let calls = (0..16).map(|_| app.post(&resolve, &s.advisor, &body));
            let statuses: Vec<u16> = futures_util::future::join_all(calls)
                .await
                .iter()
                .map(|r| r.status().as_u16())
                .collect();
            assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
            assert_eq!(app.balance(&s, client).await["redeemed"], 1);
        }
        other => panic!("unexpected sign-off {other:?}"),
    }
    assert_ledger_verifies(&app);
}
