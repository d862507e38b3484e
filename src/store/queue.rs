//! The advisors' queue: what waits for an advisor, each row with the client's name,
//! one statement per kind of wait.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::paging::within_scope;
use crate::store::schema::{assignments, clients, follow_ups, members, providers, referrals, requests, routing_trail};
use crate::store::time::from_db;

/// At most this many rows of one kind; the count says when there are more.
pub const LIMIT: i64 = 100;

/// One waiting item, tied to a request.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub request_id: i64,
    pub client_name: String,
    pub category: String,
    /// When it began to wait, or the deadline (a referral's answer date).
    pub at: DateTime<Utc>,
    /// A provider's name, a dispute's reason.
    pub detail: Option<String>,
}

/// Where to look: the caller's municipalities (`None`: all), or one of them.
#[derive(Debug, Clone, Copy)]
pub struct Where<'a> {
    pub scope: Option<&'a [i64]>,
    pub municipality: Option<i64>,
}

macro_rules! in_place {
    ($query:expr, $column:expr, $where:expr) => {{
        let mut query = $query;
        if let Some(scope) = $where.scope {
            query = within_scope!(query, $column, scope);
        }
        if let Some(m) = $where.municipality {
            query = query.filter($column.eq(m));
        }
        query
    }};
}

/// A row without a detail.
macro_rules! no_detail {
    () => {
        None::<String>.into_sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>()
    };
}

/// Requests (joined with their client) that wait, as the request kinds of the queue
/// list them: by `$at`, oldest first, in the caller's place.
macro_rules! waiting_requests {
    ($conn:expr, $filtered:expr, $at:expr, $place:expr) => {{
        let query = $filtered
            .select((requests::id, clients::name, requests::category, $at, no_detail!()))
            .order($at.asc())
            .limit(LIMIT)
            .into_boxed();
        let query = in_place!(query, requests::municipality_id, $place);
        Ok(rows(query.load($conn)?))
    }};
}

fn rows(found: Vec<(i64, String, String, NaiveDateTime, Option<String>)>) -> Vec<Waiting> {
    found
        .into_iter()
        .map(|(request_id, client_name, category, at, detail)| Waiting {
            request_id,
            client_name,
            category,
            at: from_db(at),
            detail,
        })
        .collect()
}

/// Requests in this status (new, unmatched), oldest first.
pub fn requests_in(conn: &mut DbConnection, place: Where<'_>, status: &str) -> AppResult<Vec<Waiting>> {
    let filtered = requests::table
        .inner_join(clients::table)
        .filter(requests::status.eq(status));
    waiting_requests!(conn, filtered, requests::created_at, place)
}

/// Referrals still waiting for the provider's answer, by answer date.
pub fn open_referrals(conn: &mut DbConnection, place: Where<'_>) -> AppResult<Vec<Waiting>> {
    let query = referrals::table
        .inner_join(requests::table.on(requests::id.eq(referrals::request_id)))
        .inner_join(clients::table.on(clients::id.eq(requests::client_id)))
        .inner_join(providers::table.on(providers::id.eq(referrals::provider_id)))
        .filter(referrals::status.eq("open"))
        .select((
            requests::id,
            clients::name,
            requests::category,
            referrals::respond_by,
            providers::name.nullable(),
        ))
        .order(referrals::respond_by.asc())
        .limit(LIMIT)
        .into_boxed();
    let query = in_place!(query, referrals::municipality_id, place);
    Ok(rows(query.load(conn)?))
}

/// Visits whose hours the client disputed, waiting for an advisor's resolution.
pub fn disputes(conn: &mut DbConnection, place: Where<'_>) -> AppResult<Vec<Waiting>> {
    let query = assignments::table
        .inner_join(requests::table.on(requests::id.eq(assignments::request_id)))
        .inner_join(clients::table.on(clients::id.eq(assignments::client_id)))
        .filter(assignments::sign_off.eq("disputed"))
        .select((
            requests::id,
            clients::name,
            requests::category,
            assignments::updated_at,
            assignments::dispute_reason,
        ))
        .order(assignments::updated_at.asc())
        .limit(LIMIT)
        .into_boxed();
    let query = in_place!(query, assignments::municipality_id, place);
    Ok(rows(query.load(conn)?))
}

/// Follow-up calls due by `today` and not yet made.
pub fn follow_ups_due(conn: &mut DbConnection, place: Where<'_>, today: NaiveDate) -> AppResult<Vec<Waiting>> {
    let query = follow_ups::table
        .inner_join(requests::table.on(requests::id.eq(follow_ups::request_id)))
        .inner_join(clients::table.on(clients::id.eq(follow_ups::client_id)))
        .filter(follow_ups::done_at.is_null())
        .filter(follow_ups::due_on.le(today))
        .select((
            requests::id,
            clients::name,
            requests::category,
            follow_ups::created_at,
            no_detail!(),
        ))
        .order(follow_ups::due_on.asc())
        .limit(LIMIT)
        .into_boxed();
    let query = in_place!(query, follow_ups::municipality_id, place);
    Ok(rows(query.load(conn)?))
}

/// Requests the engine kept from the learning-work company because a local organisation
/// offers the task, not finished and not yet overruled: a coordinator may overrule.
pub fn kept_from_woonservice(conn: &mut DbConnection, place: Where<'_>) -> AppResult<Vec<Waiting>> {
    let kept = routing_trail::table
        .filter(routing_trail::reason_code.eq("existing_organisation"))
        .select(routing_trail::request_id);
    let overruled = routing_trail::table
        .filter(routing_trail::outcome.eq("overridden"))
        .select(routing_trail::request_id);
    let filtered = requests::table
        .inner_join(clients::table)
        .filter(requests::id.eq_any(kept))
        .filter(diesel::dsl::not(requests::id.eq_any(overruled)))
        .filter(requests::status.ne_all(["completed", "cancelled"]));
    waiting_requests!(conn, filtered, requests::created_at, place)
}

/// Requests routed to the learning-work company with nobody proposed yet (or whose
/// proposal was declined or rejected).
pub fn routed_to_woonservice(conn: &mut DbConnection, place: Where<'_>) -> AppResult<Vec<Waiting>> {
    let proposed = assignments::table
        .filter(assignments::status.eq_any(super::assignments::open_statuses()))
        .select(assignments::request_id);
    let filtered = requests::table
        .inner_join(clients::table)
        .filter(requests::status.eq("routed"))
        .filter(requests::tier.eq("woonservice"))
        .filter(diesel::dsl::not(requests::id.eq_any(proposed)));
    waiting_requests!(conn, filtered, requests::window_start, place)
}

/// A visit a coach's jobseeker took on through their own account.
#[derive(Debug, Clone)]
pub struct ToConfirm {
    pub assignment_id: i64,
    pub member_name: String,
    pub client_name: String,
    pub category: String,
    pub starts_at: DateTime<Utc>,
}

/// The accepts of a coach's own jobseekers that wait for the coach, soonest visit first.
pub fn to_confirm(conn: &mut DbConnection, coach_id: i64) -> AppResult<Vec<ToConfirm>> {
    let found: Vec<(i64, String, String, String, NaiveDateTime)> = assignments::table
        .inner_join(members::table.on(members::id.eq(assignments::member_id)))
        .inner_join(clients::table.on(clients::id.eq(assignments::client_id)))
        .inner_join(requests::table.on(requests::id.eq(assignments::request_id)))
        .filter(members::coach_id.eq(coach_id))
        .filter(assignments::status.eq("awaiting_confirmation"))
        .select((
            assignments::id,
            members::name,
            clients::name,
            requests::category,
            assignments::starts_at,
        ))
        .order(assignments::starts_at.asc())
        .limit(LIMIT)
        .load(conn)?;
    Ok(found
        .into_iter()
        .map(|(assignment_id, member_name, client_name, category, at)| ToConfirm {
            assignment_id,
            member_name,
            client_name,
            category,
            starts_at: from_db(at),
        })
        .collect())
}
