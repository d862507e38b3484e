//! Referrals to providers: reading them, and (with routing) the provider's answer.

use crate::domain::Role;
use crate::domain::page::{Page, PageRequest};
use crate::domain::referral::{Referral, ReferralFilter};
use crate::error::AppResult;
use crate::service::Ctx;
use crate::service::actor::{ensure_in_scope, found, require_role};
use crate::service::tokens::Subject;
use crate::store::referrals;

/// Staff read the referrals of their municipalities.
const READERS: [Role; 4] = [Role::Coach, Role::Advisor, Role::Coordinator, Role::Admin];

pub async fn list(
    ctx: &Ctx,
    subject: Subject,
    filter: ReferralFilter,
    page: PageRequest<()>,
) -> AppResult<Page<Referral, ()>> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &READERS)?;
        referrals::list(conn, actor.scope(), &filter, &page)
    })
    .await
}

pub async fn get(ctx: &Ctx, subject: Subject, id: i64) -> AppResult<Referral> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &READERS)?;
        let referral = found(referrals::find(conn, id)?)?;
        ensure_in_scope(actor, referral.municipality_id)?;
        Ok(referral)
    })
    .await
}
