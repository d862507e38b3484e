use chrono::{DateTime, Months, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::domain::follow_up::FollowUp;
use crate::domain::page::{Page, PageRequest};
use crate::domain::request::RequestStatus;
use crate::domain::schedule::{local_date, local_to_utc};
use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::paging::{self, page_by_id, within_scope};
use crate::store::schema::{follow_ups, requests};
use crate::store::time::{from_db, to_db};

/// How long after completion the advisor asks whether the help lasted.
pub const AFTER_MONTHS: u32 = 3;

#[derive(Queryable, Selectable)]
#[diesel(table_name = follow_ups)]
struct Row {
    id: i64,
    request_id: i64,
    municipality_id: i64,
    client_id: i64,
    due_on: NaiveDate,
    done_at: Option<NaiveDateTime>,
    done_by: Option<i64>,
    helped_lastingly: Option<bool>,
    note: Option<String>,
    created_at: NaiveDateTime,
}

impl Row {
    fn into_domain(self) -> FollowUp {
        FollowUp {
            id: self.id,
            request_id: self.request_id,
            municipality_id: self.municipality_id,
            client_id: self.client_id,
            due_on: self.due_on,
            done_at: self.done_at.map(from_db),
            done_by: self.done_by,
            helped_lastingly: self.helped_lastingly,
            note: self.note,
            created_at: from_db(self.created_at),
        }
    }
}

/// Creates the follow-ups of requests completed at least three months ago; returns
/// how many. Each request gets one, also when several instances run this at once.
pub fn create_due(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<usize> {
    let today = local_date(now);
    let cutoff_day = today
        .checked_sub_months(Months::new(AFTER_MONTHS))
        .unwrap_or(NaiveDate::MIN);
    let cutoff = local_to_utc(
        cutoff_day
            .succ_opt()
            .unwrap_or(cutoff_day)
            .and_hms_opt(0, 0, 0)
            .expect("midnight"),
    );
    let due: Vec<(i64, i64, i64, NaiveDateTime)> = requests::table
        .left_join(follow_ups::table.on(follow_ups::request_id.eq(requests::id)))
        .filter(requests::status.eq(RequestStatus::Completed))
        .filter(requests::updated_at.lt(to_db(cutoff)))
        .filter(follow_ups::id.is_null())
        .select((
            requests::id,
            requests::municipality_id,
            requests::client_id,
            requests::updated_at,
        ))
        .order(requests::id)
        .limit(10_000)
        .load(conn)?;
    let mut created = 0;
    for (request_id, municipality_id, client_id, completed) in due {
        let due_on = local_date(from_db(completed))
            .checked_add_months(Months::new(AFTER_MONTHS))
            .unwrap_or(today);
        let inserted = conn.transaction(|c| {
            diesel::insert_into(follow_ups::table)
                .values((
                    follow_ups::request_id.eq(request_id),
                    follow_ups::municipality_id.eq(municipality_id),
                    follow_ups::client_id.eq(client_id),
                    follow_ups::due_on.eq(due_on),
                    follow_ups::created_at.eq(to_db(now)),
                ))
                .execute(c)
        });
        match inserted {
            Ok(_) => created += 1,
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(created)
}

/// Follow-ups of these municipalities (`None`: all); with `due_by`, only the open ones due by then.
pub fn list(
    conn: &mut DbConnection,
    scope: Option<&[i64]>,
    due_by: Option<NaiveDate>,
    page: &PageRequest<()>,
) -> AppResult<Page<FollowUp, ()>> {
    let mut query = follow_ups::table.select(Row::as_select()).into_boxed();
    if let Some(scope) = scope {
        query = within_scope!(query, follow_ups::municipality_id, scope);
    }
    if let Some(day) = due_by {
        query = query
            .filter(follow_ups::done_at.is_null())
            .filter(follow_ups::due_on.le(day));
    }
    let rows: Vec<Row> = page_by_id!(query, follow_ups::id, page).load(conn)?;
    paging::assemble(rows, page, |r| r.id, |r| Ok(r.into_domain()))
}

pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<FollowUp>> {
    Ok(follow_ups::table
        .find(id)
        .select(Row::as_select())
        .first::<Row>(conn)
        .optional()?
        .map(Row::into_domain))
}

/// Records the outcome once; false when it was recorded before.
pub fn record(
    conn: &mut DbConnection,
    id: i64,
    helped_lastingly: bool,
    note: &str,
    by: i64,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let changed = diesel::update(follow_ups::table.find(id).filter(follow_ups::done_at.is_null()))
        .set((
            follow_ups::done_at.eq(Some(to_db(now))),
            follow_ups::done_by.eq(Some(by)),
            follow_ups::helped_lastingly.eq(Some(helped_lastingly)),
            follow_ups::note.eq(Some(note)),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}
