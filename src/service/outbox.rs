//! The outbox as an admin sees it: what was sent, what waits, what died; a retry and
//! a cancel.

use crate::domain::Role;
use crate::domain::mail::{MailStatus, OutboxMail};
use crate::domain::page::{Page, PageRequest};
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::found;
use crate::service::actor::require_role;
use crate::service::tokens::Subject;
use crate::store::{outbox, tx};

pub async fn list(
    ctx: &Ctx,
    subject: Subject,
    status: Option<MailStatus>,
    page: PageRequest<()>,
) -> AppResult<Page<OutboxMail, ()>> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Admin])?;
        outbox::list(conn, status, &page)
    })
    .await
}

/// Requeues a dead mail with a fresh 24 hours to deliver it.
pub async fn retry(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<OutboxMail> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Admin])?;
        tx::write(conn, |conn| {
            let row = found(outbox::find(conn, id)?)?;
            if !outbox::requeue(conn, id, actor.now())? {
                return Err(AppError::conflict(
                    ConflictCode::InvalidTransition,
                    format!("mail {id} is {}; only a dead mail is retried", row.status),
                ));
            }
            Ok(())
        })?;
        found(outbox::find(conn, id)?)
    })
    .await
}

/// Ends a queued or dead mail for good: it is never sent.
pub async fn cancel(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<OutboxMail> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Admin])?;
        tx::write(conn, |conn| {
            let row = found(outbox::find(conn, id)?)?;
            if !outbox::cancel(conn, id, actor.now())? {
                let why = match row.status {
                    MailStatus::Queued => "it is being sent at this moment".to_owned(),
                    status => format!("it is {status}; only a queued or dead mail is cancelled"),
                };
                return Err(AppError::conflict(
                    ConflictCode::InvalidTransition,
                    format!("mail {id} cannot be cancelled: {why}"),
                ));
            }
            Ok(())
        })?;
        found(outbox::find(conn, id)?)
    })
    .await
}
