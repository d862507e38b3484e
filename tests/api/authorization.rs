//! The authorization table of API.md, run against the real server: for every endpoint
//! of the registry, every role, on a record of the caller's own municipality (or its
//! own record) and on one outside it.

use reqwest::Method;
use serde_json::{Value, json};
use woonservice::domain::Role;

use crate::helpers::{PASSWORD, TestApp, spawn_app};
use crate::world::{Side, World};

const ROLES: [Role; 6] = [
    Role::Client,
    Role::Member,
    Role::Coach,
    Role::Advisor,
    Role::Coordinator,
    Role::Admin,
];

type Target = fn(&TestApp, &World, Role, Side) -> (String, Option<Value>);

struct Row {
    name: &'static str,
    method: Method,
    target: Target,
    /// Expected status per role (client, member, coach, advisor, coordinator, admin).
    own: [u16; 6],
    /// The same on a record outside the caller's scope; `None` where there is no such record.
    other: Option<[u16; 6]>,
}

fn unique() -> String {
    format!("{:08x}", rand::random::<u32>())
}

/// The client a role acts on: a client user's own and another client of its
/// municipality; for staff, a client of Waalre and one of Valkenswaard.
fn client_of(w: &World, role: Role, side: Side) -> i64 {
    match (role, side) {
        (Role::Client, Side::Other) => w.waalre.other_client,
        _ => w.town(side).client,
    }
}

fn request_of(w: &World, role: Role, side: Side) -> i64 {
    match (role, side) {
        (Role::Client, Side::Other) => w.waalre.other_client_request,
        _ => w.town(side).request,
    }
}

fn member_of(w: &World, role: Role, side: Side) -> i64 {
    match (role, side) {
        (Role::Member, Side::Other) => w.waalre.volunteer,
        _ => w.town(side).jobseeker,
    }
}

fn rows() -> Vec<Row> {
    use Method as M;
    vec![
        // Accounts: admin only.
        Row {
            name: "POST /users",
            method: M::POST,
            own: [403, 403, 403, 403, 403, 201],
            other: None,
            target: |_, w, _, _| {
                (
                    "/api/v1/users".into(),
                    Some(
                        json!({"email": format!("u{}@test.nl", unique()), "password": PASSWORD, "role": "advisor", "municipality_ids": [w.waalre.municipality]}),
                    ),
                )
            },
        },
        Row {
            name: "GET /users",
            method: M::GET,
            own: [403, 403, 403, 403, 403, 200],
            other: None,
            target: |_, _, _, _| ("/api/v1/users".into(), None),
        },
        Row {
            name: "GET /users/{id}",
            method: M::GET,
            own: [403, 403, 403, 403, 403, 200],
            other: None,
            target: |_, w, _, _| (format!("/api/v1/users/{}", w.waalre.coach), None),
        },
        Row {
            name: "PATCH /users/{id}",
            method: M::PATCH,
            own: [403, 403, 403, 403, 403, 200],
            other: None,
            target: |_, w, _, _| {
                (
                    format!("/api/v1/users/{}", w.valkenswaard.coach),
                    Some(json!({"active": true})),
                )
            },
        },
        // Municipalities: admin writes, staff read in scope.
        Row {
            name: "POST /municipalities",
            method: M::POST,
            own: [403, 403, 403, 403, 403, 201],
            other: None,
            target: |_, _, _, _| {
                (
                    "/api/v1/municipalities".into(),
                    Some(json!({"name": format!("Gemeente {}", unique())})),
                )
            },
        },
        Row {
            name: "GET /municipalities",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 200],
            other: None,
            target: |_, _, _, _| ("/api/v1/municipalities".into(), None),
        },
        Row {
            name: "GET /municipalities/{id}",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 200],
            other: Some([403, 403, 404, 404, 404, 200]),
            target: |_, w, _, s| (format!("/api/v1/municipalities/{}", w.town(s).municipality), None),
        },
        Row {
            name: "PATCH /municipalities/{id}",
            method: M::PATCH,
            own: [403, 403, 403, 403, 403, 200],
            other: Some([403, 403, 403, 403, 403, 200]),
            target: |_, w, _, s| {
                (
                    format!("/api/v1/municipalities/{}", w.town(s).municipality),
                    Some(json!({"voucher_validity_months": 12})),
                )
            },
        },
        // Categories: any user reads, admin writes.
        Row {
            name: "GET /categories",
            method: M::GET,
            own: [200; 6],
            other: None,
            target: |_, _, _, _| ("/api/v1/categories".into(), None),
        },
        Row {
            name: "GET /categories/{code}",
            method: M::GET,
            own: [200; 6],
            other: None,
            target: |_, _, _, _| ("/api/v1/categories/gardening".into(), None),
        },
        Row {
            name: "POST /categories",
            method: M::POST,
            own: [403, 403, 403, 403, 403, 201],
            other: None,
            target: |_, _, _, _| {
                (
                    "/api/v1/categories".into(),
                    Some(
                        json!({"code": format!("c{}", unique()), "name_nl": "Iets", "name_en": "Something", "volunteer_ok": true}),
                    ),
                )
            },
        },
        // Clients: advisors and coordinators in scope; a client reads itself.
        Row {
            name: "POST /clients",
            method: M::POST,
            own: [403, 403, 403, 201, 201, 403],
            other: Some([403, 403, 403, 422, 422, 403]),
            target: |_, w, _, s| {
                (
                    "/api/v1/clients".into(),
                    Some(
                        json!({"municipality_id": w.town(s).municipality, "name": "Nieuwe Cliënt",
                "address": {"street": "Dreef", "house_number": "2", "postcode": "5581AB", "city": "Waalre"}, "phone": "040 123 45 67"}),
                    ),
                )
            },
        },
        Row {
            name: "GET /clients",
            method: M::GET,
            own: [403, 403, 403, 200, 200, 403],
            other: None,
            target: |_, _, _, _| ("/api/v1/clients".into(), None),
        },
        Row {
            name: "GET /clients/{id}",
            method: M::GET,
            own: [200, 403, 403, 200, 200, 403],
            other: Some([404, 403, 403, 404, 404, 403]),
            target: |_, w, r, s| (format!("/api/v1/clients/{}", client_of(w, r, s)), None),
        },
        Row {
            name: "PATCH /clients/{id}",
            method: M::PATCH,
            own: [403, 403, 403, 200, 200, 403],
            other: Some([403, 403, 403, 404, 404, 403]),
            target: |_, w, r, s| {
                (
                    format!("/api/v1/clients/{}", client_of(w, r, s)),
                    Some(json!({"name": "Gewijzigde Naam"})),
                )
            },
        },
        // Members: coaches (own caseload, volunteers in scope) and coordinators write; advisors read; a member reads itself.
        Row {
            name: "POST /members",
            method: M::POST,
            own: [403, 403, 201, 403, 201, 403],
            other: Some([403, 403, 422, 403, 422, 403]),
            target: |_, w, _, s| {
                (
                    "/api/v1/members".into(),
                    Some(
                        json!({"municipality_id": w.town(s).municipality, "kind": "volunteer", "name": "Nieuwe Vrijwilliger", "skills": ["errands"]}),
                    ),
                )
            },
        },
        Row {
            name: "GET /members",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 403],
            other: None,
            target: |_, _, _, _| ("/api/v1/members".into(), None),
        },
        Row {
            name: "GET /members/{id}",
            method: M::GET,
            own: [403, 200, 200, 200, 200, 403],
            other: Some([403, 404, 404, 404, 404, 403]),
            target: |_, w, r, s| (format!("/api/v1/members/{}", member_of(w, r, s)), None),
        },
        Row {
            name: "GET /members/{volunteer in scope}",
            method: M::GET,
            own: [403, 404, 200, 200, 200, 403],
            other: None,
            target: |_, w, _, _| (format!("/api/v1/members/{}", w.waalre.volunteer), None),
        },
        Row {
            name: "GET /members/{another coach's jobseeker}",
            method: M::GET,
            own: [403, 404, 404, 200, 200, 403],
            other: None,
            target: |_, w, _, _| (format!("/api/v1/members/{}", w.second_coach_jobseeker), None),
        },
        Row {
            name: "PATCH /members/{id}",
            method: M::PATCH,
            own: [403, 403, 200, 403, 200, 403],
            other: Some([403, 403, 404, 403, 404, 403]),
            target: |_, w, r, s| {
                (
                    format!("/api/v1/members/{}", member_of(w, r, s)),
                    Some(json!({"name": "Gewijzigde Naam"})),
                )
            },
        },
        // Providers: advisors and coordinators write in scope; staff read.
        Row {
            name: "POST /providers",
            method: M::POST,
            own: [403, 403, 403, 201, 201, 403],
            other: Some([403, 403, 403, 422, 422, 403]),
            target: |_, w, _, s| {
                (
                    "/api/v1/providers".into(),
                    Some(
                        json!({"kind": "business", "name": "Bedrijf B.V.", "categories": ["moving"], "municipality_ids": [w.town(s).municipality]}),
                    ),
                )
            },
        },
        Row {
            name: "GET /providers",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 200],
            other: None,
            target: |_, _, _, _| ("/api/v1/providers".into(), None),
        },
        Row {
            name: "GET /providers/{id}",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 200],
            other: Some([403, 403, 404, 404, 404, 200]),
            target: |_, w, _, s| (format!("/api/v1/providers/{}", w.town(s).provider), None),
        },
        Row {
            name: "PATCH /providers/{id}",
            method: M::PATCH,
            own: [403, 403, 403, 200, 200, 403],
            other: Some([403, 403, 403, 404, 404, 403]),
            target: |_, w, _, s| {
                (
                    format!("/api/v1/providers/{}", w.town(s).provider),
                    Some(json!({"name": "Gewijzigde Naam"})),
                )
            },
        },
        // Requests: a client for itself, advisors in scope; staff read in scope.
        Row {
            name: "POST /requests",
            method: M::POST,
            own: [201, 403, 403, 201, 403, 403],
            other: Some([403, 403, 403, 422, 403, 403]),
            target: |_, w, r, s| {
                let start = chrono::Utc::now() + chrono::Duration::days(2);
                (
                    "/api/v1/requests".into(),
                    Some(
                        json!({"client_id": client_of(w, r, s), "category": "gardening", "description": "Gras maaien",
                "window_start": start, "window_end": start + chrono::Duration::hours(3), "estimated_hours": 1.5}),
                    ),
                )
            },
        },
        Row {
            name: "GET /requests",
            method: M::GET,
            own: [200, 403, 200, 200, 200, 200],
            other: None,
            target: |_, _, _, _| ("/api/v1/requests".into(), None),
        },
        Row {
            name: "GET /requests/{id}",
            method: M::GET,
            own: [200, 403, 200, 200, 200, 200],
            other: Some([404, 403, 404, 404, 404, 200]),
            target: |_, w, r, s| (format!("/api/v1/requests/{}", request_of(w, r, s)), None),
        },
        Row {
            name: "POST /requests/{id}/cancel",
            method: M::POST,
            own: [200, 403, 403, 200, 403, 403],
            other: Some([404, 403, 403, 404, 403, 403]),
            target: |app, w, r, s| {
                let client = client_of(w, r, s);
                let municipality = if client == w.valkenswaard.client {
                    w.valkenswaard.municipality
                } else {
                    w.waalre.municipality
                };
                let fresh = app.request_for(client, municipality, w.admin_id);
                (
                    format!("/api/v1/requests/{fresh}/cancel"),
                    Some(json!({"reason": "Niet meer nodig"})),
                )
            },
        },
    ]
}

#[tokio::test]
async fn every_role_gets_what_the_authorization_table_says_on_every_registry_endpoint() {
    let app = spawn_app().await;
    let world = app.world().await;
    let mut mismatches = Vec::new();
    let mut cases = 0;
    for row in rows() {
        for (side, expected) in [(Side::Own, Some(row.own)), (Side::Other, row.other)] {
            let Some(expected) = expected else { continue };
            for (i, role) in ROLES.into_iter().enumerate() {
                let (path, body) = (row.target)(&app, &world, role, side);
                let mut request = app
                    .client
                    .request(row.method.clone(), app.url(&path))
                    .bearer_auth(world.token(role));
                if let Some(body) = &body {
                    request = request.json(body);
                }
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                cases += 1;
                if status != expected[i] {
                    let text = response.text().await.unwrap_or_default();
                    mismatches.push(format!(
                        "{} ({side:?}) as {role}: expected {}, got {status}: {text}",
                        row.name, expected[i]
                    ));
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {cases} cases differ:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[tokio::test]
async fn lists_never_show_records_of_another_municipality_or_another_client() {
    let app = spawn_app().await;
    let w = app.world().await;
    let ids = |body: &Value| -> Vec<i64> {
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_i64().unwrap())
            .collect()
    };
    for role in [Role::Advisor, Role::Coordinator] {
        let clients: Value = app
            .get("/api/v1/clients?limit=200", w.token(role))
            .await
            .json()
            .await
            .unwrap();
        let clients = ids(&clients);
        assert!(
            clients.contains(&w.waalre.client) && !clients.contains(&w.valkenswaard.client),
            "{role}: {clients:?}"
        );
        let requests: Value = app
            .get("/api/v1/requests?limit=200", w.token(role))
            .await
            .json()
            .await
            .unwrap();
        let requests = ids(&requests);
        assert!(
            requests.contains(&w.waalre.request) && !requests.contains(&w.valkenswaard.request),
            "{role}: {requests:?}"
        );
        let providers: Value = app.get("/api/v1/providers", w.token(role)).await.json().await.unwrap();
        assert!(!ids(&providers).contains(&w.valkenswaard.provider));
        let members: Value = app.get("/api/v1/members", w.token(role)).await.json().await.unwrap();
        assert!(!ids(&members).contains(&w.valkenswaard.jobseeker));
        let municipalities: Value = app
            .get("/api/v1/municipalities", w.token(role))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(ids(&municipalities), vec![w.waalre.municipality]);
    }
    let own: Value = app
        .get("/api/v1/requests", w.token(Role::Client))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&own), vec![w.waalre.request]);
    let asked_other: Value = app
        .get(
            &format!("/api/v1/requests?client_id={}", w.waalre.other_client),
            w.token(Role::Client),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(ids(&asked_other).is_empty());
    let coach: Value = app
        .get("/api/v1/members", w.token(Role::Coach))
        .await
        .json()
        .await
        .unwrap();
    let coach = ids(&coach);
    assert!(coach.contains(&w.waalre.jobseeker) && coach.contains(&w.waalre.volunteer));
    assert!(
        !coach.contains(&w.second_coach_jobseeker) && !coach.contains(&w.valkenswaard.volunteer),
        "{coach:?}"
    );
    let admin: Value = app
        .get("/api/v1/municipalities", w.token(Role::Admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ids(&admin).len(), 2);
}
