use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::schema::municipalities;
use crate::store::sql_functions::lower;
use crate::store::time::to_db;

/// Looks a municipality up by name, ignoring case ("waalre" finds "Waalre").
pub fn find_id_by_name(conn: &mut DbConnection, name: &str) -> AppResult<Option<i64>> {
    Ok(municipalities::table
        .filter(lower(municipalities::name).eq(name.trim().to_lowercase()))
        .select(municipalities::id)
        .first(conn)
        .optional()?)
}

pub fn insert_named(conn: &mut DbConnection, name: &str, now: DateTime<Utc>) -> AppResult<i64> {
    Ok(diesel::insert_into(municipalities::table)
        .values((
            municipalities::name.eq(name),
            municipalities::created_at.eq(to_db(now)),
            municipalities::updated_at.eq(to_db(now)),
        ))
        .returning(municipalities::id)
        .get_result(conn)?)
}
