use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::page::{Page, PageRequest};
use crate::domain::referral::{NewReferral, Referral, ReferralFilter, ReferralStatus};
use crate::domain::request::Tier;
use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::paging::{self, page_by_id, within_scope};
use crate::store::schema::{providers, referrals};
use crate::store::time::{from_db, to_db};

/// A referral with its provider's name and contact.
#[derive(Queryable, Selectable)]
#[diesel(table_name = referrals)]
pub(super) struct Row {
    id: i64,
    request_id: i64,
    municipality_id: i64,
    provider_id: i64,
    #[diesel(select_expression = providers::name)]
    provider_name: String,
    #[diesel(select_expression = providers::email)]
    provider_email: Option<String>,
    #[diesel(select_expression = providers::phone)]
    provider_phone: Option<String>,
    tier: Tier,
    status: ReferralStatus,
    respond_by: NaiveDateTime,
    created_by: Option<i64>,
    answered_by: Option<i64>,
    reason: Option<String>,
    note: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl Row {
    pub(super) fn into_domain(self) -> Referral {
        Referral {
            id: self.id,
            request_id: self.request_id,
            municipality_id: self.municipality_id,
            provider_id: self.provider_id,
            provider_name: self.provider_name,
            provider_email: self.provider_email,
            provider_phone: self.provider_phone,
            tier: self.tier,
            status: self.status,
            respond_by: from_db(self.respond_by),
            created_by: self.created_by,
            answered_by: self.answered_by,
            reason: self.reason,
            note: self.note,
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        }
    }
}

pub fn insert(conn: &mut DbConnection, new: &NewReferral, now: DateTime<Utc>) -> AppResult<i64> {
    Ok(diesel::insert_into(referrals::table)
        .values((
            referrals::request_id.eq(new.request_id),
            referrals::municipality_id.eq(new.municipality_id),
            referrals::provider_id.eq(new.provider_id),
            referrals::tier.eq(new.tier),
            referrals::status.eq(ReferralStatus::Open),
            referrals::respond_by.eq(to_db(new.respond_by)),
            referrals::created_by.eq(new.created_by),
            referrals::created_at.eq(to_db(now)),
            referrals::updated_at.eq(to_db(now)),
        ))
        .returning(referrals::id)
        .get_result(conn)?)
}

pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Referral>> {
    let row: Option<Row> = referrals::table
        .inner_join(providers::table)
        .filter(referrals::id.eq(id))
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(Row::into_domain))
}

/// The newest referral of a request among `statuses`.
fn newest_of_request(
    conn: &mut DbConnection,
    request_id: i64,
    statuses: &[ReferralStatus],
) -> AppResult<Option<Referral>> {
    let row: Option<Row> = referrals::table
        .inner_join(providers::table)
        .filter(referrals::request_id.eq(request_id))
        .filter(referrals::status.eq_any(statuses))
        .select(Row::as_select())
        .order(referrals::id.desc())
        .first(conn)
        .optional()?;
    Ok(row.map(Row::into_domain))
}

/// The referral waiting for the provider's answer, if any.
pub fn open_of_request(conn: &mut DbConnection, request_id: i64) -> AppResult<Option<Referral>> {
    newest_of_request(conn, request_id, &[ReferralStatus::Open])
}

/// The statuses in which a request is with a provider: waiting for its answer,
/// accepted, or done by the provider.
pub const CURRENT: [ReferralStatus; 3] = [
    ReferralStatus::Open,
    ReferralStatus::Accepted,
    ReferralStatus::Completed,
];

/// The referral the request is with now: open, accepted, or completed by the provider.
pub fn current_of_request(conn: &mut DbConnection, request_id: i64) -> AppResult<Option<Referral>> {
    newest_of_request(conn, request_id, &CURRENT)
}

/// What an answer writes besides the status.
#[derive(Debug, Default, Clone, Copy)]
pub struct Answer<'a> {
    pub answered_by: Option<i64>,
    pub reason: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Moves a referral from `from` to `to`; false, changing nothing, when it is no longer
/// in `from` (someone else answered first).
pub fn set_status(
    conn: &mut DbConnection,
    id: i64,
    from: ReferralStatus,
    to: ReferralStatus,
    answer: Answer<'_>,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let changed = diesel::update(referrals::table.find(id).filter(referrals::status.eq(from)))
        .set((
            referrals::status.eq(to),
            referrals::answered_by.eq(answer.answered_by),
            referrals::reason.eq(answer.reason),
            referrals::note.eq(answer.note),
            referrals::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Withdraws the referral while it is open or accepted (the request moved elsewhere
/// or was cancelled).
pub fn withdraw(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> AppResult<()> {
    diesel::update(
        referrals::table
            .find(id)
            .filter(referrals::status.eq_any([ReferralStatus::Open, ReferralStatus::Accepted])),
    )
    .set((
        referrals::status.eq(ReferralStatus::Withdrawn),
        referrals::updated_at.eq(to_db(now)),
    ))
    .execute(conn)?;
    Ok(())
}

pub fn list(
    conn: &mut DbConnection,
    scope: Option<&[i64]>,
    filter: &ReferralFilter,
    page: &PageRequest<()>,
) -> AppResult<Page<Referral, ()>> {
    let mut query = referrals::table
        .inner_join(providers::table)
        .select(Row::as_select())
        .into_boxed();
    if let Some(scope) = scope {
        query = within_scope!(query, referrals::municipality_id, scope);
    }
    if let Some(status) = filter.status {
        query = query.filter(referrals::status.eq(status));
    }
    if let Some(m) = filter.municipality_id {
        query = query.filter(referrals::municipality_id.eq(m));
    }
    if let Some(r) = filter.request_id {
        query = query.filter(referrals::request_id.eq(r));
    }
    let rows: Vec<Row> = page_by_id!(query, referrals::id, page).load(conn)?;
    paging::assemble(rows, page, |r| r.id, |r| Ok(r.into_domain()))
}

/// Open referrals per provider among `provider_ids`.
pub fn open_counts(conn: &mut DbConnection, provider_ids: &[i64]) -> AppResult<Vec<(i64, i64)>> {
    if provider_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(referrals::table
        .filter(referrals::provider_id.eq_any(provider_ids))
        .filter(referrals::status.eq(ReferralStatus::Open))
        .group_by(referrals::provider_id)
        .select((referrals::provider_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// The providers that turned this request down or let it wait past their deadline:
/// routing on does not ask them again.
pub fn tried_providers(conn: &mut DbConnection, request_id: i64) -> AppResult<Vec<i64>> {
    Ok(referrals::table
        .filter(referrals::request_id.eq(request_id))
        .filter(referrals::status.eq_any([ReferralStatus::Declined, ReferralStatus::Expired]))
        .select(referrals::provider_id)
        .distinct()
        .load(conn)?)
}

/// Open referrals whose answer was due by `now`, the longest overdue first, at most `limit`.
pub fn overdue(conn: &mut DbConnection, now: DateTime<Utc>, limit: i64) -> AppResult<Vec<i64>> {
    Ok(referrals::table
        .filter(referrals::status.eq(ReferralStatus::Open))
        .filter(referrals::respond_by.le(to_db(now)))
        .order((referrals::respond_by, referrals::id))
        .select(referrals::id)
        .limit(limit)
        .load(conn)?)
}
