use std::collections::BTreeMap;

use actix_web::{get, post, web};
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
use crate::service::{Ctx, candidates, routing};

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
    /// Members: `skill`, `availability`, `capacity`, `continuity`, `fairness`, when
    /// both sides have coordinates `distance`, and for jobseekers `learning` (1 when the
    /// task is one of their learning goals); providers: `fit`, `load`. Each in 0..1.
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

pub(crate) fn reason(body: ReasonBody) -> Result<String, AppError> {
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

/// A member tier's ranking for a request, as routing would make it now.
#[derive(Serialize, ToSchema)]
pub struct CandidatesDto {
    /// The request's current member tier: `volunteer` or `woonservice`.
    pub tier: Tier,
    /// Highest score first, then lowest id (at most ten); a coach sees their own
    /// jobseekers and the volunteers of their municipalities only.
    pub candidates: Vec<CandidateDto>,
}

/// Rank the candidates of a request without routing it.
///
/// Coaches (their own jobseekers and the volunteers in scope), advisors and coordinators in scope
/// see the ranking of the request's current member tier, with each candidate's score parts, as
/// routing ranks them now. Nothing changes. 409 `invalid_transition` when the request has no
/// member tier (new, unmatched, referred or finished): route it first.
#[utoipa::path(
    tag = "routing",
    params(("id" = i64, Path, description = "Request id")),
    responses(
        (status = 200, description = "The ranking", body = CandidatesDto),
        (status = 403, description = "Only coaches, advisors and coordinators see rankings", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the request has no member tier", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/requests/{id}/candidates")]
pub async fn request_candidates(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<CandidatesDto>, AppError> {
    let ranking = candidates::of_request(&ctx, auth.0, id.into_inner()).await?;
    Ok(web::Json(CandidatesDto {
        tier: ranking.tier,
        candidates: ranking.candidates.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"tier": "private_provider", "reason": "Mevrouw wil een vaste hovenier; de vrijwilligers zijn vol."}))]
pub struct RouteToBody {
    /// A tier of the escalation order: `volunteer`, `woonservice`, `private_provider` or
    /// `business`. The local organisation is reached by `refer`.
    pub tier: Tier,
    #[schema(min_length = 1, max_length = 500, pattern = "contact::TEXT_PATTERN")]
    pub reason: String,
}

/// Route a request by hand straight to a named tier.
///
/// Advisors and coordinators in scope pass the tiers before it that were not passed yet (trail
/// `escalated`, `reason_code: by_hand`, decided by the caller); the named tier is then checked as
/// the engine checks it (tier 2's preconditions still hold, unless a coordinator overruled the
/// existing-organisation check). A viable match answers the routing result, its trail line
/// `matched` with `reason_code: by_hand`. None answers 409 `tier_not_viable` with the tier's reason
/// code at the start of `detail`, and nothing is written. 409 `invalid_transition` once the request
/// is scheduled, taken by a provider, completed or cancelled.
#[utoipa::path(
    tag = "routing",
    params(("id" = i64, Path, description = "Request id")),
    request_body = RouteToBody,
    responses(
        (status = 200, description = "Routed or referred at the named tier, with the trail", body = RoutingResultDto),
        (status = 403, description = "Only advisors and coordinators route", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`tier_not_viable`: the tier has no viable match (nothing written); `invalid_transition`: the request cannot be routed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: an unknown tier or `organisation`, or an empty reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests/{id}/route-to")]
pub async fn route_request_to(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<RouteToBody>,
) -> Result<web::Json<RoutingResultDto>, AppError> {
    let RouteToBody { tier, reason: text } = body.0;
    let reason = reason(ReasonBody { reason: text })?;
    Ok(web::Json(
        routing::route_to(&ctx, auth.0, id.into_inner(), tier, reason)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"provider_id": 3, "reason": "Stichting Welzijn doet dit al voor mevrouw."}))]
pub struct ReferBody {
    pub provider_id: i64,
    #[schema(min_length = 1, max_length = 500, pattern = "contact::TEXT_PATTERN")]
    pub reason: String,
}

/// Refer a request by hand to a named provider or local organisation.
///
/// Advisors and coordinators in scope refer to a provider of any kind, also an `organisation` that
/// already offers the service: active, serving the request's municipality and offering its
/// category, else 422 on `provider_id`. The trail gets `{tier: <the provider's kind>, outcome:
/// matched, reason_code: by_hand}`; the request becomes `referred` with that tier, an open referral
/// waits for the provider's answer until `respond_by`, and the provider and client get a mail. An
/// open referral to another provider is withdrawn. 409 `invalid_transition` when the request
/// cannot be routed or already waits for this provider.
#[utoipa::path(
    tag = "routing",
    params(("id" = i64, Path, description = "Request id")),
    request_body = ReferBody,
    responses(
        (status = 200, description = "Referred; `candidates` holds the provider", body = RoutingResultDto),
        (status = 403, description = "Only advisors and coordinators refer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such request in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the request cannot be routed, or already waits for this provider", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: the provider is unknown, inactive, elsewhere or without the category; or an empty reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/requests/{id}/refer")]
pub async fn refer_request(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<ReferBody>,
) -> Result<web::Json<RoutingResultDto>, AppError> {
    let ReferBody {
        provider_id,
        reason: text,
    } = body.0;
    let reason = reason(ReasonBody { reason: text })?;
    Ok(web::Json(
        routing::refer(&ctx, auth.0, id.into_inner(), provider_id, reason)
            .await?
            .into(),
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
