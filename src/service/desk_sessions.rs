//! Sessions of the desk. Signing in checks the password exactly as the API's login
//! (same throttle); the browser gets a random token, the database keeps its hash.
//! A session ends at log-out, after [`SESSION_HOURS`], or as soon as the account's
//! token version moves on (a new password, deactivation): the caller is loaded with
//! the version the session began under, as a bearer token's is.

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::domain::Role;
use crate::domain::client::Language;
use crate::error::AppResult;
use crate::service::tokens::Subject;
use crate::service::{Ctx, auth};
use crate::store::Db;
use crate::store::desk_sessions::{self, Live};
use crate::store::users;

/// A working day and then some: an advisor signs in once a day.
pub const SESSION_HOURS: i64 = 10;

/// A new session: the token for the browser, and whose it is.
pub struct Opened {
    pub token: String,
    pub role: Role,
}

pub async fn open(ctx: &Ctx, email: String, password: String, client_address: String) -> AppResult<Opened> {
    let checked = auth::check(ctx, email, password, client_address).await?;
    let token = new_token();
    let hash = hash_of(&token);
    let now = ctx.clock.now();
    let live = Live {
        user_id: checked.user_id,
        token_version: checked.token_version,
    };
    ctx.db
        .run(move |conn| desk_sessions::start(conn, &hash, live, now, now + Duration::hours(SESSION_HOURS)))
        .await?;
    Ok(Opened {
        token,
        role: checked.role,
    })
}

/// A live session: who it is for, and the language they chose for the desk.
pub struct Session {
    pub subject: Subject,
    pub language: Option<Language>,
}

/// The session of a token, if it is still live.
pub async fn of_token(ctx: &Ctx, token: &str) -> AppResult<Option<Session>> {
    let hash = hash_of(token);
    let now = ctx.clock.now();
    let found = ctx
        .db
        .run(move |conn| desk_sessions::find_live(conn, &hash, now))
        .await?;
    Ok(found.map(|f| Session {
        subject: Subject {
            user_id: f.live.user_id,
            token_version: f.live.token_version,
        },
        language: f.language.and_then(|l| l.parse().ok()),
    }))
}

/// Keeps the language the session's user chose, for every browser they sign in with.
pub async fn choose_language(ctx: &Ctx, session: &Session, language: Language) -> AppResult<()> {
    let user_id = session.subject.user_id;
    ctx.db
        .run(move |conn| users::set_desk_language(conn, user_id, language.as_str()))
        .await
}

/// Log-out: the token opens nothing any more, whoever holds a copy.
pub async fn close(ctx: &Ctx, token: &str) -> AppResult<()> {
    let hash = hash_of(token);
    let now = ctx.clock.now();
    ctx.db.run(move |conn| desk_sessions::end(conn, &hash, now)).await
}

/// Forgets sessions a day after they ended or expired (with the job
/// `purge-login-attempts`).
pub fn purge(db: &Db, now: DateTime<Utc>) -> AppResult<usize> {
    db.run_blocking(move |conn| desk_sessions::purge(conn, now - Duration::days(1)))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn hash_of(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
}
