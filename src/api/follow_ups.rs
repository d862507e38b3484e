use actix_web::{get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{AuthUser, Json};
use crate::api::paging::{Cursors, list_type};
use crate::api::problem::Problem;
use crate::domain::contact::parse_text;
use crate::domain::follow_up::FollowUp;
use crate::error::AppError;
use crate::service::{Ctx, follow_ups};

/// A follow-up of completed work: was the client helped lastingly?
#[derive(Serialize, ToSchema)]
pub struct FollowUpDto {
    pub id: i64,
    pub request_id: i64,
    pub client_id: i64,
    pub municipality_id: i64,
    /// Three months after the request was completed.
    pub due_on: NaiveDate,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<i64>,
    pub helped_lastingly: Option<bool>,
    pub note: Option<String>,
}

impl From<FollowUp> for FollowUpDto {
    fn from(f: FollowUp) -> FollowUpDto {
        FollowUpDto {
            done_at: f.done(),
            id: f.id,
            request_id: f.request_id,
            client_id: f.client_id,
            municipality_id: f.municipality_id,
            due_on: f.due_on,
            done_by: f.done_by,
            helped_lastingly: f.helped_lastingly,
            note: f.note,
        }
    }
}

list_type!(FollowUpList, FollowUpDto);

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFollowUps {
    /// `true`: only the open follow-ups due today or earlier.
    pub due: Option<bool>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"helped_lastingly": true, "note": "Mevrouw redt het weer zelf; de tuin is bijgehouden."}))]
pub struct RecordFollowUp {
    pub helped_lastingly: bool,
    #[schema(min_length = 1, max_length = 2000, pattern = "contact::TEXT_PATTERN")]
    pub note: String,
}

/// Follow-ups of completed requests in the advisor's municipalities.
///
/// Advisors list the follow-ups due three months after a request was completed, in their
/// municipalities; `?due=true` keeps the open ones due today or earlier. Other roles get 403.
#[utoipa::path(
    tag = "follow-ups",
    params(ListFollowUps),
    responses(
        (status = 200, description = "A page of follow-ups", body = FollowUpList),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only advisors do follow-ups", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/follow-ups")]
pub async fn list_follow_ups(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    query: web::Query<ListFollowUps>,
) -> Result<web::Json<FollowUpList>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let page = follow_ups::list(&ctx, auth.0, query.due.unwrap_or(false), page).await?;
    Ok(web::Json(FollowUpList::from_page(&cursors, page, FollowUpDto::from)))
}

/// Record the outcome of a follow-up after calling the client (advisor in scope).
///
/// An advisor in scope records whether the client was helped lastingly, with a note; it counts in
/// the monthly report. 409 `invalid_transition` when it was recorded already.
#[utoipa::path(
    tag = "follow-ups",
    params(("id" = i64, Path, description = "Follow-up id")),
    request_body = RecordFollowUp,
    responses(
        (status = 200, description = "Recorded", body = FollowUpDto),
        (status = 403, description = "Only advisors do follow-ups", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such follow-up in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: recorded already", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/follow-ups/{id}")]
pub async fn record_follow_up(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<RecordFollowUp>,
) -> Result<web::Json<FollowUpDto>, AppError> {
    let note = parse_text(&body.0.note, 2000).map_err(|m| AppError::invalid("note", m))?;
    Ok(web::Json(
        follow_ups::record(&ctx, auth.0, id.into_inner(), body.0.helped_lastingly, note)
            .await?
            .into(),
    ))
}
