use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::Email;
use crate::domain::client::{Address, Client, ClientFields, Coordinates, Representative};
use crate::domain::client::{Language, TargetGroup};
use crate::domain::page::{Page, PageRequest};
use crate::domain::postcode::Postcode;
use crate::error::{AppError, AppResult};
use crate::store::DbConnection;
use crate::store::codes;
use crate::store::paging::{self, page_by_id, within_scope};
use crate::store::schema::clients;
use crate::store::time::{from_db, to_db};

#[derive(Queryable, Selectable)]
#[diesel(table_name = clients)]
pub(super) struct Row {
    id: i64,
    municipality_id: i64,
    name: String,
    street: String,
    house_number: String,
    postcode: String,
    city: String,
    target_groups: String,
    email: Option<String>,
    phone: Option<String>,
    preferred_language: Language,
    representative_name: Option<String>,
    representative_relation: Option<String>,
    representative_email: Option<String>,
    representative_phone: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = clients, treat_none_as_null = true)]
struct Write<'a> {
    municipality_id: i64,
    name: &'a str,
    street: &'a str,
    house_number: &'a str,
    postcode: &'a str,
    city: &'a str,
    target_groups: String,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    preferred_language: Language,
    representative_name: Option<&'a str>,
    representative_relation: Option<&'a str>,
    representative_email: Option<&'a str>,
    representative_phone: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    updated_at: NaiveDateTime,
}

fn stored_email(value: Option<String>) -> AppResult<Option<Email>> {
    value
        .map(|e| Email::parse(&e).map_err(|m| AppError::internal(format!("stored email: {m}"))))
        .transpose()
}

impl Row {
    pub(super) fn into_domain(self) -> AppResult<Client> {
        let representative = match (self.representative_name, self.representative_relation) {
            (Some(name), Some(relation)) => Some(Representative {
                name,
                relation,
                email: stored_email(self.representative_email)?,
                phone: self.representative_phone,
            }),
            _ => None,
        };
        Ok(Client {
            id: self.id,
            fields: ClientFields {
                municipality_id: self.municipality_id,
                name: self.name,
                address: Address {
                    street: self.street,
                    house_number: self.house_number,
                    postcode: Postcode::parse(&self.postcode).map_err(AppError::internal)?,
                    city: self.city,
                },
                target_groups: codes::split_parsed(&self.target_groups, str::parse::<TargetGroup>)?,
                email: stored_email(self.email)?,
                phone: self.phone,
                preferred_language: self.preferred_language,
                representative,
                coordinates: match (self.lat, self.lon) {
                    (Some(lat), Some(lon)) => Some(Coordinates { lat, lon }),
                    _ => None,
                },
            },
            created_at: from_db(self.created_at),
            updated_at: from_db(self.updated_at),
        })
    }
}

fn write(fields: &ClientFields, now: DateTime<Utc>) -> Write<'_> {
    let rep = fields.representative.as_ref();
    let groups: Vec<&str> = fields.target_groups.iter().map(|g| g.as_str()).collect();
    Write {
        municipality_id: fields.municipality_id,
        name: &fields.name,
        street: &fields.address.street,
        house_number: &fields.address.house_number,
        postcode: fields.address.postcode.as_str(),
        city: &fields.address.city,
        target_groups: codes::join(&groups),
        email: fields.email.as_ref().map(|e| e.as_str()),
        phone: fields.phone.as_deref(),
        preferred_language: fields.preferred_language,
        representative_name: rep.map(|r| r.name.as_str()),
        representative_relation: rep.map(|r| r.relation.as_str()),
        representative_email: rep.and_then(|r| r.email.as_ref()).map(|e| e.as_str()),
        representative_phone: rep.and_then(|r| r.phone.as_deref()),
        lat: fields.coordinates.map(|c| c.lat),
        lon: fields.coordinates.map(|c| c.lon),
        updated_at: to_db(now),
    }
}

pub fn insert(conn: &mut DbConnection, fields: &ClientFields, now: DateTime<Utc>) -> AppResult<i64> {
    Ok(diesel::insert_into(clients::table)
        .values((write(fields, now), clients::created_at.eq(to_db(now))))
        .returning(clients::id)
        .get_result(conn)?)
}

pub fn update(conn: &mut DbConnection, id: i64, fields: &ClientFields, now: DateTime<Utc>) -> AppResult<()> {
    diesel::update(clients::table.find(id))
        .set(write(fields, now))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Client>> {
    let row: Option<Row> = clients::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    row.map(Row::into_domain).transpose()
}

/// The municipality of a client, for scope checks that need nothing else.
pub fn municipality_of(conn: &mut DbConnection, id: i64) -> AppResult<Option<i64>> {
    Ok(clients::table
        .find(id)
        .select(clients::municipality_id)
        .first(conn)
        .optional()?)
}

pub fn list(
    conn: &mut DbConnection,
    scope: Option<&[i64]>,
    municipality_id: Option<i64>,
    page: &PageRequest<()>,
) -> AppResult<Page<Client, ()>> {
    let mut query = clients::table.select(Row::as_select()).into_boxed();
    if let Some(scope) = scope {
        query = within_scope!(query, clients::municipality_id, scope);
    }
    if let Some(m) = municipality_id {
        query = query.filter(clients::municipality_id.eq(m));
    }
    let rows: Vec<Row> = page_by_id!(query, clients::id, page).load(conn)?;
    paging::assemble(rows, page, |r| r.id, Row::into_domain)
}

/// Clients in `scope` whose name holds `text`, whose postcode is it, or whose phone
/// (or representative's phone) has its digits in order, by name. Spaces and dashes in
/// a stored phone number do not matter: the pattern allows anything between digits.
pub fn search(conn: &mut DbConnection, scope: Option<&[i64]>, text: &str, limit: i64) -> AppResult<Vec<Client>> {
    use crate::store::sql_functions::{containing, lower};
    let needle = text.trim().to_lowercase();
    let digits: String = needle.chars().filter(char::is_ascii_digit).collect();
    // Fewer than four digits match too much of a phone book to help.
    let phone_pattern = if digits.len() >= 4 {
        format!("%{}%", digits.chars().map(String::from).collect::<Vec<_>>().join("%"))
    } else {
        "no phone matches this".to_owned()
    };
    let postcode = Postcode::parse(&needle).map(|p| p.to_string()).unwrap_or_default();
    let mut query = clients::table
        .select(Row::as_select())
        .filter(
            lower(clients::name)
                .like(containing(&needle))
                .escape('\\')
                .or(clients::postcode.eq(postcode))
                .or(clients::phone.like(phone_pattern.clone()))
                .or(clients::representative_phone.like(phone_pattern)),
        )
        .order((clients::name.asc(), clients::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some(scope) = scope {
        query = within_scope!(query, clients::municipality_id, scope);
    }
    let rows: Vec<Row> = query.load(conn)?;
    rows.into_iter().map(Row::into_domain).collect()
}
