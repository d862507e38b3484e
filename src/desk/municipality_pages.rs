//! The admin's municipalities: what a voucher costs there, how long it holds, the
//! yearly cap, what the woonservice offers, and the hand-over times.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use minijinja::{Value, context};
use serde::Deserialize;

use crate::api::municipalities::{CreateMunicipality, UpdateMunicipality};
use crate::domain::Violations;
use crate::domain::municipality::{Municipality, MunicipalityFields};
use crate::domain::page::PageRequest;
use crate::error::AppError;
use crate::service::municipalities;

use super::intake::see_other;
use super::lookups::Categories;
use super::page::{Desk, DeskError, FieldErrors, Form, Me};

/// A Dutch amount ("5,50") as the API reads it ("5.50").
fn price(form: &Form) -> Option<String> {
    form.optional("voucher_price").map(|p| p.replace(',', "."))
}

fn codes(form: &Form) -> Vec<String> {
    form.all("woonservice_categories")
        .into_iter()
        .map(str::to_owned)
        .collect()
}

fn to_create(form: &Form) -> Result<CreateMunicipality, AppError> {
    let mut problems = Violations::new();
    let body = CreateMunicipality {
        name: form.get("name").trim().to_owned(),
        voucher_price: price(form),
        voucher_validity_months: form.number("voucher_validity_months", &mut problems),
        yearly_voucher_cap: form.number("yearly_voucher_cap", &mut problems),
        woonservice_categories: codes(form),
        referral_response_hours: form.number("referral_response_hours", &mut problems),
        sign_off_days: form.number("sign_off_days", &mut problems),
    };
    problems.into_result()?;
    Ok(body)
}

/// Every field is sent; an empty cap removes it, the other fields are required.
fn to_update(form: &Form) -> Result<UpdateMunicipality, AppError> {
    let mut problems = Violations::new();
    let required = |name: &str, problems: &mut Violations| {
        let n = form.number(name, problems);
        if form.optional(name).is_none() {
            problems.add(name, "must not be empty");
        }
        n
    };
    let months = required("voucher_validity_months", &mut problems);
    let hours = required("referral_response_hours", &mut problems);
    let days = required("sign_off_days", &mut problems);
    let price = price(form);
    if price.is_none() {
        problems.add("voucher_price", "must not be empty");
    }
    let body = UpdateMunicipality {
        name: Some(form.get("name").trim().to_owned()),
        voucher_price: price,
        voucher_validity_months: months,
        yearly_voucher_cap: Some(form.number("yearly_voucher_cap", &mut problems)),
        woonservice_categories: Some(codes(form)),
        referral_response_hours: hours,
        sign_off_days: days,
    };
    problems.into_result()?;
    Ok(body)
}

fn values_of(fields: &MunicipalityFields) -> Value {
    context! {
        name => fields.name,
        voucher_price => fields.voucher_price.to_string().replace('.', ","),
        voucher_validity_months => fields.voucher_validity_months.to_string(),
        yearly_voucher_cap => fields.yearly_voucher_cap.map(|c| c.to_string()).unwrap_or_default(),
        woonservice_categories => fields.woonservice_categories,
        referral_response_hours => fields.referral_response_hours.to_string(),
        sign_off_days => fields.sign_off_days.to_string(),
    }
}

pub async fn list(desk: Desk) -> Result<HttpResponse, DeskError> {
    let page = PageRequest {
        limit: PageRequest::<()>::MAX_LIMIT,
        position: None,
    };
    let found = municipalities::list(&desk.ctx, desk.subject, page).await?;
    let categories = Categories::load(&desk).await?;
    let rows: Vec<Value> = found
        .items
        .iter()
        .map(|m| {
            let f = &m.fields;
            context! {
                id => m.id,
                name => f.name,
                price => f.voucher_price.to_string().replace('.', ","),
                months => f.voucher_validity_months,
                cap => f.yearly_voucher_cap,
                offers => f.woonservice_categories.iter().map(|c| categories.name(c)).collect::<Vec<_>>().join(", "),
                referral_hours => f.referral_response_hours,
                sign_off_days => f.sign_off_days,
            }
        })
        .collect();
    desk.page("municipalities.html", context! { rows, more => found.next.is_some() })
        .await
}

async fn form_page(
    desk: &Desk,
    me: &Me,
    status: StatusCode,
    municipality: Option<&Municipality>,
    values: Value,
    errors: FieldErrors,
) -> Result<HttpResponse, DeskError> {
    let categories = Categories::load(desk).await?;
    let offers = categories.choices();
    desk.page_for(
        me,
        status,
        "municipality_form.html",
        context! {
            id => municipality.map(|m| m.id),
            title => municipality.map(|m| m.fields.name.clone()),
            offers,
            values,
            errors => errors.value(),
        },
    )
}

pub async fn new(desk: Desk) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let values = context! {
        voucher_price => MunicipalityFields::default_price().to_string().replace('.', ","),
        voucher_validity_months => MunicipalityFields::DEFAULT_VALIDITY_MONTHS.to_string(),
        referral_response_hours => MunicipalityFields::DEFAULT_REFERRAL_RESPONSE_HOURS.to_string(),
        sign_off_days => MunicipalityFields::DEFAULT_SIGN_OFF_DAYS.to_string(),
    };
    form_page(&desk, &me, StatusCode::OK, None, values, FieldErrors::default()).await
}

pub async fn create(desk: Desk, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let outcome = match to_create(&form).and_then(|body| body.parse()) {
        Ok(fields) => municipalities::create(&desk.ctx, desk.subject, fields).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(m) => {
            tracing::info!(municipality = m.id, "municipality added at the desk");
            Ok(see_other(&format!("/gemeenten/{}?bewaard=1", m.id)))
        }
        Err(e) => {
            let errors = FieldErrors::of(desk.lang(), e)?;
            let me = desk.me().await?;
            form_page(
                &desk,
                &me,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                form.values(),
                errors,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct SavedQuery {
    bewaard: Option<String>,
}

pub async fn edit(desk: Desk, id: web::Path<i64>, query: web::Query<SavedQuery>) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let municipality = municipalities::get(&desk.ctx, desk.subject, id.into_inner()).await?;
    let values = context! { saved => query.bewaard.is_some(), ..values_of(&municipality.fields) };
    form_page(
        &desk,
        &me,
        StatusCode::OK,
        Some(&municipality),
        values,
        FieldErrors::default(),
    )
    .await
}

pub async fn save(desk: Desk, id: web::Path<i64>, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let id = id.into_inner();
    let outcome = match to_update(&form).and_then(|body| body.parse()) {
        Ok(patch) => municipalities::update(&desk.ctx, desk.subject, id, patch).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/gemeenten/{id}?bewaard=1"))),
        Err(e) => {
            let errors = FieldErrors::of(desk.lang(), e)?;
            let me = desk.me().await?;
            let municipality = municipalities::get(&desk.ctx, desk.subject, id).await?;
            form_page(
                &desk,
                &me,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&municipality),
                form.values(),
                errors,
            )
            .await
        }
    }
}
