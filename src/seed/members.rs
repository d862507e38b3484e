//! Step 3: the members, dealt round the municipalities in turn: half volunteers,
//! half jobseekers (coached by their municipality's coach), each with one to three
//! skills and weekday availability from 09:00 to 16:00.

use chrono::Duration;
use rand::Rng;

use super::Run;
use super::municipalities::Town;
use super::words::{categories, name};
use crate::domain::availability::{RawSlot, WeeklyAvailability};
use crate::error::AppResult;
use crate::store::bulk;
use crate::store::time::to_db;
use crate::store::tx;

/// Seeds `count` members and files each under its town's volunteers or jobseekers.
pub(super) fn seed(run: &mut Run<'_>, towns: &mut [Town], count: i64) -> AppResult<()> {
    let mut rows = Vec::new();
    for i in 0..count {
        run.ids.member += 1;
        let town = &mut towns[(i as usize) % towns.len()];
        let volunteer = run.rng.random_bool(0.5);
        let skills = categories(&mut run.rng);
        let availability = availability(run);
        rows.push(member(run, town, volunteer, &skills, availability));
        let entry = (run.ids.member, skills);
        if volunteer {
            town.volunteers.push(entry)
        } else {
            town.jobseekers.push(entry)
        }
    }
    run.db
        .run_blocking(|conn| tx::write(conn, |conn| bulk::members(conn, &rows)))
}

/// Each weekday with a chance of three in five, 09:00 to 16:00, encoded as stored.
fn availability(run: &mut Run<'_>) -> String {
    let days: Vec<i64> = (1..=5).filter(|_| run.rng.random_bool(0.6)).collect();
    let raw: Vec<RawSlot<'_>> = days
        .iter()
        .map(|d| RawSlot {
            weekday: *d,
            start: "09:00",
            end: "16:00",
        })
        .collect();
    WeeklyAvailability::parse(&raw).expect("valid slots").encode()
}

/// The member with the latest id: a weekly cap of 8 to 24 hours, one in twenty paused.
fn member(run: &mut Run<'_>, town: &Town, volunteer: bool, skills: &[&str], availability: String) -> bulk::Member {
    let rng = &mut run.rng;
    let id = run.ids.member;
    bulk::Member {
        id,
        municipality_id: town.id,
        kind: if volunteer { "volunteer" } else { "jobseeker" }.into(),
        name: name(rng),
        email: Some(format!("lid{id}@example.nl")),
        skills: format!(",{},", skills.join(",")),
        weekly_cap_quarters: rng.random_range(8..=24) * 4,
        availability,
        coach_id: (!volunteer).then_some(town.coach),
        status: if rng.random_bool(0.95) { "active" } else { "paused" }.into(),
        lat: Some(51.3 + rng.random_range(0.0..1.5)),
        lon: Some(4.5 + rng.random_range(0.0..2.0)),
        created_at: to_db(run.now - Duration::days(900)),
        updated_at: to_db(run.now - Duration::days(900)),
    }
}
