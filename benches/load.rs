//! Load harness: scenarios at fixed concurrency against a running `serve`, reporting
//! throughput and p50/p99 latency — the HTTP tier, the blocking pool and the database
//! together, as callers see them.
//!
//! ```sh
//! # a seeded database and a release server on it
//! cargo run --release -- demo seed --scale national
//! BIND=127.0.0.1:8080 cargo run --release -- serve &
//! LOAD_URL=http://127.0.0.1:8080 LOAD_DATABASE_URL=$DATABASE_URL cargo bench --bench load
//! ```
//! `LOAD_CONCURRENCY` (default `1,16`) and `LOAD_SECONDS` (default 10) set the runs. The
//! harness logs in as the seeded staff and prepares the proposals the accept scenario
//! consumes directly in the database (`LOAD_DATABASE_URL`); it adds requests,
//! assignments and vouchers to the database it measures.

#[path = "common/proposal.rs"]
mod proposal;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveTime, Utc};
use diesel::prelude::*;
use serde_json::{Value, json};
use woonservice::config::{Config, DatabaseTarget, LogFormat};
use woonservice::domain::schedule::local_to_utc;
use woonservice::store::Db;
use woonservice::store::schema::{clients, members, municipalities, requests as request_table};

const PASSWORD: &str = "seed-wachtwoord";
/// Clients per municipality whose vouchers the accept scenario reserves.
const HOLDERS: usize = 100;
/// The description of the requests the accept scenario prepares.
const ACCEPT_LOAD: &str = "load: accept";

struct Town {
    id: i64,
    advisor: String,
    coordinator: String,
    advisor_email: String,
    requests: Vec<i64>,
    clients: Vec<i64>,
}

struct Setup {
    base: String,
    towns: Vec<Town>,
    proposals: Vec<(usize, i64)>,
    /// The next proposal to accept, over all runs: each can be accepted once.
    next_proposal: AtomicUsize,
}

fn db(url: &str) -> Db {
    let config = Config {
        bind: "127.0.0.1:0".into(),
        database: DatabaseTarget::parse(url).expect("LOAD_DATABASE_URL"),
        jwt_secret: Some("load-harness-secret-long-enough-for-hs256".into()),
        log_format: LogFormat::Pretty,
        pool_size: 4,
        smtp_url: None,
        mail_from: woonservice::config::DEFAULT_MAIL_FROM.into(),
        mail_retry_max_secs: 300,
        trusted_proxies: Vec::new(),
        mail_lease_secs: woonservice::config::DEFAULT_MAIL_LEASE_SECS,
        public_url: "http://127.0.0.1:8080".to_owned(),
    };
    woonservice::startup::prepare(&config)
        .expect("the database is reachable")
        .db
}

async fn login(http: &reqwest::Client, base: &str, email: &str) -> String {
    let response = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        200,
        "login of {email}: is the database seeded (woonservice demo seed)?"
    );
    response.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A weekday morning two weeks ahead plus `hours`.
fn future(hours: i64) -> chrono::DateTime<Utc> {
    let mut day = (Utc::now() + chrono::Duration::days(14)).date_naive();
    while day.weekday().number_from_monday() != 1 {
        day = day.succ_opt().unwrap();
    }
    local_to_utc(day.and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap())) + chrono::Duration::hours(hours)
}

async fn setup(http: &reqwest::Client, base: String, db: &Db, proposals: usize) -> Setup {
    let ids: Vec<i64> = db
        .run_blocking(|c| {
            Ok(municipalities::table
                .filter(municipalities::name.like("Gemeente %"))
                .filter(municipalities::yearly_voucher_cap.is_null())
                .select(municipalities::id)
                .order(municipalities::id)
                .limit(8)
                .load(c)?)
        })
        .unwrap();
    let mut towns = Vec::new();
    for id in ids {
        let (requests, clients): (Vec<i64>, Vec<i64>) = db
            .run_blocking(|c| {
                let r = request_table::table
                    .filter(request_table::municipality_id.eq(id))
                    .select(request_table::id)
                    .order(request_table::id)
                    .limit(2000)
                    .load(c)?;
                let k = clients::table
                    .filter(clients::municipality_id.eq(id))
                    .select(clients::id)
                    .order(clients::id)
                    .limit(2000)
                    .load(c)?;
                Ok((r, k))
            })
            .unwrap();
        let advisor_email = format!("advisor.{id}@seed.woonservice.nl");
        towns.push(Town {
            id,
            advisor: login(http, &base, &advisor_email).await,
            coordinator: login(http, &base, &format!("coordinator.{id}@seed.woonservice.nl")).await,
            advisor_email,
            requests,
            clients,
        });
    }
    // Proposals for the accept scenario: tier-2 requests of clients holding vouchers,
    // each with its own jobseeker and hour so no accept runs into another's overlap.
    // Each accept reserves one voucher of its client: the holders buy what the
    // proposals will take.
    let per_holder = proposals.div_ceil(towns.len().max(1) * HOLDERS);
    for town in &towns {
        for &holder in &town.clients[..HOLDERS] {
            let mut left = per_holder;
            while left > 0 {
                let count = left.min(100);
                let sold = http
                    .post(format!("{base}/api/v1/clients/{holder}/vouchers"))
                    .bearer_auth(&town.coordinator)
                    .header(
                        "Idempotency-Key",
                        format!("load-holder-{holder}-{}", rand::random::<u64>()),
                    )
                    .json(&json!({"count": count}))
                    .send()
                    .await
                    .unwrap();
                assert!(
                    sold.status().is_success(),
                    "selling vouchers to {holder}: {}",
                    sold.status()
                );
                left -= count;
            }
        }
    }
    // Slots continue after those of earlier runs, whose accepted work still books
    // the same jobseekers.
    let earlier: i64 = db
        .run_blocking(|c| {
            Ok(request_table::table
                .filter(request_table::description.eq(ACCEPT_LOAD))
                .count()
                .get_result(c)?)
        })
        .unwrap();
    let mut prepared = Vec::new();
    for n in 0..proposals {
        let t = n % towns.len();
        let town = &towns[t];
        let slot = (n + earlier as usize) / towns.len();
        let start = future((slot % 8) as i64 + 24 * (slot / 8 % 5) as i64 + 24 * 7 * (slot / 40) as i64);
        let town_id = town.id;
        let holders = &town.clients[..HOLDERS];
        let id = db
            .run_blocking(|c| {
                let holder = holders[slot % HOLDERS];
                let jobseeker: i64 = members::table
                    .filter(members::municipality_id.eq(town_id))
                    .filter(members::kind.eq("jobseeker"))
                    .select(members::id)
                    .order(members::id)
                    .offset((slot % 25) as i64)
                    .first(c)?;
                let by: i64 = woonservice::store::users::id_by_email(
                    c,
                    &woonservice::domain::Email::parse(&format!("advisor.{town_id}@seed.woonservice.nl")).unwrap(),
                )?
                .unwrap();
                proposal::proposed(
                    c,
                    proposal::Visit {
                        client_id: holder,
                        member_id: jobseeker,
                        municipality_id: town_id,
                        proposed_by: by,
                        start,
                        description: ACCEPT_LOAD,
                    },
                )
            })
            .unwrap();
        prepared.push((t, id));
    }
    Setup {
        base,
        towns,
        proposals: prepared,
        next_proposal: AtomicUsize::new(0),
    }
}

#[derive(Clone, Copy, Debug)]
enum Scenario {
    Login,
    ReadRequest,
    UnmatchedQueue,
    CreateRequest,
    RouteRequest,
    Accept,
    SellVouchers,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Login => "log in",
            Scenario::ReadRequest => "read a request with its trail",
            Scenario::UnmatchedQueue => "list the unmatched queue",
            Scenario::CreateRequest => "create a request",
            Scenario::RouteRequest => "route a new request",
            Scenario::Accept => "accept an assignment (voucher reservation)",
            Scenario::SellVouchers => "sell vouchers",
        }
    }
}

async fn outcome(response: reqwest::Result<reqwest::Response>) -> Result<reqwest::Response, String> {
    match response {
        Ok(r) if r.status().is_success() => Ok(r),
        Ok(r) => {
            let status = r.status().as_u16();
            let code = r
                .json::<Value>()
                .await
                .ok()
                .and_then(|p| p["code"].as_str().map(str::to_owned));
            Err(format!("{status} {}", code.unwrap_or_default()))
        }
        Err(e) => Err(format!("transport: {}", e.without_url())),
    }
}

async fn create_request(http: &reqwest::Client, base: &str, town: &Town, w: usize, n: usize) -> Result<i64, String> {
    let client = town.clients[(n * 31 + w) % town.clients.len()];
    let start = future((n % 6) as i64);
    let category = ["gardening", "errands", "odd_jobs", "moving"][n % 4];
    let body = json!({"client_id": client, "category": category, "description": "load",
        "window_start": start, "window_end": start + chrono::Duration::hours(6), "estimated_hours": 1.5});
    let created = outcome(
        http.post(format!("{base}/api/v1/requests"))
            .bearer_auth(&town.advisor)
            .json(&body)
            .send()
            .await,
    )
    .await?;
    let created: Value = created.json().await.map_err(|e| format!("body: {e}"))?;
    created["id"].as_i64().ok_or_else(|| "no id in the answer".to_owned())
}

/// One operation of a scenario by worker `w`, its `n`-th: the time of its measured
/// call, or why it failed. Preparation a scenario needs (the request a route routes)
/// is not timed.
async fn operate(
    http: &reqwest::Client,
    s: &Setup,
    scenario: Scenario,
    w: usize,
    n: usize,
) -> Result<Duration, String> {
    let town = &s.towns[w % s.towns.len()];
    let base = &s.base;
    // Until the whole body is in: an unread body would also keep the connection from
    // going back to the pool, and every call would pay a new TCP connection.
    async fn timed(began: Instant, r: reqwest::Result<reqwest::Response>) -> Result<Duration, String> {
        outcome(r)
            .await?
            .bytes()
            .await
            .map_err(|e| format!("body: {}", e.without_url()))?;
        Ok(began.elapsed())
    }
    match scenario {
        Scenario::Login => {
            let began = Instant::now();
            let r = http
                .post(format!("{base}/api/v1/auth/login"))
                .json(&json!({"email": town.advisor_email, "password": PASSWORD}))
                .send()
                .await;
            timed(began, r).await
        }
        Scenario::ReadRequest => {
            let id = town.requests[(n * 7919 + w * 104_729) % town.requests.len()];
            let began = Instant::now();
            let r = http
                .get(format!("{base}/api/v1/requests/{id}"))
                .bearer_auth(&town.advisor)
                .send()
                .await;
            timed(began, r).await
        }
        Scenario::UnmatchedQueue => {
            let began = Instant::now();
            let r = http
                .get(format!("{base}/api/v1/requests?status=unmatched&limit=50"))
                .bearer_auth(&town.advisor)
                .send()
                .await;
            timed(began, r).await
        }
        Scenario::CreateRequest => {
            let began = Instant::now();
            create_request(http, base, town, w, n).await.map(|_| began.elapsed())
        }
        Scenario::RouteRequest => {
            let id = create_request(http, base, town, w, n).await?;
            let began = Instant::now();
            let r = http
                .post(format!("{base}/api/v1/requests/{id}/route"))
                .bearer_auth(&town.advisor)
                .send()
                .await;
            timed(began, r).await
        }
        Scenario::Accept => {
            let Some((t, id)) = s
                .proposals
                .get(s.next_proposal.fetch_add(1, Ordering::Relaxed))
                .copied()
            else {
                return Err("no proposal left".into());
            };
            let began = Instant::now();
            let r = http
                .post(format!("{base}/api/v1/assignments/{id}/accept"))
                .bearer_auth(&s.towns[t].advisor)
                .send()
                .await;
            timed(began, r).await
        }
        Scenario::SellVouchers => {
            let client = town.clients[(n * 17 + w * 13) % town.clients.len()];
            let began = Instant::now();
            let r = http
                .post(format!("{base}/api/v1/clients/{client}/vouchers"))
                .bearer_auth(&town.coordinator)
                .header("Idempotency-Key", format!("load-{w}-{n}-{}", rand::random::<u32>()))
                .json(&json!({"count": 1}))
                .send()
                .await;
            timed(began, r).await
        }
    }
}

async fn run(
    http: &reqwest::Client,
    setup: Arc<Setup>,
    scenario: Scenario,
    concurrency: usize,
    seconds: u64,
) -> (usize, BTreeMap<String, usize>, Vec<Duration>, Duration) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let workers = (0..concurrency).map(|w| {
        let (http, setup) = (http.clone(), setup.clone());
        tokio::spawn(async move {
            let (mut latencies, mut errors, mut n) = (Vec::new(), BTreeMap::<String, usize>::new(), 0);
            while Instant::now() < deadline {
                match operate(&http, &setup, scenario, w, n).await {
                    Ok(took) => latencies.push(took),
                    Err(why) => {
                        *errors.entry(why).or_default() += 1;
                        if matches!(scenario, Scenario::Accept)
                            && setup.next_proposal.load(Ordering::Relaxed) >= setup.proposals.len()
                        {
                            break;
                        }
                    }
                }
                n += 1;
            }
            (latencies, errors)
        })
    });
    let mut all = Vec::new();
    let mut errors = BTreeMap::<String, usize>::new();
    for worker in futures_util::future::join_all(workers).await {
        let (latencies, e) = worker.unwrap();
        all.extend(latencies);
        for (why, count) in e {
            *errors.entry(why).or_default() += count;
        }
    }
    let elapsed = started.elapsed();
    all.sort();
    (all.len(), errors, all, elapsed)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() {
    let (Ok(base), Ok(database)) = (std::env::var("LOAD_URL"), std::env::var("LOAD_DATABASE_URL")) else {
        println!("load: set LOAD_URL (a running serve) and LOAD_DATABASE_URL (its seeded database); nothing measured");
        return;
    };
    let levels: Vec<usize> = std::env::var("LOAD_CONCURRENCY")
        .unwrap_or_else(|_| "1,16".into())
        .split(',')
        .filter_map(|c| c.trim().parse().ok())
        .collect();
    let seconds: u64 = std::env::var("LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let scenarios: Vec<Scenario> = match std::env::var("LOAD_SCENARIOS") {
        Ok(list) => list
            .split(',')
            .filter_map(|s| match s.trim() {
                "login" => Some(Scenario::Login),
                "read" => Some(Scenario::ReadRequest),
                "queue" => Some(Scenario::UnmatchedQueue),
                "create" => Some(Scenario::CreateRequest),
                "route" => Some(Scenario::RouteRequest),
                "accept" => Some(Scenario::Accept),
                "sell" => Some(Scenario::SellVouchers),
                _ => None,
            })
            .collect(),
        Err(_) => vec![
            Scenario::Login,
            Scenario::ReadRequest,
            Scenario::UnmatchedQueue,
            Scenario::CreateRequest,
            Scenario::RouteRequest,
            Scenario::Accept,
            Scenario::SellVouchers,
        ],
    };
    let http = reqwest::Client::builder().pool_max_idle_per_host(256).build().unwrap();
    let db = db(&database);
    let proposals = if scenarios.iter().any(|s| matches!(s, Scenario::Accept)) {
        levels.iter().sum::<usize>() * seconds as usize * 120
    } else {
        0
    };
    let setup = Arc::new(setup(&http, base, &db, proposals.min(20_000)).await);
    println!("| scenario | concurrency | ok | errors | req/s | p50 ms | p99 ms |");
    println!("|---|---|---|---|---|---|---|");
    for scenario in scenarios {
        for &concurrency in &levels {
            let (count, errors, latencies, elapsed) = run(&http, setup.clone(), scenario, concurrency, seconds).await;
            let failed: usize = errors.values().sum();
            if !errors.is_empty() {
                eprintln!("{} at {concurrency}: failures {errors:?}", scenario.name());
            }
            if latencies.is_empty() {
                println!("| {} | {concurrency} | 0 | {failed} | – | – | – |", scenario.name());
                continue;
            }
            let at = |p: f64| latencies[((latencies.len() - 1) as f64 * p).round() as usize];
            println!(
                "| {} | {concurrency} | {count} | {failed} | {:.0} | {:.2} | {:.2} |",
                scenario.name(),
                count as f64 / elapsed.as_secs_f64(),
                ms(at(0.5)),
                ms(at(0.99))
            );
        }
    }
}
