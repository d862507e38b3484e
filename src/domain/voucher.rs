//! Service vouchers (dienstencheques): one hour of woonservice work each.

use chrono::{DateTime, Months, NaiveDate, Utc};

use crate::domain::hours::QuarterHours;
use crate::domain::money::Money;
use crate::domain::text_enum::text_enum;

text_enum! {
    pub enum VoucherStatus {
        Available = "available",
        /// Held for an accepted tier-2 assignment.
        Reserved = "reserved",
        Redeemed = "redeemed",
        Expired = "expired",
        Cancelled = "cancelled",
    }

    /// A ledger event: every change of a voucher is one.
    pub enum EventKind {
        Sold = "sold",
        Reserved = "reserved",
        Released = "released",
        Redeemed = "redeemed",
        Expired = "expired",
        Cancelled = "cancelled",
    }
}

impl VoucherStatus {
    /// The status a voucher has on `today`: an available voucher past its date is
    /// expired whether or not the expiry job has marked it yet. A reserved one stays
    /// reserved: the client booked in time.
    pub fn on(self, expires_on: NaiveDate, today: NaiveDate) -> VoucherStatus {
        if self == VoucherStatus::Available && expires_on < today {
            VoucherStatus::Expired
        } else {
            self
        }
    }

    /// The status after a ledger event, or why the event cannot follow this status.
    pub fn after(self, event: EventKind) -> Result<VoucherStatus, String> {
        use EventKind as E;
        use VoucherStatus as S;
        match (self, event) {
            (S::Available, E::Reserved) => Ok(S::Reserved),
            (S::Reserved, E::Released) => Ok(S::Available),
            (S::Reserved | S::Available, E::Redeemed) => Ok(S::Redeemed),
            (S::Available, E::Expired) => Ok(S::Expired),
            (S::Available, E::Cancelled) => Ok(S::Cancelled),
            (status, event) => Err(format!("a {status} voucher cannot be {event}")),
        }
    }
}

impl VoucherStatus {
    /// Whether a voucher in this status stays linked to the assignment that reserved
    /// or redeemed it.
    pub fn keeps_assignment(self) -> bool {
        matches!(self, VoucherStatus::Reserved | VoucherStatus::Redeemed)
    }
}

impl EventKind {
    /// The status a voucher has after this event, whatever it had before (`after`
    /// says whether the event may follow that status at all).
    pub fn leaves(self) -> VoucherStatus {
        match self {
            EventKind::Sold | EventKind::Released => VoucherStatus::Available,
            EventKind::Reserved => VoucherStatus::Reserved,
            EventKind::Redeemed => VoucherStatus::Redeemed,
            EventKind::Expired => VoucherStatus::Expired,
            EventKind::Cancelled => VoucherStatus::Cancelled,
        }
    }
}

/// Whether a client can spend a voucher on `today`: it is available and not past its
/// date. The store's SQL form of this rule is `store::vouchers::spendable_on`.
pub fn is_spendable(status: VoucherStatus, expires_on: NaiveDate, today: NaiveDate) -> bool {
    status.on(expires_on, today) == VoucherStatus::Available
}

/// Vouchers due for `hours` of work: one per started hour (1.25 h costs two).
pub fn vouchers_for(hours: QuarterHours) -> i64 {
    i64::from(hours.started_hours())
}

/// The vouchers an accepted tier-2 assignment reserves: `needed` of the spendable
/// ones, which come soonest expiry first, or none at all when there are too few.
pub fn plan_reservation<T: Clone>(spendable: &[T], needed: i64) -> Option<Vec<T>> {
    let needed = usize::try_from(needed.max(0)).ok()?;
    (spendable.len() >= needed).then(|| spendable[..needed].to_vec())
}

/// What completing tier-2 work does to the client's vouchers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedemptionPlan<T> {
    pub redeem: Vec<T>,
    /// Reserved for the assignment but not needed: back to available.
    pub release: Vec<T>,
    /// Vouchers due but not there; the work is done and the shortfall recorded.
    pub shortfall: i64,
}

/// How many spendable vouchers a redemption of `due` needs beside the `reserved` ones:
/// the store fetches that many (soonest expiry first) for `plan_redemption`.
pub fn still_missing(reserved: usize, due: i64) -> i64 {
    (due - reserved as i64).max(0)
}

/// Redeems `due` vouchers: those reserved for the assignment first (they stay
/// redeemable past their date: the client booked in time), then spendable ones in the
/// order given (soonest expiry first). Reserved ones left over are released; what is
/// missing is the shortfall.
pub fn plan_redemption<T: Clone>(reserved: &[T], spendable: &[T], due: i64) -> RedemptionPlan<T> {
    let due = usize::try_from(due.max(0)).unwrap_or(usize::MAX);
    let from_reserved = reserved.len().min(due);
    let from_spendable = spendable.len().min(due - from_reserved);
    let mut redeem = reserved[..from_reserved].to_vec();
    redeem.extend_from_slice(&spendable[..from_spendable]);
    RedemptionPlan {
        shortfall: (due - redeem.len()) as i64,
        release: reserved[from_reserved..].to_vec(),
        redeem,
    }
}

/// The last day a voucher can be spent: `months` calendar months after it was issued
/// (valid through the end of that day, Amsterdam time).
pub fn expiry(issued_on: NaiveDate, months: i32) -> NaiveDate {
    issued_on
        .checked_add_months(Months::new(months.max(0) as u32))
        .unwrap_or(NaiveDate::MAX)
}

/// A voucher number: municipality prefix, year, sequence and a check digit,
/// `WAA-2026-000123-7`. The check digit (Luhn, over the letters as 10–35 and the
/// digits) catches any single mistyped character and most swapped neighbours.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Serial(String);

fn luhn_digit(body: &str) -> u32 {
    let digits: Vec<u32> = body
        .chars()
        .flat_map(|c| match c.to_digit(36) {
            Some(v) if v >= 10 => vec![v / 10, v % 10],
            Some(v) => vec![v],
            None => vec![],
        })
        .collect();
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                *d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

impl Serial {
    /// A municipality's prefix: the first three letters of its name.
    pub fn prefix_of(municipality_name: &str) -> String {
        let letters: String = municipality_name
            .chars()
            .filter(|c| c.is_ascii_alphabetic())
            .take(3)
            .collect::<String>()
            .to_uppercase();
        format!("{letters:X<3}")
    }

    pub fn new(prefix: &str, year: i32, sequence: i64) -> Serial {
        let body = format!("{prefix}-{year}-{sequence:06}");
        let check = luhn_digit(&body);
        Serial(format!("{body}-{check}"))
    }

    /// Reads a serial as a person may type it (any case, spaces around); a wrong
    /// check digit or shape is refused. The OpenAPI document states the shape as
    /// `^ *[A-Za-z]{3}-[0-9]{4}-[0-9]{6,}-[0-9] *$`.
    pub fn parse(input: &str) -> Result<Serial, String> {
        // ASCII case only: `to_uppercase` would turn a typed `ß` into `SS`.
        let text = input.trim_matches(' ').to_ascii_uppercase();
        let error = || format!("{input:?} is not a voucher number like WAA-2026-000123-7");
        let parts: Vec<&str> = text.split('-').collect();
        let [prefix, year, sequence, check] = parts.as_slice() else {
            return Err(error());
        };
        let shape_ok = prefix.len() == 3
            && prefix.chars().all(|c| c.is_ascii_uppercase())
            && year.len() == 4
            && year.chars().all(|c| c.is_ascii_digit())
            && sequence.len() >= 6
            && sequence.chars().all(|c| c.is_ascii_digit())
            && check.len() == 1;
        if !shape_ok {
            return Err(error());
        }
        let body = format!("{prefix}-{year}-{sequence}");
        if check.chars().next().and_then(|c| c.to_digit(10)) != Some(luhn_digit(&body)) {
            return Err(format!("{input:?} has a wrong check digit; is it mistyped?"));
        }
        Ok(Serial(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A voucher as the ledger and the balance see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Voucher {
    pub id: i64,
    pub serial: String,
    pub client_id: i64,
    pub municipality_id: i64,
    pub value: Money,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub status: VoucherStatus,
    pub assignment_id: Option<i64>,
    pub updated_at: DateTime<Utc>,
}

/// One line of a client's voucher history: what happened to which voucher, when and
/// by whom (`None`: the service itself, such as the expiry job).
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub serial: String,
    pub value: Money,
    pub assignment_id: Option<i64>,
    pub by: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_serial_carries_a_check_digit_that_catches_a_mistyped_character() {
        let serial = Serial::new("WAA", 2026, 123);
        assert!(serial.as_str().starts_with("WAA-2026-000123-"));
        assert_eq!(Serial::parse(&serial.as_str().to_lowercase()).unwrap(), serial);
        assert_eq!(Serial::parse(&format!("  {}  ", serial.as_str())).unwrap(), serial);
        let german = serial.as_str().replacen("WAA", "WAß", 1);
        assert!(Serial::parse(&german).is_err(), "only ASCII letters are a prefix");
        assert!(Serial::parse("WAA-2026-000124-".to_owned().as_str()).is_err());
        assert!(Serial::parse("nonsense").is_err());
        assert_eq!(Serial::prefix_of("Heeze-Leende"), "HEE");
        assert_eq!(Serial::prefix_of("Ee"), "EEX");
    }

    proptest! {
        #[test]
        fn changing_any_one_digit_of_a_serial_is_detected(sequence in 0i64..10_000_000, year in 2020i32..2100, position in 0usize..20, replacement in 0u32..10) {
            let serial = Serial::new("VAL", year, sequence);
            let text = serial.as_str();
            let digit_positions: Vec<usize> = text.char_indices().filter(|(_, c)| c.is_ascii_digit()).map(|(i, _)| i).collect();
            let at = digit_positions[position % digit_positions.len()];
            let original = text[at..].chars().next().unwrap().to_digit(10).unwrap();
            prop_assume!(original != replacement);
            let mut altered = text.to_owned();
            altered.replace_range(at..at + 1, &replacement.to_string());
            prop_assert!(Serial::parse(&altered).is_err());
        }
    }

    #[test]
    fn vouchers_expire_by_date_after_calendar_months() {
        let issued = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        assert_eq!(expiry(issued, 1), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(expiry(issued, 12), NaiveDate::from_ymd_opt(2027, 1, 31).unwrap());
        let last_day = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
        assert_eq!(
            VoucherStatus::Available.on(last_day, last_day),
            VoucherStatus::Available
        );
        assert_eq!(
            VoucherStatus::Available.on(last_day, last_day.succ_opt().unwrap()),
            VoucherStatus::Expired
        );
        assert_eq!(
            VoucherStatus::Reserved.on(last_day, last_day.succ_opt().unwrap()),
            VoucherStatus::Reserved
        );
    }

    #[test]
    fn the_ledger_allows_only_real_moves() {
        assert_eq!(
            VoucherStatus::Available.after(EventKind::Reserved),
            Ok(VoucherStatus::Reserved)
        );
        assert_eq!(
            VoucherStatus::Reserved.after(EventKind::Released),
            Ok(VoucherStatus::Available)
        );
        assert!(VoucherStatus::Redeemed.after(EventKind::Redeemed).is_err());
        assert!(VoucherStatus::Reserved.after(EventKind::Cancelled).is_err());
        assert!(VoucherStatus::Cancelled.after(EventKind::Reserved).is_err());
    }

    #[test]
    fn every_event_leaves_the_status_the_ledger_moves_to() {
        for status in VoucherStatus::ALL {
            for event in EventKind::ALL {
                if let Ok(next) = status.after(*event) {
                    assert_eq!(next, event.leaves(), "{status} then {event}");
                }
            }
        }
    }

    #[test]
    fn only_available_vouchers_within_their_date_are_spendable() {
        let day = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        let next = day.succ_opt().unwrap();
        assert!(is_spendable(VoucherStatus::Available, day, day));
        assert!(!is_spendable(VoucherStatus::Available, day, next));
        for status in VoucherStatus::ALL.iter().filter(|s| **s != VoucherStatus::Available) {
            assert!(!is_spendable(*status, next, day), "{status}");
        }
    }

    #[test]
    fn every_started_hour_costs_a_voucher() {
        assert_eq!(vouchers_for(QuarterHours::from_quarters(1)), 1);
        assert_eq!(vouchers_for(QuarterHours::from_quarters(4)), 1);
        assert_eq!(vouchers_for(QuarterHours::from_quarters(5)), 2);
        assert_eq!(vouchers_for(QuarterHours::from_hours(3)), 3);
    }

    #[test]
    fn a_reservation_takes_all_it_needs_or_nothing() {
        assert_eq!(plan_reservation(&[1, 2, 3], 2), Some(vec![1, 2]));
        assert_eq!(plan_reservation(&[1, 2, 3], 3), Some(vec![1, 2, 3]));
        assert_eq!(plan_reservation(&[1, 2], 3), None);
        assert_eq!(plan_reservation::<i32>(&[], 0), Some(vec![]));
    }

    #[test]
    fn reserved_vouchers_are_redeemed_first_and_the_rest_released() {
        let plan = plan_redemption(&[1, 2, 3], &[10, 11], 2);
        assert_eq!(plan.redeem, vec![1, 2]);
        assert_eq!(plan.release, vec![3]);
        assert_eq!(plan.shortfall, 0);
        let plan = plan_redemption(&[1], &[10, 11], 4);
        assert_eq!(plan.redeem, vec![1, 10, 11]);
        assert!(plan.release.is_empty());
        assert_eq!(plan.shortfall, 1);
    }

    proptest! {
        #[test]
        fn a_redemption_accounts_for_every_voucher_due_and_every_reserved_one(
            reserved in 0usize..12, spendable in 0usize..12, due in 0i64..30,
        ) {
            let reserved: Vec<usize> = (0..reserved).collect();
            let spendable: Vec<usize> = (100..100 + spendable).collect();
            let fetched = &spendable[..spendable.len().min(still_missing(reserved.len(), due) as usize)];
            let plan = plan_redemption(&reserved, fetched, due);
            prop_assert_eq!(plan.redeem.len() as i64 + plan.shortfall, due);
            prop_assert_eq!(plan.redeem.len() + plan.release.len() >= reserved.len(), true);
            for r in &reserved {
                prop_assert!(plan.redeem.contains(r) != plan.release.contains(r), "reserved {} is redeemed or released, once", r);
            }
            let from_spendable = plan.redeem.iter().filter(|v| **v >= 100).count();
            prop_assert!(from_spendable == 0 || plan.release.is_empty(), "spendable ones only when the reserved ones are used up");
            prop_assert_eq!(plan.shortfall > 0, reserved.len() + spendable.len() < due as usize);
        }
    }
}
