//! Who is asking, and the named checks that every use case calls where its rule applies.

use chrono::{DateTime, Utc};

use crate::domain::Role;
use crate::domain::member::MemberFields;
use crate::domain::user::User;
use crate::error::{AppError, AppResult};
use crate::service::callers::Callers;
use crate::service::tokens::Subject;
use crate::store::{DbConnection, municipalities, users};

/// The user behind a request, as the database knows it now, and the moment of the
/// call: everything one call writes carries that one time.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user: User,
    pub now: DateTime<Utc>,
}

impl Actor {
    pub fn id(&self) -> i64 {
        self.user.id
    }

    /// The time of this call, from the service's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub fn role(&self) -> Role {
        self.user.role
    }

    /// Whether the actor is a coach who looks after this member.
    pub fn coaches(&self, member: &MemberFields) -> bool {
        self.is(Role::Coach) && member.is_coached_by(self.id(), |m| self.in_scope(m))
    }

    /// Whether a record of this municipality is visible to the actor.
    pub fn in_scope(&self, municipality_id: i64) -> bool {
        self.user.role.is_global() || self.user.municipality_ids.contains(&municipality_id)
    }

    /// The municipalities a list is limited to; `None` for an admin, who sees all.
    pub fn scope(&self) -> Option<&[i64]> {
        if self.user.role.is_global() {
            None
        } else {
            Some(&self.user.municipality_ids)
        }
    }

    pub fn is(&self, role: Role) -> bool {
        self.user.role == role
    }

    /// This user, at this call's moment, as the author of a change.
    pub fn by(&self) -> By {
        By {
            user_id: Some(self.id()),
            now: self.now,
        }
    }
}

/// Who makes a change and when: a user, or the service itself (a job) with no user.
#[derive(Debug, Clone, Copy)]
pub struct By {
    pub user_id: Option<i64>,
    pub now: DateTime<Utc>,
}

impl By {
    /// The service's own change, such as a job's.
    pub fn engine(now: DateTime<Utc>) -> By {
        By { user_id: None, now }
    }
}

/// Loads the token's user, from `callers` when given and holding the account; a
/// deleted or deactivated account, and a token issued before the account's password,
/// role or scope last changed, are refused here, on their very next request.
pub fn load(
    conn: &mut DbConnection,
    callers: Option<&Callers>,
    subject: Subject,
    now: DateTime<Utc>,
) -> AppResult<Actor> {
    if let Some(user) = callers.and_then(|c| c.get(subject.user_id, subject.token_version)) {
        return Ok(Actor { user, now });
    }
    let generation = callers.map(Callers::generation);
    match users::find(conn, subject.user_id)? {
        Some(user) if user.active && user.token_version == subject.token_version => {
            if let (Some(callers), Some(generation)) = (callers, generation) {
                callers.keep(&user, generation);
            }
            Ok(Actor { user, now })
        }
        Some(user) if user.active => Err(AppError::Unauthorized(
            "the token ended when the account changed; log in again",
        )),
        _ => Err(AppError::Unauthorized("the account is not active")),
    }
}

pub fn require_role(actor: &Actor, allowed: &[Role]) -> AppResult<()> {
    if allowed.contains(&actor.role()) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A missing record is a 404.
pub fn found<T>(record: Option<T>) -> AppResult<T> {
    record.ok_or(AppError::NotFound)
}

/// A record outside the actor's municipalities answers as if it did not exist.
pub fn ensure_in_scope(actor: &Actor, municipality_id: i64) -> AppResult<()> {
    if actor.in_scope(municipality_id) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Why a municipality named in a body cannot be used, if it cannot: one the actor does
/// not serve and one that does not exist get the same words, so a caller learns nothing
/// of municipalities outside their scope.
pub fn unusable_municipality(
    conn: &mut DbConnection,
    actor: &Actor,
    municipality_id: i64,
) -> AppResult<Option<String>> {
    if actor.in_scope(municipality_id) && municipalities::exists(conn, municipality_id)? {
        Ok(None)
    } else {
        Ok(Some(not_served(municipality_id)))
    }
}

pub fn not_served(municipality_id: i64) -> String {
    format!("{municipality_id} is not a municipality you serve")
}
