//! A coach's caseload and a member's progress: what the coach follows week by week
//! and month by month.

use std::collections::HashMap;

use chrono::Duration;

use crate::domain::Role;
use crate::domain::assignment::Assignment;
use crate::domain::feedback::Feedback;
use crate::domain::hours::QuarterHours;
use crate::domain::member::{Member, MemberStatus};
use crate::domain::progress::{MONTHS_SHOWN, Progress};
use crate::domain::ranking::{Booking, booked_in_week};
use crate::domain::schedule::iso_week_of;
use crate::error::AppResult;
use crate::service::Ctx;
use crate::service::actor::require_role;
use crate::service::members::readable;
use crate::service::tokens::Subject;
use crate::store::{assignments, members};

/// How far ahead the caseload looks for a jobseeker's next visits.
const AHEAD_DAYS: i64 = 28;

/// How many next visits the caseload shows per jobseeker.
pub const NEXT_SHOWN: usize = 3;

/// One jobseeker as their coach sees them on the caseload.
pub struct CaseloadEntry {
    pub member: Member,
    /// Accepted and completed work starting this ISO week (Amsterdam time).
    pub week_hours: QuarterHours,
    /// Proposed, waiting and accepted visits ahead, soonest first, with the category.
    pub next_visits: Vec<(Assignment, String)>,
}

/// The coach's own jobseekers: active first, then paused, then those who left, each
/// by name.
pub async fn of_coach(ctx: &Ctx, subject: Subject) -> AppResult<Vec<CaseloadEntry>> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Coach])?;
        let now = actor.now();
        let mut jobseekers = members::jobseekers_of_coach(conn, actor.id())?;
        // Stable: the store's order by name holds within each status.
        jobseekers.sort_by_key(|m| match m.fields.status {
            MemberStatus::Active => 0,
            MemberStatus::Paused => 1,
            MemberStatus::Left => 2,
        });
        let ids: Vec<i64> = jobseekers.iter().map(|m| m.id).collect();
        let week = iso_week_of(now);
        let mut booked: HashMap<i64, Vec<Booking>> = HashMap::new();
        for (member_id, booking) in assignments::bookings(conn, &ids, week.start, week.end)? {
            booked.entry(member_id).or_default().push(booking);
        }
        let mut ahead: HashMap<i64, Vec<(Assignment, String)>> = HashMap::new();
        for (visit, category) in assignments::ahead_of_members(conn, &ids, now, now + Duration::days(AHEAD_DAYS))? {
            let next = ahead.entry(visit.member_id).or_default();
            if next.len() < NEXT_SHOWN {
                next.push((visit, category));
            }
        }
        Ok(jobseekers
            .into_iter()
            .map(|member| CaseloadEntry {
                week_hours: booked_in_week(booked.get(&member.id).map_or(&[], Vec::as_slice), now),
                next_visits: ahead.remove(&member.id).unwrap_or_default(),
                member,
            })
            .collect())
    })
    .await
}

/// A member's progress for their coach and staff in scope.
pub struct MemberProgress {
    pub member: Member,
    pub progress: Progress,
    pub feedback: Feedback,
}

pub async fn progress(ctx: &Ctx, subject: Subject, member_id: i64) -> AppResult<MemberProgress> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Coach, Role::Advisor, Role::Coordinator])?;
        let member = readable(conn, actor, member_id)?;
        let now = actor.now();
        let records = assignments::history_of_member(conn, member_id, Progress::counted_from(now, MONTHS_SHOWN))?;
        Ok(MemberProgress {
            member,
            progress: Progress::of(&records, now, MONTHS_SHOWN),
            feedback: Feedback::of(assignments::rated_of_member(conn, member_id)?),
        })
    })
    .await
}
