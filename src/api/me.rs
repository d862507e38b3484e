use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::AuthUser;
use crate::domain::Role;
use crate::error::AppError;
use crate::service::{Ctx, users};

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": 3, "email": "advisor@demo.woonservice.nl", "role": "advisor", "municipality_ids": [1], "client_id": null, "member_id": null}))]
pub struct Me {
    pub id: i64,
    #[schema(format = Email)]
    pub email: String,
    pub role: Role,
    /// Municipalities the user serves; empty for an admin, who serves all.
    pub municipality_ids: Vec<i64>,
    /// The client record of a `client` user.
    pub client_id: Option<i64>,
    /// The member record of a `member` user.
    pub member_id: Option<i64>,
}

/// The logged-in user.
///
/// Any logged-in user reads their own account: email, role, the municipalities in their scope and
/// the client or member record the account belongs to, if any.
#[utoipa::path(tag = "auth", responses((status = 200, description = "The caller's account", body = Me)))]
#[get("/me")]
pub async fn get_me(ctx: web::Data<Ctx>, auth: AuthUser) -> Result<web::Json<Me>, AppError> {
    let actor = users::me(&ctx, auth.0).await?;
    let user = actor.user;
    Ok(web::Json(Me {
        id: user.id,
        email: user.email.into_string(),
        role: user.role,
        municipality_ids: user.municipality_ids,
        client_id: user.client_id,
        member_id: user.member_id,
    }))
}
