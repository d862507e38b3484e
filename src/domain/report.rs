//! The monthly report of one municipality: what each figure means, computed from the
//! records the store reads (`store/reports.rs`) for one month. The JSON, the CSV and
//! the printable page all show these figures.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::hours::QuarterHours;
use crate::domain::member::Outflow;
use crate::domain::money::Money;
use crate::domain::request::{RequestStatus, Tier};
use crate::domain::schedule::local_to_utc;
use crate::domain::voucher::EventKind;

/// A calendar month in Amsterdam time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// Reads `YYYY-MM`.
    pub fn parse(input: &str) -> Result<Month, String> {
        let error = || format!("must be a month like 2026-11, got {input:?}");
        let (year, month) = input.split_once('-').ok_or_else(error)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(error());
        }
        let year: i32 = year.parse().map_err(|_| error())?;
        let month: u32 = month.parse().map_err(|_| error())?;
        if !(1..=12).contains(&month) || !(2000..=2100).contains(&year) {
            return Err(error());
        }
        Ok(Month { year, month })
    }

    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn previous(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// From midnight on the first to midnight on the first of the next month, Amsterdam time.
    pub fn span(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let midnight = |m: Month| local_to_utc(m.first_day().and_hms_opt(0, 0, 0).expect("midnight"));
        (midnight(self), midnight(self.next()))
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct MonthlyReport {
    pub municipality_id: i64,
    /// `YYYY-MM`, a calendar month in Amsterdam time.
    pub month: String,
    pub requests: RequestFigures,
    pub scheduling: SchedulingFigures,
    pub hours: HourFigures,
    pub vouchers: VoucherFigures,
    pub clients: ClientFigures,
    pub jobseekers: JobseekerFigures,
    pub follow_ups: FollowUpFigures,
    pub visits: VisitFigures,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct RequestFigures {
    /// Requests created in the month.
    pub received: i64,
    /// The received requests by category code.
    pub by_category: BTreeMap<String, i64>,
    /// The received requests by the tier that took them, or unmatched or cancelled;
    /// requests not routed yet are left out.
    pub by_outcome: Outcomes,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Outcomes {
    pub volunteer: i64,
    pub woonservice: i64,
    pub private_provider: i64,
    pub business: i64,
    /// Referred by hand to a local organisation.
    pub organisation: i64,
    pub unmatched: i64,
    pub cancelled: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct SchedulingFigures {
    /// Received requests whose assignment was accepted (so far).
    pub scheduled: i64,
    /// The median time from receiving such a request to its first accepted assignment,
    /// in hours; `null` when none was scheduled.
    pub median_hours_to_scheduled: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct HourFigures {
    /// Hours worked by volunteers on completed assignments whose slot starts in the month.
    #[schema(value_type = f64, multiple_of = 0.25)]
    pub volunteer: QuarterHours,
    /// The same for jobseekers (the woonservice tier).
    #[schema(value_type = f64, multiple_of = 0.25)]
    pub jobseeker: QuarterHours,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct VoucherFigures {
    /// Ledger events of the month: vouchers sold.
    pub sold: i64,
    /// Vouchers redeemed for completed tier-2 work.
    pub redeemed: i64,
    /// Vouchers the expiry job marked expired.
    pub expired: i64,
    /// Vouchers a coordinator cancelled.
    pub cancelled: i64,
    /// The value of the vouchers sold, in euros.
    #[schema(value_type = String, example = "50.00", pattern = r"^\d+\.\d{2}$")]
    pub sold_value: Money,
    /// The value of the vouchers redeemed, in euros.
    #[schema(value_type = String, example = "35.00", pattern = r"^\d+\.\d{2}$")]
    pub redeemed_value: Money,
    /// The value of the vouchers that expired, in euros: money the clients paid and
    /// did not use.
    #[schema(value_type = String, example = "5.00", pattern = r"^\d+\.\d{2}$")]
    pub expired_value: Money,
    /// The value of the vouchers cancelled, in euros.
    #[schema(value_type = String, example = "0.00", pattern = r"^\d+\.\d{2}$")]
    pub cancelled_value: Money,
    /// Vouchers due for tier-2 work completed in the month that the client no longer had.
    pub shortfall: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct ClientFigures {
    /// Clients registered in the month.
    pub new: i64,
    /// Clients with a request received or an assignment slot in the month.
    pub active: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct JobseekerFigures {
    /// Jobseekers registered by the end of the month who had not left before it began.
    pub active: i64,
    /// Hours jobseekers worked (as `hours.jobseeker`).
    #[schema(value_type = f64, multiple_of = 0.25)]
    pub hours: QuarterHours,
    /// Jobseekers who left in the month, by where they went (`paid_work`, `education`, `volunteer_work`, `other`).
    pub outflow: BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct FollowUpFigures {
    /// Follow-ups an advisor recorded in the month.
    pub done: i64,
    /// Of those, the clients helped lastingly.
    pub helped_lastingly: i64,
    /// `helped_lastingly / done`, 0 to 1; `null` when none was done.
    pub helped_lastingly_share: Option<f64>,
}

/// What clients said of the visits of the month (completed visits whose slot starts in it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct VisitFigures {
    /// Visits a client rated.
    pub ratings: i64,
    /// 1 to 5, to one decimal; `null` when none was rated.
    pub average_rating: Option<f64>,
    /// Visits whose hours a client disputed (resolved or not).
    pub disputes: i64,
}

/// The ledger events the report counts, each a figure of its own.
pub const LEDGER_FIGURES: [EventKind; 4] = [
    EventKind::Sold,
    EventKind::Redeemed,
    EventKind::Expired,
    EventKind::Cancelled,
];

/// A completed assignment as the report counts it.
#[derive(Debug, Clone)]
pub struct CompletedWork {
    pub tier: Tier,
    /// `None` when no hours were recorded.
    pub quarters_worked: Option<i32>,
    pub slot_quarters: i32,
    pub shortfall: i32,
    /// The client's rating, when they gave one.
    pub rating: Option<i32>,
    /// Whether the client disputed the hours.
    pub disputed: bool,
}

/// A jobseeker as the report counts them.
#[derive(Debug, Clone)]
pub struct Jobseeker {
    pub registered: DateTime<Utc>,
    pub left_on: Option<NaiveDate>,
    /// Where they went on leaving, when said.
    pub outflow: Option<Outflow>,
}

/// The records a report is computed from.
#[derive(Default)]
pub struct Inputs {
    /// (category, status, tier) of each request received.
    pub requests: Vec<(String, RequestStatus, Option<Tier>)>,
    /// (received, first accepted) of each scheduled request received.
    pub scheduled: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Completed assignments whose slot starts in the month.
    pub work: Vec<CompletedWork>,
    /// (kind, count, value in cents) of the ledger events of `LEDGER_FIGURES`.
    pub voucher_events: Vec<(EventKind, i64, i64)>,
    pub new_clients: i64,
    /// Clients with a request received in the month, and with an assignment slot in it.
    pub clients_with_requests: Vec<i64>,
    pub clients_with_work: Vec<i64>,
    /// Every jobseeker of the municipality.
    pub jobseekers: Vec<Jobseeker>,
    pub follow_ups: Vec<bool>,
}

/// Hours a completed assignment counts: those recorded, else its slot.
fn hours_counted(worked: Option<i32>, slot: i32) -> QuarterHours {
    QuarterHours::from_quarters(worked.unwrap_or(slot))
}

/// A client is active in a month with a request received or an assignment slot in it.
fn active_clients(with_requests: &[i64], with_work: &[i64]) -> i64 {
    let mut active: Vec<i64> = with_requests.iter().chain(with_work).copied().collect();
    active.sort_unstable();
    active.dedup();
    active.len() as i64
}

/// A jobseeker is active in a month when registered by its end and not gone before it began.
fn active_jobseeker(registered: DateTime<Utc>, left_on: Option<NaiveDate>, month: Month) -> bool {
    registered < month.span().1 && left_on.is_none_or(|day| day >= month.first_day())
}

/// Jobseekers who left in the month, by where they went (`other` when not said).
fn outflow(jobseekers: &[Jobseeker], month: Month) -> BTreeMap<String, i64> {
    let mut by_kind = BTreeMap::new();
    for j in jobseekers {
        if j.left_on.is_some_and(|day| Month::of(day) == month) {
            *by_kind
                .entry(j.outflow.unwrap_or(Outflow::Other).as_str().to_owned())
                .or_default() += 1;
        }
    }
    by_kind
}

pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

pub fn assemble(municipality_id: i64, month: Month, inputs: Inputs) -> MonthlyReport {
    let mut report = MonthlyReport {
        municipality_id,
        month: month.to_string(),
        ..MonthlyReport::default()
    };
    let r = &mut report.requests;
    r.received = inputs.requests.len() as i64;
    for (category, status, tier) in &inputs.requests {
        *r.by_category.entry(category.clone()).or_default() += 1;
        let o = &mut r.by_outcome;
        match (status, tier) {
            (RequestStatus::Cancelled, _) => o.cancelled += 1,
            (RequestStatus::Unmatched, _) => o.unmatched += 1,
            (_, Some(Tier::Volunteer)) => o.volunteer += 1,
            (_, Some(Tier::Woonservice)) => o.woonservice += 1,
            (_, Some(Tier::PrivateProvider)) => o.private_provider += 1,
            (_, Some(Tier::Business)) => o.business += 1,
            (_, Some(Tier::Organisation)) => o.organisation += 1,
            (_, None) => {}
        }
    }
    report.scheduling = SchedulingFigures {
        scheduled: inputs.scheduled.len() as i64,
        median_hours_to_scheduled: median(
            inputs
                .scheduled
                .iter()
                .map(|(r, a)| (*a - *r).num_seconds() as f64 / 3600.0)
                .collect(),
        )
        .map(|h| (h * 100.0).round() / 100.0),
    };
    for work in &inputs.work {
        let hours = hours_counted(work.quarters_worked, work.slot_quarters);
        match work.tier {
            Tier::Volunteer => report.hours.volunteer = report.hours.volunteer + hours,
            _ => report.hours.jobseeker = report.hours.jobseeker + hours,
        }
        report.vouchers.shortfall += i64::from(work.shortfall);
    }
    let ratings: Vec<i64> = inputs.work.iter().filter_map(|w| w.rating.map(i64::from)).collect();
    report.visits = VisitFigures {
        ratings: ratings.len() as i64,
        average_rating: (!ratings.is_empty())
            .then(|| (ratings.iter().sum::<i64>() as f64 / ratings.len() as f64 * 10.0).round() / 10.0),
        disputes: inputs.work.iter().filter(|w| w.disputed).count() as i64,
    };
    for (kind, count, cents) in &inputs.voucher_events {
        let v = &mut report.vouchers;
        match kind {
            EventKind::Sold => (v.sold, v.sold_value) = (*count, Money::from_cents(*cents)),
            EventKind::Redeemed => (v.redeemed, v.redeemed_value) = (*count, Money::from_cents(*cents)),
            EventKind::Expired => (v.expired, v.expired_value) = (*count, Money::from_cents(*cents)),
            EventKind::Cancelled => (v.cancelled, v.cancelled_value) = (*count, Money::from_cents(*cents)),
            EventKind::Reserved | EventKind::Released => {}
        }
    }
    report.clients = ClientFigures {
        new: inputs.new_clients,
        active: active_clients(&inputs.clients_with_requests, &inputs.clients_with_work),
    };
    report.jobseekers = JobseekerFigures {
        active: inputs
            .jobseekers
            .iter()
            .filter(|j| active_jobseeker(j.registered, j.left_on, month))
            .count() as i64,
        hours: report.hours.jobseeker,
        outflow: outflow(&inputs.jobseekers, month),
    };
    let done = inputs.follow_ups.len() as i64;
    let helped = inputs.follow_ups.iter().filter(|h| **h).count() as i64;
    report.follow_ups = FollowUpFigures {
        done,
        helped_lastingly: helped,
        helped_lastingly_share: (done > 0).then(|| ((helped as f64 / done as f64) * 1000.0).round() / 1000.0),
    };
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_runs_from_midnight_to_midnight_in_amsterdam() {
        let (from, to) = Month::parse("2026-10").unwrap().span();
        assert_eq!(from, "2026-09-30T22:00:00Z".parse::<DateTime<Utc>>().unwrap());
        assert_eq!(
            to,
            "2026-10-31T23:00:00Z".parse::<DateTime<Utc>>().unwrap(),
            "winter time from 25 October"
        );
        assert!(Month::parse("2026-13").is_err() && Month::parse("26-10").is_err() && Month::parse("2026/10").is_err());
        assert_eq!(Month::parse("2026-12").unwrap().next().to_string(), "2027-01");
    }

    fn work(tier: Tier, quarters_worked: Option<i32>, slot_quarters: i32, shortfall: i32) -> CompletedWork {
        CompletedWork {
            tier,
            quarters_worked,
            slot_quarters,
            shortfall,
            rating: None,
            disputed: false,
        }
    }

    #[test]
    fn figures_count_outcomes_hours_vouchers_and_follow_ups() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let inputs = Inputs {
            requests: vec![
                ("gardening".into(), RequestStatus::Completed, Some(Tier::Volunteer)),
                ("gardening".into(), RequestStatus::Referred, Some(Tier::Business)),
                ("moving".into(), RequestStatus::Cancelled, Some(Tier::Woonservice)),
                ("moving".into(), RequestStatus::Unmatched, None),
                ("errands".into(), RequestStatus::New, None),
            ],
            scheduled: vec![
                (at("2026-11-02T10:00:00Z"), at("2026-11-02T12:00:00Z")),
                (at("2026-11-03T10:00:00Z"), at("2026-11-03T16:00:00Z")),
            ],
            work: vec![
                work(Tier::Volunteer, Some(9), 8, 0),
                work(Tier::Woonservice, None, 8, 1),
            ],
            voucher_events: vec![(EventKind::Sold, 10, 5550), (EventKind::Redeemed, 2, 1110)],
            follow_ups: vec![true, false, true],
            ..Inputs::default()
        };
        let r = assemble(1, Month::parse("2026-11").unwrap(), inputs);
        assert_eq!(r.requests.received, 5);
        assert_eq!(r.requests.by_category["gardening"], 2);
        let o = &r.requests.by_outcome;
        assert_eq!(
            (o.volunteer, o.business, o.cancelled, o.unmatched, o.woonservice),
            (1, 1, 1, 1, 0)
        );
        assert_eq!(r.scheduling.median_hours_to_scheduled, Some(4.0));
        assert_eq!((r.hours.volunteer.hours(), r.hours.jobseeker.hours()), (2.25, 2.0));
        assert_eq!(
            (
                r.vouchers.sold_value.to_string(),
                r.vouchers.redeemed_value.to_string(),
                r.vouchers.shortfall
            ),
            ("55.50".into(), "11.10".into(), 1)
        );
        assert_eq!(
            (
                r.follow_ups.done,
                r.follow_ups.helped_lastingly,
                r.follow_ups.helped_lastingly_share
            ),
            (3, 2, Some(0.667))
        );
    }

    #[test]
    fn clients_count_once_and_jobseekers_count_from_registration_until_they_leave() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let november = Month::parse("2026-11").unwrap();
        assert_eq!(active_clients(&[3, 1, 3], &[1, 2]), 3);
        assert!(active_jobseeker(at("2026-11-30T22:59:59Z"), None, november));
        assert!(
            !active_jobseeker(at("2026-11-30T23:00:00Z"), None, november),
            "registered after the month, Amsterdam time"
        );
        assert!(
            active_jobseeker(at("2026-01-01T00:00:00Z"), Some(day("2026-11-01")), november),
            "left during the month"
        );
        assert!(!active_jobseeker(
            at("2026-01-01T00:00:00Z"),
            Some(day("2026-10-31")),
            november
        ));
        let jobseekers = vec![
            Jobseeker {
                registered: at("2026-01-01T00:00:00Z"),
                left_on: Some(day("2026-11-05")),
                outflow: Some(Outflow::PaidWork),
            },
            Jobseeker {
                registered: at("2026-01-01T00:00:00Z"),
                left_on: Some(day("2026-11-30")),
                outflow: None,
            },
            Jobseeker {
                registered: at("2026-01-01T00:00:00Z"),
                left_on: Some(day("2026-12-01")),
                outflow: Some(Outflow::PaidWork),
            },
            Jobseeker {
                registered: at("2026-01-01T00:00:00Z"),
                left_on: None,
                outflow: None,
            },
        ];
        let r = assemble(
            1,
            november,
            Inputs {
                jobseekers,
                ..Inputs::default()
            },
        );
        assert_eq!(r.jobseekers.active, 4);
        assert_eq!(
            r.jobseekers.outflow,
            BTreeMap::from([("other".to_owned(), 1), ("paid_work".to_owned(), 1)])
        );
        assert_eq!(
            hours_counted(None, 6).quarters(),
            6,
            "no hours recorded: the slot counts"
        );
    }
}
