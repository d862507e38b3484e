//! The records behind the monthly report, read by municipality and time span. Every
//! figure is computed from the records and the voucher ledger, never from counters;
//! what each figure means is `domain::report`'s.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::assignment::{AssignmentStatus, SignOff};
use crate::domain::member::{MemberKind, Outflow};
use crate::domain::report::{CompletedWork, Jobseeker};
use crate::domain::request::{RequestStatus, Tier};
use crate::domain::voucher::EventKind;
use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::schema::{assignments, clients, follow_ups, members, requests, voucher_events, vouchers};
use crate::store::time::{from_db, to_db};

/// The requests received in the span: (category, status, tier).
pub fn requests_received(
    conn: &mut DbConnection,
    municipality: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<(String, RequestStatus, Option<Tier>)>> {
    Ok(requests::table
        .filter(requests::municipality_id.eq(municipality))
        .filter(requests::created_at.ge(to_db(from)))
        .filter(requests::created_at.lt(to_db(to)))
        .select((requests::category, requests::status, requests::tier))
        .load(conn)?)
}

/// For requests received in the span that were scheduled: (received, first accepted).
pub fn time_to_scheduled(
    conn: &mut DbConnection,
    municipality: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<(DateTime<Utc>, DateTime<Utc>)>> {
    let rows: Vec<(i64, NaiveDateTime, Option<NaiveDateTime>)> = requests::table
        .inner_join(assignments::table.on(assignments::request_id.eq(requests::id)))
        .filter(requests::municipality_id.eq(municipality))
        .filter(requests::created_at.ge(to_db(from)))
        .filter(requests::created_at.lt(to_db(to)))
        .filter(assignments::accepted_at.is_not_null())
        .group_by((requests::id, requests::created_at))
        .select((
            requests::id,
            requests::created_at,
            diesel::dsl::min(assignments::accepted_at),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(_, received, accepted)| accepted.map(|a| (from_db(received), from_db(a))))
        .collect())
}

/// tier, hours worked, slot, shortfall, rating, sign-off.
type WorkRow = (Tier, Option<i32>, i32, i32, Option<i32>, Option<SignOff>);

/// Completed assignments whose slot starts in the span.
pub fn completed_work(
    conn: &mut DbConnection,
    municipality: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<CompletedWork>> {
    let rows: Vec<WorkRow> = assignments::table
        .filter(assignments::municipality_id.eq(municipality))
        .filter(assignments::status.eq(AssignmentStatus::Completed))
        .filter(assignments::starts_at.ge(to_db(from)))
        .filter(assignments::starts_at.lt(to_db(to)))
        .select((
            assignments::tier,
            assignments::hours_worked_quarters,
            assignments::slot_quarters,
            assignments::voucher_shortfall,
            assignments::rating,
            assignments::sign_off,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(tier, quarters_worked, slot_quarters, shortfall, rating, sign_off)| CompletedWork {
                tier,
                quarters_worked,
                slot_quarters,
                shortfall,
                rating,
                disputed: matches!(sign_off, Some(SignOff::Disputed | SignOff::Resolved)),
            },
        )
        .collect())
}

/// Clients with an assignment slot in the span.
pub fn clients_with_work(
    conn: &mut DbConnection,
    municipality: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<i64>> {
    Ok(assignments::table
        .filter(assignments::municipality_id.eq(municipality))
        .filter(assignments::starts_at.ge(to_db(from)))
        .filter(assignments::starts_at.lt(to_db(to)))
        .select(assignments::client_id)
        .distinct()
        .load(conn)?)
}

/// Clients with a request received in the span.
pub fn clients_with_requests(
    conn: &mut DbConnection,
    municipality: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<i64>> {
    Ok(requests::table
        .filter(requests::municipality_id.eq(municipality))
        .filter(requests::created_at.ge(to_db(from)))
        .filter(requests::created_at.lt(to_db(to)))
        .select(requests::client_id)
        .distinct()
        .load(conn)?)
}

pub fn new_clients(
    conn: &mut DbConnection,
    municipality: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<i64> {
    Ok(clients::table
        .filter(clients::municipality_id.eq(municipality))
        .filter(clients::created_at.ge(to_db(from)))
        .filter(clients::created_at.lt(to_db(to)))
        .count()
        .get_result(conn)?)
}

/// Ledger events of the span of these kinds, by kind: (kind, count, value in cents).
pub fn voucher_events(
    conn: &mut DbConnection,
    municipality: i64,
    kinds: &[EventKind],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<(EventKind, i64, i64)>> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL, a type the two backends do not share;
    // the cast keeps it an integer number of cents on both.
    let cents = diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
        "CAST(SUM(vouchers.value_cents) AS BIGINT)",
    );
    let rows: Vec<(EventKind, i64, Option<i64>)> = voucher_events::table
        .inner_join(vouchers::table)
        .filter(voucher_events::municipality_id.eq(municipality))
        .filter(voucher_events::at.ge(to_db(from)))
        .filter(voucher_events::at.lt(to_db(to)))
        .filter(voucher_events::kind.eq_any(kinds.to_vec()))
        .group_by(voucher_events::kind)
        .select((voucher_events::kind, diesel::dsl::count_star(), cents))
        .load(conn)?;
    Ok(rows.into_iter().map(|(k, n, v)| (k, n, v.unwrap_or(0))).collect())
}

/// Every jobseeker of the municipality.
pub fn jobseekers(conn: &mut DbConnection, municipality: i64) -> AppResult<Vec<Jobseeker>> {
    let rows: Vec<(NaiveDateTime, Option<NaiveDate>, Option<Outflow>)> = members::table
        .filter(members::municipality_id.eq(municipality))
        .filter(members::kind.eq(MemberKind::Jobseeker))
        .select((members::created_at, members::outflow_date, members::outflow))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(created, left_on, outflow)| Jobseeker {
            registered: from_db(created),
            left_on,
            outflow,
        })
        .collect())
}

/// Follow-ups done in the span: whether each client was helped lastingly.
pub fn follow_ups_done(
    conn: &mut DbConnection,
    municipality: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<bool>> {
    let rows: Vec<Option<bool>> = follow_ups::table
        .filter(follow_ups::municipality_id.eq(municipality))
        .filter(follow_ups::done_at.ge(to_db(from)))
        .filter(follow_ups::done_at.lt(to_db(to)))
        .select(follow_ups::helped_lastingly)
        .load(conn)?;
    Ok(rows.into_iter().map(|h| h.unwrap_or(false)).collect())
}
