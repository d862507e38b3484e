use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::money::Money;
use crate::domain::municipality::{Municipality, MunicipalityFields};
use crate::domain::page::{Page, PageRequest};
use crate::error::AppResult;
use crate::store::DbConnection;
use crate::store::paging::page_by_id;
use crate::store::per_backend::on_inner;
use crate::store::schema::{municipalities, municipality_categories};
use crate::store::sql_functions::lower;
use crate::store::time::{from_db, to_db};

#[derive(Queryable, Selectable)]
#[diesel(table_name = municipalities)]
struct Row {
    id: i64,
    name: String,
    voucher_price_cents: i64,
    voucher_validity_months: i32,
    yearly_voucher_cap: Option<i32>,
    referral_response_hours: i32,
    sign_off_days: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl Row {
    fn into_domain(self, categories: Vec<String>) -> Municipality {
        Municipality {
            id: self.id,
            fields: MunicipalityFields {
                name: self.name,
                voucher_price: Money::from_cents(self.voucher_price_cents),
                voucher_validity_months: self.voucher_validity_months,
                yearly_voucher_cap: self.yearly_voucher_cap,
                woonservice_categories: categories,
                referral_response_hours: self.referral_response_hours,
                sign_off_days: self.sign_off_days,
            },
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        }
    }
}

/// Looks a municipality up by name, ignoring case ("waalre" finds "Waalre").
pub fn find_id_by_name(conn: &mut DbConnection, name: &str) -> AppResult<Option<i64>> {
    Ok(municipalities::table
        .filter(lower(municipalities::name).eq(name.trim().to_lowercase()))
        .select(municipalities::id)
        .first(conn)
        .optional()?)
}

/// A municipality with default settings (demo data and tests).
pub fn insert_named(conn: &mut DbConnection, name: &str, now: DateTime<Utc>) -> AppResult<i64> {
    let fields = MunicipalityFields {
        name: name.to_owned(),
        voucher_price: MunicipalityFields::default_price(),
        voucher_validity_months: MunicipalityFields::DEFAULT_VALIDITY_MONTHS,
        yearly_voucher_cap: None,
        woonservice_categories: Vec::new(),
        referral_response_hours: MunicipalityFields::DEFAULT_REFERRAL_RESPONSE_HOURS,
        sign_off_days: MunicipalityFields::DEFAULT_SIGN_OFF_DAYS,
    };
    insert(conn, &fields, now)
}

pub fn insert(conn: &mut DbConnection, fields: &MunicipalityFields, now: DateTime<Utc>) -> AppResult<i64> {
    let cents = fields.voucher_price.cents().map_err(crate::error::AppError::internal)?;
    let id = diesel::insert_into(municipalities::table)
        .values((
            municipalities::name.eq(&fields.name),
            municipalities::voucher_price_cents.eq(cents),
            municipalities::voucher_validity_months.eq(fields.voucher_validity_months),
            municipalities::yearly_voucher_cap.eq(fields.yearly_voucher_cap),
            municipalities::referral_response_hours.eq(fields.referral_response_hours),
            municipalities::sign_off_days.eq(fields.sign_off_days),
            municipalities::created_at.eq(to_db(now)),
            municipalities::updated_at.eq(to_db(now)),
        ))
        .returning(municipalities::id)
        .get_result(conn)?;
    set_categories(conn, id, &fields.woonservice_categories)?;
    Ok(id)
}

pub fn update(conn: &mut DbConnection, id: i64, fields: &MunicipalityFields, now: DateTime<Utc>) -> AppResult<()> {
    let cents = fields.voucher_price.cents().map_err(crate::error::AppError::internal)?;
    diesel::update(municipalities::table.find(id))
        .set((
            municipalities::name.eq(&fields.name),
            municipalities::voucher_price_cents.eq(cents),
            municipalities::voucher_validity_months.eq(fields.voucher_validity_months),
            municipalities::yearly_voucher_cap.eq(fields.yearly_voucher_cap),
            municipalities::referral_response_hours.eq(fields.referral_response_hours),
            municipalities::sign_off_days.eq(fields.sign_off_days),
            municipalities::updated_at.eq(to_db(now)),
        ))
        .execute(conn)?;
    set_categories(conn, id, &fields.woonservice_categories)
}

fn set_categories(conn: &mut DbConnection, id: i64, codes: &[String]) -> AppResult<()> {
    diesel::delete(municipality_categories::table.filter(municipality_categories::municipality_id.eq(id)))
        .execute(conn)?;
    if !codes.is_empty() {
        let rows: Vec<_> = codes
            .iter()
            .map(|c| {
                (
                    municipality_categories::municipality_id.eq(id),
                    municipality_categories::category_code.eq(c),
                )
            })
            .collect();
        let insert = diesel::insert_into(municipality_categories::table).values(rows);
        on_inner!(conn, |c| insert.execute(c))?;
    }
    Ok(())
}

fn with_categories(conn: &mut DbConnection, rows: Vec<Row>) -> AppResult<Vec<Municipality>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let links: Vec<(i64, String)> = municipality_categories::table
        .filter(municipality_categories::municipality_id.eq_any(&ids))
        .select((
            municipality_categories::municipality_id,
            municipality_categories::category_code,
        ))
        .order((
            municipality_categories::municipality_id,
            municipality_categories::category_code,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let codes = links
                .iter()
                .filter(|(m, _)| *m == row.id)
                .map(|(_, c)| c.clone())
                .collect();
            row.into_domain(codes)
        })
        .collect())
}

pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Municipality>> {
    let rows: Vec<(Row, Option<String>)> = municipalities::table
        .left_join(municipality_categories::table)
        .filter(municipalities::id.eq(id))
        .select((Row::as_select(), municipality_categories::category_code.nullable()))
        .order(municipality_categories::category_code)
        .load(conn)?;
    let mut rows = rows.into_iter();
    let Some((row, first)) = rows.next() else {
        return Ok(None);
    };
    let codes = first.into_iter().chain(rows.filter_map(|(_, c)| c)).collect();
    Ok(Some(row.into_domain(codes)))
}

/// Municipalities visible in `scope` (`None`: all), a page at a time.
pub fn list(
    conn: &mut DbConnection,
    scope: Option<&[i64]>,
    page: &PageRequest<()>,
) -> AppResult<Page<Municipality, ()>> {
    let mut query = municipalities::table.select(Row::as_select()).into_boxed();
    if let Some(scope) = scope {
        query = query.filter(municipalities::id.eq_any(scope));
    }
    let rows: Vec<Row> = page_by_id!(query, municipalities::id, page).load(conn)?;
    let rows = Page::assemble(rows, page, |r| ((), r.id));
    let items = with_categories(conn, rows.items)?;
    Ok(Page {
        items,
        next: rows.next,
        prev: rows.prev,
    })
}

pub fn exists(conn: &mut DbConnection, id: i64) -> AppResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(municipalities::table.find(id))).get_result(conn)?)
}

/// Whether the woonservice project of a municipality offers a category.
pub fn offers(conn: &mut DbConnection, municipality_id: i64, category: &str) -> AppResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        municipality_categories::table
            .filter(municipality_categories::municipality_id.eq(municipality_id))
            .filter(municipality_categories::category_code.eq(category)),
    ))
    .get_result(conn)?)
}

/// The hours a provider has to answer a referral in this municipality.
pub fn referral_response_hours(conn: &mut DbConnection, id: i64) -> AppResult<Option<i32>> {
    Ok(municipalities::table
        .find(id)
        .select(municipalities::referral_response_hours)
        .first(conn)
        .optional()?)
}

/// Days a client has to sign off a visit's hours in this municipality.
pub fn sign_off_days(conn: &mut DbConnection, id: i64) -> AppResult<Option<i32>> {
    Ok(municipalities::table
        .find(id)
        .select(municipalities::sign_off_days)
        .first(conn)
        .optional()?)
}

/// The ids and names of the municipalities in `scope` (`None`: all), by name.
pub fn names(conn: &mut DbConnection, scope: Option<&[i64]>) -> AppResult<Vec<(i64, String)>> {
    let mut query = municipalities::table
        .select((municipalities::id, municipalities::name))
        .order(municipalities::name.asc())
        .into_boxed();
    if let Some(scope) = scope {
        query = query.filter(municipalities::id.eq_any(scope));
    }
    Ok(query.load(conn)?)
}
