use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::assignments::AssignmentDto;
use crate::api::extract::{AuthUser, Json};
use crate::api::idempotency::{idempotency_key, recorded_response};
use crate::api::paging::{Cursors, list_type};
use crate::api::problem::Problem;
use crate::api::referrals::ReferralDto;
use crate::domain::Violations;
use crate::domain::category::parse_code;
use crate::domain::contact::parse_text;
use crate::domain::hours::QuarterHours;
use crate::domain::request::{NewTaskRequest, RequestFilter, RequestStatus, TaskRequest, Tier};
use crate::domain::routing::{Outcome, ReasonCode, TrailEntry};
use crate::domain::window::DateWindow;
use crate::error::AppError;
use crate::service::idempotency::Recorded;
use crate::service::requests::RequestDetail;
use crate::service::{Ctx, requests};

/// A request with its routing trail, current assignment and current referral.
#[derive(Serialize, ToSchema)]
pub struct RequestDto {
    #[serde(flatten)]
    pub summary: RequestSummaryDto,
    /// Every routing decision, oldest first.
    pub trail: Vec<TrailEntryDto>,
    /// The latest assignment of a member, whatever its status.
    pub assignment: Option<AssignmentDto>,
    /// The current referral to a provider or local organisation: open, accepted or
    /// completed (`null` when there is none).
    pub referral: Option<ReferralDto>,
    /// `false` when mail cannot reach the client (no email of its own nor of a
    /// representative): it gets none, so phone them.
    pub client_gets_mail: bool,
}

/// A request as lists show it.
#[derive(Serialize, ToSchema)]
pub struct RequestSummaryDto {
    pub id: i64,
    pub client_id: i64,
    pub municipality_id: i64,
    pub category: String,
    pub description: String,
    pub window_start: DateTime<Utc>,
    pub window_end: DateTime<Utc>,
    /// In quarter hours.
    #[schema(value_type = f64, multiple_of = 0.25, example = 2.5)]
    pub estimated_hours: QuarterHours,
    pub status: RequestStatus,
    /// The tier that took the request, once routed.
    pub tier: Option<Tier>,
    pub cancel_reason: Option<String>,
    /// The user who took the request in.
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The matching engine as the decider of a trail row: the string `"engine"`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Engine,
}

/// Who took a routing decision: the engine, or a user by id.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum DecidedBy {
    Engine(Engine),
    /// The id of the user who decided.
    User(i64),
}

/// One routing decision.
#[derive(Serialize, ToSchema)]
pub struct TrailEntryDto {
    pub tier: Tier,
    pub outcome: Outcome,
    pub reason_code: ReasonCode,
    /// The decision in a Dutch sentence.
    pub reason: String,
    /// The same in English.
    pub reason_en: String,
    pub decided_by: DecidedBy,
    pub at: DateTime<Utc>,
}

impl From<TrailEntry> for TrailEntryDto {
    fn from(e: TrailEntry) -> TrailEntryDto {
        TrailEntryDto {
            tier: e.tier,
            outcome: e.outcome,
            reason_code: e.reason,
            reason: e.sentence_nl,
            reason_en: e.sentence_en,
            decided_by: match e.decided_by {
                Some(user) => DecidedBy::User(user),
                None => DecidedBy::Engine(Engine::Engine),
            },
            at: e.at,
        }
    }
}

impl From<TaskRequest> for RequestSummaryDto {
    fn from(r: TaskRequest) -> RequestSummaryDto {
        RequestSummaryDto {
            id: r.id,
            client_id: r.client_id,
            municipality_id: r.municipality_id,
            category: r.category,
            description: r.description,
            window_start: r.window.start(),
            window_end: r.window.end(),
            estimated_hours: r.estimated_hours,
            status: r.status,
            tier: r.tier,
            cancel_reason: r.cancel_reason,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl From<RequestDetail> for RequestDto {
    fn from(d: RequestDetail) -> RequestDto {
        RequestDto {
            summary: d.request.into(),
            trail: d.trail.into_iter().map(Into::into).collect(),
            assignment: d.assignment.map(Into::into),
            referral: d.referral.map(Into::into),
            client_gets_mail: d.client_gets_mail,
        }
    }
}

list_type!(RequestList, RequestSummaryDto);

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"client_id": 1, "category": "gardening", "description": "De heg snoeien en het snoeiafval afvoeren.",
    "window_start": "2026-12-08T08:00:00Z", "window_end": "2026-12-08T12:00:00Z", "estimated_hours": 2.5}))]
pub struct CreateRequest {
    pub client_id: i64,
    /// A category code.
    #[schema(pattern = "^[a-z][a-z0-9_]{1,39}$")]
    pub category: String,
    #[schema(min_length = 1, max_length = 2000, pattern = "contact::TEXT_PATTERN")]
    pub description: String,
    /// In the future.
    pub window_start: DateTime<Utc>,
    /// After `window_start`, at most 14 days later.
    pub window_end: DateTime<Utc>,
    /// Quarter hours, 0.25 to 8.
    #[schema(minimum = 0.25, maximum = 8, multiple_of = 0.25)]
    pub estimated_hours: f64,
}

impl CreateRequest {
    pub(crate) fn parse(&self, now: DateTime<Utc>) -> Result<NewTaskRequest, AppError> {
        let mut problems = Violations::new();
        let category = problems.take("category", parse_code(&self.category));
        let description = problems.take(
            "description",
            parse_text(&self.description, NewTaskRequest::MAX_DESCRIPTION),
        );
        let window = match DateWindow::parse(self.window_start, self.window_end, now) {
            Ok(w) => Some(w),
            Err((field, message)) => {
                problems.add(field, message);
                None
            }
        };
        let hours = problems.take(
            "estimated_hours",
            QuarterHours::parse(
                self.estimated_hours,
                NewTaskRequest::MIN_QUARTERS,
                NewTaskRequest::MAX_QUARTERS,
            ),
        );
        problems.into_result()?;
        Ok(NewTaskRequest {
            client_id: self.client_id,
            category: category.expect("checked"),
            description: description.expect("checked"),
            window: window.expect("checked"),
            estimated_hours: hours.expect("checked"),
        })
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Mevrouw heeft de heg door haar kleinzoon laten snoeien."}))]
pub struct CancelRequest {
    #[schema(min_length = 1, max_length = 500, pattern = "contact::TEXT_PATTERN")]
    pub reason: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListRequests {
    /// `unmatched` is the advisors' queue.
    pub status: Option<RequestStatus>,
    pub municipality_id: Option<i64>,
    pub tier: Option<Tier>,
    pub client_id: Option<i64>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Take a task request in.
///
/// A client takes a request in for itself, an advisor for a client in their scope; other roles get
/// 403. The request starts as `new`, and the client is mailed that it was received. The window must
/// end after it starts and at most 14 days later, and the category must exist (else 422 naming the
/// field).
///
/// With an `Idempotency-Key`, a repeat with the same body answers the first answer
/// again and creates nothing; the same key with another body is 422 `idempotency_key_reused`.
#[utoipa::path(
    tag = "requests",
    params(("Idempotency-Key" = Option<String>, Header, pattern = "^[!-~]{1,255}$",
        description = "Makes a retry safe: 1–255 visible ASCII characters without spaces (a UUID, say), kept 24 hours per user")),
    request_body = CreateRequest,
    responses(
        (status = 201, description = "Created (or the replayed first answer)", body = RequestDto, headers(("Location" = String))),
        (status = 403, description = "Only clients (for themselves) and advisors take requests in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `errors` names every field that breaks a rule (`Idempotency-Key` too); or `idempotency_key_reused`: the key came before with another body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests")]
pub async fn create_request(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    req: HttpRequest,
    body: Json<CreateRequest>,
) -> Result<HttpResponse, AppError> {
    let key = idempotency_key(&req, "create_request", &body.0)?;
    let new = body.0.parse(ctx.clock.now())?;
    let recorded = requests::create(&ctx, auth.0, new, key, created).await?;
    Ok(recorded_response(recorded))
}

/// The answer to a new request, as it is recorded for a repeat under the same key
/// (the desk's intake records the same).
pub(crate) fn created(detail: &RequestDetail) -> Result<Recorded, AppError> {
    let location = format!("/api/v1/requests/{}", detail.request.id);
    let body = serde_json::to_string(&RequestDto::from(detail.clone())).map_err(|e| AppError::Internal(e.into()))?;
    Ok(Recorded {
        status: 201,
        body,
        location: Some(location),
    })
}

/// List requests visible to the caller.
///
/// Staff list the requests of their municipalities, a client its own; members get 403. Filters:
/// `status`, `municipality_id`, `tier`, `client_id`; `?status=unmatched` is the advisors' queue.
#[utoipa::path(
    tag = "requests",
    params(ListRequests),
    responses(
        (status = 200, description = "A page of requests", body = RequestList),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Members do not list requests", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/requests")]
pub async fn list_requests(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    query: web::Query<ListRequests>,
) -> Result<web::Json<RequestList>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let filter = RequestFilter {
        status: query.status,
        municipality_id: query.municipality_id,
        tier: query.tier,
        client_id: query.client_id,
    };
    let page = requests::list(&ctx, auth.0, filter, page).await?;
    Ok(web::Json(RequestList::from_page(
        &cursors,
        page,
        RequestSummaryDto::from,
    )))
}

/// Read a request with its status, tier and routing trail.
///
/// Staff in scope and the client itself read a request, with its routing trail, its current
/// assignment and its referral; members get 403, and a request the caller may not see answers 404.
#[utoipa::path(
    tag = "requests",
    params(("id" = i64, Path, description = "Request id")),
    responses(
        (status = 200, description = "The request", body = RequestDto),
        (status = 403, description = "Members do not read requests", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/requests/{id}")]
pub async fn get_request(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<RequestDto>, AppError> {
    Ok(web::Json(requests::get(&ctx, auth.0, id.into_inner()).await?.into()))
}

/// Cancel a request with a reason (the client itself, an advisor in scope).
///
/// The client cancels its own request, an advisor one in scope; an open assignment ends with it and
/// its reserved vouchers are released. 409 `invalid_transition` when the request is completed or
/// cancelled already.
#[utoipa::path(
    tag = "requests",
    params(("id" = i64, Path, description = "Request id")),
    request_body = CancelRequest,
    responses(
        (status = 200, description = "The cancelled request", body = RequestDto),
        (status = 403, description = "Only the client and advisors cancel requests", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the request is completed or cancelled already", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests/{id}/cancel")]
pub async fn cancel_request(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<CancelRequest>,
) -> Result<web::Json<RequestDto>, AppError> {
    let reason = parse_text(&body.0.reason, 500).map_err(|m| AppError::invalid("reason", m))?;
    Ok(web::Json(
        requests::cancel(&ctx, auth.0, id.into_inner(), reason).await?.into(),
    ))
}
