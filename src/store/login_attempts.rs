//! Password checks per account and per client address, for the login throttle. Kept
//! in the database so that several instances share the counts.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::schema::login_attempts;
use crate::store::time::{from_db, to_db};

/// How many attempts since `since` match, and when the oldest of them was.
pub struct Count {
    pub attempts: i64,
    pub oldest: Option<DateTime<Utc>>,
}

/// What attempts are counted by: the account's email, or the client's address.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    Email(&'a str),
    Address(&'a str),
}

pub fn count_since(conn: &mut DbConnection, key: Key<'_>, since: DateTime<Utc>) -> AppResult<Count> {
    let query = login_attempts::table
        .filter(login_attempts::attempted_at.gt(to_db(since)))
        .into_boxed();
    let query = match key {
        Key::Email(email) => query.filter(login_attempts::email.eq(email)),
        Key::Address(address) => query.filter(login_attempts::client_address.eq(address)),
    };
    let (attempts, oldest) = query
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::min(login_attempts::attempted_at),
        ))
        .first::<(i64, Option<NaiveDateTime>)>(conn)?;
    Ok(Count {
        attempts,
        oldest: oldest.map(from_db),
    })
}

pub fn record(conn: &mut DbConnection, email: &str, address: &str, at: DateTime<Utc>) -> AppResult<()> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::email.eq(email),
            login_attempts::client_address.eq(address),
            login_attempts::attempted_at.eq(to_db(at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Forgets an account's attempts after it logged in.
pub fn clear(conn: &mut DbConnection, email: &str) -> AppResult<()> {
    diesel::delete(login_attempts::table.filter(login_attempts::email.eq(email))).execute(conn)?;
    Ok(())
}

/// Forgets attempts made before `before`; returns how many.
pub fn purge(conn: &mut DbConnection, before: DateTime<Utc>) -> AppResult<usize> {
    Ok(diesel::delete(login_attempts::table.filter(login_attempts::attempted_at.le(to_db(before)))).execute(conn)?)
}

/// Takes back one attempt of an account (the newest), for a check that never ran.
pub fn forget_newest(conn: &mut DbConnection, email: &str) -> AppResult<()> {
    let newest: Option<i64> = login_attempts::table
        .filter(login_attempts::email.eq(email))
        .select(diesel::dsl::max(login_attempts::id))
        .first(conn)?;
    if let Some(id) = newest {
        diesel::delete(login_attempts::table.find(id)).execute(conn)?;
    }
    Ok(())
}
