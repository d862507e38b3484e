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

/// The rule of [`parse_line`] as a pattern: as [`TEXT_PATTERN`], but with no control
/// character at all and no Unicode line or paragraph separator. Names, streets, house
/// numbers, cities and relations publish it.
pub const LINE_PATTERN: &str = r"^[^\u0000-\u001F\u007F-\u009F\u2028\u2029]*[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000][^\u0000-\u001F\u007F-\u009F\u2028\u2029]*$";

fn breaks_a_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Required single-line text (a name, a street, a city) of 1 to `max` characters as
/// sent, returned trimmed: as [`parse_text`], but a line break or tab is refused too,
/// since such text goes into address lines and mail headers.
pub fn parse_line(input: &str, max: usize) -> Result<String, String> {
    if input.chars().any(breaks_a_line) {
        return Err("must be one line, without line breaks, tabs or other control characters".into());
    }
    parse_text(input, max)
}

/// Text made fit for one line, whatever it holds: every line break and control
/// character becomes a space, and runs of spaces one. For text stored before
/// [`parse_line`] was the rule, on its way into a mail header.
pub fn single_line(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if breaks_a_line(c) { ' ' } else { c }).collect();
    spaced
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
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

    #[test]
    fn single_line_text_refuses_every_break() {
        assert_eq!(parse_line(" Jan Jansen ", 20).unwrap(), "Jan Jansen");
        for bad in [
            "Jan\nJansen",
            "Jan\r\nJansen",
            "Jan\tJansen",
            "Jan\u{2028}Jansen",
            "Jan\u{85}Jansen",
            "",
        ] {
            assert!(parse_line(bad, 20).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn any_text_can_be_made_one_line() {
        assert_eq!(single_line("Jan Jansen\nvan der Berg"), "Jan Jansen van der Berg");
        assert_eq!(single_line(" a\r\n\t b\u{2029}c\u{0} "), "a b c");
    }

    proptest::proptest! {
        /// The published pattern and maxLength accept exactly what `parse_line` accepts.
        #[test]
        fn the_published_pattern_says_what_parse_line_accepts(input in "(?s).{0,12}|[\t\n\r \u{85}\u{a0}\u{2028}\u{3000}a\u{0}\u{7f}\u{9f}]{0,6}") {
            let pattern = regex::Regex::new(LINE_PATTERN).unwrap();
            let published = input.chars().count() >= 1 && input.chars().count() <= 10 && pattern.is_match(&input);
            proptest::prop_assert_eq!(parse_line(&input, 10).is_ok(), published, "{:?}", input);
        }

        #[test]
        fn one_line_text_has_no_break(input in "(?s).{0,20}") {
            proptest::prop_assert!(!single_line(&input).chars().any(breaks_a_line));
        }
    }
}
