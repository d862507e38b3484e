//! The coordinator's counter: find the client, see their vouchers and what happened to
//! them, sell vouchers and hand over a printable receipt.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};

use crate::api::idempotency::key_of;
use crate::api::vouchers::{SellVouchers, check_count, sale_recorded};
use crate::domain::dates;
use crate::domain::money::Money;
use crate::domain::page::PageRequest;
use crate::domain::voucher::{EventKind, VoucherStatus};
use crate::error::{AppError, ConflictCode};
use crate::service::{clients, vouchers};

use super::cookies::new_secret;
use super::intake::Found;
use super::page::{Desk, DeskError, FieldErrors, Form, Me};
use super::words;

#[derive(Deserialize)]
pub struct SearchQuery {
    zoek: Option<String>,
}

/// `€ 12,50`.
pub fn euro(money: Money) -> String {
    format!("€ {}", money.to_string().replace('.', ","))
}

fn status_name(status: VoucherStatus) -> &'static str {
    match status {
        VoucherStatus::Available => "beschikbaar",
        VoucherStatus::Reserved => "gereserveerd",
        VoucherStatus::Redeemed => "ingewisseld",
        VoucherStatus::Expired => "verlopen",
        VoucherStatus::Cancelled => "ingetrokken",
    }
}

fn event_name(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Sold => "verkocht",
        EventKind::Reserved => "gereserveerd",
        EventKind::Released => "vrijgegeven",
        EventKind::Redeemed => "ingewisseld",
        EventKind::Expired => "verlopen",
        EventKind::Cancelled => "ingetrokken",
    }
}

pub async fn search(desk: Desk, query: web::Query<SearchQuery>) -> Result<HttpResponse, DeskError> {
    let text = query.zoek.as_deref().map(str::trim).unwrap_or("").to_owned();
    let found: Option<Vec<Found>> = if text.is_empty() {
        None
    } else {
        let list = clients::search(&desk.ctx, desk.subject, text.clone()).await?;
        Some(list.iter().map(Found::from).collect())
    };
    desk.page("voucher_search.html", context! { search => text, found })
        .await
}

#[derive(Serialize)]
struct Line {
    at: String,
    what: String,
    serial: String,
    value: String,
}

async fn show(desk: &Desk, client_id: i64, status: StatusCode, sale: Value) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    show_to(desk, &me, client_id, status, sale).await
}

/// A client's own vouchers: the balance, when they expire, what happened to them.
pub async fn mine(desk: Desk) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let client_id = me.own_client()?;
    show_to(&desk, &me, client_id, StatusCode::OK, Value::from(())).await
}

async fn show_to(
    desk: &Desk,
    me: &Me,
    client_id: i64,
    status: StatusCode,
    sale: Value,
) -> Result<HttpResponse, DeskError> {
    let client = clients::get(&desk.ctx, desk.subject, client_id).await?;
    let first = PageRequest::<NaiveDate> {
        limit: 50,
        position: None,
    };
    let balance = vouchers::balance(&desk.ctx, desk.subject, client_id, first).await?;
    let events = vouchers::history(
        &desk.ctx,
        desk.subject,
        client_id,
        PageRequest {
            limit: 50,
            position: None,
        },
    )
    .await?;
    let lang = desk.lang();
    let counts: Vec<Value> = [
        VoucherStatus::Available,
        VoucherStatus::Reserved,
        VoucherStatus::Redeemed,
        VoucherStatus::Expired,
        VoucherStatus::Cancelled,
    ]
    .into_iter()
    .map(|s| context! { name => words::t(lang, status_name(s)), count => balance.count(s), value => euro(balance.value(s)) })
    .collect();
    let held: Vec<Value> = balance
        .page
        .items
        .iter()
        .map(|v| {
            context! {
                serial => v.serial,
                value => euro(v.value),
                expires => dates::date(v.expires_on, lang),
                status => words::t(lang, status_name(v.status.on(v.expires_on, balance.today))),
            }
        })
        .collect();
    let history: Vec<Line> = events
        .items
        .iter()
        .map(|e| Line {
            at: dates::date_time(e.at, lang),
            what: words::t(lang, event_name(e.kind)),
            serial: e.serial.clone(),
            value: euro(e.value),
        })
        .collect();
    desk.page_for(
        me,
        status,
        "vouchers.html",
        context! {
            client => context! { id => client.id, name => client.fields.name, address => client.fields.address_line() },
            counts,
            held,
            more => balance.page.next.is_some(),
            history,
            own => me.actor.user.client_id == Some(client_id),
            sale,
        },
    )
}

pub async fn of_client(desk: Desk, id: web::Path<i64>) -> Result<HttpResponse, DeskError> {
    let sale = context! { values => context! { key => new_secret(), count => "10" }, errors => context! {} };
    show(&desk, id.into_inner(), StatusCode::OK, sale).await
}

/// The sale, once under the form's key: a reload or a second click hands out the same
/// receipt, never a second sale.
pub async fn sell(desk: Desk, id: web::Path<i64>, form: Form) -> Result<HttpResponse, DeskError> {
    desk.check_csrf(&form)?;
    let client_id = id.into_inner();
    let outcome = match form.get("count").trim().parse::<i64>() {
        Err(_) => Err(AppError::invalid("count", "must be a whole number")),
        Ok(count) => sell_once(&desk, client_id, count, form.get("key")).await,
    };
    match outcome {
        Ok(body) => receipt(&desk, client_id, &body).await,
        Err(AppError::Conflict { code, detail }) => {
            let message = match code {
                ConflictCode::YearlyCapExceeded => desk.t("Zoveel cheques mag deze cliënt dit jaar niet meer kopen."),
                _ => desk.t("Dit kan nu niet."),
            };
            let sale =
                context! { values => form.values(), errors => context! {}, message => format!("{message} ({detail})") };
            show(&desk, client_id, StatusCode::CONFLICT, sale).await
        }
        Err(e) => {
            let errors = FieldErrors::of(desk.lang(), e)?;
            let sale = context! { values => form.values(), errors => errors.value() };
            show(&desk, client_id, StatusCode::UNPROCESSABLE_ENTITY, sale).await
        }
    }
}

async fn sell_once(desk: &Desk, client_id: i64, count: i64, key: &str) -> Result<String, AppError> {
    check_count(count)?;
    let key = key_of(key, "sell_vouchers", &(client_id, SellVouchers { count }))?;
    let recorded = vouchers::sell(&desk.ctx, desk.subject, client_id, count, key, sale_recorded(client_id)).await?;
    Ok(recorded.body)
}

/// The printable receipt of a sale, from its recorded answer.
async fn receipt(desk: &Desk, client_id: i64, body: &str) -> Result<HttpResponse, DeskError> {
    let me = desk.me().await?;
    let client = clients::get(&desk.ctx, desk.subject, client_id).await?;
    let sale: serde_json::Value =
        serde_json::from_str(body).map_err(|e| AppError::internal_because("reading a recorded sale", e))?;
    let lang = desk.lang();
    let list = sale["vouchers"].as_array().cloned().unwrap_or_default();
    let money = |v: &serde_json::Value| {
        v.as_str()
            .and_then(|s| Money::parse_positive(s, 1_000_000).ok())
            .map(euro)
            .unwrap_or_default()
    };
    let day = |v: &serde_json::Value| {
        v.as_str()
            .and_then(|s| s.parse::<NaiveDate>().ok())
            .map(|d| dates::date(d, lang))
            .unwrap_or_default()
    };
    let serials: Vec<String> = list
        .iter()
        .filter_map(|v| v["serial"].as_str().map(str::to_owned))
        .collect();
    let municipality = me
        .municipalities
        .iter()
        .find(|(m, _)| *m == client.fields.municipality_id)
        .map(|(_, name)| name.clone())
        .unwrap_or_default();
    let first = list.first().cloned().unwrap_or_default();
    desk.page_for(
        &me,
        StatusCode::OK,
        "receipt.html",
        context! {
            municipality,
            client => client.fields.name,
            client_id,
            count => serials.len(),
            unit => money(&first["value"]),
            total => money(&sale["total_value"]),
            issued => day(&first["issued_on"]),
            expires => day(&first["expires_on"]),
            serials,
            seller => me.actor.user.email.as_str(),
        },
    )
}
