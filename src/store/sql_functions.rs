//! SQL functions both backends have, for the query builder.

use diesel::sql_types::Text;

diesel::define_sql_function!(fn lower(x: Text) -> Text);
