//! Enums stored as text and sent as snake_case strings.

/// Declares an enum whose variants have a fixed text form, used in JSON and in the
/// database alike, with `ALL`, `as_str`, `FromStr` and `Display`.
macro_rules! text_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        // The text form is the variant's name in snake_case (the test below holds
        // every enum to it): utoipa reads `rename_all`, not a per-variant rename
        // that comes out of a macro.
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<$name, String> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    format!("must be one of {}, got {s:?}", names.join(", "))
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use text_enum;

#[cfg(test)]
mod tests {
    use crate::domain::assignment::AssignmentStatus;
    use crate::domain::client::{Language, TargetGroup};
    use crate::domain::mail::{MailStatus, MailTemplate};
    use crate::domain::member::{MemberKind, MemberStatus, Outflow};
    use crate::domain::provider::ProviderKind;
    use crate::domain::request::{RequestStatus, Tier};
    use crate::domain::role::Role;
    use crate::domain::routing::{Outcome, ReasonCode};
    use crate::domain::voucher::{EventKind, VoucherStatus};

    fn same<T: serde::Serialize + Copy>(all: &[T], text: impl Fn(T) -> &'static str) {
        for v in all {
            assert_eq!(
                serde_json::to_value(v).unwrap(),
                serde_json::Value::String(text(*v).into())
            );
        }
    }

    #[test]
    fn every_enum_has_one_text_form_in_json_and_in_the_database() {
        same(Role::ALL, Role::as_str);
        same(Tier::ALL, Tier::as_str);
        same(RequestStatus::ALL, RequestStatus::as_str);
        same(AssignmentStatus::ALL, AssignmentStatus::as_str);
        same(Outcome::ALL, Outcome::as_str);
        same(ReasonCode::ALL, ReasonCode::as_str);
        same(MemberKind::ALL, MemberKind::as_str);
        same(MemberStatus::ALL, MemberStatus::as_str);
        same(Outflow::ALL, Outflow::as_str);
        same(ProviderKind::ALL, ProviderKind::as_str);
        same(TargetGroup::ALL, TargetGroup::as_str);
        same(Language::ALL, Language::as_str);
        same(VoucherStatus::ALL, VoucherStatus::as_str);
        same(EventKind::ALL, EventKind::as_str);
        same(MailTemplate::ALL, MailTemplate::as_str);
        same(MailStatus::ALL, MailStatus::as_str);
    }
}
