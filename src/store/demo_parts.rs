//! The demo loader's bookkeeping (which parts of `serve --demo` are loaded) and the
//! lookups by name it needs.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::domain::request::RequestStatus;
use crate::error::{AppError, AppResult};
use crate::store::DbConnection;
use crate::store::schema::{assignments, clients, demo_parts, providers, referrals, requests};
use crate::store::time::to_db;

pub fn is_loaded(conn: &mut DbConnection, name: &str) -> AppResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(demo_parts::table.filter(demo_parts::name.eq(name)))).get_result(conn)?)
}

pub fn mark_loaded(conn: &mut DbConnection, name: &str, at: DateTime<Utc>) -> AppResult<()> {
    diesel::insert_into(demo_parts::table)
        .values((demo_parts::name.eq(name), demo_parts::loaded_at.eq(to_db(at))))
        .execute(conn)?;
    Ok(())
}

/// The id of the (first) client with this name: the demo finds its clients by name.
pub fn client_id_by_name(conn: &mut DbConnection, name: &str) -> AppResult<i64> {
    clients::table
        .filter(clients::name.eq(name))
        .select(clients::id)
        .first(conn)
        .map_err(AppError::from)
}

/// Requests still new, with their municipality, oldest first: the ones the demo routes.
pub fn new_requests(conn: &mut DbConnection) -> AppResult<Vec<(i64, i64)>> {
    Ok(requests::table
        .filter(requests::status.eq(RequestStatus::New.as_str()))
        .select((requests::id, requests::municipality_id))
        .order(requests::id)
        .load(conn)?)
}

/// The id of the provider with this name.
pub fn provider_id_by_name(conn: &mut DbConnection, name: &str) -> AppResult<i64> {
    providers::table
        .filter(providers::name.eq(name))
        .select(providers::id)
        .first(conn)
        .map_err(AppError::from)
}

/// Moves a referral's making and deadline `by` into the past, so that the demo shows
/// one whose deadline passed while nobody answered.
pub fn age_referral(conn: &mut DbConnection, id: i64, by: chrono::Duration) -> AppResult<()> {
    let (created_at, respond_by): (chrono::NaiveDateTime, chrono::NaiveDateTime) = referrals::table
        .find(id)
        .select((referrals::created_at, referrals::respond_by))
        .first(conn)?;
    diesel::update(referrals::table.find(id))
        .set((
            referrals::created_at.eq(created_at - by),
            referrals::updated_at.eq(created_at - by),
            referrals::respond_by.eq(respond_by - by),
        ))
        .execute(conn)?;
    Ok(())
}

/// The completed visits of a client whose hours wait for sign-off, oldest first.
pub fn pending_sign_offs_of_client(conn: &mut DbConnection, client_id: i64) -> AppResult<Vec<i64>> {
    Ok(assignments::table
        .filter(assignments::client_id.eq(client_id))
        .filter(assignments::sign_off.eq("pending"))
        .select(assignments::id)
        .order(assignments::id)
        .load(conn)?)
}
