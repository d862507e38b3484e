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
