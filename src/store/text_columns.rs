//! The domain's text enums (`domain::text_enum`) as diesel `Text` values, on PostgreSQL,
//! on SQLite and on the `MultiBackend` of `DbConnection`: a row loads them typed, and an
//! insert or a filter binds them as they are. The text is each enum's `as_str`; a
//! stored text that is no variant fails the load with a deserialisation error.
//!
//! The impls live here, not beside the enums, because the domain knows no SQL; the
//! orphan rule allows them in this crate, which owns the enums.

use crate::domain::assignment::{AssignmentStatus, SignOff};
use crate::domain::client::{Language, TargetGroup};
use crate::domain::mail::{MailStatus, MailTemplate};
use crate::domain::member::{MemberKind, MemberStatus, Outflow};
use crate::domain::provider::ProviderKind;
use crate::domain::referral::ReferralStatus;
use crate::domain::request::{RequestStatus, Tier};
use crate::domain::role::Role;
use crate::domain::routing::{Outcome, ReasonCode};
use crate::domain::voucher::{EventKind, VoucherStatus};

/// For each enum: `AsExpression<Text>` and `Queryable<Text, _>` through diesel's own
/// derives (`foreign_derive` puts them on the wrapped type), and `ToSql`/`FromSql` for
/// every backend whose `str`/`String` are `Text`, which covers `Pg`, `Sqlite` and the
/// `MultiBackend` alike.
macro_rules! text_columns {
    ($($ty:ty),+ $(,)?) => {$(
        const _: () = {
            #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
            #[diesel(foreign_derive, sql_type = diesel::sql_types::Text)]
            #[allow(dead_code)]
            struct Column($ty);

            impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $ty
            where
                DB: diesel::backend::Backend,
                str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
            {
                fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                    <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(self.as_str(), out)
                }
            }

            impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $ty
            where
                DB: diesel::backend::Backend,
                String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
            {
                fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                    let text = <String as diesel::deserialize::FromSql<diesel::sql_types::Text, DB>>::from_sql(bytes)?;
                    text.parse()
                        .map_err(|e: String| format!("stored {}: {e}", stringify!($ty)).into())
                }
            }
        };
    )+};
}

text_columns!(
    AssignmentStatus,
    EventKind,
    Language,
    MailStatus,
    MailTemplate,
    MemberKind,
    MemberStatus,
    Outcome,
    Outflow,
    ProviderKind,
    ReasonCode,
    ReferralStatus,
    RequestStatus,
    Role,
    SignOff,
    TargetGroup,
    Tier,
    VoucherStatus,
);

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use diesel::sql_types::{Nullable, Text};

    use crate::domain::request::Tier;
    use crate::domain::role::Role;
    use crate::store::DbConnection;

    fn sqlite() -> DbConnection {
        DbConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap())
    }

    #[test]
    fn an_enum_binds_and_loads_as_its_text() {
        let mut conn = sqlite();
        let back: Role = diesel::select(Role::Coordinator.into_sql::<Text>())
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(back, Role::Coordinator);
        let text: String = diesel::select(Role::Coordinator.into_sql::<Text>())
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(text, "coordinator");
        let absent: Option<Tier> = diesel::select(None::<Tier>.into_sql::<Nullable<Text>>())
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(absent, None);
    }

    #[test]
    fn a_stored_text_that_is_no_variant_fails_the_load_and_says_which() {
        let mut conn = sqlite();
        let err = diesel::select("chief".into_sql::<Text>())
            .get_result::<Role>(&mut conn)
            .unwrap_err();
        assert!(matches!(err, diesel::result::Error::DeserializationError(_)), "{err:?}");
        // diesel says which field; the cause behind it says what was wrong, and the log
        // gets both (`AppError::Internal` keeps the diesel error as its source).
        let chain = crate::error::Chain(&err).to_string();
        assert!(chain.contains("stored Role: must be one of client,"), "{chain}");
        assert!(matches!(
            crate::error::AppError::from(err),
            crate::error::AppError::Internal(_)
        ));
    }
}
