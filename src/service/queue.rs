//! What waits for an advisor: new and unmatched requests, referrals waiting for (or
//! past) the provider's answer, disputed hours and follow-up calls due.

use crate::domain::Role;
use crate::domain::request::RequestStatus;
use crate::domain::schedule::local_date;
use crate::error::AppResult;
use crate::service::Ctx;
use crate::service::actor::{ensure_in_scope, require_role};
use crate::service::tokens::Subject;
use crate::store::queue::{self, ToConfirm, Waiting, Where};

pub struct AdvisorQueue {
    pub new: Vec<Waiting>,
    pub unmatched: Vec<Waiting>,
    /// Open referrals by answer date; those past it come first.
    pub referrals: Vec<Waiting>,
    pub disputes: Vec<Waiting>,
    pub follow_ups: Vec<Waiting>,
    /// Kept from the learning-work company by a local organisation's offer: only a
    /// coordinator's queue holds them, as only a coordinator may overrule.
    pub kept_from_woonservice: Vec<Waiting>,
}

/// The queue of the caller's municipalities, or of one of them.
pub async fn of_advisor(ctx: &Ctx, subject: Subject, municipality: Option<i64>) -> AppResult<AdvisorQueue> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Advisor, Role::Coordinator, Role::Admin])?;
        if let Some(m) = municipality {
            ensure_in_scope(actor, m)?;
        }
        let place = Where {
            scope: actor.scope(),
            municipality,
        };
        Ok(AdvisorQueue {
            new: queue::requests_in(conn, place, RequestStatus::New.as_str())?,
            unmatched: queue::requests_in(conn, place, RequestStatus::Unmatched.as_str())?,
            referrals: queue::open_referrals(conn, place)?,
            disputes: queue::disputes(conn, place)?,
            follow_ups: queue::follow_ups_due(conn, place, local_date(actor.now()))?,
            kept_from_woonservice: if actor.role() == Role::Coordinator {
                queue::kept_from_woonservice(conn, place)?
            } else {
                Vec::new()
            },
        })
    })
    .await
}

pub struct CoachQueue {
    /// Their jobseekers' own accepts, to confirm or reject.
    pub to_confirm: Vec<ToConfirm>,
    /// Requests routed to the learning-work company, waiting for a proposal.
    pub to_propose: Vec<Waiting>,
}

/// What waits for a coach in the municipalities they serve.
pub async fn of_coach(ctx: &Ctx, subject: Subject) -> AppResult<CoachQueue> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Coach])?;
        let place = Where {
            scope: actor.scope(),
            municipality: None,
        };
        Ok(CoachQueue {
            to_confirm: queue::to_confirm(conn, actor.id())?,
            to_propose: queue::routed_to_woonservice(conn, place)?,
        })
    })
    .await
}
