//! Vouchers and their append-only ledger.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::domain::money::Money;
use crate::domain::page::{Page, PageRequest};
use crate::domain::voucher::{EventKind, Voucher, VoucherStatus};
use crate::error::{AppError, AppResult};
use crate::store::DbConnection;
use crate::store::paging::page_by_key;
use crate::store::per_backend::on_inner;
use crate::store::schema::{clients, voucher_events, voucher_sales, voucher_serial_counters, vouchers};
use crate::store::time::{from_db, to_db};

#[derive(Queryable, Selectable)]
#[diesel(table_name = vouchers)]
struct Row {
    id: i64,
    serial: String,
    client_id: i64,
    municipality_id: i64,
    value_cents: i64,
    issued_on: NaiveDate,
    expires_on: NaiveDate,
    status: VoucherStatus,
    assignment_id: Option<i64>,
    updated_at: NaiveDateTime,
}

impl Row {
    fn into_domain(self) -> Voucher {
        Voucher {
            id: self.id,
            serial: self.serial,
            client_id: self.client_id,
            municipality_id: self.municipality_id,
            value: Money::from_cents(self.value_cents),
            issued_on: self.issued_on,
            expires_on: self.expires_on,
            status: self.status,
            assignment_id: self.assignment_id,
            updated_at: from_db(self.updated_at),
        }
    }
}

/// Why a voucher changed, as the ledger records it.
pub struct Change<'a> {
    pub assignment_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub reason: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// Appends one event per voucher; vouchers are `(id, municipality_id)`.
pub fn record(conn: &mut DbConnection, vouchers: &[(i64, i64)], kind: EventKind, change: &Change<'_>) -> AppResult<()> {
    append(conn, vouchers, kind, change, None)
}

/// As `record`; a `sold` event also carries `(client_id, value_cents)` of the sale.
fn append(
    conn: &mut DbConnection,
    vouchers: &[(i64, i64)],
    kind: EventKind,
    change: &Change<'_>,
    sold_to: Option<(i64, i64)>,
) -> AppResult<()> {
    if vouchers.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = vouchers
        .iter()
        .map(|(id, municipality)| {
            (
                voucher_events::voucher_id.eq(*id),
                voucher_events::municipality_id.eq(*municipality),
                voucher_events::kind.eq(kind),
                voucher_events::assignment_id.eq(change.assignment_id),
                voucher_events::actor_id.eq(change.actor_id),
                voucher_events::reason.eq(change.reason),
                voucher_events::at.eq(to_db(change.at)),
                voucher_events::client_id.eq(sold_to.map(|s| s.0)),
                voucher_events::value_cents.eq(sold_to.map(|s| s.1)),
            )
        })
        .collect();
    let insert = diesel::insert_into(voucher_events::table).values(rows);
    on_inner!(conn, |c| insert.execute(c))?;
    Ok(())
}

/// Moves vouchers to the status `event` leaves them in, with one ledger event each.
/// A reserved or redeemed voucher stays linked to the change's assignment.
pub fn apply(conn: &mut DbConnection, vouchers: &[(i64, i64)], event: EventKind, change: &Change<'_>) -> AppResult<()> {
    if vouchers.is_empty() {
        return Ok(());
    }
    let status = event.leaves();
    let ids: Vec<i64> = vouchers.iter().map(|v| v.0).collect();
    diesel::update(vouchers::table.filter(vouchers::id.eq_any(ids)))
        .set((
            vouchers::status.eq(status),
            vouchers::assignment_id.eq(change.assignment_id.filter(|_| status.keeps_assignment())),
            vouchers::updated_at.eq(to_db(change.at)),
        ))
        .execute(conn)?;
    record(conn, vouchers, event, change)
}

/// `domain::voucher::is_spendable` in SQL: available and not past the date.
pub type SpendableOn = diesel::dsl::And<
    diesel::dsl::Eq<vouchers::status, VoucherStatus>,
    diesel::dsl::GtEq<vouchers::expires_on, NaiveDate>,
>;

pub fn spendable_on(today: NaiveDate) -> SpendableOn {
    vouchers::status
        .eq(VoucherStatus::Available)
        .and(vouchers::expires_on.ge(today))
}

/// Vouchers a client can still spend on `today`.
pub fn available_count(conn: &mut DbConnection, client_id: i64, today: NaiveDate) -> AppResult<i64> {
    Ok(vouchers::table
        .filter(vouchers::client_id.eq(client_id))
        .filter(spendable_on(today))
        .count()
        .get_result(conn)?)
}

/// Up to `count` spendable vouchers of a client, soonest expiry first, as (id, municipality).
pub fn spendable(conn: &mut DbConnection, client_id: i64, count: i64, today: NaiveDate) -> AppResult<Vec<(i64, i64)>> {
    if count <= 0 {
        return Ok(Vec::new());
    }
    Ok(vouchers::table
        .filter(vouchers::client_id.eq(client_id))
        .filter(spendable_on(today))
        .order((vouchers::expires_on, vouchers::id))
        .limit(count)
        .select((vouchers::id, vouchers::municipality_id))
        .load(conn)?)
}

/// The vouchers reserved for an assignment, soonest expiry first, as (id, municipality).
pub fn reserved_for(conn: &mut DbConnection, assignment_id: i64) -> AppResult<Vec<(i64, i64)>> {
    Ok(vouchers::table
        .filter(vouchers::assignment_id.eq(assignment_id))
        .filter(vouchers::status.eq(VoucherStatus::Reserved))
        .order((vouchers::expires_on, vouchers::id))
        .select((vouchers::id, vouchers::municipality_id))
        .load(conn)?)
}

/// Claims `count` sequence numbers for serials of a prefix and year; returns the first.
pub fn claim_sequence(conn: &mut DbConnection, prefix: &str, year: i32, count: i64) -> AppResult<i64> {
    loop {
        let bumped: Option<i64> = diesel::update(voucher_serial_counters::table.find((prefix, year)))
            .set(voucher_serial_counters::next_value.eq(voucher_serial_counters::next_value + count))
            .returning(voucher_serial_counters::next_value)
            .get_result(conn)
            .optional()?;
        if let Some(next) = bumped {
            return Ok(next - count);
        }
        // First sale of the year for this prefix. A concurrent first sale may insert
        // the row between the update and here; the savepoint lets us try the update again.
        let inserted = conn.transaction(|c| {
            diesel::insert_into(voucher_serial_counters::table)
                .values((
                    voucher_serial_counters::prefix.eq(prefix),
                    voucher_serial_counters::year.eq(year),
                    voucher_serial_counters::next_value.eq(1 + count),
                ))
                .execute(c)
        });
        match inserted {
            Ok(_) => return Ok(1),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
}

pub struct NewSale<'a> {
    pub client_id: i64,
    pub municipality_id: i64,
    pub unit_value: Money,
    pub serials: &'a [String],
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub sold_by: i64,
    pub at: DateTime<Utc>,
}

/// Writes a sale, its vouchers and their `sold` events; returns the vouchers.
pub fn insert_sale(conn: &mut DbConnection, sale: &NewSale<'_>) -> AppResult<Vec<Voucher>> {
    let cents = sale.unit_value.cents().map_err(AppError::internal)?;
    let sale_id: i64 = diesel::insert_into(voucher_sales::table)
        .values((
            voucher_sales::client_id.eq(sale.client_id),
            voucher_sales::municipality_id.eq(sale.municipality_id),
            voucher_sales::voucher_count.eq(sale.serials.len() as i32),
            voucher_sales::unit_value_cents.eq(cents),
            voucher_sales::sold_by.eq(sale.sold_by),
            voucher_sales::sold_at.eq(to_db(sale.at)),
        ))
        .returning(voucher_sales::id)
        .get_result(conn)?;
    let rows: Vec<_> = sale
        .serials
        .iter()
        .map(|serial| {
            (
                vouchers::serial.eq(serial),
                vouchers::sale_id.eq(sale_id),
                vouchers::client_id.eq(sale.client_id),
                vouchers::municipality_id.eq(sale.municipality_id),
                vouchers::value_cents.eq(cents),
                vouchers::issued_on.eq(sale.issued_on),
                vouchers::expires_on.eq(sale.expires_on),
                vouchers::status.eq(VoucherStatus::Available),
                vouchers::updated_at.eq(to_db(sale.at)),
            )
        })
        .collect();
    let insert = diesel::insert_into(vouchers::table).values(rows);
    on_inner!(conn, |c| insert.execute(c))?;
    let sold: Vec<Row> = vouchers::table
        .filter(vouchers::sale_id.eq(sale_id))
        .select(Row::as_select())
        .order(vouchers::id)
        .load(conn)?;
    let sold: Vec<Voucher> = sold.into_iter().map(Row::into_domain).collect();
    let refs: Vec<(i64, i64)> = sold.iter().map(|v| (v.id, v.municipality_id)).collect();
    let change = Change {
        assignment_id: None,
        actor_id: Some(sale.sold_by),
        reason: None,
        at: sale.at,
    };
    append(conn, &refs, EventKind::Sold, &change, Some((sale.client_id, cents)))?;
    Ok(sold)
}

/// Vouchers sold to a client in `[from, to)`.
pub fn sold_between(conn: &mut DbConnection, client_id: i64, from: DateTime<Utc>, to: DateTime<Utc>) -> AppResult<i64> {
    let total: Option<i64> = voucher_sales::table
        .filter(voucher_sales::client_id.eq(client_id))
        .filter(voucher_sales::sold_at.ge(to_db(from)))
        .filter(voucher_sales::sold_at.lt(to_db(to)))
        .select(diesel::dsl::sum(voucher_sales::voucher_count))
        .first(conn)?;
    Ok(total.unwrap_or(0))
}

/// A client's vouchers by stored status and expiry, for the balance: one row per
/// (status, expired-by-date) with count and value.
/// The client's municipality with the tally of its vouchers, in one statement; `None`
/// when there is no such client.
pub fn tally_of_client(conn: &mut DbConnection, client_id: i64, today: NaiveDate) -> AppResult<Option<(i64, Tally)>> {
    let rows: Vec<(i64, Option<ValueRow>)> = clients::table
        .left_join(vouchers::table.on(vouchers::client_id.eq(clients::id)))
        .filter(clients::id.eq(client_id))
        .select((
            clients::municipality_id,
            (vouchers::status, vouchers::expires_on, vouchers::value_cents).nullable(),
        ))
        .load(conn)?;
    let Some(&(municipality_id, _)) = rows.first() else {
        return Ok(None);
    };
    Ok(Some((
        municipality_id,
        tally_rows(rows.into_iter().filter_map(|(_, v)| v), today),
    )))
}

/// Per status: how many vouchers and their value.
pub type Tally = Vec<(VoucherStatus, i64, Money)>;

/// A voucher's status, expiry date and value in cents.
type ValueRow = (VoucherStatus, NaiveDate, i64);

/// Counts and sums per status as of `today` (an available voucher past its date is expired).
fn tally_rows(rows: impl Iterator<Item = ValueRow>, today: NaiveDate) -> Tally {
    let mut tally: Vec<(VoucherStatus, i64, Money)> = VoucherStatus::ALL.iter().map(|s| (*s, 0, Money::ZERO)).collect();
    for (status, expires_on, cents) in rows {
        let effective = status.on(expires_on, today);
        let entry = tally
            .iter_mut()
            .find(|(s, _, _)| *s == effective)
            .expect("every status is tallied");
        entry.1 += 1;
        entry.2 = Money::sum([entry.2, Money::from_cents(cents)]);
    }
    tally
}

/// A client's vouchers, soonest expiry first.
pub fn of_client(
    conn: &mut DbConnection,
    client_id: i64,
    page: &PageRequest<NaiveDate>,
) -> AppResult<Page<Voucher, NaiveDate>> {
    let query = vouchers::table
        .filter(vouchers::client_id.eq(client_id))
        .select(Row::as_select())
        .into_boxed();
    let rows: Vec<Row> = page_by_key!(query, vouchers::expires_on, vouchers::id, page, |d| d).load(conn)?;
    let page = Page::assemble(rows, page, |r| (r.expires_on, r.id));
    Ok(Page {
        items: page.items.into_iter().map(Row::into_domain).collect(),
        next: page.next,
        prev: page.prev,
    })
}

pub fn find_by_serial(conn: &mut DbConnection, serial: &str) -> AppResult<Option<Voucher>> {
    let row: Option<Row> = vouchers::table
        .filter(vouchers::serial.eq(serial))
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Row::into_domain))
}

/// Cancels an available voucher; false when it was not available any more.
pub fn cancel(conn: &mut DbConnection, voucher: &Voucher, change: &Change<'_>) -> AppResult<bool> {
    let changed = diesel::update(
        vouchers::table
            .find(voucher.id)
            .filter(vouchers::status.eq(VoucherStatus::Available)),
    )
    .set((
        vouchers::status.eq(VoucherStatus::Cancelled),
        vouchers::updated_at.eq(to_db(change.at)),
    ))
    .execute(conn)?;
    if changed == 1 {
        record(
            conn,
            &[(voucher.id, voucher.municipality_id)],
            EventKind::Cancelled,
            change,
        )?;
    }
    Ok(changed == 1)
}

/// Marks available vouchers past their date as expired, with their events; returns
/// how many. Safe with several instances: only the update that changes a row returns it.
pub fn expire_due(conn: &mut DbConnection, today: NaiveDate, at: DateTime<Utc>) -> AppResult<usize> {
    let expired: Vec<(i64, i64)> = diesel::update(
        vouchers::table
            .filter(vouchers::status.eq(VoucherStatus::Available))
            .filter(vouchers::expires_on.lt(today)),
    )
    .set((
        vouchers::status.eq(VoucherStatus::Expired),
        vouchers::updated_at.eq(to_db(at)),
    ))
    .returning((vouchers::id, vouchers::municipality_id))
    .get_results(conn)?;
    let change = Change {
        assignment_id: None,
        actor_id: None,
        reason: Some("past its expiry date"),
        at,
    };
    record(conn, &expired, EventKind::Expired, &change)?;
    Ok(expired.len())
}

/// A voucher as the ledger check compares it. Its status stays text: a stored value
/// that is no status is a mismatch the check reports, not a failure of the check.
#[derive(Queryable)]
pub struct StoredVoucher {
    pub id: i64,
    pub client_id: i64,
    pub value_cents: i64,
    pub status: String,
    pub assignment_id: Option<i64>,
}

/// Every voucher as stored, in id order (for the ledger check).
pub fn all_states(conn: &mut DbConnection, after_id: i64, limit: i64) -> AppResult<Vec<StoredVoucher>> {
    Ok(vouchers::table
        .filter(vouchers::id.gt(after_id))
        .order(vouchers::id)
        .limit(limit)
        .select((
            vouchers::id,
            vouchers::client_id,
            vouchers::value_cents,
            vouchers::status,
            vouchers::assignment_id,
        ))
        .load(conn)?)
}

/// One ledger event as the check replays it; only `sold` carries client and value.
/// Its kind stays text for the same reason as `StoredVoucher::status`.
#[derive(Queryable)]
pub struct LedgerEvent {
    pub voucher_id: i64,
    pub kind: String,
    pub assignment_id: Option<i64>,
    pub client_id: Option<i64>,
    pub value_cents: Option<i64>,
}

/// The events of these vouchers, in order per voucher.
pub fn events_of(conn: &mut DbConnection, voucher_ids: &[i64]) -> AppResult<Vec<LedgerEvent>> {
    Ok(voucher_events::table
        .filter(voucher_events::voucher_id.eq_any(voucher_ids))
        .order((voucher_events::voucher_id, voucher_events::id))
        .select((
            voucher_events::voucher_id,
            voucher_events::kind,
            voucher_events::assignment_id,
            voucher_events::client_id,
            voucher_events::value_cents,
        ))
        .load(conn)?)
}

/// Sales with available vouchers expiring in `[from, until]`: (sale, client, count, first expiry).
pub fn expiring_sales(
    conn: &mut DbConnection,
    from: NaiveDate,
    until: NaiveDate,
) -> AppResult<Vec<(i64, i64, i64, NaiveDate)>> {
    let rows: Vec<(i64, i64, i64, Option<NaiveDate>)> = vouchers::table
        .filter(vouchers::status.eq(VoucherStatus::Available))
        .filter(vouchers::expires_on.ge(from))
        .filter(vouchers::expires_on.le(until))
        .group_by((vouchers::sale_id, vouchers::client_id))
        .select((
            vouchers::sale_id,
            vouchers::client_id,
            diesel::dsl::count_star(),
            diesel::dsl::min(vouchers::expires_on),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(sale, client, n, first)| first.map(|d| (sale, client, n, d)))
        .collect())
}
