//! `Idempotency-Key`: a repeated call with the same key and body answers what the
//! first answered and does nothing again — also when both arrive at once. The key is
//! claimed in the same transaction that does the work, so the work and its recorded
//! answer commit together or not at all. A repeat is answered only to a caller who may
//! still make the call: the use case's checks of role and scope run first, every time.

use chrono::Duration;

use crate::error::{AppError, AppResult};
use crate::service::actor::Actor;
use crate::store::{DbConnection, idempotency, tx};

/// How long a key is remembered.
pub const KEEP_HOURS: i64 = 24;

pub struct IdempotencyKey {
    pub key: String,
    /// The operation the key was used for; the same key on another operation is a reuse.
    pub operation: &'static str,
    /// A hash of the request body in canonical form.
    pub body_hash: String,
}

/// An answer as it was sent: what a repeat gets back.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub status: u16,
    pub body: String,
    pub location: Option<String>,
}

enum Failure {
    App(AppError),
    /// A concurrent call claimed the key first; look again once it has committed.
    KeyTaken,
}

impl From<diesel::result::Error> for Failure {
    fn from(e: diesel::result::Error) -> Failure {
        Failure::App(e.into())
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        Failure::App(e)
    }
}

/// Runs `guard` and then `work` in a write transaction and renders the answer; with a
/// key, a stored answer is replayed instead of the work — but only after `guard` has
/// passed, so a caller who lost the right to the call since gets the same refusal as
/// without the key. What `guard` finds (the records the call is about) goes to `work`.
pub fn run<G, T>(
    conn: &mut DbConnection,
    actor: &Actor,
    key: Option<&IdempotencyKey>,
    mut guard: impl FnMut(&mut DbConnection) -> AppResult<G>,
    mut work: impl FnMut(&mut DbConnection, G) -> AppResult<T>,
    render: impl Fn(&T) -> AppResult<Recorded>,
) -> AppResult<Recorded> {
    let Some(key) = key else {
        let value = tx::write(conn, |conn| {
            let checked = guard(conn)?;
            work(conn, checked)
        })?;
        return render(&value);
    };
    loop {
        let attempt = tx::write(conn, |conn| -> Result<Recorded, Failure> {
            let checked = guard(conn)?;
            let (user_id, now) = (actor.id(), actor.now());
            idempotency::purge(conn, user_id, now - Duration::hours(KEEP_HOURS))?;
            if let Some(stored) = idempotency::find(conn, user_id, &key.key)? {
                if stored.operation != key.operation || stored.body_hash != key.body_hash {
                    return Err(Failure::App(AppError::IdempotencyKeyReused));
                }
                let (Some(status), Some(body)) = (stored.status_code, stored.response_body) else {
                    return Err(Failure::App(AppError::internal(
                        "a claimed idempotency key has no answer",
                    )));
                };
                return Ok(Recorded {
                    status: status as u16,
                    body,
                    location: stored.location,
                });
            }
            if !idempotency::claim(conn, user_id, &key.key, key.operation, &key.body_hash, now)? {
                return Err(Failure::KeyTaken);
            }
            let value = work(conn, checked)?;
            let recorded = render(&value)?;
            idempotency::complete(
                conn,
                user_id,
                &key.key,
                recorded.status,
                &recorded.body,
                recorded.location.as_deref(),
            )?;
            Ok(recorded)
        });
        match attempt {
            Ok(recorded) => return Ok(recorded),
            Err(Failure::App(e)) => return Err(e),
            Err(Failure::KeyTaken) => continue,
        }
    }
}
