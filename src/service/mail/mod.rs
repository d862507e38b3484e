//! Mail: an outbox written with the change that causes it, templates, and a worker
//! that sends it over SMTP.

pub mod notify;
pub mod render;
pub mod worker;
