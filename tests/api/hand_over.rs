//! Hand-overs by hand: routing straight to a tier, referring to a named provider, and
//! what a provider's no or silence does to the request.

use chrono::Duration;
use serde_json::{Value, json};
use woonservice::domain::Role;
use woonservice::domain::member::MemberKind;
use woonservice::domain::provider::{ProviderFields, ProviderKind};
use woonservice::service::jobs::Job;
use woonservice::store::providers;

use crate::helpers::{TestApp, assert_problem, ok_json, spawn_app};
use crate::scenario::{Scenario, reasons, row, weekday_morning};

/// An active provider with a name of its own, serving the scenario's municipality.
fn named_provider(app: &TestApp, s: &Scenario, kind: ProviderKind, name: &str, categories: &[&str]) -> i64 {
    let fields = ProviderFields {
        kind,
        name: name.into(),
        categories: categories.iter().map(|c| c.to_string()).collect(),
        municipality_ids: vec![s.municipality],
        email: None,
        phone: Some("040 123 45 67".into()),
        active: true,
    };
    app.with_db(|c| providers::insert(c, &fields, app.now()))
}

async fn detail(app: &TestApp, s: &Scenario, request: i64) -> Value {
    ok_json(app.get(&format!("/api/v1/requests/{request}"), &s.advisor).await).await
}

async fn refer(app: &TestApp, token: &str, request: i64, provider: i64, reason: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/requests/{request}/refer"),
        token,
        &json!({"provider_id": provider, "reason": reason}),
    )
    .await
}

async fn route_to(app: &TestApp, token: &str, request: i64, tier: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/requests/{request}/route-to"),
        token,
        &json!({"tier": tier, "reason": "Met mevrouw besproken"}),
    )
    .await
}

async fn answer(app: &TestApp, token: &str, referral: i64, action: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/referrals/{referral}/{action}"), token, &body)
        .await
}

fn referral_id(detail: &Value) -> i64 {
    detail["referral"]["id"].as_i64().expect("the request has a referral")
}

/// The trail as a person reads it, for the note and for a failing assertion.
fn trail_text(detail: &Value) -> String {
    detail["trail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {} by {}: {}",
                e["tier"], e["outcome"], e["reason_code"], e["decided_by"], e["reason"]
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn engine_then_referred_by_hand_declined_next_provider_accepted_completed_and_followed_up() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let mover = named_provider(&app, &s, ProviderKind::Business, "Verhuisbedrijf Van Gool", &["moving"]);
    let first = named_provider(
        &app,
        &s,
        ProviderKind::PrivateProvider,
        "Klusbedrijf Jansen",
        &["moving"],
    );
    let second = named_provider(&app, &s, ProviderKind::PrivateProvider, "Piet de Klusser", &["moving"]);
    // The private provider tier was empty when the engine ran: it found only the business.
    app.with_db(|c| {
        for id in [first, second] {
            let mut p = providers::find(c, id)?.unwrap();
            p.fields.active = false;
            providers::update(c, id, &p.fields, app.now())?;
        }
        Ok(())
    });
    let client = app.client_in(s.municipality, "Riet");
    let request = app.request(&s, client, "moving", weekday_morning(3), 6, 2.0).await;
    let (_, routed) = app.route(&s.advisor, request).await;
    assert_eq!(
        (routed["status"].as_str(), routed["tier"].as_str()),
        (Some("referred"), Some("business"))
    );
    assert_eq!(routed["candidates"][0]["id"], mover);
    app.with_db(|c| {
        for id in [first, second] {
            let mut p = providers::find(c, id)?.unwrap();
            p.fields.active = true;
            providers::update(c, id, &p.fields, app.now())?;
        }
        Ok(())
    });
    let engine_referral = referral_id(&detail(&app, &s, request).await);

    // The advisor knows a private provider who does this, and refers by hand.
    let referred = ok_json(refer(&app, &s.advisor, request, first, "Mevrouw kent Jansen al").await).await;
    assert_eq!(
        (referred["status"].as_str(), referred["tier"].as_str()),
        (Some("referred"), Some("private_provider"))
    );
    assert_eq!(
        reasons(&referred).last().unwrap(),
        &row("private_provider", "matched", "by_hand")
    );
    let now = detail(&app, &s, request).await;
    assert_eq!(now["referral"]["provider_id"], first);
    assert_ne!(now["referral"]["created_by"], Value::Null, "made by the advisor");
    let withdrawn = ok_json(
        app.get(&format!("/api/v1/referrals/{engine_referral}"), &s.advisor)
            .await,
    )
    .await;
    assert_eq!(withdrawn["status"], "withdrawn");

    // Jansen says no: the next private provider not yet tried gets it.
    let jansen = referral_id(&now);
    let declined = ok_json(
        answer(
            &app,
            &s.advisor,
            jansen,
            "decline",
            json!({"reason": "Geen tijd deze maand"}),
        )
        .await,
    )
    .await;
    assert_eq!(
        (declined["status"].as_str(), declined["reason"].as_str()),
        (Some("declined"), Some("Geen tijd deze maand"))
    );
    let now = detail(&app, &s, request).await;
    assert_eq!(now["status"], "referred");
    assert_eq!(now["referral"]["provider_id"], second, "{}", trail_text(&now));
    assert_eq!(
        now["referral"]["created_by"],
        Value::Null,
        "the engine chose the next one"
    );
    let lines = reasons(&now);
    assert_eq!(
        lines[lines.len() - 2..],
        [
            row("private_provider", "escalated", "declined"),
            row("private_provider", "matched", "matched")
        ]
    );
    let decline_line = &now["trail"].as_array().unwrap()[lines.len() - 2];
    assert!(
        decline_line["reason"]
            .as_str()
            .unwrap()
            .contains("Klusbedrijf Jansen heeft de vraag afgewezen (Geen tijd deze maand)."),
        "{decline_line}"
    );

    // Piet takes it, does it, and three months on the advisor asks how it went.
    let piet = referral_id(&now);
    ok_json(answer(&app, &s.coordinator, piet, "accept", json!({})).await).await;
    ok_json(answer(&app, &s.advisor, piet, "complete", json!({"note": "Alles verhuisd"})).await).await;
    let done = detail(&app, &s, request).await;
    assert_eq!(
        (done["status"].as_str(), done["tier"].as_str()),
        (Some("completed"), Some("private_provider"))
    );
    app.advance(Duration::days(95));
    assert_eq!(Job::CreateFollowUps.run(&app.ctx).unwrap(), "1 follow-up(s) created");
    let due = ok_json(app.get("/api/v1/follow-ups?due=true", &s.advisor).await).await;
    assert_eq!(due["items"][0]["request_id"], request);
    eprintln!("the request's trail:\n{}", trail_text(&done));
    assert_eq!(
        reasons(&done),
        [
            row("volunteer", "skipped", "volunteer_not_allowed"),
            row("woonservice", "skipped", "insufficient_vouchers"),
            row("private_provider", "skipped", "no_candidate"),
            row("business", "matched", "matched"),
            row("private_provider", "matched", "by_hand"),
            row("private_provider", "escalated", "declined"),
            row("private_provider", "matched", "matched"),
        ]
    );
}

#[tokio::test]
async fn a_decline_with_nobody_left_moves_to_the_next_tier_and_then_to_the_advisors_queue() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let private = named_provider(
        &app,
        &s,
        ProviderKind::PrivateProvider,
        "Klusbedrijf Jansen",
        &["moving"],
    );
    let business = named_provider(&app, &s, ProviderKind::Business, "Verhuisbedrijf Van Gool", &["moving"]);
    let client = app.client_in(s.municipality, "Gerrit");
    let request = app.request(&s, client, "moving", weekday_morning(3), 6, 2.0).await;
    let (_, routed) = app.route(&s.advisor, request).await;
    assert_eq!(routed["candidates"][0]["id"], private);
    let first = referral_id(&detail(&app, &s, request).await);
    ok_json(answer(&app, &s.advisor, first, "decline", json!({"reason": "Te zwaar werk"})).await).await;
    let now = detail(&app, &s, request).await;
    assert_eq!(
        (now["tier"].as_str(), now["referral"]["provider_id"].as_i64()),
        (Some("business"), Some(business))
    );
    assert_eq!(
        reasons(&now)[3..],
        [
            row("private_provider", "escalated", "declined"),
            row("private_provider", "skipped", "no_candidate"),
            row("business", "matched", "matched"),
        ]
    );
    let second = referral_id(&now);
    ok_json(answer(&app, &s.advisor, second, "decline", json!({"reason": "Geen bus vrij"})).await).await;
    let now = detail(&app, &s, request).await;
    assert_eq!(
        (now["status"].as_str(), now["tier"].as_str()),
        (Some("unmatched"), None)
    );
    assert_eq!(now["referral"], Value::Null, "no referral is live");
    let lines = reasons(&now);
    assert_eq!(
        lines[lines.len() - 2..],
        [
            row("business", "escalated", "declined"),
            row("business", "skipped", "no_candidate")
        ]
    );

    // Routed again later, the engine does not ask the providers that said no.
    let (_, again) = app.route(&s.advisor, request).await;
    assert_eq!(again["status"], "unmatched", "{again}");
}

#[tokio::test]
async fn an_unanswered_referral_expires_at_its_deadline_and_the_request_goes_to_the_next_provider() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let slow = named_provider(&app, &s, ProviderKind::Business, "Traag BV", &["moving"]);
    let client = app.client_in(s.municipality, "Truus");
    let request = app.request(&s, client, "moving", weekday_morning(3), 6, 2.0).await;
    app.route(&s.advisor, request).await;
    let quick = named_provider(&app, &s, ProviderKind::Business, "Snel BV", &["moving"]);
    let referral = referral_id(&detail(&app, &s, request).await);

    app.advance(Duration::hours(47));
    assert_eq!(
        Job::ExpireReferrals.run(&app.ctx).unwrap(),
        "0 referral(s) expired and routed on"
    );
    app.advance(Duration::hours(2));
    assert_eq!(
        Job::ExpireReferrals.run(&app.ctx).unwrap(),
        "1 referral(s) expired and routed on"
    );
    assert_eq!(
        Job::ExpireReferrals.run(&app.ctx).unwrap(),
        "0 referral(s) expired and routed on",
        "once"
    );
    let expired = ok_json(app.get(&format!("/api/v1/referrals/{referral}"), &s.advisor).await).await;
    assert_eq!(
        (expired["status"].as_str(), expired["provider_id"].as_i64()),
        (Some("expired"), Some(slow))
    );
    let now = detail(&app, &s, request).await;
    assert_eq!(now["referral"]["provider_id"], quick, "{}", trail_text(&now));
    let trail = now["trail"].as_array().unwrap();
    let line = &trail[trail.len() - 2];
    assert_eq!(
        (line["outcome"].as_str(), line["reason_code"].as_str()),
        (Some("escalated"), Some("no_response"))
    );
    assert_eq!(line["decided_by"], "engine", "the deadline decided");
    assert!(
        line["reason"]
            .as_str()
            .unwrap()
            .contains("Traag BV heeft niet op tijd geantwoord"),
        "{line}"
    );
    assert_problem(
        answer(&app, &s.advisor, referral, "accept", json!({})).await,
        409,
        "invalid_transition",
    )
    .await;
}

#[tokio::test]
async fn an_expiry_racing_sixteen_answers_ends_in_exactly_one_outcome() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    named_provider(&app, &s, ProviderKind::Business, "Van Gool", &["moving"]);
    named_provider(&app, &s, ProviderKind::Business, "De Wit", &["moving"]);
    let client = app.client_in(s.municipality, "Mien");
    let request = app.request(&s, client, "moving", weekday_morning(3), 6, 2.0).await;
    app.route(&s.advisor, request).await;
    let referral = referral_id(&detail(&app, &s, request).await);
    app.advance(Duration::hours(49));
    let accept = (format!("/api/v1/referrals/{referral}/accept"), json!({}));
    let decline = (
        format!("/api/v1/referrals/{referral}/decline"),
        json!({"reason": "Vol"}),
    );
    let calls = (0..16).map(|i| {
        let (path, body) = if i % 2 == 0 { &accept } else { &decline };
        let token = if i % 4 < 2 { &s.advisor } else { &s.coordinator };
        app.post(path, token, body)
    });
    let ctx = app.ctx.clone();
    let job = tokio::task::spawn_blocking(move || Job::ExpireReferrals.run(&ctx).unwrap());
    let (answers, expired) = tokio::join!(futures_util::future::join_all(calls), job);
    let statuses: Vec<u16> = answers.iter().map(|r| r.status().as_u16()).collect();
    let winners = statuses.iter().filter(|s| **s == 200).count();
    let by_job = usize::from(expired.unwrap() == "1 referral(s) expired and routed on");
    assert_eq!(winners + by_job, 1, "{statuses:?}");
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        16 - winners,
        "{statuses:?}"
    );
    let live = ok_json(
        app.get(
            &format!("/api/v1/referrals?request_id={request}&status=open"),
            &s.advisor,
        )
        .await,
    )
    .await;
    let accepted = ok_json(
        app.get(
            &format!("/api/v1/referrals?request_id={request}&status=accepted"),
            &s.advisor,
        )
        .await,
    )
    .await;
    let live = live["items"].as_array().unwrap().len() + accepted["items"].as_array().unwrap().len();
    assert_eq!(live, 1, "one referral is live: the accepted one or the next provider's");
}

#[tokio::test]
async fn sixteen_simultaneous_referrals_of_one_request_leave_one_live_referral() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let ids: Vec<i64> = (0..4)
        .map(|i| {
            named_provider(
                &app,
                &s,
                ProviderKind::PrivateProvider,
                &format!("Klusser {i}"),
                &["odd_jobs"],
            )
        })
        .collect();
    let client = app.client_in(s.municipality, "Kees");
    let request = app.request(&s, client, "odd_jobs", weekday_morning(3), 6, 2.0).await;
    let calls = (0..16).map(|i| {
        let token = if i % 2 == 0 { &s.advisor } else { &s.coordinator };
        refer(&app, token, request, ids[i % 4], "Snel iemand nodig")
    });
    let statuses: Vec<u16> = futures_util::future::join_all(calls)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    let open = ok_json(
        app.get(
            &format!("/api/v1/referrals?request_id={request}&status=open"),
            &s.advisor,
        )
        .await,
    )
    .await;
    assert_eq!(open["items"].as_array().unwrap().len(), 1, "{statuses:?}");
    let now = detail(&app, &s, request).await;
    assert_eq!(now["referral"]["id"], open["items"][0]["id"]);
}

#[tokio::test]
async fn route_to_passes_the_earlier_tiers_by_hand_and_a_tier_without_a_match_writes_nothing() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    app.worker(&s, MemberKind::Volunteer, &["gardening"], 16);
    let client = app.client_in(s.municipality, "Bets");
    let request = app.request(&s, client, "gardening", weekday_morning(3), 6, 2.0).await;

    let refused = assert_problem(
        route_to(&app, &s.advisor, request, "business").await,
        409,
        "tier_not_viable",
    )
    .await;
    assert!(
        refused["detail"].as_str().unwrap().starts_with("no_candidate"),
        "{refused}"
    );
    let untouched = detail(&app, &s, request).await;
    assert_eq!(
        (
            untouched["status"].as_str(),
            untouched["trail"].as_array().unwrap().len()
        ),
        (Some("new"), 0)
    );

    let gardener = named_provider(
        &app,
        &s,
        ProviderKind::PrivateProvider,
        "Hovenier Groen",
        &["gardening"],
    );
    let result = ok_json(route_to(&app, &s.coordinator, request, "private_provider").await).await;
    assert_eq!(
        (result["status"].as_str(), result["tier"].as_str()),
        (Some("referred"), Some("private_provider"))
    );
    assert_eq!(
        reasons(&result),
        [
            row("volunteer", "escalated", "by_hand"),
            row("woonservice", "escalated", "by_hand"),
            row("private_provider", "matched", "by_hand"),
        ]
    );
    let coordinator = ok_json(app.get("/api/v1/me", &s.coordinator).await).await["id"].clone();
    assert!(
        result["trail"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["decided_by"] == coordinator)
    );
    assert!(
        result["trail"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("Met mevrouw besproken")
    );
    let now = detail(&app, &s, request).await;
    assert_eq!(now["referral"]["provider_id"], gardener);

    // Back to the volunteers: no lines for tiers already passed; the open referral ends.
    let back = ok_json(route_to(&app, &s.advisor, request, "volunteer").await).await;
    assert_eq!(
        (back["status"].as_str(), back["tier"].as_str()),
        (Some("routed"), Some("volunteer"))
    );
    assert_eq!(reasons(&back).last().unwrap(), &row("volunteer", "matched", "by_hand"));
    assert_eq!(reasons(&back).len(), 4);
    assert_eq!(detail(&app, &s, request).await["referral"], Value::Null);

    for (tier, field) in [("organisation", "tier"), ("gemeente", "tier")] {
        let problem = assert_problem(
            route_to(&app, &s.advisor, request, tier).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    let empty = app
        .post(
            &format!("/api/v1/requests/{request}/route-to"),
            &s.advisor,
            &json!({"tier": "business", "reason": " "}),
        )
        .await;
    assert_problem(empty, 422, "validation_failed").await;
    assert_eq!(
        reasons(&detail(&app, &s, request).await).len(),
        4,
        "nothing was written"
    );
}

#[tokio::test]
async fn the_woonservice_tier_is_checked_by_hand_as_the_engine_checks_it() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    app.worker(&s, MemberKind::Jobseeker, &["administration"], 16);
    let client = app.client_in(s.municipality, "Dina");
    let request = app
        .request(&s, client, "administration", weekday_morning(3), 6, 2.0)
        .await;
    let refused = assert_problem(
        route_to(&app, &s.advisor, request, "woonservice").await,
        409,
        "tier_not_viable",
    )
    .await;
    assert!(
        refused["detail"].as_str().unwrap().starts_with("insufficient_vouchers"),
        "{refused}"
    );
    app.sell(&s, client, 5).await;
    let result = ok_json(route_to(&app, &s.advisor, request, "woonservice").await).await;
    assert_eq!(
        (result["status"].as_str(), result["tier"].as_str()),
        (Some("routed"), Some("woonservice"))
    );
    assert_eq!(
        reasons(&result),
        [
            row("volunteer", "escalated", "by_hand"),
            row("woonservice", "matched", "by_hand")
        ]
    );
}

#[tokio::test]
async fn a_request_is_referred_by_hand_to_the_local_organisation_the_trail_named() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let organisation = named_provider(
        &app,
        &s,
        ProviderKind::Organisation,
        "Stichting Welzijn Waalre",
        &["administration"],
    );
    let client = app.client_in(s.municipality, "Annie");
    app.sell(&s, client, 5).await;
    let request = app
        .request(&s, client, "administration", weekday_morning(3), 6, 2.0)
        .await;
    let (_, routed) = app.route(&s.advisor, request).await;
    let skipped = &routed["trail"][1];
    assert_eq!(skipped["reason_code"], "existing_organisation");
    assert!(
        skipped["reason"].as_str().unwrap().contains("Stichting Welzijn Waalre"),
        "{skipped}"
    );

    let referred = ok_json(refer(&app, &s.advisor, request, organisation, "Mevrouw gaat daar al naartoe").await).await;
    assert_eq!(
        (referred["status"].as_str(), referred["tier"].as_str()),
        (Some("referred"), Some("organisation"))
    );
    assert_eq!(referred["candidates"][0]["id"], organisation);
    let now = detail(&app, &s, request).await;
    assert_eq!(
        (now["referral"]["tier"].as_str(), now["referral"]["status"].as_str()),
        (Some("organisation"), Some("open"))
    );
    assert_problem(
        refer(&app, &s.advisor, request, organisation, "Nog eens").await,
        409,
        "invalid_transition",
    )
    .await;

    // The organisation says no and there is no other: the advisors take it up.
    let referral = referral_id(&now);
    ok_json(answer(&app, &s.advisor, referral, "decline", json!({"reason": "Wachtlijst"})).await).await;
    let now = detail(&app, &s, request).await;
    assert_eq!(now["status"], "unmatched", "{}", trail_text(&now));
    let lines = reasons(&now);
    assert_eq!(
        lines[lines.len() - 2..],
        [
            row("organisation", "escalated", "declined"),
            row("organisation", "skipped", "no_candidate")
        ]
    );
}

#[tokio::test]
async fn a_provider_that_cannot_take_the_request_is_refused_on_provider_id_and_nothing_changes() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    let client = app.client_in(s.municipality, "Joke");
    let request = app.request(&s, client, "moving", weekday_morning(3), 6, 2.0).await;
    let other_category = named_provider(&app, &s, ProviderKind::Business, "Tuinman", &["gardening"]);
    let retired = named_provider(&app, &s, ProviderKind::Business, "Oud BV", &["moving"]);
    app.with_db(|c| {
        let mut p = providers::find(c, retired)?.unwrap();
        p.fields.active = false;
        providers::update(c, retired, &p.fields, app.now())
    });
    let elsewhere = {
        let other = app.municipality("Valkenswaard");
        let fields = ProviderFields {
            kind: ProviderKind::Business,
            name: "Ver weg BV".into(),
            categories: vec!["moving".into()],
            municipality_ids: vec![other],
            email: None,
            phone: None,
            active: true,
        };
        app.with_db(|c| providers::insert(c, &fields, app.now()))
    };
    for (provider, words) in [
        (999_999, "no such provider"),
        (other_category, "does not offer"),
        (retired, "inactive"),
        (elsewhere, "does not serve"),
    ] {
        let problem = assert_problem(
            refer(&app, &s.advisor, request, provider, "Probeer").await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], "provider_id", "{problem}");
        assert!(
            problem["errors"][0]["message"].as_str().unwrap().contains(words),
            "{problem}"
        );
    }
    let now = detail(&app, &s, request).await;
    assert_eq!(
        (now["status"].as_str(), now["trail"].as_array().unwrap().len()),
        (Some("new"), 0)
    );
    let none = ok_json(
        app.get(&format!("/api/v1/referrals?request_id={request}"), &s.advisor)
            .await,
    )
    .await;
    assert!(none["items"].as_array().unwrap().is_empty());

    let stranger = app.token_for(Role::Advisor, &["Valkenswaard"]).await;
    assert_problem(
        refer(&app, &stranger, request, elsewhere, "Probeer").await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        refer(&app, &s.coach, request, other_category, "Probeer").await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn once_the_provider_said_yes_the_request_is_not_routed_again() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    named_provider(&app, &s, ProviderKind::Business, "Van Gool", &["moving"]);
    let other = named_provider(&app, &s, ProviderKind::Business, "De Wit", &["moving"]);
    let client = app.client_in(s.municipality, "Sjaan");
    let request = app.request(&s, client, "moving", weekday_morning(3), 6, 2.0).await;
    app.route(&s.advisor, request).await;
    let referral = referral_id(&detail(&app, &s, request).await);
    ok_json(answer(&app, &s.advisor, referral, "accept", json!({})).await).await;
    let before = detail(&app, &s, request).await;
    assert_problem(
        refer(&app, &s.advisor, request, other, "Toch liever De Wit").await,
        409,
        "invalid_transition",
    )
    .await;
    assert_problem(
        route_to(&app, &s.advisor, request, "business").await,
        409,
        "invalid_transition",
    )
    .await;
    let (status, _) = app.route(&s.advisor, request).await;
    assert_eq!(status, 409);
    assert_problem(
        answer(&app, &s.advisor, referral, "decline", json!({"reason": "Toch niet"})).await,
        409,
        "invalid_transition",
    )
    .await;
    assert_eq!(detail(&app, &s, request).await, before, "nothing changed");
}

#[tokio::test]
async fn two_instances_running_the_expiry_job_at_once_expire_each_referral_once() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    named_provider(&app, &s, ProviderKind::Business, "Van Gool", &["moving"]);
    let mut referrals = Vec::new();
    for i in 0..6 {
        let client = app.client_in(s.municipality, &format!("Cliënt {i}"));
        let request = app.request(&s, client, "moving", weekday_morning(3), 6, 2.0).await;
        app.route(&s.advisor, request).await;
        referrals.push(referral_id(&detail(&app, &s, request).await));
    }
    app.advance(Duration::hours(49));
    let runs = (0..2).map(|_| {
        let ctx = app.ctx.clone();
        tokio::task::spawn_blocking(move || Job::ExpireReferrals.run(&ctx).unwrap())
    });
    let counted: usize = futures_util::future::join_all(runs)
        .await
        .into_iter()
        .map(|summary| {
            let summary = summary.unwrap();
            summary.split(' ').next().unwrap().parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(counted, 6, "each referral is expired by one of the two");
    for id in referrals {
        let referral = ok_json(app.get(&format!("/api/v1/referrals/{id}"), &s.advisor).await).await;
        assert_eq!(referral["status"], "expired");
    }
    let trail_lines = app.with_db(|c| {
        use diesel::prelude::*;
        use woonservice::store::schema::routing_trail;
        Ok(routing_trail::table
            .filter(routing_trail::reason_code.eq("no_response"))
            .count()
            .get_result::<i64>(c)?)
    });
    assert_eq!(trail_lines, 6, "one no_response line per referral");
}

#[tokio::test]
async fn a_shutdown_stops_the_expiry_job_between_two_referrals_and_the_next_run_takes_the_rest() {
    let app = spawn_app().await;
    let s = app.scenario().await;
    named_provider(&app, &s, ProviderKind::Business, "Traag BV", &["moving"]);
    let client = app.client_in(s.municipality, "Truus");
    for day in 3..6 {
        let request = app.request(&s, client, "moving", weekday_morning(day), 6, 2.0).await;
        app.route(&s.advisor, request).await;
    }
    app.advance(Duration::hours(72));

    // The service starts shutting down after the first referral.
    let asked = std::cell::Cell::new(0);
    let stopping = || {
        asked.set(asked.get() + 1);
        asked.get() > 1
    };
    assert_eq!(
        Job::ExpireReferrals.run_until(&app.ctx, &stopping).unwrap(),
        "1 referral(s) expired and routed on"
    );
    assert_eq!(
        Job::ExpireReferrals.run(&app.ctx).unwrap(),
        "2 referral(s) expired and routed on"
    );
}
