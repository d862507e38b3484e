//! Clients: search, view (with their requests), edit.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use minijinja::{Value, context};
use serde::Deserialize;

use crate::domain::dates;
use crate::domain::page::PageRequest;
use crate::domain::request::RequestFilter;
use crate::service::{clients, requests};

use super::client_form;
use super::intake::{Found, see_other};
use super::lookups::Categories;
use super::page::{Desk, DeskError, FieldErrors, Form};
use super::request_page::status_name;
use super::words;

#[derive(Deserialize)]
pub struct SearchQuery {
    zoek: Option<String>,
}

pub async fn search(desk: Desk, query: web::Query<SearchQuery>) -> Result<HttpResponse, DeskError> {
    let text = query.zoek.as_deref().map(str::trim).unwrap_or("").to_owned();
    let found: Option<Vec<Found>> = if text.is_empty() {
        None
    } else {
        Some(
            clients::search(&desk.ctx, desk.subject, text.clone())
                .await?
                .iter()
                .map(Found::from)
                .collect(),
        )
    };
    desk.page("clients.html", context! { search => text, found }).await
}

#[derive(Deserialize)]
pub struct ClientQuery {
    bewaard: Option<String>,
}

pub async fn view(desk: Desk, id: web::Path<i64>, query: web::Query<ClientQuery>) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let client = clients::get(&desk.ctx, desk.subject, id).await?;
    let filter = RequestFilter {
        status: None,
        municipality_id: None,
        tier: None,
        client_id: Some(id),
    };
    let page = PageRequest {
        limit: 50,
        position: None,
    };
    let asked = requests::list(&desk.ctx, desk.subject, filter, page).await?.items;
    let categories = Categories::load(&desk).await?;
    let lang = desk.lang();
    let rows: Vec<Value> = asked
        .iter()
        .map(|r| {
            context! {
                id => r.id,
                category => categories.name(&r.category),
                status => words::t(lang, status_name(r.status)),
                at => dates::date_time(r.created_at, lang),
            }
        })
        .collect();
    let f = &client.fields;
    desk.page(
        "client.html",
        context! {
            editing => false,
            saved => query.bewaard.is_some(),
            id,
            name => f.name,
            address => f.address_line(),
            phone => f.phone,
            email => f.email.as_ref().map(|e| e.as_str().to_owned()),
            representative => f.representative.as_ref().map(|r| format!("{} ({})", r.name, r.relation)),
            representative_contact => f.representative.as_ref().map(|r| {
                [r.phone.clone(), r.email.as_ref().map(|e| e.as_str().to_owned())]
                    .into_iter().flatten().collect::<Vec<_>>().join(", ")
            }),
            requests => rows,
            values => client_form::values_of(&client),
            errors => FieldErrors::default().value(),
        },
    )
    .await
}

pub async fn edit(desk: Desk, id: web::Path<i64>) -> Result<HttpResponse, DeskError> {
    let id = id.into_inner();
    let client = clients::get(&desk.ctx, desk.subject, id).await?;
    desk.page(
        "client.html",
        context! {
            editing => true,
            id,
            name => client.fields.name,
            values => client_form::values_of(&client),
            errors => FieldErrors::default().value(),
            summary => Vec::<(String, String)>::new(),
        },
    )
    .await
}

pub async fn save(desk: Desk, id: web::Path<i64>, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let id = id.into_inner();
    let outcome = match client_form::to_update(&form).parse() {
        Ok(patch) => clients::update(&desk.ctx, desk.subject, id, patch).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/clienten/{id}?bewaard=1"))),
        Err(e) => {
            let errors = FieldErrors::of(desk.lang(), e)?;
            let me = desk.me().await?;
            desk.page_for(
                &me,
                StatusCode::UNPROCESSABLE_ENTITY,
                "client.html",
                context! {
                    editing => true,
                    id,
                    name => form.get("name"),
                    values => form.values(),
                    errors => errors.value(),
                },
            )
        }
    }
}
