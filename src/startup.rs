//! Wiring: configuration → database (migrated) → services → HTTP server.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::HttpServer;
use actix_web::dev::{Server, ServerHandle};

use tokio::sync::watch;

use crate::api;
use crate::config::{Config, ConfigError, DatabaseTarget};
use crate::error::AppError;
use crate::service::Ctx;
use crate::service::callers::{self, Callers};
use crate::service::clock::Clock;
use crate::service::jobs;
use crate::service::keys::ServerKeys;
use crate::service::mail::worker::{self, Mailer};
use crate::service::tokens::Tokens;
use crate::store::{Db, migrations};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("configuration: {0}")]
    Config(#[from] ConfigError),
    #[error("database: {0}")]
    Database(AppError),
    #[error("cannot listen on {bind}: {source}")]
    Bind { bind: String, source: std::io::Error },
    #[error("mail: {0}")]
    Mail(String),
}

/// The context of `serve`: connects, applies pending migrations and builds the services.
/// The migrations run on a pool of their own that is gone before the server's pool
/// starts keeping a connection ready: on a new SQLite file, that background connection
/// would otherwise try to switch the file to WAL while the migrations hold the write
/// lock, and log "database is locked" on a first start.
pub fn prepare(config: &Config) -> Result<Ctx, StartError> {
    let migrated = prepare_command(config)?;
    Ok(Ctx {
        db: Db::new(&config.database, config.pool_size),
        tokens: migrated.tokens,
        mail_health: migrated.mail_health,
        keys: migrated.keys,
        clock: migrated.clock,
        callers: Arc::new(match config.database {
            DatabaseTarget::Postgres(_) => Callers::listened(),
            DatabaseTarget::Sqlite(_) => Callers::off(),
        }),
    })
}

/// The context of a one-shot command (migrate, verify, a job, seeding, a user):
/// connects, applies pending migrations and builds the services.
pub fn prepare_command(config: &Config) -> Result<Ctx, StartError> {
    prepare_with(config, Db::for_command(&config.database))
}

fn prepare_with(config: &Config, db: Db) -> Result<Ctx, StartError> {
    let secret = config.jwt_secret()?;
    if let Some(path) = &secret.generated_in {
        tracing::warn!(
            file = %path.display(),
            "JWT_SECRET is not set: using a generated secret kept beside the SQLite database; set JWT_SECRET in production"
        );
    }
    let applied = db
        .run_blocking(migrations::run_pending)
        .map_err(|e| StartError::Database(describe_db_error(e, config)))?;
    tracing::info!(database = %config.database.describe(), applied = ?applied, "database ready");
    Ok(Ctx {
        db,
        tokens: Arc::new(Tokens::new(&secret.bytes)),
        mail_health: Arc::default(),
        keys: Arc::new(ServerKeys::new(&secret.bytes)),
        clock: Clock::system(),
        callers: Arc::new(Callers::off()),
    })
}

fn describe_db_error(e: AppError, config: &Config) -> AppError {
    match e {
        AppError::Unavailable(cause) => {
            AppError::unavailable_because(format!("{} is unreachable", config.database.describe()), cause)
        }
        other => other,
    }
}

pub struct Application {
    server: Server,
    address: std::net::SocketAddr,
}

impl Application {
    /// Binds `config.bind` (port 0 picks a free one) and builds the server.
    pub fn build(config: &Config, ctx: Ctx, workers: Option<usize>) -> Result<Application, StartError> {
        let bind_error = |source| StartError::Bind {
            bind: config.bind.clone(),
            source,
        };
        let listener = TcpListener::bind(&config.bind).map_err(bind_error)?;
        let address = listener.local_addr().map_err(bind_error)?;
        let doc = api::openapi_document();
        let proxies = api::extract::TrustedProxies(config.trusted_proxies.clone());
        let mut server = HttpServer::new(move || api::app(ctx.clone(), doc.clone(), proxies.clone()));
        if let Some(n) = workers {
            server = server.workers(n);
        }
        let server = server.listen(listener).map_err(bind_error)?.run();
        Ok(Application { server, address })
    }

    pub fn address(&self) -> std::net::SocketAddr {
        self.address
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT/SIGTERM (or `handle().stop()`); in-flight requests finish first.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The work `serve` does besides answering requests: the mail worker (when
/// `SMTP_URL` is set) and the scheduled jobs.
pub struct Background {
    stop: watch::Sender<bool>,
    mail: Option<actix_web::rt::task::JoinHandle<()>>,
}

impl Background {
    /// Starts on the current actix system; `with_jobs` runs the scheduled jobs too.
    pub fn start(ctx: &Ctx, config: &Config, with_jobs: bool) -> Result<Background, StartError> {
        let (stop, stopped) = watch::channel(false);
        let mail = match &config.smtp_url {
            Some(url) => {
                let mailer = Mailer::new(
                    url,
                    &config.mail_from,
                    config.mail_retry_max_secs,
                    config.mail_lease_secs,
                    &config.public_url,
                )
                .map_err(StartError::Mail)?;
                Some(actix_web::rt::spawn(worker::supervise(
                    ctx.clone(),
                    mailer,
                    stopped.clone(),
                )))
            }
            None => None,
        };
        if let (true, DatabaseTarget::Postgres(url)) = (ctx.callers.enabled(), &config.database) {
            let stopping = stopped.clone();
            callers::listen(ctx.callers.clone(), url.clone(), move || *stopping.borrow());
        }
        if with_jobs {
            jobs::spawn_all(ctx.clone(), stopped);
        }
        Ok(Background { stop, mail })
    }

    pub fn sends_mail(&self) -> bool {
        self.mail.is_some()
    }

    /// Stops the jobs, and the mail worker after the mail it is sending.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Some(mail) = self.mail {
            let _ = mail.await;
        }
    }
}
