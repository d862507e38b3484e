//! A visit (an assignment) for whoever reads it: the member sees the task, where to go
//! and whom to ring, accepts or declines and registers the hours; their coach confirms
//! a jobseeker's own accept; the client agrees with the hours or not; an advisor
//! resolves a dispute. Each sees only the actions that fit the visit's state and their role.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use minijinja::context;
use serde::Deserialize;

use crate::api::assignments::CompleteAssignment;
use crate::api::routing::{ReasonBody, reason};
use crate::api::sign_offs::{ResolveBody, SignOffBody};
use crate::domain::Role;
use crate::domain::assignment::{AssignmentStatus, SignOff};
use crate::domain::dates;
use crate::domain::visit::Visit;
use crate::error::AppError;
use crate::service::visits::{self, AssignmentView};
use crate::service::{assignments, sign_offs};

use super::intake::{hours, see_other};
use super::page::{ActionFailure, Desk, DeskError, FieldErrors, Form, Me};
use super::words::{self, Language};

pub fn status_words(status: AssignmentStatus) -> &'static str {
    match status {
        AssignmentStatus::Proposed => "Voorgesteld: nog niet geaccepteerd",
        AssignmentStatus::AwaitingConfirmation => "Geaccepteerd, wacht op de coach",
        AssignmentStatus::Accepted => "Afgesproken",
        AssignmentStatus::Rejected => "Niet bevestigd door de coach",
        AssignmentStatus::Declined => "Afgewezen",
        AssignmentStatus::Completed => "Gedaan",
        AssignmentStatus::NoShow => "Niet gekomen",
        AssignmentStatus::Cancelled => "Geannuleerd",
    }
}

pub fn sign_off_words(sign_off: SignOff) -> &'static str {
    match sign_off {
        SignOff::Pending => "De cliënt moet de uren nog goedkeuren",
        SignOff::Agreed => "Uren goedgekeurd",
        SignOff::AutoAgreed => "Uren goedgekeurd (geen bezwaar op tijd)",
        SignOff::Disputed => "De cliënt is het niet eens met de uren",
        SignOff::Resolved => "Bezwaar afgehandeld",
    }
}

/// A moment as a person reads it: "maandag 7 december, 09:00 tot 11:00".
pub fn when(
    view_start: chrono::DateTime<chrono::Utc>,
    view_end: chrono::DateTime<chrono::Utc>,
    lang: Language,
) -> String {
    format!(
        "{} {} {}",
        dates::date_time(view_start, lang),
        words::t(lang, "tot"),
        dates::time_of_day(view_end)
    )
}

/// Which actions the reader has on this visit.
fn actions(me: &Me, view: &AssignmentView) -> Vec<&'static str> {
    let a = &view.assignment;
    let own_member = me.actor.user.member_id == Some(a.member_id);
    let mut list = Vec::new();
    match me.actor.role() {
        Role::Member if own_member => match a.status {
            AssignmentStatus::Proposed => list.extend(["accepteren", "afwijzen"]),
            AssignmentStatus::Accepted => list.push("afronden"),
            _ => {}
        },
        Role::Coach => match a.status {
            AssignmentStatus::AwaitingConfirmation => list.extend(["bevestigen", "niet-bevestigen"]),
            AssignmentStatus::Accepted => list.push("afronden"),
            _ => {}
        },
        Role::Client if a.sign_off == Some(SignOff::Pending) => list.extend(["akkoord", "niet-akkoord"]),
        Role::Advisor => match a.sign_off {
            Some(SignOff::Pending) => list.extend(["akkoord", "niet-akkoord"]),
            Some(SignOff::Disputed) => list.push("oplossen"),
            _ => {}
        },
        _ => {}
    }
    list
}

#[derive(Deserialize)]
pub struct VisitQuery {
    gedaan: Option<String>,
}

fn done_words(action: &str) -> &'static str {
    match action {
        "accepteren" => "U hebt het bezoek geaccepteerd.",
        "afwijzen" => "U hebt het bezoek afgewezen.",
        "afronden" => "De uren zijn bewaard. De cliënt keurt ze nog goed.",
        "bevestigen" => "Bevestigd. Het bezoek gaat door.",
        "niet-bevestigen" => "Niet bevestigd. De hulpvraag gaat terug.",
        "akkoord" => "Dank u. De uren zijn goedgekeurd.",
        "niet-akkoord" => "Dank u. Een adviseur belt u over de uren.",
        "oplossen" => "Het bezwaar is afgehandeld.",
        _ => "Bewaard.",
    }
}

pub async fn page(desk: Desk, id: web::Path<i64>, query: web::Query<VisitQuery>) -> Result<HttpResponse, DeskError> {
    let notice = query.gedaan.as_deref().map(done_words);
    show(&desk, id.into_inner(), StatusCode::OK, notice, None).await
}

async fn show(
    desk: &Desk,
    id: i64,
    status: StatusCode,
    notice: Option<&str>,
    failure: Option<ActionFailure>,
) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let view = visits::get(&desk.ctx, desk.subject, id).await?;
    let lang = desk.lang();
    let a = &view.assignment;
    let (task, place, person, phone) = match &view.visit {
        Visit::ForWorker {
            task,
            address,
            client_name,
            client_phone,
        } => (task, Some(address.clone()), client_name.clone(), client_phone.clone()),
        Visit::ForClient { task, member_name } => (task, None, member_name.clone(), None),
    };
    desk.page_for(
        &me,
        status,
        "visit.html",
        context! {
            id,
            request_id => a.request_id,
            for_client => matches!(view.visit, Visit::ForClient { .. }),
            category => task.category_name,
            description => task.description,
            address => place,
            person,
            phone_link => phone.as_ref().map(|p| p.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect::<String>()),
            phone,
            when => when(a.slot.start, a.slot.end, lang),
            status => words::t(lang, status_words(a.status)),
            hours_worked => a.hours_worked.map(|h| h.written_in(lang)),
            sign_off => a.sign_off.map(|s| words::t(lang, sign_off_words(s))),
            dispute_reason => a.dispute_reason,
            actions => actions(&me, &view),
            notice => notice.map(|n| words::t(lang, n)),
            ..ActionFailure::context(failure)
        },
    )
}

fn why(form: &Form) -> Result<String, AppError> {
    reason(ReasonBody {
        reason: form.get("reason").to_owned(),
    })
}

fn hours_of(form: &Form, field: &str) -> Result<f64, AppError> {
    hours(form.get(field)).ok_or_else(|| AppError::invalid(field, "must be a number of hours"))
}

/// One of the visit's actions; back to the visit, with what happened or the errors.
pub async fn act(desk: Desk, path: web::Path<(i64, String)>, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let (id, action) = path.into_inner();
    let (ctx, subject) = (&desk.ctx, desk.subject);
    let outcome: Result<(), AppError> = async {
        match action.as_str() {
            "accepteren" => assignments::accept(ctx, subject, id).await.map(drop),
            "afwijzen" => assignments::decline(ctx, subject, id).await.map(drop),
            "afronden" => {
                let worked = CompleteAssignment {
                    hours_worked: hours_of(&form, "hours_worked")?,
                }
                .parse()?;
                assignments::complete(ctx, subject, id, worked).await.map(drop)
            }
            "bevestigen" => assignments::confirm(ctx, subject, id).await.map(drop),
            "niet-bevestigen" => assignments::reject(ctx, subject, id, why(&form)?).await.map(drop),
            "akkoord" | "niet-akkoord" => {
                let agree = action == "akkoord";
                let rating = match form.optional("rating") {
                    None => None,
                    Some(r) => Some(
                        r.parse::<i64>()
                            .map_err(|_| AppError::invalid("rating", "must be between 1 and 5"))?,
                    ),
                };
                let answer = SignOffBody {
                    agree,
                    rating: rating.filter(|_| agree),
                    comment: form.optional("comment").filter(|_| agree),
                    reason: if agree {
                        None
                    } else {
                        Some(form.get("reason").to_owned())
                    },
                }
                .parse()?;
                sign_offs::sign_off(ctx, subject, id, answer).await.map(drop)
            }
            "oplossen" => {
                let (worked, note) = ResolveBody {
                    hours_worked: hours_of(&form, "hours_worked")?,
                    note: form.get("note").to_owned(),
                }
                .parse()?;
                sign_offs::resolve(ctx, subject, id, worked, note).await.map(drop)
            }
            _ => Err(AppError::NotFound),
        }
    }
    .await;
    match outcome {
        Ok(()) => {
            tracing::info!(assignment = id, action = %action, "visit action at the desk");
            Ok(see_other(&format!("/bezoeken/{id}?gedaan={action}#resultaat")))
        }
        Err(AppError::NotFound) => Err(AppError::NotFound.into()),
        Err(e) => {
            let lang = desk.lang();
            let failure = match FieldErrors::from_app(lang, &e) {
                Some(errors) => ActionFailure {
                    action,
                    errors,
                    message: None,
                    values: form.values(),
                },
                None => match e {
                    AppError::Conflict { code, detail } => {
                        tracing::info!(assignment = id, action = %action, %detail, "visit action refused");
                        ActionFailure {
                            action,
                            errors: FieldErrors::default(),
                            message: Some(words::t(lang, super::request_page::conflict_words(code))),
                            values: form.values(),
                        }
                    }
                    other => return Err(other.into()),
                },
            };
            show(&desk, id, StatusCode::UNPROCESSABLE_ENTITY, None, Some(failure)).await
        }
    }
}
