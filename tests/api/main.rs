//! API tests against the real server: `cargo test` runs them on SQLite; with
//! `TEST_DATABASE_URL=postgres://…` they run on PostgreSQL.

mod browser;
mod helpers;
mod proxy;
mod world;

mod assignments;
mod auth;
mod authorization;
mod cli;
mod cursors;
mod database;
mod errors;
mod health;
mod mail;
mod matching;
mod openapi;
mod pagination;
mod registry;
mod reports;
mod scenario;
mod security_headers;
mod smtp;
mod validation;
mod vouchers;
