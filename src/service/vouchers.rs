//! Service vouchers: sale, balance, cancellation, expiry and the ledger check.

use chrono::{Datelike, NaiveDate};

use crate::domain::Role;
use crate::domain::money::Money;
use crate::domain::page::{Page, PageRequest};
use crate::domain::schedule::{local_date, local_to_utc};
use crate::domain::voucher::{EventKind, Serial, Voucher, VoucherStatus, expiry};
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::{Actor, ensure_in_scope, require_role};
use crate::service::clients;
use crate::service::idempotency::{self, IdempotencyKey, Recorded};
use crate::service::municipalities::found;
use crate::service::tokens::Subject;
use crate::store::vouchers::{Change, NewSale};
use crate::store::{Db, DbConnection, locks, municipalities, time, tx, vouchers};

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
        let work = |conn: &mut DbConnection| {
            locks::client(conn, client_id)?;
            let client = clients::readable(conn, actor, client_id)?;
            let municipality = found(municipalities::find(conn, client.fields.municipality_id)?)?;
            let now = time::now();
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
        idempotency::run(conn, actor.id(), Some(&key), work, render)
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
fn may_see_vouchers(conn: &mut DbConnection, actor: &Actor, client_id: i64) -> AppResult<()> {
    require_role(actor, &[Role::Client, Role::Coordinator, Role::Advisor])?;
    clients::readable(conn, actor, client_id).map(|_| ())
}

pub async fn balance(ctx: &Ctx, subject: Subject, client_id: i64, page: PageRequest<NaiveDate>) -> AppResult<Balance> {
    ctx.as_actor(subject, move |conn, actor| {
        may_see_vouchers(conn, actor, client_id)?;
        let today = local_date(time::now());
        Ok(Balance {
            counts: vouchers::tally(conn, client_id, today)?,
            page: vouchers::of_client(conn, client_id, &page)?,
            today,
        })
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
            let now = time::now();
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
pub fn expire(db: &Db) -> AppResult<usize> {
    db.run_blocking(|conn| {
        let now = time::now();
        tx::write(conn, |conn| vouchers::expire_due(conn, local_date(now), now))
    })
}

/// What the ledger check found.
#[derive(Debug, Default)]
pub struct Verification {
    pub vouchers: usize,
    pub events: usize,
    /// Per status, as rebuilt from the events.
    pub rebuilt: Vec<(VoucherStatus, i64)>,
    pub mismatches: Vec<String>,
}

/// Replays every voucher's events and compares the result with its stored status
/// and assignment. Batches of vouchers keep memory flat on a large ledger.
pub fn verify(db: &Db) -> AppResult<Verification> {
    const BATCH: i64 = 1000;
    let mut report = Verification {
        rebuilt: VoucherStatus::ALL.iter().map(|s| (*s, 0)).collect(),
        ..Verification::default()
    };
    let mut after = 0;
    loop {
        let (states, events) = db.run_blocking(|conn| {
            let states = vouchers::all_states(conn, after, BATCH)?;
            let ids: Vec<i64> = states.iter().map(|s| s.0).collect();
            let events = vouchers::events_of(conn, &ids)?;
            Ok((states, events))
        })?;
        let Some(last) = states.last() else { break };
        after = last.0;
        report.vouchers += states.len();
        report.events += events.len();
        for (id, _client, stored, stored_assignment) in states {
            let own: Vec<&(i64, String, Option<i64>)> = events.iter().filter(|e| e.0 == id).collect();
            match replay(&own) {
                Ok((status, assignment)) => {
                    if let Some(entry) = report.rebuilt.iter_mut().find(|(s, _)| *s == status) {
                        entry.1 += 1;
                    }
                    if stored != status.as_str() {
                        report
                            .mismatches
                            .push(format!("voucher {id}: stored {stored}, the ledger says {status}"));
                    } else if stored_assignment != assignment {
                        report.mismatches.push(format!(
                            "voucher {id}: stored assignment {stored_assignment:?}, the ledger says {assignment:?}"
                        ));
                    }
                }
                Err(problem) => report.mismatches.push(format!("voucher {id}: {problem}")),
            }
        }
    }
    Ok(report)
}

/// The status and assignment a voucher's events lead to.
fn replay(events: &[&(i64, String, Option<i64>)]) -> Result<(VoucherStatus, Option<i64>), String> {
    let mut iter = events.iter();
    match iter.next() {
        Some((_, kind, _)) if kind == EventKind::Sold.as_str() => {}
        Some((_, kind, _)) => return Err(format!("the first event is {kind}, not sold")),
        None => return Err("no events at all".into()),
    }
    let mut status = VoucherStatus::Available;
    let mut assignment = None;
    for (_, kind, event_assignment) in iter {
        let kind: EventKind = kind.parse()?;
        status = status.after(kind)?;
        assignment = match status {
            VoucherStatus::Reserved | VoucherStatus::Redeemed => *event_assignment,
            _ => None,
        };
    }
    Ok((status, assignment))
}
