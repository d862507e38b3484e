//! Task requests: intake, reading and cancelling.

use crate::domain::assignment::Assignment;
use crate::domain::category::Category;
use crate::domain::client::Client;
use crate::domain::page::{Page, PageRequest};
use crate::domain::referral::Referral;
use crate::domain::request::{NewTaskRequest, RequestFilter, TaskRequest};
use crate::domain::routing::TrailEntry;
use crate::domain::{FieldError, Role};
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::found;
use crate::service::actor::{Actor, ensure_in_scope, require_role};
use crate::service::assignment_endings::close_open_assignments;
use crate::service::idempotency::{self, IdempotencyKey, Recorded};
use crate::service::mail::notify;
use crate::service::tokens::Subject;
use crate::store::request_detail::{self, Parts};
use crate::store::{DbConnection, categories, clients, referrals, requests, tx};

const READERS: [Role; 5] = [Role::Client, Role::Coach, Role::Advisor, Role::Coordinator, Role::Admin];

/// A request with what routing made of it.
#[derive(Debug, Clone)]
pub struct RequestDetail {
    pub request: TaskRequest,
    pub trail: Vec<TrailEntry>,
    /// The latest assignment, whatever its status.
    pub assignment: Option<Assignment>,
    /// The open referral to a provider.
    pub referral: Option<Referral>,
    /// Whether mail about the request reaches the client (its own address or its
    /// representative's); when not, staff phone them.
    pub client_gets_mail: bool,
}

/// The detail of the request with this id, in one statement.
pub fn detail_of(conn: &mut DbConnection, id: i64) -> AppResult<RequestDetail> {
    Ok(found(request_detail::find(conn, id)?)?.into())
}

impl From<Parts> for RequestDetail {
    fn from(parts: Parts) -> RequestDetail {
        RequestDetail {
            client_gets_mail: notify::client_gets_mail(&parts.client),
            trail: parts.trail,
            assignment: parts.assignment,
            referral: parts.referral,
            request: parts.request,
        }
    }
}

/// A client sees its own requests; staff those of their municipalities.
pub fn readable(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<TaskRequest> {
    require_role(actor, &READERS)?;
    let request = found(requests::find(conn, id)?)?;
    ensure_visible(actor, &request)?;
    Ok(request)
}

/// As `readable`, with the request locked for the transaction.
pub fn locked(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<TaskRequest> {
    require_role(actor, &READERS)?;
    let request = found(requests::find_locked(conn, id)?)?;
    ensure_visible(actor, &request)?;
    Ok(request)
}

fn ensure_visible(actor: &Actor, request: &TaskRequest) -> AppResult<()> {
    if actor.is(Role::Client) {
        if actor.user.client_id != Some(request.client_id) {
            return Err(AppError::NotFound);
        }
        Ok(())
    } else {
        ensure_in_scope(actor, request.municipality_id)
    }
}

/// Intake: a client asks for itself, an advisor for any client in scope (often by phone).
pub async fn create(
    ctx: &Ctx,
    subject: Subject,
    new: NewTaskRequest,
    key: Option<IdempotencyKey>,
    render: impl Fn(&RequestDetail) -> AppResult<Recorded> + Send + 'static,
) -> AppResult<Recorded> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Client, Role::Advisor])?;
        if actor.is(Role::Client) && actor.user.client_id != Some(new.client_id) {
            return Err(AppError::Forbidden);
        }
        // Both looked up before either is refused: every bad field is named at once.
        let guard = |conn: &mut DbConnection| {
            let client = clients::find(conn, new.client_id)?.filter(|c| actor.in_scope(c.fields.municipality_id));
            let category = categories::find(conn, &new.category)?;
            match (client, category) {
                (Some(client), Some(category)) => Ok((client, category)),
                (client, category) => {
                    let mut errors = Vec::new();
                    if client.is_none() {
                        errors.push(FieldError::new(
                            "client_id",
                            format!("no client {} among yours", new.client_id),
                        ));
                    }
                    if category.is_none() {
                        errors.push(FieldError::new(
                            "category",
                            format!("unknown category {:?}", new.category),
                        ));
                    }
                    Err(AppError::Validation(errors))
                }
            }
        };
        let work = |conn: &mut DbConnection, (client, category): (Client, Category)| {
            let request = requests::insert_into(conn, &new, client.fields.municipality_id, actor.id(), actor.now())?;
            notify::request_received(conn, actor.now(), &request, &client, &category)?;
            // A request just made has no trail, assignment or referral yet.
            Ok(RequestDetail {
                client_gets_mail: notify::client_gets_mail(&client),
                trail: Vec::new(),
                assignment: None,
                referral: None,
                request,
            })
        };
        idempotency::run(conn, actor, key.as_ref(), guard, work, render)
    })
    .await
}

pub async fn list(
    ctx: &Ctx,
    subject: Subject,
    mut filter: RequestFilter,
    page: PageRequest<()>,
) -> AppResult<Page<TaskRequest, ()>> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &READERS)?;
        if actor.is(Role::Client) {
            match (actor.user.client_id, filter.client_id) {
                (Some(own), None) => filter.client_id = Some(own),
                (Some(own), Some(asked)) if own == asked => {}
                _ => {
                    return Ok(Page {
                        items: Vec::new(),
                        next: None,
                        prev: None,
                    });
                }
            }
        }
        requests::list(conn, actor.scope(), &filter, &page)
    })
    .await
}

pub async fn get(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<RequestDetail> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &READERS)?;
        let parts = found(request_detail::find(conn, id)?)?;
        ensure_visible(actor, &parts.request)?;
        Ok(parts.into())
    })
    .await
}

/// Cancels a request: its open assignment ends (reserved vouchers are released) and
/// its open or accepted referral is withdrawn.
pub async fn cancel(ctx: &Ctx, subject: Subject, id: i64, reason: String) -> AppResult<RequestDetail> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Client, Role::Advisor])?;
        tx::write(conn, |conn| {
            let request = locked(conn, actor, id)?;
            if request.status.is_final() {
                return Err(AppError::conflict(
                    ConflictCode::InvalidTransition,
                    format!("a {} request cannot be cancelled", request.status),
                ));
            }
            close_open_assignments(conn, &actor.by(), id, &reason)?;
            if let Some(referral) = referrals::current_of_request(conn, id)?.filter(|r| r.status.is_live()) {
                referrals::withdraw(conn, referral.id, actor.now())?;
            }
            requests::cancel(conn, id, &reason, actor.now())
        })?;
        detail_of(conn, id)
    })
    .await
}
