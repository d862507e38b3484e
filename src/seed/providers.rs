//! Step 4: the providers — half private providers, a third businesses, the rest
//! local organisations — each serving one to three municipalities.

use rand::Rng;

use super::Run;
use super::municipalities::Town;
use super::words::{LAST, categories, pick};
use crate::error::AppResult;
use crate::store::bulk;
use crate::store::time::to_db;
use crate::store::tx;

/// Seeds `count` providers and files the private providers and businesses under the
/// towns they serve, for the requests step to refer to (it refers none to an organisation).
pub(super) fn seed(run: &mut Run<'_>, towns: &mut [Town], count: i64) -> AppResult<()> {
    let mut rows = Vec::new();
    let mut served = Vec::new();
    for _ in 0..count {
        run.ids.provider += 1;
        let id = run.ids.provider;
        let kind = match run.rng.random_range(0..20) {
            0..=9 => "private_provider",
            10..=16 => "business",
            _ => "organisation",
        };
        rows.push(provider(run, id, kind));
        for t in towns_served(run, towns.len()) {
            served.push(bulk::ProviderMunicipality {
                provider_id: id,
                municipality_id: towns[t].id,
            });
            match kind {
                "private_provider" => towns[t].private.push(id),
                "business" => towns[t].business.push(id),
                _ => {}
            }
        }
    }
    run.db
        .run_blocking(|conn| tx::write(conn, |conn| bulk::providers(conn, &rows, &served)))
}

fn provider(run: &mut Run<'_>, id: i64, kind: &str) -> bulk::Provider {
    let rng = &mut run.rng;
    let categories = categories(rng);
    bulk::Provider {
        id,
        kind: kind.into(),
        name: format!(
            "{} {}",
            pick(rng, &LAST),
            ["Diensten", "Klussen B.V.", "Hulp", "& Zonen"][rng.random_range(0..4)]
        ),
        categories: format!(",{},", categories.join(",")),
        email: Some(format!("aanbieder{id}@example.nl")),
        phone: Some("040 200 00 00".into()),
        created_at: to_db(run.now),
        updated_at: to_db(run.now),
    }
}

/// One to three draws of a town index, without repeats.
fn towns_served(run: &mut Run<'_>, towns: usize) -> Vec<usize> {
    let mut served: Vec<usize> = Vec::new();
    for _ in 0..run.rng.random_range(1..=3) {
        let t = run.rng.random_range(0..towns);
        if !served.contains(&t) {
            served.push(t);
        }
    }
    served
}
