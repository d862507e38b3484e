//! Use cases: authorization, validation against stored state, transactions. Each
//! public async function is one use case and does its database work in one trip to
//! the blocking pool.

pub mod actor;
pub mod assignment_endings;
pub mod assignments;
pub mod auth;
pub mod callers;
pub mod candidates;
pub mod caseload;
pub mod categories;
pub mod clients;
pub mod clock;
pub mod desk_sessions;
pub mod follow_ups;
pub mod health;
pub mod idempotency;
pub mod jobs;
pub mod keys;
pub mod mail;
pub mod members;
pub mod municipalities;
pub mod outbox;
pub mod password;
pub mod providers;
pub mod queue;
pub mod referrals;
pub mod reports;
pub mod requests;
pub mod routing;
pub mod sign_offs;
pub mod tokens;
pub mod users;
pub mod visits;
pub mod voucher_use;
pub mod vouchers;

use std::sync::Arc;

use crate::error::AppResult;
use crate::service::actor::Actor;
use crate::service::tokens::Subject;
use crate::store::{Db, DbConnection};

/// What every use case needs, shared by all HTTP workers.
#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub tokens: Arc<tokens::Tokens>,
    /// Whether the mail worker of this instance runs (read by `readyz`).
    pub mail_health: Arc<mail::worker::WorkerHealth>,
    /// Signing keys for other purposes, from the same secret as the tokens.
    pub keys: Arc<keys::ServerKeys>,
    /// Where every use case reads the time.
    pub clock: clock::Clock,
    /// Recent callers' accounts (PostgreSQL, while a listener hears changes).
    pub callers: Arc<callers::Callers>,
}

impl Ctx {
    /// Runs `work` on the blocking pool for the token's user, loaded (and checked
    /// active) on the same connection first.
    pub async fn as_actor<T, F>(&self, subject: Subject, work: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection, &Actor) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let clock = self.clock.clone();
        // The account comes from memory only while the database answers: during an
        // outage the call fails as any other does, rather than pass on what it remembers.
        let callers = self.db.reachable().then(|| self.callers.clone());
        self.db
            .run(move |conn| {
                let actor = actor::load(conn, callers.as_deref(), subject, clock.now())?;
                work(conn, &actor)
            })
            .await
    }
}
