//! Use cases: authorization, validation against stored state, transactions. Each
//! public async function is one use case and does its database work in one trip to
//! the blocking pool.

pub mod actor;
pub mod auth;
pub mod demo;
pub mod health;
pub mod password;
pub mod tokens;
pub mod users;

use std::sync::Arc;

use crate::store::Db;

/// What every use case needs, shared by all HTTP workers.
#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub tokens: Arc<tokens::Tokens>,
}
