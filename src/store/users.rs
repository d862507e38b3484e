use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::{Email, Role, user::User};
use crate::error::{AppError, AppResult};
use crate::store::DbConnection;
use crate::store::per_backend::on_inner;
use crate::store::schema::{user_municipalities, users};
use crate::store::time::{from_db, to_db};

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRow {
    id: i64,
    email: String,
    role: String,
    active: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl UserRow {
    fn into_user(self, municipality_ids: Vec<i64>) -> AppResult<User> {
        Ok(User {
            id: self.id,
            email: Email::parse(&self.email)
                .map_err(|e| AppError::Internal(format!("stored email of user {}: {e}", self.id)))?,
            role: self.role.parse::<Role>().map_err(AppError::Internal)?,
            active: self.active,
            municipality_ids,
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        })
    }
}

pub struct NewUser<'a> {
    pub email: &'a Email,
    pub password_hash: &'a str,
    pub role: Role,
    pub municipality_ids: &'a [i64],
    pub now: DateTime<Utc>,
}

pub fn insert(conn: &mut DbConnection, new: &NewUser<'_>) -> AppResult<i64> {
    let id = diesel::insert_into(users::table)
        .values((
            users::email.eq(new.email.as_str()),
            users::password_hash.eq(new.password_hash),
            users::role.eq(new.role.as_str()),
            users::active.eq(true),
            users::created_at.eq(to_db(new.now)),
            users::updated_at.eq(to_db(new.now)),
        ))
        .returning(users::id)
        .get_result::<i64>(conn)?;
    set_municipalities(conn, id, new.municipality_ids)?;
    Ok(id)
}

pub fn set_municipalities(conn: &mut DbConnection, user_id: i64, municipality_ids: &[i64]) -> AppResult<()> {
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

/// The user with its scope, in one round trip.
pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<User>> {
    let rows: Vec<(UserRow, Option<i64>)> = users::table
        .left_join(user_municipalities::table)
        .filter(users::id.eq(id))
        .select((UserRow::as_select(), user_municipalities::municipality_id.nullable()))
        .order(user_municipalities::municipality_id)
        .load(conn)?;
    let mut rows = rows.into_iter();
    let Some((row, first)) = rows.next() else {
        return Ok(None);
    };
    let scope = first.into_iter().chain(rows.filter_map(|(_, m)| m)).collect();
    row.into_user(scope).map(Some)
}

/// What login needs: the id, the stored hash and whether the account is active.
pub struct Credentials {
    pub user_id: i64,
    pub password_hash: String,
    pub active: bool,
    pub role: Role,
}

pub fn find_credentials(conn: &mut DbConnection, email: &Email) -> AppResult<Option<Credentials>> {
    let row = users::table
        .filter(users::email.eq(email.as_str()))
        .select((users::id, users::password_hash, users::active, users::role))
        .first::<(i64, String, bool, String)>(conn)
        .optional()?;
    row.map(|(user_id, password_hash, active, role)| {
        Ok(Credentials {
            user_id,
            password_hash,
            active,
            role: role.parse().map_err(AppError::Internal)?,
        })
    })
    .transpose()
}

pub fn email_exists(conn: &mut DbConnection, email: &Email) -> AppResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        users::table.filter(users::email.eq(email.as_str())),
    ))
    .get_result(conn)?)
}

pub fn set_active(conn: &mut DbConnection, id: i64, active: bool, now: DateTime<Utc>) -> AppResult<()> {
    diesel::update(users::table.find(id))
        .set((users::active.eq(active), users::updated_at.eq(to_db(now))))
        .execute(conn)?;
    Ok(())
}
