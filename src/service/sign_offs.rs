//! The client's sign-off of a completed visit: the hours are agreed (by the client, an
//! advisor on the phone for them, or the municipality's days passing) or disputed and
//! resolved by an advisor; only then does tier 2 redeem the client's vouchers.

use chrono::{DateTime, Duration, Utc};

use crate::domain::Role;
use crate::domain::assignment::{Assignment, AssignmentStatus, SignOff};
use crate::domain::hours::QuarterHours;
use crate::domain::municipality::MunicipalityFields;
use crate::domain::request::Tier;
use crate::domain::schedule::local_date;
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::{Actor, By, found, require_role};
use crate::service::mail::notify;
use crate::service::tokens::Subject;
use crate::service::voucher_use;
use crate::store::assignments::{self, SignOffAnswer};
use crate::store::vouchers::Change;
use crate::store::{Db, DbConnection, locks, municipalities, tx};

/// Redeems the vouchers of `hours` for a tier-2 visit (one per started hour; extra
/// ones when more was worked than reserved, the rest released); returns the
/// shortfall and how many were redeemed. A volunteer's visit uses none.
fn redeem(conn: &mut DbConnection, by: &By, assignment: &Assignment, hours: QuarterHours) -> AppResult<(i32, i64)> {
    if assignment.tier != Tier::Woonservice {
        return Ok((0, 0));
    }
    let change = Change {
        assignment_id: Some(assignment.id),
        actor_id: by.user_id,
        reason: None,
        at: by.now,
    };
    let plan = voucher_use::redeem(
        conn,
        assignment.client_id,
        assignment.id,
        hours,
        local_date(by.now),
        &change,
    )?;
    Ok((plan.shortfall as i32, plan.redeem.len() as i64))
}

/// After completion: where the municipality gives the client days to sign off, the
/// vouchers stay reserved and the client is mailed the hours; with 0 days they are
/// redeemed now, as before sign-off existed. The caller holds the request and client locks.
pub(crate) fn after_completion(
    conn: &mut DbConnection,
    by: &By,
    assignment: &Assignment,
    hours: QuarterHours,
) -> AppResult<()> {
    let days = municipalities::sign_off_days(conn, assignment.municipality_id)?
        .unwrap_or(MunicipalityFields::DEFAULT_SIGN_OFF_DAYS);
    assignments::begin_sign_off(conn, assignment.id, SignOff::Pending, by.now)?;
    if days > 0 {
        let until = by.now + Duration::days(i64::from(days));
        return notify::sign_off_requested(conn, by.now, assignment, hours, until);
    }
    let (shortfall, redeemed) = redeem(conn, by, assignment, hours)?;
    settle(
        conn,
        assignment,
        SignOff::AutoAgreed,
        &SignOffAnswer {
            by: None,
            voucher_shortfall: shortfall,
            ..SignOffAnswer::default()
        },
        by.now,
    )?;
    notify::work_completed(
        conn,
        by.now,
        assignment,
        hours.to_string(),
        redeemed,
        i64::from(shortfall),
    )
}

/// Moves the sign-off on; 409 when another answer came first.
fn settle(
    conn: &mut DbConnection,
    assignment: &Assignment,
    to: SignOff,
    answer: &SignOffAnswer<'_>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let from = assignment.sign_off.unwrap_or(SignOff::Pending);
    if assignments::answer_sign_off(conn, assignment.id, from, to, answer, now)? {
        Ok(())
    } else {
        Err(AppError::conflict(
            ConflictCode::InvalidTransition,
            "the visit was signed off at the same moment",
        ))
    }
}

/// The visit locked with its request and client, read again under the locks, with the
/// sign-off it may move to `to` from; 409 when it is not completed or out of turn.
fn locked(conn: &mut DbConnection, id: i64, to: SignOff) -> AppResult<Assignment> {
    let seen = found(assignments::find(conn, id)?)?;
    locks::request(conn, seen.request_id)?;
    locks::client(conn, seen.client_id)?;
    let assignment = found(assignments::find(conn, id)?)?;
    let invalid = |m: String| AppError::conflict(ConflictCode::InvalidTransition, m);
    match assignment.sign_off {
        Some(from) if assignment.status == AssignmentStatus::Completed => {
            from.next(to).map_err(invalid)?;
            Ok(assignment)
        }
        _ => Err(invalid(format!(
            "a {} visit has nothing to sign off",
            assignment.status
        ))),
    }
}

/// The client of the visit itself, or an advisor in scope speaking for it.
fn may_sign_off(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    require_role(actor, &[Role::Client, Role::Advisor])?;
    let assignment = found(assignments::find(conn, id)?)?;
    let related = if actor.is(Role::Client) {
        actor.user.client_id == Some(assignment.client_id)
    } else {
        actor.in_scope(assignment.municipality_id)
    };
    if related { Ok(()) } else { Err(AppError::NotFound) }
}

/// The client's answer on the hours of a visit.
pub enum Answer {
    Agree {
        rating: Option<i32>,
        comment: Option<String>,
    },
    Dispute {
        reason: String,
    },
}

/// The client (or an advisor for it) agrees, and tier 2 redeems the vouchers of the
/// hours worked; or disputes, nothing is redeemed and the advisors are mailed.
pub async fn sign_off(ctx: &Ctx, subject: Subject, id: i64, answer: Answer) -> AppResult<Assignment> {
    ctx.as_actor(subject, move |conn, actor| {
        may_sign_off(conn, actor, id)?;
        tx::write(conn, |conn| {
            let by = actor.by();
            match &answer {
                Answer::Agree { rating, comment } => {
                    let assignment = locked(conn, id, SignOff::Agreed)?;
                    let hours = assignment.hours_worked.unwrap_or_else(|| assignment.slot_hours());
                    let (shortfall, _) = redeem(conn, &by, &assignment, hours)?;
                    let answer = SignOffAnswer {
                        by: by.user_id,
                        rating: *rating,
                        comment: comment.as_deref(),
                        voucher_shortfall: shortfall,
                        ..SignOffAnswer::default()
                    };
                    settle(conn, &assignment, SignOff::Agreed, &answer, by.now)
                }
                Answer::Dispute { reason } => {
                    let assignment = locked(conn, id, SignOff::Disputed)?;
                    let answer = SignOffAnswer {
                        by: by.user_id,
                        dispute_reason: Some(reason),
                        ..SignOffAnswer::default()
                    };
                    settle(conn, &assignment, SignOff::Disputed, &answer, by.now)?;
                    notify::sign_off_disputed(conn, by.now, &assignment, reason)
                }
            }
        })?;
        found(assignments::find(conn, id)?)
    })
    .await
}

/// An advisor in scope settles a dispute with the hours to redeem (0 redeems none).
pub async fn resolve(ctx: &Ctx, subject: Subject, id: i64, hours: QuarterHours, note: String) -> AppResult<Assignment> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Advisor])?;
        may_sign_off(conn, actor, id)?;
        tx::write(conn, |conn| {
            let by = actor.by();
            let assignment = locked(conn, id, SignOff::Resolved)?;
            let (shortfall, _) = redeem(conn, &by, &assignment, hours)?;
            let answer = SignOffAnswer {
                by: by.user_id,
                resolution_note: Some(&note),
                hours_worked: Some(hours),
                voucher_shortfall: shortfall,
                ..SignOffAnswer::default()
            };
            settle(conn, &assignment, SignOff::Resolved, &answer, by.now)
        })?;
        found(assignments::find(conn, id)?)
    })
    .await
}

/// Agrees for the clients who let their municipality's days pass without an answer,
/// and redeems; one transaction per visit, so of several instances each visit is
/// settled once.
pub fn approve_due(db: &Db, now: DateTime<Utc>, stopping: &dyn Fn() -> bool) -> AppResult<usize> {
    let pending = db.run_blocking(|conn| {
        let mut due = Vec::new();
        let mut days_of: Vec<(i64, i32)> = Vec::new();
        for (id, completed_at, municipality) in assignments::pending_sign_offs(conn)? {
            let days = match days_of.iter().find(|(m, _)| *m == municipality) {
                Some((_, d)) => *d,
                None => {
                    let d = municipalities::sign_off_days(conn, municipality)?
                        .unwrap_or(MunicipalityFields::DEFAULT_SIGN_OFF_DAYS);
                    days_of.push((municipality, d));
                    d
                }
            };
            if completed_at + Duration::days(i64::from(days)) <= now {
                due.push(id);
            }
        }
        Ok(due)
    })?;
    let mut approved = 0;
    for id in pending {
        if stopping() {
            break;
        }
        let done = db.run_blocking(move |conn| {
            tx::write(conn, |conn| {
                let assignment = match locked(conn, id, SignOff::AutoAgreed) {
                    Ok(a) => a,
                    Err(AppError::Conflict { .. }) => return Ok(false),
                    Err(e) => return Err(e),
                };
                let by = By::engine(now);
                let hours = assignment.hours_worked.unwrap_or_else(|| assignment.slot_hours());
                let (shortfall, _) = redeem(conn, &by, &assignment, hours)?;
                let answer = SignOffAnswer {
                    voucher_shortfall: shortfall,
                    ..SignOffAnswer::default()
                };
                settle(conn, &assignment, SignOff::AutoAgreed, &answer, now)?;
                Ok(true)
            })
        })?;
        if done {
            approved += 1;
        }
    }
    Ok(approved)
}
