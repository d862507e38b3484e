//! The first page of every role: *Wachtrij*, what waits for them.

use actix_web::HttpResponse;
use actix_web::web;
use minijinja::context;
use serde::{Deserialize, Serialize};

use crate::domain::Role;
use crate::domain::dates;
use crate::domain::mail::MailStatus;
use crate::domain::page::PageRequest;
use crate::service::{outbox, queue};
use crate::store::queue::{LIMIT, Waiting};

use super::lookups::Categories;
use super::own_pages;
use super::page::{Desk, DeskError};

#[derive(Deserialize)]
pub struct QueueQuery {
    /// One kind of wait, or all.
    toon: Option<String>,
    /// One municipality of the caller's, or all of them.
    gemeente: Option<String>,
}

#[derive(Serialize)]
struct Row {
    request_id: i64,
    client: String,
    category: String,
    at: String,
    detail: Option<String>,
    overdue: bool,
}

#[derive(Serialize)]
struct Section {
    key: &'static str,
    title: &'static str,
    /// What the time column means for this kind.
    at_label: &'static str,
    count: usize,
    more: bool,
    rows: Vec<Row>,
}

pub async fn home(desk: Desk, query: web::Query<QueueQuery>) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    match me.actor.role() {
        Role::Member => return own_pages::member_home(&desk, &me).await,
        Role::Client => return own_pages::client_home(&desk, &me).await,
        Role::Coach => return own_pages::coach_home(&desk, &me).await,
        Role::Advisor | Role::Coordinator | Role::Admin => {}
    }
    let municipality = query
        .gemeente
        .as_deref()
        .and_then(|g| g.parse::<i64>().ok())
        .filter(|id| me.municipalities.iter().any(|(m, _)| m == id));
    let waiting = queue::of_advisor(&desk.ctx, desk.subject, municipality).await?;
    let categories = Categories::load(&desk).await?;
    let lang = desk.lang();
    let now = desk.ctx.clock.now();
    let section = |key, title, at_label, items: Vec<Waiting>| {
        let count = items.len();
        Section {
            key,
            title,
            at_label,
            count,
            more: count as i64 >= LIMIT,
            rows: items
                .into_iter()
                .map(|w| Row {
                    request_id: w.request_id,
                    client: w.client_name,
                    category: categories.name(&w.category),
                    at: dates::date_time(w.at, lang),
                    overdue: key == "verwijzingen" && w.at <= now,
                    detail: w.detail,
                })
                .collect(),
        }
    };
    let mut sections = Vec::new();
    if me.actor.role() == Role::Coordinator {
        sections.push(section(
            "overlap",
            "Overlap met een lokale organisatie",
            "Ontvangen",
            waiting.kept_from_woonservice,
        ));
    }
    sections.extend([
        section("nieuw", "Nieuw", "Ontvangen", waiting.new),
        section("niet-gematcht", "Niet gematcht", "Ontvangen", waiting.unmatched),
        section(
            "verwijzingen",
            "Doorverwezen, wacht op antwoord",
            "Aanbieder moet antwoorden voor",
            waiting.referrals,
        ),
        section("bezwaren", "Bezwaar tegen uren", "Ontvangen", waiting.disputes),
        section("nazorg", "Nazorg te doen", "Ontvangen", waiting.follow_ups),
    ]);
    let undelivered = if me.actor.role() == Role::Admin {
        let page = PageRequest {
            limit: LIMIT,
            position: None,
        };
        let dead = outbox::list(&desk.ctx, desk.subject, Some(MailStatus::Dead), page).await?;
        Some(format!(
            "{}{}",
            dead.items.len(),
            if dead.next.is_some() { "+" } else { "" }
        ))
    } else {
        None
    };
    let shown = query
        .toon
        .as_deref()
        .filter(|t| sections.iter().any(|s| s.key == *t))
        .unwrap_or("alles")
        .to_owned();
    let municipalities = me.municipality_choices();
    desk.page_for(
        &me,
        actix_web::http::StatusCode::OK,
        "queue.html",
        context! {
            sections,
            shown,
            municipalities,
            municipality => municipality.map(|m| m.to_string()).unwrap_or_default(),
            undelivered,
        },
    )
}
