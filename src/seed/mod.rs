//! Data that is made rather than entered: the demo set of `serve --demo` ([`demo`])
//! and generated data at scale for benchmarks and load tests (`woonservice demo seed`,
//! [`seed`]).
//!
//! A module of its own, beside `api` and not inside `service`: none of it is a use
//! case the API offers, and it would otherwise be the largest part of `service`. It
//! decides what to make and calls the layers below it — `service` where the demo acts
//! as its staff would (selling vouchers, routing, scheduling), `store` for every write
//! (the seeder's bulk inserts are in `store::bulk`: no SQL outside the store) and
//! `domain` for the rules a row must meet. Only the command line calls it.
//!
//! The seeder at scale runs one step per entity, in this order, because each draws
//! from the one random generator and later steps pick from what earlier ones made:
//! `municipalities` (with their staff), `clients`, `members`, `providers`, `requests`
//! (past requests with their trail, assignments, referrals and the vouchers that paid
//! for the jobseekers' work), then `vouchers` (the balances clients hold now). The
//! same seed on the same day gives the same data; rows are written in batches so a
//! national set takes minutes; every seeded voucher has a consistent ledger
//! (`vouchers verify` passes).

mod clients;
pub mod demo;
mod members;
mod municipalities;
mod providers;
mod requests;
mod vouchers;
mod words;

use std::time::Instant;

use chrono::{DateTime, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::domain::user::Password;
use crate::error::AppResult;
use crate::service::password;
use crate::store::bulk::{self, History};
use crate::store::{Db, DbConnection, tx};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    /// 2 municipalities, 2,000 clients, 200 members, 50 providers, 10,000 past requests.
    Town,
    /// 340 municipalities, 200,000 clients, 20,000 members, 5,000 providers, 1,000,000 past requests.
    National,
}

pub struct Size {
    pub municipalities: i64,
    pub clients: i64,
    pub members: i64,
    pub providers: i64,
    pub requests: i64,
}

impl Scale {
    pub fn size(self) -> Size {
        match self {
            Scale::Town => Size {
                municipalities: 2,
                clients: 2_000,
                members: 200,
                providers: 50,
                requests: 10_000,
            },
            Scale::National => Size {
                municipalities: 340,
                clients: 200_000,
                members: 20_000,
                providers: 5_000,
                requests: 1_000_000,
            },
        }
    }
}

pub const SEED_PASSWORD: &str = "seed-wachtwoord";

/// What was seeded, for the terminal.
pub struct Report {
    pub lines: Vec<String>,
}

/// What every step works with: where to write, the random generator they all draw
/// from in turn, the last id used per table, and the moment the run started.
struct Run<'a> {
    db: &'a Db,
    rng: StdRng,
    ids: Ids,
    now: DateTime<Utc>,
}

/// The last id used per table. The seeder chooses ids itself, so rows can point at
/// each other before they are written; it starts after the rows already there.
struct Ids {
    municipality: i64,
    user: i64,
    client: i64,
    member: i64,
    provider: i64,
    request: i64,
    assignment: i64,
    sale: i64,
    voucher: i64,
}

impl Ids {
    fn after_existing(conn: &mut DbConnection) -> AppResult<Ids> {
        Ok(Ids {
            municipality: bulk::max_id(conn, "municipalities")?,
            user: bulk::max_id(conn, "users")?,
            client: bulk::max_id(conn, "clients")?,
            member: bulk::max_id(conn, "members")?,
            provider: bulk::max_id(conn, "providers")?,
            request: bulk::max_id(conn, "requests")?,
            assignment: bulk::max_id(conn, "assignments")?,
            sale: bulk::max_id(conn, "voucher_sales")?,
            voucher: bulk::max_id(conn, "vouchers")?,
        })
    }
}

/// Every table the seeder gives ids: their sequences move past the seeded rows.
const SEQUENCED: [&str; 12] = [
    "municipalities",
    "users",
    "clients",
    "members",
    "providers",
    "requests",
    "routing_trail",
    "assignments",
    "referrals",
    "voucher_sales",
    "vouchers",
    "voucher_events",
];

/// Seeds a set of `scale`'s size after whatever the database holds; `random_seed`
/// decides everything but the timestamps taken from the clock.
pub fn seed(db: &Db, scale: Scale, random_seed: u64, now: DateTime<Utc>) -> AppResult<Report> {
    let size = scale.size();
    let rng = StdRng::seed_from_u64(random_seed);
    let started = Instant::now();
    // One hash for every seeded account: hashing is deliberately slow.
    let hash = password::hash(&Password::parse(SEED_PASSWORD).expect("valid"))?;
    let ids = db.run_blocking(Ids::after_existing)?;
    let mut run = Run { db, rng, ids, now };
    let mut lines = Vec::new();

    let mut towns = municipalities::seed(&mut run, size.municipalities, &hash)?;
    lines.push(format!(
        "{} municipalities with an advisor, coordinator and coach each",
        size.municipalities
    ));
    let clients = clients::seed(&mut run, &towns, size.clients)?;
    lines.push(format!("{} clients", size.clients));
    members::seed(&mut run, &mut towns, size.members)?;
    lines.push(format!("{} members (half volunteers, half jobseekers)", size.members));
    providers::seed(&mut run, &mut towns, size.providers)?;
    lines.push(format!("{} providers", size.providers));

    let mut serials = vouchers::Serials::after_existing(&run)?;
    let outcomes = requests::seed(&mut run, &towns, &clients, &mut serials, size.requests)?;
    lines.push(outcomes.describe(size.requests));
    let (last, holders) = vouchers::balances(&mut run, &towns, &clients, &mut serials)?;
    finish(&run, &last, &serials)?;
    lines.push(format!("{holders} clients hold 10 available vouchers each"));

    db.run_blocking(bulk::analyze)?;
    lines.push(format!(
        "in {:.1} s; every seeded account has the password '{SEED_PASSWORD}' (e.g. advisor.{}@seed.woonservice.nl)",
        started.elapsed().as_secs_f64(),
        towns[0].id
    ));
    Ok(Report { lines })
}

/// Writes the last batch, the serial counter past the seeded serials and every
/// sequence past the seeded ids, in one transaction.
fn finish(run: &Run<'_>, last: &History, serials: &vouchers::Serials) -> AppResult<()> {
    run.db.run_blocking(|conn| {
        tx::write(conn, |conn| {
            bulk::history(conn, last)?;
            serials.save(conn)?;
            bulk::fix_sequences(conn, &SEQUENCED)
        })
    })
}
