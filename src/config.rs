//! Configuration from the environment. Every setting is checked at start: a value that
//! cannot be used is an error that names the variable, never a silent fallback.

use std::path::{Path, PathBuf};

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_SQLITE_FILE: &str = "woonservice.db";
pub const MIN_JWT_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    Postgres(String),
    Sqlite(PathBuf),
}

impl DatabaseTarget {
    /// Reads `DATABASE_URL`: `postgres://` or `postgresql://` is PostgreSQL;
    /// `sqlite://path` or a path ending in `.db` is SQLite.
    pub fn parse(url: &str) -> Result<DatabaseTarget, ConfigError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseTarget::Postgres(url.to_owned()));
        }
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(ConfigError::DatabaseUrl(
                    "sqlite:// needs a file path, e.g. sqlite://woonservice.db".into(),
                ));
            }
            return Ok(DatabaseTarget::Sqlite(PathBuf::from(path)));
        }
        if url.ends_with(".db") && !url.contains("://") {
            return Ok(DatabaseTarget::Sqlite(PathBuf::from(url)));
        }
        Err(ConfigError::DatabaseUrl(format!(
            "'{}' is neither postgres://…, postgresql://…, sqlite://path nor a path ending in .db",
            redact(url)
        )))
    }

    /// A description safe for logs: the password of a PostgreSQL URL is left out.
    pub fn describe(&self) -> String {
        match self {
            DatabaseTarget::Postgres(url) => format!("PostgreSQL {}", redact(url)),
            DatabaseTarget::Sqlite(path) => format!("SQLite {}", path.display()),
        }
    }
}

/// Hides the user info of a URL (`scheme://user:pass@host` → `scheme://***@host`).
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => format!("{}://***{}", &url[..scheme_end], &url[at..]),
        _ => url.to_owned(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("DATABASE_URL: {0}")]
    DatabaseUrl(String),
    #[error("JWT_SECRET: {0}")]
    JwtSecret(String),
    #[error("LOG_FORMAT: '{0}' is not one of pretty, json")]
    LogFormat(String),
    #[error("BIND: '{0}' is not host:port (e.g. 127.0.0.1:8080)")]
    Bind(String),
    #[error("DATABASE_POOL_SIZE: '{0}' is not a number from 1 to 256")]
    PoolSize(String),
    #[error("SMTP_URL: {0}")]
    SmtpUrl(String),
    #[error("MAIL_FROM: '{0}' is not a mailbox like WoonService <noreply@woonservice.nl>")]
    MailFrom(String),
    #[error("MAIL_RETRY_MAX_SECS: '{0}' is not a number of seconds from 1 to 86400")]
    MailRetryMax(String),
    #[error("TRUSTED_PROXIES: '{0}' is not a comma-separated list of IP addresses")]
    TrustedProxies(String),
    #[error("MAIL_LEASE_SECS: '{0}' is not a number of seconds from 10 to 3600")]
    MailLease(String),
    #[error("PUBLIC_URL: '{0}' is not an address like https://woonservice.waalre.nl")]
    PublicUrl(String),
}

pub const DEFAULT_MAIL_FROM: &str = "WoonService in de Wijk <noreply@woonservice.nl>";
pub const DEFAULT_MAIL_RETRY_MAX_SECS: u64 = 300;
pub const DEFAULT_MAIL_LEASE_SECS: u64 = 120;

#[derive(Debug, Clone)]
pub struct Config {
    pub bind: String,
    pub database: DatabaseTarget,
    /// As given in `JWT_SECRET`; see [`Config::jwt_secret`] for the SQLite default.
    pub jwt_secret: Option<String>,
    pub log_format: LogFormat,
    pub pool_size: u32,
    /// `smtp://host:port` (plain, or STARTTLS with `?tls=required`), `smtps://user:pass@host`
    /// (TLS); without it no mail is sent and mails stay queued.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// The longest wait between two delivery attempts of a mail.
    pub mail_retry_max_secs: u64,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for the login
    /// throttle per client address); without them the peer address is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How long a mail claimed by an instance stays its own: after a crash, the mails
    /// it held are sent by another (or the restarted) instance once this has passed.
    pub mail_lease_secs: u64,
    /// Where people open the desk, for the links in mails: `http://` and `BIND` unless set.
    pub public_url: String,
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|key| std::env::var(key).ok().filter(|v| !v.is_empty()))
    }

    /// Reads every setting through `get`, in the order of the table in the README;
    /// the first one that is wrong is the error.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let bind = bind(get("BIND"))?;
        let database = match get("DATABASE_URL") {
            Some(url) => DatabaseTarget::parse(&url)?,
            None => DatabaseTarget::Sqlite(PathBuf::from(DEFAULT_SQLITE_FILE)),
        };
        let jwt_secret = jwt_secret(get("JWT_SECRET"), &database)?;
        let log_format = match get("LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(ConfigError::LogFormat(other.to_owned())),
        };
        let default_pool = match database {
            DatabaseTarget::Postgres(_) => 16,
            DatabaseTarget::Sqlite(_) => 8,
        };
        let pool_size = number_in(get("DATABASE_POOL_SIZE"), default_pool, 1..=256, ConfigError::PoolSize)?;
        let smtp_url = smtp_url(get("SMTP_URL"))?;
        let mail_from = get("MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned());
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::MailFrom(mail_from));
        }
        let mail_retry_max_secs = number_in(
            get("MAIL_RETRY_MAX_SECS"),
            DEFAULT_MAIL_RETRY_MAX_SECS,
            1..=86_400,
            ConfigError::MailRetryMax,
        )?;
        let trusted_proxies = match get("TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(v) => v
                .split(',')
                .map(|a| a.trim().parse())
                .collect::<Result<Vec<std::net::IpAddr>, _>>()
                .map_err(|_| ConfigError::TrustedProxies(v))?,
        };
        let mail_lease_secs = number_in(
            get("MAIL_LEASE_SECS"),
            DEFAULT_MAIL_LEASE_SECS,
            10..=3600,
            ConfigError::MailLease,
        )?;
        let public_url = public_url(get("PUBLIC_URL"), &bind)?;
        Ok(Config {
            public_url,
            bind,
            database,
            jwt_secret,
            log_format,
            pool_size,
            smtp_url,
            mail_from,
            mail_retry_max_secs,
            trusted_proxies,
            mail_lease_secs,
        })
    }

    /// The token signing secret. With SQLite and no `JWT_SECRET`, one is generated once
    /// and kept in a file beside the database, so tokens survive a restart.
    pub fn jwt_secret(&self) -> Result<JwtSecret, ConfigError> {
        if let Some(secret) = &self.jwt_secret {
            return Ok(JwtSecret {
                bytes: secret.as_bytes().to_vec(),
                generated_in: None,
            });
        }
        match &self.database {
            DatabaseTarget::Sqlite(db_path) => {
                let path = secret_file_beside(db_path);
                let secret = read_or_create_secret(&path)
                    .map_err(|e| ConfigError::JwtSecret(format!("cannot use {}: {e}", path.display())))?;
                Ok(JwtSecret {
                    bytes: secret.into_bytes(),
                    generated_in: Some(path),
                })
            }
            DatabaseTarget::Postgres(_) => Err(ConfigError::JwtSecret("required with PostgreSQL".into())),
        }
    }
}

/// `BIND`: host:port, with a port that is a number (the default when unset).
/// `PUBLIC_URL`, without a trailing slash; by default the address the server listens on
/// (a wildcard address read as this machine).
fn public_url(value: Option<String>, bind: &str) -> Result<String, ConfigError> {
    let Some(url) = value else {
        let local = bind.replacen("0.0.0.0:", "127.0.0.1:", 1);
        return Ok(format!("http://{local}"));
    };
    let trimmed = url.trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(trimmed.to_owned()),
        _ => Err(ConfigError::PublicUrl(url)),
    }
}

fn bind(value: Option<String>) -> Result<String, ConfigError> {
    let bind = value.unwrap_or_else(|| DEFAULT_BIND.to_owned());
    if bind
        .rsplit_once(':')
        .is_none_or(|(host, port)| host.is_empty() || port.parse::<u16>().is_err())
    {
        return Err(ConfigError::Bind(bind));
    }
    Ok(bind)
}

/// `JWT_SECRET`: long enough when given; required with PostgreSQL, where several
/// instances must share it.
fn jwt_secret(value: Option<String>, database: &DatabaseTarget) -> Result<Option<String>, ConfigError> {
    match (&value, database) {
        (Some(secret), _) if secret.len() < MIN_JWT_SECRET_BYTES => Err(ConfigError::JwtSecret(format!(
            "must be at least {MIN_JWT_SECRET_BYTES} bytes, got {}",
            secret.len()
        ))),
        (None, DatabaseTarget::Postgres(_)) => Err(ConfigError::JwtSecret(format!(
            "required with PostgreSQL (at least {MIN_JWT_SECRET_BYTES} bytes; several instances must share it)"
        ))),
        _ => Ok(value),
    }
}

/// `SMTP_URL`: an `smtp://` or `smtps://` URL when given (redacted in the error).
fn smtp_url(value: Option<String>) -> Result<Option<String>, ConfigError> {
    if let Some(url) = &value
        && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
    {
        return Err(ConfigError::SmtpUrl(format!(
            "'{}' must start with smtp:// or smtps://",
            redact(url)
        )));
    }
    Ok(value)
}

/// A whole number within `range`, or `default` when unset; `error` names the variable.
fn number_in<T>(
    value: Option<String>,
    default: T,
    range: std::ops::RangeInclusive<T>,
    error: fn(String) -> ConfigError,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd,
{
    match value {
        None => Ok(default),
        Some(v) => v.parse::<T>().ok().filter(|n| range.contains(n)).ok_or(error(v)),
    }
}

pub struct JwtSecret {
    pub bytes: Vec<u8>,
    /// Set when the secret came from the generated file rather than `JWT_SECRET`.
    pub generated_in: Option<PathBuf>,
}

fn secret_file_beside(db_path: &Path) -> PathBuf {
    let mut name = db_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| DEFAULT_SQLITE_FILE.into());
    name.push(".jwt-secret");
    db_path.with_file_name(name)
}

fn read_or_create_secret(path: &Path) -> std::io::Result<String> {
    use std::io::Write;
    if let Ok(existing) = std::fs::read_to_string(path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= MIN_JWT_SECRET_BYTES {
            return Ok(existing);
        }
    }
    let bytes: [u8; 32] = rand::random();
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(secret.as_bytes())?;
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|k| vars.get(k).cloned())
    }

    #[test]
    fn with_nothing_set_the_service_uses_a_sqlite_file_in_the_working_directory() {
        let c = config(&[]).unwrap();
        assert_eq!(c.database, DatabaseTarget::Sqlite(PathBuf::from("woonservice.db")));
        assert_eq!(c.bind, "127.0.0.1:8080");
        assert_eq!(c.log_format, LogFormat::Pretty);
    }

    #[test]
    fn database_urls_pick_the_backend_by_their_scheme_or_extension() {
        let pg = "postgres://u@localhost/w";
        assert_eq!(DatabaseTarget::parse(pg), Ok(DatabaseTarget::Postgres(pg.into())));
        assert!(matches!(
            DatabaseTarget::parse("postgresql://localhost/w"),
            Ok(DatabaseTarget::Postgres(_))
        ));
        assert_eq!(
            DatabaseTarget::parse("sqlite:///var/lib/w.sqlite"),
            Ok(DatabaseTarget::Sqlite("/var/lib/w.sqlite".into()))
        );
        assert_eq!(
            DatabaseTarget::parse("data/w.db"),
            Ok(DatabaseTarget::Sqlite("data/w.db".into()))
        );
    }

    #[test]
    fn an_unknown_database_url_is_an_error_that_hides_the_password() {
        let err = DatabaseTarget::parse("mysql://root:geheim@localhost/w").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("DATABASE_URL:"), "{text}");
        assert!(!text.contains("geheim"), "{text}");
        assert!(DatabaseTarget::parse("woonservice").is_err());
        assert!(DatabaseTarget::parse("sqlite://").is_err());
    }

    #[test]
    fn postgres_requires_a_long_enough_jwt_secret() {
        let url = ("DATABASE_URL", "postgres://localhost/w");
        assert!(matches!(config(&[url]), Err(ConfigError::JwtSecret(_))));
        assert!(matches!(
            config(&[url, ("JWT_SECRET", "short")]),
            Err(ConfigError::JwtSecret(_))
        ));
        assert!(config(&[url, ("JWT_SECRET", &"x".repeat(32))]).is_ok());
    }

    #[test]
    fn a_short_jwt_secret_is_refused_on_sqlite_too() {
        assert!(matches!(
            config(&[("JWT_SECRET", "short")]),
            Err(ConfigError::JwtSecret(_))
        ));
    }

    #[test]
    fn log_format_bind_and_pool_size_are_checked() {
        assert!(matches!(
            config(&[("LOG_FORMAT", "xml")]),
            Err(ConfigError::LogFormat(_))
        ));
        assert_eq!(config(&[("LOG_FORMAT", "json")]).unwrap().log_format, LogFormat::Json);
        assert!(matches!(config(&[("BIND", "8080")]), Err(ConfigError::Bind(_))));
        assert!(matches!(
            config(&[("BIND", "localhost:99999")]),
            Err(ConfigError::Bind(_))
        ));
        assert!(matches!(
            config(&[("DATABASE_POOL_SIZE", "0")]),
            Err(ConfigError::PoolSize(_))
        ));
        assert_eq!(config(&[("DATABASE_POOL_SIZE", "4")]).unwrap().pool_size, 4);
    }

    #[test]
    fn mail_settings_are_checked() {
        assert!(matches!(
            config(&[("SMTP_URL", "mail.example.nl:25")]),
            Err(ConfigError::SmtpUrl(_))
        ));
        assert_eq!(
            config(&[("SMTP_URL", "smtp://127.0.0.1:2525")])
                .unwrap()
                .smtp_url
                .as_deref(),
            Some("smtp://127.0.0.1:2525")
        );
        assert!(matches!(
            config(&[("MAIL_FROM", "not an address")]),
            Err(ConfigError::MailFrom(_))
        ));
        assert!(matches!(
            config(&[("MAIL_RETRY_MAX_SECS", "0")]),
            Err(ConfigError::MailRetryMax(_))
        ));
        assert_eq!(config(&[]).unwrap().mail_retry_max_secs, 300);
        assert!(matches!(
            config(&[("MAIL_LEASE_SECS", "5")]),
            Err(ConfigError::MailLease(_))
        ));
        assert_eq!(config(&[]).unwrap().mail_lease_secs, 120);
        assert_eq!(config(&[("MAIL_LEASE_SECS", "10")]).unwrap().mail_lease_secs, 10);
    }

    #[test]
    fn the_public_url_defaults_to_the_bound_address_and_must_be_http() {
        assert_eq!(config(&[]).unwrap().public_url, "http://127.0.0.1:8080");
        assert_eq!(
            config(&[("BIND", "0.0.0.0:9000")]).unwrap().public_url,
            "http://127.0.0.1:9000"
        );
        assert_eq!(
            config(&[("PUBLIC_URL", "https://woonservice.waalre.nl/")])
                .unwrap()
                .public_url,
            "https://woonservice.waalre.nl"
        );
        for wrong in ["woonservice.nl", "ftp://x", "https://", "https://a b"] {
            assert!(
                matches!(config(&[("PUBLIC_URL", wrong)]), Err(ConfigError::PublicUrl(_))),
                "{wrong}"
            );
        }
    }

    #[test]
    fn sqlite_without_a_secret_generates_one_beside_the_database_and_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.db");
        let c = config(&[("DATABASE_URL", db.to_str().unwrap())]).unwrap();
        let first = c.jwt_secret().unwrap();
        assert_eq!(
            first.generated_in.as_deref(),
            Some(dir.path().join("w.db.jwt-secret").as_path())
        );
        assert!(first.bytes.len() >= MIN_JWT_SECRET_BYTES);
        assert_eq!(c.jwt_secret().unwrap().bytes, first.bytes);
    }
}
