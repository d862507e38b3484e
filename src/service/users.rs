//! Accounts.

use crate::domain::page::{Page, PageRequest};
use crate::domain::user::{self, Password, User, UserFields, UserFilter, UserPatch};
use crate::domain::{Email, Role, Violations};
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::found;
use crate::service::actor::{Actor, require_role};
use crate::service::password;
use crate::service::tokens::Subject;
use crate::store::users::UserRecord;
use chrono::{DateTime, Utc};

use crate::store::{DbConnection, clients, members, municipalities, tx, users};

/// A staff account as the command line creates it: municipalities by name.
pub struct StaffAccount {
    pub email: String,
    pub password: String,
    pub role: Role,
    pub municipality_names: Vec<String>,
}

/// Creates a staff account (`woonservice user create`). Client and member accounts
/// belong to a client or member record and are made through the API.
pub fn create_staff(conn: &mut DbConnection, account: StaffAccount, now: DateTime<Utc>) -> AppResult<User> {
    let mut problems = Violations::new();
    let email = problems.take("email", Email::parse(&account.email));
    let password = problems.take("password", Password::parse(&account.password));
    if !account.role.is_staff() {
        problems.add(
            "role",
            "client and member accounts are linked to a client or member record; create them through the API",
        );
    }
    if let Some(why) =
        user::staff_scope_error(account.role, account.municipality_names.len()).filter(|_| account.role.is_staff())
    {
        problems.add("municipality", why);
    }
    let mut municipality_ids = Vec::new();
    for name in &account.municipality_names {
        match municipalities::find_id_by_name(conn, name)? {
            Some(id) if !municipality_ids.contains(&id) => municipality_ids.push(id),
            Some(_) => {}
            None => problems.add("municipality", format!("unknown municipality '{name}'")),
        }
    }
    problems.into_result()?;
    let fields = UserFields {
        email: email.expect("checked"),
        role: account.role,
        active: true,
        municipality_ids,
        client_id: None,
        member_id: None,
    };
    fields.check()?;
    let hash = password::hash(&password.expect("checked"))?;
    let id = tx::write(conn, |conn| insert(conn, &fields, &hash, now))?;
    found(users::find(conn, id)?)
}

fn record(fields: &UserFields, now: DateTime<Utc>) -> UserRecord<'_> {
    UserRecord {
        email: &fields.email,
        role: fields.role,
        active: fields.active,
        municipality_ids: &fields.municipality_ids,
        client_id: fields.client_id,
        member_id: fields.member_id,
        now,
    }
}

fn insert(conn: &mut DbConnection, fields: &UserFields, hash: &str, now: DateTime<Utc>) -> AppResult<i64> {
    if users::email_exists(conn, &fields.email)? {
        return Err(AppError::conflict(
            ConflictCode::AlreadyExists,
            format!("a user with email {} already exists", fields.email),
        ));
    }
    users::insert(conn, &record(fields, now), hash)
}

/// Checks what an account refers to, and fills in the scope of a client or member
/// account from its record.
fn resolve(conn: &mut DbConnection, mut fields: UserFields, user_id: Option<i64>) -> AppResult<UserFields> {
    fields.check()?;
    let record_municipality = match (fields.client_id, fields.member_id) {
        (Some(client_id), _) => Some(("client_id", clients::municipality_of(conn, client_id)?)),
        (_, Some(member_id)) => Some((
            "member_id",
            members::find(conn, member_id)?.map(|m| m.fields.municipality_id),
        )),
        _ => None,
    };
    if let Some((field, municipality)) = record_municipality {
        let Some(municipality) = municipality else {
            return Err(AppError::invalid(field, "no such record"));
        };
        if !fields.municipality_ids.is_empty() && fields.municipality_ids != [municipality] {
            return Err(AppError::invalid(
                "municipality_ids",
                "a client or member account serves its record's municipality only",
            ));
        }
        fields.municipality_ids = vec![municipality];
        if let Some(other) = users::linked_user(conn, fields.client_id, fields.member_id)?
            && Some(other) != user_id
        {
            return Err(AppError::conflict(
                ConflictCode::AlreadyExists,
                format!("user {other} already belongs to that {}", &field[..field.len() - 3]),
            ));
        }
    }
    let mut violations = Violations::new();
    for (i, m) in fields.municipality_ids.iter().enumerate() {
        if !municipalities::exists(conn, *m)? {
            violations.add(format!("municipality_ids[{i}]"), format!("no municipality {m}"));
        }
    }
    violations.into_result()?;
    Ok(fields)
}

/// Creates an account. The password is hashed between two trips to the database, so
/// no connection waits on the hash.
pub async fn create(ctx: &Ctx, subject: Subject, fields: UserFields, password: Password) -> AppResult<User> {
    ctx.as_actor(subject, |_, actor| require_role(actor, &[Role::Admin]))
        .await?;
    let hash = password::hash_gated(password).await?;
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Admin])?;
        let id = tx::write(conn, |conn| {
            let fields = resolve(conn, fields, None)?;
            insert(conn, &fields, &hash, actor.now())
        })?;
        found(users::find(conn, id)?)
    })
    .await
}

pub async fn list(ctx: &Ctx, subject: Subject, filter: UserFilter, page: PageRequest<()>) -> AppResult<Page<User, ()>> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Admin])?;
        users::list(conn, &filter, &page)
    })
    .await
}

pub async fn get(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<User> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Admin])?;
        found(users::find(conn, id)?)
    })
    .await
}

/// Changes an account; a new password, role, scope, link or activity ends the tokens
/// issued before. A new password is hashed between two trips to the database.
pub async fn update(ctx: &Ctx, subject: Subject, id: i64, mut patch: UserPatch) -> AppResult<User> {
    let guard = UserPatch {
        active: patch.active,
        role: patch.role,
        ..UserPatch::default()
    };
    ctx.as_actor(subject, move |_, actor| {
        require_role(actor, &[Role::Admin])?;
        guard_own_account(actor, id, &guard)
    })
    .await?;
    let hash = match patch.password.take() {
        Some(new) => Some(password::hash_gated(new).await?),
        None => None,
    };
    let updated = ctx
        .as_actor(subject, move |conn, actor| {
            require_role(actor, &[Role::Admin])?;
            guard_own_account(actor, id, &patch)?;
            tx::write(conn, |conn| {
                let current = found(users::find(conn, id)?)?;
                let before = UserFields::of(&current);
                let fields = resolve(conn, before.clone().apply(&patch), Some(id))?;
                if fields.email != current.email && users::email_exists(conn, &fields.email)? {
                    return Err(AppError::conflict(
                        ConflictCode::AlreadyExists,
                        format!("a user with email {} already exists", fields.email),
                    ));
                }
                let end_sessions = hash.is_some() || fields.ends_sessions(&before);
                users::update(conn, id, &record(&fields, actor.now()), hash.as_deref(), end_sessions)
            })?;
            found(users::find(conn, id)?)
        })
        .await;
    // Before the admin hears the answer, this instance no longer knows the old account
    // (the others hear of it from the database).
    ctx.callers.forget(id);
    updated
}

/// An admin cannot lock themselves out by deactivating or demoting their own account.
fn guard_own_account(actor: &Actor, id: i64, patch: &UserPatch) -> AppResult<()> {
    if actor.id() != id {
        return Ok(());
    }
    if patch.active == Some(false) {
        return Err(AppError::invalid("active", "you cannot deactivate your own account"));
    }
    if patch.role.is_some_and(|r| r != Role::Admin) {
        return Err(AppError::invalid(
            "role",
            "you cannot take the admin role from your own account",
        ));
    }
    Ok(())
}

/// The caller and the ids and names of the municipalities they work in (the desk's
/// frame shows them on every page).
pub async fn me_and_municipalities(ctx: &Ctx, subject: Subject) -> AppResult<(Actor, Vec<(i64, String)>)> {
    ctx.as_actor(subject, |conn, actor| {
        let names = crate::store::municipalities::names(conn, actor.scope())?;
        Ok((actor.clone(), names))
    })
    .await
}

/// The caller's own account (`GET /api/v1/me`).
pub async fn me(ctx: &Ctx, subject: Subject) -> AppResult<Actor> {
    ctx.as_actor(subject, |_, actor| Ok(actor.clone())).await
}
