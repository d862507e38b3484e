//! SQL functions both backends have, for the query builder.

use diesel::sql_types::Text;

diesel::define_sql_function!(fn lower(x: Text) -> Text);

/// A `LIKE` pattern (escaped with a backslash) that matches any text holding `needle`, lower-cased:
/// compare it with `lower(column)`.
pub fn containing(needle: &str) -> String {
    let escaped: String = needle
        .trim()
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    format!("%{escaped}%")
}
