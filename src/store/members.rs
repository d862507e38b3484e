use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::Email;
use crate::domain::availability::WeeklyAvailability;
use crate::domain::client::Coordinates;
use crate::domain::hours::QuarterHours;
use crate::domain::member::{Member, MemberFields, MemberFilter, MemberKind, MemberStatus, Outflow};
use crate::domain::page::{Page, PageRequest};
use crate::error::{AppError, AppResult};
use crate::store::DbConnection;
use crate::store::codes;
use crate::store::paging::{self, page_by_id, within_scope};
use crate::store::schema::members;
use crate::store::time::{from_db, to_db};

#[derive(Queryable, Selectable)]
#[diesel(table_name = members)]
pub(super) struct Row {
    pub(super) id: i64,
    municipality_id: i64,
    kind: MemberKind,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    skills: String,
    weekly_cap_quarters: i32,
    availability: String,
    coach_id: Option<i64>,
    status: MemberStatus,
    outflow: Option<Outflow>,
    outflow_date: Option<NaiveDate>,
    lat: Option<f64>,
    lon: Option<f64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    learning_goals: String,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = members, treat_none_as_null = true)]
struct Write<'a> {
    municipality_id: i64,
    kind: MemberKind,
    name: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    skills: String,
    weekly_cap_quarters: i32,
    availability: String,
    coach_id: Option<i64>,
    status: MemberStatus,
    outflow: Option<Outflow>,
    outflow_date: Option<NaiveDate>,
    lat: Option<f64>,
    lon: Option<f64>,
    updated_at: NaiveDateTime,
    learning_goals: String,
}

fn internal(e: String) -> AppError {
    AppError::internal(format!("stored member: {e}"))
}

impl Row {
    pub(super) fn into_domain(self) -> AppResult<Member> {
        Ok(Member {
            id: self.id,
            fields: MemberFields {
                municipality_id: self.municipality_id,
                kind: self.kind,
                name: self.name,
                email: self.email.map(|e| Email::parse(&e)).transpose().map_err(internal)?,
                phone: self.phone,
                skills: codes::split(&self.skills),
                learning_goals: codes::split(&self.learning_goals),
                weekly_hour_cap: QuarterHours::from_quarters(self.weekly_cap_quarters),
                availability: WeeklyAvailability::decode(&self.availability).map_err(internal)?,
                coach_id: self.coach_id,
                status: self.status,
                outflow: self.outflow,
                outflow_date: self.outflow_date,
                coordinates: match (self.lat, self.lon) {
                    (Some(lat), Some(lon)) => Some(Coordinates { lat, lon }),
                    _ => None,
                },
            },
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        })
    }
}

fn write(fields: &MemberFields, now: DateTime<Utc>) -> Write<'_> {
    Write {
        municipality_id: fields.municipality_id,
        kind: fields.kind,
        name: &fields.name,
        email: fields.email.as_ref().map(|e| e.as_str()),
        phone: fields.phone.as_deref(),
        skills: codes::join(&fields.skills),
        learning_goals: codes::join(&fields.learning_goals),
        weekly_cap_quarters: fields.weekly_hour_cap.quarters(),
        availability: fields.availability.encode(),
        coach_id: fields.coach_id,
        status: fields.status,
        outflow: fields.outflow,
        outflow_date: fields.outflow_date,
        lat: fields.coordinates.map(|c| c.lat),
        lon: fields.coordinates.map(|c| c.lon),
        updated_at: to_db(now),
    }
}

pub fn insert(conn: &mut DbConnection, fields: &MemberFields, now: DateTime<Utc>) -> AppResult<i64> {
    Ok(diesel::insert_into(members::table)
        .values((write(fields, now), members::created_at.eq(to_db(now))))
        .returning(members::id)
        .get_result(conn)?)
}

pub fn update(conn: &mut DbConnection, id: i64, fields: &MemberFields, now: DateTime<Utc>) -> AppResult<()> {
    diesel::update(members::table.find(id))
        .set(write(fields, now))
        .execute(conn)?;
    Ok(())
}

/// The members among `ids`, in no particular order.
pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> AppResult<Vec<Member>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<Row> = members::table
        .filter(members::id.eq_any(ids))
        .select(Row::as_select())
        .load(conn)?;
    rows.into_iter().map(Row::into_domain).collect()
}

pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Member>> {
    let row: Option<Row> = members::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    row.map(Row::into_domain).transpose()
}

/// Which members a caller may see.
pub enum Visibility<'a> {
    All,
    Municipalities(&'a [i64]),
    /// A coach: their own jobseekers, and the volunteers of their municipalities.
    Coach {
        coach_id: i64,
        municipalities: &'a [i64],
    },
}

pub fn list(
    conn: &mut DbConnection,
    visibility: &Visibility<'_>,
    filter: &MemberFilter,
    page: &PageRequest<()>,
) -> AppResult<Page<Member, ()>> {
    let mut query = members::table.select(Row::as_select()).into_boxed();
    match visibility {
        Visibility::All => {}
        Visibility::Municipalities(scope) => query = within_scope!(query, members::municipality_id, *scope),
        Visibility::Coach {
            coach_id,
            municipalities,
        } => {
            query = query.filter(
                members::coach_id.eq(*coach_id).or(members::kind
                    .eq(MemberKind::Volunteer)
                    .and(members::municipality_id.eq_any(*municipalities))),
            )
        }
    }
    if let Some(m) = filter.municipality_id {
        query = query.filter(members::municipality_id.eq(m));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(members::kind.eq(kind));
    }
    if let Some(status) = filter.status {
        query = query.filter(members::status.eq(status));
    }
    if let Some(coach) = filter.coach_id {
        query = query.filter(members::coach_id.eq(coach));
    }
    let rows: Vec<Row> = page_by_id!(query, members::id, page).load(conn)?;
    paging::assemble(rows, page, |r| r.id, Row::into_domain)
}

/// Active members of a kind in a municipality: the candidates of a member tier
/// (skills and time are weighed by the ranking).
pub fn active_of_kind(conn: &mut DbConnection, municipality_id: i64, kind: MemberKind) -> AppResult<Vec<Member>> {
    let rows: Vec<Row> = members::table
        .filter(members::municipality_id.eq(municipality_id))
        .filter(members::kind.eq(kind))
        .filter(members::status.eq(MemberStatus::Active))
        .select(Row::as_select())
        .order(members::id)
        .load(conn)?;
    rows.into_iter().map(Row::into_domain).collect()
}

/// A coach's own jobseekers, whatever their status: the caseload.
pub fn jobseekers_of_coach(conn: &mut DbConnection, coach_id: i64) -> AppResult<Vec<Member>> {
    let rows: Vec<Row> = members::table
        .filter(members::coach_id.eq(coach_id))
        .filter(members::kind.eq(MemberKind::Jobseeker))
        .select(Row::as_select())
        .order((members::name, members::id))
        .load(conn)?;
    rows.into_iter().map(Row::into_domain).collect()
}
