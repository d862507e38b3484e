use serde::Serialize;

use crate::domain::client::Language;

/// A kind of task. Categories are data; six are seeded by migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    pub id: i64,
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
    /// Whether volunteers (tier 1) may do this kind of task.
    pub volunteer_ok: bool,
}

impl Category {
    /// Its name in a language.
    pub fn name(&self, language: Language) -> &str {
        match language {
            Language::Nl => &self.name_nl,
            Language::En => &self.name_en,
        }
    }
}

/// What an admin gives to add a category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCategory {
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
    pub volunteer_ok: bool,
}

/// The rule of [`parse_code`] as a pattern, for the OpenAPI document (each field that
/// takes a code repeats the literal; a test checks them against this).
pub const CODE_PATTERN: &str = "^[a-z][a-z0-9_]{1,39}$";

/// A category code: 2 to 40 lowercase letters, digits or underscores, starting with a letter.
pub fn parse_code(input: &str) -> Result<String, String> {
    let ok = (2..=40).contains(&input.len())
        && input.starts_with(|c: char| c.is_ascii_lowercase())
        && input
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(input.to_owned())
    } else {
        Err(format!(
            "must be 2 to 40 lowercase letters, digits or underscores, got {input:?}"
        ))
    }
}

/// A list of category codes without repeats; whether each exists is checked against the store.
pub fn parse_codes(inputs: &[String]) -> Result<Vec<String>, String> {
    let mut codes: Vec<String> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let code = parse_code(input)?;
        if codes.contains(&code) {
            return Err(format!("lists {code:?} twice"));
        }
        codes.push(code);
    }
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_published_pattern_says_what_parse_code_accepts(input in "[a-z0-9_A-Z -]{0,42}|(?s).{0,3}") {
            let pattern = regex::Regex::new(CODE_PATTERN).unwrap();
            proptest::prop_assert_eq!(parse_code(&input).is_ok(), pattern.is_match(&input), "{:?}", input);
        }
    }

    #[test]
    fn a_list_of_codes_may_not_repeat_one() {
        let codes = ["gardening".to_owned(), "errands".to_owned(), "gardening".to_owned()];
        assert!(parse_codes(&codes).unwrap_err().contains("twice"));
        assert_eq!(parse_codes(&codes[..2]).unwrap(), codes[..2].to_vec());
    }
}
