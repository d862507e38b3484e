//! Login and its throttle.
//!
//! Every password check is counted before it is made, in the same step that decides
//! whether it may be made, so parallel guesses cannot slip past the count: at most
//! [`MAX_ATTEMPTS_PER_ACCOUNT`] checks per account, and [`MAX_ATTEMPTS_PER_ADDRESS`]
//! per client address, within [`WINDOW_MINUTES`]. A successful login forgets its
//! account's attempts, so what stays counted are failures (and checks under way).
//! The hash itself runs after the database trip, through the hashing gate.

use chrono::{DateTime, Duration, Utc};

use crate::domain::{Email, Role};
use crate::error::{AppError, AppResult};
use crate::service::{Ctx, password};
use crate::store::login_attempts::{self, Key};
use crate::store::{Db, locks, tx, users};

pub const MAX_ATTEMPTS_PER_ACCOUNT: i64 = 10;
/// Enough for an office behind one address whose staff mistype now and then; too few
/// to try one password on many accounts.
pub const MAX_ATTEMPTS_PER_ADDRESS: i64 = 50;
pub const WINDOW_MINUTES: i64 = 15;

pub struct Session {
    pub access_token: String,
    pub expires_in: i64,
    pub role: Role,
}

struct Attempt {
    account: String,
    credentials: Option<users::Credentials>,
}

/// The account behind a successful password check.
pub struct Checked {
    pub user_id: i64,
    pub role: Role,
    pub token_version: i32,
}

/// Checks the credentials and hands out a token. An unknown email, a wrong password
/// and an inactive account give the same answer after the same work.
pub async fn login(ctx: &Ctx, email: String, password: String, client_address: String) -> AppResult<Session> {
    let checked = check(ctx, email, password, client_address).await?;
    let tokens = ctx.tokens.clone();
    let now = ctx.clock.now();
    let access_token = tokens.issue(checked.user_id, checked.role, checked.token_version, now)?;
    Ok(Session {
        access_token,
        expires_in: crate::service::tokens::TOKEN_TTL_SECS,
        role: checked.role,
    })
}

/// The password check behind every way in (a token for the API, a session for the
/// desk), with its throttle: a successful check forgets the account's attempts.
pub async fn check(ctx: &Ctx, email: String, password: String, client_address: String) -> AppResult<Checked> {
    if email.trim().is_empty() || email.len() > 254 || email.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "email",
            "must be an email address of at most 254 characters",
        ));
    }
    if password.is_empty() || password.len() > 1024 {
        return Err(AppError::invalid("password", "must be between 1 and 1024 bytes"));
    }
    let key = email.trim().to_lowercase();
    let clock = ctx.clock.clone();
    let attempt = ctx
        .db
        .run(move |conn| {
            let now = clock.now();
            tx::write(conn, |conn| {
                locks::login_keys(conn, &[&key, &client_address])?;
                let since = now - Duration::minutes(WINDOW_MINUTES);
                let by_account = login_attempts::count_since(conn, Key::Email(&key), since)?;
                let by_address = login_attempts::count_since(conn, Key::Address(&client_address), since)?;
                refuse_past_limit(by_account.attempts, MAX_ATTEMPTS_PER_ACCOUNT, by_account.oldest, now)?;
                refuse_past_limit(by_address.attempts, MAX_ATTEMPTS_PER_ADDRESS, by_address.oldest, now)?;
                login_attempts::record(conn, &key, &client_address, now)?;
                let credentials = match Email::parse(&email) {
                    Ok(parsed) => users::find_credentials(conn, &parsed)?,
                    Err(_) => None,
                };
                Ok(Attempt {
                    account: key.clone(),
                    credentials,
                })
            })
        })
        .await?;
    let Attempt { account, credentials } = attempt;
    let stored_hash = credentials.as_ref().map(|c| c.password_hash.clone());
    let checked = password::Gate::shared()
        .run(move || match stored_hash {
            Some(hash) => password::verify(&password, &hash),
            None => {
                password::verify_against_nothing(&password);
                false
            }
        })
        .await;
    let matches = match checked {
        Ok(matches) => matches,
        Err(busy) => {
            // No check was made: it does not count against the account.
            forget_one(&ctx.db, account).await;
            return Err(busy);
        }
    };
    let Some(credentials) = credentials.filter(|c| matches && c.active) else {
        return Err(AppError::Unauthorized("wrong email or password"));
    };
    ctx.db.run(move |conn| login_attempts::clear(conn, &account)).await?;
    Ok(Checked {
        user_id: credentials.user_id,
        role: credentials.role,
        token_version: credentials.token_version,
    })
}

/// 429 once `attempts` reached `limit`, with the seconds until the oldest leaves the window.
fn refuse_past_limit(attempts: i64, limit: i64, oldest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> AppResult<()> {
    if attempts < limit {
        return Ok(());
    }
    let frees_at = oldest.unwrap_or(now) + Duration::minutes(WINDOW_MINUTES);
    Err(AppError::TooManyRequests {
        retry_after_secs: (frees_at - now).num_seconds().max(1) as u64,
    })
}

/// Takes back the newest attempt of an account whose check never ran.
async fn forget_one(db: &Db, email: String) {
    let forgotten = db.run(move |conn| login_attempts::forget_newest(conn, &email)).await;
    if let Err(e) = forgotten {
        tracing::warn!(error = %e, "an attempt that was turned away stays counted");
    }
}

/// Forgets attempts that left the window (the job `purge-login-attempts`).
pub fn purge(db: &Db, now: DateTime<Utc>) -> AppResult<usize> {
    let before = now - Duration::minutes(WINDOW_MINUTES);
    db.run_blocking(move |conn| login_attempts::purge(conn, before))
}
