//! Assignments of a member to a time slot, and their status machine.

use chrono::{DateTime, Utc};

use crate::domain::hours::QuarterHours;
use crate::domain::request::Tier;
use crate::domain::schedule::Span;
use crate::domain::text_enum::text_enum;

text_enum! {
    pub enum AssignmentStatus {
        Proposed = "proposed",
        /// A jobseeker took it on through their own account; their coach confirms or
        /// rejects it. The slot and the vouchers are held meanwhile.
        AwaitingConfirmation = "awaiting_confirmation",
        Accepted = "accepted",
        /// The coach did not confirm the jobseeker's accept.
        Rejected = "rejected",
        Declined = "declined",
        Completed = "completed",
        NoShow = "no_show",
        Cancelled = "cancelled",
    }

    /// The client's word on the hours of a completed visit; tier 2 redeems vouchers
    /// only once it is agreed (by the client, by an advisor's resolution, or by the
    /// municipality's days passing).
    pub enum SignOff {
        Pending = "pending",
        Agreed = "agreed",
        Disputed = "disputed",
        Resolved = "resolved",
        AutoAgreed = "auto_agreed",
    }
}

impl SignOff {
    /// The sign-off after the client's answer, an advisor's resolution or the days
    /// passing; why not, when it is out of turn.
    pub fn next(self, to: SignOff) -> Result<SignOff, String> {
        use SignOff::*;
        match (self, to) {
            (Pending, Agreed | Disputed | AutoAgreed) | (Disputed, Resolved) => Ok(to),
            (from, to) => Err(format!("a visit whose sign-off is {from} cannot become {to}")),
        }
    }
}

/// What someone does to an assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Accept,
    /// A jobseeker's own accept that waits for their coach.
    Hold,
    /// The coach's yes to a held accept.
    Confirm,
    /// The coach's no to a held accept.
    Reject,
    Decline,
    Complete,
    NoShow,
    /// By a coach or advisor; also how a proposal is withdrawn when its request moves on.
    Cancel,
}

impl Action {
    pub fn verb(self) -> &'static str {
        match self {
            Action::Accept | Action::Hold => "accept",
            Action::Confirm => "confirm",
            Action::Reject => "reject",
            Action::Decline => "decline",
            Action::Complete => "complete",
            Action::NoShow => "mark as no-show",
            Action::Cancel => "cancel",
        }
    }
}

impl AssignmentStatus {
    /// The status after `action`, or why it is not allowed.
    pub fn apply(self, action: Action) -> Result<AssignmentStatus, String> {
        use AssignmentStatus::*;
        match (self, action) {
            (Proposed, Action::Accept) => Ok(Accepted),
            (Proposed, Action::Hold) => Ok(AwaitingConfirmation),
            (AwaitingConfirmation, Action::Confirm) => Ok(Accepted),
            (AwaitingConfirmation, Action::Reject) => Ok(Rejected),
            // The jobseeker changes their mind, or the request moves on, before the coach answers.
            (AwaitingConfirmation, Action::Decline) => Ok(Declined),
            (AwaitingConfirmation, Action::Cancel) => Ok(Cancelled),
            (Proposed, Action::Decline) => Ok(Declined),
            (Proposed, Action::Cancel) => Ok(Cancelled),
            (Accepted, Action::Complete) => Ok(Completed),
            (Accepted, Action::NoShow) => Ok(NoShow),
            (Accepted, Action::Cancel) => Ok(Cancelled),
            (status, action) => Err(format!("a {status} assignment cannot be {}", past(action))),
        }
    }

    /// Still waiting for an answer or to be carried out.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            AssignmentStatus::Proposed | AssignmentStatus::AwaitingConfirmation | AssignmentStatus::Accepted
        )
    }

    /// Holds the member's time and (tier 2) the client's vouchers.
    pub fn holds(self) -> bool {
        matches!(
            self,
            AssignmentStatus::AwaitingConfirmation | AssignmentStatus::Accepted
        )
    }
}

fn past(action: Action) -> &'static str {
    match action {
        Action::Accept | Action::Hold => "accepted",
        Action::Confirm => "confirmed",
        Action::Reject => "rejected",
        Action::Decline => "declined",
        Action::Complete => "completed",
        Action::NoShow => "marked as no-show",
        Action::Cancel => "cancelled",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub id: i64,
    pub request_id: i64,
    pub member_id: i64,
    pub client_id: i64,
    pub municipality_id: i64,
    pub tier: Tier,
    pub slot: Span,
    pub status: AssignmentStatus,
    pub hours_worked: Option<QuarterHours>,
    /// Vouchers that were due at completion but not there (tier 2).
    pub voucher_shortfall: i32,
    pub reason: Option<String>,
    pub proposed_by: i64,
    pub decided_by: Option<i64>,
    /// `None` until completion.
    pub sign_off: Option<SignOff>,
    /// The client's rating of the visit, 1 to 5.
    pub rating: Option<i32>,
    /// The client's comment with their rating.
    pub sign_off_comment: Option<String>,
    /// Why the client disputed the hours.
    pub dispute_reason: Option<String>,
    /// What the advisor noted when resolving a dispute.
    pub resolution_note: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Assignment {
    /// Length of the slot in quarter hours (rounded up).
    pub fn slot_hours(&self) -> QuarterHours {
        slot_quarters(&self.slot)
    }

    /// Hours that count against the member's week: worked hours once completed.
    pub fn counted_hours(&self) -> QuarterHours {
        match self.status {
            AssignmentStatus::Completed => self.hours_worked.unwrap_or_else(|| self.slot_hours()),
            _ => self.slot_hours(),
        }
    }
}

pub fn slot_quarters(slot: &Span) -> QuarterHours {
    QuarterHours::from_quarters(((slot.minutes() + 14) / 15) as i32)
}

/// A proposed slot: inside the request window, on quarter hours, 15 minutes to 12 hours.
pub fn check_slot(slot: &Span, window: &Span) -> Result<(), (&'static str, String)> {
    let on_quarter = |t: &DateTime<Utc>| t.timestamp() % (15 * 60) == 0;
    if !on_quarter(&slot.start) {
        return Err(("starts_at", "must be on a quarter hour (:00, :15, :30, :45)".into()));
    }
    if !on_quarter(&slot.end) {
        return Err(("ends_at", "must be on a quarter hour (:00, :15, :30, :45)".into()));
    }
    if slot.end <= slot.start {
        return Err(("ends_at", "must be after starts_at".into()));
    }
    if slot.minutes() > 12 * 60 {
        return Err(("ends_at", "a slot is at most 12 hours".into()));
    }
    if slot.start < window.start || slot.end > window.end {
        return Err(("starts_at", "the slot must lie inside the request's window".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssignmentStatus::*;

    #[test]
    fn the_status_machine_allows_only_the_documented_moves() {
        assert_eq!(Proposed.apply(Action::Accept), Ok(Accepted));
        assert_eq!(Proposed.apply(Action::Decline), Ok(Declined));
        assert_eq!(Accepted.apply(Action::Complete), Ok(Completed));
        assert_eq!(Accepted.apply(Action::NoShow), Ok(NoShow));
        assert_eq!(Accepted.apply(Action::Cancel), Ok(Cancelled));
        for from in [Declined, Completed, NoShow, Cancelled] {
            for action in [
                Action::Accept,
                Action::Decline,
                Action::Complete,
                Action::NoShow,
                Action::Cancel,
            ] {
                assert!(from.apply(action).is_err(), "{from} accepted {action:?}");
            }
        }
        assert!(Proposed.apply(Action::Complete).is_err());
        assert!(Accepted.apply(Action::Accept).is_err());
    }

    #[test]
    fn a_slot_must_fit_the_window_on_quarter_hours() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let window = Span::new(at("2026-12-08T08:00:00Z"), at("2026-12-08T16:00:00Z"));
        assert!(
            check_slot(
                &Span::new(at("2026-12-08T09:00:00Z"), at("2026-12-08T11:15:00Z")),
                &window
            )
            .is_ok()
        );
        assert_eq!(
            check_slot(
                &Span::new(at("2026-12-08T09:10:00Z"), at("2026-12-08T11:00:00Z")),
                &window
            )
            .unwrap_err()
            .0,
            "starts_at"
        );
        assert_eq!(
            check_slot(
                &Span::new(at("2026-12-08T07:00:00Z"), at("2026-12-08T09:00:00Z")),
                &window
            )
            .unwrap_err()
            .0,
            "starts_at"
        );
        assert_eq!(
            check_slot(
                &Span::new(at("2026-12-08T11:00:00Z"), at("2026-12-08T11:00:00Z")),
                &window
            )
            .unwrap_err()
            .0,
            "ends_at"
        );
        assert_eq!(
            slot_quarters(&Span::new(at("2026-12-08T09:00:00Z"), at("2026-12-08T11:15:00Z"))).quarters(),
            9
        );
    }
}
