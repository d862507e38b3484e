//! Who fits a task best, and why: every candidate's score comes with its parts.

use serde::Serialize;

use crate::domain::client::Coordinates;
use crate::domain::hours::QuarterHours;
use crate::domain::member::{Member, MemberKind};
use crate::domain::schedule::{Span, available_spans, iso_week_of, longest_free_minutes};

/// How much each part weighs in the score; the one place to tune the ranking.
/// Continuity counts double: elderly residents value a familiar face.
pub const WEIGHTS: [(&str, f64); 7] = [
    ("skill", 1.0),
    ("availability", 1.0),
    ("capacity", 1.0),
    ("continuity", 2.0),
    ("fairness", 1.0),
    ("distance", 1.0),
    ("learning", 1.0),
];

/// Candidates a routing answer lists.
pub const TOP: usize = 10;

/// How far back work counts for the fairness part.
pub const FAIRNESS_DAYS: i64 = 28;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CandidateKind {
    Member,
    Provider,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    pub kind: CandidateKind,
    pub id: i64,
    pub name: String,
    pub score: f64,
    /// Each part in 0..=1, by name, in the order of `WEIGHTS`.
    pub parts: Vec<(&'static str, f64)>,
}

/// The task being matched.
pub struct Task<'a> {
    pub category: &'a str,
    pub window: Span,
    pub estimated: QuarterHours,
    pub client_at: Option<Coordinates>,
}

/// An accepted or completed assignment of a member.
#[derive(Debug, Clone, Copy)]
pub struct Booking {
    pub slot: Span,
    pub hours: QuarterHours,
    /// Still to be done (accepted); completed work no longer blocks the calendar.
    pub upcoming: bool,
}

/// What the store knows of one member for one task.
pub struct MemberFacts<'a> {
    pub member: &'a Member,
    pub bookings: &'a [Booking],
    pub served_client_before: bool,
    /// Hours booked or worked in the last four weeks.
    pub recent: QuarterHours,
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn weighted(parts: &[(&'static str, f64)]) -> f64 {
    round(
        parts
            .iter()
            .map(|(name, value)| {
                WEIGHTS
                    .iter()
                    .find(|(w, _)| w == name)
                    .map_or(0.0, |(_, weight)| weight * value)
            })
            .sum(),
    )
}

/// Kilometres between two points on the earth (haversine).
pub fn distance_km(a: Coordinates, b: Coordinates) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let (dlat, dlon) = ((b.lat - a.lat).to_radians(), (b.lon - a.lon).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Hours booked in the ISO week of `at`: accepted and completed work starting in it.
pub fn booked_in_week(bookings: &[Booking], at: chrono::DateTime<chrono::Utc>) -> QuarterHours {
    let week = iso_week_of(at);
    bookings
        .iter()
        .filter(|b| week.start <= b.slot.start && b.slot.start < week.end)
        .map(|b| b.hours)
        .sum()
}

/// Hours still free under a member's weekly cap in the ISO week of `at`; a task
/// longer than this would take them past it. Negative when they are past it already.
pub fn left_in_week(cap: QuarterHours, bookings: &[Booking], at: chrono::DateTime<chrono::Utc>) -> QuarterHours {
    cap - booked_in_week(bookings, at)
}

/// Scores a member, or `None` when they cannot take the task: not active, lacking the
/// skill, not free for one stretch as long as the task in the window, or with too few hours left under their
/// weekly cap in the weeks the window touches.
pub fn score_member(task: &Task<'_>, facts: &MemberFacts<'_>) -> Option<Candidate> {
    let member = &facts.member.fields;
    if !member.can_take(task.category) {
        return None;
    }
    let spans = available_spans(&member.availability, task.window);
    let busy: Vec<Span> = facts.bookings.iter().filter(|b| b.upcoming).map(|b| b.slot).collect();
    let needed_minutes = i64::from(task.estimated.quarters()) * 15;
    if longest_free_minutes(&spans, &busy) < needed_minutes {
        return None;
    }
    let remaining = left_in_week(member.weekly_hour_cap, facts.bookings, task.window.start).max(left_in_week(
        member.weekly_hour_cap,
        facts.bookings,
        task.window.end - chrono::Duration::seconds(1),
    ));
    if remaining < task.estimated {
        return None;
    }
    let covered: i64 = spans.iter().map(Span::minutes).sum();
    let cap = f64::from(member.weekly_hour_cap.quarters().max(1));
    let mut parts = vec![
        ("skill", 1.0),
        (
            "availability",
            round((covered as f64 / task.window.minutes().max(1) as f64).min(1.0)),
        ),
        (
            "capacity",
            round((f64::from((remaining - task.estimated).quarters()) / cap).clamp(0.0, 1.0)),
        ),
        ("continuity", if facts.served_client_before { 1.0 } else { 0.0 }),
        ("fairness", round(1.0 / (1.0 + facts.recent.hours() / 8.0))),
    ];
    if let (Some(a), Some(b)) = (task.client_at, member.coordinates) {
        parts.push(("distance", round(1.0 / (1.0 + distance_km(a, b) / 5.0))));
    }
    // A jobseeker is steered towards the work their coach wants them to learn.
    if member.kind == MemberKind::Jobseeker {
        parts.push(("learning", if member.learns(task.category) { 1.0 } else { 0.0 }));
    }
    Some(Candidate {
        kind: CandidateKind::Member,
        id: facts.member.id,
        name: member.name.clone(),
        score: weighted(&parts),
        parts,
    })
}

/// Highest score first, then lowest id, so equal scores always rank the same way.
pub fn sort(candidates: &mut [Candidate]) {
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
}

pub fn rank_members(task: &Task<'_>, members: &[MemberFacts<'_>]) -> Vec<Candidate> {
    let mut ranked: Vec<Candidate> = members.iter().filter_map(|m| score_member(task, m)).collect();
    sort(&mut ranked);
    ranked
}

/// A provider that offers the category in the municipality, with its open referrals.
pub struct ProviderFacts {
    pub id: i64,
    pub name: String,
    pub open_referrals: i64,
}

/// Providers all fit by category and area (the store filtered them); fewer open
/// referrals spread the work.
pub fn rank_providers(providers: &[ProviderFacts]) -> Vec<Candidate> {
    let mut ranked: Vec<Candidate> = providers
        .iter()
        .map(|p| {
            let parts = vec![("fit", 1.0), ("load", round(1.0 / (1.0 + p.open_referrals as f64)))];
            Candidate {
                kind: CandidateKind::Provider,
                id: p.id,
                name: p.name.clone(),
                score: round(parts.iter().map(|(_, v)| v).sum()),
                parts,
            }
        })
        .collect();
    sort(&mut ranked);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::availability::{RawSlot, WeeklyAvailability};
    use crate::domain::member::{MemberFields, MemberKind, MemberStatus};
    use chrono::{DateTime, Utc};

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn member(id: i64, cap_hours: i32) -> Member {
        Member {
            id,
            fields: MemberFields {
                municipality_id: 1,
                kind: MemberKind::Volunteer,
                name: format!("Lid {id}"),
                email: None,
                phone: None,
                skills: vec!["gardening".into()],
                learning_goals: vec![],
                weekly_hour_cap: QuarterHours::from_hours(cap_hours),
                availability: WeeklyAvailability::parse(&[RawSlot {
                    weekday: 2,
                    start: "09:00",
                    end: "13:00",
                }])
                .unwrap(),
                coach_id: None,
                status: MemberStatus::Active,
                outflow: None,
                outflow_date: None,
                coordinates: Some(Coordinates { lat: 51.39, lon: 5.44 }),
            },
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn task() -> Task<'static> {
        // Tuesday 8 December 2026, 08:00-14:00 local.
        Task {
            category: "gardening",
            window: Span::new(at("2026-12-08T07:00:00Z"), at("2026-12-08T13:00:00Z")),
            estimated: QuarterHours::from_hours(2),
            client_at: Some(Coordinates { lat: 51.40, lon: 5.45 }),
        }
    }

    fn facts<'a>(m: &'a Member, bookings: &'a [Booking], before: bool, recent: i32) -> MemberFacts<'a> {
        MemberFacts {
            member: m,
            bookings,
            served_client_before: before,
            recent: QuarterHours::from_hours(recent),
        }
    }

    #[test]
    fn the_score_is_the_weighted_sum_of_its_named_parts() {
        let m = member(1, 16);
        let c = score_member(&task(), &facts(&m, &[], true, 8)).unwrap();
        let names: Vec<&str> = c.parts.iter().map(|p| p.0).collect();
        assert_eq!(
            names,
            [
                "skill",
                "availability",
                "capacity",
                "continuity",
                "fairness",
                "distance"
            ]
        );
        let part = |n: &str| c.parts.iter().find(|p| p.0 == n).unwrap().1;
        assert_eq!(part("availability"), round(240.0 / 360.0));
        assert_eq!(part("capacity"), 14.0 / 16.0);
        assert_eq!(part("fairness"), 0.5);
        let expected = 1.0 + part("availability") + part("capacity") + 2.0 + 0.5 + part("distance");
        assert!((c.score - expected).abs() < 1e-3);
    }

    #[test]
    fn a_familiar_face_ranks_above_a_stranger_and_ties_go_to_the_lower_id() {
        let (a, b, c) = (member(3, 16), member(2, 16), member(1, 16));
        let ranked = rank_members(
            &task(),
            &[
                facts(&a, &[], false, 0),
                facts(&b, &[], true, 0),
                facts(&c, &[], false, 0),
            ],
        );
        assert_eq!(ranked.iter().map(|c| c.id).collect::<Vec<_>>(), vec![2, 1, 3]);
    }

    #[test]
    fn members_who_are_booked_or_at_their_cap_are_not_candidates() {
        let m = member(1, 16);
        let booked = [Booking {
            slot: Span::new(at("2026-12-08T08:00:00Z"), at("2026-12-08T11:00:00Z")),
            hours: QuarterHours::from_hours(3),
            upcoming: true,
        }];
        assert!(score_member(&task(), &facts(&m, &booked, false, 0)).is_none());
        // Free 08:00-09:00 and 10:30-12:00 UTC: 2.5 hours, but never 2 in one go.
        let split = [Booking {
            slot: Span::new(at("2026-12-08T09:00:00Z"), at("2026-12-08T10:30:00Z")),
            hours: QuarterHours::from_quarters(6),
            upcoming: true,
        }];
        assert!(score_member(&task(), &facts(&m, &split, false, 0)).is_none());
        let tight = member(2, 3);
        let earlier = [Booking {
            slot: Span::new(at("2026-12-07T08:00:00Z"), at("2026-12-07T10:00:00Z")),
            hours: QuarterHours::from_hours(2),
            upcoming: true,
        }];
        assert!(score_member(&task(), &facts(&tight, &earlier, false, 0)).is_none());
        let mut paused = member(3, 16);
        paused.fields.status = MemberStatus::Paused;
        assert!(score_member(&task(), &facts(&paused, &[], false, 0)).is_none());
    }

    #[test]
    fn providers_with_fewer_open_referrals_rank_first() {
        let ranked = rank_providers(&[
            ProviderFacts {
                id: 1,
                name: "A".into(),
                open_referrals: 3,
            },
            ProviderFacts {
                id: 2,
                name: "B".into(),
                open_referrals: 0,
            },
        ]);
        assert_eq!(ranked[0].id, 2);
    }
}
