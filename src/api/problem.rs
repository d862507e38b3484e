//! The one mapping from `AppError` to an RFC 9457 `application/problem+json` answer.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, Chain};

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// An error answer. `code` is stable and machine-readable; `type` is `urn:woonservice:problem:<code>`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:woonservice:problem:validation_failed",
    "title": "Validation failed",
    "status": 422,
    "detail": "1 field breaks a rule",
    "code": "validation_failed",
    "errors": [{"field": "address.postcode", "message": "must be a Dutch postcode like 5582 AB"}]
}))]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[schema(schema_with = problem_code)]
    pub code: String,
    /// Only on `validation_failed`: every field that breaks a rule, by dotted path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ProblemField>>,
}

/// Every `code` an error answer can carry; a test checks it against `code_and_title`.
pub const PROBLEM_CODES: [&str; 21] = [
    "bad_request",
    "unauthorized",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "payload_too_large",
    "unsupported_media_type",
    "not_acceptable",
    "validation_failed",
    "idempotency_key_reused",
    "overlap",
    "weekly_cap",
    "insufficient_vouchers",
    "yearly_cap_exceeded",
    "invalid_transition",
    "voucher_not_cancellable",
    "already_exists",
    "tier_not_viable",
    "too_many_requests",
    "unavailable",
    "internal_error",
];

fn problem_code() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(PROBLEM_CODES))
        .description(Some("Stable and machine-readable; the same as the end of `type`."))
        .build()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// Dotted path of the field in the request body or query, e.g. `address.postcode`.
    pub field: String,
    pub message: String,
}

fn code_and_title(e: &AppError) -> (&'static str, &'static str) {
    match e {
        AppError::BadRequest(_) => ("bad_request", "Bad request"),
        AppError::Unauthorized(_) => ("unauthorized", "Unauthorized"),
        AppError::Forbidden => ("forbidden", "Forbidden"),
        AppError::NotFound => ("not_found", "Not found"),
        AppError::MethodNotAllowed { .. } => ("method_not_allowed", "Method not allowed"),
        AppError::PayloadTooLarge { .. } => ("payload_too_large", "Payload too large"),
        AppError::UnsupportedMediaType(_) => ("unsupported_media_type", "Unsupported media type"),
        AppError::NotAcceptable(_) => ("not_acceptable", "Not acceptable"),
        AppError::Validation(_) => ("validation_failed", "Validation failed"),
        AppError::IdempotencyKeyReused => ("idempotency_key_reused", "Idempotency key reused"),
        AppError::Conflict { code, .. } => (code.as_str(), "Conflict"),
        AppError::TooManyRequests { .. } => ("too_many_requests", "Too many requests"),
        AppError::Unavailable(_) | AppError::Busy { .. } => ("unavailable", "Service unavailable"),
        AppError::Internal(_) => ("internal_error", "Internal server error"),
    }
}

/// What the caller may read. Causes of faults stay in the log.
fn detail(e: &AppError) -> String {
    match e {
        AppError::BadRequest(d) | AppError::UnsupportedMediaType(d) | AppError::NotAcceptable(d) => d.clone(),
        AppError::Unauthorized(d) => (*d).to_owned(),
        AppError::Forbidden => "your role may not do this".into(),
        AppError::NotFound => "no such resource".into(),
        AppError::MethodNotAllowed { allow } => format!("this resource allows {}", allow.join(", ")),
        AppError::PayloadTooLarge { limit } => format!("the body is larger than {limit} bytes"),
        AppError::Validation(errors) if errors.len() == 1 => "1 field breaks a rule".into(),
        AppError::Validation(errors) => format!("{} fields break a rule", errors.len()),
        AppError::IdempotencyKeyReused => "this Idempotency-Key was used before with another body".into(),
        AppError::Conflict { detail, .. } => detail.clone(),
        AppError::TooManyRequests { retry_after_secs } => {
            format!("too many login attempts; try again in {retry_after_secs} seconds")
        }
        AppError::Unavailable(_) => "the service cannot reach its database; try again shortly".into(),
        AppError::Busy { retry_after_secs } => {
            format!("the service is busy with other logins; try again in {retry_after_secs} seconds")
        }
        AppError::Internal(_) => "something went wrong on our side; it has been logged".into(),
    }
}

pub fn problem_of(e: &AppError) -> Problem {
    let (code, title) = code_and_title(e);
    Problem {
        type_uri: format!("urn:woonservice:problem:{code}"),
        title: title.into(),
        status: status_of(e).as_u16(),
        detail: detail(e),
        code: code.into(),
        errors: match e {
            AppError::Validation(errors) => Some(
                errors
                    .iter()
                    .map(|f| ProblemField {
                        field: f.field.clone(),
                        message: f.message.clone(),
                    })
                    .collect(),
            ),
            _ => None,
        },
    }
}

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
        AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
        AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        AppError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
        AppError::Validation(_) | AppError::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Unavailable(_) | AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Logs the cause of a fault; the answer never shows it. The desk's error pages log
/// through here too.
pub fn log(e: &AppError) {
    match e {
        AppError::Internal(cause) => tracing::error!(cause = %Chain(cause.as_ref()), "internal error"),
        AppError::Unavailable(cause) => tracing::warn!(cause = %Chain(cause.as_ref()), "dependency unavailable"),
        _ => {}
    }
}

/// The seconds a caller should wait before trying again, for the errors that have them.
pub fn retry_after(e: &AppError) -> Option<u64> {
    match e {
        AppError::TooManyRequests { retry_after_secs } | AppError::Busy { retry_after_secs } => Some(*retry_after_secs),
        AppError::Unavailable(_) => Some(5),
        _ => None,
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        status_of(self)
    }

    fn error_response(&self) -> HttpResponse {
        log(self);
        let mut response = HttpResponse::build(status_of(self));
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE)));
        if let Some(seconds) = retry_after(self) {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        match self {
            AppError::Unauthorized(_) => {
                response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            AppError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.join(", ")));
            }
            _ => {}
        }
        let body = serde_json::to_vec(&problem_of(self)).expect("a problem always serialises");
        response.body(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ConflictCode;

    use strum::VariantArray;

    /// The error after `e` in declaration order, the first for `None`. The match has no
    /// wildcard: a new variant does not compile until it has its place in this chain,
    /// and so in `one_of_every_kind`. Faults are built as the store builds them.
    fn after(e: Option<&AppError>) -> Option<AppError> {
        use diesel::result::Error as Db;
        Some(match e {
            None => AppError::BadRequest(String::new()),
            Some(AppError::BadRequest(..)) => AppError::Unauthorized(""),
            Some(AppError::Unauthorized(..)) => AppError::Forbidden,
            Some(AppError::Forbidden) => AppError::NotFound,
            Some(AppError::NotFound) => AppError::MethodNotAllowed { allow: Vec::new() },
            Some(AppError::MethodNotAllowed { .. }) => AppError::PayloadTooLarge { limit: 1 },
            Some(AppError::PayloadTooLarge { .. }) => AppError::UnsupportedMediaType(String::new()),
            Some(AppError::UnsupportedMediaType(..)) => AppError::NotAcceptable(String::new()),
            Some(AppError::NotAcceptable(..)) => AppError::Validation(Vec::new()),
            Some(AppError::Validation(..)) => AppError::IdempotencyKeyReused,
            Some(AppError::IdempotencyKeyReused) => AppError::conflict(ConflictCode::VARIANTS[0], ""),
            Some(AppError::Conflict { .. }) => AppError::TooManyRequests { retry_after_secs: 1 },
            Some(AppError::TooManyRequests { .. }) => AppError::from(Db::BrokenTransactionManager),
            Some(AppError::Unavailable(..)) => AppError::Busy { retry_after_secs: 1 },
            Some(AppError::Busy { .. }) => AppError::from(Db::RollbackTransaction),
            Some(AppError::Internal(..)) => return None,
        })
    }

    /// An error of every variant, a conflict of every code.
    fn one_of_every_kind() -> Vec<AppError> {
        let variants: Vec<AppError> = std::iter::successors(after(None), |e| after(Some(e)))
            .take(100)
            .collect();
        assert!(variants.len() < 100, "`after` goes round in a circle");
        variants
            .into_iter()
            .flat_map(|e| match e {
                AppError::Conflict { .. } => ConflictCode::VARIANTS
                    .iter()
                    .map(|&code| AppError::conflict(code, ""))
                    .collect(),
                e => vec![e],
            })
            .collect()
    }

    #[test]
    fn the_chain_of_variants_names_each_once_and_builds_faults_as_faults() {
        let kinds: Vec<String> = one_of_every_kind()
            .iter()
            .map(|e| format!("{:?}", std::mem::discriminant(e)))
            .collect();
        let mut distinct = kinds.clone();
        distinct.sort();
        distinct.dedup();
        // Conflicts share a variant: one per code.
        assert_eq!(distinct.len(), kinds.len() - (ConflictCode::VARIANTS.len() - 1));
        let errors = one_of_every_kind();
        assert!(errors.iter().any(|e| matches!(e, AppError::Unavailable(..))));
        assert!(errors.iter().any(|e| matches!(e, AppError::Internal(..))));
    }

    #[test]
    fn the_published_codes_are_exactly_the_codes_errors_carry() {
        let mut carried: Vec<&str> = one_of_every_kind().iter().map(|e| code_and_title(e).0).collect();
        carried.sort_unstable();
        carried.dedup();
        let mut published = PROBLEM_CODES.to_vec();
        published.sort_unstable();
        assert_eq!(carried, published);
    }
}
