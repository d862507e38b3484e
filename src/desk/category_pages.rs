//! The admin's categories: the kinds of task a client may ask for, in both languages,
//! and whether a volunteer may do them.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use minijinja::{Value, context};
use serde::Deserialize;

use crate::api::categories::CreateCategory;
use crate::service::categories;

use super::intake::see_other;
use super::lookups::Categories;
use super::page::{Desk, DeskError, FieldErrors, Form};

#[derive(Deserialize)]
pub struct ListQuery {
    nieuw: Option<String>,
}

async fn show(
    desk: &Desk,
    status: StatusCode,
    added: Option<&str>,
    values: Value,
    errors: FieldErrors,
) -> Result<HttpResponse, DeskError> {
    let categories = Categories::load(desk).await?;
    let rows: Vec<Value> = categories
        .list
        .iter()
        .map(|c| {
            context! {
                code => c.code,
                name_nl => c.name_nl,
                name_en => c.name_en,
                volunteer_ok => c.volunteer_ok,
                added => added == Some(c.code.as_str()),
            }
        })
        .collect();
    desk.page(
        "categories.html",
        context! { rows, added, values, errors => errors.value() },
    )
    .await
    .map(|mut r| {
        *r.status_mut() = status;
        r
    })
}

pub async fn list(desk: Desk, query: web::Query<ListQuery>) -> Result<HttpResponse, DeskError> {
    let values = context! { volunteer_ok => "ja" };
    show(
        &desk,
        StatusCode::OK,
        query.nieuw.as_deref(),
        values,
        FieldErrors::default(),
    )
    .await
}

pub async fn create(desk: Desk, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let body = CreateCategory {
        code: form.get("code").trim().to_owned(),
        name_nl: form.get("name_nl").trim().to_owned(),
        name_en: form.get("name_en").trim().to_owned(),
        volunteer_ok: form.get("volunteer_ok") == "ja",
    };
    let outcome = match body.parse() {
        Ok(category) => categories::create(&desk.ctx, desk.subject, category).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(c) => {
            tracing::info!(category = %c.code, "category added at the desk");
            Ok(see_other(&format!(
                "/categorieen?nieuw={}#categorie-{}",
                c.code, c.code
            )))
        }
        Err(e) => {
            let errors = FieldErrors::or_taken(desk.lang(), e, "code")?;
            show(&desk, StatusCode::UNPROCESSABLE_ENTITY, None, form.values(), errors).await
        }
    }
}
