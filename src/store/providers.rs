use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::Email;
use crate::domain::page::{Page, PageRequest};
use crate::domain::provider::{Provider, ProviderFields, ProviderFilter, ProviderKind};
use crate::error::{AppError, AppResult};
use crate::store::DbConnection;
use crate::store::codes;
use crate::store::paging::page_by_id;
use crate::store::per_backend::on_inner;
use crate::store::schema::{provider_municipalities, providers};
use crate::store::sql_functions::{containing, lower};
use crate::store::time::{from_db, to_db};

#[derive(Queryable, Selectable)]
#[diesel(table_name = providers)]
struct Row {
    id: i64,
    kind: ProviderKind,
    name: String,
    categories: String,
    email: Option<String>,
    phone: Option<String>,
    active: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = providers, treat_none_as_null = true)]
struct Write<'a> {
    kind: ProviderKind,
    name: &'a str,
    categories: String,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    active: bool,
    updated_at: NaiveDateTime,
}

fn internal(e: String) -> AppError {
    AppError::internal(format!("stored provider: {e}"))
}

impl Row {
    fn into_domain(self, municipality_ids: Vec<i64>) -> AppResult<Provider> {
        Ok(Provider {
            id: self.id,
            fields: ProviderFields {
                kind: self.kind,
                name: self.name,
                categories: codes::split(&self.categories),
                municipality_ids,
                email: self.email.map(|e| Email::parse(&e)).transpose().map_err(internal)?,
                phone: self.phone,
                active: self.active,
            },
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        })
    }
}

fn write(fields: &ProviderFields, now: DateTime<Utc>) -> Write<'_> {
    Write {
        kind: fields.kind,
        name: &fields.name,
        categories: codes::join(&fields.categories),
        email: fields.email.as_ref().map(|e| e.as_str()),
        phone: fields.phone.as_deref(),
        active: fields.active,
        updated_at: to_db(now),
    }
}

fn set_municipalities(conn: &mut DbConnection, id: i64, municipality_ids: &[i64]) -> AppResult<()> {
    diesel::delete(provider_municipalities::table.filter(provider_municipalities::provider_id.eq(id))).execute(conn)?;
    let rows: Vec<_> = municipality_ids
        .iter()
        .map(|m| {
            (
                provider_municipalities::provider_id.eq(id),
                provider_municipalities::municipality_id.eq(*m),
            )
        })
        .collect();
    let insert = diesel::insert_into(provider_municipalities::table).values(rows);
    on_inner!(conn, |c| insert.execute(c))?;
    Ok(())
}

pub fn insert(conn: &mut DbConnection, fields: &ProviderFields, now: DateTime<Utc>) -> AppResult<i64> {
    let id = diesel::insert_into(providers::table)
        .values((write(fields, now), providers::created_at.eq(to_db(now))))
        .returning(providers::id)
        .get_result(conn)?;
    set_municipalities(conn, id, &fields.municipality_ids)?;
    Ok(id)
}

pub fn update(conn: &mut DbConnection, id: i64, fields: &ProviderFields, now: DateTime<Utc>) -> AppResult<()> {
    diesel::update(providers::table.find(id))
        .set(write(fields, now))
        .execute(conn)?;
    set_municipalities(conn, id, &fields.municipality_ids)
}

fn with_municipalities(conn: &mut DbConnection, rows: Vec<Row>) -> AppResult<Vec<Provider>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let links: Vec<(i64, i64)> = provider_municipalities::table
        .filter(provider_municipalities::provider_id.eq_any(&ids))
        .select((
            provider_municipalities::provider_id,
            provider_municipalities::municipality_id,
        ))
        .order((
            provider_municipalities::provider_id,
            provider_municipalities::municipality_id,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|row| {
            let scope = links.iter().filter(|(p, _)| *p == row.id).map(|(_, m)| *m).collect();
            row.into_domain(scope)
        })
        .collect()
}

pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Provider>> {
    let rows: Vec<(Row, Option<i64>)> = providers::table
        .left_join(provider_municipalities::table)
        .filter(providers::id.eq(id))
        .select((Row::as_select(), provider_municipalities::municipality_id.nullable()))
        .order(provider_municipalities::municipality_id)
        .load(conn)?;
    let mut rows = rows.into_iter();
    let Some((row, first)) = rows.next() else {
        return Ok(None);
    };
    let scope = first.into_iter().chain(rows.filter_map(|(_, m)| m)).collect();
    row.into_domain(scope).map(Some)
}

/// Providers serving at least one municipality of `scope` (`None`: all).
pub fn list(
    conn: &mut DbConnection,
    scope: Option<&[i64]>,
    filter: &ProviderFilter,
    page: &PageRequest<()>,
) -> AppResult<Page<Provider, ()>> {
    let mut query = providers::table.select(Row::as_select()).into_boxed();
    if let Some(scope) = scope {
        query = query.filter(
            providers::id.eq_any(
                provider_municipalities::table
                    .filter(provider_municipalities::municipality_id.eq_any(scope))
                    .select(provider_municipalities::provider_id),
            ),
        );
    }
    if let Some(m) = filter.municipality_id {
        query = query.filter(
            providers::id.eq_any(
                provider_municipalities::table
                    .filter(provider_municipalities::municipality_id.eq(m))
                    .select(provider_municipalities::provider_id),
            ),
        );
    }
    if let Some(kind) = filter.kind {
        query = query.filter(providers::kind.eq(kind));
    }
    if let Some(name) = &filter.name {
        query = query.filter(lower(providers::name).like(containing(name)).escape('\\'));
    }
    let rows: Vec<Row> = page_by_id!(query, providers::id, page).load(conn)?;
    let page = Page::assemble(rows, page, |r| ((), r.id));
    let items = with_municipalities(conn, page.items)?;
    Ok(Page {
        items,
        next: page.next,
        prev: page.prev,
    })
}

/// Active providers of a kind serving a municipality that offer a category, as (id, name).
pub fn serving(
    conn: &mut DbConnection,
    municipality_id: i64,
    kind: ProviderKind,
    category: &str,
) -> AppResult<Vec<(i64, String)>> {
    let rows: Vec<(i64, String, String)> = providers::table
        .inner_join(provider_municipalities::table)
        .filter(provider_municipalities::municipality_id.eq(municipality_id))
        .filter(providers::kind.eq(kind))
        .filter(providers::active.eq(true))
        .select((providers::id, providers::name, providers::categories))
        .order(providers::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|(_, _, categories)| codes::split(categories).iter().any(|c| c == category))
        .map(|(id, name, _)| (id, name))
        .collect())
}
