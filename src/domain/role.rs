use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a user may do; see DESIGN.md "Who uses it".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Client,
    Member,
    Coach,
    Advisor,
    Coordinator,
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Client,
        Role::Member,
        Role::Coach,
        Role::Advisor,
        Role::Coordinator,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Member => "member",
            Role::Coach => "coach",
            Role::Advisor => "advisor",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }

    /// Staff work for municipalities; clients and members act only for themselves.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Coach | Role::Advisor | Role::Coordinator | Role::Admin)
    }

    /// Admin runs the installation and is not bound to municipalities.
    pub fn is_global(self) -> bool {
        self == Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Role, String> {
        Role::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| {
            format!("unknown role '{s}'; expected one of client, member, coach, advisor, coordinator, admin")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
