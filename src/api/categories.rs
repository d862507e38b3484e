use actix_web::{HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{AuthUser, Json};
use crate::api::paging::{Cursors, list_type};
use crate::api::problem::Problem;
use crate::api::respond::created;
use crate::domain::Violations;
use crate::domain::category::{Category, NewCategory, parse_code};
use crate::domain::contact::parse_line;
use crate::error::AppError;
use crate::service::{Ctx, categories};

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "code": "gardening", "name_nl": "Tuinonderhoud", "name_en": "Gardening", "volunteer_ok": true}))]
pub struct CategoryDto {
    pub id: i64,
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
    /// Whether volunteers (tier 1) may do this kind of task.
    pub volunteer_ok: bool,
}

impl From<Category> for CategoryDto {
    fn from(c: Category) -> CategoryDto {
        CategoryDto {
            id: c.id,
            code: c.code,
            name_nl: c.name_nl,
            name_en: c.name_en,
            volunteer_ok: c.volunteer_ok,
        }
    }
}

list_type!(CategoryList, CategoryDto);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "pets", "name_nl": "Huisdieren verzorgen", "name_en": "Pet care", "volunteer_ok": true}))]
pub struct CreateCategory {
    #[schema(pattern = "^[a-z][a-z0-9_]{1,39}$")]
    pub code: String,
    #[schema(min_length = 1, max_length = 100, pattern = "contact::LINE_PATTERN")]
    pub name_nl: String,
    #[schema(min_length = 1, max_length = 100, pattern = "contact::LINE_PATTERN")]
    pub name_en: String,
    pub volunteer_ok: bool,
}

impl CreateCategory {
    pub(crate) fn parse(self) -> Result<NewCategory, AppError> {
        let mut problems = Violations::new();
        let code = problems.take("code", parse_code(&self.code));
        let name_nl = problems.take("name_nl", parse_line(&self.name_nl, 100));
        let name_en = problems.take("name_en", parse_line(&self.name_en, 100));
        problems.into_result()?;
        Ok(NewCategory {
            code: code.expect("checked"),
            name_nl: name_nl.expect("checked"),
            name_en: name_en.expect("checked"),
            volunteer_ok: self.volunteer_ok,
        })
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListCategories {
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// List the task categories (any user).
///
/// Every logged-in user may list the categories, with their Dutch and English names and whether
/// volunteers may do them.
#[utoipa::path(
    tag = "categories",
    params(ListCategories),
    responses(
        (status = 200, description = "A page of categories", body = CategoryList),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/categories")]
pub async fn list_categories(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    query: web::Query<ListCategories>,
) -> Result<web::Json<CategoryList>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let page = categories::list(&ctx, auth.0, page).await?;
    Ok(web::Json(CategoryList::from_page(&cursors, page, CategoryDto::from)))
}

/// Add a task category (admin).
///
/// Only an admin adds a category; its code is permanent and is what requests, skills and
/// municipalities refer to. 409 `already_exists` when the code is taken.
#[utoipa::path(
    tag = "categories",
    request_body = CreateCategory,
    responses(
        (status = 201, description = "Created", body = CategoryDto, headers(("Location" = String))),
        (status = 403, description = "Only an admin adds categories", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_exists`: the code is taken", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/categories")]
pub async fn create_category(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    body: Json<CreateCategory>,
) -> Result<HttpResponse, AppError> {
    let category = categories::create(&ctx, auth.0, body.0.parse()?).await?;
    Ok(created(
        format!("/api/v1/categories/{}", category.code),
        &CategoryDto::from(category),
    ))
}

/// Read one category by its code (any user).
///
/// Every logged-in user may read a category; 404 when no category has this code.
#[utoipa::path(
    tag = "categories",
    params(("code" = String, Path, description = "Category code, e.g. `gardening`")),
    responses(
        (status = 200, description = "The category", body = CategoryDto),
        (status = 404, description = "No such category", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/categories/{code}")]
pub async fn get_category(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    code: web::Path<String>,
) -> Result<web::Json<CategoryDto>, AppError> {
    let category = categories::get(&ctx, auth.0, code.into_inner()).await?;
    Ok(web::Json(category.into()))
}
