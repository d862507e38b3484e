//! The escalation order through the API: one test per reason code, and the routing
//! rules around them.

use serde_json::{Value, json};
use woonservice::domain::Role;
use woonservice::domain::client::TargetGroup;
use woonservice::domain::member::MemberKind;
use woonservice::domain::provider::ProviderKind;
use woonservice::store::clients;

use crate::helpers::{assert_problem, spawn_app};
use crate::scenario::{reasons, row, weekday_morning};

#[tokio::test]
async fn a_gardening_request_goes_to_an_available_volunteer_with_ranked_candidates() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Annie");
    let first = app.worker(&s, MemberKind::Volunteer, &["gardening"], 8);
    let second = app.worker(&s, MemberKind::Volunteer, &["gardening", "errands"], 8);
    app.worker(&s, MemberKind::Volunteer, &["errands"], 8);
    let request = app.request(&s, client, "gardening", weekday_morning(3), 4, 2.0).await;
    let (status, result) = app.route(&s.advisor, request).await;
    assert_eq!(status, 200, "{result}");
    assert_eq!(result["status"], "routed");
    assert_eq!(result["tier"], "volunteer");
    assert_eq!(reasons(&result), [row("volunteer", "matched", "matched")]);
    assert_eq!(result["trail"][0]["decided_by"], "engine");
    let ids: Vec<i64> = result["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [first, second], "equal scores rank by id");
    let parts = result["candidates"][0]["score_parts"].as_object().unwrap();
    for part in ["skill", "availability", "capacity", "continuity", "fairness"] {
        assert!(parts.contains_key(part), "{part} missing in {parts:?}");
    }
    let weighted: f64 = parts
        .iter()
        .map(|(k, v)| v.as_f64().unwrap() * if k == "continuity" { 2.0 } else { 1.0 })
        .sum();
    assert!((result["candidates"][0]["score"].as_f64().unwrap() - weighted).abs() < 1e-3);
}

#[tokio::test]
async fn routing_skips_volunteers_when_the_category_is_not_for_volunteers() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Gerrit");
    app.worker(&s, MemberKind::Volunteer, &["odd_jobs"], 8);
    app.provider_in(s.municipality, ProviderKind::PrivateProvider, &["odd_jobs"]);
    let request = app.request(&s, client, "odd_jobs", weekday_morning(3), 4, 1.5).await;
    let (_, result) = app.route(&s.advisor, request).await;
    assert_eq!(
        reasons(&result)[0],
        row("volunteer", "skipped", "volunteer_not_allowed")
    );
}

#[tokio::test]
async fn routing_skips_woonservice_when_the_project_does_not_offer_the_category() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    app.with_db(|c| {
        let mut m = woonservice::store::municipalities::find(c, s.municipality)?.unwrap();
        m.fields.woonservice_categories = vec!["gardening".into()];
        woonservice::store::municipalities::update(c, s.municipality, &m.fields, app.now())
    });
    let client = app.client_in(s.municipality, "Riet");
    app.provider_in(s.municipality, ProviderKind::Business, &["moving"]);
    let request = app.request(&s, client, "moving", weekday_morning(3), 6, 4.0).await;
    let (_, result) = app.route(&s.advisor, request).await;
    assert_eq!(
        reasons(&result),
        [
            row("volunteer", "skipped", "volunteer_not_allowed"),
            row("woonservice", "skipped", "not_offered"),
            row("private_provider", "skipped", "no_candidate"),
            row("business", "matched", "matched"),
        ]
    );
    assert_eq!(result["status"], "referred");
}

#[tokio::test]
async fn routing_skips_woonservice_when_the_client_is_not_in_the_target_group() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Fatima");
    app.with_db(|c| {
        let mut found = clients::find(c, client)?.unwrap();
        found.fields.target_groups = Vec::<TargetGroup>::new();
        clients::update(c, client, &found.fields, app.now())
    });
    let request = app.request(&s, client, "odd_jobs", weekday_morning(3), 4, 1.0).await;
    let (_, result) = app.route(&s.advisor, request).await;
    assert_eq!(reasons(&result)[1], row("woonservice", "skipped", "not_target_group"));
}

#[tokio::test]
async fn routing_skips_woonservice_when_an_organisation_already_offers_the_service() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Jan");
    app.sell(&s, client, 5).await;
    app.worker(&s, MemberKind::Jobseeker, &["administration"], 16);
    app.provider_in(s.municipality, ProviderKind::Organisation, &["administration"]);
    let request = app
        .request(&s, client, "administration", weekday_morning(3), 4, 2.0)
        .await;
    let (_, result) = app.route(&s.advisor, request).await;
    assert_eq!(
        reasons(&result)[1],
        row("woonservice", "skipped", "existing_organisation")
    );
    assert_eq!(result["status"], "unmatched", "an organisation is never referred to");
}

#[tokio::test]
async fn an_organisation_offering_a_similarly_spelled_category_does_not_block_woonservice() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Jan");
    app.sell(&s, client, 5).await;
    app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 16);
    // `_` is a LIKE wildcard: unescaped, `%,odd_jobs,%` would find this one.
    let admin = app.token_for(Role::Admin, &[]).await;
    let lookalike =
        json!({"code": "oddxjobs", "name_nl": "Vreemde klussen", "name_en": "Odd x jobs", "volunteer_ok": false});
    assert_eq!(app.post("/api/v1/categories", &admin, &lookalike).await.status(), 201);
    app.provider_in(s.municipality, ProviderKind::Organisation, &["oddxjobs"]);
    let request = app.request(&s, client, "odd_jobs", weekday_morning(3), 4, 2.0).await;
    let (_, result) = app.route(&s.advisor, request).await;
    assert_eq!(
        reasons(&result)[1],
        row("woonservice", "matched", "matched"),
        "{result}"
    );
}

#[tokio::test]
async fn a_coordinator_overrules_the_organisation_check_and_woonservice_takes_the_request() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Jan");
    app.sell(&s, client, 5).await;
    let jobseeker = app.worker(&s, MemberKind::Jobseeker, &["administration"], 16);
    app.provider_in(s.municipality, ProviderKind::Organisation, &["administration"]);
    let request = app
        .request(&s, client, "administration", weekday_morning(3), 4, 2.0)
        .await;
    app.route(&s.advisor, request).await;
    let path = format!("/api/v1/requests/{request}/override-overlap");
    assert_problem(
        app.post(&path, &s.advisor, &json!({"reason": "x"})).await,
        403,
        "forbidden",
    )
    .await;
    let response = app
        .post(
            &path,
            &s.coordinator,
            &json!({"reason": "De stichting heeft een wachtlijst van drie maanden"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let detail: Value = response.json().await.unwrap();
    let last = detail["trail"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["outcome"].as_str(), last["reason_code"].as_str()),
        (Some("overridden"), Some("overridden"))
    );
    assert!(last["decided_by"].is_i64());
    assert_problem(
        app.post(&path, &s.coordinator, &json!({"reason": "nog eens"})).await,
        409,
        "invalid_transition",
    )
    .await;
    let (_, result) = app.route(&s.advisor, request).await;
    assert_eq!(result["tier"], "woonservice");
    assert_eq!(result["candidates"][0]["id"], jobseeker);
}

#[tokio::test]
async fn routing_skips_woonservice_when_the_client_has_too_few_vouchers() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Truus");
    app.sell(&s, client, 2).await;
    app.worker(&s, MemberKind::Jobseeker, &["odd_jobs"], 16);
    let request = app.request(&s, client, "odd_jobs", weekday_morning(3), 6, 2.25).await;
    let (_, result) = app.route(&s.advisor, request).await;
    assert_eq!(
        reasons(&result)[1],
        row("woonservice", "skipped", "insufficient_vouchers")
    );
    assert!(
        result["trail"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("2 dienstencheque(s), er zijn er 3 nodig"),
        "{result}"
    );
    app.sell(&s, client, 1).await;
    let (_, again) = app.route(&s.advisor, request).await;
    assert_eq!(again["tier"], "woonservice");
}

#[tokio::test]
async fn a_request_no_tier_can_take_is_unmatched_and_waits_in_the_advisors_queue() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Henk");
    let request = app.request(&s, client, "errands", weekday_morning(3), 2, 1.0).await;
    let (_, result) = app.route(&s.advisor, request).await;
    assert_eq!(result["status"], "unmatched");
    assert_eq!(result["tier"], Value::Null);
    assert_eq!(
        reasons(&result),
        [
            row("volunteer", "skipped", "no_candidate"),
            row("woonservice", "skipped", "insufficient_vouchers"),
            row("private_provider", "skipped", "no_candidate"),
            row("business", "skipped", "no_candidate"),
        ]
    );
    let queue: Value = app
        .get("/api/v1/requests?status=unmatched", &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    assert!(queue["items"].as_array().unwrap().iter().any(|r| r["id"] == request));
}

#[tokio::test]
async fn a_provider_tier_refers_the_request_to_the_provider_with_the_fewest_open_referrals() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Mien");
    let busy = app.provider_in(s.municipality, ProviderKind::PrivateProvider, &["moving"]);
    let free = app.provider_in(s.municipality, ProviderKind::PrivateProvider, &["moving"]);
    let first = app.request(&s, client, "moving", weekday_morning(3), 6, 3.0).await;
    let (_, result) = app.route(&s.advisor, first).await;
    assert_eq!(result["status"], "referred");
    assert_eq!(result["candidates"][0]["id"], busy, "equal load: the lower id");
    let second = app.request(&s, client, "moving", weekday_morning(3), 6, 3.0).await;
    let (_, result) = app.route(&s.advisor, second).await;
    assert_eq!(result["candidates"][0]["id"], free);
    let detail: Value = app
        .get(&format!("/api/v1/requests/{second}"), &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["referral"]["provider_id"], free);
    assert_eq!(detail["tier"], "private_provider");
}

#[tokio::test]
async fn routing_twice_gives_the_same_tier_and_a_finished_request_cannot_be_routed() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Kees");
    app.worker(&s, MemberKind::Volunteer, &["errands"], 8);
    let provider = app.provider_in(s.municipality, ProviderKind::Business, &["moving"]);
    let errands = app.request(&s, client, "errands", weekday_morning(3), 3, 1.0).await;
    let (_, first) = app.route(&s.advisor, errands).await;
    let (_, second) = app.route(&s.advisor, errands).await;
    assert_eq!(first["tier"], second["tier"]);
    assert_eq!(first["candidates"], second["candidates"]);
    let moving = app.request(&s, client, "moving", weekday_morning(3), 3, 1.0).await;
    app.route(&s.advisor, moving).await;
    app.route(&s.advisor, moving).await;
    let detail: Value = app
        .get(&format!("/api/v1/requests/{moving}"), &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["referral"]["provider_id"], provider, "the same referral is kept");

    app.post(
        &format!("/api/v1/requests/{errands}/cancel"),
        &s.advisor,
        &json!({"reason": "niet meer nodig"}),
    )
    .await;
    let (status, body) = app.route(&s.advisor, errands).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("invalid_transition")));
    let (status, _) = app.route(&s.coach, moving).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn an_advisor_escalates_past_a_tier_with_a_reason_and_routing_continues_at_the_next() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Wim");
    app.worker(&s, MemberKind::Volunteer, &["gardening"], 8);
    let provider = app.provider_in(s.municipality, ProviderKind::PrivateProvider, &["gardening"]);
    let request = app.request(&s, client, "gardening", weekday_morning(3), 4, 2.0).await;
    let path = format!("/api/v1/requests/{request}/escalate");
    assert_problem(
        app.post(&path, &s.advisor, &json!({"reason": "te vroeg"})).await,
        409,
        "invalid_transition",
    )
    .await;
    app.route(&s.advisor, request).await;
    let response = app
        .post(
            &path,
            &s.advisor,
            &json!({"reason": "De vrijwilliger is ziek geworden"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let result: Value = response.json().await.unwrap();
    let trail = reasons(&result);
    assert_eq!(trail[1], row("volunteer", "escalated", "escalated"));
    assert_eq!(trail[2], row("woonservice", "skipped", "insufficient_vouchers"));
    assert_eq!(trail[3], row("private_provider", "matched", "matched"));
    assert!(
        result["trail"][1]["reason"]
            .as_str()
            .unwrap()
            .contains("De vrijwilliger is ziek geworden")
    );
    assert!(result["trail"][1]["decided_by"].is_i64());
    let detail: Value = app
        .get(&format!("/api/v1/requests/{request}"), &s.advisor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["referral"]["provider_id"], provider);
    let (_, again) = app.route(&s.advisor, request).await;
    assert_eq!(
        again["tier"], "private_provider",
        "routing again starts after the escalated tier"
    );
    assert_problem(
        app.post(&path, &s.advisor, &json!({"reason": " "})).await,
        422,
        "validation_failed",
    )
    .await;
}
