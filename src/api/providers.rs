use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{AuthUser, Json};
use crate::api::paging::{Cursors, list_type};
use crate::api::patch::some_or_null;
use crate::api::problem::Problem;
use crate::api::respond::created;
use crate::domain::category::parse_codes;
use crate::domain::contact::{parse_line, parse_phone};
use crate::domain::provider::{Provider, ProviderFields, ProviderFilter, ProviderKind, ProviderPatch};
use crate::domain::{Email, Violations};
use crate::error::AppError;
use crate::service::{Ctx, providers};

#[derive(Serialize, ToSchema)]
pub struct ProviderDto {
    pub id: i64,
    pub kind: ProviderKind,
    pub name: String,
    pub categories: Vec<String>,
    pub municipality_ids: Vec<i64>,
    #[schema(format = Email)]
    pub email: Option<String>,
    pub phone: Option<String>,
    /// False: kept for history, never routed or referred to.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Provider> for ProviderDto {
    fn from(p: Provider) -> ProviderDto {
        let f = p.fields;
        ProviderDto {
            id: p.id,
            kind: f.kind,
            name: f.name,
            categories: f.categories,
            municipality_ids: f.municipality_ids,
            email: f.email.map(Email::into_string),
            phone: f.phone,
            active: f.active,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

list_type!(ProviderList, ProviderDto);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "private_provider", "name": "Hovenier Groen & Zo", "categories": ["gardening"],
    "municipality_ids": [1, 2], "email": "info@groenenzo.example.nl", "phone": "06 55 44 33 22"}))]
pub struct CreateProvider {
    pub kind: ProviderKind,
    #[schema(min_length = 1, max_length = 200, pattern = "contact::LINE_PATTERN")]
    pub name: String,
    #[schema(min_items = 1, value_type = BTreeSet<String>, pattern = "^[a-z][a-z0-9_]{1,39}$")]
    pub categories: Vec<String>,
    /// Municipalities served; a writer may name only municipalities they serve.
    #[schema(min_items = 1, value_type = BTreeSet<i64>)]
    pub municipality_ids: Vec<i64>,
    #[schema(format = Email)]
    pub email: Option<String>,
    #[schema(pattern = "contact::PHONE_PATTERN")]
    pub phone: Option<String>,
    /// Defaults to true; false keeps the provider for history only.
    pub active: Option<bool>,
}

fn unique_ids(problems: &mut Violations, ids: &[i64]) {
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            problems.add(format!("municipality_ids[{i}]"), format!("lists {id} twice"));
        }
    }
}

impl CreateProvider {
    pub(crate) fn parse(self) -> Result<ProviderFields, AppError> {
        let mut problems = Violations::new();
        let name = problems.take("name", parse_line(&self.name, 200));
        let categories = problems.take("categories", parse_codes(&self.categories));
        unique_ids(&mut problems, &self.municipality_ids);
        let email = self.email.as_deref().map(|e| problems.take("email", Email::parse(e)));
        let phone = self.phone.as_deref().map(|p| problems.take("phone", parse_phone(p)));
        problems.into_result()?;
        Ok(ProviderFields {
            kind: self.kind,
            name: name.expect("checked"),
            categories: categories.expect("checked"),
            municipality_ids: self.municipality_ids,
            email: email.flatten(),
            phone: phone.flatten(),
            active: self.active.unwrap_or(true),
        })
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"categories": ["gardening", "odd_jobs"]}))]
pub struct UpdateProvider {
    pub kind: Option<ProviderKind>,
    #[schema(min_length = 1, max_length = 200, pattern = "contact::LINE_PATTERN")]
    pub name: Option<String>,
    #[schema(value_type = Option<BTreeSet<String>>, pattern = "^[a-z][a-z0-9_]{1,39}$")]
    pub categories: Option<Vec<String>>,
    #[schema(value_type = Option<BTreeSet<i64>>)]
    pub municipality_ids: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<String>, format = Email)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<String>, pattern = "contact::PHONE_PATTERN")]
    pub phone: Option<Option<String>>,
    /// False retires the provider: it stays listed, but is never routed or referred to.
    pub active: Option<bool>,
}

impl UpdateProvider {
    pub(crate) fn parse(self) -> Result<ProviderPatch, AppError> {
        let mut problems = Violations::new();
        if let Some(ids) = &self.municipality_ids {
            unique_ids(&mut problems, ids);
        }
        let patch = ProviderPatch {
            kind: self.kind,
            name: self.name.and_then(|n| problems.take("name", parse_line(&n, 200))),
            categories: self
                .categories
                .and_then(|c| problems.take("categories", parse_codes(&c))),
            municipality_ids: self.municipality_ids,
            email: self
                .email
                .map(|e| e.and_then(|e| problems.take("email", Email::parse(&e)))),
            phone: self
                .phone
                .map(|p| p.and_then(|p| problems.take("phone", parse_phone(&p)))),
            active: self.active,
        };
        problems.into_result()?;
        Ok(patch)
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListProviders {
    pub kind: Option<ProviderKind>,
    pub municipality_id: Option<i64>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Register a provider (advisor, coordinator in scope).
///
/// Advisors and coordinators add a private provider, business or existing local organisation to the
/// register, with the categories it offers and the municipalities it serves (all in their scope,
/// else 422). Routing refers requests to active providers only.
#[utoipa::path(
    tag = "providers",
    request_body = CreateProvider,
    responses(
        (status = 201, description = "Created", body = ProviderDto, headers(("Location" = String))),
        (status = 403, description = "Only advisors and coordinators keep the register", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/providers")]
pub async fn create_provider(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    body: Json<CreateProvider>,
) -> Result<HttpResponse, AppError> {
    let provider = providers::create(&ctx, auth.0, body.0.parse()?).await?;
    Ok(created(
        format!("/api/v1/providers/{}", provider.id),
        &ProviderDto::from(provider),
    ))
}

/// List providers serving the caller's municipalities (staff).
///
/// Staff list the providers that serve at least one municipality of their scope, filtered by `kind`
/// and `municipality_id`; clients and members get 403.
#[utoipa::path(
    tag = "providers",
    params(ListProviders),
    responses(
        (status = 200, description = "A page of providers", body = ProviderList),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Clients and members do not read the register", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/providers")]
pub async fn list_providers(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    query: web::Query<ListProviders>,
) -> Result<web::Json<ProviderList>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let filter = ProviderFilter {
        kind: query.kind,
        municipality_id: query.municipality_id,
        name: None,
    };
    let page = providers::list(&ctx, auth.0, filter, page).await?;
    Ok(web::Json(ProviderList::from_page(&cursors, page, ProviderDto::from)))
}

/// Read a provider (staff, when it serves one of their municipalities).
///
/// Staff read a provider serving a municipality in their scope; any other answers 404. Clients and
/// members get 403.
#[utoipa::path(
    tag = "providers",
    params(("id" = i64, Path, description = "Provider id")),
    responses(
        (status = 200, description = "The provider", body = ProviderDto),
        (status = 403, description = "Clients and members do not read the register", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such provider in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/providers/{id}")]
pub async fn get_provider(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<ProviderDto>, AppError> {
    Ok(web::Json(providers::get(&ctx, auth.0, id.into_inner()).await?.into()))
}

/// Change a provider (advisor, coordinator in scope).
///
/// Advisors and coordinators change a provider in their scope; fields left out stay as they are.
/// `active: false` keeps the provider for history but routing no longer refers to it.
#[utoipa::path(
    tag = "providers",
    params(("id" = i64, Path, description = "Provider id")),
    request_body = UpdateProvider,
    responses(
        (status = 200, description = "The changed provider", body = ProviderDto),
        (status = 403, description = "Only advisors and coordinators keep the register", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such provider in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/providers/{id}")]
pub async fn update_provider(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<UpdateProvider>,
) -> Result<web::Json<ProviderDto>, AppError> {
    let patch = body.0.parse()?;
    Ok(web::Json(
        providers::update(&ctx, auth.0, id.into_inner(), patch).await?.into(),
    ))
}
