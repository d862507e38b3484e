use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::{AuthUser, Json};
use crate::api::idempotency::{idempotency_key, recorded_response};
use crate::api::paging::{CursorKey, Cursors, STORED_YEARS};
use crate::api::problem::Problem;
use crate::domain::contact::parse_text;
use crate::domain::money::Money;
use crate::domain::voucher::{Serial, Voucher, VoucherStatus};
use crate::error::AppError;
use crate::service::Ctx;
use crate::service::idempotency::Recorded;
use crate::service::vouchers::{self, MAX_PER_SALE, Sale};

#[derive(Serialize, ToSchema)]
#[schema(example = json!({"serial": "WAA-2026-000123-7", "value": "5.00", "issued_on": "2026-11-25", "expires_on": "2027-11-25", "status": "available", "assignment_id": null}))]
pub struct VoucherDto {
    /// Printable number with a check digit.
    pub serial: String,
    #[schema(value_type = String, example = "5.00", pattern = r"^\d+\.\d{2}$")]
    pub value: Money,
    pub issued_on: NaiveDate,
    /// The last day it can be spent (Amsterdam).
    pub expires_on: NaiveDate,
    /// By date: an available voucher past its `expires_on` is `expired`.
    pub status: VoucherStatus,
    /// The tier-2 assignment it is reserved for or redeemed by.
    pub assignment_id: Option<i64>,
}

impl VoucherDto {
    fn new(v: Voucher, today: NaiveDate) -> VoucherDto {
        VoucherDto {
            status: v.status.on(v.expires_on, today),
            serial: v.serial,
            value: v.value,
            issued_on: v.issued_on,
            expires_on: v.expires_on,
            assignment_id: v.assignment_id,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SaleDto {
    pub vouchers: Vec<VoucherDto>,
    #[schema(value_type = String, example = "50.00", pattern = r"^\d+\.\d{2}$")]
    pub total_value: Money,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"count": 10}))]
pub struct SellVouchers {
    #[schema(minimum = 1, maximum = 100)]
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct BalanceDto {
    pub available: i64,
    pub reserved: i64,
    pub redeemed: i64,
    pub expired: i64,
    pub cancelled: i64,
    #[schema(value_type = String, example = "35.00", pattern = r"^\d+\.\d{2}$")]
    pub available_value: Money,
    /// Soonest expiry first.
    pub items: Vec<VoucherDto>,
    pub next_cursor: Option<String>,
    pub prev_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Verkeerd aantal verkocht"}))]
pub struct CancelVoucher {
    #[schema(min_length = 1, max_length = 500, pattern = "contact::TEXT_PATTERN")]
    pub reason: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListVouchers {
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

impl CursorKey for NaiveDate {
    fn encode(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }

    fn decode(text: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .filter(|d| STORED_YEARS.contains(&d.year()))
    }
}

/// Sell vouchers to a client at its municipality's current price (coordinator in scope).
///
/// A coordinator in scope sells 1 to 100 vouchers, each with its own serial, valid for the
/// municipality's validity period. 409 `yearly_cap_exceeded` when the sale would pass the
/// municipality's yearly cap for the client; nothing is sold then.
///
/// `Idempotency-Key` is required: a repeat with the same key and body answers the
/// first sale again and sells nothing more, also when both arrive at once.
#[utoipa::path(
    tag = "vouchers",
    params(
        ("id" = i64, Path, description = "Client id"),
        ("Idempotency-Key" = String, Header, pattern = "^[!-~]{1,255}$",
            description = "Required; 1–255 visible ASCII characters without spaces (a UUID, say), kept 24 hours per user"),
    ),
    request_body = SellVouchers,
    responses(
        (status = 201, description = "Sold (or the replayed first sale)", body = SaleDto, headers(("Location" = String))),
        (status = 403, description = "Only a coordinator sells vouchers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`yearly_cap_exceeded`: the sale would pass the municipality's yearly cap; nothing is sold", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `errors` names every field that breaks a rule (a missing or malformed `Idempotency-Key` too); or `idempotency_key_reused`: the key came before with another body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/clients/{id}/vouchers")]
pub async fn sell_vouchers(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: Json<SellVouchers>,
) -> Result<HttpResponse, AppError> {
    let key = idempotency_key(&req, "sell_vouchers", &(id.as_ref(), &body.0))?
        .ok_or_else(|| AppError::invalid("Idempotency-Key", "is required on a voucher sale"))?;
    let count = body.0.count;
    check_count(count)?;
    let client_id = id.into_inner();
    let recorded = vouchers::sell(&ctx, auth.0, client_id, count, key, sale_recorded(client_id)).await?;
    Ok(recorded_response(recorded))
}

/// How many vouchers one sale may hold.
pub(crate) fn check_count(count: i64) -> Result<(), AppError> {
    if (1..=MAX_PER_SALE).contains(&count) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "count",
            format!("must be between 1 and {MAX_PER_SALE}"),
        ))
    }
}

/// The answer to a sale, as it is recorded for a repeat under the same key (the
/// desk's sale records the same).
pub(crate) fn sale_recorded(client_id: i64) -> impl Fn(&Sale) -> Result<Recorded, AppError> + Send + 'static {
    move |sale: &Sale| {
        let today = sale.vouchers.first().map(|v| v.issued_on).unwrap_or_default();
        let dto = SaleDto {
            vouchers: sale
                .vouchers
                .iter()
                .cloned()
                .map(|v| VoucherDto::new(v, today))
                .collect(),
            total_value: sale.total_value,
        };
        Ok(Recorded {
            status: 201,
            body: serde_json::to_string(&dto).map_err(|e| AppError::Internal(e.into()))?,
            location: Some(format!("/api/v1/clients/{client_id}/vouchers")),
        })
    }
}

/// A client's voucher balance and vouchers.
///
/// The client itself, and coordinators and advisors in scope, read the counts by status, the value
/// still available and a page of the client's vouchers; a client the caller may not see answers
/// 404.
#[utoipa::path(
    tag = "vouchers",
    params(("id" = i64, Path, description = "Client id"), ListVouchers),
    responses(
        (status = 200, description = "Counts by status, the available value and a page of vouchers", body = BalanceDto),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not read vouchers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/clients/{id}/vouchers")]
pub async fn client_vouchers(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    id: web::Path<i64>,
    query: web::Query<ListVouchers>,
) -> Result<web::Json<BalanceDto>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let balance = vouchers::balance(&ctx, auth.0, id.into_inner(), page).await?;
    let today = balance.today;
    Ok(web::Json(BalanceDto {
        available: balance.count(VoucherStatus::Available),
        reserved: balance.count(VoucherStatus::Reserved),
        redeemed: balance.count(VoucherStatus::Redeemed),
        expired: balance.count(VoucherStatus::Expired),
        cancelled: balance.count(VoucherStatus::Cancelled),
        available_value: balance.value(VoucherStatus::Available),
        next_cursor: balance.page.next.as_ref().map(|p| cursors.encode(p)),
        prev_cursor: balance.page.prev.as_ref().map(|p| cursors.encode(p)),
        items: balance
            .page
            .items
            .into_iter()
            .map(|v| VoucherDto::new(v, today))
            .collect(),
    }))
}

/// Cancel an available voucher (coordinator in scope).
///
/// A coordinator in scope cancels a voucher by its serial, with a reason kept in the ledger. 409
/// `voucher_not_cancellable` unless the voucher is available (not reserved, redeemed, expired or
/// cancelled).
#[utoipa::path(
    tag = "vouchers",
    params(("serial" = String, Path, pattern = "^ *[A-Za-z]{3}-[0-9]{4}-[0-9]{6,}-[0-9] *$",
        description = "Voucher number, e.g. `WAA-2026-000123-7`, in any case; the last digit checks the others")),
    request_body = CancelVoucher,
    responses(
        (status = 200, description = "Cancelled", body = VoucherDto),
        (status = 403, description = "Only a coordinator cancels vouchers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such voucher in the caller's scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`voucher_not_cancellable`: the voucher is not available", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/vouchers/{serial}/cancel")]
pub async fn cancel_voucher(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    serial: web::Path<String>,
    body: Json<CancelVoucher>,
) -> Result<web::Json<VoucherDto>, AppError> {
    let serial = Serial::parse(&serial).map_err(|m| AppError::invalid("serial", m))?;
    let reason = parse_text(&body.0.reason, 500).map_err(|m| AppError::invalid("reason", m))?;
    let voucher = vouchers::cancel(&ctx, auth.0, serial, reason).await?;
    let today = crate::domain::schedule::local_date(ctx.clock.now());
    Ok(web::Json(VoucherDto::new(voucher, today)))
}
