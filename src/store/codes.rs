//! Short lists of codes kept in one text column, with a comma on each side of every
//! code (`,gardening,errands,`), so that `LIKE '%,gardening,%'` finds exactly one code.

pub fn join<S: AsRef<str>>(items: &[S]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let inner: Vec<&str> = items.iter().map(|s| s.as_ref()).collect();
    format!(",{},", inner.join(","))
}

pub fn split(stored: &str) -> Vec<String> {
    stored.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// The `LIKE` pattern of lists holding `code`, for use with `.escape(LIKE_ESCAPE)`: a code
/// may hold `_`, which `LIKE` would otherwise take for any character (`odd_jobs` would
/// find `oddxjobs`).
pub fn containing(code: &str) -> String {
    let escaped = code.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%,{escaped},%")
}

/// The escape character of [`containing`]'s patterns. SQLite has none by default, so
/// every use states it.
pub const LIKE_ESCAPE: char = '\\';

/// Parses each stored code with `parse`; a bad stored value is a fault, not bad input.
pub fn split_parsed<T>(
    stored: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Vec<T>, crate::error::AppError> {
    stored
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| parse(s).map_err(|e| crate::error::AppError::internal(format!("stored code: {e}"))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_round_trip_with_commas_around_each_code() {
        assert_eq!(join(&["gardening", "errands"]), ",gardening,errands,");
        assert_eq!(split(",gardening,errands,"), ["gardening", "errands"]);
        assert_eq!(join::<&str>(&[]), "");
        assert!(split("").is_empty());
        assert_eq!(containing("odd_jobs"), "%,odd\\_jobs,%");
    }
}
