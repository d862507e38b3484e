//! Login and its lock-out rule.

use chrono::Duration;

use crate::domain::{Email, Role};
use crate::error::{AppError, AppResult};
use crate::service::{Ctx, password};
use crate::store::{login_failures, time, users};

/// Failed logins for one email within the window before it is locked.
pub const MAX_FAILURES: i64 = 10;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;

pub struct Session {
    pub access_token: String,
    pub expires_in: i64,
    pub role: Role,
}

/// Checks the credentials and hands out a token. An unknown email, a wrong password
/// and an inactive account give the same answer after the same work.
pub async fn login(ctx: &Ctx, email: String, password: String) -> AppResult<Session> {
    if email.trim().is_empty() || email.len() > 254 || email.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "email",
            "must be an email address of at most 254 characters",
        ));
    }
    if password.is_empty() || password.len() > 1024 {
        return Err(AppError::invalid("password", "must be between 1 and 1024 bytes"));
    }
    let tokens = ctx.tokens.clone();
    ctx.db
        .run(move |conn| {
            let now = time::now();
            let window = Duration::minutes(FAILURE_WINDOW_MINUTES);
            let key = email.trim().to_lowercase();
            let (failures, oldest) = login_failures::count_since(conn, &key, now - window)?;
            if failures >= MAX_FAILURES {
                let unlocks_at = oldest.unwrap_or(now) + window;
                let retry_after_secs = (unlocks_at - now).num_seconds().max(1) as u64;
                return Err(AppError::TooManyRequests { retry_after_secs });
            }
            let credentials = match Email::parse(&email) {
                Ok(parsed) => users::find_credentials(conn, &parsed)?,
                Err(_) => None,
            };
            let accepted = match &credentials {
                Some(c) => password::verify(&password, &c.password_hash) && c.active,
                None => {
                    password::verify_against_nothing(&password);
                    false
                }
            };
            let Some(credentials) = credentials.filter(|_| accepted) else {
                login_failures::record(conn, &key, now, now - window)?;
                return Err(AppError::Unauthorized("wrong email or password"));
            };
            if failures > 0 {
                login_failures::clear(conn, &key)?;
            }
            let access_token = tokens.issue(credentials.user_id, credentials.role, now)?;
            Ok(Session {
                access_token,
                expires_in: crate::service::tokens::TOKEN_TTL_SECS,
                role: credentials.role,
            })
        })
        .await
}
