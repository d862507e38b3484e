//! A request with what hangs off it — its client, its latest assignment and the referral
//! it is with — read in one statement: a request is the service's most read record.

use diesel::dsl::max;
use diesel::prelude::*;

use crate::domain::assignment::Assignment;
use crate::domain::client::Client;
use crate::domain::referral::Referral;
use crate::domain::request::TaskRequest;
use crate::error::AppResult;
use crate::store::schema::{assignments, clients, providers, referrals, requests};
use crate::store::{DbConnection, assignments as assignment_rows, clients as client_rows};
use crate::store::{referrals as referral_rows, requests as request_rows};

pub struct Parts {
    pub request: TaskRequest,
    pub client: Client,
    /// The latest assignment, whatever its status.
    pub assignment: Option<Assignment>,
    /// The newest referral that is open, accepted or completed.
    pub referral: Option<Referral>,
}

type Row = (
    request_rows::Row,
    client_rows::Row,
    Option<assignment_rows::Row>,
    Option<referral_rows::Row>,
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
    let row: Option<Row> = requests::table
        .inner_join(clients::table)
        .left_join(assignments::table.on(assignments::id.nullable().eq(latest_assignment)))
        .left_join(referrals::table.on(referrals::id.nullable().eq(current_referral)))
        .left_join(providers::table.on(providers::id.nullable().eq(referrals::provider_id.nullable())))
        .filter(requests::id.eq(id))
        .select((
            request_rows::Row::as_select(),
            client_rows::Row::as_select(),
            Option::<assignment_rows::Row>::as_select(),
            Option::<referral_rows::Row>::as_select(),
        ))
        .first(conn)
        .optional()?;
    let Some((request, client, assignment, referral)) = row else {
        return Ok(None);
    };
    Ok(Some(Parts {
        request: request.into_domain(),
        client: client.into_domain()?,
        assignment: assignment.map(assignment_rows::Row::into_domain),
        referral: referral.map(referral_rows::Row::into_domain),
    }))
}
