//! Building blocks for matching and voucher tests: a municipality whose project offers
//! every category, members free on weekdays, and windows that fall on those weekdays.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use serde_json::{Value, json};
use woonservice::domain::Role;
use woonservice::domain::availability::{RawSlot, WeeklyAvailability};
use woonservice::domain::member::MemberKind;
use woonservice::domain::schedule::local_to_utc;
use woonservice::store::{members, municipalities};

use crate::helpers::TestApp;
use crate::world::member_fields;

pub struct Scenario {
    pub municipality: i64,
    pub advisor: String,
    pub coordinator: String,
    pub coach_id: i64,
    /// The coach's token.
    pub coach: String,
    /// The coach's sign-in.
    pub coach_email: String,
}

/// The start of a weekday (Monday) at least `days_ahead` days from now, 09:00 Amsterdam.
pub fn weekday_morning(days_ahead: i64) -> DateTime<Utc> {
    let mut day = (Utc::now() + Duration::days(days_ahead)).date_naive();
    while day.weekday().number_from_monday() != 1 {
        day = day.succ_opt().unwrap();
    }
    local_to_utc(day.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap()))
}

impl TestApp {
    pub async fn scenario(&self) -> Scenario {
        let municipality = self.municipality("Waalre");
        self.with_db(|c| {
            let mut m = municipalities::find(c, municipality)?.unwrap();
            m.fields.woonservice_categories = ["gardening", "errands", "odd_jobs", "moving", "administration", "meals"]
                .map(String::from)
                .to_vec();
            // Completion redeems at once here, as it did before sign-off: the tests of
            // redemption read it at completion. `visits.rs` tests the days of sign-off.
            m.fields.sign_off_days = 0;
            municipalities::update(c, municipality, &m.fields, self.now())
        });
        let (coach_id, coach_email) = self.user(Role::Coach, &[municipality], None, None);
        Scenario {
            municipality,
            advisor: self.token_for(Role::Advisor, &["Waalre"]).await,
            coordinator: self.token_for(Role::Coordinator, &["Waalre"]).await,
            coach: self.token(&coach_email).await,
            coach_id,
            coach_email,
        }
    }

    /// The days a client has to answer for a visit's hours (the scenario agrees at once).
    pub fn sign_off_days(&self, s: &Scenario, days: i32) {
        self.with_db(|c| {
            let mut m = municipalities::find(c, s.municipality)?.unwrap();
            m.fields.sign_off_days = days;
            municipalities::update(c, s.municipality, &m.fields, self.now())
        });
    }

    /// A member free every weekday 08:00-18:00 local, with these skills.
    pub fn worker(&self, s: &Scenario, kind: MemberKind, skills: &[&str], cap_hours: i32) -> i64 {
        let slots: Vec<RawSlot<'_>> = (1..=5)
            .map(|d| RawSlot {
                weekday: d,
                start: "08:00",
                end: "18:00",
            })
            .collect();
        let mut fields = member_fields(
            s.municipality,
            kind,
            (kind == MemberKind::Jobseeker).then_some(s.coach_id),
        );
        fields.skills = skills.iter().map(|x| x.to_string()).collect();
        fields.availability = WeeklyAvailability::parse(&slots).unwrap();
        fields.weekly_hour_cap = woonservice::domain::hours::QuarterHours::from_hours(cap_hours);
        self.with_db(|c| members::insert(c, &fields, self.now()))
    }

    /// Takes a request in through the API (as advisor) for a window of `hours` starting at `start`.
    pub async fn request(
        &self,
        s: &Scenario,
        client: i64,
        category: &str,
        start: DateTime<Utc>,
        window_hours: i64,
        estimated: f64,
    ) -> i64 {
        let body = json!({"client_id": client, "category": category, "description": "Hulp gevraagd",
            "window_start": start, "window_end": start + Duration::hours(window_hours), "estimated_hours": estimated});
        let response = self.post("/api/v1/requests", &s.advisor, &body).await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        response.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    }

    pub async fn route(&self, token: &str, request: i64) -> (u16, Value) {
        let response = self
            .post(&format!("/api/v1/requests/{request}/route"), token, &json!({}))
            .await;
        (response.status().as_u16(), response.json().await.unwrap())
    }
}

/// The reason codes of a trail, in order.
pub fn reasons(result: &Value) -> Vec<(String, String, String)> {
    result["trail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["tier"].as_str().unwrap().into(),
                e["outcome"].as_str().unwrap().into(),
                e["reason_code"].as_str().unwrap().into(),
            )
        })
        .collect()
}

pub fn row(tier: &str, outcome: &str, reason: &str) -> (String, String, String) {
    (tier.into(), outcome.into(), reason.into())
}

impl TestApp {
    /// Sells vouchers through the API as the scenario's coordinator.
    pub async fn sell(&self, s: &Scenario, client: i64, count: i64) -> Value {
        let response = self
            .client
            .post(self.url(&format!("/api/v1/clients/{client}/vouchers")))
            .bearer_auth(&s.coordinator)
            .header("Idempotency-Key", format!("sale-{:08x}", rand::random::<u32>()))
            .json(&json!({"count": count}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        response.json().await.unwrap()
    }

    pub async fn balance(&self, s: &Scenario, client: i64) -> Value {
        self.get(&format!("/api/v1/clients/{client}/vouchers?limit=200"), &s.coordinator)
            .await
            .json()
            .await
            .unwrap()
    }

    /// Proposes a member for a slot as the advisor; returns the assignment id.
    pub async fn propose(&self, s: &Scenario, request: i64, member: i64, start: DateTime<Utc>, hours: i64) -> i64 {
        let body = json!({"member_id": member, "starts_at": start, "ends_at": start + Duration::hours(hours)});
        let response = self
            .post(&format!("/api/v1/requests/{request}/assignments"), &s.advisor, &body)
            .await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        response.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    }

    pub async fn act(&self, token: &str, assignment: i64, action: &str, body: Value) -> (u16, Value) {
        let response = self
            .post(&format!("/api/v1/assignments/{assignment}/{action}"), token, &body)
            .await;
        (response.status().as_u16(), response.json().await.unwrap())
    }
}
