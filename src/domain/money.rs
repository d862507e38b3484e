//! Money: exact decimals in euros, kept as whole cents in storage.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    pub fn from_cents(cents: i64) -> Money {
        Money(Decimal::new(cents, 2))
    }

    /// Whole cents; refuses fractions of a cent rather than rounding money away.
    pub fn cents(self) -> Result<i64, String> {
        let scaled = self.0 * Decimal::ONE_HUNDRED;
        if scaled.fract() != Decimal::ZERO {
            return Err("must be a whole number of cents".into());
        }
        i64::try_from(scaled).map_err(|_| "is too large".to_owned())
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    /// A positive amount of at most `max` euros, in whole cents.
    pub fn parse_positive(input: &str, max: i64) -> Result<Money, String> {
        let value = Decimal::from_str(input.trim())
            .map_err(|_| format!("must be a decimal amount like \"5.00\", got {input:?}"))?;
        if value <= Decimal::ZERO {
            return Err("must be more than 0.00".into());
        }
        if value > Decimal::from(max) {
            return Err(format!("must be at most {max}.00"));
        }
        let money = Money(value);
        money.cents()?;
        Ok(money)
    }

    pub fn times(self, n: i64) -> Money {
        Money(self.0 * Decimal::from(n))
    }

    pub fn sum(items: impl IntoIterator<Item = Money>) -> Money {
        Money(items.into_iter().map(|m| m.0).sum())
    }
}

impl fmt::Display for Money {
    /// Always two decimals: `5.00`, `5.55`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut value = self.0;
        value.rescale(2);
        write!(f, "{value}")
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        let text = String::deserialize(d)?;
        Decimal::from_str(text.trim())
            .map(Money)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_print_with_two_decimals() {
        assert_eq!(Money::from_cents(500).to_string(), "5.00");
        assert_eq!(Money::from_cents(555).to_string(), "5.55");
        assert_eq!(Money::parse_positive("5.5", 1000).unwrap().to_string(), "5.50");
    }

    #[test]
    fn fractions_of_cents_and_non_positive_amounts_are_refused() {
        assert!(Money::parse_positive("5.555", 1000).is_err());
        assert!(Money::parse_positive("0", 1000).is_err());
        assert!(Money::parse_positive("-1", 1000).is_err());
        assert!(Money::parse_positive("abc", 1000).is_err());
        assert!(Money::parse_positive("1001", 1000).is_err());
    }

    proptest! {
        #[test]
        fn cents_round_trip_exactly(cents in 1i64..10_000_000) {
            let money = Money::from_cents(cents);
            prop_assert_eq!(money.cents().unwrap(), cents);
            prop_assert_eq!(Money::parse_positive(&money.to_string(), 1_000_000).unwrap(), money);
        }

        #[test]
        fn a_batch_sums_exactly(price in 1i64..100_000, count in 1i64..=100) {
            let each = Money::from_cents(price);
            let batch = Money::sum(std::iter::repeat_n(each, count as usize));
            prop_assert_eq!(batch.cents().unwrap(), price * count);
            prop_assert_eq!(batch, each.times(count));
        }
    }
}
