//! Row locks that make check-then-write safe under concurrent requests.
//!
//! The rule, in one place: every write that checks an invariant across rows (a
//! member's overlapping assignments and weekly hours, a client's vouchers) first locks
//! the row that owns those rows, inside its write transaction.
//! - PostgreSQL: `SELECT … FOR UPDATE` on the owner row; a second transaction waits
//!   there until the first commits, then sees its writes.
//! - SQLite: the transaction took the database write lock at `BEGIN IMMEDIATE`
//!   (`store::tx::write`), so writers are already one at a time; nothing more to do.

use diesel::prelude::*;

use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::per_backend::postgres_only;
use crate::store::schema::{clients, members, requests};

pub fn member(conn: &mut DbConnection, id: i64) -> AppResult<()> {
    postgres_only!(conn, |pg| members::table
        .find(id)
        .select(members::id)
        .for_update()
        .first::<i64>(pg)
        .optional())
    .transpose()?;
    Ok(())
}

pub fn client(conn: &mut DbConnection, id: i64) -> AppResult<()> {
    postgres_only!(conn, |pg| clients::table
        .find(id)
        .select(clients::id)
        .for_update()
        .first::<i64>(pg)
        .optional())
    .transpose()?;
    Ok(())
}

pub fn request(conn: &mut DbConnection, id: i64) -> AppResult<()> {
    postgres_only!(conn, |pg| requests::table
        .find(id)
        .select(requests::id)
        .for_update()
        .first::<i64>(pg)
        .optional())
    .transpose()?;
    Ok(())
}
