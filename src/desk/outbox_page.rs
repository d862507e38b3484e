//! The admin's outbox: every mail by status, why one did not go out, a retry of a dead
//! mail and a cancel of one that should never go.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use minijinja::{Value, context};
use serde::Deserialize;

use crate::domain::dates;
use crate::domain::mail::MailStatus;
use crate::domain::page::PageRequest;
use crate::error::AppError;
use crate::service::outbox;

use super::intake::see_other;
use super::page::{Desk, DeskError, Form};
use super::words;

#[derive(Deserialize)]
pub struct OutboxQuery {
    status: Option<String>,
    /// What was just done, to say so.
    gedaan: Option<String>,
}

fn status_name(status: MailStatus) -> &'static str {
    match status {
        MailStatus::Queued => "in de wachtrij",
        MailStatus::Sent => "verstuurd",
        MailStatus::Dead => "niet bezorgd",
        MailStatus::Cancelled => "geannuleerd",
    }
}

const STATUSES: [MailStatus; 4] = [
    MailStatus::Dead,
    MailStatus::Queued,
    MailStatus::Sent,
    MailStatus::Cancelled,
];

async fn show(
    desk: &Desk,
    status: Option<MailStatus>,
    code: StatusCode,
    notice: Option<String>,
) -> Result<HttpResponse, DeskError> {
    let page = PageRequest {
        limit: 100,
        position: None,
    };
    let mails = outbox::list(&desk.ctx, desk.subject, status, page).await?;
    let lang = desk.lang();
    let rows: Vec<Value> = mails
        .items
        .iter()
        .map(|m| {
            context! {
                id => m.id,
                to => m.recipient_name.clone().map(|n| format!("{n} <{}>", m.recipient)).unwrap_or_else(|| m.recipient.clone()),
                template => m.template.as_str(),
                status => words::t(lang, status_name(m.status)),
                dead => m.status == MailStatus::Dead,
                cancellable => matches!(m.status, MailStatus::Queued | MailStatus::Dead),
                attempts => m.attempts,
                at => dates::date_time(m.created_at, lang),
                error => m.last_error,
                request_id => m.request_id,
            }
        })
        .collect();
    let options: Vec<Value> = std::iter::once(context! { value => "", label => words::t(lang, "Alles") })
        .chain(
            STATUSES
                .iter()
                .map(|s| context! { value => s.as_str(), label => words::t(lang, status_name(*s)) }),
        )
        .collect();
    let me = desk.me().await?;
    desk.page_for(
        &me,
        code,
        "outbox.html",
        context! {
            rows,
            options,
            values => context! { status => status.map(|s| s.as_str()).unwrap_or("") },
            errors => context! {},
            more => mails.next.is_some(),
            notice,
        },
    )
}

pub async fn page(desk: Desk, query: web::Query<OutboxQuery>) -> Result<HttpResponse, DeskError> {
    let status = query
        .status
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(|s| s.parse::<MailStatus>().ok());
    let notice = query.gedaan.as_deref().map(|_| desk.t("Bewaard."));
    show(&desk, status, StatusCode::OK, notice).await
}

/// Retry (a dead mail) or cancel (a queued or dead one).
pub async fn act(desk: Desk, path: web::Path<(i64, String)>, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let (id, action) = path.into_inner();
    let outcome = match action.as_str() {
        "opnieuw" => outbox::retry(&desk.ctx, desk.subject, id).await,
        "annuleren" => outbox::cancel(&desk.ctx, desk.subject, id).await,
        _ => return Err(DeskError::App(AppError::NotFound)),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/uitgaande-mail?gedaan={action}"))),
        Err(AppError::Conflict { detail, .. }) => {
            let notice = format!("{} ({detail})", desk.t("Dit kan nu niet."));
            show(&desk, None, StatusCode::CONFLICT, Some(notice)).await
        }
        Err(e) => Err(e.into()),
    }
}
