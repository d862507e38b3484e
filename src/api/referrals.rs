//! Referrals to providers and local organisations: reading them and the provider's
//! answer.

use actix_web::{get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{AuthUser, Json};
use crate::api::paging::{Cursors, list_type};
use crate::api::problem::Problem;
use crate::domain::contact::parse_text;
use crate::domain::referral::{Referral, ReferralFilter, ReferralStatus};
use crate::domain::request::Tier;
use crate::error::AppError;
use crate::service::{Ctx, referrals};

/// A request handed to a provider, waiting for or carrying the provider's answer.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": 7, "request_id": 42, "provider_id": 3, "status": "open",
    "respond_by": "2026-12-03T09:15:00Z", "created_at": "2026-12-01T09:15:00Z", "updated_at": "2026-12-01T09:15:00Z",
    "municipality_id": 1, "tier": "private_provider", "provider_name": "Hovenier Groen & Zo",
    "email": "info@groenenzo.example.nl", "phone": "06 55 44 33 22", "created_by": null, "answered_by": null,
    "reason": null, "note": null}))]
pub struct ReferralDto {
    pub id: i64,
    pub request_id: i64,
    pub provider_id: i64,
    /// `open` waits for the provider's answer until `respond_by`; `accepted` → `completed`
    /// when the work is done; `declined` and `expired` routed the request on; `withdrawn`
    /// ended when the request moved elsewhere or was cancelled.
    pub status: ReferralStatus,
    /// When the provider must have answered; after it the job `expire-referrals` ends an
    /// open referral and routes the request on.
    pub respond_by: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub municipality_id: i64,
    /// The provider's kind as a tier: `private_provider`, `business` or `organisation`.
    pub tier: Tier,
    pub provider_name: String,
    /// The provider's email.
    #[schema(format = Email)]
    pub email: Option<String>,
    /// The provider's phone.
    pub phone: Option<String>,
    /// The user who referred by hand; `null` when the engine did.
    pub created_by: Option<i64>,
    /// The user who recorded the provider's answer; `null` before it, or when the
    /// deadline passed.
    pub answered_by: Option<i64>,
    /// Why the provider declined.
    pub reason: Option<String>,
    /// What was noted when the provider's work was done.
    pub note: Option<String>,
}

impl From<Referral> for ReferralDto {
    fn from(r: Referral) -> ReferralDto {
        ReferralDto {
            id: r.id,
            request_id: r.request_id,
            provider_id: r.provider_id,
            status: r.status,
            respond_by: r.respond_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
            municipality_id: r.municipality_id,
            tier: r.tier,
            provider_name: r.provider_name,
            email: r.provider_email,
            phone: r.provider_phone,
            created_by: r.created_by,
            answered_by: r.answered_by,
            reason: r.reason,
            note: r.note,
        }
    }
}

list_type!(ReferralList, ReferralDto);

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListReferrals {
    /// `open` lists the referrals waiting for an answer.
    pub status: Option<ReferralStatus>,
    pub municipality_id: Option<i64>,
    /// Every referral of one request, oldest first.
    pub request_id: Option<i64>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// List referrals in the caller's municipalities.
///
/// Staff (coach, advisor, coordinator, admin) list the referrals of their municipalities, oldest
/// first; clients and members get 403. Filters: `status`, `municipality_id`, `request_id`.
#[utoipa::path(
    tag = "referrals",
    params(ListReferrals),
    responses(
        (status = 200, description = "A page of referrals", body = ReferralList),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only staff read referrals", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals")]
pub async fn list_referrals(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    query: web::Query<ListReferrals>,
) -> Result<web::Json<ReferralList>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let filter = ReferralFilter {
        status: query.status,
        municipality_id: query.municipality_id,
        request_id: query.request_id,
    };
    let page = referrals::list(&ctx, auth.0, filter, page).await?;
    Ok(web::Json(ReferralList::from_page(&cursors, page, ReferralDto::from)))
}

/// Read a referral.
///
/// Staff in scope read a referral with its provider's contact and answer; another municipality's
/// referral answers 404, and clients and members get 403.
#[utoipa::path(
    tag = "referrals",
    params(("id" = i64, Path, description = "Referral id")),
    responses(
        (status = 200, description = "The referral", body = ReferralDto),
        (status = 403, description = "Only staff read referrals", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral in the caller's municipalities", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/{id}")]
pub async fn get_referral(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<ReferralDto>, AppError> {
    Ok(web::Json(referrals::get(&ctx, auth.0, id.into_inner()).await?.into()))
}

/// Record that the provider took the job.
///
/// An advisor or coordinator in scope records the provider's yes; the request stays `referred`
/// with this provider until the work is done. Only an open referral is accepted: else 409
/// `invalid_transition` (also when another answer came at the same moment).
#[utoipa::path(
    tag = "referrals",
    params(("id" = i64, Path, description = "Referral id")),
    responses(
        (status = 200, description = "Accepted", body = ReferralDto),
        (status = 403, description = "Only advisors and coordinators record answers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral in the caller's municipalities", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the referral is not open", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/accept")]
pub async fn accept_referral(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<ReferralDto>, AppError> {
    Ok(web::Json(
        referrals::accept(&ctx, auth.0, id.into_inner()).await?.into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Geen tijd deze maand."}))]
pub struct DeclineReferral {
    #[schema(min_length = 1, max_length = 500, pattern = "contact::TEXT_PATTERN")]
    pub reason: String,
}

/// Record that the provider turned the referral down.
///
/// An advisor or coordinator in scope records the provider's no with its reason. The request is
/// routed on at once: the next provider of that tier not yet tried, then the next tier (trail
/// `escalated`, `reason_code: declined`); with nobody left it is `unmatched` and the advisors get
/// a mail saying why. Only an open referral is declined: else 409 `invalid_transition` (also when
/// another answer came at the same moment).
#[utoipa::path(
    tag = "referrals",
    params(("id" = i64, Path, description = "Referral id")),
    request_body = DeclineReferral,
    responses(
        (status = 200, description = "Declined; the request was routed on", body = ReferralDto),
        (status = 403, description = "Only advisors and coordinators record answers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral in the caller's municipalities", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the referral is not open", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: the reason is empty or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/decline")]
pub async fn decline_referral(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<DeclineReferral>,
) -> Result<web::Json<ReferralDto>, AppError> {
    let reason = parse_text(&body.0.reason, 500).map_err(|m| AppError::invalid("reason", m))?;
    Ok(web::Json(
        referrals::decline(&ctx, auth.0, id.into_inner(), reason).await?.into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "De kast is weggebracht; mevrouw is tevreden."}))]
pub struct CompleteReferral {
    #[schema(min_length = 1, max_length = 2000, pattern = "contact::TEXT_PATTERN")]
    pub note: Option<String>,
}

/// Record that the provider did the work.
///
/// An advisor or coordinator in scope records it, with an optional note; the request becomes
/// `completed` and gets its follow-up three months on, like work by a member. Only an accepted
/// referral is completed: else 409 `invalid_transition`.
#[utoipa::path(
    tag = "referrals",
    params(("id" = i64, Path, description = "Referral id")),
    request_body = CompleteReferral,
    responses(
        (status = 200, description = "Completed; the request is completed", body = ReferralDto),
        (status = 403, description = "Only advisors and coordinators record answers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral in the caller's municipalities", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`: the referral is not accepted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: the note is empty or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/complete")]
pub async fn complete_referral(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<CompleteReferral>,
) -> Result<web::Json<ReferralDto>, AppError> {
    let note = body
        .0
        .note
        .map(|n| parse_text(&n, 2000).map_err(|m| AppError::invalid("note", m)))
        .transpose()?;
    Ok(web::Json(
        referrals::complete(&ctx, auth.0, id.into_inner(), note).await?.into(),
    ))
}
