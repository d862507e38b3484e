//! Embedded migrations, one set per backend with the same version names.

use diesel::RunQueryDsl;
use diesel::sql_types::BigInt;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::{AppError, AppResult};
use crate::store::connection::DbConnection;
use crate::store::tx;

const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

/// Any constant works; it only has to be the same for every instance.
const MIGRATION_LOCK_KEY: i64 = 0x0077_6f6f_6e6d_6967;

fn harness_error(e: Box<dyn std::error::Error + Send + Sync>) -> AppError {
    AppError::internal_because("migration failed", e)
}

/// Applies pending migrations and returns their versions. Two instances starting at
/// once are safe: PostgreSQL serialises them with an advisory lock, SQLite with the
/// write lock of one immediate transaction around the whole run.
pub fn run_pending(conn: &mut DbConnection) -> AppResult<Vec<String>> {
    match conn {
        DbConnection::Postgres(pg) => {
            diesel::sql_query("SELECT pg_advisory_lock($1)")
                .bind::<BigInt, _>(MIGRATION_LOCK_KEY)
                .execute(pg)?;
            let result = pg.run_pending_migrations(POSTGRES).map(versions).map_err(harness_error);
            let unlock = diesel::sql_query("SELECT pg_advisory_unlock($1)")
                .bind::<BigInt, _>(MIGRATION_LOCK_KEY)
                .execute(pg);
            let applied = result?;
            unlock?;
            Ok(applied)
        }
        DbConnection::Sqlite(_) => tx::write(conn, |conn| {
            let DbConnection::Sqlite(lite) = conn else {
                unreachable!("matched above")
            };
            lite.run_pending_migrations(SQLITE).map(versions).map_err(harness_error)
        }),
    }
}

/// Reverts every applied migration, newest first (used by the up-down-up test).
pub fn revert_all(conn: &mut DbConnection) -> AppResult<Vec<String>> {
    match conn {
        DbConnection::Postgres(pg) => pg.revert_all_migrations(POSTGRES).map(versions).map_err(harness_error),
        DbConnection::Sqlite(lite) => lite.revert_all_migrations(SQLITE).map(versions).map_err(harness_error),
    }
}

/// Versions that exist in the binary but are not applied to the database.
pub fn pending(conn: &mut DbConnection) -> AppResult<Vec<String>> {
    let names = match conn {
        DbConnection::Postgres(pg) => pg
            .pending_migrations(POSTGRES)
            .map(|p| p.iter().map(|m| m.name().version().to_string()).collect()),
        DbConnection::Sqlite(lite) => lite
            .pending_migrations(SQLITE)
            .map(|p| p.iter().map(|m| m.name().version().to_string()).collect()),
    };
    names.map_err(harness_error)
}

fn versions(applied: Vec<diesel::migration::MigrationVersion<'_>>) -> Vec<String> {
    applied.into_iter().map(|v| v.to_string()).collect()
}
