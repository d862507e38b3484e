use std::time::Duration;

use crate::error::{AppError, AppResult};
use crate::service::Ctx;
use crate::store::health;

/// How long readiness waits for the database before calling it down.
pub const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// Ready when the database answers and the mail worker (where it runs) is not being
/// started again.
pub async fn ready(ctx: &Ctx) -> AppResult<()> {
    if let Some(problem) = ctx.mail_health.problem() {
        return Err(AppError::unavailable(problem));
    }
    match tokio::time::timeout(READY_TIMEOUT, ctx.db.run(health::ping)).await {
        Ok(result) => result,
        Err(_) => Err(AppError::unavailable(format!(
            "database did not answer within {READY_TIMEOUT:?}"
        ))),
    }
}
