//! *Hulp vragen*: a client (or their mantelzorger) asks for help in one short form —
//! what kind of task, what, which day and part of the day, about how long. The request
//! is saved once, whatever the number of clicks, and waits for an advisor.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::{NaiveDate, NaiveTime};
use minijinja::{Value, context};

use crate::api::requests::CreateRequest;
use crate::domain::FieldError;
use crate::domain::schedule::{local_date, local_to_utc};
use crate::error::AppError;

use super::cookies::new_secret;
use super::intake::{create_once, see_other};
use super::lookups::Categories;
use super::page::{Desk, DeskError, FieldErrors, Form, Me};

/// The parts of a day a client chooses from: name, from, until (local time).
const PARTS: [(&str, &str, u32, u32); 3] = [
    ("ochtend", "'s Ochtends (9 tot 12 uur)", 9, 12),
    ("middag", "'s Middags (13 tot 17 uur)", 13, 17),
    ("dag", "Maakt niet uit (9 tot 17 uur)", 9, 17),
];

/// About how long, in hours, as a client can guess it.
const HOURS: [&str; 5] = ["1", "1,5", "2", "3", "4"];

async fn show(
    desk: &Desk,
    me: &Me,
    status: StatusCode,
    values: Value,
    errors: FieldErrors,
) -> Result<HttpResponse, DeskError> {
    let categories = Categories::load(desk).await?;
    let kinds = categories.choices();
    let parts: Vec<Value> = PARTS
        .iter()
        .map(|(value, label, _, _)| context! { value, label => desk.t(label) })
        .collect();
    desk.page_for(
        me,
        status,
        "client_ask.html",
        context! {
            kinds,
            parts,
            hours => HOURS
                .iter()
                .enumerate()
                .map(|(i, h)| context! { id => i + 1, value => h, label => format!("{h} {}", desk.t("uur")) })
                .collect::<Vec<_>>(),
            values,
            errors => errors.value(),
            today => local_date(desk.ctx.clock.now()).to_string(),
        },
    )
}

pub async fn page(desk: Desk) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    me.own_client()?;
    let tomorrow = local_date(desk.ctx.clock.now()) + chrono::Duration::days(1);
    let values = context! {
        key => new_secret(),
        date => tomorrow.to_string(),
        part => "dag",
        estimated_hours => "2",
    };
    show(&desk, &me, StatusCode::OK, values, FieldErrors::default()).await
}

/// The day and part of the day as the window of the request.
fn window(form: &Form) -> Result<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>), FieldError> {
    let day = NaiveDate::parse_from_str(form.get("date").trim(), "%Y-%m-%d")
        .map_err(|_| FieldError::new("date", "must be a date"))?;
    let (_, _, from, until) = PARTS
        .iter()
        .find(|(value, ..)| *value == form.get("part"))
        .ok_or_else(|| FieldError::new("part", "must be one of the parts of the day"))?;
    let at = |hour: u32| local_to_utc(day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("an hour of the day")));
    Ok((at(*from), at(*until)))
}

pub async fn ask(desk: Desk, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let me = desk.me().await?;
    let client_id = me.own_client()?;
    let estimated = super::intake::hours(form.get("estimated_hours"));
    let outcome = match (window(&form), estimated) {
        (Err(e), _) => Err(AppError::Validation(vec![e])),
        (_, None) => Err(AppError::invalid("estimated_hours", "must be a number of hours")),
        (Ok((start, end)), Some(hours)) => {
            let body = CreateRequest {
                client_id,
                category: form.get("category").to_owned(),
                description: form.get("description").to_owned(),
                window_start: start,
                window_end: end,
                estimated_hours: hours,
            };
            create_once(&desk, &form, body).await
        }
    };
    match outcome {
        Ok(id) => {
            tracing::info!(request = id, "a client asked for help at the desk");
            Ok(see_other("/?gevraagd=1"))
        }
        Err(e) => {
            // The window is the day the client chose.
            let e = match e {
                AppError::Validation(list) => AppError::Validation(
                    list.into_iter()
                        .map(|mut f| {
                            if f.field.starts_with("window_") {
                                f.field = "date".to_owned();
                            }
                            // Nothing chosen is not a malformed code to the one asking.
                            if f.field == "category" && form.get("category").is_empty() {
                                f.message = "must be one of the categories".to_owned();
                            }
                            f
                        })
                        .collect(),
                ),
                other => other,
            };
            let errors = FieldErrors::of(desk.lang(), e)?;
            show(&desk, &me, StatusCode::UNPROCESSABLE_ENTITY, form.values(), errors).await
        }
    }
}
