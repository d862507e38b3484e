//! Small text values of people and addresses.

/// A phone number as people write it (`040 - 123 45 67`, `+31 6 12345678`): kept as
/// typed, but it must hold 8 to 15 digits and nothing but digits and separators.
pub fn parse_phone(input: &str) -> Result<String, String> {
    let trimmed = input.trim();
    let digits = trimmed.chars().filter(|c| c.is_ascii_digit()).count();
    let allowed = trimmed
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || " -()".contains(c) || (c == '+' && i == 0));
    if !allowed || !(8..=15).contains(&digits) {
        return Err("must be a phone number of 8 to 15 digits, like 040 123 45 67".into());
    }
    Ok(trimmed.to_owned())
}

/// Required text, trimmed, of 1 to `max` characters.
pub fn parse_text(input: &str, max: usize) -> Result<String, String> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err("must not be empty".into());
    }
    if trimmed.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n') {
        return Err("must not contain control characters".into());
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_phone_numbers_are_accepted_as_typed() {
        assert_eq!(parse_phone(" 040 - 123 45 67 ").unwrap(), "040 - 123 45 67");
        assert!(parse_phone("+31 6 12345678").is_ok());
        assert!(parse_phone("(040) 1234567").is_ok());
    }

    #[test]
    fn phone_numbers_with_letters_or_too_few_digits_are_refused() {
        for bad in ["", "12345", "040-CALL-NOW", "06+12345678", "1234567890123456"] {
            assert!(parse_phone(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(parse_text("  Jan  ", 10).unwrap(), "Jan");
        assert!(parse_text("   ", 10).is_err());
        assert!(parse_text("abcdefghijk", 10).is_err());
        assert!(parse_text("a\u{0}b", 10).is_err());
    }
}
