//! The ranking of a request's member tier without routing it: an advisor checks the
//! engine's choice, a coach sees why their jobseekers rank as they do.

use crate::domain::Role;
use crate::domain::ranking::{self, Candidate};
use crate::domain::request::Tier;
use crate::domain::routing;
use crate::error::{AppError, AppResult, ConflictCode};
use crate::service::Ctx;
use crate::service::actor::require_role;
use crate::service::requests as request_service;
use crate::service::routing::ranked_members;
use crate::service::tokens::Subject;
use crate::store::members;

pub struct Ranking {
    pub tier: Tier,
    pub candidates: Vec<Candidate>,
}

/// The candidates of the request's current member tier, ranked as routing ranks them;
/// nothing is written. A coach sees only their own jobseekers and the volunteers of
/// their municipalities.
pub async fn of_request(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<Ranking> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Coach, Role::Advisor, Role::Coordinator])?;
        let request = request_service::readable(conn, actor, id)?;
        let Some(tier) = request.tier.filter(|t| routing::is_member_tier(*t)) else {
            return Err(AppError::conflict(
                ConflictCode::InvalidTransition,
                format!(
                    "a {} request has no member tier to rank; route it first",
                    request.status
                ),
            ));
        };
        let mut candidates = ranked_members(conn, &request, tier, actor.now())?;
        if actor.is(Role::Coach) {
            let ids: Vec<i64> = candidates.iter().map(|c| c.id).collect();
            let coached: Vec<i64> = members::find_many(conn, &ids)?
                .into_iter()
                .filter(|m| actor.coaches(&m.fields))
                .map(|m| m.id)
                .collect();
            candidates.retain(|c| coached.contains(&c.id));
        }
        candidates.truncate(ranking::TOP);
        Ok(Ranking { tier, candidates })
    })
    .await
}
