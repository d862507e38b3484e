//! The one error type of every layer. It knows no HTTP: `api::problem` maps each
//! variant to a status and a problem+json body once. Causes of `Unavailable` and
//! `Internal` are for the log, never for the response.

use crate::domain::FieldError;

pub type AppResult<T> = Result<T, AppError>;

/// The 409 codes of API.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::VariantArray)]
pub enum ConflictCode {
    Overlap,
    WeeklyCap,
    InsufficientVouchers,
    YearlyCapExceeded,
    InvalidTransition,
    VoucherNotCancellable,
    AlreadyExists,
}

impl ConflictCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictCode::Overlap => "overlap",
            ConflictCode::WeeklyCap => "weekly_cap",
            ConflictCode::InsufficientVouchers => "insufficient_vouchers",
            ConflictCode::YearlyCapExceeded => "yearly_cap_exceeded",
            ConflictCode::InvalidTransition => "invalid_transition",
            ConflictCode::VoucherNotCancellable => "voucher_not_cancellable",
            ConflictCode::AlreadyExists => "already_exists",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Input that cannot be read at all: malformed JSON, a wrong JSON type, a bad cursor.
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    #[error("forbidden")]
    Forbidden,
    /// Also the answer for a record outside the caller's scope, so its existence is not revealed.
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<String> },
    #[error("payload too large (limit {limit} bytes)")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("not acceptable: {0}")]
    NotAcceptable(String),
    /// Input that reads but breaks a rule; every bad field is named.
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldError>),
    #[error("idempotency key reused with another body")]
    IdempotencyKeyReused,
    #[error("conflict {}: {detail}", code.as_str())]
    Conflict { code: ConflictCode, detail: String },
    #[error("too many requests, retry after {retry_after_secs} s")]
    TooManyRequests { retry_after_secs: u64 },
    /// A dependency (the database) is down or overloaded; the request may be retried.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The service has more of one kind of heavy work (password hashing) than it takes
    /// on at once; the request may be retried after a moment.
    #[error("busy, retry after {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn conflict(code: ConflictCode, detail: impl Into<String>) -> AppError {
        AppError::Conflict {
            code,
            detail: detail.into(),
        }
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError::Validation(vec![FieldError::new(field, message)])
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> AppError {
        AppError::Validation(errors)
    }
}

/// Messages by which the backends say the connection or server is gone rather than
/// that the statement was wrong.
const UNAVAILABLE_HINTS: [&str; 9] = [
    "database is locked",
    "database is busy",
    "server closed the connection",
    "no connection to the server",
    "terminating connection",
    "connection refused",
    "could not connect",
    "the database system is",
    "connection to server",
];

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> AppError {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        match &e {
            Error::NotFound => AppError::NotFound,
            Error::DatabaseError(Kind::UniqueViolation, info) => AppError::conflict(
                ConflictCode::AlreadyExists,
                format!(
                    "a record with these values already exists ({})",
                    info.constraint_name().unwrap_or("unique key")
                ),
            ),
            Error::DatabaseError(Kind::ClosedConnection | Kind::SerializationFailure, _) => {
                AppError::Unavailable(e.to_string())
            }
            Error::DatabaseError(_, info) if looks_unavailable(info.message()) => AppError::Unavailable(e.to_string()),
            Error::BrokenTransactionManager => AppError::Unavailable(e.to_string()),
            _ => AppError::Internal(e.to_string()),
        }
    }
}

fn looks_unavailable(message: &str) -> bool {
    let message = message.to_lowercase();
    UNAVAILABLE_HINTS.iter().any(|hint| message.contains(hint))
}

impl From<diesel::ConnectionError> for AppError {
    fn from(e: diesel::ConnectionError) -> AppError {
        AppError::Unavailable(e.to_string())
    }
}
