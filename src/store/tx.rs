//! Write transactions.
//!
//! On SQLite a plain `BEGIN` takes the write lock only at the first write, and two
//! such transactions that both read first fail with "database is locked" instead of
//! waiting. `BEGIN IMMEDIATE` takes the lock up front, so concurrent writers queue
//! behind `busy_timeout`. PostgreSQL uses an ordinary transaction; the few places that
//! need a row lock take it explicitly (see `store::locks`).

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use crate::store::connection::DbConnection;

pub fn write<T, E, F>(conn: &mut DbConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConnection::Postgres(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => {
            DbConnection::commit_transaction(conn)?;
            Ok(value)
        }
        Err(e) => {
            // The original error is the one worth reporting; a failed rollback leaves
            // the connection marked broken by diesel and the pool discards it.
            let _ = DbConnection::rollback_transaction(conn);
            Err(e)
        }
    }
}
