use crate::domain::Role;
use crate::domain::municipality::{Municipality, MunicipalityFields, MunicipalityPatch};
use crate::domain::page::{Page, PageRequest};
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::{Actor, ensure_in_scope, found, require_role};
use crate::service::tokens::Subject;
use crate::store::{DbConnection, categories, municipalities, tx};

const STAFF: [Role; 4] = [Role::Coach, Role::Advisor, Role::Coordinator, Role::Admin];

fn check_references(conn: &mut DbConnection, fields: &MunicipalityFields, except_id: Option<i64>) -> AppResult<()> {
    let unknown = categories::unknown(conn, &fields.woonservice_categories)?;
    if !unknown.is_empty() {
        return Err(AppError::invalid(
            "woonservice_categories",
            format!("unknown categories: {}", unknown.join(", ")),
        ));
    }
    if let Some(existing) = municipalities::find_id_by_name(conn, &fields.name)?
        && Some(existing) != except_id
    {
        return Err(AppError::conflict(
            ConflictCode::AlreadyExists,
            format!("a municipality named {} already exists", fields.name),
        ));
    }
    Ok(())
}

pub async fn create(ctx: &Ctx, subject: Subject, fields: MunicipalityFields) -> AppResult<Municipality> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Admin])?;
        let id = tx::write(conn, |conn| {
            check_references(conn, &fields, None)?;
            municipalities::insert(conn, &fields, actor.now())
        })?;
        found(municipalities::find(conn, id)?)
    })
    .await
}

pub async fn list(ctx: &Ctx, subject: Subject, page: PageRequest<()>) -> AppResult<Page<Municipality, ()>> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &STAFF)?;
        municipalities::list(conn, actor.scope(), &page)
    })
    .await
}

fn readable(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<Municipality> {
    require_role(actor, &STAFF)?;
    ensure_in_scope(actor, id)?;
    found(municipalities::find(conn, id)?)
}

pub async fn get(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<Municipality> {
    ctx.as_actor(subject, move |conn, actor| readable(conn, actor, id))
        .await
}

pub async fn update(ctx: &Ctx, subject: Subject, id: i64, patch: MunicipalityPatch) -> AppResult<Municipality> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Admin])?;
        tx::write(conn, |conn| {
            let current = found(municipalities::find(conn, id)?)?;
            let fields = current.fields.apply(patch);
            check_references(conn, &fields, Some(id))?;
            municipalities::update(conn, id, &fields, actor.now())
        })?;
        found(municipalities::find(conn, id)?)
    })
    .await
}
