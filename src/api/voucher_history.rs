//! A client's voucher history: the ledger, newest first.

use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::AuthUser;
use crate::api::paging::{Cursors, list_type};
use crate::api::problem::Problem;
use crate::domain::money::Money;
use crate::domain::voucher::{EventKind, HistoryEvent};
use crate::error::AppError;
use crate::service::{Ctx, vouchers};

/// One change of one of the client's vouchers.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({"at": "2026-12-01T09:15:00Z", "kind": "redeemed", "serial": "WAA-2026-000123-7",
    "value": "5.00", "assignment_id": 12, "by": 4}))]
pub struct VoucherEventDto {
    pub at: DateTime<Utc>,
    /// `sold`, `reserved` (for a visit), `released` (the visit did not happen),
    /// `redeemed` (paid for work done), `expired` or `cancelled`.
    pub kind: EventKind,
    pub serial: String,
    #[schema(value_type = String, example = "5.00", pattern = r"^\d+\.\d{2}$")]
    pub value: Money,
    /// The visit it was reserved for, released from or redeemed by.
    pub assignment_id: Option<i64>,
    /// The user who made the change; `null` when the service did (the expiry job).
    pub by: Option<i64>,
}

impl From<HistoryEvent> for VoucherEventDto {
    fn from(e: HistoryEvent) -> VoucherEventDto {
        VoucherEventDto {
            at: e.at,
            kind: e.kind,
            serial: e.serial,
            value: e.value,
            assignment_id: e.assignment_id,
            by: e.by,
        }
    }
}

list_type!(VoucherEventList, VoucherEventDto);

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListVoucherEvents {
    #[param(minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// A client's voucher history.
///
/// The client itself, and coordinators and advisors in scope, read every change of the client's
/// vouchers, newest first: sold, reserved, released, redeemed, expired, cancelled. A client the
/// caller may not see answers 404.
#[utoipa::path(
    tag = "vouchers",
    params(("id" = i64, Path, description = "Client id"), ListVoucherEvents),
    responses(
        (status = 200, description = "A page of the ledger, newest first", body = VoucherEventList),
        (status = 400, description = "A malformed query or cursor", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The role may not read vouchers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client visible to the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`limit` out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/clients/{id}/voucher-events")]
pub async fn client_voucher_events(
    ctx: web::Data<Ctx>,
    auth: AuthUser,
    cursors: web::Data<Cursors>,
    id: web::Path<i64>,
    query: web::Query<ListVoucherEvents>,
) -> Result<web::Json<VoucherEventList>, AppError> {
    let page = cursors.page_request(query.limit, query.cursor.as_deref())?;
    let history = vouchers::history(&ctx, auth.0, id.into_inner(), page).await?;
    Ok(web::Json(VoucherEventList::from_page(
        &cursors,
        history,
        VoucherEventDto::from,
    )))
}
