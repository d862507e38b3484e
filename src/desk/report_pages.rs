//! The monthly report by session: choose the municipality and the month, then the
//! printable page or the CSV download, exactly as the API answers them.

use actix_web::{HttpResponse, web};
use minijinja::context;
use serde::Deserialize;

use crate::api::reports::{Format, answer};
use crate::domain::report::Month;
use crate::domain::schedule::local_date;
use crate::error::AppError;
use crate::service::reports;

use super::page::{Desk, DeskError, FieldErrors};

#[derive(Deserialize)]
pub struct ReportQuery {
    gemeente: Option<String>,
    maand: Option<String>,
}

pub async fn form(desk: Desk) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let last_month = Month::of(local_date(desk.ctx.clock.now())).previous();
    let municipalities = me.municipality_choices();
    desk.page_for(
        &me,
        actix_web::http::StatusCode::OK,
        "report_form.html",
        context! {
            municipalities,
            values => context! { maand => last_month.to_string() },
            errors => FieldErrors::default().value(),
        },
    )
}

fn chosen(query: &ReportQuery) -> Result<(i64, Month), AppError> {
    let municipality = query
        .gemeente
        .as_deref()
        .and_then(|g| g.parse::<i64>().ok())
        .ok_or_else(|| AppError::invalid("gemeente", "must be one of the municipalities"))?;
    let month = Month::parse(query.maand.as_deref().unwrap_or("")).map_err(|m| AppError::invalid("maand", m))?;
    Ok((municipality, month))
}

async fn report(desk: Desk, query: ReportQuery, format: Format) -> Result<HttpResponse, DeskError> {
    let (municipality, month) = chosen(&query)?;
    let with_history = matches!(format, Format::Html);
    let data = reports::monthly(&desk.ctx, desk.subject, municipality, month, with_history).await?;
    Ok(answer(&data, month, format)?)
}

/// The printable page, as `GET /api/v1/reports/monthly` answers it in HTML.
pub async fn page(desk: Desk, query: web::Query<ReportQuery>) -> Result<HttpResponse, DeskError> {
    report(desk, query.into_inner(), Format::Html).await
}

pub async fn csv(desk: Desk, query: web::Query<ReportQuery>) -> Result<HttpResponse, DeskError> {
    report(desk, query.into_inner(), Format::Csv).await
}
