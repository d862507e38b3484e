//! What tier-2 work does to a client's vouchers: an accepted assignment reserves them,
//! a completed one redeems them, one that ends without work releases them. The rules
//! are `domain::voucher`'s; this fetches what they need and writes what they decide.
//! The caller holds the client's lock.

use chrono::NaiveDate;

use crate::domain::hours::QuarterHours;
use crate::domain::voucher::{self, EventKind, RedemptionPlan};
use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::vouchers::{self, Change};

/// Reserves the vouchers `hours` of work need; false, changing nothing, when the
/// client has too few.
pub fn reserve(
    conn: &mut DbConnection,
    client_id: i64,
    hours: QuarterHours,
    today: NaiveDate,
    change: &Change<'_>,
) -> AppResult<bool> {
    let needed = voucher::vouchers_for(hours);
    let spendable = vouchers::spendable(conn, client_id, needed, today)?;
    let Some(picked) = voucher::plan_reservation(&spendable, needed) else {
        return Ok(false);
    };
    vouchers::apply(conn, &picked, EventKind::Reserved, change)?;
    Ok(true)
}

/// Releases every voucher reserved for the change's assignment; returns how many.
pub fn release(conn: &mut DbConnection, assignment_id: i64, change: &Change<'_>) -> AppResult<usize> {
    let reserved = vouchers::reserved_for(conn, assignment_id)?;
    vouchers::apply(conn, &reserved, EventKind::Released, change)?;
    Ok(reserved.len())
}

/// Redeems the vouchers due for `hours_worked` of the change's assignment.
pub fn redeem(
    conn: &mut DbConnection,
    client_id: i64,
    assignment_id: i64,
    hours_worked: QuarterHours,
    today: NaiveDate,
    change: &Change<'_>,
) -> AppResult<RedemptionPlan<(i64, i64)>> {
    let due = voucher::vouchers_for(hours_worked);
    let reserved = vouchers::reserved_for(conn, assignment_id)?;
    let spendable = vouchers::spendable(conn, client_id, voucher::still_missing(reserved.len(), due), today)?;
    let plan = voucher::plan_redemption(&reserved, &spendable, due);
    vouchers::apply(conn, &plan.redeem, EventKind::Redeemed, change)?;
    vouchers::apply(conn, &plan.release, EventKind::Released, change)?;
    Ok(plan)
}
