//! The demo's seven members: volunteers and jobseekers in Waalre, volunteers in
//! Valkenswaard, each with skills, a weekly cap and weekly availability; the
//! jobseekers are coached by the demo coach.

use chrono::{DateTime, Utc};

use super::{email, id_of, user_id};
use crate::domain::availability::{RawSlot, WeeklyAvailability};
use crate::domain::client::Coordinates;
use crate::domain::hours::QuarterHours;
use crate::domain::member::{MemberFields, MemberKind, MemberStatus};
use crate::error::{AppError, AppResult};
use crate::store::{DbConnection, members};

struct DemoMember {
    municipality: &'static str,
    kind: MemberKind,
    name: &'static str,
    email: &'static str,
    skills: &'static [&'static str],
    /// What a jobseeker's coach wants them to learn.
    learning: &'static [&'static str],
    cap_hours: i32,
    /// (weekdays, start, end)
    slots: &'static [(&'static [i64], &'static str, &'static str)],
    at: Option<(f64, f64)>,
}

const MEMBERS: [DemoMember; 7] = [
    DemoMember {
        municipality: "Waalre",
        kind: MemberKind::Volunteer,
        name: "Els Peeters",
        email: "els.peeters@example.nl",
        skills: &["gardening", "errands"],
        learning: &[],
        cap_hours: 8,
        slots: &[(&[2, 4], "09:00", "12:00")],
        at: Some((51.3902, 5.4470)),
    },
    DemoMember {
        municipality: "Waalre",
        kind: MemberKind::Volunteer,
        name: "Ton Mertens",
        email: "ton.mertens@example.nl",
        skills: &["errands", "meals"],
        learning: &[],
        cap_hours: 10,
        slots: &[(&[1, 2, 3, 4, 5], "11:00", "13:00")],
        at: None,
    },
    DemoMember {
        municipality: "Waalre",
        kind: MemberKind::Jobseeker,
        name: "Sanne de Vries",
        email: "sanne.devries@example.nl",
        skills: &["gardening", "odd_jobs", "moving"],
        learning: &["odd_jobs"],
        cap_hours: 16,
        slots: &[(&[1, 2, 3, 4], "09:00", "16:00")],
        at: Some((51.3950, 5.4520)),
    },
    DemoMember {
        municipality: "Waalre",
        kind: MemberKind::Jobseeker,
        name: "Mohammed Yilmaz",
        email: "m.yilmaz@example.nl",
        skills: &["odd_jobs", "moving", "gardening"],
        learning: &["moving"],
        cap_hours: 24,
        slots: &[(&[1, 3, 5], "08:30", "16:30")],
        at: None,
    },
    DemoMember {
        municipality: "Waalre",
        kind: MemberKind::Jobseeker,
        name: "Lisa Jacobs",
        email: "lisa.jacobs@example.nl",
        skills: &["administration", "errands"],
        learning: &[],
        cap_hours: 12,
        slots: &[(&[2, 3, 4], "10:00", "15:00")],
        at: None,
    },
    DemoMember {
        municipality: "Valkenswaard",
        kind: MemberKind::Volunteer,
        name: "Bart Claassen",
        email: "bart.claassen@example.nl",
        skills: &["gardening"],
        learning: &[],
        cap_hours: 6,
        slots: &[(&[6], "10:00", "14:00")],
        at: None,
    },
    DemoMember {
        municipality: "Valkenswaard",
        kind: MemberKind::Volunteer,
        name: "Ria Kuijpers",
        email: "ria.kuijpers@example.nl",
        skills: &["errands", "meals"],
        learning: &[],
        cap_hours: 8,
        slots: &[(&[1, 3], "10:00", "12:00")],
        at: None,
    },
];

/// Stores every demo member; returns their names with their ids.
pub(super) fn load(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<Vec<(&'static str, i64)>> {
    let coach = user_id(conn, "coach@demo.woonservice.nl")?;
    let mut member_ids = Vec::new();
    for m in &MEMBERS {
        let raw: Vec<RawSlot<'_>> = m
            .slots
            .iter()
            .flat_map(|(days, start, end)| {
                days.iter().map(move |d| RawSlot {
                    weekday: *d,
                    start,
                    end,
                })
            })
            .collect();
        let fields = MemberFields {
            municipality_id: id_of(conn, m.municipality)?,
            kind: m.kind,
            name: m.name.into(),
            email: Some(email(m.email)),
            phone: None,
            skills: m.skills.iter().map(|s| s.to_string()).collect(),
            learning_goals: m.learning.iter().map(|s| s.to_string()).collect(),
            weekly_hour_cap: QuarterHours::from_hours(m.cap_hours),
            availability: WeeklyAvailability::parse(&raw)
                .map_err(|e| AppError::internal(format!("demo availability: {e:?}")))?,
            coach_id: (m.kind == MemberKind::Jobseeker).then_some(coach),
            status: MemberStatus::Active,
            outflow: None,
            outflow_date: None,
            coordinates: m.at.map(|(lat, lon)| Coordinates { lat, lon }),
        };
        member_ids.push((m.name, members::insert(conn, &fields, now)?));
    }
    Ok(member_ids)
}
