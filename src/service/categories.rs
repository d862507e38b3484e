use crate::domain::Role;
use crate::domain::category::{Category, NewCategory};
use crate::domain::page::{Page, PageRequest};
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::found;
use crate::service::actor::require_role;
use crate::service::tokens::Subject;
use crate::store::{categories, tx};

/// Any logged-in user may read the categories.
pub async fn list(ctx: &Ctx, subject: Subject, page: PageRequest<()>) -> AppResult<Page<Category, ()>> {
    ctx.as_actor(subject, move |conn, _| categories::list(conn, &page))
        .await
}

pub async fn create(ctx: &Ctx, subject: Subject, category: NewCategory) -> AppResult<Category> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Admin])?;
        tx::write(conn, |conn| {
            if categories::find(conn, &category.code)?.is_some() {
                return Err(AppError::conflict(
                    ConflictCode::AlreadyExists,
                    format!("category {} already exists", category.code),
                ));
            }
            categories::insert(conn, &category)
        })?;
        found(categories::find(conn, &category.code)?)
    })
    .await
}

pub async fn get(ctx: &Ctx, subject: Subject, code: String) -> AppResult<Category> {
    ctx.as_actor(subject, move |conn, _| found(categories::find(conn, &code)?))
        .await
}
