//! Referrals to providers: reading them, and (with routing) the provider's answer.

use chrono::{DateTime, Utc};

use crate::domain::Role;
use crate::domain::page::{Page, PageRequest};
use crate::domain::referral::{Referral, ReferralAction, ReferralFilter};
use crate::domain::request::{RequestStatus, TaskRequest};
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::{Actor, ensure_in_scope, found, require_role};
use crate::service::tokens::Subject;
use crate::store::referrals::{self, Answer};
use crate::store::{DbConnection, requests, tx};

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
