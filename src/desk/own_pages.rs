//! The first pages of the people the scheme is for: a member's visits, a client's (or
//! their mantelzorger's) requests and vouchers, a coach's queue. Plain words, one thing
//! per block, large targets.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::Duration;
use minijinja::{Value, context};

use crate::domain::assignment::{AssignmentStatus, SignOff};
use crate::domain::dates;
use crate::domain::page::{Direction, PageRequest, Position};
use crate::domain::request::{RequestFilter, RequestStatus};
use crate::domain::schedule::local_date;
use crate::domain::visit::Visit;
use crate::error::AppError;
use crate::service::{assignments, queue, requests, visits};

use super::lookups::Categories;
use super::page::{Desk, DeskError, Me};
use super::visit_page::{status_words, when};
use super::words;

/// How many visits or requests a first page lists.
const SHOWN: i64 = 30;

/// Visits from two weeks back: one done lately may still need its hours.
const LOOK_BACK_DAYS: i64 = 14;

/// The member's *Bezoeken*: what to answer, what waits for the coach, what is coming.
pub async fn member_home(desk: &Desk, me: &Me) -> Result<HttpResponse, DeskError> {
    let member_id = me
        .actor
        .user
        .member_id
        .ok_or_else(|| AppError::internal("a member account without its member"))?;
    let from = desk.ctx.clock.now() - Duration::days(LOOK_BACK_DAYS);
    let page = PageRequest {
        limit: SHOWN,
        position: Some(Position {
            direction: Direction::After,
            key: from,
            id: 0,
        }),
    };
    let schedule = assignments::of_member(&desk.ctx, desk.subject, member_id, page).await?;
    let lang = desk.lang();
    let mut answer = Vec::new();
    let mut coach = Vec::new();
    let mut coming = Vec::new();
    let mut hours_due = Vec::new();
    for a in &schedule.items {
        let list = match a.status {
            AssignmentStatus::Proposed => &mut answer,
            AssignmentStatus::AwaitingConfirmation => &mut coach,
            AssignmentStatus::Accepted if a.slot.start <= desk.ctx.clock.now() => &mut hours_due,
            AssignmentStatus::Accepted => &mut coming,
            _ => continue,
        };
        let view = visits::get(&desk.ctx, desk.subject, a.id).await?;
        let (task, place) = match &view.visit {
            Visit::ForWorker { task, address, .. } => (task.category_name.clone(), address.clone()),
            Visit::ForClient { task, .. } => (task.category_name.clone(), String::new()),
        };
        list.push(context! {
            id => a.id,
            when => when(a.slot.start, a.slot.end, lang),
            task,
            place,
            status => words::t(lang, status_words(a.status)),
        });
    }
    desk.page_for(
        me,
        StatusCode::OK,
        "member_home.html",
        context! { answer, coach, coming, hours_due },
    )
}

/// What a request's state means to the one who asked, in plain words.
fn plain(status: RequestStatus) -> &'static str {
    match status {
        RequestStatus::New | RequestStatus::Routed => "We zoeken iemand voor u.",
        RequestStatus::Scheduled => "Er komt iemand.",
        RequestStatus::Completed => "Gedaan.",
        RequestStatus::Referred => "Een andere organisatie helpt u.",
        RequestStatus::Unmatched => "We zoeken nog. Een adviseur belt u.",
        RequestStatus::Cancelled => "Gestopt.",
    }
}

/// The client's *Mijn hulpvragen*: each request in plain words; a visit whose hours
/// wait for their word comes first.
pub async fn client_home(desk: &Desk, me: &Me) -> Result<HttpResponse, DeskError> {
    let client_id = me
        .actor
        .user
        .client_id
        .ok_or_else(|| AppError::internal("a client account without its client"))?;
    let filter = RequestFilter {
        status: None,
        municipality_id: None,
        tier: None,
        client_id: Some(client_id),
    };
    let page = PageRequest {
        limit: SHOWN,
        position: None,
    };
    let asked = requests::list(&desk.ctx, desk.subject, filter, page).await?;
    let categories = Categories::load(desk).await?;
    let lang = desk.lang();
    let mut to_sign = Vec::new();
    let mut rows = Vec::new();
    for r in asked.items.iter().rev() {
        let detail = requests::get(&desk.ctx, desk.subject, r.id).await?;
        let visit = detail
            .assignment
            .as_ref()
            .filter(|a| matches!(a.status, AssignmentStatus::Accepted | AssignmentStatus::Completed));
        let row = context! {
            id => r.id,
            category => categories.name(&r.category),
            state => words::t(lang, plain(r.status)),
            visit_id => visit.map(|a| a.id),
            when => visit.map(|a| when(a.slot.start, a.slot.end, lang)),
            provider => detail.referral.as_ref().map(|rf| rf.provider_name.clone()),
            asked_on => dates::date(local_date(r.created_at), lang),
        };
        if visit.is_some_and(|a| a.sign_off == Some(SignOff::Pending)) {
            to_sign.push(row.clone());
        }
        rows.push(row);
    }
    let asked_now = desk.visitor.req.query_string().contains("gevraagd=1");
    desk.page_for(
        me,
        StatusCode::OK,
        "client_home.html",
        context! { to_sign, rows, asked_now },
    )
}

/// The coach's *Wachtrij*: accepts of their jobseekers to confirm, and requests the
/// learning-work company could take.
pub async fn coach_home(desk: &Desk, me: &Me) -> Result<HttpResponse, DeskError> {
    let waiting = queue::of_coach(&desk.ctx, desk.subject).await?;
    let categories = Categories::load(desk).await?;
    let lang = desk.lang();
    let confirm: Vec<Value> = waiting
        .to_confirm
        .iter()
        .map(|c| {
            context! {
                id => c.assignment_id,
                member => c.member_name,
                client => c.client_name,
                category => categories.name(&c.category),
                at => dates::date_time(c.starts_at, lang),
            }
        })
        .collect();
    let propose: Vec<Value> = waiting
        .to_propose
        .iter()
        .map(|w| {
            context! {
                id => w.request_id,
                category => categories.name(&w.category),
                at => dates::date_time(w.at, lang),
            }
        })
        .collect();
    desk.page_for(me, StatusCode::OK, "coach_home.html", context! { confirm, propose })
}
