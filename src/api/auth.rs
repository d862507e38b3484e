use actix_web::{HttpResponse, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{ClientAddress, Json};
use crate::api::problem::Problem;
use crate::domain::Role;
use crate::error::AppError;
use crate::service::{Ctx, auth};

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"email": "advisor@demo.woonservice.nl", "password": "demo-wachtwoord"}))]
pub struct LoginRequest {
    /// Case-insensitive.
    #[schema(max_length = 254, format = Email)]
    pub email: String,
    #[schema(min_length = 1, max_length = 1024)]
    pub password: String,
}

/// The kind of token: always `Bearer`.
#[derive(Serialize, ToSchema)]
pub enum TokenType {
    Bearer,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// A JWT to send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    pub token_type: TokenType,
    /// Seconds until the token expires.
    #[schema(example = 3600)]
    pub expires_in: i64,
    pub role: Role,
}

/// Log in with email and password.
///
/// Anyone may call it, without a token. Answers a JWT for `Authorization: Bearer` with its lifetime
/// and the account's role; the email is case-insensitive. A wrong email, a wrong password and an
/// inactive account all answer the same 401.
///
/// Every password check counts, before it is made: ten for one email, or fifty from one
/// client address, within 15 minutes refuse further attempts for the rest of the
/// window (429 with `Retry-After`); a successful login forgets its email's count. The
/// client address is the peer's, or what a proxy named in `TRUSTED_PROXIES` reports.
/// When more logins arrive at once than the service hashes, it answers 503 with
/// `Retry-After` rather than keep everyone waiting.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = LoginResponse),
        (status = 401, description = "Wrong email or password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts for this email or from this address", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds until a new attempt is allowed"))),
        (status = 503, description = "Too many logins at once, or the database is unreachable", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
    )
)]
#[post("/auth/login")]
pub async fn login(
    ctx: web::Data<Ctx>,
    client: ClientAddress,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, AppError> {
    let LoginRequest { email, password } = body.0;
    let session = auth::login(&ctx, email, password, client.0).await?;
    Ok(HttpResponse::Ok().json(LoginResponse {
        access_token: session.access_token,
        token_type: TokenType::Bearer,
        expires_in: session.expires_in,
        role: session.role,
    }))
}
