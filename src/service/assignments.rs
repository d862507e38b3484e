//! Assignments of members to tasks (tiers 1 and 2): propose, accept, decline,
//! complete, no-show, cancel — with the member's calendar, weekly cap and the client's
//! vouchers checked under the locks of `store::locks`.

use crate::domain::Role;
use crate::domain::assignment::{Action, Assignment, AssignmentStatus, check_slot};
use crate::domain::hours::QuarterHours;
use crate::domain::member::Member;
use crate::domain::page::{Page, PageRequest};
use crate::domain::ranking::{self, Booking};
use crate::domain::request::{RequestStatus, TaskRequest, Tier};
use crate::domain::routing;
use crate::domain::schedule::{Span, iso_week_of, local_date};
use crate::domain::voucher;
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::found;
use crate::service::actor::{Actor, require_role};
use crate::service::assignment_endings;
use crate::service::mail::notify;
use crate::service::members;
use crate::service::requests as request_service;
use crate::service::sign_offs;
use crate::service::tokens::Subject;
use crate::service::voucher_use;
use crate::store::assignments::{NewAssignment, StatusChange};
use crate::store::vouchers::Change;
use crate::store::{DbConnection, assignments, locks, requests, tx};

/// Who may act on an assignment, besides advisors of its municipality.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Who {
    /// The member themselves (their member account).
    TheMember,
    /// Their coach: the coach of a jobseeker, or a coach serving a volunteer's municipality.
    TheirCoach,
}

/// The member, their coach (when allowed) and advisors in scope may act; other roles
/// are forbidden, and a record they are not related to is not found.
fn authorize(actor: &Actor, member: &Member, who: &[Who]) -> AppResult<()> {
    let related = match actor.role() {
        Role::Member if who.contains(&Who::TheMember) => actor.user.member_id == Some(member.id),
        Role::Coach if who.contains(&Who::TheirCoach) => actor.coaches(&member.fields),
        Role::Advisor => actor.in_scope(member.fields.municipality_id),
        _ => return Err(AppError::Forbidden),
    };
    if related { Ok(()) } else { Err(AppError::NotFound) }
}

/// A proposal: the coach of a jobseeker (or of a volunteer in scope) or an advisor
/// puts a member on a slot of a routed request.
pub async fn propose(
    ctx: &Ctx,
    subject: Subject,
    request_id: i64,
    member_id: i64,
    slot: Span,
) -> AppResult<Assignment> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Coach, Role::Advisor])?;
        let id = tx::write(conn, |conn| {
            locks::request(conn, request_id)?;
            let request = request_service::readable(conn, actor, request_id)?;
            let tier = match (request.status, request.tier) {
                (RequestStatus::Routed, Some(tier)) if routing::is_member_tier(tier) => tier,
                _ => {
                    return Err(AppError::conflict(
                        ConflictCode::InvalidTransition,
                        format!(
                            "a {} request is not waiting for a member; route it to a member tier first",
                            request.status
                        ),
                    ));
                }
            };
            let member = assignable(conn, actor, &request, tier, member_id)?;
            check_slot(&slot, &Span::new(request.window.start(), request.window.end()))
                .map_err(|(f, m)| AppError::invalid(f, m))?;
            if !assignments::open_of_request(conn, request_id)?.is_empty() {
                return Err(AppError::conflict(
                    ConflictCode::InvalidTransition,
                    "the request already has an open assignment",
                ));
            }
            let new = NewAssignment {
                request_id,
                member_id: member.id,
                client_id: request.client_id,
                municipality_id: request.municipality_id,
                tier,
                slot,
                proposed_by: actor.id(),
            };
            let id = assignments::insert(conn, &new, actor.now())?;
            let proposed = found(assignments::find(conn, id)?)?;
            notify::assignment_proposed(conn, actor.now(), &proposed)?;
            Ok(id)
        })?;
        found(assignments::find(conn, id)?)
    })
    .await
}

/// The member must be one the actor may assign, of the request's municipality, of the
/// tier's kind, active and skilled for the category.
fn assignable(
    conn: &mut DbConnection,
    actor: &Actor,
    request: &TaskRequest,
    tier: Tier,
    member_id: i64,
) -> AppResult<Member> {
    let invalid = |m: &str| AppError::invalid("member_id", m);
    let member =
        members::readable(conn, actor, member_id).map_err(|_| invalid("no such member among those you may assign"))?;
    if actor.is(Role::Coach) && !actor.coaches(&member.fields) {
        return Err(invalid(
            "a coach assigns their own jobseekers and the volunteers of their municipalities",
        ));
    }
    let f = &member.fields;
    let kind = routing::member_kind(tier).expect("assignments are made on member tiers only");
    if f.municipality_id != request.municipality_id {
        return Err(invalid("the member works in another municipality"));
    }
    if f.kind != kind {
        return Err(invalid(&format!(
            "the request is routed to the {tier} tier, which takes a {kind}"
        )));
    }
    if let Some(why) = f.unfit_for(&request.category) {
        return Err(invalid(&why));
    }
    Ok(member)
}

/// Loads an assignment with its member, checking the actor may do `action`.
fn load(conn: &mut DbConnection, actor: &Actor, id: i64, who: &[Who]) -> AppResult<(Assignment, Member)> {
    let assignment = found(assignments::find(conn, id)?)?;
    let member = found(crate::store::members::find(conn, assignment.member_id)?)?;
    authorize(actor, &member, who)?;
    Ok((assignment, member))
}

fn next_status(assignment: &Assignment, action: Action) -> AppResult<AssignmentStatus> {
    assignment
        .status
        .apply(action)
        .map_err(|m| AppError::conflict(ConflictCode::InvalidTransition, m))
}

pub async fn accept(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<Assignment> {
    ctx.as_actor(subject, move |conn, actor| {
        tx::write(conn, |conn| {
            let (assignment, member) = load(conn, actor, id, &[Who::TheMember, Who::TheirCoach])?;
            locks::request(conn, assignment.request_id)?;
            locks::member(conn, member.id)?;
            locks::client(conn, assignment.client_id)?;
            // Read again under the locks: a concurrent call may have moved it.
            let assignment = found(assignments::find(conn, id)?)?;
            // A jobseeker who takes on through their own account a visit their coach did not
            // propose waits for the coach; the slot and the vouchers are held meanwhile.
            let held = actor.is(Role::Member)
                && assignment.tier == Tier::Woonservice
                && member.fields.coach_id != Some(assignment.proposed_by);
            let status = next_status(&assignment, if held { Action::Hold } else { Action::Accept })?;
            check_calendar(conn, &assignment, &member)?;
            let now = actor.now();
            if assignment.tier == Tier::Woonservice {
                let change = Change {
                    assignment_id: Some(id),
                    actor_id: Some(actor.id()),
                    reason: None,
                    at: now,
                };
                let hours = assignment.slot_hours();
                if !voucher_use::reserve(conn, assignment.client_id, hours, local_date(now), &change)? {
                    return Err(AppError::conflict(
                        ConflictCode::InsufficientVouchers,
                        format!(
                            "the client needs {} available voucher(s) for this slot",
                            voucher::vouchers_for(hours)
                        ),
                    ));
                }
            }
            let change = StatusChange {
                status,
                decided_by: Some(actor.id()),
                reason: None,
                hours_worked: None,
                voucher_shortfall: 0,
            };
            assignments::set_status(conn, id, &change, now)?;
            if held {
                notify::confirmation_requested(conn, now, &assignment)
            } else {
                schedule(conn, &assignment, now)
            }
        })?;
        found(assignments::find(conn, id)?)
    })
    .await
}

/// An accepted visit: the request is scheduled and the client hears who comes.
fn schedule(conn: &mut DbConnection, assignment: &Assignment, now: chrono::DateTime<chrono::Utc>) -> AppResult<()> {
    assignments::mark_accepted(conn, assignment.id, now)?;
    requests::set_status(conn, assignment.request_id, RequestStatus::Scheduled, now)?;
    notify::assignment_accepted(conn, now, assignment)
}

/// Only the jobseeker's own coach answers a held accept: other roles and staff in scope
/// are forbidden, a record outside the caller's municipalities is not found.
fn load_for_their_coach(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<Assignment> {
    require_role(actor, &[Role::Coach, Role::Advisor, Role::Coordinator, Role::Admin])?;
    let assignment = found(assignments::find(conn, id)?)?;
    if !actor.in_scope(assignment.municipality_id) {
        return Err(AppError::NotFound);
    }
    let member = found(crate::store::members::find(conn, assignment.member_id)?)?;
    if !actor.is(Role::Coach) || member.fields.coach_id != Some(actor.id()) {
        return Err(AppError::Forbidden);
    }
    locks::request(conn, assignment.request_id)?;
    locks::member(conn, member.id)?;
    locks::client(conn, assignment.client_id)?;
    found(assignments::find(conn, id)?)
}

/// The coach confirms the visit their jobseeker took on: it is accepted and the
/// request scheduled; the jobseeker and the client are told.
pub async fn confirm(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<Assignment> {
    ctx.as_actor(subject, move |conn, actor| {
        tx::write(conn, |conn| {
            let assignment = load_for_their_coach(conn, actor, id)?;
            let status = next_status(&assignment, Action::Confirm)?;
            let now = actor.now();
            let change = StatusChange {
                status,
                decided_by: Some(actor.id()),
                reason: None,
                hours_worked: None,
                voucher_shortfall: 0,
            };
            assignments::set_status(conn, id, &change, now)?;
            schedule(conn, &assignment, now)?;
            notify::confirmation_answered(conn, now, &assignment, true, None)
        })?;
        found(assignments::find(conn, id)?)
    })
    .await
}

/// The coach rejects the visit their jobseeker took on: the held vouchers go back to
/// the client and the request waits for the next candidate; the jobseeker hears why.
pub async fn reject(ctx: &Ctx, subject: Subject, id: i64, reason: String) -> AppResult<Assignment> {
    ctx.as_actor(subject, move |conn, actor| {
        tx::write(conn, |conn| {
            let assignment = load_for_their_coach(conn, actor, id)?;
            let status = next_status(&assignment, Action::Reject)?;
            assignment_endings::end_without_work(conn, &actor.by(), &assignment, status, Some(&reason))?;
            notify::confirmation_answered(conn, actor.now(), &assignment, false, Some(&reason))
        })?;
        found(assignments::find(conn, id)?)
    })
    .await
}

/// A member never holds two overlapping accepted assignments, nor more accepted hours
/// in an ISO week than their cap. The caller holds the member's lock.
fn check_calendar(conn: &mut DbConnection, assignment: &Assignment, member: &Member) -> AppResult<()> {
    let week = iso_week_of(assignment.slot.start);
    let from = week.start.min(assignment.slot.start - chrono::Duration::hours(12));
    let to = week.end.max(assignment.slot.end);
    let bookings = assignments::bookings(conn, &[member.id], from, to)?;
    if bookings
        .iter()
        .any(|(_, b)| b.upcoming && b.slot.overlaps(&assignment.slot))
    {
        return Err(AppError::conflict(
            ConflictCode::Overlap,
            "the member already holds an accepted assignment at that time",
        ));
    }
    let own: Vec<Booking> = bookings.iter().map(|(_, b)| *b).collect();
    let cap = member.fields.weekly_hour_cap;
    if assignment.slot_hours() > ranking::left_in_week(cap, &own, assignment.slot.start) {
        return Err(AppError::conflict(
            ConflictCode::WeeklyCap,
            format!(
                "the member has {} of {} hours booked that week; this slot needs {}",
                ranking::booked_in_week(&own, assignment.slot.start),
                cap,
                assignment.slot_hours()
            ),
        ));
    }
    Ok(())
}

pub async fn decline(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<Assignment> {
    finish(
        ctx,
        subject,
        id,
        Action::Decline,
        &[Who::TheMember, Who::TheirCoach],
        None,
    )
    .await
}

pub async fn no_show(ctx: &Ctx, subject: Subject, id: i64, reason: String) -> AppResult<Assignment> {
    finish(ctx, subject, id, Action::NoShow, &[Who::TheirCoach], Some(reason)).await
}

pub async fn cancel(ctx: &Ctx, subject: Subject, id: i64, reason: String) -> AppResult<Assignment> {
    finish(ctx, subject, id, Action::Cancel, &[Who::TheirCoach], Some(reason)).await
}

/// Decline, no-show and cancel: the assignment ends without work; reserved vouchers
/// are released and the request waits for the next candidate.
async fn finish(
    ctx: &Ctx,
    subject: Subject,
    id: i64,
    action: Action,
    who: &'static [Who],
    reason: Option<String>,
) -> AppResult<Assignment> {
    ctx.as_actor(subject, move |conn, actor| {
        tx::write(conn, |conn| {
            let (assignment, _) = load(conn, actor, id, who)?;
            locks::request(conn, assignment.request_id)?;
            locks::client(conn, assignment.client_id)?;
            let assignment = found(assignments::find(conn, id)?)?;
            let status = next_status(&assignment, action)?;
            assignment_endings::end_without_work(conn, &actor.by(), &assignment, status, reason.as_deref())
        })?;
        found(assignments::find(conn, id)?)
    })
    .await
}

pub async fn complete(ctx: &Ctx, subject: Subject, id: i64, hours_worked: QuarterHours) -> AppResult<Assignment> {
    ctx.as_actor(subject, move |conn, actor| {
        tx::write(conn, |conn| {
            let (assignment, _) = load(conn, actor, id, &[Who::TheMember, Who::TheirCoach])?;
            locks::request(conn, assignment.request_id)?;
            locks::client(conn, assignment.client_id)?;
            let assignment = found(assignments::find(conn, id)?)?;
            let status = next_status(&assignment, Action::Complete)?;
            let now = actor.now();
            let change = StatusChange {
                status,
                decided_by: Some(actor.id()),
                reason: None,
                hours_worked: Some(hours_worked),
                voucher_shortfall: 0,
            };
            assignments::set_status(conn, id, &change, now)?;
            requests::set_status(conn, assignment.request_id, RequestStatus::Completed, now)?;
            sign_offs::after_completion(conn, &actor.by(), &assignment, hours_worked)
        })?;
        found(assignments::find(conn, id)?)
    })
    .await
}

/// A member's schedule, soonest first: the member, their coach, staff in scope.
pub async fn of_member(
    ctx: &Ctx,
    subject: Subject,
    member_id: i64,
    page: PageRequest<chrono::DateTime<chrono::Utc>>,
) -> AppResult<Page<Assignment, chrono::DateTime<chrono::Utc>>> {
    ctx.as_actor(subject, move |conn, actor| {
        if !actor.is(Role::Admin) {
            members::readable(conn, actor, member_id)?;
        } else {
            found(crate::store::members::find(conn, member_id)?)?;
        }
        assignments::of_member(conn, member_id, &page)
    })
    .await
}
