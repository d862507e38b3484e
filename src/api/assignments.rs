use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{AuthUser, Json};
use crate::api::paging::{CursorKey, Cursors, STORED_YEARS, list_type};
use crate::api::problem::Problem;
use crate::api::respond::created;
use crate::domain::assignment::{Assignment, AssignmentStatus, SignOff};
use crate::domain::contact::parse_text;
use crate::domain::hours::QuarterHours;
use crate::domain::request::Tier;
use crate::domain::schedule::Span;
use crate::domain::visit::Visit;
use crate::error::AppError;
use crate::service::{Ctx, assignments, visits};

#[derive(Serialize, ToSchema, Clone)]
pub struct AssignmentDto {
    pub id: i64,
    pub request_id: i64,
    pub member_id: i64,
    pub client_id: i64,
    pub tier: Tier,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub status: AssignmentStatus,
    /// Set on completion, in quarter hours.
    #[schema(value_type = Option<f64>, multiple_of = 0.25)]
    pub hours_worked: Option<QuarterHours>,
    /// Vouchers that were due at completion but not there (tier 2).
    pub voucher_shortfall: i32,
    /// Why it was declined, cancelled or not shown up for.
    pub reason: Option<String>,
    pub proposed_by: i64,
    pub decided_by: Option<i64>,
    /// The client's word on the hours: `null` before completion, then `pending`,
    /// `agreed`, `disputed`, `resolved` or `auto_agreed`. Tier 2 redeems vouchers only
    /// once it is agreed, resolved or auto-agreed.
    pub sign_off: Option<SignOff>,
    /// The client's rating, 1 to 5.
    pub rating: Option<i32>,
    /// The client's comment with the rating.
    pub comment: Option<String>,
    /// Why the client disputed the hours.
    pub dispute_reason: Option<String>,
    /// The advisor's note on resolving the dispute.
    pub resolution_note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Assignment> for AssignmentDto {
    fn from(a: Assignment) -> AssignmentDto {
        AssignmentDto {
            id: a.id,
            request_id: a.request_id,
            member_id: a.member_id,
            client_id: a.client_id,
            tier: a.tier,
            starts_at: a.slot.start,
            ends_at: a.slot.end,
            status: a.status,
            hours_worked: a.hours_worked,
            voucher_shortfall: a.voucher_shortfall,
            reason: a.reason,
            proposed_by: a.proposed_by,
            decided_by: a.decided_by,
            sign_off: a.sign_off,
            rating: a.rating,
            comment: a.sign_off_comment,
            dispute_reason: a.dispute_reason,
            resolution_note: a.resolution_note,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

list_type!(AssignmentList, AssignmentDto);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"member_id": 3, "starts_at": "2026-12-08T08:00:00Z", "ends_at": "2026-12-08T10:30:00Z"}))]
pub struct ProposeAssignment {
    pub member_id: i64,
    /// On a quarter hour, inside the request's window.
    pub starts_at: DateTime<Utc>,
    /// On a quarter hour, after `starts_at`, at most 12 hours later.
    pub ends_at: DateTime<Utc>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"hours_worked": 2.25}))]
pub struct CompleteAssignment {
    /// Quarter hours, 0.25 to 12. Tier 2 redeems one voucher per started hour.
    #[schema(minimum = 0.25, maximum = 12, multiple_of = 0.25)]
    pub hours_worked: f64,
}

impl CompleteAssignment {
    pub(crate) fn parse(self) -> Result<QuarterHours, AppError> {
        QuarterHours::parse(self.hours_worked, 1, 48).map_err(|m| AppError::invalid("hours_worked", m))
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Sanne is ziek"}))]
pub struct Reason {
    #[schema(min_length = 1, max_length = 500, pattern = "contact::TEXT_PATTERN")]
    pub reason: String,
}

fn reason(body: Reason) -> Result<String, AppError> {
    parse_text(&body.reason, 500).map_err(|m| AppError::invalid("reason", m))
}

impl CursorKey for DateTime<Utc> {
    fn encode(&self) -> String {
        self.timestamp_micros().to_string()
    }

    fn decode(text: &str) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_micros(text.parse().ok()?).filter(|t| STORED_YEARS.contains(&t.year()))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListAssignments {
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Propose a member for a slot of a routed request.
///
/// The coach of a jobseeker, a coach proposing a volunteer in scope, or an advisor proposes a
/// member for a time slot of a request routed to a member tier; the member is mailed. The slot
/// starts and ends on a quarter hour inside the request's window (else 422). 409
/// `invalid_transition` when the request is not routed to a member tier or already has an open
/// assignment.
#[utoipa::path(
    tag = "assignments",
    params(("id" = i64, Path, description = "Request id")),
    request_body = ProposeAssignment,
    responses(
        (status = 201, description = "Proposed", body = AssignmentDto, headers(("Location" = String))),
        (status = 403, description = "Only coaches and advisors propose", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the request is not routed to a member tier, or has an open assignment", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests/{id}/assignments")]
pub async fn propose_assignment(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ProposeAssignment>,
) -> Result<HttpResponse, AppError> {
    let ProposeAssignment {
        member_id,
        starts_at,
        ends_at,
    } = body.0;
    let assignment =
        assignments::propose(&ctx, auth.0, id.into_inner(), member_id, Span::new(starts_at, ends_at)).await?;
    Ok(created(
        format!("/api/v1/assignments/{}", assignment.id),
        &AssignmentDto::from(assignment),
    ))
}

/// Read an assignment with its visit.
///
/// The member, their coach and staff in scope read an assignment with `visit`: the task, the
/// client's address, name and phone, so a member without mail knows where to go. The client reads
/// its own with the task and the first name of who comes. An assignment the caller may not see
/// answers 404.
#[utoipa::path(
    tag = "assignments",
    params(("id" = i64, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "The assignment with its visit", body = AssignmentDetailDto),
        (status = 403, description = "The role may not read assignments", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/assignments/{id}")]
pub async fn get_assignment(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<AssignmentDetailDto>, AppError> {
    let view = visits::get(&ctx, auth.0, id.into_inner()).await?;
    Ok(web::Json(AssignmentDetailDto {
        assignment: view.assignment.into(),
        visit: view.visit.into(),
    }))
}

/// An assignment with what its reader needs to know of the visit.
#[derive(Serialize, ToSchema)]
pub struct AssignmentDetailDto {
    #[serde(flatten)]
    pub assignment: AssignmentDto,
    pub visit: VisitDto,
}

/// The visit: for the member, their coach and staff with the address and whom to ring;
/// for the client with who comes.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum VisitDto {
    ForWorker(WorkerVisitDto),
    ForClient(ClientVisitDto),
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"category": "gardening", "category_name": "Tuinonderhoud", "description": "De heg snoeien",
    "address": "Dreef 1, 5581 AB Waalre", "client_name": "Riet Smulders", "client_phone": "040 221 33 44"}))]
pub struct WorkerVisitDto {
    pub category: String,
    /// The category's Dutch name.
    pub category_name: String,
    pub description: String,
    /// Street, number, postcode and town on one line.
    pub address: String,
    pub client_name: String,
    /// The client's phone, else their representative's.
    pub client_phone: Option<String>,
}

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"category": "gardening", "category_name": "Tuinonderhoud", "description": "De heg snoeien",
    "member_name": "Els"}))]
pub struct ClientVisitDto {
    pub category: String,
    /// The category's Dutch name.
    pub category_name: String,
    pub description: String,
    /// The first name of who comes.
    pub member_name: String,
}

impl From<Visit> for VisitDto {
    fn from(v: Visit) -> VisitDto {
        match v {
            Visit::ForWorker {
                task,
                address,
                client_name,
                client_phone,
            } => VisitDto::ForWorker(WorkerVisitDto {
                category: task.category,
                category_name: task.category_name,
                description: task.description,
                address,
                client_name,
                client_phone,
            }),
            Visit::ForClient { task, member_name } => VisitDto::ForClient(ClientVisitDto {
                category: task.category,
                category_name: task.category_name,
                description: task.description,
                member_name,
            }),
        }
    }
}

/// Accept a proposed assignment.
///
/// The member, their coach or an advisor accepts. In one transaction it re-checks that the member
/// holds no other accepted (or held) assignment at that time (409 `overlap`) and stays within the
/// weekly hour cap (409 `weekly_cap`) and, on the woonservice tier, reserves one of the client's
/// vouchers per started hour of the slot (409 `insufficient_vouchers`). The request becomes
/// `scheduled` and the client is mailed. A jobseeker who accepts through their own account a visit
/// their coach did not propose makes it `awaiting_confirmation` instead: the slot and the vouchers
/// are held, the request stays `routed`, and the coach is mailed to confirm or reject it. 409
/// `invalid_transition` unless the assignment is proposed.
#[utoipa::path(
    tag = "assignments",
    params(("id" = i64, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "Accepted (the request is scheduled), or awaiting the coach's confirmation", body = AssignmentDto),
        (status = 403, description = "The role may not accept", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`, `overlap`, `weekly_cap` or `insufficient_vouchers`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/assignments/{id}/accept")]
pub async fn accept_assignment(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<AssignmentDto>, AppError> {
    Ok(web::Json(
        assignments::accept(&ctx, auth.0, id.into_inner()).await?.into(),
    ))
}

/// Confirm the visit a jobseeker took on (their coach).
///
/// The jobseeker's coach confirms an accept that waits for them: the assignment is `accepted`, the
/// request `scheduled`, the jobseeker and the client are mailed. Other staff in scope get 403, staff
/// elsewhere 404. 409 `invalid_transition` unless the assignment is `awaiting_confirmation`.
#[utoipa::path(
    tag = "assignments",
    params(("id" = i64, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "Confirmed: accepted, the request scheduled", body = AssignmentDto),
        (status = 403, description = "Only the jobseeker's coach confirms", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment in the caller's municipalities", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: nothing waits for confirmation", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/assignments/{id}/confirm")]
pub async fn confirm_assignment(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<AssignmentDto>, AppError> {
    Ok(web::Json(
        assignments::confirm(&ctx, auth.0, id.into_inner()).await?.into(),
    ))
}

/// Reject the visit a jobseeker took on (their coach).
///
/// The jobseeker's coach rejects an accept that waits for them, with a reason: the assignment is
/// `rejected`, the held vouchers go back to the client, the request waits for the next candidate,
/// and the jobseeker is mailed why. Other staff in scope get 403, staff elsewhere 404. 409
/// `invalid_transition` unless the assignment is `awaiting_confirmation`.
#[utoipa::path(
    tag = "assignments",
    params(("id" = i64, Path, description = "Assignment id")),
    request_body = Reason,
    responses(
        (status = 200, description = "Rejected; the hold is released", body = AssignmentDto),
        (status = 403, description = "Only the jobseeker's coach rejects", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment in the caller's municipalities", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: nothing waits for confirmation", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: the reason is empty or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/assignments/{id}/reject")]
pub async fn reject_assignment(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<Reason>,
) -> Result<web::Json<AssignmentDto>, AppError> {
    let reason = reason(body.0)?;
    Ok(web::Json(
        assignments::reject(&ctx, auth.0, id.into_inner(), reason).await?.into(),
    ))
}

/// Decline a proposed assignment.
///
/// The member, their coach or an advisor declines; the request stays routed and waits for the next
/// candidate, and a jobseeker's coach is mailed. A jobseeker may also take back an accept that
/// still waits for their coach (its hold is released). 409 `invalid_transition` unless the
/// assignment is proposed or awaiting confirmation.
#[utoipa::path(
    tag = "assignments",
    params(("id" = i64, Path, description = "Assignment id")),
    responses(
        (status = 200, description = "Declined", body = AssignmentDto),
        (status = 403, description = "The role may not decline", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: only a proposal or an accept awaiting the coach can be declined", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/assignments/{id}/decline")]
pub async fn decline_assignment(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<AssignmentDto>, AppError> {
    Ok(web::Json(
        assignments::decline(&ctx, auth.0, id.into_inner()).await?.into(),
    ))
}

/// Register the work as done, with the hours worked.
///
/// The member, their coach or an advisor completes an accepted assignment; the request becomes
/// `completed` and the client is mailed. On the woonservice tier one reserved voucher is redeemed
/// per started hour worked; hours beyond the reservation are recorded as a shortfall and unused
/// reserved vouchers are released. 409 `invalid_transition` unless the assignment is accepted.
#[utoipa::path(
    tag = "assignments",
    params(("id" = i64, Path, description = "Assignment id")),
    request_body = CompleteAssignment,
    responses(
        (status = 200, description = "Completed; the request is completed", body = AssignmentDto),
        (status = 403, description = "The role may not complete", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: only an accepted assignment can be completed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/assignments/{id}/complete")]
pub async fn complete_assignment(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<CompleteAssignment>,
) -> Result<web::Json<AssignmentDto>, AppError> {
    let hours = body.0.parse()?;
    Ok(web::Json(
        assignments::complete(&ctx, auth.0, id.into_inner(), hours)
            .await?
            .into(),
    ))
}

/// Register that the member did not show up.
///
/// Their coach or an advisor registers, with a reason, that the member did not come; reserved
/// vouchers are released and the request is routed again. 409 `invalid_transition` unless the
/// assignment is accepted.
#[utoipa::path(
    tag = "assignments",
    params(("id" = i64, Path, description = "Assignment id")),
    request_body = Reason,
    responses(
        (status = 200, description = "Marked as no-show; the request is routed again", body = AssignmentDto),
        (status = 403, description = "Only their coach and advisors register a no-show", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: only an accepted assignment", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/assignments/{id}/no-show")]
pub async fn no_show_assignment(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<Reason>,
) -> Result<web::Json<AssignmentDto>, AppError> {
    let reason = reason(body.0)?;
    Ok(web::Json(
        assignments::no_show(&ctx, auth.0, id.into_inner(), reason)
            .await?
            .into(),
    ))
}

/// Cancel an assignment.
///
/// Their coach or an advisor cancels a proposed or accepted assignment, with a reason; reserved
/// vouchers are released, the request is routed again and the member is mailed. 409
/// `invalid_transition` when the assignment has ended already.
#[utoipa::path(
    tag = "assignments",
    params(("id" = i64, Path, description = "Assignment id")),
    request_body = Reason,
    responses(
        (status = 200, description = "Cancelled; the request is routed again", body = AssignmentDto),
        (status = 403, description = "Only their coach and advisors cancel", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such assignment visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the assignment has ended already", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/assignments/{id}/cancel")]
pub async fn cancel_assignment(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<Reason>,
) -> Result<web::Json<AssignmentDto>, AppError> {
    let reason = reason(body.0)?;
    Ok(web::Json(
        assignments::cancel(&ctx, auth.0, id.into_inner(), reason).await?.into(),
    ))
}

/// A member's schedule, soonest first.
///
/// The member, their coach and staff in scope read the member's assignments, ordered by start time;
/// a member the caller may not see answers 404.
#[utoipa::path(
    tag = "assignments",
    params(("id" = i64, Path, description = "Member id"), ListAssignments),
    responses(
        (status = 200, description = "A page of assignments", body = AssignmentList),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not read schedules", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such member visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/members/{id}/assignments")]
pub async fn list_member_assignments(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    id: web::Path<i64>,
    query: web::Query<ListAssignments>,
) -> Result<web::Json<AssignmentList>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let page = assignments::of_member(&ctx, auth.0, id.into_inner(), page).await?;
    Ok(web::Json(AssignmentList::from_page(
        &cursors,
        page,
        AssignmentDto::from,
    )))
}
