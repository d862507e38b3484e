use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::domain::routing::TrailEntry;
use crate::error::{AppError, AppResult};
use crate::store::DbConnection;
use crate::store::per_backend::on_inner;
use crate::store::schema::routing_trail;
use crate::store::time::{from_db, to_db};

type Row = (String, String, String, String, String, Option<i64>, NaiveDateTime);

fn internal(e: String) -> AppError {
    AppError::internal(format!("stored trail: {e}"))
}

fn into_domain((tier, outcome, reason, nl, en, decided_by, at): Row) -> AppResult<TrailEntry> {
    Ok(TrailEntry {
        tier: tier.parse().map_err(internal)?,
        outcome: outcome.parse().map_err(internal)?,
        reason: reason.parse().map_err(internal)?,
        sentence_nl: nl,
        sentence_en: en,
        decided_by,
        at: from_db(at),
    })
}

pub fn append(conn: &mut DbConnection, request_id: i64, entries: &[TrailEntry]) -> AppResult<()> {
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                routing_trail::request_id.eq(request_id),
                routing_trail::tier.eq(e.tier.as_str()),
                routing_trail::outcome.eq(e.outcome.as_str()),
                routing_trail::reason_code.eq(e.reason.as_str()),
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
        .select((
            routing_trail::tier,
            routing_trail::outcome,
            routing_trail::reason_code,
            routing_trail::reason_nl,
            routing_trail::reason_en,
            routing_trail::decided_by,
            routing_trail::at,
        ))
        .order(routing_trail::id)
        .load(conn)?;
    rows.into_iter().map(into_domain).collect()
}
