//! The provider register: search, view, register and edit (advisors and coordinators;
//! coaches and admins read).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use minijinja::{Value, context};
use serde::Deserialize;

use crate::domain::Role;
use crate::domain::page::PageRequest;
use crate::domain::provider::{Provider, ProviderFilter, ProviderKind};
use crate::service::providers;

use super::intake::see_other;
use super::lookups::Categories;
use super::page::{Desk, DeskError, FieldErrors, Form, Me};
use super::provider_form::{self, KINDS, kind_name};

/// How many providers one page lists; a register of a few towns is smaller.
const LIMIT: i64 = 100;

#[derive(Deserialize)]
pub struct SearchQuery {
    zoek: Option<String>,
    soort: Option<String>,
}

fn can_write(me: &Me) -> bool {
    matches!(me.actor.role(), Role::Advisor | Role::Coordinator)
}

fn kind_choices(desk: &Desk, with_all: bool) -> Vec<Value> {
    let all = with_all.then(|| context! { value => "", label => desk.t("Alle soorten") });
    all.into_iter()
        .chain(
            KINDS
                .iter()
                .map(|(kind, name)| context! { value => kind.as_str(), label => desk.t(name) }),
        )
        .collect()
}

/// What a provider row and page show of it.
fn shown(desk: &Desk, me: &Me, categories: &Categories, p: &Provider) -> Value {
    let f = &p.fields;
    let towns: Vec<&str> = me
        .municipalities
        .iter()
        .filter(|(id, _)| f.municipality_ids.contains(id))
        .map(|(_, name)| name.as_str())
        .collect();
    let others = f.municipality_ids.len() - towns.len();
    context! {
        id => p.id,
        name => f.name,
        kind => desk.t(kind_name(f.kind)),
        categories => f.categories.iter().map(|c| categories.name(c)).collect::<Vec<_>>().join(", "),
        towns => towns.join(", "),
        other_towns => others,
        email => f.email.as_ref().map(|e| e.as_str().to_owned()),
        phone => f.phone,
        active => f.active,
    }
}

pub async fn search(desk: Desk, query: web::Query<SearchQuery>) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let text = query.zoek.as_deref().map(str::trim).unwrap_or("").to_owned();
    let kind = query.soort.as_deref().and_then(|k| k.parse::<ProviderKind>().ok());
    let filter = ProviderFilter {
        kind,
        municipality_id: None,
        name: Some(text.clone()).filter(|t| !t.is_empty()),
    };
    let page = PageRequest {
        limit: LIMIT,
        position: None,
    };
    let found = providers::list(&desk.ctx, desk.subject, filter, page).await?;
    let categories = Categories::load(&desk).await?;
    let rows: Vec<Value> = found.items.iter().map(|p| shown(&desk, &me, &categories, p)).collect();
    desk.page_for(
        &me,
        StatusCode::OK,
        "providers.html",
        context! {
            search => text,
            rows,
            more => found.next.is_some(),
            kinds => kind_choices(&desk, true),
            values => context! { soort => kind.map(|k| k.as_str()).unwrap_or("") },
            errors => FieldErrors::default().value(),
            can_write => can_write(&me),
        },
    )
}

#[derive(Deserialize)]
pub struct ProviderQuery {
    bewaard: Option<String>,
}

pub async fn view(desk: Desk, id: web::Path<i64>, query: web::Query<ProviderQuery>) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let provider = providers::get(&desk.ctx, desk.subject, id.into_inner()).await?;
    let categories = Categories::load(&desk).await?;
    desk.page_for(
        &me,
        StatusCode::OK,
        "provider.html",
        context! {
            provider => shown(&desk, &me, &categories, &provider),
            saved => query.bewaard.is_some(),
            can_write => can_write(&me),
        },
    )
}

/// The register or edit form, with the choices the user has.
async fn form_page(
    desk: &Desk,
    me: &Me,
    status: StatusCode,
    provider: Option<&Provider>,
    values: Value,
    errors: FieldErrors,
) -> Result<HttpResponse, DeskError> {
    let categories = Categories::load(desk).await?;
    desk.page_for(
        me,
        status,
        "provider_form.html",
        context! {
            id => provider.map(|p| p.id),
            name => provider.map(|p| p.fields.name.clone()),
            kinds => kind_choices(desk, false),
            categories => categories.choices(),
            municipalities => me.municipality_choices(),
            values,
            errors => errors.value(),
        },
    )
}

pub async fn new(desk: Desk) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let mut values = context! { kind => ProviderKind::PrivateProvider.as_str() };
    if let [(only, _)] = me.municipalities.as_slice() {
        values = context! { municipality_ids => vec![only.to_string()], ..values };
    }
    form_page(&desk, &me, StatusCode::OK, None, values, FieldErrors::default()).await
}

pub async fn create(desk: Desk, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let outcome = match provider_form::to_create(&form).and_then(|body| body.parse()) {
        Ok(fields) => providers::create(&desk.ctx, desk.subject, fields).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(p) => {
            tracing::info!(provider = p.id, "provider registered at the desk");
            Ok(see_other(&format!("/aanbieders/{}?bewaard=1", p.id)))
        }
        Err(e) => {
            let errors = FieldErrors::of(desk.lang(), e)?;
            let me = desk.me().await?;
            form_page(
                &desk,
                &me,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                form.values(),
                errors,
            )
            .await
        }
    }
}

pub async fn edit(desk: Desk, id: web::Path<i64>) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let provider = providers::get(&desk.ctx, desk.subject, id.into_inner()).await?;
    let values = provider_form::values_of(&provider);
    form_page(
        &desk,
        &me,
        StatusCode::OK,
        Some(&provider),
        values,
        FieldErrors::default(),
    )
    .await
}

pub async fn save(desk: Desk, id: web::Path<i64>, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let id = id.into_inner();
    let me = desk.me().await?;
    let provider = providers::get(&desk.ctx, desk.subject, id).await?;
    // The towns of others are not on the form; they stay as they are.
    let kept: Vec<i64> = provider
        .fields
        .municipality_ids
        .iter()
        .copied()
        .filter(|m| !me.municipalities.iter().any(|(mine, _)| mine == m))
        .collect();
    let outcome = match provider_form::to_update(&form, &kept).and_then(|body| body.parse()) {
        Ok(patch) => providers::update(&desk.ctx, desk.subject, id, patch).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/aanbieders/{id}?bewaard=1"))),
        Err(e) => {
            let errors = FieldErrors::of(desk.lang(), e)?;
            form_page(
                &desk,
                &me,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&provider),
                form.values(),
                errors,
            )
            .await
        }
    }
}
