// Not every test binary uses every helper.
#![allow(dead_code)]

//! The test harness: each test gets its own database (a temporary SQLite file, or a
//! fresh PostgreSQL database when `TEST_DATABASE_URL` names a server) and its own real
//! server on a random port, both gone when the test ends.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread::JoinHandle;

use actix_web::dev::ServerHandle;
use diesel::{Connection, PgConnection, RunQueryDsl};
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use woonservice::config::{Config, DatabaseTarget, LogFormat};
use woonservice::domain::Role;
use woonservice::service::Ctx;
use woonservice::service::users::{self, StaffAccount};
use woonservice::startup::{self, Application};
use woonservice::store::{DbConnection, municipalities};

pub const PASSWORD: &str = "geheim-wachtwoord";

/// A database that exists for one test.
pub struct TestDb {
    pub target: DatabaseTarget,
    server_url: Option<String>,
    name: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub fn new() -> TestDb {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let name = format!(
            "ws_test_{}_{}_{:08x}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed),
            rand::random::<u32>()
        );
        match server_url() {
            Some(server_url) => {
                let mut admin =
                    PgConnection::establish(&server_url).expect("TEST_DATABASE_URL must reach a PostgreSQL server");
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("create test database");
                TestDb {
                    target: DatabaseTarget::Postgres(with_database(&server_url, &name)),
                    server_url: Some(server_url),
                    name,
                    _dir: None,
                }
            }
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                TestDb {
                    target: DatabaseTarget::Sqlite(dir.path().join(format!("{name}.db"))),
                    server_url: None,
                    name,
                    _dir: Some(dir),
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.server_url.is_some()
    }

    /// The `DATABASE_URL` a separate process would use.
    pub fn url(&self) -> String {
        match &self.target {
            DatabaseTarget::Postgres(url) => url.clone(),
            DatabaseTarget::Sqlite(path) => format!("sqlite://{}", path.display()),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(server_url) = &self.server_url
            && let Ok(mut admin) = PgConnection::establish(server_url)
        {
            let _ =
                diesel::sql_query(format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)).execute(&mut admin);
        }
    }
}

pub fn server_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())
}

/// The same server URL with another database name.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

pub fn test_config(target: DatabaseTarget) -> Config {
    Config {
        bind: "127.0.0.1:0".into(),
        database: target,
        jwt_secret: Some("test-secret-that-is-long-enough-for-hs256!".into()),
        log_format: LogFormat::Pretty,
        pool_size: 4,
        smtp_url: None,
        mail_from: woonservice::config::DEFAULT_MAIL_FROM.into(),
        mail_retry_max_secs: 1,
        trusted_proxies: Vec::new(),
        mail_lease_secs: woonservice::config::DEFAULT_MAIL_LEASE_SECS,
        public_url: "http://127.0.0.1:8080".to_owned(),
    }
}

fn init_logs() {
    if std::env::var("TEST_LOG").is_ok() {
        woonservice::telemetry::init(LogFormat::Pretty);
    }
}

/// A running server on its own thread and actix system, as in production.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub ctx: Ctx,
    handle: ServerHandle,
    thread: Option<JoinHandle<()>>,
    pub db: Arc<TestDb>,
}

/// How to start a test server.
#[derive(Default)]
pub struct Options {
    /// Another way to the test database (e.g. a proxy in front of it).
    pub database: Option<DatabaseTarget>,
    /// Run the mail worker against an SMTP server on this local port.
    pub smtp_port: Option<u16>,
    /// `TRUSTED_PROXIES`.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

pub async fn spawn_app() -> TestApp {
    spawn_with(Arc::new(TestDb::new()), Options::default()).await
}

/// Starts a server on `db`; `database` overrides the target the server uses (e.g. a
/// proxy in front of the test database).
pub async fn spawn_app_on(db: TestDb, database: Option<DatabaseTarget>) -> TestApp {
    spawn_with(
        Arc::new(db),
        Options {
            database,
            ..Options::default()
        },
    )
    .await
}

/// Starts a server with its background work (the mail worker when `smtp_port` is
/// set; the scheduled jobs are run by the tests themselves).
pub async fn spawn_with(db: Arc<TestDb>, options: Options) -> TestApp {
    init_logs();
    let mut config = test_config(options.database.unwrap_or_else(|| db.target.clone()));
    config.smtp_url = options.smtp_port.map(|port| format!("smtp://127.0.0.1:{port}"));
    config.trusted_proxies = options.trusted_proxies;
    let ctx = startup::prepare(&config).expect("the service prepares its database");
    let (sender, receiver) = std::sync::mpsc::channel();
    let server_ctx = ctx.clone();
    let thread = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let background = startup::Background::start(&server_ctx, &config, false).expect("background work starts");
            let app = Application::build(&config, server_ctx, Some(1)).expect("the server binds");
            sender.send((app.address(), app.handle())).expect("test is waiting");
            let _ = app.run_until_stopped().await;
            background.stop().await;
        })
    });
    let (address, handle) = receiver.recv().expect("the server started");
    TestApp {
        address: format!("http://{address}"),
        client: reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        ctx,
        handle,
        thread: Some(thread),
        db,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // `stop` sends its command at once; the returned future only waits for it.
        drop(self.handle.stop(false));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl TestApp {
    /// The service's own clock: what it takes for now, moved by `advance`.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.ctx.clock.now()
    }

    /// Moves the service's clock forward, as if `by` had passed.
    pub fn advance(&self, by: chrono::Duration) {
        self.ctx.clock.advance(by);
    }

    /// Waits until the cache of recent callers hears account changes (PostgreSQL), so
    /// that what a test counts or changes meets the cache as a running server's would.
    pub async fn hearing_account_changes(&self) {
        if self.db.is_postgres() {
            eventually(
                std::time::Duration::from_secs(5),
                "the account-change listener connects",
                async || self.ctx.callers.in_use(),
            )
            .await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Runs `f` on the test's database, outside the API (setup and inspection).
    pub fn with_db<T>(&self, f: impl FnOnce(&mut DbConnection) -> woonservice::error::AppResult<T>) -> T {
        self.ctx.db.run_blocking(f).expect("direct database work succeeds")
    }

    pub fn municipality(&self, name: &str) -> i64 {
        self.with_db(|c| match municipalities::find_id_by_name(c, name)? {
            Some(id) => Ok(id),
            None => municipalities::insert_named(c, name, self.now()),
        })
    }

    /// Creates a staff user serving the named municipalities; returns its email.
    pub fn staff(&self, role: Role, municipality_names: &[&str]) -> String {
        for name in municipality_names {
            self.municipality(name);
        }
        let email = format!(
            "{}.{:06x}@test.woonservice.nl",
            role.as_str(),
            rand::random::<u32>() & 0xff_ffff
        );
        let account = StaffAccount {
            email: email.clone(),
            password: PASSWORD.into(),
            role,
            municipality_names: municipality_names.iter().map(|s| s.to_string()).collect(),
        };
        self.with_db(|c| users::create_staff(c, account, self.now()));
        email
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn token(&self, email: &str) -> String {
        self.token_with(email, PASSWORD).await
    }

    pub async fn token_with(&self, email: &str, password: &str) -> String {
        let response = self.login(email, password).await;
        assert_eq!(response.status(), 200, "login of {email}");
        let body: Value = response.json().await.unwrap();
        body["access_token"].as_str().unwrap().to_owned()
    }

    /// A token for a new staff user of `role` serving the named municipalities.
    pub async fn token_for(&self, role: Role, municipality_names: &[&str]) -> String {
        let email = self.staff(role, municipality_names);
        self.token(&email).await
    }

    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }

    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request sent")
    }
}

/// Asserts a 200 answer; returns its JSON body (shown when the status is another).
pub async fn ok_json(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(status, 200, "{body}");
    body
}

/// Asserts a problem+json answer with this status and code; returns its body.
pub async fn assert_problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status, "status of {}", response.url());
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.expect("a JSON problem");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status);
    assert_eq!(body["type"], format!("urn:woonservice:problem:{code}"));
    assert!(body["title"].is_string() && body["detail"].is_string(), "{body}");
    body
}

/// Waits until `condition` holds, asking again every 50 ms; fails saying what did not
/// happen when `within` passes first. For what the service does in the background
/// (mails sent, a database back), instead of sleeping a guessed time.
pub async fn eventually(within: std::time::Duration, what: &str, mut condition: impl AsyncFnMut() -> bool) {
    let deadline = std::time::Instant::now() + within;
    while !condition().await {
        assert!(std::time::Instant::now() < deadline, "not within {within:?}: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
