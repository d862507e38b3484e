//! A proposed tier-2 visit written straight to the store: the setup of the benches
//! that measure accepting one.

use chrono::{DateTime, Duration, Utc};
use woonservice::domain::hours::QuarterHours;
use woonservice::domain::request::{NewTaskRequest, RequestStatus, Tier};
use woonservice::domain::schedule::Span;
use woonservice::domain::window::DateWindow;
use woonservice::error::AppResult;
use woonservice::service::clock::Clock;
use woonservice::store::assignments::{self, NewAssignment};
use woonservice::store::{DbConnection, requests};

pub struct Visit<'a> {
    pub client_id: i64,
    pub member_id: i64,
    pub municipality_id: i64,
    pub proposed_by: i64,
    pub start: DateTime<Utc>,
    pub description: &'a str,
}

/// A routed one-hour odd job in a two-hour window from `start`, proposed to the
/// member; returns the assignment's id.
pub fn proposed(c: &mut DbConnection, visit: Visit<'_>) -> AppResult<i64> {
    let now = Clock::system().now();
    let new = NewTaskRequest {
        client_id: visit.client_id,
        category: "odd_jobs".into(),
        description: visit.description.into(),
        window: DateWindow::stored(visit.start, visit.start + Duration::hours(2)),
        estimated_hours: QuarterHours::from_hours(1),
    };
    let request = requests::insert(c, &new, visit.municipality_id, visit.proposed_by, now)?;
    requests::set_routing(c, request, RequestStatus::Routed, Some(Tier::Woonservice), now)?;
    let proposal = NewAssignment {
        request_id: request,
        member_id: visit.member_id,
        client_id: visit.client_id,
        municipality_id: visit.municipality_id,
        tier: Tier::Woonservice,
        slot: Span::new(visit.start, visit.start + Duration::hours(1)),
        proposed_by: visit.proposed_by,
    };
    assignments::insert(c, &proposal, now)
}
