//! What every desk page shares: who is looking (signed in or not, in which language,
//! with which CSRF secret), the frame around the page, and the answer to an error.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, web};
use minijinja::{Value, context};
use serde::Serialize;

use crate::domain::{Role, Violations};
use crate::error::{AppError, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::Actor;
use crate::service::tokens::Subject;
use crate::service::{desk_sessions, users};

use super::cookies::{self, DeskKeys};
use super::templates;
use super::words::{self, Language};

/// Anyone who opens a page: their language and their browser's CSRF secret.
pub struct Visitor {
    pub req: HttpRequest,
    pub lang: Language,
    csrf_secret: String,
    /// Set when the browser had no secret yet: the answer hands it out.
    new_secret: bool,
}

impl Visitor {
    fn of(req: &HttpRequest) -> Visitor {
        let lang = words::language_of(req.cookie(cookies::LANGUAGE).as_ref().map(|c| c.value()));
        let existing = req
            .cookie(cookies::CSRF)
            .map(|c| c.value().to_owned())
            .filter(|v| !v.is_empty() && v.len() <= 64);
        Visitor {
            req: req.clone(),
            lang,
            new_secret: existing.is_none(),
            csrf_secret: existing.unwrap_or_else(cookies::new_secret),
        }
    }

    /// The token of the browser's session cookie, if its signature holds.
    pub fn session_token(&self) -> Option<String> {
        self.req
            .cookie(cookies::SESSION)
            .and_then(|c| self.keys().session_token(c.value()).map(str::to_owned))
    }

    /// The browser's live session, if it has one.
    pub async fn session(&self, ctx: &Ctx) -> Result<Option<desk_sessions::Session>, DeskError> {
        match self.session_token() {
            Some(token) => Ok(desk_sessions::of_token(ctx, &token).await?),
            None => Ok(None),
        }
    }

    pub fn keys(&self) -> &DeskKeys {
        self.req
            .app_data::<web::Data<DeskKeys>>()
            .expect("the desk's keys are app data")
    }

    pub fn csrf_token(&self) -> String {
        self.keys().csrf_token(&self.csrf_secret)
    }

    /// A form's CSRF token holds only with the secret the browser already had: a post
    /// from another site carries neither (`SameSite=Strict`), nor can it know the token.
    pub fn check_csrf(&self, form: &Form) -> Result<(), DeskError> {
        let sent = form.get("csrf");
        if self.new_secret || !self.keys().csrf_holds(&self.csrf_secret, sent) {
            tracing::warn!(path = %self.req.path(), "form without a valid CSRF token refused");
            return Err(DeskError::Csrf);
        }
        Ok(())
    }

    pub fn t(&self, dutch: &str) -> String {
        words::t(self.lang, dutch)
    }

    /// An HTML answer, handing out the CSRF secret when the browser had none.
    pub fn html(&self, status: StatusCode, body: String) -> HttpResponse {
        let mut response = HttpResponse::build(status);
        response.content_type(ContentType::html());
        response.insert_header((header::CACHE_CONTROL, "no-store"));
        if self.new_secret {
            response.cookie(cookies::csrf(&self.req, self.csrf_secret.clone()));
        }
        response.body(body)
    }

    /// A page outside the signed-in frame (sign-in, errors before sign-in).
    pub fn bare_page(&self, status: StatusCode, template: &str, data: Value) -> Result<HttpResponse, DeskError> {
        let frame = context! {
            lang => self.lang.as_str(),
            csrf => self.csrf_token(),
            path => self.req.path(),
            signed_in => false,
        };
        let body = templates::render(template, context! { ..data, ..frame })?;
        Ok(self.html(status, body))
    }
}

impl FromRequest for Visitor {
    type Error = DeskError;
    type Future = std::future::Ready<Result<Visitor, DeskError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(Visitor::of(req)))
    }
}

/// A signed-in user of the desk. Taking it as a parameter makes a page require a
/// live session; without one the browser is sent to the sign-in form.
pub struct Desk {
    pub visitor: Visitor,
    pub subject: Subject,
    pub ctx: web::Data<Ctx>,
}

impl FromRequest for Desk {
    type Error = DeskError;
    type Future = Pin<Box<dyn Future<Output = Result<Desk, DeskError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let mut visitor = Visitor::of(&req);
            let ctx = req
                .app_data::<web::Data<Ctx>>()
                .cloned()
                .ok_or_else(|| DeskError::App(AppError::internal("Ctx is not registered as app data")))?;
            // After sign-in, back to the page asked for (a link in a mail); a form
            // posted without a session is not sent again.
            let back = (req.method() == actix_web::http::Method::GET)
                .then(|| req.uri().path_and_query().map(|p| p.as_str().to_owned()))
                .flatten();
            let session = visitor.session(&ctx).await?.ok_or(DeskError::SignIn(back))?;
            // The language the user chose goes with them from browser to browser.
            if let Some(lang) = session.language {
                visitor.lang = lang;
            }
            Ok(Desk {
                visitor,
                subject: session.subject,
                ctx,
            })
        })
    }
}

/// The frame's facts about the user: their account and municipalities.
pub struct Me {
    pub actor: Actor,
    pub municipalities: Vec<(i64, String)>,
}

impl Me {
    /// The client a client account is (or represents); other accounts have none here.
    pub fn own_client(&self) -> Result<i64, DeskError> {
        self.actor.user.client_id.ok_or(DeskError::App(AppError::Forbidden))
    }

    /// The user's municipalities as the options of a select.
    pub fn municipality_choices(&self) -> Vec<Value> {
        self.municipalities
            .iter()
            .map(|(id, name)| context! { value => id.to_string(), label => name })
            .collect()
    }
}

impl Desk {
    pub fn t(&self, dutch: &str) -> String {
        self.visitor.t(dutch)
    }

    pub fn lang(&self) -> Language {
        self.visitor.lang
    }

    pub fn check_csrf(&self, form: &Form) -> Result<(), DeskError> {
        self.visitor.check_csrf(form)
    }

    pub async fn me(&self) -> Result<Me, DeskError> {
        let (actor, municipalities) = users::me_and_municipalities(&self.ctx, self.subject).await?;
        Ok(Me { actor, municipalities })
    }

    /// A page in the signed-in frame: the header with the municipality, the menu of
    /// the role, the user and log-out.
    pub async fn page(&self, template: &str, data: Value) -> Result<HttpResponse, DeskError> {
        let me = self.me().await?;
        self.page_for(&me, StatusCode::OK, template, data)
    }

    pub fn page_for(
        &self,
        me: &Me,
        status: StatusCode,
        template: &str,
        data: Value,
    ) -> Result<HttpResponse, DeskError> {
        let names: Vec<&str> = me.municipalities.iter().map(|(_, name)| name.as_str()).collect();
        let place = if me.actor.role() == Role::Admin {
            self.t("Alle gemeenten")
        } else {
            names.join(", ")
        };
        let frame = context! {
            lang => self.lang().as_str(),
            csrf => self.visitor.csrf_token(),
            path => self.visitor.req.path(),
            signed_in => true,
            user_email => me.actor.user.email.as_str(),
            role => me.actor.role().as_str(),
            place => place,
            menu => menu(me.actor.role()),
        };
        let body = templates::render(template, context! { ..data, ..frame })?;
        Ok(self.visitor.html(status, body))
    }
}

#[derive(Serialize)]
struct MenuItem {
    href: &'static str,
    label: &'static str,
}

/// The menu of a role, in the order of their day.
fn menu(role: Role) -> Vec<MenuItem> {
    let item = |href, label| MenuItem { href, label };
    match role {
        Role::Advisor => vec![
            item("/", "Wachtrij"),
            item("/hulpvragen/nieuw", "Nieuwe hulpvraag"),
            item("/clienten", "Cliënten"),
            item("/aanbieders", "Aanbieders"),
        ],
        Role::Coordinator => vec![
            item("/", "Wachtrij"),
            item("/cheques", "Cheques"),
            item("/rapportage", "Rapportage"),
            item("/clienten", "Cliënten"),
            item("/aanbieders", "Aanbieders"),
        ],
        Role::Admin => vec![
            item("/", "Wachtrij"),
            item("/gebruikers", "Gebruikers"),
            item("/gemeenten", "Gemeenten"),
            item("/categorieen", "Categorieën"),
            item("/uitgaande-mail", "Uitgaande mail"),
            item("/rapportage", "Rapportage"),
        ],
        Role::Coach => vec![item("/", "Wachtrij"), item("/werkzoekenden", "Werkzoekenden")],
        Role::Member => vec![item("/", "Bezoeken")],
        Role::Client => vec![
            item("/", "Mijn hulpvragen"),
            item("/hulp-vragen", "Hulp vragen"),
            item("/mijn-cheques", "Mijn cheques"),
        ],
    }
}

/// The fields of the desk's forms that are lists of checkboxes.
const LISTS: [&str; 5] = [
    "target_groups",
    "learning_goals",
    "categories",
    "municipality_ids",
    "woonservice_categories",
];

/// A form as sent: name and value pairs, a name may repeat (checkboxes).
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A number field: empty is `None`; anything else must be a whole number.
    pub fn number(&self, name: &str, problems: &mut Violations) -> Option<i64> {
        let value = self.optional(name)?;
        match value.parse() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.add(name, "must be a whole number");
                None
            }
        }
    }

    /// A field left empty is `None`.
    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.get(name).trim()).filter(|v| !v.is_empty()).map(str::to_owned)
    }

    /// The fields as the template shows them again after an error; checkboxes as a list.
    pub fn values(&self) -> Value {
        let mut map: std::collections::BTreeMap<&str, Value> = std::collections::BTreeMap::new();
        for (k, v) in &self.0 {
            if k == "csrf" || k == "password" {
                continue;
            }
            if !LISTS.contains(&k.as_str()) {
                map.insert(k.as_str(), Value::from(v.as_str()));
            }
        }
        for list in LISTS {
            let checked: Vec<String> = self.all(list).into_iter().map(str::to_owned).collect();
            map.insert(list, Value::from(checked));
        }
        Value::from_serialize(&map)
    }
}

impl FromRequest for Form {
    type Error = DeskError;
    type Future = Pin<Box<dyn Future<Output = Result<Form, DeskError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<Vec<(String, String)>>::from_request(req, payload);
        Box::pin(async move {
            form.await
                .map(|f| Form(f.into_inner()))
                .map_err(|e| DeskError::App(AppError::BadRequest(format!("form: {e}"))))
        })
    }
}

/// Field errors of a form, by field name, in the reader's language.
#[derive(Debug, Default, Serialize)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    /// An item of a list (`municipality_ids[1]`) is a checkbox of the list's group: its
    /// message goes to the group.
    pub fn from_app(lang: Language, error: &AppError) -> Option<FieldErrors> {
        let AppError::Validation(list) = error else {
            return None;
        };
        let mut errors: Vec<(String, String)> = Vec::new();
        for e in list {
            let field = e.field.split('[').next().unwrap_or(&e.field);
            let message = words::dutch_message(lang, &e.message);
            match errors.iter_mut().find(|(f, _)| f == field) {
                Some((_, known)) => {
                    known.push(' ');
                    known.push_str(&message);
                }
                None => errors.push((field.to_owned(), message)),
            }
        }
        Some(FieldErrors(errors))
    }

    /// As `of`, and a name or code that is taken is an error of its field.
    pub fn or_taken(lang: Language, error: AppError, field: &str) -> Result<FieldErrors, DeskError> {
        match error {
            AppError::Conflict {
                code: ConflictCode::AlreadyExists,
                ..
            } => Ok(FieldErrors(vec![(
                field.to_owned(),
                words::t(lang, "Dit is al in gebruik."),
            )])),
            other => FieldErrors::of(lang, other),
        }
    }

    /// The field errors of a failed call; any other failure stays one.
    pub fn of(lang: Language, error: AppError) -> Result<FieldErrors, DeskError> {
        FieldErrors::from_app(lang, &error).ok_or_else(|| error.into())
    }

    /// The template's view: a map from field to message, and the list in order.
    pub fn value(&self) -> Value {
        let map: std::collections::BTreeMap<&str, &str> =
            self.0.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Value::from_serialize(&map)
    }
}

/// What a page answers when it cannot show what was asked.
#[derive(Debug)]
pub enum DeskError {
    /// No live session: to the sign-in form.
    /// No live session: to the sign-in form, which then opens this path.
    SignIn(Option<String>),
    /// A post without the form's CSRF token.
    Csrf,
    App(AppError),
}

impl From<AppError> for DeskError {
    fn from(e: AppError) -> DeskError {
        match e {
            AppError::Unauthorized(_) => DeskError::SignIn(None),
            other => DeskError::App(other),
        }
    }
}

impl std::fmt::Display for DeskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeskError::SignIn(_) => f.write_str("sign in first"),
            DeskError::Csrf => f.write_str("form without a valid CSRF token"),
            DeskError::App(e) => write!(f, "{e}"),
        }
    }
}

impl ResponseError for DeskError {
    fn status_code(&self) -> StatusCode {
        match self {
            DeskError::SignIn(_) => StatusCode::SEE_OTHER,
            DeskError::Csrf => StatusCode::FORBIDDEN,
            DeskError::App(e) => crate::api::problem::status_of(e),
        }
    }

    fn error_response(&self) -> HttpResponse {
        // A stale session cookie opens nothing; the sign-in replaces it.
        if let DeskError::SignIn(back) = self {
            let to = match back.as_deref().filter(|b| *b != "/") {
                Some(back) => format!(
                    "/inloggen?terug={}",
                    form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
                ),
                None => "/inloggen".to_owned(),
            };
            return HttpResponse::SeeOther().insert_header((header::LOCATION, to)).finish();
        }
        let message = match self {
            DeskError::Csrf => "Het formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.",
            DeskError::App(AppError::NotFound) => "Deze pagina bestaat niet.",
            DeskError::App(AppError::Forbidden) => "U mag deze pagina niet zien.",
            DeskError::App(AppError::Unavailable(_) | AppError::Busy { .. }) => {
                "Het systeem is even niet bereikbaar. Probeer het over een minuut opnieuw."
            }
            DeskError::App(AppError::TooManyRequests { .. }) => "Te veel pogingen. Probeer het later opnieuw.",
            _ => "Er ging iets mis",
        };
        let status = self.status_code();
        let body = templates::error_page(status.as_u16(), message);
        let mut response = HttpResponse::build(status);
        response.content_type(ContentType::html());
        if let DeskError::App(e) = self {
            crate::api::problem::log(e);
            if let Some(seconds) = crate::api::problem::retry_after(e) {
                response.insert_header((header::RETRY_AFTER, seconds.to_string()));
            }
        }
        response.body(body)
    }
}

/// What went wrong with one of a page's actions: field errors, or a sentence, with the
/// action's form as it was sent.
pub struct ActionFailure {
    pub action: String,
    pub errors: FieldErrors,
    pub message: Option<String>,
    pub values: Value,
}

impl ActionFailure {
    /// The page's view of a failure, or of none: `failed_action`, `errors`, `message`
    /// and `values`.
    pub fn context(failure: Option<ActionFailure>) -> Value {
        match failure {
            Some(f) => context! {
                failed_action => f.action,
                errors => f.errors.value(),
                message => f.message,
                values => f.values,
            },
            None => context! {
                failed_action => "",
                errors => FieldErrors::default().value(),
                message => None::<String>,
                values => (),
            },
        }
    }
}

/// A path of this site to go back to; anything else (another site, `//host`) is not.
pub fn local_path(back: &str) -> Option<&str> {
    (back.starts_with('/') && !back.starts_with("//") && !back.contains('\\')).then_some(back)
}
