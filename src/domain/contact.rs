//! Small text values of people and addresses.

/// A phone number as people write it (`040 - 123 45 67`, `+31 6 12345678`): kept as
/// typed less the spaces around it, but it must hold 8 to 15 digits and nothing but
/// digits, spaces, `-`, `(` and `)`, with a `+` only in front.
pub fn parse_phone(input: &str) -> Result<String, String> {
    let trimmed = input.trim_matches(' ');
    let digits = trimmed.chars().filter(|c| c.is_ascii_digit()).count();
    let allowed = trimmed
        .char_indices()
        .all(|(i, c)| c.is_ascii_digit() || " -()".contains(c) || (c == '+' && i == 0));
    if !allowed || !(8..=15).contains(&digits) {
        return Err("must be a phone number of 8 to 15 digits, like 040 123 45 67".into());
    }
    Ok(trimmed.to_owned())
}

/// The rule of [`parse_phone`] as a pattern, for the OpenAPI document (repeated as a
/// literal on each phone field; a test checks them against this).
pub const PHONE_PATTERN: &str = r"^ *\+?[ ()-]*(?:[0-9][ ()-]*){8,15}$";

/// The rule of [`parse_text`] as an ECMA-262 pattern, for the OpenAPI document: no
/// control characters but tab, line feed and carriage return, and at least one
/// character that is not white space (Rust's `char::is_whitespace`, which is what
/// `trim` removes). `utoipa` takes only a literal in `#[schema(pattern = ...)]`, so each
/// free-text field repeats it; a test checks that every one is this string.
pub const TEXT_PATTERN: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

/// Required text of 1 to `max` characters as sent, returned trimmed. The length and the
/// characters are checked on what was sent, not on the trimmed text, so that the
/// OpenAPI document's `maxLength` and [`TEXT_PATTERN`] say exactly what is accepted.
pub fn parse_text(input: &str, max: usize) -> Result<String, String> {
    if input.chars().count() > max {
        return Err(format!("must be at most {max} characters"));
    }
    if input
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err("must not contain control characters other than tab and line breaks".into());
    }
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err("must not be empty".into());
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

    proptest::proptest! {
        #[test]
        fn the_published_pattern_says_what_parse_phone_accepts(input in "[0-9 ()+\t-]{0,20}|[0-9]{6,16}|(?s).{0,4}") {
            let pattern = regex::Regex::new(PHONE_PATTERN).unwrap();
            proptest::prop_assert_eq!(parse_phone(&input).is_ok(), pattern.is_match(&input), "{:?}", input);
        }
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(parse_text("  Jan  ", 10).unwrap(), "Jan");
        assert!(parse_text("   ", 10).is_err());
        assert!(parse_text("abcdefghijk", 10).is_err());
        assert!(parse_text("a\u{0}b", 10).is_err());
        assert!(
            parse_text(" abcdefghij", 10).is_err(),
            "the length counts what was sent"
        );
        assert_eq!(parse_text("regel 1\r\n\tregel 2", 20).unwrap(), "regel 1\r\n\tregel 2");
        assert!(parse_text("\u{a0}\u{3000}\n", 10).is_err(), "white space only");
    }

    proptest::proptest! {
        /// The published pattern and maxLength accept exactly what `parse_text` accepts.
        #[test]
        fn the_published_pattern_says_what_parse_text_accepts(input in "(?s).{0,12}|[\t\n\r \u{85}\u{a0}\u{2000}\u{3000}a\u{0}\u{7f}\u{9f}]{0,6}") {
            let pattern = regex::Regex::new(TEXT_PATTERN).unwrap();
            let published = input.chars().count() >= 1 && input.chars().count() <= 10 && pattern.is_match(&input);
            proptest::prop_assert_eq!(parse_text(&input, 10).is_ok(), published, "{:?}", input);
        }
    }
}
