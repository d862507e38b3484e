use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::request::{Referral, Tier};
use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::schema::{providers, referrals};
use crate::store::time::{from_db, to_db};

pub fn insert(
    conn: &mut DbConnection,
    request_id: i64,
    provider_id: i64,
    tier: Tier,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    Ok(diesel::insert_into(referrals::table)
        .values((
            referrals::request_id.eq(request_id),
            referrals::provider_id.eq(provider_id),
            referrals::tier.eq(tier),
            referrals::status.eq("open"),
            referrals::created_at.eq(to_db(now)),
            referrals::updated_at.eq(to_db(now)),
        ))
        .returning(referrals::id)
        .get_result(conn)?)
}

/// id, provider id, provider name, email, phone, tier, created at.
type ReferralRow = (i64, i64, String, Option<String>, Option<String>, Tier, NaiveDateTime);

/// The open referral of a request, with its provider's contact.
pub fn open_of_request(conn: &mut DbConnection, request_id: i64) -> AppResult<Option<Referral>> {
    let row: Option<ReferralRow> = referrals::table
        .inner_join(providers::table)
        .filter(referrals::request_id.eq(request_id))
        .filter(referrals::status.eq("open"))
        .select((
            referrals::id,
            referrals::provider_id,
            providers::name,
            providers::email,
            providers::phone,
            referrals::tier,
            referrals::created_at,
        ))
        .order(referrals::id.desc())
        .first(conn)
        .optional()?;
    Ok(row.map(
        |(id, provider_id, provider_name, provider_email, provider_phone, tier, created_at)| Referral {
            id,
            provider_id,
            provider_name,
            provider_email,
            provider_phone,
            tier,
            created_at: from_db(created_at),
        },
    ))
}

pub fn withdraw(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> AppResult<()> {
    diesel::update(referrals::table.find(id))
        .set((referrals::status.eq("withdrawn"), referrals::updated_at.eq(to_db(now))))
        .execute(conn)?;
    Ok(())
}

/// Open referrals per provider among `provider_ids`.
pub fn open_counts(conn: &mut DbConnection, provider_ids: &[i64]) -> AppResult<Vec<(i64, i64)>> {
    if provider_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(referrals::table
        .filter(referrals::provider_id.eq_any(provider_ids))
        .filter(referrals::status.eq("open"))
        .group_by(referrals::provider_id)
        .select((referrals::provider_id, diesel::dsl::count_star()))
        .load(conn)?)
}
