//! The admin's accounts: who may sign in, in which role and for which municipalities;
//! an account is made, deactivated (its sessions end) or given a new password.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use minijinja::{Value, context};
use serde::Deserialize;

use crate::api::users::{CreateUser, UpdateUser};
use crate::domain::page::PageRequest;
use crate::domain::user::{User, UserFilter};
use crate::domain::{Role, dates};
use crate::error::AppError;
use crate::service::users;

use super::intake::see_other;
use super::page::{Desk, DeskError, FieldErrors, Form, Me};
use super::provider_form::ids;

const LIMIT: i64 = 100;

const ROLES: [(Role, &str); 6] = [
    (Role::Advisor, "Adviseur"),
    (Role::Coordinator, "Coördinator"),
    (Role::Coach, "Re-integratiecoach"),
    (Role::Member, "Lid (vrijwilliger of werkzoekende)"),
    (Role::Client, "Cliënt of mantelzorger"),
    (Role::Admin, "Beheerder"),
];

fn role_name(role: Role) -> &'static str {
    ROLES.iter().find(|(r, _)| *r == role).map(|(_, n)| *n).unwrap_or("")
}

fn role_choices(desk: &Desk, with_all: bool) -> Vec<Value> {
    let all = with_all.then(|| context! { value => "", label => desk.t("Alle rollen") });
    all.into_iter()
        .chain(
            ROLES
                .iter()
                .map(|(role, name)| context! { value => role.as_str(), label => desk.t(name) }),
        )
        .collect()
}

fn shown(desk: &Desk, me: &Me, user: &User) -> Value {
    let towns: Vec<&str> = me
        .municipalities
        .iter()
        .filter(|(id, _)| user.municipality_ids.contains(id))
        .map(|(_, name)| name.as_str())
        .collect();
    context! {
        id => user.id,
        email => user.email.as_str(),
        role => desk.t(role_name(user.role)),
        active => user.active,
        towns => if user.role == Role::Admin { desk.t("Alle gemeenten") } else { towns.join(", ") },
        client_id => user.client_id,
        member_id => user.member_id,
        since => dates::date_time(user.created_at, desk.lang()),
        own => user.id == me.actor.id(),
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    rol: Option<String>,
    /// `ja`, `nee` or all.
    actief: Option<String>,
}

pub async fn list(desk: Desk, query: web::Query<ListQuery>) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let role = query.rol.as_deref().and_then(|r| r.parse::<Role>().ok());
    let active = match query.actief.as_deref() {
        Some("ja") => Some(true),
        Some("nee") => Some(false),
        _ => None,
    };
    let filter = UserFilter {
        role,
        municipality_id: None,
        active,
    };
    let page = PageRequest {
        limit: LIMIT,
        position: None,
    };
    let found = users::list(&desk.ctx, desk.subject, filter, page).await?;
    let rows: Vec<Value> = found.items.iter().map(|u| shown(&desk, &me, u)).collect();
    let activity = vec![
        context! { value => "", label => desk.t("Actief en niet actief") },
        context! { value => "ja", label => desk.t("Actief") },
        context! { value => "nee", label => desk.t("Niet actief") },
    ];
    desk.page_for(
        &me,
        StatusCode::OK,
        "users.html",
        context! {
            rows,
            more => found.next.is_some(),
            roles => role_choices(&desk, true),
            activity,
            values => context! {
                rol => role.map(|r| r.as_str()).unwrap_or(""),
                actief => query.actief.as_deref().unwrap_or(""),
            },
            errors => FieldErrors::default().value(),
        },
    )
}

async fn form_page(
    desk: &Desk,
    me: &Me,
    status: StatusCode,
    values: Value,
    errors: FieldErrors,
) -> Result<HttpResponse, DeskError> {
    desk.page_for(
        me,
        status,
        "user_form.html",
        context! {
            roles => role_choices(desk, false),
            municipalities => me.municipality_choices(),
            values,
            errors => errors.value(),
        },
    )
}

pub async fn new(desk: Desk) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let values = context! { role => Role::Advisor.as_str() };
    form_page(&desk, &me, StatusCode::OK, values, FieldErrors::default()).await
}

/// A number field: empty is none; anything else must be a number.
fn record_id(form: &Form, name: &str) -> Result<Option<i64>, AppError> {
    form.optional(name)
        .map(|v| {
            v.parse::<i64>()
                .map_err(|_| AppError::invalid(name, "must be a number"))
        })
        .transpose()
}

fn to_create(form: &Form) -> Result<CreateUser, AppError> {
    Ok(CreateUser {
        email: form.get("email").trim().to_owned(),
        password: form.get("password").to_owned(),
        role: form
            .get("role")
            .parse()
            .map_err(|_| AppError::invalid("role", "must be one of the roles"))?,
        municipality_ids: ids(form, "municipality_ids"),
        client_id: record_id(form, "client_id")?,
        member_id: record_id(form, "member_id")?,
    })
}

pub async fn create(desk: Desk, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let outcome = match to_create(&form).and_then(|body| body.parse()) {
        Ok((fields, password)) => users::create(&desk.ctx, desk.subject, fields, password).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(user) => {
            tracing::info!(user = user.id, role = %user.role, "account made at the desk");
            Ok(see_other(&format!("/gebruikers/{}?gedaan=gemaakt", user.id)))
        }
        Err(e) => {
            let errors = FieldErrors::of(desk.lang(), e)?;
            let me = desk.me().await?;
            form_page(&desk, &me, StatusCode::UNPROCESSABLE_ENTITY, form.values(), errors).await
        }
    }
}

#[derive(Deserialize)]
pub struct UserQuery {
    gedaan: Option<String>,
}

fn done_words(done: &str) -> Option<&'static str> {
    match done {
        "gemaakt" => Some("Het account is gemaakt."),
        "gedeactiveerd" => Some("Het account is gedeactiveerd. Wie ermee was ingelogd, is uitgelogd."),
        "geactiveerd" => Some("Het account is weer actief."),
        "wachtwoord" => Some("Het nieuwe wachtwoord is bewaard. Wie ermee was ingelogd, is uitgelogd."),
        _ => None,
    }
}

async fn show(
    desk: &Desk,
    id: i64,
    status: StatusCode,
    notice: Option<&str>,
    errors: FieldErrors,
) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let user = users::get(&desk.ctx, desk.subject, id).await?;
    desk.page_for(
        &me,
        status,
        "user.html",
        context! {
            user => shown(desk, &me, &user),
            notice => notice.map(|n| desk.t(n)),
            values => context! {},
            errors => errors.value(),
        },
    )
}

pub async fn view(desk: Desk, id: web::Path<i64>, query: web::Query<UserQuery>) -> Result<HttpResponse, DeskError> {
    let notice = query.gedaan.as_deref().and_then(done_words);
    show(&desk, id.into_inner(), StatusCode::OK, notice, FieldErrors::default()).await
}

/// `deactiveren`, `activeren` or `wachtwoord`.
pub async fn act(desk: Desk, path: web::Path<(i64, String)>, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let (id, action) = path.into_inner();
    let (body, done) = match action.as_str() {
        "deactiveren" => (
            UpdateUser {
                active: Some(false),
                ..UpdateUser::default()
            },
            "gedeactiveerd",
        ),
        "activeren" => (
            UpdateUser {
                active: Some(true),
                ..UpdateUser::default()
            },
            "geactiveerd",
        ),
        "wachtwoord" => (
            UpdateUser {
                password: Some(form.get("password").to_owned()),
                ..UpdateUser::default()
            },
            "wachtwoord",
        ),
        _ => return Err(AppError::NotFound.into()),
    };
    let outcome = match body.parse() {
        Ok(patch) => users::update(&desk.ctx, desk.subject, id, patch).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(user) => {
            tracing::info!(user = user.id, action = %action, "account changed at the desk");
            Ok(see_other(&format!("/gebruikers/{id}?gedaan={done}")))
        }
        Err(e) => {
            let errors = FieldErrors::of(desk.lang(), e)?;
            show(&desk, id, StatusCode::UNPROCESSABLE_ENTITY, None, errors).await
        }
    }
}
