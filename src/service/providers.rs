//! The provider register: private providers, businesses and existing local organisations.

use crate::domain::page::{Page, PageRequest};
use crate::domain::provider::{Provider, ProviderFields, ProviderFilter, ProviderPatch};
use crate::domain::{Role, Violations};
use crate::error::{AppError, AppResult};
use crate::service::Ctx;
use crate::service::actor::found;
use crate::service::actor::{Actor, not_served, require_role, unusable_municipality};
use crate::service::tokens::Subject;
use crate::store::{DbConnection, categories, providers, tx};

const READERS: [Role; 4] = [Role::Coach, Role::Advisor, Role::Coordinator, Role::Admin];
const WRITERS: [Role; 2] = [Role::Advisor, Role::Coordinator];

/// A provider is visible when it serves at least one municipality of the actor.
fn readable(conn: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<Provider> {
    require_role(actor, &READERS)?;
    let provider = found(providers::find(conn, id)?)?;
    if provider.fields.municipality_ids.iter().any(|m| actor.in_scope(*m)) {
        Ok(provider)
    } else {
        Err(AppError::NotFound)
    }
}

/// Writers may add or remove only municipalities they serve; others a provider also
/// serves are kept as they are.
/// Every broken rule is named at once.
fn check(conn: &mut DbConnection, actor: &Actor, fields: &ProviderFields, before: &[i64]) -> AppResult<()> {
    let mut problems = Violations::new();
    if fields.municipality_ids.is_empty() {
        problems.add("municipality_ids", "a provider serves at least one municipality");
    }
    for (i, m) in fields.municipality_ids.iter().enumerate() {
        if !before.contains(m)
            && let Some(why) = unusable_municipality(conn, actor, *m)?
        {
            problems.add(format!("municipality_ids[{i}]"), why);
        }
    }
    if let Some(removed) = before
        .iter()
        .find(|m| !fields.municipality_ids.contains(m) && !actor.in_scope(**m))
    {
        problems.add(
            "municipality_ids",
            format!("{}; it cannot be removed", not_served(*removed)),
        );
    }
    if fields.categories.is_empty() {
        problems.add("categories", "a provider offers at least one category");
    }
    let unknown = categories::unknown(conn, &fields.categories)?;
    if !unknown.is_empty() {
        problems.add("categories", format!("unknown categories: {}", unknown.join(", ")));
    }
    problems.into_result().map_err(AppError::Validation)
}

pub async fn create(ctx: &Ctx, subject: Subject, fields: ProviderFields) -> AppResult<Provider> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &WRITERS)?;
        let id = tx::write(conn, |conn| {
            check(conn, actor, &fields, &[])?;
            providers::insert(conn, &fields, actor.now())
        })?;
        found(providers::find(conn, id)?)
    })
    .await
}

pub async fn list(
    ctx: &Ctx,
    subject: Subject,
    filter: ProviderFilter,
    page: PageRequest<()>,
) -> AppResult<Page<Provider, ()>> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &READERS)?;
        providers::list(conn, actor.scope(), &filter, &page)
    })
    .await
}

pub async fn get(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<Provider> {
    ctx.as_actor(subject, move |conn, actor| readable(conn, actor, id))
        .await
}

pub async fn update(ctx: &Ctx, subject: Subject, id: i64, patch: ProviderPatch) -> AppResult<Provider> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &WRITERS)?;
        tx::write(conn, |conn| {
            let current = readable(conn, actor, id)?;
            let before = current.fields.municipality_ids.clone();
            let fields = current.fields.apply(patch);
            check(conn, actor, &fields, &before)?;
            providers::update(conn, id, &fields, actor.now())
        })?;
        found(providers::find(conn, id)?)
    })
    .await
}
