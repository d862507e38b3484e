use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::problem::Problem;
use crate::error::AppError;
use crate::service::{Ctx, health};

#[derive(Serialize, ToSchema)]
pub struct HealthStatus {
    #[schema(example = "ok")]
    pub status: &'static str,
}

/// Liveness: the process is up and serving.
///
/// Answers 200 as long as the process can serve HTTP; it does not touch the database, so a failing
/// database does not make an orchestrator restart the service. Anyone may call it, without a token.
#[utoipa::path(tag = "health", responses((status = 200, description = "The process is up", body = HealthStatus)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(HealthStatus { status: "ok" })
}

/// Readiness: the database answers a query within 2 seconds.
///
/// Runs one query; 503 when the database does not answer within 2 seconds, so a load balancer sends
/// no traffic to this instance meanwhile. Anyone may call it, without a token.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Ready to serve", body = HealthStatus),
        (status = 503, description = "The database does not answer", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn readyz(ctx: web::Data<Ctx>) -> Result<HttpResponse, AppError> {
    health::ready(&ctx).await?;
    Ok(HttpResponse::Ok().json(HealthStatus { status: "ready" }))
}
