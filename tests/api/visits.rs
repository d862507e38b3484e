//! What the people around a visit see and steer: a jobseeker's learning goals in the
//! ranking, and the ranking itself without routing.

use serde_json::json;
use woonservice::domain::Role;
use woonservice::domain::member::MemberKind;

use crate::helpers::{TestApp, assert_problem, ok_json, spawn_app};
use crate::scenario::{Scenario, weekday_morning};

/// A scenario whose jobseekers belong to another coach of the same municipality.
fn with_other_coach(app: &TestApp, s: &Scenario) -> Scenario {
    let (coach_id, _) = app.user(Role::Coach, &[s.municipality], None, None);
    Scenario {
        municipality: s.municipality,
        advisor: s.advisor.clone(),
        coordinator: s.coordinator.clone(),
        coach_id,
        coach: String::new(),
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
