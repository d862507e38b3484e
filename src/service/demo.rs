//! The demo data of `serve --demo`: a small, realistic Dutch set so a newcomer can try
//! the API at once. Each part is loaded once (a marker row in the same transaction),
//! so a second start adds nothing.

use crate::domain::user::Password;
use crate::domain::{Email, Role};
use crate::error::AppResult;
use crate::service::password;
use crate::store::{DbConnection, demo_parts, municipalities, time, tx, users};

pub const DEMO_PASSWORD: &str = "demo-wachtwoord";

pub const MUNICIPALITIES: [&str; 2] = ["Waalre", "Valkenswaard"];

pub struct DemoLogin {
    pub email: &'static str,
    pub role: Role,
    pub municipalities: &'static [&'static str],
}

pub const STAFF: [DemoLogin; 5] = [
    DemoLogin {
        email: "admin@demo.woonservice.nl",
        role: Role::Admin,
        municipalities: &[],
    },
    DemoLogin {
        email: "coordinator@demo.woonservice.nl",
        role: Role::Coordinator,
        municipalities: &["Waalre", "Valkenswaard"],
    },
    DemoLogin {
        email: "advisor@demo.woonservice.nl",
        role: Role::Advisor,
        municipalities: &["Waalre"],
    },
    DemoLogin {
        email: "advisor.valkenswaard@demo.woonservice.nl",
        role: Role::Advisor,
        municipalities: &["Valkenswaard"],
    },
    DemoLogin {
        email: "coach@demo.woonservice.nl",
        role: Role::Coach,
        municipalities: &["Waalre"],
    },
];

/// Loads every demo part not loaded before; returns the names of those loaded now.
pub fn load(conn: &mut DbConnection) -> AppResult<Vec<&'static str>> {
    let mut loaded = Vec::new();
    if load_part(conn, "staff", load_staff)? {
        loaded.push("staff");
    }
    Ok(loaded)
}

fn load_part(
    conn: &mut DbConnection,
    name: &'static str,
    part: fn(&mut DbConnection) -> AppResult<()>,
) -> AppResult<bool> {
    tx::write(conn, |conn| {
        if demo_parts::is_loaded(conn, name)? {
            return Ok(false);
        }
        part(conn)?;
        demo_parts::mark_loaded(conn, name, time::now())?;
        Ok(true)
    })
}

fn load_staff(conn: &mut DbConnection) -> AppResult<()> {
    let now = time::now();
    for name in MUNICIPALITIES {
        if municipalities::find_id_by_name(conn, name)?.is_none() {
            municipalities::insert_named(conn, name, now)?;
        }
    }
    let demo_password = Password::parse(DEMO_PASSWORD).expect("the demo password is valid");
    for login in &STAFF {
        let email = Email::parse(login.email).expect("demo emails are valid");
        if users::email_exists(conn, &email)? {
            continue;
        }
        let mut scope = Vec::new();
        for name in login.municipalities {
            scope.extend(municipalities::find_id_by_name(conn, name)?);
        }
        users::insert(
            conn,
            &users::NewUser {
                email: &email,
                password_hash: &password::hash(&demo_password)?,
                role: login.role,
                municipality_ids: &scope,
                now,
            },
        )?;
    }
    Ok(())
}
