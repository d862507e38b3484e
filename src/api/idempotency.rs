//! The `Idempotency-Key` header of the calls that take one, and the replay of an answer
//! recorded under it.

use actix_web::http::header::{self, HeaderName};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::service::idempotency::{IdempotencyKey, Recorded};

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// Reads the optional `Idempotency-Key` of a call, with a hash of its parsed body.
pub fn idempotency_key(
    req: &HttpRequest,
    operation: &'static str,
    body: &impl Serialize,
) -> Result<Option<IdempotencyKey>, AppError> {
    let Some(value) = req.headers().get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = std::str::from_utf8(value.as_bytes()).unwrap_or("");
    key_of(key, operation, body).map(Some)
}

/// A key as sent (a header, or a form's hidden field) with the hash of the parsed body.
pub fn key_of(key: &str, operation: &'static str, body: &impl Serialize) -> Result<IdempotencyKey, AppError> {
    // Visible ASCII without spaces: what the document's pattern `^[!-~]{1,255}$` says.
    if !((1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic())) {
        return Err(AppError::invalid(
            "Idempotency-Key",
            "must be 1 to 255 visible ASCII characters, without spaces",
        ));
    }
    let canonical = serde_json::to_vec(body).map_err(|e| AppError::internal_because("hashing a body", e))?;
    let digest = Sha256::digest(&canonical);
    Ok(IdempotencyKey {
        key: key.to_owned(),
        operation,
        body_hash: digest.iter().map(|b| format!("{b:02x}")).collect(),
    })
}

/// The JSON answer a replay gives back exactly.
pub fn recorded_response(recorded: Recorded) -> HttpResponse {
    let mut response = HttpResponse::build(
        actix_web::http::StatusCode::from_u16(recorded.status).unwrap_or(actix_web::http::StatusCode::OK),
    );
    response.insert_header((header::CONTENT_TYPE, "application/json"));
    if let Some(location) = recorded.location {
        response.insert_header((header::LOCATION, location));
    }
    response.body(recorded.body)
}
