use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::page::{Page, PageRequest};
use crate::domain::user::{User, UserFilter};
use crate::domain::{Email, Role};
use crate::error::{AppError, AppResult};
use crate::store::DbConnection;
use crate::store::paging::page_by_id;
use crate::store::per_backend::on_inner;
use crate::store::schema::{user_links, user_municipalities, users};
use crate::store::time::{from_db, to_db};

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRow {
    id: i64,
    email: String,
    role: Role,
    active: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    token_version: i32,
}

type LinkRow = (Option<i64>, Option<i64>);

impl UserRow {
    fn into_user(self, municipality_ids: Vec<i64>, link: Option<LinkRow>) -> AppResult<User> {
        let (client_id, member_id) = link.unwrap_or((None, None));
        Ok(User {
            id: self.id,
            email: Email::parse(&self.email)
                .map_err(|e| AppError::internal(format!("stored email of user {}: {e}", self.id)))?,
            role: self.role,
            active: self.active,
            municipality_ids,
            client_id,
            member_id,
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
            token_version: self.token_version,
        })
    }
}

/// An account as it is written; `password_hash` is set on create and on a password change.
pub struct UserRecord<'a> {
    pub email: &'a Email,
    pub role: Role,
    pub active: bool,
    pub municipality_ids: &'a [i64],
    pub client_id: Option<i64>,
    pub member_id: Option<i64>,
    pub now: DateTime<Utc>,
}

pub fn insert(conn: &mut DbConnection, record: &UserRecord<'_>, password_hash: &str) -> AppResult<i64> {
    let id = diesel::insert_into(users::table)
        .values((
            users::email.eq(record.email.as_str()),
            users::password_hash.eq(password_hash),
            users::role.eq(record.role),
            users::active.eq(record.active),
            users::created_at.eq(to_db(record.now)),
            users::updated_at.eq(to_db(record.now)),
        ))
        .returning(users::id)
        .get_result::<i64>(conn)?;
    set_scope_and_link(conn, id, record)?;
    Ok(id)
}

/// Writes an account; `end_sessions` raises its token version, so every token issued
/// before this ends.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    record: &UserRecord<'_>,
    password_hash: Option<&str>,
    end_sessions: bool,
) -> AppResult<()> {
    if end_sessions {
        self::end_sessions(conn, id)?;
    }
    diesel::update(users::table.find(id))
        .set((
            users::email.eq(record.email.as_str()),
            users::role.eq(record.role),
            users::active.eq(record.active),
            users::updated_at.eq(to_db(record.now)),
        ))
        .execute(conn)?;
    if let Some(hash) = password_hash {
        diesel::update(users::table.find(id))
            .set(users::password_hash.eq(hash))
            .execute(conn)?;
    }
    set_scope_and_link(conn, id, record)
}

/// Ends every token issued to the account so far.
pub fn end_sessions(conn: &mut DbConnection, id: i64) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set(users::token_version.eq(users::token_version + 1))
        .execute(conn)?;
    Ok(())
}

/// Replaces the municipalities a user works in or belongs to.
pub fn set_scope(conn: &mut DbConnection, user_id: i64, municipality_ids: &[i64]) -> AppResult<()> {
    diesel::delete(user_municipalities::table.filter(user_municipalities::user_id.eq(user_id))).execute(conn)?;
    if !municipality_ids.is_empty() {
        let rows: Vec<_> = municipality_ids
            .iter()
            .map(|m| {
                (
                    user_municipalities::user_id.eq(user_id),
                    user_municipalities::municipality_id.eq(*m),
                )
            })
            .collect();
        let insert = diesel::insert_into(user_municipalities::table).values(rows);
        on_inner!(conn, |c| insert.execute(c))?;
    }
    Ok(())
}

fn set_scope_and_link(conn: &mut DbConnection, user_id: i64, record: &UserRecord<'_>) -> AppResult<()> {
    set_scope(conn, user_id, record.municipality_ids)?;
    diesel::delete(user_links::table.find(user_id)).execute(conn)?;
    if record.client_id.is_some() || record.member_id.is_some() {
        diesel::insert_into(user_links::table)
            .values((
                user_links::user_id.eq(user_id),
                user_links::client_id.eq(record.client_id),
                user_links::member_id.eq(record.member_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

type FullRow = (UserRow, Option<i64>, Option<LinkRow>);

fn users_with_scope(rows: Vec<FullRow>) -> AppResult<Vec<User>> {
    let mut users: Vec<User> = Vec::new();
    let mut current: Option<(UserRow, Vec<i64>, Option<LinkRow>)> = None;
    for (row, municipality, link) in rows {
        match &mut current {
            Some((cur, scope, _)) if cur.id == row.id => scope.extend(municipality),
            _ => {
                if let Some((cur, scope, link)) = current.take() {
                    users.push(cur.into_user(scope, link)?);
                }
                current = Some((row, municipality.into_iter().collect(), link));
            }
        }
    }
    if let Some((cur, scope, link)) = current {
        users.push(cur.into_user(scope, link)?);
    }
    Ok(users)
}

/// The user with its scope and link, in one round trip.
pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<User>> {
    let rows: Vec<FullRow> = users::table
        .left_join(user_municipalities::table)
        .left_join(user_links::table)
        .filter(users::id.eq(id))
        .select((
            UserRow::as_select(),
            user_municipalities::municipality_id.nullable(),
            (user_links::client_id, user_links::member_id).nullable(),
        ))
        .order(user_municipalities::municipality_id)
        .load(conn)?;
    Ok(users_with_scope(rows)?.into_iter().next())
}

pub fn list(conn: &mut DbConnection, filter: &UserFilter, page: &PageRequest<()>) -> AppResult<Page<User, ()>> {
    let mut ids = users::table.select(users::id).into_boxed();
    if let Some(role) = filter.role {
        ids = ids.filter(users::role.eq(role));
    }
    if let Some(active) = filter.active {
        ids = ids.filter(users::active.eq(active));
    }
    if let Some(m) = filter.municipality_id {
        ids = ids.filter(
            users::id.eq_any(
                user_municipalities::table
                    .filter(user_municipalities::municipality_id.eq(m))
                    .select(user_municipalities::user_id),
            ),
        );
    }
    let ids: Vec<i64> = page_by_id!(ids, users::id, page).load(conn)?;
    let page_ids = Page::assemble(ids, page, |&id| ((), id));
    let rows: Vec<FullRow> = users::table
        .left_join(user_municipalities::table)
        .left_join(user_links::table)
        .filter(users::id.eq_any(&page_ids.items))
        .select((
            UserRow::as_select(),
            user_municipalities::municipality_id.nullable(),
            (user_links::client_id, user_links::member_id).nullable(),
        ))
        .order((users::id, user_municipalities::municipality_id))
        .load(conn)?;
    let users = users_with_scope(rows)?;
    Ok(Page {
        items: users,
        next: page_ids.next,
        prev: page_ids.prev,
    })
}

/// What login needs: the id, the stored hash and whether the account is active.
pub struct Credentials {
    pub user_id: i64,
    pub password_hash: String,
    pub active: bool,
    pub role: Role,
    pub token_version: i32,
}

pub fn find_credentials(conn: &mut DbConnection, email: &Email) -> AppResult<Option<Credentials>> {
    let row = users::table
        .filter(users::email.eq(email.as_str()))
        .select((
            users::id,
            users::password_hash,
            users::active,
            users::role,
            users::token_version,
        ))
        .first::<(i64, String, bool, Role, i32)>(conn)
        .optional()?;
    Ok(
        row.map(|(user_id, password_hash, active, role, token_version)| Credentials {
            user_id,
            password_hash,
            active,
            role,
            token_version,
        }),
    )
}

/// The id of the user with this email, if any.
pub fn id_by_email(conn: &mut DbConnection, email: &Email) -> AppResult<Option<i64>> {
    Ok(users::table
        .filter(users::email.eq(email.as_str()))
        .select(users::id)
        .first(conn)
        .optional()?)
}

pub fn email_exists(conn: &mut DbConnection, email: &Email) -> AppResult<bool> {
    Ok(id_by_email(conn, email)?.is_some())
}

/// Which user, if any, is linked to this client or member.
pub fn linked_user(conn: &mut DbConnection, client_id: Option<i64>, member_id: Option<i64>) -> AppResult<Option<i64>> {
    let mut query = user_links::table.select(user_links::user_id).into_boxed();
    match (client_id, member_id) {
        (Some(c), _) => query = query.filter(user_links::client_id.eq(c)),
        (None, Some(m)) => query = query.filter(user_links::member_id.eq(m)),
        (None, None) => return Ok(None),
    }
    Ok(query.first(conn).optional()?)
}

/// Moves the account linked to this client or member, if there is one, to the
/// record's new municipality.
pub fn move_linked(
    conn: &mut DbConnection,
    client_id: Option<i64>,
    member_id: Option<i64>,
    municipality_id: i64,
) -> AppResult<()> {
    // The account keeps the same right — to its own record — so its tokens stay valid.
    match linked_user(conn, client_id, member_id)? {
        Some(user) => set_scope(conn, user, &[municipality_id]),
        None => Ok(()),
    }
}

/// Activates or deactivates an account; either ends its tokens.
pub fn set_active(conn: &mut DbConnection, id: i64, active: bool, now: DateTime<Utc>) -> AppResult<()> {
    end_sessions(conn, id)?;
    diesel::update(users::table.find(id))
        .set((users::active.eq(active), users::updated_at.eq(to_db(now))))
        .execute(conn)?;
    Ok(())
}

/// The ids and emails of the active users of `role` serving a municipality.
pub fn staff_of(conn: &mut DbConnection, role: Role, municipality_id: i64) -> AppResult<Vec<(i64, String)>> {
    Ok(users::table
        .inner_join(user_municipalities::table)
        .filter(user_municipalities::municipality_id.eq(municipality_id))
        .filter(users::role.eq(role))
        .filter(users::active.eq(true))
        .select((users::id, users::email))
        .order(users::id)
        .load(conn)?)
}

/// The language a user chose for the desk (`None`: not chosen).
pub fn set_desk_language(conn: &mut DbConnection, id: i64, language: &str) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set(users::desk_language.eq(Some(language)))
        .execute(conn)?;
    Ok(())
}
