//! Scheduled jobs: each runs on an interval in `serve` and once from the command line
//! (`woonservice jobs run <name>`). Every job is safe with several instances: it
//! claims what it works on with a conditional update, so no row is handled twice.

use std::time::Duration;

use crate::error::AppResult;
use crate::service::vouchers;
use crate::store::Db;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Job {
    /// Mark available vouchers past their date as expired (with ledger events).
    ExpireVouchers,
}

impl Job {
    pub const ALL: [Job; 1] = [Job::ExpireVouchers];

    pub fn name(self) -> &'static str {
        match self {
            Job::ExpireVouchers => "expire-vouchers",
        }
    }

    /// How often `serve` runs it.
    pub fn every(self) -> Duration {
        match self {
            Job::ExpireVouchers => Duration::from_secs(3600),
        }
    }

    /// Runs the job once; returns a line for the log or the terminal.
    pub fn run(self, db: &Db) -> AppResult<String> {
        match self {
            Job::ExpireVouchers => Ok(format!("{} voucher(s) expired", vouchers::expire(db)?)),
        }
    }
}

/// Starts every job on its interval (the first run at once) on the current actix system.
pub fn spawn_all(db: Db) {
    for job in Job::ALL {
        let db = db.clone();
        actix_web::rt::spawn(async move {
            let mut interval = actix_web::rt::time::interval(job.every());
            loop {
                interval.tick().await;
                let db = db.clone();
                match actix_web::web::block(move || job.run(&db)).await {
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
