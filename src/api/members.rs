use actix_web::{HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{AuthUser, Json};
use crate::api::paging::{Cursors, list_type};
use crate::api::patch::some_or_null;
use crate::api::problem::Problem;
use crate::api::respond::created;
use crate::domain::availability::{RawSlot, WeeklyAvailability};
use crate::domain::category::parse_codes;
use crate::domain::client::Coordinates;
use crate::domain::contact::{parse_line, parse_phone};
use crate::domain::feedback::Feedback;
use crate::domain::hours::QuarterHours;
use crate::domain::member::{Member, MemberFields, MemberFilter, MemberKind, MemberPatch, MemberStatus, Outflow};
use crate::domain::{Email, Violations};
use crate::error::AppError;
use crate::service::{Ctx, members};

/// A weekly slot in local (Europe/Amsterdam) time.
#[derive(Serialize, Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct SlotDto {
    /// ISO weekday: Monday 1 … Sunday 7.
    #[schema(minimum = 1, maximum = 7, example = 2)]
    pub weekday: i64,
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$", example = "09:00")]
    pub start: String,
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$", example = "17:00")]
    pub end: String,
}

#[derive(Serialize, ToSchema)]
pub struct MemberDto {
    pub id: i64,
    pub municipality_id: i64,
    pub kind: MemberKind,
    pub name: String,
    #[schema(format = Email)]
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Category codes.
    pub skills: Vec<String>,
    /// Category codes a jobseeker's coach wants them to learn; work in them ranks higher
    /// (score part `learning`).
    pub learning_goals: Vec<String>,
    /// Hours per ISO week, in quarter hours.
    #[schema(value_type = f64, multiple_of = 0.25, example = 16)]
    pub weekly_hour_cap: QuarterHours,
    #[schema(value_type = Vec<SlotDto>)]
    pub availability: WeeklyAvailability,
    pub coach_id: Option<i64>,
    pub status: MemberStatus,
    pub outflow: Option<Outflow>,
    pub outflow_date: Option<NaiveDate>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Member> for MemberDto {
    fn from(m: Member) -> MemberDto {
        let f = m.fields;
        MemberDto {
            id: m.id,
            municipality_id: f.municipality_id,
            kind: f.kind,
            name: f.name,
            email: f.email.map(Email::into_string),
            phone: f.phone,
            skills: f.skills,
            learning_goals: f.learning_goals,
            weekly_hour_cap: f.weekly_hour_cap,
            availability: f.availability,
            coach_id: f.coach_id,
            status: f.status,
            outflow: f.outflow,
            outflow_date: f.outflow_date,
            lat: f.coordinates.map(|c| c.lat),
            lon: f.coordinates.map(|c| c.lon),
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

list_type!(MemberList, MemberDto);

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"municipality_id": 1, "kind": "jobseeker", "name": "Sanne de Vries", "email": "sanne@example.nl",
    "skills": ["gardening", "odd_jobs"], "learning_goals": ["odd_jobs"], "weekly_hour_cap": 16,
    "availability": [{"weekday": 1, "start": "09:00", "end": "16:00"}, {"weekday": 3, "start": "09:00", "end": "12:30"}],
    "coach_id": 5}))]
pub struct CreateMember {
    pub municipality_id: i64,
    pub kind: MemberKind,
    #[schema(min_length = 1, max_length = 200, pattern = "contact::LINE_PATTERN")]
    pub name: String,
    #[schema(format = Email)]
    pub email: Option<String>,
    #[schema(pattern = "contact::PHONE_PATTERN")]
    pub phone: Option<String>,
    #[serde(default)]
    #[schema(value_type = BTreeSet<String>, pattern = "^[a-z][a-z0-9_]{1,39}$")]
    pub skills: Vec<String>,
    /// Category codes a jobseeker is to learn (not for volunteers).
    #[serde(default)]
    #[schema(value_type = BTreeSet<String>, pattern = "^[a-z][a-z0-9_]{1,39}$")]
    pub learning_goals: Vec<String>,
    /// Hours per ISO week (quarter hours); defaults to 16.
    #[schema(minimum = 0.25, maximum = 60, multiple_of = 0.25)]
    pub weekly_hour_cap: Option<f64>,
    #[serde(default)]
    pub availability: Vec<SlotDto>,
    /// The coach user; required for a jobseeker (a coach creating one may leave it out: it is them).
    pub coach_id: Option<i64>,
    /// Defaults to `active`.
    pub status: Option<MemberStatus>,
    /// Required when a jobseeker's status is `left`.
    pub outflow: Option<Outflow>,
    /// Required when status is `left`.
    pub outflow_date: Option<NaiveDate>,
    #[schema(minimum = -90, maximum = 90)]
    pub lat: Option<f64>,
    #[schema(minimum = -180, maximum = 180)]
    pub lon: Option<f64>,
}

fn parse_cap(problems: &mut Violations, hours: f64) -> Option<QuarterHours> {
    problems.take(
        "weekly_hour_cap",
        QuarterHours::parse(hours, 1, MemberFields::MAX_WEEKLY_CAP_QUARTERS),
    )
}

fn parse_availability(problems: &mut Violations, slots: &[SlotDto]) -> Option<WeeklyAvailability> {
    let raw: Vec<RawSlot<'_>> = slots
        .iter()
        .map(|s| RawSlot {
            weekday: s.weekday,
            start: &s.start,
            end: &s.end,
        })
        .collect();
    match WeeklyAvailability::parse(&raw) {
        Ok(a) => Some(a),
        Err(errors) => {
            for (i, field, message) in errors {
                let at = if field.is_empty() {
                    "availability".to_owned()
                } else {
                    format!("availability[{i}].{field}")
                };
                problems.add(at, message);
            }
            None
        }
    }
}

fn parse_coordinates(problems: &mut Violations, lat: Option<f64>, lon: Option<f64>) -> Option<Option<Coordinates>> {
    Coordinates::parse(lat, lon)
        .map_err(|e| problems.add(e.field, e.message))
        .ok()
}

impl CreateMember {
    fn parse(self) -> Result<MemberFields, AppError> {
        let mut problems = Violations::new();
        let name = problems.take("name", parse_line(&self.name, 200));
        let email = self.email.as_deref().map(|e| problems.take("email", Email::parse(e)));
        let phone = self.phone.as_deref().map(|p| problems.take("phone", parse_phone(p)));
        let skills = problems.take("skills", parse_codes(&self.skills));
        let learning_goals = problems.take("learning_goals", parse_codes(&self.learning_goals));
        let cap = match self.weekly_hour_cap {
            Some(h) => parse_cap(&mut problems, h),
            None => Some(QuarterHours::from_hours(MemberFields::DEFAULT_WEEKLY_CAP_HOURS)),
        };
        let availability = parse_availability(&mut problems, &self.availability);
        let coordinates = parse_coordinates(&mut problems, self.lat, self.lon);
        problems.into_result()?;
        let fields = MemberFields {
            municipality_id: self.municipality_id,
            kind: self.kind,
            name: name.expect("checked"),
            email: email.flatten(),
            phone: phone.flatten(),
            skills: skills.expect("checked"),
            learning_goals: learning_goals.expect("checked"),
            weekly_hour_cap: cap.expect("checked"),
            availability: availability.expect("checked"),
            coach_id: self.coach_id,
            status: self.status.unwrap_or(MemberStatus::Active),
            outflow: self.outflow,
            outflow_date: self.outflow_date,
            coordinates: coordinates.expect("checked"),
        };
        Ok(fields)
    }
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "left", "outflow": "paid_work", "outflow_date": "2026-11-30"}))]
pub struct UpdateMember {
    pub municipality_id: Option<i64>,
    pub kind: Option<MemberKind>,
    #[schema(min_length = 1, max_length = 200, pattern = "contact::LINE_PATTERN")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<String>, format = Email)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<String>, pattern = "contact::PHONE_PATTERN")]
    pub phone: Option<Option<String>>,
    #[schema(value_type = Option<BTreeSet<String>>, pattern = "^[a-z][a-z0-9_]{1,39}$")]
    pub skills: Option<Vec<String>>,
    /// Category codes a jobseeker is to learn (not for volunteers).
    #[schema(value_type = Option<BTreeSet<String>>, pattern = "^[a-z][a-z0-9_]{1,39}$")]
    pub learning_goals: Option<Vec<String>>,
    #[schema(minimum = 0.25, maximum = 60, multiple_of = 0.25)]
    pub weekly_hour_cap: Option<f64>,
    pub availability: Option<Vec<SlotDto>>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<i64>)]
    pub coach_id: Option<Option<i64>>,
    /// Setting `left` needs `outflow_date` (and `outflow` for a jobseeker); leaving `left` clears them.
    pub status: Option<MemberStatus>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<Outflow>)]
    pub outflow: Option<Option<Outflow>>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<NaiveDate>)]
    pub outflow_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<f64>, minimum = -90, maximum = 90)]
    pub lat: Option<Option<f64>>,
    #[serde(default, deserialize_with = "some_or_null")]
    #[schema(value_type = Option<f64>, minimum = -180, maximum = 180)]
    pub lon: Option<Option<f64>>,
}

impl UpdateMember {
    pub(crate) fn parse(self) -> Result<MemberPatch, AppError> {
        let mut problems = Violations::new();
        let coordinates = match (self.lat, self.lon) {
            (None, None) => None,
            (Some(lat), Some(lon)) => parse_coordinates(&mut problems, lat, lon),
            _ => {
                problems.add("lat", "lat and lon change together");
                None
            }
        };
        let patch = MemberPatch {
            municipality_id: self.municipality_id,
            kind: self.kind,
            name: self.name.and_then(|n| problems.take("name", parse_line(&n, 200))),
            email: self
                .email
                .map(|e| e.and_then(|e| problems.take("email", Email::parse(&e)))),
            phone: self
                .phone
                .map(|p| p.and_then(|p| problems.take("phone", parse_phone(&p)))),
            skills: self.skills.and_then(|s| problems.take("skills", parse_codes(&s))),
            learning_goals: self
                .learning_goals
                .and_then(|s| problems.take("learning_goals", parse_codes(&s))),
            weekly_hour_cap: self.weekly_hour_cap.and_then(|h| parse_cap(&mut problems, h)),
            availability: self.availability.and_then(|a| parse_availability(&mut problems, &a)),
            coach_id: self.coach_id,
            status: self.status,
            outflow: self.outflow,
            outflow_date: self.outflow_date,
            coordinates,
        };
        problems.into_result()?;
        Ok(patch)
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListMembers {
    pub municipality_id: Option<i64>,
    pub kind: Option<MemberKind>,
    pub status: Option<MemberStatus>,
    pub coach_id: Option<i64>,
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Register a member (coach, coordinator in scope).
///
/// A coach registers their own jobseekers and volunteers in their municipalities; a coordinator any
/// member in scope. A jobseeker needs a coach (a coach who leaves `coach_id` out becomes it); a
/// member who `left` needs an outflow date, and a jobseeker also the kind of outflow. Breaking one
/// of these rules is 422 naming the field.
#[utoipa::path(
    tag = "members",
    request_body = CreateMember,
    responses(
        (status = 201, description = "Created", body = MemberDto, headers(("Location" = String))),
        (status = 403, description = "Only coaches and coordinators register members", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/members")]
pub async fn create_member(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    body: Json<CreateMember>,
) -> Result<HttpResponse, AppError> {
    let member = members::create(&ctx, auth.0, body.0.parse()?).await?;
    Ok(created(
        format!("/api/v1/members/{}", member.id),
        &MemberDto::from(member),
    ))
}

/// List members visible to the caller.
///
/// A coach sees their own caseload and the volunteers of their municipalities; advisors and
/// coordinators all members in scope. Filters: `municipality_id`, `kind`, `status`, `coach_id`.
/// Clients and members get 403.
#[utoipa::path(
    tag = "members",
    params(ListMembers),
    responses(
        (status = 200, description = "A page of members", body = MemberList),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not list members", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/members")]
pub async fn list_members(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    query: web::Query<ListMembers>,
) -> Result<web::Json<MemberList>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let filter = MemberFilter {
        municipality_id: query.municipality_id,
        kind: query.kind,
        status: query.status,
        coach_id: query.coach_id,
    };
    let page = members::list(&ctx, auth.0, filter, page).await?;
    Ok(web::Json(MemberList::from_page(&cursors, page, MemberDto::from)))
}

/// Read a member (as for the list; a member reads itself).
///
/// Visible as in the list, and a member reads its own record; a member the caller may not see
/// answers 404.
#[utoipa::path(
    tag = "members",
    params(("id" = i64, Path, description = "Member id")),
    responses(
        (status = 200, description = "The member, with clients' feedback for their coach and staff", body = MemberDetailDto),
        (status = 403, description = "The role may not read members", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such member visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/members/{id}")]
pub async fn get_member(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<MemberDetailDto>, AppError> {
    let (member, feedback) = members::get(&ctx, auth.0, id.into_inner()).await?;
    Ok(web::Json(MemberDetailDto {
        member: member.into(),
        feedback: feedback.map(Into::into),
    }))
}

/// A member with what clients said of their visits.
#[derive(Serialize, ToSchema)]
pub struct MemberDetailDto {
    #[serde(flatten)]
    pub member: MemberDto,
    /// For their coach and staff; `null` for the member themselves.
    pub feedback: Option<FeedbackDto>,
}

/// Clients' ratings of the member's visits.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"ratings": 4, "average_rating": 4.5, "latest_comments": [
    {"assignment_id": 12, "rating": 5, "comment": "Heel netjes gewerkt.", "at": "2026-11-30T11:00:00Z"}]}))]
pub struct FeedbackDto {
    /// How many visits a client rated.
    pub ratings: i64,
    /// 1 to 5, to one decimal; `null` before the first rating.
    pub average_rating: Option<f64>,
    /// The newest rated visits with a comment (at most five), newest first.
    pub latest_comments: Vec<RatedDto>,
}

#[derive(Serialize, ToSchema)]
pub struct RatedDto {
    pub assignment_id: i64,
    pub rating: i32,
    pub comment: Option<String>,
    /// When the visit was completed.
    pub at: DateTime<Utc>,
}

impl From<Feedback> for FeedbackDto {
    fn from(f: Feedback) -> FeedbackDto {
        FeedbackDto {
            ratings: f.ratings,
            average_rating: f.average,
            latest_comments: f
                .latest_comments
                .into_iter()
                .map(|r| RatedDto {
                    assignment_id: r.assignment_id,
                    rating: r.rating,
                    comment: r.comment,
                    at: r.at,
                })
                .collect(),
        }
    }
}

/// Change a member (the coach, a coordinator).
///
/// The member's coach (or, for a volunteer, a coach in scope) and coordinators change skills,
/// availability, the weekly cap, status and outflow; fields left out stay as they are. Setting
/// `left` needs `outflow_date` (and `outflow` for a jobseeker); leaving `left` clears them. A
/// member the caller may not see answers 404.
#[utoipa::path(
    tag = "members",
    params(("id" = i64, Path, description = "Member id")),
    request_body = UpdateMember,
    responses(
        (status = 200, description = "The changed member", body = MemberDto),
        (status = 403, description = "Only coaches and coordinators change members", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such member visible to the caller", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/members/{id}")]
pub async fn update_member(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    id: web::Path<i64>,
    body: Json<UpdateMember>,
) -> Result<web::Json<MemberDto>, AppError> {
    let patch = body.0.parse()?;
    Ok(web::Json(
        members::update(&ctx, auth.0, id.into_inner(), patch).await?.into(),
    ))
}
