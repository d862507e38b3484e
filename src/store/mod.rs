//! Diesel queries. One module per table or aggregate; no HTTP and no business rules.

pub mod assignments;
pub mod bulk;
pub mod categories;
pub mod clients;
pub mod codes;
pub mod connection;
pub mod demo_parts;
pub mod desk_sessions;
pub mod follow_ups;
pub mod health;
pub mod idempotency;
pub mod locks;
pub mod login_attempts;
pub mod members;
pub mod migrations;
pub mod municipalities;
pub mod outbox;
pub mod paging;
pub mod per_backend;
pub mod providers;
pub mod queue;
pub mod referrals;
pub mod reports;
pub mod request_detail;
pub mod requests;
pub mod routing_facts;
pub mod schema;

pub mod sql_functions;
pub mod text_columns;
pub mod time;
pub mod trail;
pub mod tx;
pub mod user_changes;
pub mod users;
pub mod voucher_history;
pub mod vouchers;

pub use connection::{Db, DbConnection};
