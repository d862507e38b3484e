//! The monthly report (coordinator, admin; a municipality outside the caller's
//! scope answers 404).

use chrono::{DateTime, Utc};

use crate::domain::Role;
use crate::domain::category::Category;
use crate::domain::report::{self, Inputs, Month, MonthlyReport};
use crate::error::AppResult;
use crate::service::Ctx;
use crate::service::actor::found;
use crate::service::actor::{ensure_in_scope, require_role};
use crate::service::tokens::Subject;
use crate::store::{DbConnection, categories, municipalities, reports};

/// Gathers the records of one month and computes its figures.
pub fn compute(conn: &mut DbConnection, municipality: i64, month: Month) -> AppResult<MonthlyReport> {
    let (from, to) = month.span();
    let inputs = Inputs {
        requests: reports::requests_received(conn, municipality, from, to)?,
        scheduled: reports::time_to_scheduled(conn, municipality, from, to)?,
        work: reports::completed_work(conn, municipality, from, to)?,
        voucher_events: reports::voucher_events(conn, municipality, &report::LEDGER_FIGURES, from, to)?,
        new_clients: reports::new_clients(conn, municipality, from, to)?,
        clients_with_requests: reports::clients_with_requests(conn, municipality, from, to)?,
        clients_with_work: reports::clients_with_work(conn, municipality, from, to)?,
        jobseekers: reports::jobseekers(conn, municipality)?,
        follow_ups: reports::follow_ups_done(conn, municipality, from, to)?,
    };
    Ok(report::assemble(municipality, month, inputs))
}

/// The report of a month and, for its charts, of the eleven months before it.
pub struct ReportWithHistory {
    pub municipality_name: String,
    pub report: MonthlyReport,
    /// Oldest first, ending with `report`'s month; empty unless asked for.
    pub history: Vec<MonthlyReport>,
    /// The categories `report` counts requests of, for their names.
    pub categories: Vec<Category>,
    /// When it was computed, for the printed page.
    pub generated_at: DateTime<Utc>,
}

pub async fn monthly(
    ctx: &Ctx,
    subject: Subject,
    municipality: i64,
    month: Month,
    with_history: bool,
) -> AppResult<ReportWithHistory> {
    ctx.as_actor(subject, move |conn, actor| {
        require_role(actor, &[Role::Coordinator, Role::Admin])?;
        ensure_in_scope(actor, municipality)?;
        let name = found(municipalities::find(conn, municipality)?)?.fields.name;
        let report = compute(conn, municipality, month)?;
        let mut history = Vec::new();
        if with_history {
            let mut m = month;
            for _ in 0..11 {
                m = m.previous();
            }
            for _ in 0..11 {
                history.push(compute(conn, municipality, m)?);
                m = m.next();
            }
            history.push(report.clone());
        }
        let codes: Vec<String> = report.requests.by_category.keys().cloned().collect();
        Ok(ReportWithHistory {
            municipality_name: name,
            categories: categories::with_codes(conn, &codes)?,
            report,
            history,
            generated_at: actor.now(),
        })
    })
    .await
}
