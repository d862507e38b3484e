//! A small world for authorization and scoping tests: two municipalities, Waalre (the
//! callers' own) and Valkenswaard (another), each with clients, members, a provider
//! and requests, and a logged-in user for every role.

use chrono::{Duration, Utc};
use woonservice::domain::Email;
use woonservice::domain::Role;
use woonservice::domain::availability::{RawSlot, WeeklyAvailability};
use woonservice::domain::client::{Address, ClientFields, Language, TargetGroup};
use woonservice::domain::hours::QuarterHours;
use woonservice::domain::member::{MemberFields, MemberKind, MemberStatus};
use woonservice::domain::postcode::Postcode;
use woonservice::domain::provider::{ProviderFields, ProviderKind};
use woonservice::domain::request::NewTaskRequest;
use woonservice::domain::window::DateWindow;
use woonservice::store::users::UserRecord;
use woonservice::store::{clients, members, providers, requests, users};

use crate::helpers::{PASSWORD, TestApp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Own,
    Other,
}

/// The records of one municipality.
pub struct Town {
    pub municipality: i64,
    pub coach: i64,
    /// The client the client user belongs to (in Waalre).
    pub client: i64,
    pub other_client: i64,
    /// A jobseeker of `coach` (in Waalre: the member user's record).
    pub jobseeker: i64,
    pub volunteer: i64,
    pub provider: i64,
    pub request: i64,
    pub other_client_request: i64,
}

pub struct World {
    pub waalre: Town,
    pub valkenswaard: Town,
    /// Tokens by role, all serving Waalre only (admin: all).
    pub tokens: Vec<(Role, String)>,
    pub admin_id: i64,
    pub second_coach_jobseeker: i64,
}

impl World {
    pub fn town(&self, side: Side) -> &Town {
        match side {
            Side::Own => &self.waalre,
            Side::Other => &self.valkenswaard,
        }
    }

    pub fn token(&self, role: Role) -> &str {
        &self
            .tokens
            .iter()
            .find(|(r, _)| *r == role)
            .expect("a token per role")
            .1
    }
}

pub fn client_fields(municipality_id: i64, name: &str) -> ClientFields {
    ClientFields {
        municipality_id,
        name: name.into(),
        address: Address {
            street: "Dreef".into(),
            house_number: "1".into(),
            postcode: Postcode::parse("5581 AB").unwrap(),
            city: "Waalre".into(),
        },
        target_groups: vec![TargetGroup::Elderly],
        email: None,
        phone: Some("040 123 45 67".into()),
        preferred_language: Language::Nl,
        representative: None,
        coordinates: None,
    }
}

pub fn member_fields(municipality_id: i64, kind: MemberKind, coach: Option<i64>) -> MemberFields {
    let slots = [RawSlot {
        weekday: 1,
        start: "09:00",
        end: "17:00",
    }];
    MemberFields {
        municipality_id,
        kind,
        name: "Test Lid".into(),
        email: None,
        phone: None,
        skills: vec!["gardening".into()],
        learning_goals: vec![],
        weekly_hour_cap: QuarterHours::from_hours(16),
        availability: WeeklyAvailability::parse(&slots).unwrap(),
        coach_id: coach,
        status: MemberStatus::Active,
        outflow: None,
        outflow_date: None,
        coordinates: None,
    }
}

impl TestApp {
    /// Inserts a user directly; returns its id.
    pub fn user(
        &self,
        role: Role,
        municipalities: &[i64],
        client_id: Option<i64>,
        member_id: Option<i64>,
    ) -> (i64, String) {
        let email = format!("{}.{:08x}@test.woonservice.nl", role.as_str(), rand::random::<u32>());
        let parsed = Email::parse(&email).unwrap();
        let hash = woonservice::service::password::hash(&woonservice::domain::user::Password::parse(PASSWORD).unwrap())
            .unwrap();
        let id = self.with_db(|c| {
            users::insert(
                c,
                &UserRecord {
                    email: &parsed,
                    role,
                    active: true,
                    municipality_ids: municipalities,
                    client_id,
                    member_id,
                    now: self.now(),
                },
                &hash,
            )
        });
        (id, email)
    }

    pub fn client_in(&self, municipality: i64, name: &str) -> i64 {
        self.with_db(|c| clients::insert(c, &client_fields(municipality, name), self.now()))
    }

    pub fn member_in(&self, municipality: i64, kind: MemberKind, coach: Option<i64>) -> i64 {
        self.with_db(|c| members::insert(c, &member_fields(municipality, kind, coach), self.now()))
    }

    pub fn provider_in(&self, municipality: i64, kind: ProviderKind, categories: &[&str]) -> i64 {
        let fields = ProviderFields {
            kind,
            name: "Test Aanbieder".into(),
            categories: categories.iter().map(|s| s.to_string()).collect(),
            municipality_ids: vec![municipality],
            email: None,
            phone: None,
            active: true,
        };
        self.with_db(|c| providers::insert(c, &fields, self.now()))
    }

    /// A new request for a client, created directly (the creator is any user id).
    pub fn request_for(&self, client: i64, municipality: i64, created_by: i64) -> i64 {
        let start = self.now() + Duration::days(3);
        let new = NewTaskRequest {
            client_id: client,
            category: "gardening".into(),
            description: "De heg snoeien".into(),
            window: DateWindow::parse(start, start + Duration::hours(4), Utc::now()).unwrap(),
            estimated_hours: QuarterHours::from_hours(2),
        };
        self.with_db(|c| requests::insert(c, &new, municipality, created_by, self.now()))
    }

    fn town(&self, name: &str, admin: i64) -> Town {
        let municipality = self.municipality(name);
        let (coach, _) = self.user(Role::Coach, &[municipality], None, None);
        let client = self.client_in(municipality, "Eigen Cliënt");
        let other_client = self.client_in(municipality, "Andere Cliënt");
        let jobseeker = self.member_in(municipality, MemberKind::Jobseeker, Some(coach));
        let volunteer = self.member_in(municipality, MemberKind::Volunteer, None);
        let provider = self.provider_in(municipality, ProviderKind::PrivateProvider, &["gardening"]);
        let request = self.request_for(client, municipality, admin);
        let other_client_request = self.request_for(other_client, municipality, admin);
        Town {
            municipality,
            coach,
            client,
            other_client,
            jobseeker,
            volunteer,
            provider,
            request,
            other_client_request,
        }
    }

    pub async fn world(&self) -> World {
        let (admin_id, admin_email) = self.user(Role::Admin, &[], None, None);
        let waalre = self.town("Waalre", admin_id);
        let valkenswaard = self.town("Valkenswaard", admin_id);
        let (_, second_coach) = self.user(Role::Coach, &[waalre.municipality], None, None);
        let second_coach_id =
            self.with_db(|c| Ok(users::id_by_email(c, &Email::parse(&second_coach).unwrap())?.unwrap()));
        let second_coach_jobseeker = self.member_in(waalre.municipality, MemberKind::Jobseeker, Some(second_coach_id));
        let w = waalre.municipality;
        let accounts = [
            (Role::Client, self.user(Role::Client, &[w], Some(waalre.client), None).1),
            (
                Role::Member,
                self.user(Role::Member, &[w], None, Some(waalre.jobseeker)).1,
            ),
            (
                Role::Coach,
                self.with_db(|c| Ok(users::find(c, waalre.coach)?.unwrap().email.into_string())),
            ),
            (Role::Advisor, self.user(Role::Advisor, &[w], None, None).1),
            (Role::Coordinator, self.user(Role::Coordinator, &[w], None, None).1),
            (Role::Admin, admin_email),
        ];
        let mut tokens = Vec::new();
        for (role, email) in accounts {
            tokens.push((role, self.token(&email).await));
        }
        World {
            waalre,
            valkenswaard,
            tokens,
            admin_id,
            second_coach_jobseeker,
        }
    }
}
