use crate::domain::Role;
use crate::domain::client::{Client, ClientFields, ClientPatch};
use crate::domain::page::{Page, PageRequest};
use crate::error::{AppError, AppResult};
use crate::service::Ctx;
use crate::service::actor::found;
use crate::service::actor::{Actor, ensure_in_scope, require_role, unusable_municipality};
use crate::service::tokens::Subject;
use crate::store::{DbConnection, clients, tx, users};

/// Who keeps client records: the advice centre and the project leader.
const KEEPERS: [Role; 2] = [Role::Advisor, Role::Coordinator];

fn ensure_municipality(conn: &mut DbConnection, actor: &Actor, municipality_id: i64) -> AppResult<()> {
    match unusable_municipality(conn, actor, municipality_id)? {
        Some(why) => Err(AppError::invalid("municipality_id", why)),
        None => Ok(()),
    }
}

pub async fn create(ctx: &Ctx, subject: Subject, fields: ClientFields) -> AppResult<Client> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &KEEPERS)?;
        let id = tx::write(conn, |conn| {
            ensure_municipality(conn, actor, fields.municipality_id)?;
            clients::insert(conn, &fields, actor.now())
        })?;
        found(clients::find(conn, id)?)
    })
    .await
}

pub async fn list(
    ctx: &Ctx,
    subject: Subject,
    municipality_id: Option<i64>,
    page: PageRequest<()>,
) -> AppResult<Page<Client, ()>> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &KEEPERS)?;
        clients::list(conn, actor.scope(), municipality_id, &page)
    })
    .await
}

/// At most this many clients answer a search: enough to pick from on the phone.
pub const SEARCH_LIMIT: i64 = 25;

/// Finds clients by name, postcode or phone number (the desk's intake).
pub async fn search(ctx: &Ctx, subject: Subject, text: String) -> AppResult<Vec<Client>> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &KEEPERS)?;
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        clients::search(conn, actor.scope(), &text, SEARCH_LIMIT)
    })
    .await
}

/// A client reads itself; keepers read the clients of their municipalities.
pub fn readable(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<Client> {
    if !actor.is(Role::Client) {
        require_role(actor, &KEEPERS)?;
    }
    let client = found(clients::find(conn, id)?)?;
    ensure_visible(actor, id, client.fields.municipality_id)?;
    Ok(client)
}

/// A client account sees only its own client; advisors and coordinators the clients of
/// their municipalities; to anyone else a client answers as if it did not exist.
pub fn ensure_visible(actor: &Actor, id: i64, municipality_id: i64) -> AppResult<()> {
    if actor.is(Role::Client) {
        if actor.user.client_id == Some(id) {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    } else {
        require_role(actor, &KEEPERS)?;
        ensure_in_scope(actor, municipality_id)
    }
}

pub async fn get(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<Client> {
    ctx.as_actor(subject, move |conn, actor| readable(conn, actor, id))
        .await
}

pub async fn update(ctx: &Ctx, subject: Subject, id: i64, patch: ClientPatch) -> AppResult<Client> {
    let updated = ctx
        .as_actor(subject, move |conn, actor| {
            require_role(actor, &KEEPERS)?;
            tx::write(conn, |conn| {
                let current = readable(conn, actor, id)?;
                let moved_from = current.fields.municipality_id;
                let fields = current.fields.apply(patch)?;
                ensure_municipality(conn, actor, fields.municipality_id)?;
                clients::update(conn, id, &fields, actor.now())?;
                // A client who moves takes their own account along to the new municipality.
                if fields.municipality_id != moved_from {
                    users::move_linked(conn, Some(id), None, fields.municipality_id)?;
                }
                Ok::<(), AppError>(())
            })?;
            found(clients::find(conn, id)?)
        })
        .await;
    // An update may move the linked account to another municipality: this instance
    // forgets the accounts it knew before its caller hears the answer (the others hear
    // of it from the database).
    ctx.callers.forget_all();
    updated
}
