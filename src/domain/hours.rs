use std::fmt;

use serde::{Serialize, Serializer};

/// A duration in whole quarter hours (`2.25` hours is 9 quarters). JSON carries hours
/// as a number; multiples of 0.25 are exact in binary floating point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct QuarterHours(i32);

impl QuarterHours {
    pub const ZERO: QuarterHours = QuarterHours(0);

    pub fn from_quarters(quarters: i32) -> QuarterHours {
        QuarterHours(quarters)
    }

    pub fn from_hours(hours: i32) -> QuarterHours {
        QuarterHours(hours * 4)
    }

    /// Hours as given in a body, between `min` and `max` quarters inclusive.
    pub fn parse(hours: f64, min: i32, max: i32) -> Result<QuarterHours, String> {
        let quarters = hours * 4.0;
        if !quarters.is_finite() || quarters.fract() != 0.0 {
            return Err(format!("must be a multiple of 0.25 hours, got {hours}"));
        }
        if quarters < f64::from(min) || quarters > f64::from(max) {
            return Err(format!(
                "must be between {} and {} hours",
                min as f64 / 4.0,
                max as f64 / 4.0
            ));
        }
        Ok(QuarterHours(quarters as i32))
    }

    pub fn quarters(self) -> i32 {
        self.0
    }

    pub fn hours(self) -> f64 {
        f64::from(self.0) / 4.0
    }

    /// Started hours, as vouchers count them: 2.25 hours is 3 vouchers.
    pub fn started_hours(self) -> i32 {
        (self.0 + 3) / 4
    }

    /// As a reader writes them: `2,5` in Dutch, `2.5` in English.
    pub fn written_in(self, language: crate::domain::client::Language) -> String {
        match language {
            crate::domain::client::Language::Nl => self.to_string().replace('.', ","),
            crate::domain::client::Language::En => self.to_string(),
        }
    }
}

impl std::ops::Add for QuarterHours {
    type Output = QuarterHours;
    fn add(self, rhs: QuarterHours) -> QuarterHours {
        QuarterHours(self.0 + rhs.0)
    }
}

impl std::ops::Sub for QuarterHours {
    type Output = QuarterHours;
    fn sub(self, rhs: QuarterHours) -> QuarterHours {
        QuarterHours(self.0 - rhs.0)
    }
}

impl std::iter::Sum for QuarterHours {
    fn sum<I: Iterator<Item = QuarterHours>>(iter: I) -> QuarterHours {
        QuarterHours(iter.map(|q| q.0).sum())
    }
}

impl fmt::Display for QuarterHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.hours())
    }
}

impl Serialize for QuarterHours {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.hours())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_hours_parse_and_count_started_hours() {
        let q = QuarterHours::parse(2.25, 1, 32).unwrap();
        assert_eq!(q.quarters(), 9);
        assert_eq!(q.started_hours(), 3);
        assert_eq!(QuarterHours::parse(2.0, 1, 32).unwrap().started_hours(), 2);
        assert_eq!(q.hours(), 2.25);
    }

    #[test]
    fn other_fractions_and_out_of_range_hours_are_refused() {
        assert!(QuarterHours::parse(2.1, 1, 32).is_err());
        assert!(QuarterHours::parse(0.0, 1, 32).is_err());
        assert!(QuarterHours::parse(8.25, 1, 32).is_err());
        assert!(QuarterHours::parse(f64::NAN, 1, 32).is_err());
    }
}
