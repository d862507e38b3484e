//! Step 2: the clients, spread at random over the municipalities, most of them
//! elderly, some disabled or informal carers, a few in no target group.

use chrono::Duration;
use rand::Rng;

use super::Run;
use super::municipalities::Town;
use super::words::{STREETS, name, pick};
use crate::domain::client::Language;
use crate::error::AppResult;
use crate::store::bulk;
use crate::store::time::to_db;
use crate::store::tx;

/// Clients per transaction.
const BATCH: i64 = 10_000;

/// The seeded clients: ids `first`, `first + 1`, … and the index of each one's town.
pub(super) struct Clients {
    pub first: i64,
    pub town_of: Vec<usize>,
}

impl Clients {
    pub fn id(&self, index: usize) -> i64 {
        self.first + index as i64
    }
}

pub(super) fn seed(run: &mut Run<'_>, towns: &[Town], count: i64) -> AppResult<Clients> {
    let mut clients = Clients {
        first: run.ids.client + 1,
        town_of: Vec::with_capacity(count as usize),
    };
    for batch in 0..(count + BATCH - 1) / BATCH {
        let mut rows = Vec::new();
        for _ in 0..(count - batch * BATCH).min(BATCH) {
            run.ids.client += 1;
            let town = run.rng.random_range(0..towns.len());
            clients.town_of.push(town);
            rows.push(client(run, &towns[town]));
        }
        run.db
            .run_blocking(|conn| tx::write(conn, |conn| bulk::clients(conn, &rows)))?;
    }
    Ok(clients)
}

/// The client with the latest id, living in `town`: seven in ten have an email
/// address, all a phone number, one in twenty prefers English.
fn client(run: &mut Run<'_>, town: &Town) -> bulk::Client {
    let rng = &mut run.rng;
    let groups = match rng.random_range(0..20) {
        0..=13 => ",elderly,",
        14..=16 => ",disability,",
        17 => ",elderly,informal_carer,",
        _ => "",
    };
    let id = run.ids.client;
    bulk::Client {
        id,
        municipality_id: town.id,
        name: name(rng),
        street: pick(rng, &STREETS).to_string(),
        house_number: rng.random_range(1..200).to_string(),
        postcode: format!(
            "{} {}{}",
            rng.random_range(1000..9999),
            (b'A' + rng.random_range(0..17)) as char,
            (b'A' + rng.random_range(0..26)) as char
        ),
        city: format!("Plaats {}", town.id),
        target_groups: groups.into(),
        email: rng.random_bool(0.7).then(|| format!("client{id}@example.nl")),
        phone: Some(format!(
            "040 {:03} {:02} {:02}",
            rng.random_range(100..999),
            rng.random_range(10..99),
            rng.random_range(10..99)
        )),
        preferred_language: if rng.random_bool(0.95) {
            Language::Nl
        } else {
            Language::En
        }
        .as_str()
        .into(),
        lat: Some(51.3 + rng.random_range(0.0..1.5)),
        lon: Some(4.5 + rng.random_range(0.0..2.0)),
        created_at: to_db(run.now - Duration::days(800)),
        updated_at: to_db(run.now - Duration::days(800)),
    }
}
