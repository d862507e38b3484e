//! The authorization table of API.md, run against the real server: for every
//! operation of the OpenAPI document, every role, on a record of the caller's own
//! municipality (or its own record) and on one outside it. A test fails on an
//! operation the table has no row for.

use reqwest::Method;
use serde_json::{Value, json};
use woonservice::domain::Role;
use woonservice::domain::request::Tier;

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
    /// The operation's path as the OpenAPI document writes it; after `", "` the case
    /// when one operation has several rows.
    path: &'static str,
    method: Method,
    target: Target,
    /// Expected status per role (client, member, coach, advisor, coordinator, admin).
    own: [u16; 6],
    /// The same on a record outside the caller's scope; `None` where there is no such record.
    other: Option<[u16; 6]>,
}

impl Row {
    fn template(&self) -> &'static str {
        self.path.split(", ").next().unwrap_or(self.path)
    }

    fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// Whether a concrete path (its query left off) is one the template stands for.
fn matches(template: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
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
            path: "/api/v1/users",
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
            path: "/api/v1/users",
            method: M::GET,
            own: [403, 403, 403, 403, 403, 200],
            other: None,
            target: |_, _, _, _| ("/api/v1/users".into(), None),
        },
        Row {
            path: "/api/v1/users/{id}",
            method: M::GET,
            own: [403, 403, 403, 403, 403, 200],
            other: None,
            target: |_, w, _, _| (format!("/api/v1/users/{}", w.waalre.coach), None),
        },
        Row {
            path: "/api/v1/users/{id}",
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
            path: "/api/v1/municipalities",
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
            path: "/api/v1/municipalities",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 200],
            other: None,
            target: |_, _, _, _| ("/api/v1/municipalities".into(), None),
        },
        Row {
            path: "/api/v1/municipalities/{id}",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 200],
            other: Some([403, 403, 404, 404, 404, 200]),
            target: |_, w, _, s| (format!("/api/v1/municipalities/{}", w.town(s).municipality), None),
        },
        Row {
            path: "/api/v1/municipalities/{id}",
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
            path: "/api/v1/categories",
            method: M::GET,
            own: [200; 6],
            other: None,
            target: |_, _, _, _| ("/api/v1/categories".into(), None),
        },
        Row {
            path: "/api/v1/categories/{code}",
            method: M::GET,
            own: [200; 6],
            other: None,
            target: |_, _, _, _| ("/api/v1/categories/gardening".into(), None),
        },
        Row {
            path: "/api/v1/categories",
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
            path: "/api/v1/clients",
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
            path: "/api/v1/clients",
            method: M::GET,
            own: [403, 403, 403, 200, 200, 403],
            other: None,
            target: |_, _, _, _| ("/api/v1/clients".into(), None),
        },
        Row {
            path: "/api/v1/clients/{id}",
            method: M::GET,
            own: [200, 403, 403, 200, 200, 403],
            other: Some([404, 403, 403, 404, 404, 403]),
            target: |_, w, r, s| (format!("/api/v1/clients/{}", client_of(w, r, s)), None),
        },
        Row {
            path: "/api/v1/clients/{id}",
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
            path: "/api/v1/members",
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
            path: "/api/v1/members",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 403],
            other: None,
            target: |_, _, _, _| ("/api/v1/members".into(), None),
        },
        Row {
            path: "/api/v1/members/{id}",
            method: M::GET,
            own: [403, 200, 200, 200, 200, 403],
            other: Some([403, 404, 404, 404, 404, 403]),
            target: |_, w, r, s| (format!("/api/v1/members/{}", member_of(w, r, s)), None),
        },
        Row {
            path: "/api/v1/members/{id}, a volunteer in scope",
            method: M::GET,
            own: [403, 404, 200, 200, 200, 403],
            other: None,
            target: |_, w, _, _| (format!("/api/v1/members/{}", w.waalre.volunteer), None),
        },
        Row {
            path: "/api/v1/members/{id}, another coach's jobseeker",
            method: M::GET,
            own: [403, 404, 404, 200, 200, 403],
            other: None,
            target: |_, w, _, _| (format!("/api/v1/members/{}", w.second_coach_jobseeker), None),
        },
        Row {
            path: "/api/v1/members/{id}",
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
            path: "/api/v1/providers",
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
            path: "/api/v1/providers",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 200],
            other: None,
            target: |_, _, _, _| ("/api/v1/providers".into(), None),
        },
        Row {
            path: "/api/v1/providers/{id}",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 200],
            other: Some([403, 403, 404, 404, 404, 200]),
            target: |_, w, _, s| (format!("/api/v1/providers/{}", w.town(s).provider), None),
        },
        Row {
            path: "/api/v1/providers/{id}",
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
            path: "/api/v1/requests",
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
            path: "/api/v1/requests",
            method: M::GET,
            own: [200, 403, 200, 200, 200, 200],
            other: None,
            target: |_, _, _, _| ("/api/v1/requests".into(), None),
        },
        Row {
            path: "/api/v1/requests/{id}",
            method: M::GET,
            own: [200, 403, 200, 200, 200, 200],
            other: Some([404, 403, 404, 404, 404, 200]),
            target: |_, w, r, s| (format!("/api/v1/requests/{}", request_of(w, r, s)), None),
        },
        Row {
            path: "/api/v1/requests/{id}/cancel",
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
        // Who is asking: any user.
        Row {
            path: "/api/v1/me",
            method: M::GET,
            own: [200; 6],
            other: None,
            target: |_, _, _, _| ("/api/v1/me".into(), None),
        },
        // Routing: advisors and coordinators in scope; overruling the organisation check: coordinators.
        Row {
            path: "/api/v1/requests/{id}/route",
            method: M::POST,
            own: [403, 403, 403, 200, 200, 403],
            other: Some([403, 403, 403, 404, 404, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let fresh = app.fresh_request(t.client, t.municipality, w.admin_id);
                (format!("/api/v1/requests/{}/route", fresh.request), None)
            },
        },
        Row {
            path: "/api/v1/requests/{id}/escalate",
            method: M::POST,
            own: [403, 403, 403, 200, 200, 403],
            other: Some([403, 403, 403, 404, 404, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let fresh = app.routed_request(t.client, t.municipality, w.admin_id, Tier::Volunteer);
                (
                    format!("/api/v1/requests/{}/escalate", fresh.request),
                    Some(json!({"reason": "Niemand beschikbaar"})),
                )
            },
        },
        Row {
            path: "/api/v1/requests/{id}/route-to",
            method: M::POST,
            own: [403, 403, 403, 200, 200, 403],
            other: Some([403, 403, 403, 404, 404, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let fresh = app.fresh_request(t.client, t.municipality, w.admin_id);
                (
                    format!("/api/v1/requests/{}/route-to", fresh.request),
                    Some(json!({"tier": "private_provider", "reason": "De tuinman kent mevrouw"})),
                )
            },
        },
        Row {
            path: "/api/v1/requests/{id}/refer",
            method: M::POST,
            own: [403, 403, 403, 200, 200, 403],
            other: Some([403, 403, 403, 404, 404, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let fresh = app.fresh_request(t.client, t.municipality, w.admin_id);
                (
                    format!("/api/v1/requests/{}/refer", fresh.request),
                    Some(json!({"provider_id": t.provider, "reason": "De tuinman kent mevrouw"})),
                )
            },
        },
        Row {
            path: "/api/v1/requests/{id}/candidates",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 403],
            other: Some([403, 403, 404, 404, 404, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let routed = app.routed_request(t.client, t.municipality, w.admin_id, Tier::Volunteer);
                (format!("/api/v1/requests/{}/candidates", routed.request), None)
            },
        },
        Row {
            path: "/api/v1/requests/{id}/override-overlap",
            method: M::POST,
            own: [403, 403, 403, 403, 200, 403],
            other: Some([403, 403, 403, 403, 404, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let fresh = app.fresh_request(t.client, t.municipality, w.admin_id);
                (
                    format!("/api/v1/requests/{}/override-overlap", fresh.request),
                    Some(json!({"reason": "De stichting heeft geen plek"})),
                )
            },
        },
        // Referrals: staff in scope read.
        Row {
            path: "/api/v1/referrals",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 200],
            other: None,
            target: |_, _, _, _| ("/api/v1/referrals".into(), None),
        },
        Row {
            path: "/api/v1/referrals/{id}",
            method: M::GET,
            own: [403, 403, 200, 200, 200, 200],
            other: Some([403, 403, 404, 404, 404, 200]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let referral = app.open_referral(t.client, t.municipality, t.provider, w.admin_id);
                (format!("/api/v1/referrals/{referral}"), None)
            },
        },
        Row {
            path: "/api/v1/referrals/{id}/accept",
            method: M::POST,
            own: [403, 403, 403, 200, 200, 403],
            other: Some([403, 403, 403, 404, 404, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let referral = app.open_referral(t.other_client, t.municipality, t.provider, w.admin_id);
                (format!("/api/v1/referrals/{referral}/accept"), None)
            },
        },
        Row {
            path: "/api/v1/referrals/{id}/decline",
            method: M::POST,
            own: [403, 403, 403, 200, 200, 403],
            other: Some([403, 403, 403, 404, 404, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let referral = app.open_referral(t.other_client, t.municipality, t.provider, w.admin_id);
                (
                    format!("/api/v1/referrals/{referral}/decline"),
                    Some(json!({"reason": "Geen tijd"})),
                )
            },
        },
        Row {
            path: "/api/v1/referrals/{id}/complete",
            method: M::POST,
            own: [403, 403, 403, 200, 200, 403],
            other: Some([403, 403, 403, 404, 404, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let referral = app.accepted_referral(t.other_client, t.municipality, t.provider, w.admin_id);
                (
                    format!("/api/v1/referrals/{referral}/complete"),
                    Some(json!({"note": "Klus gedaan"})),
                )
            },
        },
        // Assignments: coaches (their members) and advisors in scope propose; the member,
        // their coach and advisors answer; coaches and advisors end without work; the
        // member, their coach and staff in scope read.
        Row {
            path: "/api/v1/requests/{id}/assignments",
            method: M::POST,
            own: [403, 403, 201, 201, 403, 403],
            other: Some([403, 403, 404, 404, 403, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let fresh = app.routed_request(t.client, t.municipality, w.admin_id, Tier::Volunteer);
                (
                    format!("/api/v1/requests/{}/assignments", fresh.request),
                    Some(json!({"member_id": t.volunteer, "starts_at": fresh.visit.start, "ends_at": fresh.visit.end})),
                )
            },
        },
        Row {
            path: "/api/v1/assignments/{id}",
            method: M::GET,
            own: [200, 200, 200, 200, 200, 200],
            other: Some([404, 404, 404, 404, 404, 200]),
            target: |app, w, _, s| (format!("/api/v1/assignments/{}", proposed(app, w, s)), None),
        },
        Row {
            path: "/api/v1/assignments/{id}/accept",
            method: M::POST,
            own: [403, 200, 200, 200, 403, 403],
            other: Some([403, 404, 404, 404, 403, 403]),
            target: |app, w, _, s| (format!("/api/v1/assignments/{}/accept", proposed(app, w, s)), None),
        },
        // A held accept: only the jobseeker's own coach answers it.
        Row {
            path: "/api/v1/assignments/{id}/confirm",
            method: M::POST,
            own: [403, 403, 200, 403, 403, 403],
            other: Some([403, 403, 404, 404, 404, 403]),
            target: |app, w, _, s| (format!("/api/v1/assignments/{}/confirm", awaiting(app, w, s)), None),
        },
        Row {
            path: "/api/v1/assignments/{id}/reject",
            method: M::POST,
            own: [403, 403, 200, 403, 403, 403],
            other: Some([403, 403, 404, 404, 404, 403]),
            target: |app, w, _, s| {
                (
                    format!("/api/v1/assignments/{}/reject", awaiting(app, w, s)),
                    Some(json!({"reason": "Eerst de cursus afmaken"})),
                )
            },
        },
        // Sign-off: the client of the visit or an advisor in scope; a dispute is resolved by an advisor.
        Row {
            path: "/api/v1/assignments/{id}/sign-off",
            method: M::POST,
            own: [200, 403, 403, 200, 403, 403],
            other: Some([404, 403, 403, 404, 403, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let id = app.pending_sign_off(t.client, t.municipality, t.jobseeker, w.admin_id);
                (
                    format!("/api/v1/assignments/{id}/sign-off"),
                    Some(json!({"agree": true, "rating": 4})),
                )
            },
        },
        Row {
            path: "/api/v1/assignments/{id}/resolve",
            method: M::POST,
            own: [403, 403, 403, 200, 403, 403],
            other: Some([403, 403, 403, 404, 403, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let id = app.disputed_sign_off(t.client, t.municipality, t.jobseeker, w.admin_id);
                (
                    format!("/api/v1/assignments/{id}/resolve"),
                    Some(json!({"hours_worked": 1, "note": "Gebeld; het klopt"})),
                )
            },
        },
        Row {
            path: "/api/v1/assignments/{id}/decline",
            method: M::POST,
            own: [403, 200, 200, 200, 403, 403],
            other: Some([403, 404, 404, 404, 403, 403]),
            target: |app, w, _, s| (format!("/api/v1/assignments/{}/decline", proposed(app, w, s)), None),
        },
        Row {
            path: "/api/v1/assignments/{id}/complete",
            method: M::POST,
            own: [403, 200, 200, 200, 403, 403],
            other: Some([403, 404, 404, 404, 403, 403]),
            target: |app, w, _, s| {
                (
                    format!("/api/v1/assignments/{}/complete", accepted(app, w, s)),
                    Some(json!({"hours_worked": 1})),
                )
            },
        },
        Row {
            path: "/api/v1/assignments/{id}/no-show",
            method: M::POST,
            own: [403, 403, 200, 200, 403, 403],
            other: Some([403, 403, 404, 404, 403, 403]),
            target: |app, w, _, s| {
                (
                    format!("/api/v1/assignments/{}/no-show", accepted(app, w, s)),
                    Some(json!({"reason": "Niemand thuis"})),
                )
            },
        },
        Row {
            path: "/api/v1/assignments/{id}/cancel",
            method: M::POST,
            own: [403, 403, 200, 200, 403, 403],
            other: Some([403, 403, 404, 404, 403, 403]),
            target: |app, w, _, s| {
                (
                    format!("/api/v1/assignments/{}/cancel", proposed(app, w, s)),
                    Some(json!({"reason": "Ziek"})),
                )
            },
        },
        Row {
            path: "/api/v1/members/{id}/assignments",
            method: M::GET,
            own: [403, 200, 200, 200, 200, 200],
            other: Some([403, 404, 404, 404, 404, 200]),
            target: |_, w, r, s| (format!("/api/v1/members/{}/assignments", member_of(w, r, s)), None),
        },
        // Vouchers: coordinators sell and cancel in scope; the client itself, advisors
        // and coordinators in scope see the balance.
        Row {
            path: "/api/v1/clients/{id}/vouchers",
            method: M::GET,
            own: [200, 403, 403, 200, 200, 403],
            other: Some([404, 403, 403, 404, 404, 403]),
            target: |_, w, r, s| (format!("/api/v1/clients/{}/vouchers", client_of(w, r, s)), None),
        },
        Row {
            path: "/api/v1/clients/{id}/voucher-events",
            method: M::GET,
            own: [200, 403, 403, 200, 200, 403],
            other: Some([404, 403, 403, 404, 404, 403]),
            target: |_, w, r, s| (format!("/api/v1/clients/{}/voucher-events", client_of(w, r, s)), None),
        },
        Row {
            path: "/api/v1/clients/{id}/vouchers",
            method: M::POST,
            own: [403, 403, 403, 403, 201, 403],
            other: Some([403, 403, 403, 403, 404, 403]),
            target: |_, w, _, s| {
                (
                    format!("/api/v1/clients/{}/vouchers", w.town(s).client),
                    Some(json!({"count": 1})),
                )
            },
        },
        Row {
            path: "/api/v1/vouchers/{serial}/cancel",
            method: M::POST,
            own: [403, 403, 403, 403, 200, 403],
            other: Some([403, 403, 403, 403, 404, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                let serial = app.voucher_of(t.client, t.municipality, w.admin_id);
                (
                    format!("/api/v1/vouchers/{serial}/cancel"),
                    Some(json!({"reason": "Verkeerd verkocht"})),
                )
            },
        },
        // The outbox: admin only.
        Row {
            path: "/api/v1/admin/outbox",
            method: M::GET,
            own: [403, 403, 403, 403, 403, 200],
            other: None,
            target: |_, _, _, _| ("/api/v1/admin/outbox".into(), None),
        },
        Row {
            path: "/api/v1/admin/outbox/{id}/retry",
            method: M::POST,
            own: [403, 403, 403, 403, 403, 200],
            other: None,
            target: |app, _, _, _| (format!("/api/v1/admin/outbox/{}/retry", app.mail(true)), None),
        },
        Row {
            path: "/api/v1/admin/outbox/{id}/cancel",
            method: M::POST,
            own: [403, 403, 403, 403, 403, 200],
            other: None,
            target: |app, _, _, _| (format!("/api/v1/admin/outbox/{}/cancel", app.mail(false)), None),
        },
        // The monthly report: coordinators in scope, admins.
        Row {
            path: "/api/v1/reports/monthly",
            method: M::GET,
            own: [403, 403, 403, 403, 200, 200],
            other: Some([403, 403, 403, 403, 404, 200]),
            target: |_, w, _, s| {
                (
                    format!(
                        "/api/v1/reports/monthly?municipality_id={}&month=2026-01",
                        w.town(s).municipality
                    ),
                    None,
                )
            },
        },
        // Follow-ups: advisors in scope.
        Row {
            path: "/api/v1/follow-ups",
            method: M::GET,
            own: [403, 403, 403, 200, 403, 403],
            other: None,
            target: |_, _, _, _| ("/api/v1/follow-ups".into(), None),
        },
        Row {
            path: "/api/v1/follow-ups/{id}",
            method: M::POST,
            own: [403, 403, 403, 200, 403, 403],
            other: Some([403, 403, 403, 404, 403, 403]),
            target: |app, w, _, s| {
                let t = w.town(s);
                (
                    format!(
                        "/api/v1/follow-ups/{}",
                        app.follow_up_of(t.client, t.municipality, w.admin_id)
                    ),
                    Some(json!({"helped_lastingly": true, "note": "Tuin blijft bij"})),
                )
            },
        },
    ]
}

/// A proposed tier-2 assignment of the town's jobseeker (in Waalre: the member user's
/// record, coached by the coach user).
fn proposed(app: &TestApp, w: &World, side: Side) -> i64 {
    let t = w.town(side);
    app.proposed_assignment(t.client, t.municipality, t.jobseeker, w.admin_id)
}

fn awaiting(app: &TestApp, w: &World, side: Side) -> i64 {
    let t = w.town(side);
    app.awaiting_assignment(t.client, t.municipality, t.jobseeker, w.admin_id)
}

fn accepted(app: &TestApp, w: &World, side: Side) -> i64 {
    let t = w.town(side);
    app.accepted_assignment(t.client, t.municipality, t.jobseeker, w.admin_id)
}

/// The operations no role check applies to: the document declares them without security.
const PUBLIC: [(&str, &str); 4] = [
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/openapi.json"),
    ("POST", "/api/v1/auth/login"),
];

#[test]
fn the_authorization_table_has_a_row_for_every_operation_of_the_openapi_document() {
    let document: Value =
        serde_json::from_str(include_str!("../../openapi/woonservice.json")).expect("the document is JSON");
    let table = rows();
    let mut missing = Vec::new();
    let mut public = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let method = method.to_uppercase();
            if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method.as_str()) {
                continue;
            }
            if operation["security"].as_array().is_some_and(|s| s.is_empty()) {
                public.push((method, path.clone()));
                continue;
            }
            if !table
                .iter()
                .any(|row| row.method.as_str() == method && row.template() == path)
            {
                missing.push(format!("{method} {path}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} operation(s) of the OpenAPI document have no row in the authorization table:\n{}",
        missing.len(),
        missing.join("\n")
    );
    let mut expected: Vec<(String, String)> = PUBLIC.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    expected.sort();
    public.sort();
    assert_eq!(public, expected, "the operations without security changed");
}

#[tokio::test]
async fn every_role_gets_what_the_authorization_table_says_on_every_operation() {
    let app = spawn_app().await;
    let world = app.world().await;
    let mut mismatches = Vec::new();
    let mut cases = 0;
    for row in rows() {
        for (side, expected) in [(Side::Own, Some(row.own)), (Side::Other, row.other)] {
            let Some(expected) = expected else { continue };
            for (i, role) in ROLES.into_iter().enumerate() {
                let (path, body) = (row.target)(&app, &world, role, side);
                assert!(matches(row.template(), &path), "{}: the row calls {path}", row.name());
                // Voucher sales need a key, request creation takes one, the rest ignore it.
                let mut request = app
                    .client
                    .request(row.method.clone(), app.url(&path))
                    .bearer_auth(world.token(role))
                    .header("Idempotency-Key", unique());
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
                        row.name(),
                        expected[i]
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
    let own_referral = app.open_referral(
        w.waalre.other_client,
        w.waalre.municipality,
        w.waalre.provider,
        w.admin_id,
    );
    let other_referral = app.open_referral(
        w.valkenswaard.client,
        w.valkenswaard.municipality,
        w.valkenswaard.provider,
        w.admin_id,
    );
    for role in [Role::Advisor, Role::Coordinator] {
        let referrals: Value = app.get("/api/v1/referrals", w.token(role)).await.json().await.unwrap();
        let referrals = ids(&referrals);
        assert!(
            referrals.contains(&own_referral) && !referrals.contains(&other_referral),
            "{role}: {referrals:?}"
        );
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
