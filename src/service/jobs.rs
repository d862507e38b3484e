//! Scheduled jobs: each runs on an interval in `serve` and once from the command line
//! (`woonservice jobs run <name>`). Every job is safe with several instances: it
//! claims what it works on with a conditional update or a once-only key, so no row is
//! handled twice.

use std::time::Duration;

use tokio::sync::watch;

use crate::error::AppResult;
use crate::service::Ctx;
use crate::service::mail::notify;
use crate::service::vouchers;
use crate::store::tx;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Job {
    /// Mark available vouchers past their date as expired (with ledger events).
    ExpireVouchers,
    /// Remind member and client of tomorrow's visits (once per visit and person).
    SendReminders,
    /// Tell clients whose vouchers expire within 30 days (once per sale).
    WarnExpiringVouchers,
    /// Create the follow-ups of requests completed three months ago.
    CreateFollowUps,
    /// Forget login attempts older than the throttle's window.
    PurgeLoginAttempts,
    /// Expire open referrals past their answer-by time and route their requests on.
    ExpireReferrals,
    /// Agree to the hours of visits whose client let the municipality's days pass, and redeem.
    ApproveSignOffs,
}

impl Job {
    pub const ALL: [Job; 7] = [
        Job::ExpireVouchers,
        Job::SendReminders,
        Job::WarnExpiringVouchers,
        Job::CreateFollowUps,
        Job::PurgeLoginAttempts,
        Job::ExpireReferrals,
        Job::ApproveSignOffs,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Job::ExpireVouchers => "expire-vouchers",
            Job::SendReminders => "send-reminders",
            Job::WarnExpiringVouchers => "warn-expiring-vouchers",
            Job::CreateFollowUps => "create-follow-ups",
            Job::PurgeLoginAttempts => "purge-login-attempts",
            Job::ExpireReferrals => "expire-referrals",
            Job::ApproveSignOffs => "approve-sign-offs",
        }
    }

    /// How often `serve` runs it.
    pub fn every(self) -> Duration {
        match self {
            Job::ExpireVouchers | Job::WarnExpiringVouchers | Job::CreateFollowUps | Job::ApproveSignOffs => {
                Duration::from_secs(3600)
            }
            Job::SendReminders | Job::PurgeLoginAttempts => Duration::from_secs(900),
            // A referral's deadline is counted in hours; a few minutes late is fine.
            Job::ExpireReferrals => Duration::from_secs(300),
        }
    }

    /// Runs the job once; returns a line for the log or the terminal.
    pub fn run(self, ctx: &Ctx) -> AppResult<String> {
        self.run_until(ctx, &|| false)
    }

    /// Runs the job once, or until `stopping` says the service is shutting down: a job
    /// that works through a backlog one transaction at a time stops between two, and
    /// its next run takes up the rest.
    pub fn run_until(self, ctx: &Ctx, stopping: &dyn Fn() -> bool) -> AppResult<String> {
        let (db, now) = (&ctx.db, ctx.clock.now());
        match self {
            Job::ExpireVouchers => Ok(format!("{} voucher(s) expired", vouchers::expire(db, now)?)),
            Job::SendReminders => {
                let queued = db.run_blocking(|conn| tx::write(conn, |conn| notify::reminders(conn, now)))?;
                Ok(format!("{queued} reminder(s) queued"))
            }
            Job::CreateFollowUps => Ok(format!(
                "{} follow-up(s) created",
                crate::service::follow_ups::create_due(db, now)?
            )),
            Job::PurgeLoginAttempts => Ok(format!(
                "{} old login attempt(s) and {} desk session(s) forgotten",
                crate::service::auth::purge(db, now)?,
                crate::service::desk_sessions::purge(db, now)?
            )),
            Job::ApproveSignOffs => Ok(format!(
                "{} sign-off(s) agreed after the days passed",
                crate::service::sign_offs::approve_due(db, now, stopping)?
            )),
            Job::ExpireReferrals => Ok(format!(
                "{} referral(s) expired and routed on",
                crate::service::referrals::expire_overdue(db, now, stopping)?
            )),
            Job::WarnExpiringVouchers => {
                let queued = db.run_blocking(|conn| tx::write(conn, |conn| notify::expiry_warnings(conn, now)))?;
                Ok(format!("{queued} expiry warning(s) queued"))
            }
        }
    }
}

/// Starts every job on its interval (the first run at once) on the current actix
/// system, until `stop` turns true.
pub fn spawn_all(ctx: Ctx, stop: watch::Receiver<bool>) {
    for job in Job::ALL {
        let ctx = ctx.clone();
        let mut stop = stop.clone();
        actix_web::rt::spawn(async move {
            let mut interval = actix_web::rt::time::interval(job.every());
            loop {
                tokio::select! {
                    _ = interval.tick() => {}
                    _ = stop.changed() => break,
                }
                let ctx = ctx.clone();
                let stopping = stop.clone();
                match actix_web::web::block(move || job.run_until(&ctx, &|| *stopping.borrow())).await {
                    Ok(Ok(summary)) => tracing::info!(job = job.name(), %summary, "job ran"),
                    Ok(Err(e)) => {
                        tracing::warn!(job = job.name(), error = %e, "job failed; it runs again at its next interval")
                    }
                    Err(e) => tracing::error!(job = job.name(), error = %e, "job could not run"),
                }
            }
        });
    }
}
