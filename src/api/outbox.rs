use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::AuthUser;
use crate::api::paging::{Cursors, list_type};
use crate::api::problem::Problem;
use crate::domain::client::Language;
use crate::domain::mail::{MailStatus, MailTemplate, OutboxMail};
use crate::error::AppError;
use crate::service::{Ctx, outbox};

/// A mail in the outbox.
#[derive(Serialize, ToSchema)]
pub struct OutboxMailDto {
    pub id: i64,
    pub recipient: String,
    pub template: MailTemplate,
    pub language: Language,
    pub status: MailStatus,
    /// Delivery attempts so far.
    pub attempts: i32,
    /// When the next attempt is due (for a queued mail).
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    /// The `Message-ID` header it is sent with, the same on every attempt.
    pub message_id: String,
    pub request_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<OutboxMail> for OutboxMailDto {
    fn from(r: OutboxMail) -> OutboxMailDto {
        OutboxMailDto {
            id: r.id,
            recipient: r.recipient,
            template: r.template,
            language: r.language,
            status: r.status,
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at,
            last_error: r.last_error,
            message_id: r.message_id,
            request_id: r.request_id,
            created_at: r.created_at,
            sent_at: r.sent_at,
        }
    }
}

list_type!(OutboxList, OutboxMailDto);

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListOutbox {
    pub status: Option<MailStatus>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// List the mail outbox, oldest first (admin).
///
/// Only an admin reads the outbox: every mail with its recipient, template, status (`queued`,
/// `sent`, `dead`), attempts and last error, filtered by `status`.
#[utoipa::path(
    tag = "outbox",
    params(ListOutbox),
    responses(
        (status = 200, description = "A page of mails", body = OutboxList),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only an admin reads the outbox", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin/outbox")]
pub async fn list_outbox(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    query: web::Query<ListOutbox>,
) -> Result<web::Json<OutboxList>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let page = outbox::list(&ctx, auth.0, query.status, page).await?;
    Ok(web::Json(OutboxList::from_page(&cursors, page, OutboxMailDto::from)))
}

/// Put a dead mail back in the queue (admin).
///
/// Only an admin requeues a mail that became `dead` (a permanent rejection, or 24 hours of failed
/// attempts); it gets another 24 hours to be delivered. 409 `invalid_transition` when the mail is
/// not dead.
#[utoipa::path(
    tag = "outbox",
    params(("id" = i64, Path, description = "Outbox mail id")),
    responses(
        (status = 200, description = "Queued again", body = OutboxMailDto),
        (status = 403, description = "Only an admin retries mail", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mail", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the mail is not dead", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/outbox/{id}/retry")]
pub async fn retry_outbox(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<OutboxMailDto>, AppError> {
    Ok(web::Json(outbox::retry(&ctx, auth.0, id.into_inner()).await?.into()))
}

/// End a queued or dead mail for good, so it is never sent (admin).
///
/// For a mail that should not go out at all: a wrong address, a message that no longer
/// holds. A mail that a worker is sending at this very moment cannot be cancelled.
#[utoipa::path(
    tag = "outbox",
    params(("id" = i64, Path, description = "Outbox mail id")),
    responses(
        (status = 200, description = "Cancelled", body = OutboxMailDto),
        (status = 403, description = "Only an admin cancels mail", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such mail", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the mail was sent or cancelled, or is being sent now", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin/outbox/{id}/cancel")]
pub async fn cancel_outbox(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<OutboxMailDto>, AppError> {
    Ok(web::Json(outbox::cancel(&ctx, auth.0, id.into_inner()).await?.into()))
}
