//! Ranking 20,000 members for one request: the pure part of the matching engine.
//!
//! `cargo bench --bench ranking`

use chrono::{DateTime, Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use woonservice::domain::availability::{RawSlot, WeeklyAvailability};
use woonservice::domain::client::Coordinates;
use woonservice::domain::hours::QuarterHours;
use woonservice::domain::member::{Member, MemberFields, MemberKind, MemberStatus};
use woonservice::domain::ranking::{Booking, MemberFacts, Task, rank_members};
use woonservice::domain::schedule::Span;

fn members(n: i64) -> Vec<Member> {
    let slots = [
        RawSlot {
            weekday: 1,
            start: "09:00",
            end: "16:00",
        },
        RawSlot {
            weekday: 3,
            start: "09:00",
            end: "12:00",
        },
        RawSlot {
            weekday: 4,
            start: "13:00",
            end: "17:00",
        },
    ];
    let availability = WeeklyAvailability::parse(&slots).unwrap();
    (1..=n)
        .map(|id| Member {
            id,
            fields: MemberFields {
                municipality_id: 1,
                kind: MemberKind::Volunteer,
                name: format!("Lid {id}"),
                email: None,
                phone: None,
                skills: if id % 3 == 0 {
                    vec!["errands".into()]
                } else {
                    vec!["gardening".into(), "errands".into()]
                },
                learning_goals: vec![],
                weekly_hour_cap: QuarterHours::from_hours(8 + (id % 16) as i32),
                availability: availability.clone(),
                coach_id: None,
                status: MemberStatus::Active,
                outflow: None,
                outflow_date: None,
                coordinates: Some(Coordinates {
                    lat: 51.3 + (id % 100) as f64 / 100.0,
                    lon: 5.4,
                }),
            },
            created_at: Utc::now(),
            updated_at: Utc::now(),
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let start: DateTime<Utc> = "2026-12-07T08:00:00Z".parse().unwrap();
    let members = members(20_000);
    let bookings: Vec<Vec<Booking>> = members
        .iter()
        .map(|m| {
            (0..(m.id % 4))
                .map(|k| Booking {
                    slot: Span::new(start + Duration::hours(k * 2), start + Duration::hours(k * 2 + 1)),
                    hours: QuarterHours::from_hours(1),
                    upcoming: true,
                })
                .collect()
        })
        .collect();
    let facts: Vec<MemberFacts<'_>> = members
        .iter()
        .zip(&bookings)
        .map(|(m, b)| MemberFacts {
            member: m,
            bookings: b,
            served_client_before: m.id % 50 == 0,
            recent: QuarterHours::from_hours((m.id % 10) as i32),
        })
        .collect();
    let task = Task {
        category: "gardening",
        window: Span::new(start, start + Duration::hours(8)),
        estimated: QuarterHours::from_hours(2),
        client_at: Some(Coordinates { lat: 51.39, lon: 5.44 }),
    };
    c.bench_function("rank 20,000 members for one request", |b| {
        b.iter(|| rank_members(&task, &facts))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
