//! The registry through the API: what is stored reads back as API.md says.

use serde_json::{Value, json};
use woonservice::domain::Role;

use crate::helpers::{PASSWORD, assert_problem, spawn_app};

#[tokio::test]
async fn the_six_categories_are_seeded_with_the_volunteer_rule_and_an_admin_adds_more() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin, &[]).await;
    let list: Value = app.get("/api/v1/categories", &admin).await.json().await.unwrap();
    let seeded: Vec<(String, bool)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_owned(),
                c["volunteer_ok"].as_bool().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("gardening", true),
        ("errands", true),
        ("odd_jobs", false),
        ("moving", false),
        ("administration", false),
        ("meals", true),
    ];
    assert_eq!(seeded, expected.map(|(c, v)| (c.to_owned(), v)));
    let pets = json!({"code": "pets", "name_nl": "Huisdieren", "name_en": "Pets", "volunteer_ok": true});
    let response = app.post("/api/v1/categories", &admin, &pets).await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["location"], "/api/v1/categories/pets");
    assert_problem(
        app.post("/api/v1/categories", &admin, &pets).await,
        409,
        "already_exists",
    )
    .await;
}

#[tokio::test]
async fn a_municipality_keeps_its_voucher_price_exactly_and_its_settings_change_by_patch() {
    let app = spawn_app().await;
    let admin = app.token_for(Role::Admin, &[]).await;
    let body = json!({"name": "Heeze-Leende", "voucher_price": "5.55", "yearly_voucher_cap": 200, "woonservice_categories": ["gardening", "odd_jobs"]});
    let response = app.post("/api/v1/municipalities", &admin, &body).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["voucher_price"], "5.55");
    assert_eq!(created["voucher_validity_months"], 12);
    assert_eq!(created["woonservice_categories"], json!(["gardening", "odd_jobs"]));
    let path = format!("/api/v1/municipalities/{}", created["id"]);
    let patched: Value = app
        .client
        .patch(app.url(&path))
        .bearer_auth(&admin)
        .json(&json!({"yearly_voucher_cap": null, "voucher_price": "6"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(patched["yearly_voucher_cap"], Value::Null);
    assert_eq!(patched["voucher_price"], "6.00");
    assert_eq!(patched["woonservice_categories"], json!(["gardening", "odd_jobs"]));
    assert_problem(
        app.post("/api/v1/municipalities", &admin, &json!({"name": "heeze-leende"}))
            .await,
        409,
        "already_exists",
    )
    .await;
}

#[tokio::test]
async fn an_admin_links_a_client_account_to_its_client_and_deactivating_it_ends_its_token() {
    let app = spawn_app().await;
    let w = app.world().await;
    let admin = w.token(Role::Admin);
    let body = json!({"email": "Mevrouw.Jansen@Example.nl", "password": PASSWORD, "role": "client", "client_id": w.waalre.other_client});
    let response = app.post("/api/v1/users", admin, &body).await;
    assert_eq!(response.status(), 201);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["email"], "mevrouw.jansen@example.nl");
    assert_eq!(user["municipality_ids"], json!([w.waalre.municipality]));
    let token = app.token("mevrouw.jansen@example.nl").await;
    let me: Value = app.get("/api/v1/me", &token).await.json().await.unwrap();
    assert_eq!(me["client_id"], w.waalre.other_client);
    assert_eq!(
        app.get(&format!("/api/v1/clients/{}", w.waalre.other_client), &token)
            .await
            .status(),
        200
    );

    let second =
        json!({"email": "zoon@example.nl", "password": PASSWORD, "role": "client", "client_id": w.waalre.other_client});
    assert_problem(app.post("/api/v1/users", admin, &second).await, 409, "already_exists").await;
    assert_problem(app.post("/api/v1/users", admin, &body).await, 409, "already_exists").await;

    let path = format!("/api/v1/users/{}", user["id"]);
    let response = app
        .client
        .patch(app.url(&path))
        .bearer_auth(admin)
        .json(&json!({"active": false}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_problem(app.get("/api/v1/me", &token).await, 401, "unauthorized").await;
}

#[tokio::test]
async fn a_client_is_stored_with_a_normalised_postcode_and_keeps_a_way_to_reach_it() {
    let app = spawn_app().await;
    let w = app.world().await;
    let advisor = w.token(Role::Advisor);
    let body = json!({"municipality_id": w.waalre.municipality, "name": "Riet Smulders",
        "address": {"street": "Heuvelstraat", "house_number": "7", "postcode": "5581xk", "city": "Waalre"},
        "target_groups": ["elderly"], "email": "riet@example.nl", "preferred_language": "nl",
        "representative": {"name": "Karin Smulders", "relation": "dochter", "email": "Karin@Example.nl"}});
    let response = app.post("/api/v1/clients", advisor, &body).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let client: Value = response.json().await.unwrap();
    assert_eq!(location, format!("/api/v1/clients/{}", client["id"]));
    assert_eq!(client["address"]["postcode"], "5581 XK");
    assert_eq!(client["representative"]["email"], "karin@example.nl");
    let patch = |body: Value| {
        app.client
            .patch(app.url(&location))
            .bearer_auth(advisor)
            .json(&body)
            .send()
    };
    let changed: Value = patch(json!({"phone": "040 221 33 09", "email": null, "representative": null}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(changed["email"], Value::Null);
    assert_eq!(changed["representative"], Value::Null);
    assert_eq!(changed["name"], "Riet Smulders");
    let refused = patch(json!({"phone": null})).await.unwrap();
    assert_problem(refused, 422, "validation_failed").await;
}

#[tokio::test]
async fn a_coach_keeps_their_own_jobseekers_and_a_leaving_jobseeker_records_where_they_went() {
    let app = spawn_app().await;
    let w = app.world().await;
    let coach = w.token(Role::Coach);
    let body = json!({"municipality_id": w.waalre.municipality, "kind": "jobseeker", "name": "Mohammed Yilmaz",
        "skills": ["odd_jobs", "moving"], "weekly_hour_cap": 24,
        "availability": [{"weekday": 1, "start": "08:30", "end": "12:00"}, {"weekday": 1, "start": "13:00", "end": "16:30"}]});
    let response = app.post("/api/v1/members", coach, &body).await;
    assert_eq!(response.status(), 201);
    let member: Value = response.json().await.unwrap();
    assert_eq!(member["coach_id"], w.waalre.coach);
    assert_eq!(member["weekly_hour_cap"], 24.0);
    assert_eq!(
        member["availability"][1],
        json!({"weekday": 1, "start": "13:00", "end": "16:30"})
    );

    let for_other_coach = json!({"municipality_id": w.waalre.municipality, "kind": "jobseeker", "name": "X", "coach_id": w.valkenswaard.coach});
    assert_problem(
        app.post("/api/v1/members", coach, &for_other_coach).await,
        422,
        "validation_failed",
    )
    .await;

    let path = format!("/api/v1/members/{}", member["id"]);
    let patch = |body: Value| app.client.patch(app.url(&path)).bearer_auth(coach).json(&body).send();
    let left: Value = patch(json!({"status": "left", "outflow": "paid_work", "outflow_date": "2026-12-01"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (left["status"].as_str(), left["outflow"].as_str()),
        (Some("left"), Some("paid_work"))
    );
    let back: Value = patch(json!({"status": "active"})).await.unwrap().json().await.unwrap();
    assert_eq!(
        (back["outflow"].clone(), back["outflow_date"].clone()),
        (Value::Null, Value::Null)
    );
}

#[tokio::test]
async fn a_writer_changes_only_the_municipalities_of_a_provider_that_they_serve() {
    let app = spawn_app().await;
    let w = app.world().await;
    let admin = w.token(Role::Admin);
    let shared = json!({"kind": "business", "name": "Verhuisbedrijf", "categories": ["moving"], "municipality_ids": [w.waalre.municipality]});
    let advisor = w.token(Role::Advisor);
    let created: Value = app
        .post("/api/v1/providers", advisor, &shared)
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/providers/{}", created["id"]);
    let add_other = json!({"municipality_ids": [w.waalre.municipality, w.valkenswaard.municipality]});
    let response = app
        .client
        .patch(app.url(&path))
        .bearer_auth(advisor)
        .json(&add_other)
        .send()
        .await
        .unwrap();
    assert_problem(response, 422, "validation_failed").await;
    let read: Value = app.get(&path, admin).await.json().await.unwrap();
    assert_eq!(read["municipality_ids"], json!([w.waalre.municipality]));
}

#[tokio::test]
async fn a_client_who_moves_keeps_using_their_own_account_in_the_new_municipality() {
    let app = spawn_app().await;
    let w = app.world().await;
    let client = w.token(Role::Client);
    let coordinator = app.token_for(Role::Coordinator, &["Waalre", "Valkenswaard"]).await;
    let moved = app
        .client
        .patch(app.url(&format!("/api/v1/clients/{}", w.waalre.client)))
        .bearer_auth(&coordinator)
        .json(&json!({"municipality_id": w.valkenswaard.municipality}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let me: Value = app.get("/api/v1/me", client).await.json().await.unwrap();
    assert_eq!(me["municipality_ids"], json!([w.valkenswaard.municipality]));
    let start = chrono::Utc::now() + chrono::Duration::days(3);
    let body = json!({"client_id": w.waalre.client, "category": "errands", "description": "Boodschappen doen",
        "window_start": start, "window_end": start + chrono::Duration::hours(2), "estimated_hours": 1.0});
    let response = app.post("/api/v1/requests", client, &body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["municipality_id"], w.valkenswaard.municipality);
    let own: Value = app.get("/api/v1/requests", client).await.json().await.unwrap();
    let ids: Vec<&Value> = own["items"].as_array().unwrap().iter().map(|r| &r["id"]).collect();
    assert!(ids.contains(&&created["id"]), "{own}");
}

#[tokio::test]
async fn a_request_is_taken_in_as_new_and_cancelling_it_twice_is_a_conflict() {
    let app = spawn_app().await;
    let w = app.world().await;
    let client = w.token(Role::Client);
    let start = chrono::Utc::now() + chrono::Duration::days(3);
    let body = json!({"client_id": w.waalre.client, "category": "errands", "description": "Boodschappen doen",
        "window_start": start.to_rfc3339_opts(chrono::SecondsFormat::Secs, false), "window_end": start + chrono::Duration::hours(2), "estimated_hours": 1.25});
    let response = app.post("/api/v1/requests", client, &body).await;
    assert_eq!(response.status(), 201);
    let request: Value = response.json().await.unwrap();
    assert_eq!(request["status"], "new");
    assert_eq!(request["tier"], Value::Null);
    assert_eq!(request["estimated_hours"], 1.25);
    assert_eq!(request["municipality_id"], w.waalre.municipality);
    assert!(request["window_start"].as_str().unwrap().ends_with('Z'));

    let new: Value = app
        .get(
            &format!("/api/v1/requests?status=new&client_id={}", w.waalre.client),
            w.token(Role::Advisor),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(
        new["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == request["id"])
    );

    let cancel = format!("/api/v1/requests/{}/cancel", request["id"]);
    let cancelled: Value = app
        .post(&cancel, client, &json!({"reason": "Mijn zoon doet het al"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], "Mijn zoon doet het al");
    assert_problem(
        app.post(&cancel, client, &json!({"reason": "nogmaals"})).await,
        409,
        "invalid_transition",
    )
    .await;
}

#[tokio::test]
async fn the_same_idempotency_key_and_body_replays_the_first_answer_and_creates_one_request() {
    let app = spawn_app().await;
    let w = app.world().await;
    let advisor = w.token(Role::Advisor).to_owned();
    let start = chrono::Utc::now() + chrono::Duration::days(3);
    let body = json!({"client_id": w.waalre.client, "category": "gardening", "description": "Gras maaien",
        "window_start": start, "window_end": start + chrono::Duration::hours(2), "estimated_hours": 1});
    let send = |key: &'static str, body: Value| {
        app.client
            .post(app.url("/api/v1/requests"))
            .bearer_auth(&advisor)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let first = send("intake-1", body.clone()).await.unwrap();
    assert_eq!(first.status(), 201);
    let location = first.headers()["location"].clone();
    let first_body = first.text().await.unwrap();
    let again = send("intake-1", body.clone()).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["location"], location);
    assert_eq!(again.text().await.unwrap(), first_body);

    let mut other = body.clone();
    other["description"] = json!("Iets anders");
    assert_problem(send("intake-1", other).await.unwrap(), 422, "idempotency_key_reused").await;

    let concurrent = futures_util::future::join_all((0..16).map(|_| send("intake-2", body.clone()))).await;
    let bodies: Vec<String> = futures_util::future::join_all(concurrent.into_iter().map(|r| async move {
        let r = r.unwrap();
        assert_eq!(r.status(), 201);
        r.text().await.unwrap()
    }))
    .await;
    assert!(
        bodies.iter().all(|b| b == &bodies[0]),
        "concurrent repeats answered differently"
    );
    let ids: Vec<i64> = bodies
        .iter()
        .map(|b| serde_json::from_str::<Value>(b).unwrap()["id"].as_i64().unwrap())
        .collect();
    assert!(ids.iter().all(|id| *id == ids[0]));
    let all: Value = app
        .get(
            &format!("/api/v1/requests?client_id={}&limit=200", w.waalre.client),
            &advisor,
        )
        .await
        .json()
        .await
        .unwrap();
    let gras = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["description"] == "Gras maaien")
        .count();
    assert_eq!(gras, 2, "one request per key");
}

#[tokio::test]
async fn staff_of_two_municipalities_list_the_records_of_both_and_staff_of_one_only_their_own() {
    let app = spawn_app().await;
    let w = app.world().await;
    let both = app.token_for(Role::Advisor, &["Waalre", "Valkenswaard"]).await;
    let one = w.token(Role::Advisor).to_owned();
    let everywhere = std::collections::BTreeSet::from([w.waalre.municipality, w.valkenswaard.municipality]);
    let waalre = std::collections::BTreeSet::from([w.waalre.municipality]);
    for path in ["/api/v1/requests?limit=200", "/api/v1/clients?limit=200"] {
        for (token, expected) in [(&both, &everywhere), (&one, &waalre)] {
            let body: Value = app.get(path, token).await.json().await.unwrap();
            let seen: std::collections::BTreeSet<i64> = body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| item["municipality_id"].as_i64().unwrap())
                .collect();
            assert_eq!(&seen, expected, "{path}");
        }
    }
}
