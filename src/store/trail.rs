use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::request::Tier;
use crate::domain::routing::{Outcome, ReasonCode, TrailEntry};
use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::per_backend::on_inner;
use crate::store::schema::routing_trail;
use crate::store::time::{from_db, to_db};

/// One line of a request's trail as stored.
#[derive(Queryable, Selectable)]
#[diesel(table_name = routing_trail)]
pub(super) struct Row {
    tier: Tier,
    outcome: Outcome,
    reason_code: ReasonCode,
    reason_nl: String,
    reason_en: String,
    decided_by: Option<i64>,
    at: NaiveDateTime,
}

impl Row {
    pub(super) fn into_domain(self) -> TrailEntry {
        TrailEntry {
            tier: self.tier,
            outcome: self.outcome,
            reason: self.reason_code,
            sentence_nl: self.reason_nl,
            sentence_en: self.reason_en,
            decided_by: self.decided_by,
            at: from_db(self.at),
        }
    }
}

pub fn append(conn: &mut DbConnection, request_id: i64, entries: &[TrailEntry]) -> AppResult<()> {
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                routing_trail::request_id.eq(request_id),
                routing_trail::tier.eq(e.tier),
                routing_trail::outcome.eq(e.outcome),
                routing_trail::reason_code.eq(e.reason),
                routing_trail::reason_nl.eq(&e.sentence_nl),
                routing_trail::reason_en.eq(&e.sentence_en),
                routing_trail::decided_by.eq(e.decided_by),
                routing_trail::at.eq(to_db(e.at)),
            )
        })
        .collect();
    let insert = diesel::insert_into(routing_trail::table).values(rows);
    on_inner!(conn, |c| insert.execute(c))?;
    Ok(())
}

/// The whole trail of a request, oldest first, in one query.
pub fn of_request(conn: &mut DbConnection, request_id: i64) -> AppResult<Vec<TrailEntry>> {
    let rows: Vec<Row> = routing_trail::table
        .filter(routing_trail::request_id.eq(request_id))
        .select(Row::as_select())
        .order(routing_trail::id)
        .load(conn)?;
    Ok(rows.into_iter().map(Row::into_domain).collect())
}
