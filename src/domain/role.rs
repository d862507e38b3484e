use crate::domain::text_enum::text_enum;

text_enum! {
    /// What a user may do; see DESIGN.md "Who uses it".
    pub enum Role {
        Client = "client",
        Member = "member",
        Coach = "coach",
        Advisor = "advisor",
        Coordinator = "coordinator",
        Admin = "admin",
    }
}

impl Role {
    /// Staff work for municipalities; clients and members act only for themselves.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Coach | Role::Advisor | Role::Coordinator | Role::Admin)
    }

    /// Admin runs the installation and is not bound to municipalities.
    pub fn is_global(self) -> bool {
        self == Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_name() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(*role));
        }
        assert!("root".parse::<Role>().is_err());
    }
}
