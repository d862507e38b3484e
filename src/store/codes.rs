//! Short lists of codes kept in one text column (`gardening,errands`). They are read
//! with their row and filtered in memory after an indexed query has narrowed the rows.

pub fn join<S: AsRef<str>>(items: &[S]) -> String {
    items.iter().map(|s| s.as_ref()).collect::<Vec<_>>().join(",")
}

pub fn split(stored: &str) -> Vec<String> {
    stored.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Parses each stored code with `parse`; a bad stored value is a fault, not bad input.
pub fn split_parsed<T>(
    stored: &str,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Vec<T>, crate::error::AppError> {
    stored
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| parse(s).map_err(|e| crate::error::AppError::Internal(format!("stored code: {e}"))))
        .collect()
}
