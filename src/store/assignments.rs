use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::assignment::{Assignment, AssignmentStatus, SignOff, slot_quarters};
use crate::domain::feedback::Rated;
use crate::domain::hours::QuarterHours;
use crate::domain::page::{Page, PageRequest};
use crate::domain::progress::VisitRecord;
use crate::domain::ranking::Booking;
use crate::domain::request::Tier;
use crate::domain::schedule::Span;
use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::paging::page_by_key;
use crate::store::schema::{assignments, requests};
use crate::store::time::{from_db, to_db};

#[derive(Queryable, Selectable)]
#[diesel(table_name = assignments)]
pub(super) struct Row {
    id: i64,
    request_id: i64,
    member_id: i64,
    client_id: i64,
    municipality_id: i64,
    tier: Tier,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
    status: AssignmentStatus,
    hours_worked_quarters: Option<i32>,
    voucher_shortfall: i32,
    reason: Option<String>,
    proposed_by: i64,
    decided_by: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    sign_off: Option<SignOff>,
    rating: Option<i32>,
    sign_off_comment: Option<String>,
    dispute_reason: Option<String>,
    resolution_note: Option<String>,
    completed_at: Option<NaiveDateTime>,
}

impl Row {
    pub(super) fn into_domain(self) -> Assignment {
        Assignment {
            id: self.id,
            request_id: self.request_id,
            member_id: self.member_id,
            client_id: self.client_id,
            municipality_id: self.municipality_id,
            tier: self.tier,
            slot: Span::new(from_db(self.starts_at), from_db(self.ends_at)),
            status: self.status,
            hours_worked: self.hours_worked_quarters.map(QuarterHours::from_quarters),
            voucher_shortfall: self.voucher_shortfall,
            reason: self.reason,
            proposed_by: self.proposed_by,
            decided_by: self.decided_by,
            sign_off: self.sign_off,
            rating: self.rating,
            sign_off_comment: self.sign_off_comment,
            dispute_reason: self.dispute_reason,
            resolution_note: self.resolution_note,
            completed_at: self.completed_at.map(from_db),
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        }
    }
}

pub struct NewAssignment {
    pub request_id: i64,
    pub member_id: i64,
    pub client_id: i64,
    pub municipality_id: i64,
    pub tier: Tier,
    pub slot: Span,
    pub proposed_by: i64,
}

pub fn insert(conn: &mut DbConnection, new: &NewAssignment, now: DateTime<Utc>) -> AppResult<i64> {
    Ok(diesel::insert_into(assignments::table)
        .values((
            assignments::request_id.eq(new.request_id),
            assignments::member_id.eq(new.member_id),
            assignments::client_id.eq(new.client_id),
            assignments::municipality_id.eq(new.municipality_id),
            assignments::tier.eq(new.tier),
            assignments::starts_at.eq(to_db(new.slot.start)),
            assignments::ends_at.eq(to_db(new.slot.end)),
            assignments::slot_quarters.eq(slot_quarters(&new.slot).quarters()),
            assignments::status.eq(AssignmentStatus::Proposed),
            assignments::proposed_by.eq(new.proposed_by),
            assignments::created_at.eq(to_db(now)),
            assignments::updated_at.eq(to_db(now)),
        ))
        .returning(assignments::id)
        .get_result(conn)?)
}

pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Assignment>> {
    let row: Option<Row> = assignments::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Row::into_domain))
}

/// A change of status with what came with it.
pub struct StatusChange<'a> {
    pub status: AssignmentStatus,
    pub decided_by: Option<i64>,
    pub reason: Option<&'a str>,
    pub hours_worked: Option<QuarterHours>,
    pub voucher_shortfall: i32,
}

pub fn set_status(conn: &mut DbConnection, id: i64, change: &StatusChange<'_>, now: DateTime<Utc>) -> AppResult<()> {
    diesel::update(assignments::table.find(id))
        .set((
            assignments::status.eq(change.status),
            assignments::decided_by.eq(change.decided_by),
            assignments::reason.eq(change.reason),
            assignments::hours_worked_quarters.eq(change.hours_worked.map(|h| h.quarters())),
            assignments::voucher_shortfall.eq(change.voucher_shortfall),
            assignments::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Assignments of a request still proposed, awaiting the coach, or accepted.
pub fn open_of_request(conn: &mut DbConnection, request_id: i64) -> AppResult<Vec<Assignment>> {
    let rows: Vec<Row> = assignments::table
        .filter(assignments::request_id.eq(request_id))
        .filter(assignments::status.eq_any(open_statuses()))
        .select(Row::as_select())
        .order(assignments::id)
        .load(conn)?;
    Ok(rows.into_iter().map(Row::into_domain).collect())
}

/// The latest assignment of a request, whatever its status.
pub fn latest_of_request(conn: &mut DbConnection, request_id: i64) -> AppResult<Option<Assignment>> {
    let row: Option<Row> = assignments::table
        .filter(assignments::request_id.eq(request_id))
        .select(Row::as_select())
        .order(assignments::id.desc())
        .first(conn)
        .optional()?;
    Ok(row.map(Row::into_domain))
}

/// The statuses of an assignment still open (`AssignmentStatus::is_open`), as a filter.
pub(super) fn open_statuses() -> Vec<AssignmentStatus> {
    AssignmentStatus::ALL.iter().copied().filter(|s| s.is_open()).collect()
}

pub(super) const COUNTED: [AssignmentStatus; 3] = [
    AssignmentStatus::AwaitingConfirmation,
    AssignmentStatus::Accepted,
    AssignmentStatus::Completed,
];

/// Accepted and completed assignments of these members starting in `[from, to)`, for
/// overlap, weekly-cap and fairness checks.
pub fn bookings(
    conn: &mut DbConnection,
    member_ids: &[i64],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<(i64, Booking)>> {
    if member_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, NaiveDateTime, NaiveDateTime, AssignmentStatus, i32, Option<i32>)> = assignments::table
        .filter(assignments::member_id.eq_any(member_ids))
        .filter(assignments::starts_at.ge(to_db(from)))
        .filter(assignments::starts_at.lt(to_db(to)))
        .filter(assignments::status.eq_any(COUNTED))
        .select((
            assignments::member_id,
            assignments::starts_at,
            assignments::ends_at,
            assignments::status,
            assignments::slot_quarters,
            assignments::hours_worked_quarters,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(member, start, end, status, slot, worked)| (member, booking(start, end, status, slot, worked)))
        .collect())
}

/// A booking as the checks count it: the slot's hours while it is ahead, the hours
/// worked once done.
pub(super) fn booking(
    start: NaiveDateTime,
    end: NaiveDateTime,
    status: AssignmentStatus,
    slot: i32,
    worked: Option<i32>,
) -> Booking {
    let upcoming = status.holds();
    let quarters = if upcoming { slot } else { worked.unwrap_or(slot) };
    Booking {
        slot: Span::new(from_db(start), from_db(end)),
        hours: QuarterHours::from_quarters(quarters),
        upcoming,
    }
}

pub fn of_member(
    conn: &mut DbConnection,
    member_id: i64,
    page: &PageRequest<DateTime<Utc>>,
) -> AppResult<Page<Assignment, DateTime<Utc>>> {
    let query = assignments::table
        .filter(assignments::member_id.eq(member_id))
        .select(Row::as_select())
        .into_boxed();
    let rows: Vec<Row> = page_by_key!(query, assignments::starts_at, assignments::id, page, to_db).load(conn)?;
    let page = Page::assemble(rows, page, |r| (from_db(r.starts_at), r.id));
    Ok(Page {
        items: page.items.into_iter().map(Row::into_domain).collect(),
        next: page.next,
        prev: page.prev,
    })
}

/// Accepted assignments starting on a local (Amsterdam) day.
pub fn accepted_on(conn: &mut DbConnection, day: chrono::NaiveDate) -> AppResult<Vec<Assignment>> {
    let start = crate::domain::schedule::local_to_utc(day.and_hms_opt(0, 0, 0).expect("midnight"));
    let end = crate::domain::schedule::local_to_utc(
        (day + chrono::Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .expect("midnight"),
    );
    let rows: Vec<Row> = assignments::table
        .filter(assignments::status.eq(AssignmentStatus::Accepted))
        .filter(assignments::starts_at.ge(to_db(start)))
        .filter(assignments::starts_at.lt(to_db(end)))
        .select(Row::as_select())
        .order(assignments::id)
        .load(conn)?;
    Ok(rows.into_iter().map(Row::into_domain).collect())
}

/// Records when an assignment was accepted (for the time-to-scheduled figure).
pub fn mark_accepted(conn: &mut DbConnection, id: i64, at: DateTime<Utc>) -> AppResult<()> {
    diesel::update(assignments::table.find(id))
        .set(assignments::accepted_at.eq(Some(to_db(at))))
        .execute(conn)?;
    Ok(())
}

/// Opens the sign-off of a just completed visit (`pending`, or `auto_agreed` where the
/// municipality redeems at completion).
pub fn begin_sign_off(conn: &mut DbConnection, id: i64, sign_off: SignOff, now: DateTime<Utc>) -> AppResult<()> {
    diesel::update(assignments::table.find(id))
        .set((
            assignments::sign_off.eq(sign_off),
            assignments::completed_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// What a sign-off writes besides its new state.
#[derive(Debug, Default)]
pub struct SignOffAnswer<'a> {
    /// `None`: the days passed (the job).
    pub by: Option<i64>,
    pub rating: Option<i32>,
    pub comment: Option<&'a str>,
    pub dispute_reason: Option<&'a str>,
    pub resolution_note: Option<&'a str>,
    /// The hours to redeem, when an advisor's resolution changes them.
    pub hours_worked: Option<QuarterHours>,
    pub voucher_shortfall: i32,
}

/// Moves a sign-off from `from` to `to`; false, changing nothing, when it is no longer
/// `from` (another answer came first).
pub fn answer_sign_off(
    conn: &mut DbConnection,
    id: i64,
    from: SignOff,
    to: SignOff,
    answer: &SignOffAnswer<'_>,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let row = assignments::table.find(id).filter(assignments::sign_off.eq(from));
    let changed = diesel::update(row)
        .set((
            assignments::sign_off.eq(to),
            assignments::sign_off_by.eq(answer.by),
            assignments::voucher_shortfall.eq(answer.voucher_shortfall),
            assignments::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    let this = assignments::table.find(id);
    if answer.rating.is_some() || answer.comment.is_some() {
        diesel::update(this)
            .set((
                assignments::rating.eq(answer.rating),
                assignments::sign_off_comment.eq(answer.comment),
            ))
            .execute(conn)?;
    }
    if let Some(reason) = answer.dispute_reason {
        diesel::update(this)
            .set(assignments::dispute_reason.eq(reason))
            .execute(conn)?;
    }
    if let Some(note) = answer.resolution_note {
        diesel::update(this)
            .set(assignments::resolution_note.eq(note))
            .execute(conn)?;
    }
    if let Some(hours) = answer.hours_worked {
        diesel::update(this)
            .set(assignments::hours_worked_quarters.eq(hours.quarters()))
            .execute(conn)?;
    }
    Ok(true)
}

/// Visits whose sign-off still waits, with when they were completed and their
/// municipality: the job agrees for the client once the municipality's days passed.
pub fn pending_sign_offs(conn: &mut DbConnection) -> AppResult<Vec<(i64, DateTime<Utc>, i64)>> {
    let rows: Vec<(i64, Option<NaiveDateTime>, i64)> = assignments::table
        .filter(assignments::sign_off.eq(SignOff::Pending))
        .select((assignments::id, assignments::completed_at, assignments::municipality_id))
        .order(assignments::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, at, m)| at.map(|at| (id, from_db(at), m)))
        .collect())
}

/// id, rating, comment, completed_at, updated_at.
type RatedRow = (i64, Option<i32>, Option<String>, Option<NaiveDateTime>, NaiveDateTime);

/// A member's visits that a client rated, newest first.
pub fn rated_of_member(conn: &mut DbConnection, member_id: i64) -> AppResult<Vec<Rated>> {
    let rows: Vec<RatedRow> = assignments::table
        .filter(assignments::member_id.eq(member_id))
        .filter(assignments::rating.is_not_null())
        .select((
            assignments::id,
            assignments::rating,
            assignments::sign_off_comment,
            assignments::completed_at,
            assignments::updated_at,
        ))
        .order(assignments::id.desc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, rating, comment, completed_at, updated_at)| {
            rating.map(|rating| Rated {
                assignment_id: id,
                rating,
                comment,
                at: from_db(completed_at.unwrap_or(updated_at)),
            })
        })
        .collect())
}

/// Proposed, awaiting and accepted visits of these members starting in `[from, to)`,
/// soonest first, each with its request's category.
pub fn ahead_of_members(
    conn: &mut DbConnection,
    member_ids: &[i64],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Vec<(Assignment, String)>> {
    if member_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(Row, String)> = assignments::table
        .inner_join(requests::table)
        .filter(assignments::member_id.eq_any(member_ids))
        .filter(assignments::status.eq_any(open_statuses()))
        .filter(assignments::starts_at.ge(to_db(from)))
        .filter(assignments::starts_at.lt(to_db(to)))
        .select((Row::as_select(), requests::category))
        .order((assignments::starts_at, assignments::id))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(row, category)| (row.into_domain(), category))
        .collect())
}

/// A member's visits starting from `from`, whatever became of them, for their progress.
pub fn history_of_member(conn: &mut DbConnection, member_id: i64, from: DateTime<Utc>) -> AppResult<Vec<VisitRecord>> {
    let rows: Vec<(NaiveDateTime, NaiveDateTime, AssignmentStatus, i32, Option<i32>)> = assignments::table
        .filter(assignments::member_id.eq(member_id))
        .filter(assignments::starts_at.ge(to_db(from)))
        .select((
            assignments::starts_at,
            assignments::ends_at,
            assignments::status,
            assignments::slot_quarters,
            assignments::hours_worked_quarters,
        ))
        .order(assignments::starts_at)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(start, end, status, slot, worked)| VisitRecord {
            start: from_db(start),
            status,
            hours: booking(start, end, status, slot, worked).hours,
        })
        .collect())
}
