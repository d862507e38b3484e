//! Stored responses of calls made with an `Idempotency-Key`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::schema::idempotency_keys;
use crate::store::time::to_db;

pub struct StoredCall {
    pub operation: String,
    pub body_hash: String,
    pub status_code: Option<i32>,
    pub response_body: Option<String>,
    pub location: Option<String>,
}

pub fn find(conn: &mut DbConnection, user_id: i64, key: &str) -> AppResult<Option<StoredCall>> {
    let row = idempotency_keys::table
        .find((user_id, key))
        .select((
            idempotency_keys::operation,
            idempotency_keys::body_hash,
            idempotency_keys::status_code,
            idempotency_keys::response_body,
            idempotency_keys::location,
        ))
        .first::<(String, String, Option<i32>, Option<String>, Option<String>)>(conn)
        .optional()?;
    Ok(row.map(
        |(operation, body_hash, status_code, response_body, location)| StoredCall {
            operation,
            body_hash,
            status_code,
            response_body,
            location,
        },
    ))
}

/// Forgets this user's keys older than `before`.
pub fn purge(conn: &mut DbConnection, user_id: i64, before: DateTime<Utc>) -> AppResult<()> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::user_id.eq(user_id))
            .filter(idempotency_keys::created_at.lt(to_db(before))),
    )
    .execute(conn)?;
    Ok(())
}

/// Claims a key. `Ok(false)` when a concurrent transaction claimed it first (on
/// PostgreSQL the insert waits for that transaction and then fails); the caller must
/// roll back and look again.
pub fn claim(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
    operation: &str,
    body_hash: &str,
    now: DateTime<Utc>,
) -> Result<bool, DieselError> {
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::key.eq(key),
            idempotency_keys::operation.eq(operation),
            idempotency_keys::body_hash.eq(body_hash),
            idempotency_keys::created_at.eq(to_db(now)),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(true),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}

pub fn complete(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
    status_code: u16,
    body: &str,
    location: Option<&str>,
) -> AppResult<()> {
    diesel::update(idempotency_keys::table.find((user_id, key)))
        .set((
            idempotency_keys::status_code.eq(i32::from(status_code)),
            idempotency_keys::response_body.eq(body),
            idempotency_keys::location.eq(location),
        ))
        .execute(conn)?;
    Ok(())
}
