//! What the matching engine needs from the store, gathered in as few round trips as
//! possible: one statement for the request's client, preconditions and trail, one for
//! the skilled members of both member tiers with their bookings, one for the providers
//! of both provider tiers.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::dsl::exists;
use diesel::prelude::*;

use crate::domain::assignment::AssignmentStatus;
use crate::domain::category::Category;
use crate::domain::client::Client;
use crate::domain::member::{Member, MemberStatus};
use crate::domain::municipality::MunicipalityFields;
use crate::domain::provider::ProviderKind;
use crate::domain::ranking::Booking;
use crate::domain::referral::ReferralStatus;
use crate::domain::request::TaskRequest;
use crate::domain::routing::TrailEntry;
use crate::error::{AppError, AppResult};
use crate::store::schema::{
    assignments, categories, clients, members, municipalities, municipality_categories, provider_municipalities,
    providers, referrals, routing_trail, vouchers,
};
use crate::store::time::to_db;
use crate::store::vouchers::spendable_on;
use crate::store::{DbConnection, codes, trail};
use crate::store::{assignments as assignment_rows, categories as category_rows};
use crate::store::{clients as client_rows, members as member_rows};

/// The woonservice and volunteer preconditions of one request.
pub struct Preconditions {
    pub category_allows_volunteers: bool,
    pub offered_by_project: bool,
    pub organisation_offers_it: bool,
    pub vouchers_available: i64,
    /// The municipality's hours for a provider to answer a referral.
    pub referral_response_hours: i32,
}

/// What routing needs of a request besides the request itself.
pub struct RequestFacts {
    pub client: Client,
    /// The request's category (`None` when it was deleted since).
    pub category: Option<Category>,
    pub preconditions: Preconditions,
    /// The trail so far, oldest first.
    pub trail: Vec<TrailEntry>,
}

/// Offered, an organisation offers it, spendable vouchers, response hours.
type PreconditionRow = (bool, bool, Option<i64>, Option<i32>);

/// The request's client and category, the preconditions of the woonservice and
/// volunteer tiers and the trail so far, in one statement: a row per trail line (one
/// without a trail), each carrying the client, the category and the preconditions,
/// which the database computes once.
pub fn of_request(conn: &mut DbConnection, request: &TaskRequest, today: NaiveDate) -> AppResult<RequestFacts> {
    let category = request.category.as_str();
    let municipality_id = request.municipality_id;
    type Row = (
        client_rows::Row,
        Option<category_rows::Row>,
        PreconditionRow,
        Option<trail::Row>,
    );
    let rows: Vec<Row> = clients::table
        .left_join(categories::table.on(categories::code.eq(request.category.clone())))
        .left_join(routing_trail::table.on(routing_trail::request_id.eq(request.id)))
        .filter(clients::id.eq(request.client_id))
        .select((
            client_rows::Row::as_select(),
            category_rows::COLUMNS.nullable(),
            (
                exists(
                    municipality_categories::table
                        .filter(municipality_categories::municipality_id.eq(municipality_id))
                        .filter(municipality_categories::category_code.eq(category)),
                ),
                exists(
                    providers::table
                        .inner_join(provider_municipalities::table)
                        .filter(provider_municipalities::municipality_id.eq(municipality_id))
                        .filter(providers::kind.eq(ProviderKind::Organisation))
                        .filter(providers::active.eq(true))
                        .filter(
                            providers::categories
                                .like(codes::containing(category))
                                .escape(codes::LIKE_ESCAPE),
                        ),
                ),
                vouchers::table
                    .filter(vouchers::client_id.eq(request.client_id))
                    .filter(spendable_on(today))
                    .count()
                    .single_value(),
                municipalities::table
                    .find(municipality_id)
                    .select(municipalities::referral_response_hours)
                    .single_value(),
            ),
            Option::<trail::Row>::as_select(),
        ))
        .order(routing_trail::id.nullable())
        .load(conn)?;
    let mut rows = rows.into_iter();
    let Some((client, category, pre, first_line)) = rows.next() else {
        return Err(AppError::internal(format!(
            "request {} names client {}, which is not there",
            request.id, request.client_id
        )));
    };
    let (offered, organisation, available, response_hours) = pre;
    let category = category.map(category_rows::into_domain);
    let trail = first_line
        .into_iter()
        .chain(rows.filter_map(|(_, _, _, line)| line))
        .map(trail::Row::into_domain)
        .collect();
    Ok(RequestFacts {
        client: client.into_domain()?,
        preconditions: Preconditions {
            category_allows_volunteers: category.as_ref().is_some_and(|c| c.volunteer_ok),
            offered_by_project: offered,
            organisation_offers_it: organisation,
            vouchers_available: available.unwrap_or(0),
            referral_response_hours: response_hours.unwrap_or(MunicipalityFields::DEFAULT_REFERRAL_RESPONSE_HOURS),
        },
        category,
        trail,
    })
}

/// A member who could take the task, with what ranking weighs.
pub struct MemberCandidate {
    pub member: Member,
    /// Accepted and completed assignments starting in the asked span.
    pub bookings: Vec<Booking>,
    /// Whether the member completed work for this client before.
    pub served_client: bool,
}

/// starts_at, ends_at, status, slot quarters, quarters worked.
type BookingRow = (NaiveDateTime, NaiveDateTime, AssignmentStatus, i32, Option<i32>);

/// The active members of both kinds in a municipality with the skill, each with their
/// bookings starting in `[from, to)` and whether they served this client before: one
/// statement, a row per booking (one for a member without), whatever the number of
/// candidates.
pub fn member_candidates(
    conn: &mut DbConnection,
    municipality_id: i64,
    category: &str,
    client_id: i64,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> AppResult<Vec<MemberCandidate>> {
    let earlier = diesel::alias!(assignments as earlier);
    let rows: Vec<(member_rows::Row, bool, Option<BookingRow>)> = members::table
        .left_join(
            assignments::table.on(assignments::member_id
                .eq(members::id)
                .and(assignments::starts_at.ge(to_db(from)))
                .and(assignments::starts_at.lt(to_db(to)))
                .and(assignments::status.eq_any(assignment_rows::COUNTED))),
        )
        .filter(members::municipality_id.eq(municipality_id))
        .filter(members::status.eq(MemberStatus::Active))
        .filter(
            members::skills
                .like(codes::containing(category))
                .escape(codes::LIKE_ESCAPE),
        )
        .select((
            member_rows::Row::as_select(),
            exists(
                earlier
                    .filter(earlier.field(assignments::client_id).eq(client_id))
                    .filter(earlier.field(assignments::status).eq(AssignmentStatus::Completed))
                    .filter(earlier.field(assignments::member_id).eq(members::id)),
            ),
            (
                assignments::starts_at,
                assignments::ends_at,
                assignments::status,
                assignments::slot_quarters,
                assignments::hours_worked_quarters,
            )
                .nullable(),
        ))
        .order((members::id, assignments::id.nullable()))
        .load(conn)?;
    let mut found: Vec<MemberCandidate> = Vec::new();
    // The last member's id, and whether they were kept: the pattern also matches a
    // code that merely contains this one, which `can_take` leaves out.
    let mut last: Option<(i64, bool)> = None;
    for (row, served_client, booking) in rows {
        let booking = booking
            .map(|(start, end, status, slot, worked)| assignment_rows::booking(start, end, status, slot, worked));
        match last {
            Some((id, kept)) if id == row.id => {
                if kept && let Some(current) = found.last_mut() {
                    current.bookings.extend(booking);
                }
            }
            _ => {
                let id = row.id;
                let member = row.into_domain()?;
                let kept = member.fields.can_take(category);
                if kept {
                    found.push(MemberCandidate {
                        member,
                        bookings: booking.into_iter().collect(),
                        served_client,
                    });
                }
                last = Some((id, kept));
            }
        }
    }
    Ok(found)
}

/// A provider (tier 3 or 4, or a local organisation) with its contact.
#[derive(Debug, Clone)]
pub struct ProviderContact {
    pub id: i64,
    pub kind: ProviderKind,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Referrals waiting for this provider's answer, which ranking weighs.
    pub open_referrals: i64,
}

/// id, kind, name, categories, email, phone, open referrals.
type ProviderRow = (
    i64,
    ProviderKind,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
);

/// Active providers of every kind serving a municipality that offer a category, each
/// with the number of referrals waiting for their answer: one statement.
pub fn offering_providers(
    conn: &mut DbConnection,
    municipality_id: i64,
    category: &str,
) -> AppResult<Vec<ProviderContact>> {
    let rows: Vec<ProviderRow> = providers::table
        .inner_join(provider_municipalities::table)
        .filter(provider_municipalities::municipality_id.eq(municipality_id))
        .filter(providers::active.eq(true))
        .filter(
            providers::categories
                .like(codes::containing(category))
                .escape(codes::LIKE_ESCAPE),
        )
        .select((
            providers::id,
            providers::kind,
            providers::name,
            providers::categories,
            providers::email,
            providers::phone,
            referrals::table
                .filter(referrals::provider_id.eq(providers::id))
                .filter(referrals::status.eq(ReferralStatus::Open))
                .count()
                .single_value(),
        ))
        .order(providers::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, _, categories, _, _, _)| codes::split(categories).iter().any(|c| c == category))
        .map(|(id, kind, name, _, email, phone, open)| ProviderContact {
            id,
            kind,
            name,
            email,
            phone,
            open_referrals: open.unwrap_or(0),
        })
        .collect())
}
