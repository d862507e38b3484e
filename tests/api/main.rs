//! API tests against the real server: `cargo test` runs them on SQLite; with
//! `TEST_DATABASE_URL=postgres://…` they run on PostgreSQL.

mod browser;
mod cluster;
mod desk;
mod fixtures;
mod helpers;
mod load;
mod proxy;
mod served;
mod world;

mod assignments;
mod auth;
mod authorization;
mod caller_cache;
mod cli;
mod cursors;
mod database;
mod errors;
mod hand_over;
mod health;
mod login_throttle;
mod mail;
mod mail_poison;
mod matching;
mod openapi;
mod pagination;
mod referrals;
mod registry;
mod reports;
mod restart;
mod scenario;
mod security_headers;
mod sessions;
mod smtp;
mod statements;
mod validation;
mod visits;
mod vouchers;
