use std::fmt;

/// A Dutch postcode, normalised to `1234 AB`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Postcode(String);

impl Postcode {
    pub fn parse(input: &str) -> Result<Postcode, String> {
        let compact: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let error = || format!("must be a Dutch postcode like 5582 AB, got {input:?}");
        if compact.len() != 6 || input.trim().len() > 7 {
            return Err(error());
        }
        let (digits, letters) = compact.split_at(4);
        let digits_ok = digits.chars().all(|c| c.is_ascii_digit()) && !digits.starts_with('0');
        let letters_ok = letters.chars().all(|c| c.is_ascii_uppercase());
        // SA, SD and SS are not issued.
        if !digits_ok || !letters_ok || ["SA", "SD", "SS"].contains(&letters) {
            return Err(error());
        }
        Ok(Postcode(format!("{digits} {letters}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_normalised_with_one_space_and_capitals() {
        assert_eq!(Postcode::parse("5582ab").unwrap().as_str(), "5582 AB");
        assert_eq!(Postcode::parse(" 5552 JK ").unwrap().as_str(), "5552 JK");
    }

    #[test]
    fn malformed_postcodes_are_refused() {
        for bad in [
            "",
            "558 AB",
            "05582 AB",
            "0582 AB",
            "5582 A",
            "5582 A1",
            "5582 SS",
            "ABCD EF",
            "5582  AB X",
        ] {
            assert!(Postcode::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
