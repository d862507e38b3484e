//! The desk's sessions, by the SHA-256 of their token (see the migration for why).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::schema::{desk_sessions, users};
use crate::store::time::to_db;

/// Whose a live session is, and under which version of the account it began.
#[derive(Debug, Clone, Copy)]
pub struct Live {
    pub user_id: i64,
    pub token_version: i32,
}

/// A live session and the language its user chose for the desk, if they did.
#[derive(Debug, Clone)]
pub struct Found {
    pub live: Live,
    pub language: Option<String>,
}

pub fn start(
    conn: &mut DbConnection,
    token_hash: &str,
    live: Live,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> AppResult<()> {
    diesel::insert_into(desk_sessions::table)
        .values((
            desk_sessions::token_hash.eq(token_hash),
            desk_sessions::user_id.eq(live.user_id),
            desk_sessions::token_version.eq(live.token_version),
            desk_sessions::created_at.eq(to_db(now)),
            desk_sessions::expires_at.eq(to_db(expires_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The session of this token, unless it ended or expired.
pub fn find_live(conn: &mut DbConnection, token_hash: &str, now: DateTime<Utc>) -> AppResult<Option<Found>> {
    let found = desk_sessions::table
        .inner_join(users::table.on(users::id.eq(desk_sessions::user_id)))
        .filter(desk_sessions::token_hash.eq(token_hash))
        .filter(desk_sessions::ended_at.is_null())
        .filter(desk_sessions::expires_at.gt(to_db(now)))
        .select((
            desk_sessions::user_id,
            desk_sessions::token_version,
            users::desk_language,
        ))
        .first::<(i64, i32, Option<String>)>(conn)
        .optional()?;
    Ok(found.map(|(user_id, token_version, language)| Found {
        live: Live { user_id, token_version },
        language,
    }))
}

pub fn end(conn: &mut DbConnection, token_hash: &str, now: DateTime<Utc>) -> AppResult<()> {
    diesel::update(desk_sessions::table.filter(desk_sessions::token_hash.eq(token_hash)))
        .filter(desk_sessions::ended_at.is_null())
        .set(desk_sessions::ended_at.eq(Some(to_db(now))))
        .execute(conn)?;
    Ok(())
}

/// Forgets sessions that ended or expired before `before`.
pub fn purge(conn: &mut DbConnection, before: DateTime<Utc>) -> AppResult<usize> {
    let before = to_db(before);
    Ok(diesel::delete(
        desk_sessions::table.filter(
            desk_sessions::expires_at
                .lt(before)
                .or(desk_sessions::ended_at.lt(before)),
        ),
    )
    .execute(conn)?)
}
