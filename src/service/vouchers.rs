//! Service vouchers: sale, balance, cancellation, expiry and the ledger check.

use chrono::{DateTime, Utc};
use chrono::{Datelike, NaiveDate};

use crate::domain::Role;
use crate::domain::client::Client;
use crate::domain::money::Money;
use crate::domain::page::{Page, PageRequest};
use crate::domain::schedule::{local_date, local_to_utc};
use crate::domain::voucher::{EventKind, HistoryEvent, Serial, Voucher, VoucherStatus, expiry};
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::found;
use crate::service::actor::{Actor, ensure_in_scope, require_role};
use crate::service::clients;
use crate::service::idempotency::{self, IdempotencyKey, Recorded};
use crate::service::tokens::Subject;
use crate::store::vouchers::{Change, LedgerEvent, NewSale};
use crate::store::{Db, DbConnection, locks, municipalities, tx, voucher_history, vouchers};

pub const MAX_PER_SALE: i64 = 100;

/// What a sale answers.
#[derive(Debug, Clone)]
pub struct Sale {
    pub vouchers: Vec<Voucher>,
    pub total_value: Money,
}

/// The first instant of a calendar year in Amsterdam, and of the next.
fn year_bounds(year: i32) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    let start = |y: i32| {
        local_to_utc(
            NaiveDate::from_ymd_opt(y, 1, 1)
                .expect("1 January exists")
                .and_hms_opt(0, 0, 0)
                .expect("midnight"),
        )
    };
    (start(year), start(year + 1))
}

/// Sells `count` vouchers to a client at its municipality's current price (coordinator).
/// The `Idempotency-Key` is claimed in the same transaction, so a repeated or
/// concurrent identical call sells once and answers the same.
pub async fn sell(
    ctx: &Ctx,
    subject: Subject,
    client_id: i64,
    count: i64,
    key: IdempotencyKey,
    render: impl Fn(&Sale) -> AppResult<Recorded> + Send + 'static,
) -> AppResult<Recorded> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Coordinator])?;
        let guard = |conn: &mut DbConnection| {
            locks::client(conn, client_id)?;
            clients::readable(conn, actor, client_id)
        };
        let work = |conn: &mut DbConnection, client: Client| {
            let municipality = found(municipalities::find(conn, client.fields.municipality_id)?)?;
            let now = actor.now();
            let today = local_date(now);
            if let Some(cap) = municipality.fields.yearly_voucher_cap {
                let (from, to) = year_bounds(today.year());
                let sold = vouchers::sold_between(conn, client_id, from, to)?;
                if sold + count > i64::from(cap) {
                    return Err(AppError::conflict(
                        ConflictCode::YearlyCapExceeded,
                        format!("{sold} of the yearly {cap} vouchers are sold to this client in {}; {count} more would pass the cap", today.year()),
                    ));
                }
            }
            let prefix = Serial::prefix_of(&municipality.fields.name);
            let first = vouchers::claim_sequence(conn, &prefix, today.year(), count)?;
            let serials: Vec<String> = (first..first + count).map(|n| Serial::new(&prefix, today.year(), n).as_str().to_owned()).collect();
            let sale = NewSale {
                client_id,
                municipality_id: municipality.id,
                unit_value: municipality.fields.voucher_price,
                serials: &serials,
                issued_on: today,
                expires_on: expiry(today, municipality.fields.voucher_validity_months),
                sold_by: actor.id(),
                at: now,
            };
            let sold = vouchers::insert_sale(conn, &sale)?;
            let total_value = Money::sum(sold.iter().map(|v| v.value));
            Ok(Sale { vouchers: sold, total_value })
        };
        idempotency::run(conn, actor, Some(&key), guard, work, render)
    })
    .await
}

/// A client's vouchers by status (by date: an available voucher past its date counts
/// as expired) and a page of them, soonest expiry first.
pub struct Balance {
    pub counts: Vec<(VoucherStatus, i64, Money)>,
    pub page: Page<Voucher, NaiveDate>,
    pub today: NaiveDate,
}

impl Balance {
    pub fn count(&self, status: VoucherStatus) -> i64 {
        self.counts
            .iter()
            .find(|(s, _, _)| *s == status)
            .map_or(0, |(_, n, _)| *n)
    }

    pub fn value(&self, status: VoucherStatus) -> Money {
        self.counts
            .iter()
            .find(|(s, _, _)| *s == status)
            .map_or(Money::ZERO, |(_, _, v)| *v)
    }
}

/// The client itself, coordinators and advisors in scope.
const VOUCHER_READERS: [Role; 3] = [Role::Client, Role::Coordinator, Role::Advisor];

fn may_see_vouchers(conn: &mut DbConnection, actor: &Actor, client_id: i64) -> AppResult<()> {
    require_role(actor, &VOUCHER_READERS)?;
    clients::readable(conn, actor, client_id).map(|_| ())
}

pub async fn balance(ctx: &Ctx, subject: Subject, client_id: i64, page: PageRequest<NaiveDate>) -> AppResult<Balance> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &VOUCHER_READERS)?;
        let today = local_date(actor.now());
        let (municipality_id, counts) = found(vouchers::tally_of_client(conn, client_id, today)?)?;
        clients::ensure_visible(actor, client_id, municipality_id)?;
        Ok(Balance {
            counts,
            page: vouchers::of_client(conn, client_id, &page)?,
            today,
        })
    })
    .await
}

/// What happened to a client's vouchers, newest first: sold, reserved, released,
/// redeemed, expired, cancelled.
pub async fn history(
    ctx: &Ctx,
    subject: Subject,
    client_id: i64,
    page: PageRequest<()>,
) -> AppResult<Page<HistoryEvent, ()>> {
    ctx.as_actor(subject, move |conn, actor| {
        may_see_vouchers(conn, actor, client_id)?;
        voucher_history::of_client(conn, client_id, &page)
    })
    .await
}

/// Cancels an available voucher (coordinator in scope).
pub async fn cancel(ctx: &Ctx, subject: Subject, serial: Serial, reason: String) -> AppResult<Voucher> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Coordinator])?;
        tx::write(conn, |conn| {
            let voucher = found(vouchers::find_by_serial(conn, serial.as_str())?)?;
            ensure_in_scope(actor, voucher.municipality_id)?;
            locks::client(conn, voucher.client_id)?;
            let now = actor.now();
            let status = voucher.status.on(voucher.expires_on, local_date(now));
            let change = Change {
                assignment_id: None,
                actor_id: Some(actor.id()),
                reason: Some(&reason),
                at: now,
            };
            if status != VoucherStatus::Available || !vouchers::cancel(conn, &voucher, &change)? {
                return Err(AppError::conflict(
                    ConflictCode::VoucherNotCancellable,
                    format!(
                        "voucher {} is {status}; only an available voucher can be cancelled",
                        voucher.serial
                    ),
                ));
            }
            Ok(())
        })?;
        found(vouchers::find_by_serial(conn, serial.as_str())?)
    })
    .await
}

/// Marks vouchers past their date as expired (the daily job, also run at start).
pub fn expire(db: &Db, now: DateTime<Utc>) -> AppResult<usize> {
    db.run_blocking(move |conn| tx::write(conn, |conn| vouchers::expire_due(conn, local_date(now), now)))
}

/// What the ledger check found.
#[derive(Debug, Default)]
pub struct Verification {
    pub vouchers: usize,
    pub events: usize,
    /// How many clients hold the rebuilt vouchers.
    pub clients: usize,
    /// Per status, as rebuilt from the events.
    pub rebuilt: Vec<(VoucherStatus, i64)>,
    pub mismatches: Vec<String>,
}

/// Replays every voucher's events and compares the result — status, assignment, and
/// the client and value its sale named — with what is stored, so every client's
/// balance is rebuilt from the log alone. Batches keep memory flat on a large ledger.
pub fn verify(db: &Db) -> AppResult<Verification> {
    const BATCH: i64 = 1000;
    let mut report = Verification {
        rebuilt: VoucherStatus::ALL.iter().map(|s| (*s, 0)).collect(),
        ..Verification::default()
    };
    let mut clients = std::collections::HashSet::new();
    let mut after = 0;
    loop {
        let (stored, events) = db.run_blocking(|conn| {
            let stored = vouchers::all_states(conn, after, BATCH)?;
            let ids: Vec<i64> = stored.iter().map(|s| s.id).collect();
            let events = vouchers::events_of(conn, &ids)?;
            Ok((stored, events))
        })?;
        let Some(last) = stored.last() else { break };
        after = last.id;
        report.vouchers += stored.len();
        report.events += events.len();
        for voucher in stored {
            let id = voucher.id;
            let own: Vec<&LedgerEvent> = events.iter().filter(|e| e.voucher_id == id).collect();
            let rebuilt = match replay(&own) {
                Ok(rebuilt) => rebuilt,
                Err(problem) => {
                    report.mismatches.push(format!("voucher {id}: {problem}"));
                    continue;
                }
            };
            if let Some(entry) = report.rebuilt.iter_mut().find(|(s, _)| *s == rebuilt.status) {
                entry.1 += 1;
            }
            clients.insert(rebuilt.client_id);
            let differences = [
                (voucher.status != rebuilt.status.as_str())
                    .then(|| format!("stored {}, the ledger says {}", voucher.status, rebuilt.status)),
                (voucher.assignment_id != rebuilt.assignment_id).then(|| {
                    format!(
                        "stored assignment {:?}, the ledger says {:?}",
                        voucher.assignment_id, rebuilt.assignment_id
                    )
                }),
                (voucher.client_id != rebuilt.client_id).then(|| {
                    format!(
                        "stored client {}, the ledger sold it to client {}",
                        voucher.client_id, rebuilt.client_id
                    )
                }),
                (voucher.value_cents != rebuilt.value_cents).then(|| {
                    format!(
                        "stored value {} cents, the ledger sold it at {} cents",
                        voucher.value_cents, rebuilt.value_cents
                    )
                }),
            ];
            for difference in differences.into_iter().flatten() {
                report.mismatches.push(format!("voucher {id}: {difference}"));
            }
        }
    }
    report.clients = clients.len();
    Ok(report)
}

/// A voucher as its events tell it.
struct Rebuilt {
    status: VoucherStatus,
    assignment_id: Option<i64>,
    client_id: i64,
    value_cents: i64,
}

/// What a voucher's events lead to: its sale first, then each change in order.
fn replay(events: &[&LedgerEvent]) -> Result<Rebuilt, String> {
    let mut iter = events.iter();
    let (client_id, value_cents) = match iter.next() {
        Some(e) if e.kind == EventKind::Sold.as_str() => match (e.client_id, e.value_cents) {
            (Some(client), Some(cents)) => (client, cents),
            _ => return Err("its sale event does not say to whom or at what value".into()),
        },
        Some(e) => return Err(format!("the first event is {}, not sold", e.kind)),
        None => return Err("no events at all".into()),
    };
    let mut status = VoucherStatus::Available;
    let mut assignment_id = None;
    for event in iter {
        let kind: EventKind = event.kind.parse()?;
        status = status.after(kind)?;
        assignment_id = match status {
            VoucherStatus::Reserved | VoucherStatus::Redeemed => event.assignment_id,
            _ => None,
        };
    }
    Ok(Rebuilt {
        status,
        assignment_id,
        client_id,
        value_cents,
    })
}
