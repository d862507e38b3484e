//! Step 1: the municipalities, each with the categories its woonservice project
//! offers and three staff accounts (advisor, coordinator, coach) scoped to it.

use rand::Rng;

use super::Run;
use super::words::CATEGORIES;
use crate::error::AppResult;
use crate::store::bulk;
use crate::store::time::to_db;
use crate::store::tx;

/// A seeded municipality and what later steps pick from in it.
pub(super) struct Town {
    pub id: i64,
    pub advisor: i64,
    pub coordinator: i64,
    pub coach: i64,
    /// Member ids with their skills, by kind (filled by the members step).
    pub volunteers: Vec<(i64, Vec<&'static str>)>,
    pub jobseekers: Vec<(i64, Vec<&'static str>)>,
    /// Provider ids by kind (filled by the providers step).
    pub private: Vec<i64>,
    pub business: Vec<i64>,
}

/// Rows for the municipalities and their staff, written together.
#[derive(Default)]
struct Rows {
    municipalities: Vec<bulk::Municipality>,
    offered: Vec<bulk::MunicipalityCategory>,
    users: Vec<bulk::User>,
    scopes: Vec<bulk::UserMunicipality>,
}

/// Seeds `count` municipalities named "Gemeente 001-<run>" (the run being the highest
/// municipality id before it, so a second run's names differ), with their staff.
pub(super) fn seed(run: &mut Run<'_>, count: i64, password_hash: &str) -> AppResult<Vec<Town>> {
    let run_mark = run.ids.municipality;
    let mut rows = Rows::default();
    let mut towns = Vec::new();
    for i in 0..count {
        run.ids.municipality += 1;
        let id = run.ids.municipality;
        rows.municipalities
            .push(municipality(run, id, format!("Gemeente {:03}-{}", i + 1, run_mark)));
        for (code, _) in CATEGORIES {
            if run.rng.random_bool(0.75) {
                rows.offered.push(bulk::MunicipalityCategory {
                    municipality_id: id,
                    category_code: code.into(),
                });
            }
        }
        let [advisor, coordinator, coach] = staff(run, &mut rows, id, password_hash);
        towns.push(Town {
            id,
            advisor,
            coordinator,
            coach,
            volunteers: Vec::new(),
            jobseekers: Vec::new(),
            private: Vec::new(),
            business: Vec::new(),
        });
    }
    run.db.run_blocking(|conn| {
        tx::write(conn, |conn| {
            bulk::municipalities(conn, &rows.municipalities, &rows.offered)?;
            bulk::users(conn, &rows.users, &rows.scopes)
        })
    })?;
    Ok(towns)
}

/// Four in five charge 500 cents a voucher, the rest 550; three in ten cap yearly
/// purchases at 200.
fn municipality(run: &mut Run<'_>, id: i64, name: String) -> bulk::Municipality {
    bulk::Municipality {
        id,
        name,
        voucher_price_cents: if run.rng.random_bool(0.8) { 500 } else { 550 },
        voucher_validity_months: 12,
        yearly_voucher_cap: run.rng.random_bool(0.3).then_some(200),
        created_at: to_db(run.now),
        updated_at: to_db(run.now),
    }
}

/// An advisor, a coordinator and a coach for the municipality (`advisor.<id>@seed…`);
/// returns their ids in that order.
fn staff(run: &mut Run<'_>, rows: &mut Rows, municipality: i64, password_hash: &str) -> [i64; 3] {
    let mut ids = [0; 3];
    for (slot, role) in ["advisor", "coordinator", "coach"].iter().enumerate() {
        run.ids.user += 1;
        ids[slot] = run.ids.user;
        rows.users.push(bulk::User {
            id: run.ids.user,
            email: format!("{role}.{municipality}@seed.woonservice.nl"),
            password_hash: password_hash.into(),
            role: (*role).into(),
            active: true,
            created_at: to_db(run.now),
            updated_at: to_db(run.now),
        });
        rows.scopes.push(bulk::UserMunicipality {
            user_id: run.ids.user,
            municipality_id: municipality,
        });
    }
    ids
}
