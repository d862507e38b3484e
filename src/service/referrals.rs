//! Referrals to providers: reading them, the provider's answer, and the deadline. A
//! no or a silence routes the request on (`service::routing::route_on`).

use chrono::{DateTime, Utc};

use crate::domain::Role;
use crate::domain::client::Language;
use crate::domain::page::{Page, PageRequest};
use crate::domain::referral::{NoAnswer, Referral, ReferralAction, ReferralFilter, ReferralStatus};
use crate::domain::request::{RequestStatus, TaskRequest};
use crate::domain::routing::{Outcome, ReasonCode, TrailEntry};
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::{Actor, By, ensure_in_scope, found, require_role};
use crate::service::routing;
use crate::service::tokens::Subject;
use crate::store::referrals::{self, Answer};
use crate::store::{Db, DbConnection, requests, tx};

/// Staff read the referrals of their municipalities.
const READERS: [Role; 4] = [Role::Coach, Role::Advisor, Role::Coordinator, Role::Admin];

pub async fn list(
    ctx: &Ctx,
    subject: Subject,
    filter: ReferralFilter,
    page: PageRequest<()>,
) -> AppResult<Page<Referral, ()>> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &READERS)?;
        referrals::list(conn, actor.scope(), &filter, &page)
    })
    .await
}

pub async fn get(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<Referral> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &READERS)?;
        let referral = found(referrals::find(conn, id)?)?;
        ensure_in_scope(actor, referral.municipality_id)?;
        Ok(referral)
    })
    .await
}

/// Advisors and coordinators in scope record the provider's answer.
const ANSWERERS: [Role; 2] = [Role::Advisor, Role::Coordinator];

/// The referral and its request, the request locked first and the referral read again
/// under that lock, so that of two answers at once the second sees the first.
fn locked(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<(Referral, TaskRequest)> {
    require_role(actor, &ANSWERERS)?;
    let seen = found(referrals::find(conn, id)?)?;
    ensure_in_scope(actor, seen.municipality_id)?;
    let request = found(requests::find_locked(conn, seen.request_id)?)?;
    let referral = found(referrals::find(conn, id)?)?;
    Ok((referral, request))
}

/// Moves the referral by `action`; 409 `invalid_transition` when its status does not allow it.
fn answer(
    conn: &mut DbConnection,
    referral: &Referral,
    action: ReferralAction,
    answer: Answer<'_>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let to = referral
        .status
        .apply(action)
        .map_err(|m| AppError::conflict(ConflictCode::InvalidTransition, m))?;
    if referrals::set_status(conn, referral.id, referral.status, to, answer, now)? {
        Ok(())
    } else {
        Err(AppError::conflict(
            ConflictCode::InvalidTransition,
            "the referral was answered at the same moment",
        ))
    }
}

/// The provider took the job: the request stays `referred` with this provider.
pub async fn accept(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<Referral> {
    ctx.as_actor(subject, move |conn, actor| {
        tx::write(conn, |conn| {
            let (referral, _) = locked(conn, actor, id)?;
            let by = Answer {
                answered_by: Some(actor.id()),
                ..Answer::default()
            };
            answer(conn, &referral, ReferralAction::Accept, by, actor.now())
        })?;
        found(referrals::find(conn, id)?)
    })
    .await
}

/// The provider did the work: the request is `completed`, and gets its follow-up
/// three months on like work by a member.
pub async fn complete(ctx: &Ctx, subject: Subject, id: i64, note: Option<String>) -> AppResult<Referral> {
    ctx.as_actor(subject, move |conn, actor| {
        tx::write(conn, |conn| {
            let (referral, request) = locked(conn, actor, id)?;
            let by = Answer {
                answered_by: Some(actor.id()),
                note: note.as_deref(),
                ..Answer::default()
            };
            answer(conn, &referral, ReferralAction::Complete, by, actor.now())?;
            requests::set_status(conn, request.id, RequestStatus::Completed, actor.now())
        })?;
        found(referrals::find(conn, id)?)
    })
    .await
}

/// The provider said no: the request goes on to the next provider of the tier not yet
/// tried, then the next tier, with a trail line saying why.
pub async fn decline(ctx: &Ctx, subject: Subject, id: i64, reason: String) -> AppResult<Referral> {
    ctx.as_actor(subject, move |conn, actor| {
        tx::write(conn, |conn| {
            let (referral, request) = locked(conn, actor, id)?;
            let by = Answer {
                answered_by: Some(actor.id()),
                reason: Some(&reason),
                ..Answer::default()
            };
            answer(conn, &referral, ReferralAction::Decline, by, actor.now())?;
            let why = NoAnswer::Declined(&reason);
            let line = no_answer_line(&referral, why, ReasonCode::Declined, actor.by());
            routing::route_on(
                conn,
                actor.by(),
                request,
                line,
                referral.no_answer_cause(why, Language::Nl),
            )
        })?;
        found(referrals::find(conn, id)?)
    })
    .await
}

fn no_answer_line(referral: &Referral, why: NoAnswer<'_>, reason: ReasonCode, by: By) -> TrailEntry {
    let sentences = referral.no_answer_sentences(why);
    routing::trail_line(&by, referral.tier, Outcome::Escalated, reason, sentences)
}

/// Expires every open referral whose answer was due by `now` and routes its request
/// on, one transaction per referral: a fault leaves the rest for the next run, and of
/// several instances running the job at once each referral is expired by one.
pub fn expire_overdue(db: &Db, now: DateTime<Utc>, stopping: &dyn Fn() -> bool) -> AppResult<usize> {
    const BATCH: i64 = 100;
    let mut expired = 0;
    loop {
        let due = db.run_blocking(move |conn| referrals::overdue(conn, now, BATCH))?;
        for id in &due {
            if stopping() {
                return Ok(expired);
            }
            let id = *id;
            if db.run_blocking(move |conn| tx::write(conn, |conn| expire(conn, id, now)))? {
                expired += 1;
            }
        }
        if (due.len() as i64) < BATCH {
            return Ok(expired);
        }
    }
}

/// Expires one referral if it is still open and due, under its request's lock; false
/// when someone answered first.
fn expire(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> AppResult<bool> {
    let Some(seen) = referrals::find(conn, id)? else {
        return Ok(false);
    };
    let request = found(requests::find_locked(conn, seen.request_id)?)?;
    let referral = found(referrals::find(conn, id)?)?;
    if referral.status != ReferralStatus::Open || referral.respond_by > now {
        return Ok(false);
    }
    if !referrals::set_status(
        conn,
        id,
        ReferralStatus::Open,
        ReferralStatus::Expired,
        Answer::default(),
        now,
    )? {
        return Ok(false);
    }
    let by = By::engine(now);
    let line = no_answer_line(&referral, NoAnswer::Expired, ReasonCode::NoResponse, by);
    let cause = referral.no_answer_cause(NoAnswer::Expired, Language::Nl);
    routing::route_on(conn, by, request, line, cause)?;
    Ok(true)
}
