//! The coach's *Werkzoekenden*: each jobseeker's week against their cap, what comes
//! next, what they can and learn; and one jobseeker's progress month by month, what
//! clients said, with their availability and learning goals to change.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use minijinja::{Value, context};
use serde::Deserialize;

use crate::api::members::{SlotDto, UpdateMember};
use crate::domain::Role;
use crate::domain::availability::WeeklyAvailability;
use crate::domain::dates;
use crate::domain::member::{Member, MemberKind, MemberStatus, Outflow};
use crate::error::AppError;
use crate::service::{caseload, members};

use super::intake::see_other;
use super::lookups::Categories;
use super::page::{Desk, DeskError, FieldErrors, Form, Me};
use super::visit_page::{status_words, when};
use super::words::{self, Language};

/// Empty rows the availability form offers for new slots.
const NEW_ROWS: usize = 2;

fn status_word(status: MemberStatus) -> &'static str {
    match status {
        MemberStatus::Active => "Actief",
        MemberStatus::Paused => "Gepauzeerd",
        MemberStatus::Left => "Uitgestroomd",
    }
}

fn outflow_word(outflow: Outflow) -> &'static str {
    match outflow {
        Outflow::PaidWork => "betaald werk",
        Outflow::Education => "een opleiding",
        Outflow::VolunteerWork => "vrijwilligerswerk",
        Outflow::Other => "iets anders",
    }
}

/// "Actief", or "Uitgestroomd naar betaald werk op 1 december 2026".
fn standing(member: &Member, lang: Language) -> String {
    let f = &member.fields;
    let mut text = words::t(lang, status_word(f.status));
    if let Some(outflow) = f.outflow {
        text.push_str(&format!(
            " {} {}",
            words::t(lang, "naar"),
            words::t(lang, outflow_word(outflow))
        ));
    }
    if let Some(day) = f.outflow_date {
        text.push_str(&format!(" {} {}", words::t(lang, "op"), dates::date(day, lang)));
    }
    text
}

fn names(categories: &Categories, codes: &[String]) -> String {
    codes.iter().map(|c| categories.name(c)).collect::<Vec<_>>().join(", ")
}

pub async fn list(desk: Desk) -> Result<HttpResponse, DeskError> {
    let entries = caseload::of_coach(&desk.ctx, desk.subject).await?;
    let categories = Categories::load(&desk).await?;
    let lang = desk.lang();
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            let f = &e.member.fields;
            let next: Vec<Value> = e
                .next_visits
                .iter()
                .map(|(a, category)| {
                    context! {
                        id => a.id,
                        task => categories.name(category),
                        when => when(a.slot.start, a.slot.end, lang),
                        status => words::t(lang, status_words(a.status)),
                    }
                })
                .collect();
            context! {
                id => e.member.id,
                name => f.name,
                standing => standing(&e.member, lang),
                active => f.status == MemberStatus::Active,
                week => e.week_hours.written_in(lang),
                cap => f.weekly_hour_cap.written_in(lang),
                over_cap => e.week_hours > f.weekly_hour_cap,
                next,
                skills => names(&categories, &f.skills),
                goals => names(&categories, &f.learning_goals),
            }
        })
        .collect();
    desk.page("caseload.html", context! { rows }).await
}

/// The availability form's rows: the member's slots, then empty ones for new slots.
fn slot_rows(availability: &WeeklyAvailability) -> Vec<Value> {
    let mut rows: Vec<Value> = availability
        .slots()
        .iter()
        .map(|s| {
            context! {
                weekday => s.weekday.to_string(),
                start => s.start.format("%H:%M").to_string(),
                end => s.end.format("%H:%M").to_string(),
            }
        })
        .collect();
    rows.extend((0..NEW_ROWS).map(|_| context! { weekday => "", start => "", end => "" }));
    rows
}

/// A failed save: which form, its rows or goals as sent, and what was wrong.
struct Failure {
    action: &'static str,
    errors: FieldErrors,
    rows: Vec<Value>,
    /// The first row (from 1) with an error of its own: the summary's link leads there.
    first_bad_row: Option<usize>,
    goals: Vec<String>,
}

async fn progress_page(
    desk: &Desk,
    me: &Me,
    status: StatusCode,
    id: i64,
    saved: Option<&str>,
    failure: Option<Failure>,
) -> Result<HttpResponse, DeskError> {
    let found = caseload::progress(&desk.ctx, desk.subject, id).await?;
    let categories = Categories::load(desk).await?;
    let lang = desk.lang();
    let member = &found.member;
    let f = &member.fields;
    let months: Vec<Value> = found
        .progress
        .months
        .iter()
        .map(|m| {
            context! {
                name => dates::month_and_year(m.month.year, m.month.month, lang),
                hours => m.hours.written_in(lang),
                visits => m.visits,
                no_shows => m.no_shows,
            }
        })
        .collect();
    let p = &found.progress;
    let totals = context! {
        hours => p.hours().written_in(lang),
        completed => p.completed,
        no_shows => p.no_shows,
        declined => p.declined,
        rejected => p.rejected,
        cancelled => p.cancelled,
    };
    let feedback = &found.feedback;
    let comments: Vec<Value> = feedback
        .latest_comments
        .iter()
        .map(|r| {
            context! {
                id => r.assignment_id,
                rating => r.rating,
                comment => r.comment,
                on => dates::date(crate::domain::schedule::local_date(r.at), lang),
            }
        })
        .collect();
    let average = feedback.average.map(|a| match lang {
        Language::Nl => format!("{a:.1}").replace('.', ","),
        Language::En => format!("{a:.1}"),
    });
    let availability: Vec<String> = f
        .availability
        .slots()
        .iter()
        .map(|s| {
            format!(
                "{} {} {} {}",
                dates::weekday_name(s.weekday, lang),
                s.start.format("%H:%M"),
                words::t(lang, "tot"),
                s.end.format("%H:%M")
            )
        })
        .collect();
    let weekdays: Vec<Value> = std::iter::once(context! { value => "", label => words::t(lang, "Geen") })
        .chain((1..=7u8).map(|d| context! { value => d.to_string(), label => dates::weekday_name(d, lang) }))
        .collect();
    let may_edit = matches!(me.actor.role(), Role::Coach | Role::Coordinator);
    let (failed, errors, rows, first_bad_row, goals) = match failure {
        Some(fail) => (fail.action, fail.errors, fail.rows, fail.first_bad_row, fail.goals),
        None => (
            "",
            FieldErrors::default(),
            slot_rows(&f.availability),
            None,
            f.learning_goals.clone(),
        ),
    };
    let notice = saved.map(|what| match what {
        "leerdoelen" => words::t(lang, "Leerdoelen bewaard."),
        _ => words::t(lang, "Beschikbaarheid bewaard."),
    });
    desk.page_for(
        me,
        status,
        "progress.html",
        context! {
            id,
            name => f.name,
            jobseeker => f.kind == MemberKind::Jobseeker,
            standing => standing(member, lang),
            cap => f.weekly_hour_cap.written_in(lang),
            skills => names(&categories, &f.skills),
            goal_names => names(&categories, &f.learning_goals),
            availability,
            months,
            totals,
            ratings => feedback.ratings,
            average,
            comments,
            may_edit,
            weekdays,
            rows,
            first_bad_row,
            goal_choices => categories.choices(),
            values => context! { learning_goals => goals },
            failed,
            errors => errors.value(),
            notice,
        },
    )
}

#[derive(Deserialize)]
pub struct SavedQuery {
    bewaard: Option<String>,
}

pub async fn view(desk: Desk, id: web::Path<i64>, query: web::Query<SavedQuery>) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    progress_page(
        &desk,
        &me,
        StatusCode::OK,
        id.into_inner(),
        query.bewaard.as_deref(),
        None,
    )
    .await
}

/// One row of the availability form as sent: day, from, until.
type SlotRow = (String, String, String);

/// The availability rows as sent, and the slots of those filled in with the row each
/// came from (an error of `availability[i]` belongs beside row `kept[i]`).
struct SentSlots {
    rows: Vec<SlotRow>,
    slots: Vec<SlotDto>,
    kept: Vec<usize>,
}

fn sent_slots(form: &Form) -> SentSlots {
    let rows: Vec<SlotRow> = form
        .all("weekday")
        .into_iter()
        .zip(form.all("start"))
        .zip(form.all("end"))
        .map(|((d, s), e)| (d.trim().to_owned(), s.trim().to_owned(), e.trim().to_owned()))
        .collect();
    let mut slots = Vec::new();
    let mut kept = Vec::new();
    for (i, (day, start, end)) in rows.iter().enumerate() {
        if day.is_empty() && start.is_empty() && end.is_empty() {
            continue;
        }
        slots.push(SlotDto {
            // No day chosen reads as 0, which the parse names: choose a day.
            weekday: day.parse().unwrap_or(0),
            start: start.clone(),
            end: end.clone(),
        });
        kept.push(i);
    }
    SentSlots { rows, slots, kept }
}

/// The rows as the form shows them again, each with its own error, and the first row
/// (from 1) that has one.
fn rows_with_errors(lang: Language, rows: &[SlotRow], kept: &[usize], error: &AppError) -> (Vec<Value>, Option<usize>) {
    let mut messages: Vec<Vec<String>> = vec![Vec::new(); rows.len()];
    if let AppError::Validation(list) = error {
        for e in list {
            let index = e
                .field
                .strip_prefix("availability[")
                .and_then(|rest| rest.split(']').next())
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| kept.get(i).copied());
            if let Some(row) = index {
                messages[row].push(words::dutch_message(lang, &e.message));
            }
        }
    }
    let first_bad_row = messages.iter().position(|m| !m.is_empty()).map(|i| i + 1);
    let shown = rows
        .iter()
        .zip(messages)
        .map(|((weekday, start, end), m)| {
            context! { weekday, start, end, error => (!m.is_empty()).then(|| m.join(" ")) }
        })
        .collect();
    (shown, first_bad_row)
}

pub async fn act(desk: Desk, path: web::Path<(i64, String)>, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let (id, action) = path.into_inner();
    let SentSlots { rows, slots, kept } = sent_slots(&form);
    let goals: Vec<String> = form.all("learning_goals").into_iter().map(str::to_owned).collect();
    let (action, body) = match action.as_str() {
        "beschikbaarheid" => (
            "beschikbaarheid",
            UpdateMember {
                availability: Some(slots),
                ..UpdateMember::default()
            },
        ),
        "leerdoelen" => (
            "leerdoelen",
            UpdateMember {
                learning_goals: Some(goals.clone()),
                ..UpdateMember::default()
            },
        ),
        _ => return Err(AppError::NotFound.into()),
    };
    let outcome = match body.parse() {
        Ok(patch) => members::update(&desk.ctx, desk.subject, id, patch).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => {
            tracing::info!(member = id, action, "member changed at the desk");
            Ok(see_other(&format!("/werkzoekenden/{id}?bewaard={action}#resultaat")))
        }
        Err(e) => {
            let lang = desk.lang();
            let (shown_rows, first_bad_row) = rows_with_errors(lang, &rows, &kept, &e);
            let mut errors = FieldErrors::of(lang, e)?;
            // A row's error stands beside its row; above the form, a pointer to it.
            if first_bad_row.is_some() {
                for (field, message) in &mut errors.0 {
                    if field == "availability" {
                        *message = words::t(lang, "Controleer de blokken hieronder.");
                    }
                }
            }
            let me = desk.me().await?;
            let failure = Failure {
                action,
                errors,
                rows: shown_rows,
                first_bad_row,
                goals,
            };
            progress_page(&desk, &me, StatusCode::UNPROCESSABLE_ENTITY, id, None, Some(failure)).await
        }
    }
}
