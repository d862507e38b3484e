//! Service vouchers (dienstencheques): one hour of woonservice work each.

use chrono::{DateTime, Months, NaiveDate, Utc};

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
}
