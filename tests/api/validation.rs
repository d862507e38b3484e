//! Every rule of the registry has a failing example that is refused with 422 naming
//! the field, and nothing is written.

use diesel::prelude::*;
use serde_json::{Value, json};
use woonservice::domain::Role;
use woonservice::store::schema::{categories, clients, members, municipalities, providers, requests, users};

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::world::World;

fn counts(app: &TestApp) -> Vec<i64> {
    app.with_db(|c| {
        Ok(vec![
            users::table.count().get_result(c)?,
            municipalities::table.count().get_result(c)?,
            categories::table.count().get_result(c)?,
            clients::table.count().get_result(c)?,
            members::table.count().get_result(c)?,
            providers::table.count().get_result(c)?,
            requests::table.count().get_result(c)?,
        ])
    })
}

/// Merges `change` into `base` (a `null` removes the key), one level deep or into `address`.
fn with(base: &Value, change: Value) -> Value {
    let mut body = base.clone();
    for (k, v) in change.as_object().unwrap() {
        if let (Some(target), Some(inner)) = (body.get_mut(k).and_then(|t| t.as_object_mut()), v.as_object())
            && k == "address"
        {
            for (ik, iv) in inner {
                target.insert(ik.clone(), iv.clone());
            }
            continue;
        }
        if v.is_null() {
            body.as_object_mut().unwrap().remove(k);
        } else {
            body[k] = v.clone();
        }
    }
    body
}

async fn expect_field(app: &TestApp, token: &str, method: reqwest::Method, path: &str, body: Value, field: &str) {
    let response = app
        .client
        .request(method, app.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let problem = if status == 422 {
        assert_problem(response, 422, "validation_failed").await
    } else {
        panic!(
            "{path} with {body}: expected 422 naming {field}, got {status}: {}",
            response.text().await.unwrap()
        );
    };
    let fields = fields_of(&problem);
    assert!(
        fields.contains(&field),
        "{path} with {body}: expected {field} among {fields:?}"
    );
}

/// The fields a 422 names, in its order.
fn fields_of(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect()
}

fn client_body(w: &World) -> Value {
    json!({"municipality_id": w.waalre.municipality, "name": "Annie", "address": {"street": "Dreef", "house_number": "1", "postcode": "5581 AB", "city": "Waalre"},
        "phone": "040 123 45 67", "target_groups": ["elderly"]})
}

#[tokio::test]
async fn every_broken_rule_is_422_naming_its_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let w = app.world().await;
    let before = counts(&app);
    let (advisor, coordinator, admin) = (w.token(Role::Advisor), w.token(Role::Coordinator), w.token(Role::Admin));
    let post = reqwest::Method::POST;
    let patch = reqwest::Method::PATCH;

    let client = client_body(&w);
    let client_cases: Vec<(Value, &str)> = vec![
        (json!({"name": "  "}), "name"),
        (json!({"name": null}), "name"),
        (json!({"address": {"postcode": "12345"}}), "address.postcode"),
        (json!({"address": {"postcode": "0581 AB"}}), "address.postcode"),
        (json!({"address": {"street": ""}}), "address.street"),
        (json!({"address": {"house_number": ""}}), "address.house_number"),
        (json!({"address": {"city": ""}}), "address.city"),
        (json!({"email": "geen-adres"}), "email"),
        (json!({"phone": "bel maar"}), "phone"),
        (json!({"phone": null}), "email"),
        (json!({"lat": 51.4}), "lon"),
        (json!({"lat": 100.0, "lon": 5.4}), "lat"),
        (
            json!({"representative": {"name": "", "relation": "dochter"}}),
            "representative.name",
        ),
        (
            json!({"representative": {"name": "Karin", "relation": "dochter", "email": "x"}}),
            "representative.email",
        ),
        (json!({"target_groups": ["elderly", "elderly"]}), "target_groups[1]"),
        (json!({"target_groups": ["child"]}), "target_groups[0]"),
        (json!({"preferred_language": "de"}), "preferred_language"),
        (
            json!({"municipality_id": w.valkenswaard.municipality}),
            "municipality_id",
        ),
        (json!({"municipality_id": 999_999}), "municipality_id"),
    ];
    for (change, field) in client_cases {
        expect_field(
            &app,
            advisor,
            post.clone(),
            "/api/v1/clients",
            with(&client, change),
            field,
        )
        .await;
    }
    let client_path = format!("/api/v1/clients/{}", w.waalre.client);
    expect_field(
        &app,
        advisor,
        patch.clone(),
        &client_path,
        json!({"phone": null}),
        "email",
    )
    .await;
    expect_field(&app, advisor, patch.clone(), &client_path, json!({"lat": 51.0}), "lat").await;

    let member =
        json!({"municipality_id": w.waalre.municipality, "kind": "volunteer", "name": "Els", "skills": ["gardening"]});
    let member_cases: Vec<(Value, &str)> = vec![
        (json!({"kind": "jobseeker"}), "coach_id"),
        (json!({"kind": "intern"}), "kind"),
        (json!({"weekly_hour_cap": 2.1}), "weekly_hour_cap"),
        (json!({"weekly_hour_cap": 0}), "weekly_hour_cap"),
        (json!({"weekly_hour_cap": 61}), "weekly_hour_cap"),
        (
            json!({"availability": [{"weekday": 8, "start": "09:00", "end": "12:00"}]}),
            "availability[0].weekday",
        ),
        (
            json!({"availability": [{"weekday": 1, "start": "9", "end": "12:00"}]}),
            "availability[0].start",
        ),
        (
            json!({"availability": [{"weekday": 1, "start": "12:00", "end": "09:00"}]}),
            "availability[0].end",
        ),
        (
            json!({"availability": [{"weekday": 1, "start": "09:00", "end": "12:00"}, {"weekday": 1, "start": "11:00", "end": "13:00"}]}),
            "availability[1].start",
        ),
        (json!({"skills": ["juggling"]}), "skills"),
        (json!({"skills": ["gardening", "gardening"]}), "skills"),
        (json!({"status": "left"}), "outflow_date"),
        (json!({"outflow": "paid_work"}), "outflow"),
        (json!({"kind": "jobseeker", "coach_id": w.admin_id}), "coach_id"),
        (json!({"email": "nope"}), "email"),
        (
            json!({"municipality_id": w.valkenswaard.municipality}),
            "municipality_id",
        ),
    ];
    for (change, field) in member_cases {
        expect_field(
            &app,
            coordinator,
            post.clone(),
            "/api/v1/members",
            with(&member, change),
            field,
        )
        .await;
    }
    let jobseeker_path = format!("/api/v1/members/{}", w.waalre.jobseeker);
    expect_field(
        &app,
        coordinator,
        patch.clone(),
        &jobseeker_path,
        json!({"status": "left", "outflow_date": "2026-12-01"}),
        "outflow",
    )
    .await;
    expect_field(
        &app,
        coordinator,
        patch.clone(),
        &jobseeker_path,
        json!({"coach_id": null}),
        "coach_id",
    )
    .await;

    let provider = json!({"kind": "business", "name": "Bedrijf", "categories": ["moving"], "municipality_ids": [w.waalre.municipality]});
    let provider_cases: Vec<(Value, &str)> = vec![
        (json!({"categories": []}), "categories"),
        (json!({"categories": ["nope"]}), "categories"),
        (json!({"municipality_ids": []}), "municipality_ids"),
        (
            json!({"municipality_ids": [w.waalre.municipality, w.waalre.municipality]}),
            "municipality_ids[1]",
        ),
        (
            json!({"municipality_ids": [w.valkenswaard.municipality]}),
            "municipality_ids[0]",
        ),
        (json!({"kind": "charity"}), "kind"),
        (json!({"name": ""}), "name"),
        (json!({"phone": "123"}), "phone"),
    ];
    for (change, field) in provider_cases {
        expect_field(
            &app,
            advisor,
            post.clone(),
            "/api/v1/providers",
            with(&provider, change),
            field,
        )
        .await;
    }

    let start = chrono::Utc::now() + chrono::Duration::days(2);
    let request = json!({"client_id": w.waalre.client, "category": "gardening", "description": "Heg snoeien",
        "window_start": start, "window_end": start + chrono::Duration::hours(3), "estimated_hours": 2});
    let past = chrono::Utc::now() - chrono::Duration::hours(1);
    let request_cases: Vec<(Value, &str)> = vec![
        (
            json!({"window_start": past, "window_end": past + chrono::Duration::hours(2)}),
            "window_start",
        ),
        (json!({"window_end": start - chrono::Duration::hours(1)}), "window_end"),
        (json!({"window_end": start + chrono::Duration::days(15)}), "window_end"),
        (json!({"window_start": "gisteren"}), "window_start"),
        (json!({"estimated_hours": 0}), "estimated_hours"),
        (json!({"estimated_hours": 8.25}), "estimated_hours"),
        (json!({"estimated_hours": 1.1}), "estimated_hours"),
        (json!({"category": "juggling"}), "category"),
        (json!({"category": "Tuin!"}), "category"),
        (json!({"description": ""}), "description"),
        (json!({"client_id": 999_999}), "client_id"),
        (json!({"client_id": w.valkenswaard.client}), "client_id"),
    ];
    for (change, field) in request_cases {
        expect_field(
            &app,
            advisor,
            post.clone(),
            "/api/v1/requests",
            with(&request, change),
            field,
        )
        .await;
    }
    let cancel = format!("/api/v1/requests/{}/cancel", w.waalre.request);
    expect_field(&app, advisor, post.clone(), &cancel, json!({"reason": " "}), "reason").await;

    let user = json!({"email": "nieuw@test.nl", "password": "lang-genoeg", "role": "advisor", "municipality_ids": [w.waalre.municipality]});
    let user_cases: Vec<(Value, &str)> = vec![
        (json!({"email": "nieuw"}), "email"),
        (json!({"password": "kort"}), "password"),
        (json!({"role": "client"}), "client_id"),
        (json!({"role": "member"}), "member_id"),
        (json!({"role": "superuser"}), "role"),
        (json!({"municipality_ids": []}), "municipality_ids"),
        (json!({"role": "admin"}), "municipality_ids"),
        (json!({"municipality_ids": [999_999]}), "municipality_ids[0]"),
        (json!({"client_id": w.waalre.client}), "client_id"),
    ];
    for (change, field) in user_cases {
        expect_field(&app, admin, post.clone(), "/api/v1/users", with(&user, change), field).await;
    }
    expect_field(
        &app,
        admin,
        patch.clone(),
        &format!("/api/v1/users/{}", w.admin_id),
        json!({"active": false}),
        "active",
    )
    .await;

    let municipality = json!({"name": "Heeze-Leende"});
    let municipality_cases: Vec<(Value, &str)> = vec![
        (json!({"voucher_price": "5.555"}), "voucher_price"),
        (json!({"voucher_price": "0"}), "voucher_price"),
        (json!({"voucher_price": "vijf"}), "voucher_price"),
        (json!({"voucher_validity_months": 0}), "voucher_validity_months"),
        (json!({"yearly_voucher_cap": -1}), "yearly_voucher_cap"),
        (json!({"woonservice_categories": ["nope"]}), "woonservice_categories"),
        (json!({"name": ""}), "name"),
    ];
    for (change, field) in municipality_cases {
        expect_field(
            &app,
            admin,
            post.clone(),
            "/api/v1/municipalities",
            with(&municipality, change),
            field,
        )
        .await;
    }
    let category = json!({"code": "Huisdieren", "name_nl": "Huisdieren", "name_en": "Pets", "volunteer_ok": true});
    expect_field(&app, admin, post.clone(), "/api/v1/categories", category, "code").await;

    assert_eq!(counts(&app), before, "a refused body wrote something");
}

#[tokio::test]
async fn a_body_breaking_several_rules_names_every_field_at_once() {
    let app = spawn_app().await;
    let w = app.world().await;
    let body = json!({"municipality_id": w.waalre.municipality, "name": "", "address": {"street": "", "house_number": "1", "postcode": "x", "city": "Waalre"}, "email": "x"});
    let response = app.post("/api/v1/clients", w.token(Role::Advisor), &body).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let fields = fields_of(&problem);
    assert_eq!(fields, ["name", "address.street", "address.postcode", "email"]);

    // Every missing field at once, not only the first serde met.
    let response = app
        .post(
            "/api/v1/requests",
            w.token(Role::Advisor),
            &json!({"description": "Hulp"}),
        )
        .await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let mut missing = fields_of(&problem);
    missing.sort_unstable();
    assert_eq!(
        missing,
        ["category", "client_id", "estimated_hours", "window_end", "window_start"],
        "{problem}"
    );

    // Rules between fields and against stored records are named together as well.
    let member = json!({"municipality_id": w.valkenswaard.municipality, "kind": "jobseeker", "name": "Els",
        "skills": ["juggling"], "outflow": "paid_work"});
    let response = app.post("/api/v1/members", w.token(Role::Coordinator), &member).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let mut fields = fields_of(&problem);
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["coach_id", "municipality_id", "outflow", "skills"],
        "{problem}"
    );
    let start = chrono::Utc::now() + chrono::Duration::days(3);
    let request = json!({"client_id": w.valkenswaard.client, "category": "juggling", "description": "Hulp",
        "window_start": start, "window_end": start + chrono::Duration::hours(3), "estimated_hours": 2});
    let response = app.post("/api/v1/requests", w.token(Role::Advisor), &request).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    let fields = fields_of(&problem);
    assert_eq!(fields, ["client_id", "category"], "{problem}");
}

#[tokio::test]
async fn list_limits_outside_one_to_two_hundred_are_422_and_a_tampered_cursor_is_400() {
    let app = spawn_app().await;
    let w = app.world().await;
    let token = w.token(Role::Advisor);
    for limit in ["0", "201", "-5"] {
        let body = assert_problem(
            app.get(&format!("/api/v1/clients?limit={limit}"), token).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], "limit");
    }
    assert_problem(app.get("/api/v1/clients?limit=veel", token).await, 400, "bad_request").await;
    for cursor in ["not-a-cursor", "YXwyfFrLHvS32x", "YWJj", "%00%01"] {
        assert_problem(
            app.get(&format!("/api/v1/clients?cursor={cursor}"), token).await,
            400,
            "bad_request",
        )
        .await;
    }
    assert_problem(app.get("/api/v1/requests?status=lost", token).await, 400, "bad_request").await;
}
