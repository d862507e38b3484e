//! Demo part "staff": the two municipalities and one account per staff role.

use crate::domain::{Email, Role};
use crate::error::AppResult;
use crate::store::users::UserRecord;
use crate::store::{DbConnection, municipalities, users};
use chrono::{DateTime, Utc};

pub const MUNICIPALITIES: [&str; 2] = ["Waalre", "Valkenswaard"];

const STAFF: [(&str, Role, &[&str]); 5] = [
    ("admin@demo.woonservice.nl", Role::Admin, &[]),
    (
        "coordinator@demo.woonservice.nl",
        Role::Coordinator,
        &["Waalre", "Valkenswaard"],
    ),
    ("advisor@demo.woonservice.nl", Role::Advisor, &["Waalre"]),
    (
        "advisor.valkenswaard@demo.woonservice.nl",
        Role::Advisor,
        &["Valkenswaard"],
    ),
    ("coach@demo.woonservice.nl", Role::Coach, &["Waalre"]),
];

pub fn load(conn: &mut DbConnection, password_hash: &str, now: DateTime<Utc>) -> AppResult<()> {
    for name in MUNICIPALITIES {
        if municipalities::find_id_by_name(conn, name)?.is_none() {
            municipalities::insert_named(conn, name, now)?;
        }
    }
    for (email, role, scope_names) in STAFF {
        let email = Email::parse(email).expect("demo emails are valid");
        if users::email_exists(conn, &email)? {
            continue;
        }
        let mut scope = Vec::new();
        for name in scope_names {
            scope.extend(municipalities::find_id_by_name(conn, name)?);
        }
        let record = UserRecord {
            email: &email,
            role,
            active: true,
            municipality_ids: &scope,
            client_id: None,
            member_id: None,
            now,
        };
        users::insert(conn, &record, password_hash)?;
    }
    Ok(())
}
