use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::hours::QuarterHours;
use crate::domain::page::{Page, PageRequest};
use crate::domain::request::{NewTaskRequest, RequestFilter, RequestStatus, TaskRequest, Tier};
use crate::domain::window::DateWindow;
use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::paging::{self, page_by_id, within_scope};
use crate::store::per_backend::locking;
use crate::store::schema::requests;
use crate::store::time::{from_db, to_db};

#[derive(Queryable, Selectable)]
#[diesel(table_name = requests)]
pub(super) struct Row {
    id: i64,
    client_id: i64,
    municipality_id: i64,
    category: String,
    description: String,
    window_start: NaiveDateTime,
    window_end: NaiveDateTime,
    estimated_quarters: i32,
    status: RequestStatus,
    tier: Option<Tier>,
    cancel_reason: Option<String>,
    created_by: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl Row {
    pub(super) fn into_domain(self) -> TaskRequest {
        TaskRequest {
            id: self.id,
            client_id: self.client_id,
            municipality_id: self.municipality_id,
            category: self.category,
            description: self.description,
            window: DateWindow::stored(from_db(self.window_start), from_db(self.window_end)),
            estimated_hours: QuarterHours::from_quarters(self.estimated_quarters),
            status: self.status,
            tier: self.tier,
            cancel_reason: self.cancel_reason,
            created_by: self.created_by,
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        }
    }
}

pub fn insert(
    conn: &mut DbConnection,
    new: &NewTaskRequest,
    municipality_id: i64,
    created_by: i64,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    Ok(insert_into(conn, new, municipality_id, created_by, now)?.id)
}

/// Inserts a new request and answers it as stored, in one statement.
pub fn insert_into(
    conn: &mut DbConnection,
    new: &NewTaskRequest,
    municipality_id: i64,
    created_by: i64,
    now: DateTime<Utc>,
) -> AppResult<TaskRequest> {
    let row: Row = diesel::insert_into(requests::table)
        .values((
            requests::client_id.eq(new.client_id),
            requests::municipality_id.eq(municipality_id),
            requests::category.eq(&new.category),
            requests::description.eq(&new.description),
            requests::window_start.eq(to_db(new.window.start())),
            requests::window_end.eq(to_db(new.window.end())),
            requests::estimated_quarters.eq(new.estimated_hours.quarters()),
            requests::status.eq(RequestStatus::New),
            requests::created_by.eq(created_by),
            requests::created_at.eq(to_db(now)),
            requests::updated_at.eq(to_db(now)),
        ))
        .returning(requests::all_columns)
        .get_result(conn)?;
    Ok(row.into_domain())
}

pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<TaskRequest>> {
    let row: Option<Row> = requests::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Row::into_domain))
}

pub fn list(
    conn: &mut DbConnection,
    scope: Option<&[i64]>,
    filter: &RequestFilter,
    page: &PageRequest<()>,
) -> AppResult<Page<TaskRequest, ()>> {
    let mut query = requests::table.select(Row::as_select()).into_boxed();
    if let Some(scope) = scope {
        query = within_scope!(query, requests::municipality_id, scope);
    }
    if let Some(status) = filter.status {
        query = query.filter(requests::status.eq(status));
    }
    if let Some(m) = filter.municipality_id {
        query = query.filter(requests::municipality_id.eq(m));
    }
    if let Some(tier) = filter.tier {
        query = query.filter(requests::tier.eq(tier));
    }
    if let Some(client) = filter.client_id {
        query = query.filter(requests::client_id.eq(client));
    }
    let rows: Vec<Row> = page_by_id!(query, requests::id, page).load(conn)?;
    paging::assemble(rows, page, |r| r.id, |r| Ok(r.into_domain()))
}

pub fn cancel(conn: &mut DbConnection, id: i64, reason: &str, now: DateTime<Utc>) -> AppResult<()> {
    diesel::update(requests::table.find(id))
        .set((
            requests::status.eq(RequestStatus::Cancelled),
            requests::cancel_reason.eq(reason),
            requests::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_routing(
    conn: &mut DbConnection,
    id: i64,
    status: RequestStatus,
    tier: Option<Tier>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    diesel::update(requests::table.find(id))
        .set((
            requests::status.eq(status),
            requests::tier.eq(tier),
            requests::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_status(conn: &mut DbConnection, id: i64, status: RequestStatus, now: DateTime<Utc>) -> AppResult<()> {
    diesel::update(requests::table.find(id))
        .set((requests::status.eq(status), requests::updated_at.eq(to_db(now))))
        .execute(conn)?;
    Ok(())
}

/// The request, locked for the rest of the transaction on PostgreSQL (see `store::locks`).
pub fn find_locked(conn: &mut DbConnection, id: i64) -> AppResult<Option<TaskRequest>> {
    let row: Option<Row> = locking!(conn, requests::table.find(id).select(Row::as_select()), |q, c| q
        .first(c)
        .optional())?;
    Ok(row.map(Row::into_domain))
}
