//! Changes to accounts as PostgreSQL announces them: a trigger on `users`,
//! `user_municipalities` and `user_links` notifies the channel below with the user's id
//! when the changing transaction commits (migration 000014). Every instance listens on
//! a connection of its own.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use crate::error::{AppError, AppResult};

pub const CHANNEL: &str = "woonservice_user_changed";

pub struct Listener {
    conn: PgConnection,
}

impl Listener {
    pub fn connect(url: &str) -> AppResult<Listener> {
        let mut conn = PgConnection::establish(url)
            .map_err(|e| AppError::unavailable_because("the account-change listener cannot connect", e))?;
        conn.batch_execute(&format!("LISTEN {CHANNEL}"))?;
        Ok(Listener { conn })
    }

    /// The ids of the accounts changed since the last call, without waiting and without
    /// a statement: what the server has sent is read from the connection. An error
    /// means the connection is gone.
    pub fn changed(&mut self) -> AppResult<Vec<i64>> {
        let mut ids = Vec::new();
        for notification in self.conn.notifications_iter() {
            let notification = notification?;
            match notification.payload.parse() {
                Ok(id) => ids.push(id),
                Err(_) => tracing::warn!(payload = %notification.payload, "an account-change notice without a user id"),
            }
        }
        Ok(ids)
    }
}
