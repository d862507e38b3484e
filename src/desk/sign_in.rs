//! Signing in and out, and the language switch.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use minijinja::context;
use serde::Deserialize;

use crate::api::extract::ClientAddress;
use crate::error::AppError;
use crate::service::{Ctx, desk_sessions};

use super::cookies;
use super::page::{DeskError, FieldErrors, Form, Visitor, local_path};
use super::words;

#[derive(Deserialize)]
pub struct SignInQuery {
    uitgelogd: Option<String>,
    /// The page to open after sign-in.
    terug: Option<String>,
}

pub async fn form(visitor: Visitor, query: web::Query<SignInQuery>) -> Result<HttpResponse, DeskError> {
    let notice = if query.uitgelogd.is_some() {
        "U bent uitgelogd."
    } else {
        "Log in om verder te gaan."
    };
    visitor.bare_page(
        StatusCode::OK,
        "sign_in.html",
        context! {
            notice,
            values => context! { terug => query.terug.as_deref().and_then(local_path) },
            errors => context! {},
        },
    )
}

pub async fn sign_in(
    visitor: Visitor,
    ctx: web::Data<Ctx>,
    client: ClientAddress,
    form: Form,
) -> Result<HttpResponse, DeskError> {
    visitor.check_csrf(&form)?;
    let email = form.get("email").to_owned();
    let password = form.get("password").to_owned();
    let again = |status: StatusCode, failure: Option<&str>, errors: FieldErrors| {
        visitor.bare_page(
            status,
            "sign_in.html",
            context! { failure, values => form.values(), errors => errors.value() },
        )
    };
    let mut empty = FieldErrors::default();
    if email.trim().is_empty() {
        empty.0.push(("email".into(), visitor.t("Vul dit veld in.")));
    }
    if password.is_empty() {
        empty.0.push(("password".into(), visitor.t("Vul dit veld in.")));
    }
    if !empty.0.is_empty() {
        return again(StatusCode::UNPROCESSABLE_ENTITY, None, empty);
    }
    match desk_sessions::open(&ctx, email, password, client.0).await {
        Ok(opened) => {
            tracing::info!(role = %opened.role.as_str(), "signed in to the desk");
            let signed = visitor.keys().sign_session(&opened.token);
            let back = local_path(form.get("terug")).unwrap_or("/").to_owned();
            Ok(HttpResponse::SeeOther()
                .cookie(cookies::session(&visitor.req, signed))
                .insert_header((header::LOCATION, back))
                .finish())
        }
        Err(AppError::Unauthorized(_)) => again(
            StatusCode::UNAUTHORIZED,
            Some("E-mailadres of wachtwoord klopt niet."),
            FieldErrors::default(),
        ),
        Err(AppError::TooManyRequests { retry_after_secs }) => {
            let mut page = again(
                StatusCode::TOO_MANY_REQUESTS,
                Some("Te veel pogingen. Probeer het later opnieuw."),
                FieldErrors::default(),
            )?;
            page.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(retry_after_secs));
            Ok(page)
        }
        Err(e) => match FieldErrors::from_app(visitor.lang, &e) {
            Some(errors) => again(StatusCode::UNPROCESSABLE_ENTITY, None, errors),
            None => Err(e.into()),
        },
    }
}

pub async fn sign_out(visitor: Visitor, ctx: web::Data<Ctx>, form: Form) -> Result<HttpResponse, DeskError> {
    visitor.check_csrf(&form)?;
    if let Some(token) = visitor.session_token() {
        desk_sessions::close(&ctx, &token).await?;
    }
    Ok(HttpResponse::SeeOther()
        .cookie(cookies::session_removed(&visitor.req))
        .insert_header((header::LOCATION, "/inloggen?uitgelogd=1"))
        .finish())
}

/// The language switch, kept in a cookie of the browser and, when signed in, with the
/// user; back to the page it was on.
pub async fn language(visitor: Visitor, ctx: web::Data<Ctx>, form: Form) -> Result<HttpResponse, DeskError> {
    visitor.check_csrf(&form)?;
    let lang = words::language_of(Some(form.get("taal")));
    if let Some(session) = visitor.session(&ctx).await? {
        desk_sessions::choose_language(&ctx, &session, lang).await?;
    }
    // Only a path of ours: never a redirect to another site.
    let back = local_path(form.get("terug")).unwrap_or("/");
    Ok(HttpResponse::SeeOther()
        .cookie(cookies::language(&visitor.req, lang.as_str()))
        .insert_header((header::LOCATION, back.to_owned()))
        .finish())
}
