//! The one place that tells the backends apart, for what `MultiConnection` cannot say
//! once for both: batch inserts run on the concrete connection, and row locks
//! (`FOR UPDATE`, `FOR UPDATE SKIP LOCKED`) and a few maintenance statements exist on
//! PostgreSQL only. SQLite needs no row locks: a write transaction holds the database
//! write lock from `BEGIN IMMEDIATE` on (`store::tx`). The connection itself
//! (`store::connection`), that `BEGIN` and the per-backend migration sets
//! (`store::migrations`) are backend-specific by nature and live with what they do.

/// Runs `$body` with `$c` bound to the inner `PgConnection` or `SqliteConnection`:
/// each backend picks its own implementation of the same query builder value.
macro_rules! on_inner {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::store::DbConnection::Postgres($c) => $body,
            $crate::store::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// Loads `$query` with `$load` (`$q` the query, `$c` the connection); on PostgreSQL the
/// rows are locked `FOR UPDATE` (`skip_locked`: rows another transaction holds are
/// passed over) until the transaction ends.
macro_rules! locking {
    ($conn:expr, $query:expr, $($skip_locked:ident,)? |$q:ident, $c:ident| $load:expr) => {
        match &mut *$conn {
            $crate::store::DbConnection::Postgres($c) => {
                let $q = $query.for_update()$(.$skip_locked())?;
                $load
            }
            $c @ $crate::store::DbConnection::Sqlite(_) => {
                let $q = $query;
                $load
            }
        }
    };
}

/// Runs `$body` with `$pg` bound to the `PgConnection`, on PostgreSQL only; `None` on
/// SQLite.
macro_rules! postgres_only {
    ($conn:expr, |$pg:ident| $body:expr) => {
        match $conn {
            $crate::store::DbConnection::Postgres($pg) => Some($body),
            $crate::store::DbConnection::Sqlite(_) => None,
        }
    };
}

pub(crate) use {locking, on_inner, postgres_only};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::error::AppResult;
use crate::store::DbConnection;

/// Runs `sql` on PostgreSQL only (what SQLite does not need, like moving an identity
/// sequence past ids given explicitly).
pub fn on_postgres_only(conn: &mut DbConnection, sql: &str) -> AppResult<()> {
    postgres_only!(conn, |pg| diesel::sql_query(sql).execute(pg)).transpose()?;
    Ok(())
}

/// Runs one of two maintenance scripts, by backend.
pub fn batch(conn: &mut DbConnection, postgres: &str, sqlite: &str) -> AppResult<()> {
    match conn {
        DbConnection::Postgres(pg) => pg.batch_execute(postgres)?,
        DbConnection::Sqlite(lite) => lite.batch_execute(sqlite)?,
    }
    Ok(())
}
