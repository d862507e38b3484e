//! The one error type of every layer. It knows no HTTP: `api::problem` maps each
//! variant to a status and a problem+json body once. Causes of `Unavailable` and
//! `Internal` are for the log, never for the response: each keeps its cause as its
//! `source()`, and the log gets the whole chain (`Chain`).

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
    /// A tier named by hand has no viable match.
    TierNotViable,
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
            ConflictCode::TierNotViable => "tier_not_viable",
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
    /// The message shows the whole chain of the cause (for the command line and the
    /// jobs' log), so do not walk this error's own `source()` as well.
    #[error("unavailable: {}", Chain(.0.as_ref()))]
    Unavailable(#[source] Cause),
    /// The service has more of one kind of heavy work (password hashing) than it takes
    /// on at once; the request may be retried after a moment.
    #[error("busy, retry after {retry_after_secs} s")]
    Busy { retry_after_secs: u64 },
    /// A fault of ours. The message shows the whole chain of the cause, as `Unavailable`'s.
    #[error("internal error: {}", Chain(.0.as_ref()))]
    Internal(#[source] Cause),
}

/// Why a fault happened: any error, with its own causes behind `source()`.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A cause that says what was being done when its own cause struck.
#[derive(Debug, thiserror::Error)]
#[error("{context}")]
pub struct Context {
    context: String,
    #[source]
    source: Cause,
}

/// An error and each `source()` behind it in turn, joined by ": ", for the log.
pub struct Chain<'a>(pub &'a (dyn std::error::Error + 'static));

impl std::fmt::Display for Chain<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut next = self.0.source();
        while let Some(cause) = next {
            write!(f, ": {cause}")?;
            next = cause.source();
        }
        Ok(())
    }
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

    /// A fault known only by a message.
    pub fn internal(message: impl Into<String>) -> AppError {
        AppError::Internal(message.into().into())
    }

    /// A fault while doing `context`, caused by `source`.
    pub fn internal_because(context: impl Into<String>, source: impl Into<Cause>) -> AppError {
        AppError::Internal(Box::new(Context {
            context: context.into(),
            source: source.into(),
        }))
    }

    /// The database cannot be reached, known only by a message.
    pub fn unavailable(message: impl Into<String>) -> AppError {
        AppError::Unavailable(message.into().into())
    }

    /// The database cannot be reached while doing `context`, because of `source`.
    pub fn unavailable_because(context: impl Into<String>, source: impl Into<Cause>) -> AppError {
        AppError::Unavailable(Box::new(Context {
            context: context.into(),
            source: source.into(),
        }))
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> AppError {
        AppError::Validation(errors)
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> AppError {
        use diesel::result::{DatabaseErrorKind as Kind, Error};
        match &e {
            Error::NotFound => AppError::NotFound,
            Error::DatabaseError(Kind::UniqueViolation, info) => {
                // The constraint names the table and columns: for the log, not the caller.
                tracing::info!(
                    constraint = info.constraint_name().unwrap_or("unknown"),
                    "a write broke a unique constraint: 409 already_exists"
                );
                AppError::conflict(ConflictCode::AlreadyExists, "a record with these values already exists")
            }
            Error::DatabaseError(kind, info) if database_unavailable(kind, info.message()) => {
                AppError::Unavailable(Box::new(e))
            }
            Error::BrokenTransactionManager => AppError::Unavailable(Box::new(e)),
            _ => AppError::Internal(Box::new(e)),
        }
    }
}

/// Whether a database error means that the database cannot take the statement now —
/// the connection or server is gone, or the statement lost a race it may win when
/// retried (503 with `Retry-After`) — rather than that the statement is wrong (500).
///
/// diesel's kind tells this for PostgreSQL:
/// - `ClosedConnection`: a connection-exception SQLSTATE (class 08), or libpq reports
///   the connection bad after the error. That covers a server shutting down: its
///   `57P01`/`57P02` ("terminating connection due to administrator command") is FATAL,
///   the server then closes the socket, and diesel reads the connection status only
///   after draining the results, by when libpq has seen the end of the stream. (diesel
///   keeps the SQLSTATE to itself; `57P03`, "the database system is starting up", only
///   comes while connecting, a `ConnectionError`, which is always unavailable.)
/// - `UnableToSendCommand`: libpq could not send the statement or got no result.
/// - `SerializationFailure` (`40001`): retrying is the remedy.
///
/// SQLite's busy and locked errors are the one case the kind cannot tell: diesel maps
/// only SQLite's constraint codes to kinds and gives everything else, `SQLITE_BUSY` and
/// `SQLITE_LOCKED` included, as `Unknown` with SQLite's own message and without the
/// result code. Those messages are fixed by SQLite (`sqlite3_errstr`), so they are
/// matched exactly, and only for `Unknown`.
fn database_unavailable(kind: &diesel::result::DatabaseErrorKind, message: &str) -> bool {
    use diesel::result::DatabaseErrorKind as Kind;
    /// `SQLITE_BUSY`, `SQLITE_LOCKED` and `SQLITE_LOCKED_SHAREDCACHE` as SQLite words them.
    const SQLITE_BUSY_OR_LOCKED: [&str; 3] = [
        "database is locked",
        "database table is locked",
        "database schema is locked",
    ];
    match kind {
        Kind::ClosedConnection | Kind::UnableToSendCommand | Kind::SerializationFailure => true,
        Kind::Unknown => SQLITE_BUSY_OR_LOCKED.iter().any(|m| message.starts_with(m)),
        _ => false,
    }
}

impl From<diesel::ConnectionError> for AppError {
    fn from(e: diesel::ConnectionError) -> AppError {
        AppError::Unavailable(Box::new(e))
    }
}

#[cfg(test)]
mod tests {
    use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind as Kind, Error};

    use super::*;

    /// A PostgreSQL unique violation as diesel reports it.
    #[derive(Debug)]
    struct Unique;

    impl DatabaseErrorInformation for Unique {
        fn message(&self) -> &str {
            "duplicate key value violates unique constraint \"users_email_key\""
        }
        fn details(&self) -> Option<&str> {
            Some("Key (email)=(a@example.nl) already exists.")
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            Some("users")
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            Some("users_email_key")
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn database(kind: Kind, message: &str) -> AppError {
        Error::DatabaseError(kind, Box::new(message.to_owned())).into()
    }

    #[test]
    fn a_unique_violation_tells_the_caller_a_plain_sentence_without_database_names() {
        let e: AppError = Error::DatabaseError(Kind::UniqueViolation, Box::new(Unique)).into();
        let AppError::Conflict { code, detail } = e else {
            panic!("{e:?}")
        };
        assert_eq!(code, ConflictCode::AlreadyExists);
        assert_eq!(detail, "a record with these values already exists");
    }

    #[test]
    fn unavailable_is_decided_by_the_kind_and_for_sqlite_by_its_fixed_busy_messages() {
        for kind in [
            Kind::ClosedConnection,
            Kind::UnableToSendCommand,
            Kind::SerializationFailure,
        ] {
            assert!(matches!(database(kind, "whatever"), AppError::Unavailable(_)));
        }
        assert!(matches!(
            database(Kind::Unknown, "database is locked"),
            AppError::Unavailable(_)
        ));
        assert!(matches!(
            database(Kind::Unknown, "database table is locked"),
            AppError::Unavailable(_)
        ));
        assert!(matches!(
            Error::BrokenTransactionManager.into(),
            AppError::Unavailable(_)
        ));
        assert!(matches!(database(Kind::Unknown, "syntax error"), AppError::Internal(_)));
        assert!(matches!(
            database(Kind::ForeignKeyViolation, "database is locked"),
            AppError::Internal(_)
        ));
        assert!(matches!(
            database(Kind::Unknown, "no such table: x"),
            AppError::Internal(_)
        ));
    }

    #[test]
    fn a_fault_keeps_its_cause_as_source_and_shows_the_whole_chain() {
        let io = std::io::Error::other("disk on fire");
        let e = AppError::internal_because("writing the report", io);
        let source = std::error::Error::source(&e).expect("the cause is the source");
        assert_eq!(source.to_string(), "writing the report");
        assert_eq!(Chain(source).to_string(), "writing the report: disk on fire");
        assert_eq!(e.to_string(), "internal error: writing the report: disk on fire");
        assert_eq!(AppError::internal("plain").to_string(), "internal error: plain");
    }
}
