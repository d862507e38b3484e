use chrono::{DateTime, Utc};

use crate::domain::email::Email;
use crate::domain::role::Role;

/// An account. Staff are scoped to `municipality_ids`; an admin is global.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub email: Email,
    pub role: Role,
    pub active: bool,
    pub municipality_ids: Vec<i64>,
    /// The client record of a `client` user.
    pub client_id: Option<i64>,
    /// The member record of a `member` user.
    pub member_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Raised by every change that ends the account's tokens; a token carries the
    /// version it was issued under.
    pub token_version: i32,
}

/// A password as typed. Debug output never shows it, so it cannot end up in a log.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(input: &str) -> Result<Password, String> {
        let chars = input.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(format!("must be at least {} characters", Self::MIN_CHARS));
        }
        if chars > Self::MAX_CHARS {
            return Err(format!("must be at most {} characters", Self::MAX_CHARS));
        }
        Ok(Password(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// An account's settable fields (all but the password).
#[derive(Debug, Clone, PartialEq)]
pub struct UserFields {
    pub email: Email,
    pub role: Role,
    pub active: bool,
    pub municipality_ids: Vec<i64>,
    pub client_id: Option<i64>,
    pub member_id: Option<i64>,
}

#[derive(Debug, Default)]
pub struct UserPatch {
    pub email: Option<Email>,
    pub password: Option<Password>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub municipality_ids: Option<Vec<i64>>,
    pub client_id: Option<Option<i64>>,
    pub member_id: Option<Option<i64>>,
}

/// Staff serve the municipalities they are given; an admin serves every one and is
/// given none.
pub fn staff_scope_error(role: Role, municipalities: usize) -> Option<String> {
    if role.is_global() && municipalities > 0 {
        Some("an admin serves every municipality; leave this empty".into())
    } else if !role.is_global() && municipalities == 0 {
        Some(format!("a {role} needs at least one municipality"))
    } else {
        None
    }
}

impl UserFields {
    pub fn of(user: &User) -> UserFields {
        UserFields {
            email: user.email.clone(),
            role: user.role,
            active: user.active,
            municipality_ids: user.municipality_ids.clone(),
            client_id: user.client_id,
            member_id: user.member_id,
        }
    }

    /// Whether changing an account from `before` to this ends the tokens issued before
    /// the change: a token must not keep a role, a scope, a record or an activity the
    /// account no longer has. (A new password ends them too; the service knows that.)
    pub fn ends_sessions(&self, before: &UserFields) -> bool {
        let sorted = |ids: &[i64]| {
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            ids
        };
        self.role != before.role
            || self.active != before.active
            || sorted(&self.municipality_ids) != sorted(&before.municipality_ids)
            || self.client_id != before.client_id
            || self.member_id != before.member_id
    }

    /// Rules that tie role, scope and link together. A client or member account's
    /// scope is its record's municipality, filled in by the service.
    pub fn check(&self) -> Result<(), Vec<crate::domain::FieldError>> {
        use crate::domain::FieldError;
        let mut errors = Vec::new();
        match self.role {
            Role::Client => {
                if self.client_id.is_none() {
                    errors.push(FieldError::new(
                        "client_id",
                        "a client account needs the client it belongs to",
                    ));
                }
                if self.member_id.is_some() {
                    errors.push(FieldError::new("member_id", "only a member account has a member"));
                }
            }
            Role::Member => {
                if self.member_id.is_none() {
                    errors.push(FieldError::new(
                        "member_id",
                        "a member account needs the member it belongs to",
                    ));
                }
                if self.client_id.is_some() {
                    errors.push(FieldError::new("client_id", "only a client account has a client"));
                }
            }
            role => {
                if self.client_id.is_some() {
                    errors.push(FieldError::new("client_id", "only a client account has a client"));
                }
                if self.member_id.is_some() {
                    errors.push(FieldError::new("member_id", "only a member account has a member"));
                }
                if let Some(why) = staff_scope_error(role, self.municipality_ids.len()) {
                    errors.push(FieldError::new("municipality_ids", why));
                }
            }
        }
        let mut seen = self.municipality_ids.clone();
        seen.sort_unstable();
        seen.dedup();
        if seen.len() != self.municipality_ids.len() {
            errors.push(FieldError::new("municipality_ids", "lists a municipality twice"));
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    pub fn apply(mut self, patch: &UserPatch) -> UserFields {
        if let Some(email) = &patch.email {
            self.email = email.clone();
        }
        if let Some(role) = patch.role {
            self.role = role;
            // Leaving the client or member role drops the link unless the patch sets one.
            if role != Role::Client && patch.client_id.is_none() {
                self.client_id = None;
            }
            if role != Role::Member && patch.member_id.is_none() {
                self.member_id = None;
            }
        }
        if let Some(active) = patch.active {
            self.active = active;
        }
        if let Some(ids) = &patch.municipality_ids {
            self.municipality_ids = ids.clone();
        }
        if let Some(client_id) = patch.client_id {
            self.client_id = client_id;
        }
        if let Some(member_id) = patch.member_id {
            self.member_id = member_id;
        }
        self
    }
}

#[derive(Default)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub municipality_id: Option<i64>,
    pub active: Option<bool>,
}
