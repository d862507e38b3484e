//! Vouchers: the sales that paid for past jobseekers' work (called by the requests
//! step) and step 6, the balances clients hold now.
//!
//! The ledger is the short one of a sale redeemed in one go: a `sold` event per
//! voucher and, when it paid for work, a `redeemed` event at the end of that work
//! (no `reserved` in between, which the ledger allows). Every sale is at 500 cents a
//! voucher, whatever the municipality charges.

use chrono::{DateTime, Datelike, Duration, Utc};

use super::clients::Clients;
use super::municipalities::Town;
use super::{Ids, Run};
use crate::domain::voucher::{Serial, expiry};
use crate::error::AppResult;
use crate::store::bulk::{self, History};
use crate::store::time::to_db;
use crate::store::{DbConnection, tx};

/// Write the balances' vouchers in batches of about this many.
const BATCH: usize = 50_000;

/// The serial numbers the seeder hands out: prefix `SEE`, the year of the sale, and a
/// number counting on from the counter of the year the run started in, whatever the
/// year of the sale; that counter is moved past them at the end.
pub(super) struct Serials {
    prefix: &'static str,
    year: i32,
    next: i64,
}

impl Serials {
    pub fn after_existing(run: &Run<'_>) -> AppResult<Serials> {
        let (prefix, year) = ("SEE", run.now.year());
        let next = run.db.run_blocking(|conn| bulk::serial_next(conn, prefix, year))?;
        Ok(Serials { prefix, year, next })
    }

    /// Sets the counter past the serials handed out, so sales continue after them.
    pub fn save(&self, conn: &mut DbConnection) -> AppResult<()> {
        bulk::serial_counter(conn, self.prefix, self.year, self.next)
    }
}

/// Step 6: every fifth client holds ten available vouchers, sold thirty days ago.
/// Returns the batch not yet written (the caller writes it with the counter and
/// sequences) and the number of holders.
pub(super) fn balances(
    run: &mut Run<'_>,
    towns: &[Town],
    clients: &Clients,
    serials: &mut Serials,
) -> AppResult<(History, i64)> {
    let mut history = History::default();
    let mut holders = 0;
    for (index, town) in clients.town_of.iter().enumerate() {
        if index % 5 != 0 {
            continue;
        }
        holders += 1;
        let town = &towns[*town];
        let buyer = (clients.id(index), town.id, town.coordinator);
        sell(
            &mut history,
            &mut run.ids,
            buyer,
            10,
            run.now - Duration::days(30),
            serials,
            None,
        );
        if history.vouchers.len() > BATCH {
            let full = std::mem::take(&mut history);
            run.db
                .run_blocking(|conn| tx::write(conn, |conn| bulk::history(conn, &full)))?;
        }
    }
    Ok((history, holders))
}

/// A sale of `count` vouchers by the municipality's coordinator to a client; with
/// `redeemed_by`, redeemed for that assignment when its work ended.
pub(super) fn sell(
    history: &mut History,
    ids: &mut Ids,
    (client, municipality, coordinator): (i64, i64, i64),
    count: i64,
    sold_at: DateTime<Utc>,
    serials: &mut Serials,
    redeemed_by: Option<(i64, DateTime<Utc>)>,
) {
    ids.sale += 1;
    let issued_on = crate::domain::schedule::local_date(sold_at);
    history.sales.push(bulk::Sale {
        id: ids.sale,
        client_id: client,
        municipality_id: municipality,
        voucher_count: count as i32,
        unit_value_cents: 500,
        sold_by: coordinator,
        sold_at: to_db(sold_at),
    });
    for _ in 0..count {
        ids.voucher += 1;
        let serial = Serial::new(serials.prefix, issued_on.year(), serials.next);
        serials.next += 1;
        history.vouchers.push(bulk::Voucher {
            id: ids.voucher,
            serial: serial.as_str().into(),
            sale_id: ids.sale,
            client_id: client,
            municipality_id: municipality,
            value_cents: 500,
            issued_on,
            expires_on: expiry(issued_on, 12),
            status: if redeemed_by.is_some() { "redeemed" } else { "available" }.into(),
            assignment_id: redeemed_by.map(|r| r.0),
            updated_at: to_db(redeemed_by.map_or(sold_at, |r| r.1)),
        });
        history.events.push(bulk::Event {
            voucher_id: ids.voucher,
            municipality_id: municipality,
            kind: "sold".into(),
            assignment_id: None,
            actor_id: Some(coordinator),
            at: to_db(sold_at),
            client_id: Some(client),
            value_cents: Some(500),
        });
        if let Some((assignment, at)) = redeemed_by {
            history.events.push(bulk::Event {
                voucher_id: ids.voucher,
                municipality_id: municipality,
                kind: "redeemed".into(),
                assignment_id: Some(assignment),
                actor_id: None,
                at: to_db(at),
                client_id: None,
                value_cents: None,
            });
        }
    }
}
