use std::collections::BTreeMap;

use actix_web::{post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{AuthUser, Json};
use crate::api::problem::Problem;
use crate::api::requests::{RequestDto, TrailEntryDto};
use crate::domain::contact::parse_text;
use crate::domain::ranking::{Candidate, CandidateKind};
use crate::domain::request::{RequestStatus, Tier};
use crate::error::AppError;
use crate::service::routing::RouteResult;
use crate::service::{Ctx, routing};

/// What routing made of a request.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"request_id": 1, "status": "routed", "tier": "volunteer",
    "candidates": [{"kind": "member", "id": 1, "name": "Els Peeters", "score": 5.42,
        "score_parts": {"skill": 1.0, "availability": 0.6667, "capacity": 0.6875, "continuity": 0.0, "fairness": 1.0, "distance": 0.85}}],
    "trail": [{"tier": "volunteer", "outcome": "matched", "reason_code": "matched", "reason": "Vrijwilliger: 1 geschikte kandidaat gevonden.",
        "reason_en": "Volunteer: 1 suitable candidate found.", "decided_by": "engine", "at": "2026-11-25T10:00:00Z"}]}))]
pub struct RoutingResultDto {
    pub request_id: i64,
    pub status: RequestStatus,
    /// The tier that took the request; `null` when no tier matched (`unmatched`).
    pub tier: Option<Tier>,
    /// The matched tier's candidates, highest score first, then lowest id (at most ten).
    pub candidates: Vec<CandidateDto>,
    /// The request's whole trail, oldest first.
    pub trail: Vec<TrailEntryDto>,
}

/// A ranked candidate and why it ranks where it does.
#[derive(Serialize, ToSchema)]
pub struct CandidateDto {
    pub kind: CandidateKind,
    pub id: i64,
    pub name: String,
    /// The weighted sum of the parts (weights: continuity 2, the others 1).
    pub score: f64,
    /// Members: `skill`, `availability`, `capacity`, `continuity`, `fairness` and, when
    /// both sides have coordinates, `distance`; providers: `fit`, `load`. Each in 0..1.
    pub score_parts: BTreeMap<String, f64>,
}

impl From<Candidate> for CandidateDto {
    fn from(c: Candidate) -> CandidateDto {
        CandidateDto {
            kind: c.kind,
            id: c.id,
            name: c.name,
            score: c.score,
            score_parts: c.parts.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
        }
    }
}

impl From<RouteResult> for RoutingResultDto {
    fn from(r: RouteResult) -> RoutingResultDto {
        RoutingResultDto {
            request_id: r.detail.request.id,
            status: r.detail.request.status,
            tier: r.tier,
            candidates: r.candidates.into_iter().map(Into::into).collect(),
            trail: r.detail.trail.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "De vrijwilliger is ziek geworden."}))]
pub struct ReasonBody {
    #[schema(min_length = 1, max_length = 500, pattern = "contact::TEXT_PATTERN")]
    pub reason: String,
}

fn reason(body: ReasonBody) -> Result<String, AppError> {
    parse_text(&body.reason, 500).map_err(|m| AppError::invalid("reason", m))
}

/// Route a request through the escalation order.
///
/// Advisors and coordinators in scope walk the tiers volunteer → woonservice → private provider →
/// business from the first one not yet passed. A member tier leaves the request `routed` with its
/// ranked candidates; a provider tier makes it `referred`; no tier makes it `unmatched`, on the
/// advisors' queue. Every tier tried adds a trail line with its reason code. 409
/// `invalid_transition` once the request is scheduled, completed or cancelled.
#[utoipa::path(
    tag = "routing",
    params(("id" = i64, Path, description = "Request id")),
    responses(
        (status = 200, description = "Routed, referred or unmatched, with the trail", body = RoutingResultDto),
        (status = 403, description = "Only advisors and coordinators route", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the request is scheduled, completed or cancelled", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests/{id}/route")]
pub async fn route_request(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<RoutingResultDto>, AppError> {
    Ok(web::Json(routing::route(&ctx, auth.0, id.into_inner()).await?.into()))
}

/// Escalate: mark the current tier `escalated` and route from the next one.
///
/// Advisors and coordinators in scope skip the tier the request is at, with a reason that is kept
/// in the trail (`reason_code: escalated`, decided by the caller), and route on from the next tier.
/// 409 `invalid_transition` when the request has no tier to escalate from.
#[utoipa::path(
    tag = "routing",
    params(("id" = i64, Path, description = "Request id")),
    request_body = ReasonBody,
    responses(
        (status = 200, description = "Routed again from the next tier", body = RoutingResultDto),
        (status = 403, description = "Only advisors and coordinators escalate", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the request has no tier to escalate from", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests/{id}/escalate")]
pub async fn escalate_request(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ReasonBody>,
) -> Result<web::Json<RoutingResultDto>, AppError> {
    let reason = reason(body.0)?;
    Ok(web::Json(
        routing::escalate(&ctx, auth.0, id.into_inner(), reason).await?.into(),
    ))
}

/// Overrule the existing-organisation check for a request (coordinator).
///
/// A coordinator in scope records, with a reason, that an existing local organisation offering the
/// category no longer blocks the woonservice tier for this request (trail line `overridden`). It
/// does not route: route the request afterwards. 409 `invalid_transition` when the request is
/// finished or was overruled already.
#[utoipa::path(
    tag = "routing",
    params(("id" = i64, Path, description = "Request id")),
    request_body = ReasonBody,
    responses(
        (status = 200, description = "The request with the `overridden` trail row", body = RequestDto),
        (status = 403, description = "Only a coordinator overrules", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the request is finished, or was overruled already", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests/{id}/override-overlap")]
pub async fn override_overlap(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ReasonBody>,
) -> Result<web::Json<RequestDto>, AppError> {
    let reason = reason(body.0)?;
    Ok(web::Json(
        routing::override_organisation_check(&ctx, auth.0, id.into_inner(), reason)
            .await?
            .into(),
    ))
}
