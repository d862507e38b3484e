//! Accounts.

use crate::domain::user::{Password, User};
use crate::domain::{Email, Role, Violations};
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::{self, Actor};
use crate::service::password;
use crate::service::tokens::Subject;
use crate::store::{DbConnection, municipalities, time, tx, users};

/// A staff account as the command line creates it: municipalities by name.
pub struct StaffAccount {
    pub email: String,
    pub password: String,
    pub role: Role,
    pub municipality_names: Vec<String>,
}

/// Creates a staff account (`woonservice user create`). Client and member accounts
/// belong to a client or member record and are made through the API.
pub fn create_staff(conn: &mut DbConnection, account: StaffAccount) -> AppResult<User> {
    let mut problems = Violations::new();
    let email = problems.take("email", Email::parse(&account.email));
    let password = problems.take("password", Password::parse(&account.password));
    if !account.role.is_staff() {
        problems.add(
            "role",
            "client and member accounts are linked to a client or member record; create them through the API",
        );
    }
    if account.role.is_global() && !account.municipality_names.is_empty() {
        problems.add(
            "municipality",
            "an admin serves every municipality; leave --municipality out",
        );
    }
    if account.role.is_staff() && !account.role.is_global() && account.municipality_names.is_empty() {
        problems.add(
            "municipality",
            format!("a {} needs at least one --municipality", account.role),
        );
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
    let (email, password) = (email.expect("checked"), password.expect("checked"));
    let hash = password::hash(&password)?;
    let id = tx::write(conn, |conn| {
        if users::email_exists(conn, &email)? {
            return Err(AppError::conflict(
                ConflictCode::AlreadyExists,
                format!("a user with email {email} already exists"),
            ));
        }
        users::insert(
            conn,
            &users::NewUser {
                email: &email,
                password_hash: &hash,
                role: account.role,
                municipality_ids: &municipality_ids,
                now: time::now(),
            },
        )
    })?;
    users::find(conn, id)?.ok_or_else(|| AppError::Internal("user vanished after insert".into()))
}

/// The caller's own account (`GET /api/v1/me`).
pub async fn me(ctx: &Ctx, subject: Subject) -> AppResult<Actor> {
    ctx.db.run(move |conn| actor::load(conn, subject)).await
}
