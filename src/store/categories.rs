use diesel::prelude::*;

use crate::domain::category::{Category, NewCategory};
use crate::domain::page::{Page, PageRequest};
use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::paging::page_by_id;
use crate::store::schema::categories;

pub(super) type Row = (i64, String, String, String, bool);

pub(super) fn into_domain((id, code, name_nl, name_en, volunteer_ok): Row) -> Category {
    Category {
        id,
        code,
        name_nl,
        name_en,
        volunteer_ok,
    }
}

pub(super) const COLUMNS: (
    categories::id,
    categories::code,
    categories::name_nl,
    categories::name_en,
    categories::volunteer_ok,
) = (
    categories::id,
    categories::code,
    categories::name_nl,
    categories::name_en,
    categories::volunteer_ok,
);

pub fn list(conn: &mut DbConnection, page: &PageRequest<()>) -> AppResult<Page<Category, ()>> {
    let query = categories::table.select(COLUMNS).into_boxed();
    let rows: Vec<Row> = page_by_id!(query, categories::id, page).load(conn)?;
    Ok(Page::assemble(rows, page, |r| ((), r.0)).map(into_domain))
}

/// The categories with these codes (a report names the few its month used).
pub fn with_codes(conn: &mut DbConnection, codes: &[String]) -> AppResult<Vec<Category>> {
    let rows: Vec<Row> = categories::table
        .filter(categories::code.eq_any(codes))
        .select(COLUMNS)
        .load(conn)?;
    Ok(rows.into_iter().map(into_domain).collect())
}

pub fn find(conn: &mut DbConnection, code: &str) -> AppResult<Option<Category>> {
    let row: Option<Row> = categories::table
        .filter(categories::code.eq(code))
        .select(COLUMNS)
        .first(conn)
        .optional()?;
    Ok(row.map(into_domain))
}

pub fn insert(conn: &mut DbConnection, category: &NewCategory) -> AppResult<i64> {
    Ok(diesel::insert_into(categories::table)
        .values((
            categories::code.eq(&category.code),
            categories::name_nl.eq(&category.name_nl),
            categories::name_en.eq(&category.name_en),
            categories::volunteer_ok.eq(category.volunteer_ok),
        ))
        .returning(categories::id)
        .get_result(conn)?)
}

/// The codes among `codes` that are not categories.
pub fn unknown(conn: &mut DbConnection, codes: &[String]) -> AppResult<Vec<String>> {
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let known: Vec<String> = categories::table
        .filter(categories::code.eq_any(codes))
        .select(categories::code)
        .load(conn)?;
    Ok(codes.iter().filter(|c| !known.contains(c)).cloned().collect())
}
