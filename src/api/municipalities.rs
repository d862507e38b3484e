use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{AuthUser, Json};
use crate::api::paging::{Cursors, list_type};
use crate::api::patch::some_or_null;
use crate::api::problem::Problem;
use crate::api::respond::created;
use crate::domain::Violations;
use crate::domain::category::parse_codes;
use crate::domain::contact::parse_line;
use crate::domain::money::Money;
use crate::domain::municipality::{
    Municipality, MunicipalityFields, MunicipalityPatch, parse_referral_response_hours, parse_sign_off_days,
    parse_validity_months, parse_yearly_cap,
};
use crate::error::AppError;
use crate::service::{Ctx, municipalities};

#[derive(serde::Serialize, ToSchema)]
#[schema(example = json!({"id": 1, "name": "Waalre", "voucher_price": "5.00", "voucher_validity_months": 12,
    "yearly_voucher_cap": null, "woonservice_categories": ["gardening", "odd_jobs"], "referral_response_hours": 48, "sign_off_days": 7,
    "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T10:00:00Z"}))]
pub struct MunicipalityDto {
    pub id: i64,
    pub name: String,
    /// Price of one voucher (one hour of work), a decimal string in euros.
    #[schema(value_type = String, example = "5.00", pattern = r"^\d+\.\d{2}$")]
    pub voucher_price: Money,
    pub voucher_validity_months: i32,
    /// Vouchers one client may buy per calendar year; `null` is no cap.
    pub yearly_voucher_cap: Option<i32>,
    /// Category codes the woonservice project offers here.
    pub woonservice_categories: Vec<String>,
    /// Hours a provider has to answer a referral before it expires and the request
    /// routes on.
    pub referral_response_hours: i32,
    /// Days a client has to agree to or dispute a visit's hours before they are agreed
    /// for them; 0 agrees at completion.
    pub sign_off_days: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Municipality> for MunicipalityDto {
    fn from(m: Municipality) -> MunicipalityDto {
        MunicipalityDto {
            id: m.id,
            name: m.fields.name,
            voucher_price: m.fields.voucher_price,
            voucher_validity_months: m.fields.voucher_validity_months,
            yearly_voucher_cap: m.fields.yearly_voucher_cap,
            woonservice_categories: m.fields.woonservice_categories,
            referral_response_hours: m.fields.referral_response_hours,
            sign_off_days: m.fields.sign_off_days,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

list_type!(MunicipalityList, MunicipalityDto);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Heeze-Leende", "voucher_price": "5.00", "voucher_validity_months": 12,
    "yearly_voucher_cap": 200, "woonservice_categories": ["gardening", "errands"]}))]
pub struct CreateMunicipality {
    #[schema(min_length = 1, max_length = 100, pattern = "contact::LINE_PATTERN")]
    pub name: String,
    /// Defaults to `"5.00"`.
    #[schema(example = "5.00", pattern = r"^\d+(\.\d{1,2})?$")]
    pub voucher_price: Option<String>,
    /// Defaults to 12.
    #[schema(minimum = 1, maximum = 120)]
    pub voucher_validity_months: Option<i64>,
    #[schema(minimum = 0, maximum = 10000)]
    pub yearly_voucher_cap: Option<i64>,
    #[serde(default)]
    #[schema(value_type = BTreeSet<String>, pattern = "^[a-z][a-z0-9_]{1,39}$")]
    pub woonservice_categories: Vec<String>,
    /// Hours a provider has to answer a referral; defaults to 48, 0 lets the next run
    /// of the job `expire-referrals` end it.
    #[schema(minimum = 0, maximum = 720)]
    pub referral_response_hours: Option<i64>,
    /// Days a client has to sign off a visit's hours; defaults to 7, 0 agrees at completion.
    #[schema(minimum = 0, maximum = 60)]
    pub sign_off_days: Option<i64>,
}

fn price(problems: &mut Violations, input: &str) -> Option<Money> {
    problems.take(
        "voucher_price",
        Money::parse_positive(input, MunicipalityFields::MAX_PRICE_EUROS),
    )
}

impl CreateMunicipality {
    pub(crate) fn parse(self) -> Result<MunicipalityFields, AppError> {
        let mut problems = Violations::new();
        let name = problems.take("name", parse_line(&self.name, 100));
        let voucher_price = match &self.voucher_price {
            Some(p) => price(&mut problems, p),
            None => Some(MunicipalityFields::default_price()),
        };
        let months = match self.voucher_validity_months {
            Some(m) => problems.take("voucher_validity_months", parse_validity_months(m)),
            None => Some(MunicipalityFields::DEFAULT_VALIDITY_MONTHS),
        };
        let cap = self
            .yearly_voucher_cap
            .map(|c| problems.take("yearly_voucher_cap", parse_yearly_cap(c)));
        let categories = problems.take("woonservice_categories", parse_codes(&self.woonservice_categories));
        let response_hours = match self.referral_response_hours {
            Some(h) => problems.take("referral_response_hours", parse_referral_response_hours(h)),
            None => Some(MunicipalityFields::DEFAULT_REFERRAL_RESPONSE_HOURS),
        };
        let sign_off_days = match self.sign_off_days {
            Some(d) => problems.take("sign_off_days", parse_sign_off_days(d)),
            None => Some(MunicipalityFields::DEFAULT_SIGN_OFF_DAYS),
        };
        problems.into_result()?;
        Ok(MunicipalityFields {
            name: name.expect("checked"),
            voucher_price: voucher_price.expect("checked"),
            voucher_validity_months: months.expect("checked"),
            yearly_voucher_cap: cap.flatten(),
            woonservice_categories: categories.expect("checked"),
            referral_response_hours: response_hours.expect("checked"),
            sign_off_days: sign_off_days.expect("checked"),
        })
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMunicipality {
    #[schema(min_length = 1, max_length = 100, pattern = "contact::LINE_PATTERN")]
    pub name: Option<String>,
    #[schema(example = "5.50", pattern = r"^\d+(\.\d{1,2})?$")]
    pub voucher_price: Option<String>,
    #[schema(minimum = 1, maximum = 120)]
    pub voucher_validity_months: Option<i64>,
    /// `null` removes the cap.
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 10000)]
    pub yearly_voucher_cap: Option<Option<i64>>,
    #[schema(value_type = Option<BTreeSet<String>>, pattern = "^[a-z][a-z0-9_]{1,39}$")]
    pub woonservice_categories: Option<Vec<String>>,
    #[schema(minimum = 0, maximum = 720)]
    pub referral_response_hours: Option<i64>,
    #[schema(minimum = 0, maximum = 60)]
    pub sign_off_days: Option<i64>,
}

impl UpdateMunicipality {
    pub(crate) fn parse(self) -> Result<MunicipalityPatch, AppError> {
        let mut problems = Violations::new();
        let patch = MunicipalityPatch {
            name: self.name.and_then(|n| problems.take("name", parse_line(&n, 100))),
            voucher_price: self.voucher_price.and_then(|p| price(&mut problems, &p)),
            voucher_validity_months: self
                .voucher_validity_months
                .and_then(|m| problems.take("voucher_validity_months", parse_validity_months(m))),
            yearly_voucher_cap: self
                .yearly_voucher_cap
                .map(|cap| cap.and_then(|c| problems.take("yearly_voucher_cap", parse_yearly_cap(c)))),
            woonservice_categories: self
                .woonservice_categories
                .and_then(|c| problems.take("woonservice_categories", parse_codes(&c))),
            referral_response_hours: self
                .referral_response_hours
                .and_then(|h| problems.take("referral_response_hours", parse_referral_response_hours(h))),
            sign_off_days: self
                .sign_off_days
                .and_then(|d| problems.take("sign_off_days", parse_sign_off_days(d))),
        };
        problems.into_result()?;
        Ok(patch)
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListMunicipalities {
    /// Page size, 1–200.
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    /// From `next_cursor` or `prev_cursor` of an earlier page.
    pub cursor: Option<String>,
}

/// Add a municipality (admin).
///
/// Only an admin adds a municipality running the concept, with its voucher price, validity, yearly
/// cap and the categories its woonservice offers. 409 `already_exists` when the name is taken.
#[utoipa::path(
    tag = "municipalities",
    request_body = CreateMunicipality,
    responses(
        (status = 201, description = "Created", body = MunicipalityDto, headers(("Location" = String))),
        (status = 403, description = "Only an admin adds municipalities", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_exists`: the name is taken", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/municipalities")]
pub async fn create_municipality(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    body: Json<CreateMunicipality>,
) -> Result<HttpResponse, AppError> {
    let fields = body.0.parse()?;
    let m = municipalities::create(&ctx, auth.0, fields).await?;
    Ok(created(
        format!("/api/v1/municipalities/{}", m.id),
        &MunicipalityDto::from(m),
    ))
}

/// List the municipalities in the caller's scope.
///
/// Staff see the municipalities in their scope, an admin all of them; clients and members get 403.
#[utoipa::path(
    tag = "municipalities",
    params(ListMunicipalities),
    responses(
        (status = 200, description = "A page of municipalities", body = MunicipalityList),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Clients and members do not list municipalities", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/municipalities")]
pub async fn list_municipalities(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    query: web::Query<ListMunicipalities>,
) -> Result<web::Json<MunicipalityList>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let page = municipalities::list(&ctx, auth.0, page).await?;
    Ok(web::Json(MunicipalityList::from_page(
        &cursors,
        page,
        MunicipalityDto::from,
    )))
}

/// Read a municipality (staff in scope).
///
/// Staff read a municipality in their scope, an admin any; one outside the caller's scope answers
/// 404, so its existence is not revealed. Clients and members get 403.
#[utoipa::path(
    tag = "municipalities",
    params(("id" = i64, Path, description = "Municipality id")),
    responses(
        (status = 200, description = "The municipality", body = MunicipalityDto),
        (status = 403, description = "Clients and members do not read municipalities", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such municipality in the caller's scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/municipalities/{id}")]
pub async fn get_municipality(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<MunicipalityDto>, AppError> {
    let m = municipalities::get(&ctx, auth.0, id.into_inner()).await?;
    Ok(web::Json(m.into()))
}

/// Change a municipality's settings (admin).
///
/// Only an admin changes a municipality's name, voucher price, validity, yearly cap or offered
/// categories; fields left out stay as they are. A new price applies to sales from then on, not to
/// vouchers sold before. 409 `already_exists` when the name is taken.
#[utoipa::path(
    tag = "municipalities",
    params(("id" = i64, Path, description = "Municipality id")),
    request_body = UpdateMunicipality,
    responses(
        (status = 200, description = "The changed municipality", body = MunicipalityDto),
        (status = 403, description = "Only an admin changes municipalities", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such municipality", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`already_exists`: the name is taken", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/municipalities/{id}")]
pub async fn update_municipality(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<UpdateMunicipality>,
) -> Result<web::Json<MunicipalityDto>, AppError> {
    let patch = body.0.parse()?;
    let m = municipalities::update(&ctx, auth.0, id.into_inner(), patch).await?;
    Ok(web::Json(m.into()))
}
