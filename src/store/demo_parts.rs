use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::schema::demo_parts;
use crate::store::time::to_db;

pub fn is_loaded(conn: &mut DbConnection, name: &str) -> AppResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(demo_parts::table.filter(demo_parts::name.eq(name)))).get_result(conn)?)
}

pub fn mark_loaded(conn: &mut DbConnection, name: &str, at: DateTime<Utc>) -> AppResult<()> {
    diesel::insert_into(demo_parts::table)
        .values((demo_parts::name.eq(name), demo_parts::loaded_at.eq(to_db(at))))
        .execute(conn)?;
    Ok(())
}
