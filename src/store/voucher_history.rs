//! A client's voucher history: the ledger's events of its vouchers, newest first.

use diesel::prelude::*;

use crate::domain::money::Money;
use crate::domain::page::{Page, PageRequest};
use crate::domain::voucher::{EventKind, HistoryEvent};
use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::paging::{self, page_by_id_desc};
use crate::store::schema::{voucher_events, vouchers};
use crate::store::time::from_db;

type Row = (
    i64,
    chrono::NaiveDateTime,
    EventKind,
    String,
    i64,
    Option<i64>,
    Option<i64>,
);

pub fn of_client(conn: &mut DbConnection, client_id: i64, page: &PageRequest<()>) -> AppResult<Page<HistoryEvent, ()>> {
    let query = voucher_events::table
        .inner_join(vouchers::table)
        .filter(vouchers::client_id.eq(client_id))
        .select((
            voucher_events::id,
            voucher_events::at,
            voucher_events::kind,
            vouchers::serial,
            vouchers::value_cents,
            voucher_events::assignment_id,
            voucher_events::actor_id,
        ))
        .into_boxed();
    let rows: Vec<Row> = page_by_id_desc!(query, voucher_events::id, page).load(conn)?;
    paging::assemble(
        rows,
        page,
        |r| r.0,
        |(id, at, kind, serial, cents, assignment_id, by)| {
            Ok(HistoryEvent {
                id,
                at: from_db(at),
                kind,
                serial,
                value: Money::from_cents(cents),
                assignment_id,
                by,
            })
        },
    )
}
