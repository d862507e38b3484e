//! Ending an assignment without work: reserved vouchers go back to the client, the
//! member is told, and a scheduled request waits for the next candidate again.
//!
//! Its own module because three use cases end assignments this way: the assignment's
//! own decline, no-show and cancel (`service::assignments`), a cancelled request
//! (`service::requests`) and a request routed elsewhere (`service::routing`). Kept
//! apart, `requests` need not import `assignments`, which reads requests through it.

use crate::domain::assignment::{Assignment, AssignmentStatus};
use crate::domain::request::RequestStatus;
use crate::error::AppResult;
use crate::service::actor::{By, found};
use crate::service::mail::notify;
use crate::service::voucher_use;
use crate::store::assignments::StatusChange;
use crate::store::vouchers::Change;
use crate::store::{DbConnection, assignments, requests};

/// Moves `assignment` to `status` (declined, no-show or cancelled); releases its
/// vouchers when it was accepted, and then puts a scheduled request back to routed.
pub fn end_without_work(
    conn: &mut DbConnection,
    by: &By,
    assignment: &Assignment,
    status: AssignmentStatus,
    reason: Option<&str>,
) -> AppResult<()> {
    let now = by.now;
    // An accept waiting for the coach holds the vouchers as an accepted one does.
    let was_accepted = assignment.status.holds();
    if was_accepted {
        voucher_use::release(
            conn,
            assignment.id,
            &Change {
                assignment_id: Some(assignment.id),
                actor_id: by.user_id,
                reason,
                at: now,
            },
        )?;
    }
    let change = StatusChange {
        status,
        decided_by: by.user_id,
        reason,
        hours_worked: None,
        voucher_shortfall: 0,
    };
    assignments::set_status(conn, assignment.id, &change, now)?;
    notify::assignment_ended(conn, now, assignment, status, reason)?;
    let request = found(requests::find(conn, assignment.request_id)?)?;
    if was_accepted && request.status == RequestStatus::Scheduled {
        requests::set_status(conn, request.id, RequestStatus::Routed, now)?;
    }
    Ok(())
}

/// Ends every open assignment of a request (its routing or the request itself
/// changed), releasing reserved vouchers.
pub fn close_open_assignments(conn: &mut DbConnection, by: &By, request_id: i64, reason: &str) -> AppResult<()> {
    for assignment in assignments::open_of_request(conn, request_id)? {
        end_without_work(conn, by, &assignment, AssignmentStatus::Cancelled, Some(reason))?;
    }
    Ok(())
}
