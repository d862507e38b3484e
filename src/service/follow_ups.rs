//! Follow-ups of completed work: three months on, an advisor calls the client and
//! records whether the help lasted.

use crate::domain::Role;
use crate::domain::follow_up::FollowUp;
use crate::domain::page::{Page, PageRequest};
use crate::domain::schedule::local_date;
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::found;
use crate::service::actor::{ensure_in_scope, require_role};
use crate::service::tokens::Subject;
use crate::store::{Db, follow_ups, tx};
use chrono::{DateTime, Utc};

pub async fn list(ctx: &Ctx, subject: Subject, due: bool, page: PageRequest<()>) -> AppResult<Page<FollowUp, ()>> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Advisor])?;
        let due_by = due.then(|| local_date(actor.now()));
        follow_ups::list(conn, actor.scope(), due_by, &page)
    })
    .await
}

pub async fn record(ctx: &Ctx, subject: Subject, id: i64, helped_lastingly: bool, note: String) -> AppResult<FollowUp> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Advisor])?;
        tx::write(conn, |conn| {
            let follow_up = found(follow_ups::find(conn, id)?)?;
            ensure_in_scope(actor, follow_up.municipality_id)?;
            if !follow_ups::record(conn, id, helped_lastingly, &note, actor.id(), actor.now())? {
                return Err(AppError::conflict(
                    ConflictCode::InvalidTransition,
                    "this follow-up was recorded already",
                ));
            }
            Ok(())
        })?;
        found(follow_ups::find(conn, id)?)
    })
    .await
}

/// The scheduled job: follow-ups for requests completed three months ago.
pub fn create_due(db: &Db, now: DateTime<Utc>) -> AppResult<usize> {
    db.run_blocking(move |conn| tx::write(conn, |conn| follow_ups::create_due(conn, now)))
}
