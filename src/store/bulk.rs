//! Bulk writes for the data seeder (`woonservice demo seed`, which lives in
//! `crate::seed`): one insertable row type per table, rows with ids chosen by the
//! seeder written in multi-row inserts, then the identity sequences moved past them.
//! Not for request handling: nothing here checks a rule.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::per_backend::{self, on_inner};
use crate::store::schema::*;

/// Rows per statement: well under PostgreSQL's 65,535 bind parameters for the widest table.
const CHUNK: usize = 2000;

macro_rules! bulk {
    ($conn:expr, $table:expr, $rows:expr) => {{
        for chunk in $rows.chunks(CHUNK) {
            let insert = diesel::insert_into($table).values(chunk);
            on_inner!($conn, |c| insert.execute(c))?;
        }
        Ok(())
    }};
}

#[derive(Insertable)]
#[diesel(table_name = municipalities)]
pub struct Municipality {
    pub id: i64,
    pub name: String,
    pub voucher_price_cents: i64,
    pub voucher_validity_months: i32,
    pub yearly_voucher_cap: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = municipality_categories)]
pub struct MunicipalityCategory {
    pub municipality_id: i64,
    pub category_code: String,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = user_municipalities)]
pub struct UserMunicipality {
    pub user_id: i64,
    pub municipality_id: i64,
}

#[derive(Insertable)]
#[diesel(table_name = clients)]
pub struct Client {
    pub id: i64,
    pub municipality_id: i64,
    pub name: String,
    pub street: String,
    pub house_number: String,
    pub postcode: String,
    pub city: String,
    pub target_groups: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub preferred_language: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = members)]
pub struct Member {
    pub id: i64,
    pub municipality_id: i64,
    pub kind: String,
    pub name: String,
    pub email: Option<String>,
    pub skills: String,
    pub weekly_cap_quarters: i32,
    pub availability: String,
    pub coach_id: Option<i64>,
    pub status: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = providers)]
pub struct Provider {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub categories: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = provider_municipalities)]
pub struct ProviderMunicipality {
    pub provider_id: i64,
    pub municipality_id: i64,
}

#[derive(Insertable)]
#[diesel(table_name = requests)]
pub struct Request {
    pub id: i64,
    pub client_id: i64,
    pub municipality_id: i64,
    pub category: String,
    pub description: String,
    pub window_start: NaiveDateTime,
    pub window_end: NaiveDateTime,
    pub estimated_quarters: i32,
    pub status: String,
    pub tier: Option<String>,
    pub cancel_reason: Option<String>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = routing_trail)]
pub struct Trail {
    pub request_id: i64,
    pub tier: String,
    pub outcome: String,
    pub reason_code: String,
    pub reason_nl: String,
    pub reason_en: String,
    pub at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = assignments)]
pub struct Assignment {
    pub id: i64,
    pub request_id: i64,
    pub member_id: i64,
    pub client_id: i64,
    pub municipality_id: i64,
    pub tier: String,
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    pub slot_quarters: i32,
    pub status: String,
    pub hours_worked_quarters: Option<i32>,
    pub proposed_by: i64,
    pub decided_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub accepted_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = referrals)]
pub struct Referral {
    pub request_id: i64,
    pub provider_id: i64,
    pub municipality_id: i64,
    pub tier: String,
    pub status: String,
    pub respond_by: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = voucher_sales)]
pub struct Sale {
    pub id: i64,
    pub client_id: i64,
    pub municipality_id: i64,
    pub voucher_count: i32,
    pub unit_value_cents: i64,
    pub sold_by: i64,
    pub sold_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = vouchers)]
pub struct Voucher {
    pub id: i64,
    pub serial: String,
    pub sale_id: i64,
    pub client_id: i64,
    pub municipality_id: i64,
    pub value_cents: i64,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub status: String,
    pub assignment_id: Option<i64>,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = voucher_events)]
pub struct Event {
    pub voucher_id: i64,
    pub municipality_id: i64,
    pub kind: String,
    pub assignment_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub at: NaiveDateTime,
    /// The sale's client and value, on `sold` events only.
    pub client_id: Option<i64>,
    pub value_cents: Option<i64>,
}

pub fn municipalities(
    conn: &mut DbConnection,
    rows: &[Municipality],
    categories: &[MunicipalityCategory],
) -> AppResult<()> {
    let r: AppResult<()> = bulk!(conn, municipalities::table, rows);
    r?;
    bulk!(conn, municipality_categories::table, categories)
}

pub fn users(conn: &mut DbConnection, rows: &[User], scopes: &[UserMunicipality]) -> AppResult<()> {
    let r: AppResult<()> = bulk!(conn, users::table, rows);
    r?;
    bulk!(conn, user_municipalities::table, scopes)
}

pub fn clients(conn: &mut DbConnection, rows: &[Client]) -> AppResult<()> {
    bulk!(conn, clients::table, rows)
}

pub fn members(conn: &mut DbConnection, rows: &[Member]) -> AppResult<()> {
    bulk!(conn, members::table, rows)
}

pub fn providers(conn: &mut DbConnection, rows: &[Provider], served: &[ProviderMunicipality]) -> AppResult<()> {
    let r: AppResult<()> = bulk!(conn, providers::table, rows);
    r?;
    bulk!(conn, provider_municipalities::table, served)
}

/// The past requests of one batch with everything that hangs off them.
#[derive(Default)]
pub struct History {
    pub requests: Vec<Request>,
    pub trail: Vec<Trail>,
    pub assignments: Vec<Assignment>,
    pub referrals: Vec<Referral>,
    pub sales: Vec<Sale>,
    pub vouchers: Vec<Voucher>,
    pub events: Vec<Event>,
}

pub fn history(conn: &mut DbConnection, h: &History) -> AppResult<()> {
    let steps: [AppResult<()>; 7] = [
        bulk!(conn, requests::table, &h.requests),
        bulk!(conn, routing_trail::table, &h.trail),
        bulk!(conn, assignments::table, &h.assignments),
        bulk!(conn, referrals::table, &h.referrals),
        bulk!(conn, voucher_sales::table, &h.sales),
        bulk!(conn, vouchers::table, &h.vouchers),
        bulk!(conn, voucher_events::table, &h.events),
    ];
    steps.into_iter().collect()
}

#[derive(QueryableByName)]
struct MaxId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// The highest id of a table (0 when empty).
pub fn max_id(conn: &mut DbConnection, table: &str) -> AppResult<i64> {
    let row: MaxId = diesel::sql_query(format!("SELECT COALESCE(MAX(id), 0) AS id FROM {table}")).get_result(conn)?;
    Ok(row.id)
}

/// After explicit ids, PostgreSQL's identity sequences must move past them; SQLite
/// takes the next rowid from the table itself.
pub fn fix_sequences(conn: &mut DbConnection, tables: &[&str]) -> AppResult<()> {
    for table in tables {
        per_backend::on_postgres_only(
            conn,
            &format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
            ),
        )?;
    }
    Ok(())
}

/// The next serial sequence number of `prefix` in `year` (1 when none was used yet).
pub fn serial_next(conn: &mut DbConnection, prefix: &str, year: i32) -> AppResult<i64> {
    Ok(voucher_serial_counters::table
        .find((prefix, year))
        .select(voucher_serial_counters::next_value)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(1))
}

/// Sets the serial counter so sales continue after the seeded serials.
pub fn serial_counter(conn: &mut DbConnection, prefix: &str, year: i32, next_value: i64) -> AppResult<()> {
    diesel::delete(voucher_serial_counters::table.find((prefix, year))).execute(conn)?;
    diesel::insert_into(voucher_serial_counters::table)
        .values((
            voucher_serial_counters::prefix.eq(prefix),
            voucher_serial_counters::year.eq(year),
            voucher_serial_counters::next_value.eq(next_value),
        ))
        .execute(conn)?;
    Ok(())
}

/// Refreshes the planner's statistics (and, on PostgreSQL, the visibility map that
/// index-only scans need) after a bulk load. Runs outside any transaction.
pub fn analyze(conn: &mut DbConnection) -> AppResult<()> {
    per_backend::batch(conn, "VACUUM ANALYZE", "ANALYZE")
}
