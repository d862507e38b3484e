//! Phone intake, in one keyboard-first flow: find the client (or take a new one in,
//! with a representative), then the task; it is saved once, however often the button
//! is pressed, and routed at once.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDateTime, Utc};
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use crate::api::idempotency::key_of;
use crate::api::requests::{CreateRequest, created};
use crate::domain::FieldError;
use crate::domain::client::Client;
use crate::domain::schedule::local_to_utc;
use crate::error::AppError;
use crate::service::{clients, requests, routing};

use super::client_form;
use super::cookies::new_secret;
use super::lookups::Categories;
use super::page::{Desk, DeskError, FieldErrors, Form, Me};

#[derive(Deserialize)]
pub struct IntakeQuery {
    zoek: Option<String>,
    client: Option<i64>,
}

/// A client as a search result or the client of an intake shows them.
#[derive(Serialize)]
pub struct Found {
    id: i64,
    name: String,
    address: String,
    phone: String,
    representative: String,
}

impl From<&Client> for Found {
    fn from(c: &Client) -> Found {
        let f = &c.fields;
        Found {
            id: c.id,
            name: f.name.clone(),
            address: f.address_line(),
            phone: f.phone.clone().unwrap_or_default(),
            representative: f
                .representative
                .as_ref()
                .map(|r| format!("{} ({})", r.name, r.relation))
                .unwrap_or_default(),
        }
    }
}

/// What the intake page shows besides the frame.
struct Intake {
    search: String,
    found: Option<Vec<Found>>,
    client: Option<Found>,
    client_values: Value,
    client_errors: FieldErrors,
    task_values: Value,
    task_errors: FieldErrors,
}

impl Intake {
    fn empty() -> Intake {
        Intake {
            search: String::new(),
            found: None,
            client: None,
            client_values: Value::from_serialize(
                context! { preferred_language => "nl", target_groups => vec!["elderly"] },
            ),
            client_errors: FieldErrors::default(),
            task_values: Value::from(()),
            task_errors: FieldErrors::default(),
        }
    }
}

async fn show(desk: &Desk, me: &Me, status: StatusCode, intake: Intake) -> Result<HttpResponse, DeskError> {
    let categories = Categories::load(desk).await?;
    let options = categories.choices();
    let municipalities = me.municipality_choices();
    // A new key for every showing of the task form: a repeat of one showing's post
    // (a double click, a reload) makes no second request.
    let task_values = if intake.task_values.is_undefined() || intake.task_values.is_none() {
        Value::from_serialize(context! { key => new_secret(), estimated_hours => "2" })
    } else {
        intake.task_values
    };
    desk.page_for(
        me,
        status,
        "intake.html",
        context! {
            search => intake.search,
            found => intake.found,
            client => intake.client,
            client_values => intake.client_values,
            client_errors => intake.client_errors.value(),
            client_summary => intake.client_errors.0.clone(),
            task_values,
            task_errors => intake.task_errors.value(),
            categories => options,
            municipalities,
        },
    )
}

pub async fn page(desk: Desk, query: web::Query<IntakeQuery>) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let mut intake = Intake::empty();
    if let Some(id) = query.client {
        let client = clients::get(&desk.ctx, desk.subject, id).await?;
        intake.client = Some(Found::from(&client));
    } else if let Some(text) = query.zoek.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let found = clients::search(&desk.ctx, desk.subject, text.to_owned()).await?;
        intake.search = text.to_owned();
        intake.found = Some(found.iter().map(Found::from).collect());
    }
    show(&desk, &me, StatusCode::OK, intake).await
}

/// A new client from the intake; then on to the task.
pub async fn new_client(desk: Desk, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let me = desk.me().await?;
    let municipality_id = match me.municipalities.as_slice() {
        [(only, _)] => *only,
        _ => form.get("municipality_id").parse().unwrap_or(0),
    };
    let body = client_form::to_create(&form, municipality_id);
    let outcome = match body.parse() {
        Ok(fields) => clients::create(&desk.ctx, desk.subject, fields).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(client) => Ok(see_other(&format!("/hulpvragen/nieuw?client={}", client.id))),
        Err(e) => {
            let errors = FieldErrors::of(desk.lang(), e)?;
            let mut intake = Intake::empty();
            intake.client_values = form.values();
            intake.client_errors = errors;
            show(&desk, &me, StatusCode::UNPROCESSABLE_ENTITY, intake).await
        }
    }
}

/// `2026-12-08T09:00` from a `datetime-local` input, read as Amsterdam time.
pub fn local_moment(input: &str) -> Option<DateTime<Utc>> {
    let input = input.trim();
    NaiveDateTime::parse_from_str(input, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(input, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .map(local_to_utc)
}

/// Hours as a Dutch reader types them: `2,5` or `2.5`.
pub fn hours(input: &str) -> Option<f64> {
    input
        .trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|h| h.is_finite())
}

/// The task: saved once under the form's key, then routed once.
pub async fn save_request(desk: Desk, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let client_id: i64 = form
        .get("client_id")
        .parse()
        .map_err(|_| DeskError::App(AppError::NotFound))?;
    let mut unreadable = Vec::new();
    let start = local_moment(form.get("window_start"));
    let end = local_moment(form.get("window_end"));
    let estimated = hours(form.get("estimated_hours"));
    if start.is_none() {
        unreadable.push(FieldError::new("window_start", "must be a date and time"));
    }
    if end.is_none() {
        unreadable.push(FieldError::new("window_end", "must be a date and time"));
    }
    if estimated.is_none() {
        unreadable.push(FieldError::new("estimated_hours", "must be a number of hours"));
    }
    let outcome = if unreadable.is_empty() {
        let body = CreateRequest {
            client_id,
            category: form.get("category").to_owned(),
            description: form.get("description").to_owned(),
            window_start: start.expect("checked"),
            window_end: end.expect("checked"),
            estimated_hours: estimated.expect("checked"),
        };
        create_and_route(&desk, &form, body).await
    } else {
        Err(AppError::Validation(unreadable))
    };
    match outcome {
        Ok(id) => Ok(see_other(&format!("/hulpvragen/{id}?gerouteerd=1"))),
        Err(e) => {
            let errors = FieldErrors::of(desk.lang(), e)?;
            let me = desk.me().await?;
            let client = clients::get(&desk.ctx, desk.subject, client_id).await?;
            let mut intake = Intake::empty();
            intake.client = Some(Found::from(&client));
            intake.task_values = form.values();
            intake.task_errors = errors;
            show(&desk, &me, StatusCode::UNPROCESSABLE_ENTITY, intake).await
        }
    }
}

async fn create_and_route(desk: &Desk, form: &Form, body: CreateRequest) -> Result<i64, AppError> {
    let id = create_once(desk, form, body).await?;
    routing::route_if_new(&desk.ctx, desk.subject, id).await?;
    Ok(id)
}

/// Saves a request once under the form's key: a second post of the same form answers
/// with the same request.
pub async fn create_once(desk: &Desk, form: &Form, body: CreateRequest) -> Result<i64, AppError> {
    let key = key_of(form.get("key"), "create_request", &body)?;
    let new = body.parse(desk.ctx.clock.now())?;
    let recorded = requests::create(&desk.ctx, desk.subject, new, Some(key), created).await?;
    serde_json::from_str::<serde_json::Value>(&recorded.body)
        .ok()
        .and_then(|v| v.get("id").and_then(serde_json::Value::as_i64))
        .ok_or_else(|| AppError::internal("a recorded request answer without an id"))
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_owned()))
        .finish()
}
