//! A request with what hangs off it — its client, its latest assignment, the referral
//! it is with and its trail — read in one statement: a request is the service's most
//! read record, and each statement is a round trip.

use diesel::dsl::max;
use diesel::prelude::*;

use crate::domain::assignment::Assignment;
use crate::domain::client::Client;
use crate::domain::referral::Referral;
use crate::domain::request::TaskRequest;
use crate::domain::routing::TrailEntry;
use crate::error::AppResult;
use crate::store::schema::{assignments, clients, providers, referrals, requests, routing_trail};
use crate::store::trail;
use crate::store::{DbConnection, assignments as assignment_rows, clients as client_rows};
use crate::store::{referrals as referral_rows, requests as request_rows};

pub struct Parts {
    pub request: TaskRequest,
    pub client: Client,
    /// The latest assignment, whatever its status.
    pub assignment: Option<Assignment>,
    /// The newest referral that is open, accepted or completed.
    pub referral: Option<Referral>,
    /// The routing trail, oldest first.
    pub trail: Vec<TrailEntry>,
}

type Row = (
    request_rows::Row,
    client_rows::Row,
    Option<assignment_rows::Row>,
    Option<referral_rows::Row>,
    Option<trail::Row>,
);

pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Parts>> {
    // The subselects read the tables the outer joins read, under names of their own.
    let (newer, current) = diesel::alias!(assignments as newer, referrals as current);
    let latest_assignment = newer
        .filter(newer.field(assignments::request_id).eq(id))
        .select(max(newer.field(assignments::id)))
        .single_value();
    let current_referral = current
        .filter(current.field(referrals::request_id).eq(id))
        .filter(current.field(referrals::status).eq_any(referral_rows::CURRENT))
        .select(max(current.field(referrals::id)))
        .single_value();
    // A row per trail line (one for a request without a trail), each carrying the rest.
    let rows: Vec<Row> = requests::table
        .inner_join(clients::table)
        .left_join(assignments::table.on(assignments::id.nullable().eq(latest_assignment)))
        .left_join(referrals::table.on(referrals::id.nullable().eq(current_referral)))
        .left_join(providers::table.on(providers::id.nullable().eq(referrals::provider_id.nullable())))
        .left_join(routing_trail::table.on(routing_trail::request_id.eq(requests::id)))
        .filter(requests::id.eq(id))
        .select((
            request_rows::Row::as_select(),
            client_rows::Row::as_select(),
            Option::<assignment_rows::Row>::as_select(),
            Option::<referral_rows::Row>::as_select(),
            Option::<trail::Row>::as_select(),
        ))
        .order(routing_trail::id.nullable())
        .load(conn)?;
    let mut rows = rows.into_iter();
    let Some((request, client, assignment, referral, first_line)) = rows.next() else {
        return Ok(None);
    };
    let trail = first_line
        .into_iter()
        .chain(rows.filter_map(|(_, _, _, _, line)| line))
        .map(trail::Row::into_domain)
        .collect();
    Ok(Some(Parts {
        request: request.into_domain(),
        client: client.into_domain()?,
        assignment: assignment.map(assignment_rows::Row::into_domain),
        referral: referral.map(referral_rows::Row::into_domain),
        trail,
    }))
}
