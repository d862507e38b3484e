//! The one place where a query is run on the concrete connection rather than through
//! `MultiConnection`: for what the multi-backend lacks (batch insert on SQLite, row
//! locks on PostgreSQL). Each backend then picks its own implementation of the same
//! query builder value.

/// Runs `$body` with `$c` bound to the inner `PgConnection` or `SqliteConnection`.
macro_rules! on_inner {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::store::DbConnection::Postgres($c) => $body,
            $crate::store::DbConnection::Sqlite($c) => $body,
        }
    };
}

pub(crate) use on_inner;
