//! The demo data of `serve --demo`: a small, realistic Dutch set so a newcomer can try
//! the API at once. Each part is loaded once (a marker row in the same transaction),
//! so a second start adds nothing, and a later version adds only its new parts.
//! The parts "staff" and "registry" are written here, directly through the store;
//! "activity" runs after them through the use cases, as the demo's staff would (see
//! its own module for why it is marked before it runs).

pub mod activity;
pub mod hand_overs;
mod registry;
mod staff;
pub mod visits;

use crate::domain::Role;
use crate::domain::user::Password;
use crate::error::AppResult;
use crate::service::password;
use crate::store::{DbConnection, demo_parts, tx};
use chrono::{DateTime, Utc};

pub const DEMO_PASSWORD: &str = "demo-wachtwoord";

pub struct DemoLogin {
    pub email: &'static str,
    pub role: Role,
    /// Who this is, for the banner.
    pub who: &'static str,
}

/// Every demo account, in the order the banner prints them.
pub const LOGINS: [DemoLogin; 7] = [
    DemoLogin {
        email: "admin@demo.woonservice.nl",
        role: Role::Admin,
        who: "all municipalities",
    },
    DemoLogin {
        email: "coordinator@demo.woonservice.nl",
        role: Role::Coordinator,
        who: "Waalre, Valkenswaard",
    },
    DemoLogin {
        email: "advisor@demo.woonservice.nl",
        role: Role::Advisor,
        who: "Waalre",
    },
    DemoLogin {
        email: "advisor.valkenswaard@demo.woonservice.nl",
        role: Role::Advisor,
        who: "Valkenswaard",
    },
    DemoLogin {
        email: "coach@demo.woonservice.nl",
        role: Role::Coach,
        who: "Waalre",
    },
    DemoLogin {
        email: "client@demo.woonservice.nl",
        role: Role::Client,
        who: "Annie van den Berg, Waalre",
    },
    DemoLogin {
        email: "member@demo.woonservice.nl",
        role: Role::Member,
        who: "Sanne de Vries, jobseeker, Waalre",
    },
];

type Part = fn(&mut DbConnection, &str, DateTime<Utc>) -> AppResult<()>;

const PARTS: [(&str, Part); 2] = [("staff", staff::load), ("registry", registry::load)];

/// Loads every demo part not loaded before; returns the names of those loaded now.
pub fn load(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<Vec<&'static str>> {
    // One hash for every demo account: hashing is deliberately slow.
    let hash = password::hash(&Password::parse(DEMO_PASSWORD).expect("the demo password is valid"))?;
    let mut loaded = Vec::new();
    for (name, part) in PARTS {
        let fresh = tx::write(conn, |conn| -> AppResult<bool> {
            if demo_parts::is_loaded(conn, name)? {
                return Ok(false);
            }
            part(conn, &hash, now)?;
            demo_parts::mark_loaded(conn, name, now)?;
            Ok(true)
        })?;
        if fresh {
            loaded.push(name);
        }
    }
    Ok(loaded)
}

/// Claims a part that runs through the use cases, once `after` is loaded: it is marked
/// loaded before it runs, because what it does depends on the day, and a restart after
/// a half run must never sell, schedule or refer twice. True when this call claimed it.
pub(crate) async fn claim(ctx: &crate::service::Ctx, name: &'static str, after: &'static str) -> AppResult<bool> {
    let now = ctx.clock.now();
    ctx.db
        .run(move |conn| {
            tx::write(conn, |conn| -> AppResult<bool> {
                if demo_parts::is_loaded(conn, name)? || !demo_parts::is_loaded(conn, after)? {
                    return Ok(false);
                }
                demo_parts::mark_loaded(conn, name, now)?;
                Ok(true)
            })
        })
        .await
}
