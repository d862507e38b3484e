//! One connection type for both backends, and the pool that hands them out.
//!
//! The backend is chosen from the configured target, never by trial: diesel's own
//! `MultiConnection::establish` tries each backend in turn and would report SQLite's
//! error for a mistyped PostgreSQL URL.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{self, ManageConnection, R2D2Connection};
use diesel::{Connection, PgConnection, SqliteConnection};

use crate::config::DatabaseTarget;
use crate::error::{AppError, AppResult};

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// A pooled connection plus a mark set when a query failed because the connection
/// itself is gone, so the pool drops it instead of handing it out again.
pub struct PooledDb {
    pub conn: DbConnection,
    broken: bool,
}

pub struct Manager {
    target: DatabaseTarget,
}

/// SQLite settings that hold per connection: writers queue on the lock instead of
/// failing at once, and foreign keys are enforced (they are off by default).
/// `busy_timeout` comes first so that switching a new file to WAL waits for a
/// concurrent connection instead of failing. `synchronous = FULL` flushes the WAL at
/// every commit: with NORMAL a power cut could undo a sale or a redemption the
/// service had already confirmed, as `synchronous_commit = off` could on PostgreSQL.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 15000; \
     PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON;";

impl ManageConnection for Manager {
    type Connection = PooledDb;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<PooledDb, Self::Error> {
        let conn = match &self.target {
            DatabaseTarget::Postgres(url) => {
                DbConnection::Postgres(PgConnection::establish(url).map_err(r2d2::Error::ConnectionError)?)
            }
            DatabaseTarget::Sqlite(path) => {
                let mut conn =
                    SqliteConnection::establish(&path.to_string_lossy()).map_err(r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS).map_err(r2d2::Error::QueryError)?;
                DbConnection::Sqlite(conn)
            }
        };
        Ok(PooledDb { conn, broken: false })
    }

    fn is_valid(&self, conn: &mut PooledDb) -> Result<(), Self::Error> {
        conn.conn.batch_execute("SELECT 1").map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut PooledDb) -> bool {
        conn.broken || std::thread::panicking() || conn.conn.is_broken()
    }
}

/// The database handle the services use: a pool plus the rule that every query runs
/// on the blocking thread pool, never on the async executor.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    /// Whether the last unit of work reached the database: false from a failure that
    /// was the database's being unreachable until the next that succeeds.
    reachable: Arc<AtomicBool>,
}

impl Db {
    /// Builds the pool without connecting; the first `get` reports an unreachable server.
    /// It keeps one connection ready in the background, for a server.
    pub fn new(target: &DatabaseTarget, max_size: u32) -> Db {
        Db::build(target, max_size, Some(1))
    }

    /// A pool for a one-shot command: it connects only when asked. A pool that keeps a
    /// connection ready opens one in a background thread right after each checkout; a
    /// command that then ends exits while that thread is inside libpq's TLS handshake,
    /// and the process dies of SIGSEGV in OpenSSL's exit handlers after its work is done.
    pub fn for_command(target: &DatabaseTarget) -> Db {
        Db::build(target, 2, Some(0))
    }

    fn build(target: &DatabaseTarget, max_size: u32, min_idle: Option<u32>) -> Db {
        let pool = r2d2::Pool::builder()
            .max_size(max_size)
            .min_idle(min_idle)
            .connection_timeout(Duration::from_secs(3))
            // A ping per checkout would double the round trips of every request;
            // a failed query marks its connection broken instead (see `run_blocking`).
            .test_on_check_out(false)
            .build_unchecked(Manager { target: target.clone() });
        Db {
            pool,
            reachable: Arc::new(AtomicBool::new(true)),
        }
    }

    /// Whether the database answered the last unit of work that asked it.
    pub fn reachable(&self) -> bool {
        self.reachable.load(Ordering::SeqCst)
    }

    /// Runs `f` with a pooled connection on the current thread (CLI and jobs).
    pub fn run_blocking<T>(&self, f: impl FnOnce(&mut DbConnection) -> AppResult<T>) -> AppResult<T> {
        let mut pooled = match self.pool.get() {
            Ok(pooled) => pooled,
            Err(e) => {
                self.reachable.store(false, Ordering::SeqCst);
                return Err(AppError::unavailable_because("no database connection", e));
            }
        };
        let result = f(&mut pooled.conn);
        match &result {
            Err(AppError::Unavailable(_)) => {
                pooled.broken = true;
                self.reachable.store(false, Ordering::SeqCst);
            }
            _ => self.reachable.store(true, Ordering::SeqCst),
        }
        result
    }

    /// Runs `f` with a pooled connection on the blocking thread pool.
    pub async fn run<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let db = self.clone();
        actix_web::web::block(move || db.run_blocking(f))
            .await
            .map_err(|e| AppError::internal_because("blocking task failed", e))?
    }
}
