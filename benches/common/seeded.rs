//! What the benches on a seeded database share: the service context, the seeded
//! municipalities and staff, and fresh requests to route.

use chrono::{Datelike, Duration, NaiveTime, Utc};
use diesel::prelude::*;
use woonservice::config::{Config, DatabaseTarget, LogFormat};
use woonservice::domain::Email;
use woonservice::domain::hours::QuarterHours;
use woonservice::domain::request::NewTaskRequest;
use woonservice::domain::schedule::local_to_utc;
use woonservice::domain::window::DateWindow;
use woonservice::service::Ctx;
use woonservice::service::clock::Clock;
use woonservice::service::tokens::Subject;
use woonservice::store::schema::{clients, municipalities};
use woonservice::store::{requests, users};

/// The service context on `url`, as `serve` would build it.
pub fn context(url: &str) -> Ctx {
    let config = Config {
        bind: "127.0.0.1:0".into(),
        database: DatabaseTarget::parse(url).expect("BENCH_DATABASE_URL"),
        jwt_secret: Some("bench-secret-that-is-long-enough-for-hs256".into()),
        log_format: LogFormat::Pretty,
        pool_size: 8,
        smtp_url: None,
        mail_from: woonservice::config::DEFAULT_MAIL_FROM.into(),
        mail_retry_max_secs: 300,
        trusted_proxies: Vec::new(),
        mail_lease_secs: woonservice::config::DEFAULT_MAIL_LEASE_SECS,
        public_url: "http://127.0.0.1:8080".to_owned(),
    };
    let ctx = woonservice::startup::prepare(&config).expect("the database is reachable");
    // As `serve` does: recent callers come from memory while a listener hears account
    // changes (PostgreSQL), so a call reads its caller only the first time.
    if let DatabaseTarget::Postgres(url) = &config.database {
        woonservice::service::callers::listen(ctx.callers.clone(), url.clone(), || false);
        let start = std::time::Instant::now();
        while !ctx.callers.in_use() && start.elapsed() < std::time::Duration::from_secs(5) {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
    ctx
}

/// The seeded municipalities without a yearly voucher cap (sales never hit it).
pub fn towns(ctx: &Ctx) -> Vec<i64> {
    let towns: Vec<i64> = ctx
        .db
        .run_blocking(|c| {
            Ok(municipalities::table
                .filter(municipalities::name.like("Gemeente %"))
                .filter(municipalities::yearly_voucher_cap.is_null())
                .select(municipalities::id)
                .load(c)?)
        })
        .unwrap();
    assert!(!towns.is_empty(), "no seeded municipalities without a yearly cap");
    towns
}

/// The next Monday at least a week ahead, 09:00 Amsterdam, plus `offset` hours.
pub fn future_slot(offset: i64) -> chrono::DateTime<Utc> {
    let mut day = (Utc::now() + Duration::days(7)).date_naive();
    while day.weekday().number_from_monday() != 1 {
        day = day.succ_opt().unwrap();
    }
    local_to_utc(day.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap())) + Duration::hours(offset)
}

/// The seeded staff member of `role` in `municipality`.
pub fn staff(ctx: &Ctx, role: &str, municipality: i64) -> Subject {
    let email = Email::parse(&format!("{role}.{municipality}@seed.woonservice.nl")).unwrap();
    let user = ctx
        .db
        .run_blocking(|c| match users::id_by_email(c, &email)? {
            Some(id) => users::find(c, id),
            None => Ok(None),
        })
        .unwrap()
        .expect("a seeded database (woonservice demo seed)");
    Subject::of(&user)
}

/// A new request of one of the first 50 clients of `town`, taken in by its advisor
/// (untimed: only what comes after is measured); the `i`th of a run picks the category.
pub fn fresh_request(ctx: &Ctx, town: i64, i: usize) -> (Subject, i64) {
    let advisor = staff(ctx, "advisor", town);
    let category = ["gardening", "errands", "odd_jobs", "moving", "administration", "meals"][i % 6];
    let start = future_slot(0);
    let request = ctx
        .db
        .run_blocking(|c| {
            let client: i64 = clients::table
                .filter(clients::municipality_id.eq(town))
                .select(clients::id)
                .order(clients::id)
                .offset((i % 50) as i64)
                .first(c)?;
            let new = NewTaskRequest {
                client_id: client,
                category: category.into(),
                description: "bench".into(),
                window: DateWindow::stored(start, start + Duration::hours(6)),
                estimated_hours: QuarterHours::from_hours(2),
            };
            requests::insert(c, &new, town, advisor.user_id, Clock::system().now())
        })
        .unwrap();
    (advisor, request)
}
