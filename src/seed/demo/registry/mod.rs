//! Demo part "registry": the projects' categories and prices, clients, members,
//! providers, a handful of requests for the coming days, and a client and a member
//! account. One file per kind of record, each with its table of demo records and the
//! step that stores them; this file runs the steps in order.

mod clients;
mod members;
mod providers;
mod requests;

use chrono::{DateTime, Utc};

use crate::domain::money::Money;
use crate::domain::{Email, Role};
use crate::error::{AppError, AppResult};
use crate::store::users::UserRecord;
use crate::store::{DbConnection, municipalities, users};

pub fn load(conn: &mut DbConnection, password_hash: &str, now: DateTime<Utc>) -> AppResult<()> {
    configure_municipalities(conn, now)?;
    let client_ids = clients::load(conn, now)?;
    let member_ids = members::load(conn, now)?;
    providers::load(conn, now)?;
    requests::load(conn, &client_ids, now)?;
    accounts(conn, &client_ids, &member_ids, password_hash, now)
}

fn id_of(conn: &mut DbConnection, municipality: &str) -> AppResult<i64> {
    municipalities::find_id_by_name(conn, municipality)?
        .ok_or_else(|| AppError::internal(format!("demo municipality {municipality} is missing")))
}

fn user_id(conn: &mut DbConnection, email: &str) -> AppResult<i64> {
    users::id_by_email(conn, &Email::parse(email).expect("valid"))?
        .ok_or_else(|| AppError::internal(format!("demo user {email} is missing")))
}

fn email(s: &str) -> Email {
    Email::parse(s).expect("demo emails are valid")
}

/// The id stored for a demo record's name.
fn id_named(list: &[(&str, i64)], name: &str) -> i64 {
    list.iter()
        .find(|(n, _)| *n == name)
        .map(|(_, id)| *id)
        .expect("demo name")
}

/// The client account of Annie van den Berg and the member account of Sanne de Vries
/// (a jobseeker), both in Waalre; an address already taken is left alone.
fn accounts(
    conn: &mut DbConnection,
    client_ids: &[(&str, i64)],
    member_ids: &[(&str, i64)],
    password_hash: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let links = [
        (
            "client@demo.woonservice.nl",
            Role::Client,
            Some(id_named(client_ids, "Annie van den Berg")),
            None,
            "Waalre",
        ),
        (
            "member@demo.woonservice.nl",
            Role::Member,
            None,
            Some(id_named(member_ids, "Sanne de Vries")),
            "Waalre",
        ),
    ];
    for (mail, role, client_id, member_id, municipality) in links {
        let address = email(mail);
        if users::email_exists(conn, &address)? {
            continue;
        }
        let scope = [id_of(conn, municipality)?];
        let record = UserRecord {
            email: &address,
            role,
            active: true,
            municipality_ids: &scope,
            client_id,
            member_id,
            now,
        };
        users::insert(conn, &record, password_hash)?;
    }
    Ok(())
}

/// Waalre offers every category but has a welfare foundation for meals and
/// administration; Valkenswaard charges a little more and caps yearly purchases.
fn configure_municipalities(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<()> {
    let settings: [(&str, &[&str], i64, Option<i32>); 2] = [
        (
            "Waalre",
            &["gardening", "errands", "odd_jobs", "moving", "administration", "meals"],
            500,
            None,
        ),
        ("Valkenswaard", &["gardening", "odd_jobs", "moving"], 550, Some(150)),
    ];
    for (name, categories, price_cents, cap) in settings {
        let id = id_of(conn, name)?;
        let mut current = municipalities::find(conn, id)?.expect("exists").fields;
        current.woonservice_categories = categories.iter().map(|s| s.to_string()).collect();
        current.voucher_price = Money::from_cents(price_cents);
        current.yearly_voucher_cap = cap;
        municipalities::update(conn, id, &current, now)?;
    }
    Ok(())
}
