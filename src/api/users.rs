use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{AuthUser, Json};
use crate::api::paging::{Cursors, list_type};
use crate::api::patch::some_or_null;
use crate::api::problem::Problem;
use crate::api::respond::created;
use crate::domain::user::{Password, User, UserFields, UserFilter, UserPatch};
use crate::domain::{Email, Role, Violations};
use crate::error::AppError;
use crate::service::{Ctx, users};

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": 3, "email": "advisor@demo.woonservice.nl", "role": "advisor", "active": true,
    "municipality_ids": [1], "client_id": null, "member_id": null,
    "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T10:00:00Z"}))]
pub struct UserDto {
    pub id: i64,
    #[schema(format = Email)]
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// Municipalities served; empty for an admin (all).
    pub municipality_ids: Vec<i64>,
    pub client_id: Option<i64>,
    pub member_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserDto {
    fn from(u: User) -> UserDto {
        UserDto {
            id: u.id,
            email: u.email.into_string(),
            role: u.role,
            active: u.active,
            municipality_ids: u.municipality_ids,
            client_id: u.client_id,
            member_id: u.member_id,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

list_type!(UserList, UserDto);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "k.jansen@waalre.nl", "password": "een-lang-wachtwoord", "role": "advisor", "municipality_ids": [1]}))]
pub struct CreateUser {
    #[schema(max_length = 254, format = Email)]
    pub email: String,
    #[schema(min_length = 8, max_length = 128)]
    pub password: String,
    pub role: Role,
    /// Required for staff other than admin; a client or member account gets its record's municipality.
    #[serde(default)]
    #[schema(value_type = BTreeSet<i64>)]
    pub municipality_ids: Vec<i64>,
    /// Required for role `client`.
    pub client_id: Option<i64>,
    /// Required for role `member`.
    pub member_id: Option<i64>,
}

impl CreateUser {
    pub(crate) fn parse(self) -> Result<(UserFields, Password), AppError> {
        let mut problems = Violations::new();
        let email = problems.take("email", Email::parse(&self.email));
        let password = problems.take("password", Password::parse(&self.password));
        problems.into_result()?;
        let fields = UserFields {
            email: email.expect("checked"),
            role: self.role,
            active: true,
            municipality_ids: self.municipality_ids,
            client_id: self.client_id,
            member_id: self.member_id,
        };
        Ok((fields, password.expect("checked")))
    }
}

#[derive(Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UpdateUser {
    #[schema(max_length = 254, format = Email)]
    pub email: Option<String>,
    #[schema(min_length = 8, max_length = 128)]
    pub password: Option<String>,
    pub role: Option<Role>,
    /// `false` makes the user's tokens stop working at their next request.
    pub active: Option<bool>,
    #[schema(value_type = Option<BTreeSet<i64>>)]
    pub municipality_ids: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<i64>)]
    pub client_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<i64>)]
    pub member_id: Option<Option<i64>>,
}

impl UpdateUser {
    pub(crate) fn parse(self) -> Result<UserPatch, AppError> {
        let mut problems = Violations::new();
        let patch = UserPatch {
            email: self.email.and_then(|e| problems.take("email", Email::parse(&e))),
            password: self
                .password
                .and_then(|p| problems.take("password", Password::parse(&p))),
            role: self.role,
            active: self.active,
            municipality_ids: self.municipality_ids,
            client_id: self.client_id,
            member_id: self.member_id,
        };
        problems.into_result()?;
        Ok(patch)
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListUsers {
    pub role: Option<Role>,
    pub municipality_id: Option<i64>,
    pub active: Option<bool>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Create an account (admin).
///
/// Only an admin creates accounts, for staff (coach, advisor, coordinator, admin) and for clients
/// and members, linked to their record. 409 `already_exists` when the email is taken or the client
/// or member already has an account; 422 when the role and the link or scope do not fit together.
#[utoipa::path(
    tag = "users",
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = UserDto, headers(("Location" = String))),
        (status = 403, description = "Only an admin manages accounts", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_exists`: the email, client or member already has an account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create_user(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    body: Json<CreateUser>,
) -> Result<HttpResponse, AppError> {
    let (fields, password) = body.0.parse()?;
    let user = users::create(&ctx, auth.0, fields, password).await?;
    Ok(created(format!("/api/v1/users/{}", user.id), &UserDto::from(user)))
}

/// List accounts (admin).
///
/// Only an admin lists accounts, by id, filtered by `role`, `municipality_id` and `active`.
/// Password hashes are never part of an answer.
#[utoipa::path(
    tag = "users",
    params(ListUsers),
    responses(
        (status = 200, description = "A page of accounts", body = UserList),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only an admin manages accounts", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list_users(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    query: web::Query<ListUsers>,
) -> Result<web::Json<UserList>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let filter = UserFilter {
        role: query.role,
        municipality_id: query.municipality_id,
        active: query.active,
    };
    let page = users::list(&ctx, auth.0, filter, page).await?;
    Ok(web::Json(UserList::from_page(&cursors, page, UserDto::from)))
}

/// Read an account (admin).
///
/// Only an admin reads accounts; 404 when there is no user with this id.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The account", body = UserDto),
        (status = 403, description = "Only an admin manages accounts", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get_user(ctx: web::Data<Ctx>, auth: AuthUser, id: web::Path<i64>) -> Result<web::Json<UserDto>, AppError> {
    Ok(web::Json(users::get(&ctx, auth.0, id.into_inner()).await?.into()))
}

/// Change an account (admin).
///
/// Only an admin changes an account: its role, its municipalities, its link to a client or member,
/// its password, or `active: false` to deactivate it. Fields left out stay as they are. A new
/// password, role, scope or link, and a deactivation, end every token issued to the account
/// before the change: its next request with one is 401, and it logs in again; a change of
/// email alone keeps them. 409 `already_exists` when the new email or link is taken.
#[utoipa::path(
    tag = "users",
    params(("id" = i64, Path, description = "User id")),
    request_body = UpdateUser,
    responses(
        (status = 200, description = "The changed account", body = UserDto),
        (status = 403, description = "Only an admin manages accounts", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_exists`: the email, client or member already has an account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update_user(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<UpdateUser>,
) -> Result<web::Json<UserDto>, AppError> {
    let patch = body.0.parse()?;
    Ok(web::Json(
        users::update(&ctx, auth.0, id.into_inner(), patch).await?.into(),
    ))
}
