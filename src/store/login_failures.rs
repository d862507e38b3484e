//! Failed logins per email, for the lock-out rule. Kept in the database so that
//! several instances share the count.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::schema::login_failures;
use crate::store::time::{from_db, to_db};

/// How many failures since `since`, and when the oldest of them happened.
pub fn count_since(
    conn: &mut DbConnection,
    email: &str,
    since: DateTime<Utc>,
) -> AppResult<(i64, Option<DateTime<Utc>>)> {
    let (count, oldest) = login_failures::table
        .filter(login_failures::email.eq(email))
        .filter(login_failures::failed_at.gt(to_db(since)))
        .select((diesel::dsl::count_star(), diesel::dsl::min(login_failures::failed_at)))
        .first::<(i64, Option<chrono::NaiveDateTime>)>(conn)?;
    Ok((count, oldest.map(from_db)))
}

/// Records a failure and forgets this email's failures older than `forget_before`.
pub fn record(conn: &mut DbConnection, email: &str, at: DateTime<Utc>, forget_before: DateTime<Utc>) -> AppResult<()> {
    diesel::delete(
        login_failures::table
            .filter(login_failures::email.eq(email))
            .filter(login_failures::failed_at.le(to_db(forget_before))),
    )
    .execute(conn)?;
    diesel::insert_into(login_failures::table)
        .values((login_failures::email.eq(email), login_failures::failed_at.eq(to_db(at))))
        .execute(conn)?;
    Ok(())
}

pub fn clear(conn: &mut DbConnection, email: &str) -> AppResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::email.eq(email))).execute(conn)?;
    Ok(())
}
