//! How a member is doing, for their coach: hours and visits per month, and how their
//! visits ended.

use chrono::{DateTime, Utc};

use crate::domain::assignment::AssignmentStatus;
use crate::domain::hours::QuarterHours;
use crate::domain::report::Month;
use crate::domain::schedule::local_date;

/// How many months the progress page counts back, this month included.
pub const MONTHS_SHOWN: usize = 12;

/// One visit as progress counts it.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitRecord {
    pub start: DateTime<Utc>,
    pub status: AssignmentStatus,
    /// The hours worked once completed (the slot's hours where none were registered).
    pub hours: QuarterHours,
}

/// One calendar month (Amsterdam time) of a member's work.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthTally {
    pub month: Month,
    /// Hours of completed visits whose slot starts in the month, as the report counts them.
    pub hours: QuarterHours,
    pub visits: i64,
    pub no_shows: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// Newest month first, every month counted back, also those without work.
    pub months: Vec<MonthTally>,
    /// Over the months counted.
    pub completed: i64,
    pub no_shows: i64,
    /// Proposals the member said no to.
    pub declined: i64,
    /// Accepts the coach did not confirm.
    pub rejected: i64,
    pub cancelled: i64,
}

impl Progress {
    /// The first instant counted for `months` months back from `now`'s month.
    pub fn counted_from(now: DateTime<Utc>, months: usize) -> DateTime<Utc> {
        let mut first = Month::of(local_date(now));
        for _ in 1..months {
            first = first.previous();
        }
        first.span().0
    }

    /// From a member's visits starting since `counted_from(now, months)`.
    pub fn of(records: &[VisitRecord], now: DateTime<Utc>, months: usize) -> Progress {
        let mut month = Month::of(local_date(now));
        let mut tallies = Vec::with_capacity(months);
        for _ in 0..months {
            tallies.push(MonthTally {
                month,
                hours: QuarterHours::ZERO,
                visits: 0,
                no_shows: 0,
            });
            month = month.previous();
        }
        let mut progress = Progress {
            months: tallies,
            completed: 0,
            no_shows: 0,
            declined: 0,
            rejected: 0,
            cancelled: 0,
        };
        for record in records {
            let month = Month::of(local_date(record.start));
            let Some(tally) = progress.months.iter_mut().find(|t| t.month == month) else {
                continue;
            };
            match record.status {
                AssignmentStatus::Completed => {
                    tally.hours = tally.hours + record.hours;
                    tally.visits += 1;
                    progress.completed += 1;
                }
                AssignmentStatus::NoShow => {
                    tally.no_shows += 1;
                    progress.no_shows += 1;
                }
                AssignmentStatus::Declined => progress.declined += 1,
                AssignmentStatus::Rejected => progress.rejected += 1,
                AssignmentStatus::Cancelled => progress.cancelled += 1,
                AssignmentStatus::Proposed | AssignmentStatus::AwaitingConfirmation | AssignmentStatus::Accepted => {}
            }
        }
        progress
    }

    /// Hours over the months counted.
    pub fn hours(&self) -> QuarterHours {
        self.months.iter().map(|m| m.hours).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn visit(start: &str, status: AssignmentStatus, quarters: i32) -> VisitRecord {
        VisitRecord {
            start: at(start),
            status,
            hours: QuarterHours::from_quarters(quarters),
        }
    }

    #[test]
    fn months_count_back_in_amsterdam_time_with_hours_of_completed_visits_only() {
        let now = at("2026-12-03T10:00:00Z");
        let records = [
            visit("2026-12-02T09:00:00Z", AssignmentStatus::Completed, 10),
            // 30 November 23:30 UTC is 1 December 00:30 in Amsterdam.
            visit("2026-11-30T23:30:00Z", AssignmentStatus::Completed, 4),
            visit("2026-11-10T09:00:00Z", AssignmentStatus::NoShow, 8),
            visit("2026-11-11T09:00:00Z", AssignmentStatus::Declined, 8),
            visit("2026-11-12T09:00:00Z", AssignmentStatus::Accepted, 8),
            visit("2026-10-01T09:00:00Z", AssignmentStatus::Cancelled, 8),
            visit("2026-10-02T09:00:00Z", AssignmentStatus::Rejected, 8),
            // Before the months counted: left out.
            visit("2026-09-30T09:00:00Z", AssignmentStatus::Completed, 8),
        ];
        let progress = Progress::of(&records, now, 3);
        let months: Vec<String> = progress.months.iter().map(|m| m.month.to_string()).collect();
        assert_eq!(months, ["2026-12", "2026-11", "2026-10"]);
        assert_eq!(progress.months[0].hours, QuarterHours::from_quarters(14));
        assert_eq!(progress.months[0].visits, 2);
        assert_eq!(progress.months[1].hours, QuarterHours::ZERO);
        assert_eq!(progress.months[1].no_shows, 1);
        assert_eq!(
            (
                progress.completed,
                progress.no_shows,
                progress.declined,
                progress.rejected,
                progress.cancelled
            ),
            (2, 1, 1, 1, 1)
        );
        assert_eq!(progress.hours(), QuarterHours::from_quarters(14));
        assert_eq!(Progress::counted_from(now, 3), at("2026-09-30T22:00:00Z"));
    }
}
