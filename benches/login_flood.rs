//! `GET /api/v1/me` latency while logins flood the server: what a caller who needs no
//! password check feels when many others log in at once (argon2 takes a core for tens
//! of milliseconds per login).
//!
//! ```sh
//! cargo run --release -- serve --demo &
//! LOAD_URL=http://127.0.0.1:8080 cargo bench --bench login_flood
//! ```
//! `FLOOD_LOGINS` (default 48) logins run at once, over and over, for `LOAD_SECONDS`
//! (default 10), spread over the demo accounts (`FLOOD_EMAILS`, comma-separated, with
//! `FLOOD_PASSWORD`); one caller reads `me` in a loop, first without the flood, then
//! with it. Reports p50/p99 of `me` and what the logins were answered.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::Mutex;

const DEMO_EMAILS: &str = "advisor@demo.woonservice.nl,coordinator@demo.woonservice.nl,coach@demo.woonservice.nl,\
admin@demo.woonservice.nl,advisor.valkenswaard@demo.woonservice.nl";

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

async fn login(http: &reqwest::Client, base: &str, email: &str, password: &str) -> reqwest::Result<reqwest::Response> {
    http.post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
}

/// Reads `me` in a loop until `stop`; the latency of each answered call.
async fn read_me(http: reqwest::Client, base: String, token: String, stop: Arc<AtomicBool>) -> (Vec<Duration>, usize) {
    let (mut latencies, mut failures) = (Vec::new(), 0);
    while !stop.load(Ordering::Relaxed) {
        let began = Instant::now();
        match http.get(format!("{base}/api/v1/me")).bearer_auth(&token).send().await {
            Ok(r) if r.status().is_success() => latencies.push(began.elapsed()),
            _ => failures += 1,
        }
    }
    (latencies, failures)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let at = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[at].as_secs_f64() * 1000.0
}

async fn measure(http: &reqwest::Client, base: &str, token: &str, seconds: u64, flood: usize) {
    let stop = Arc::new(AtomicBool::new(false));
    let emails: Vec<String> = env_or("FLOOD_EMAILS", DEMO_EMAILS)
        .split(',')
        .map(str::to_owned)
        .collect();
    let password = env_or("FLOOD_PASSWORD", "demo-wachtwoord");
    let answers = Arc::new(Mutex::new(BTreeMap::<String, usize>::new()));
    let floods: Vec<_> = (0..flood)
        .map(|i| {
            let (http, base, stop, answers) = (http.clone(), base.to_owned(), stop.clone(), answers.clone());
            let (email, password) = (emails[i % emails.len()].clone(), password.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let answer = match login(&http, &base, &email, &password).await {
                        Ok(r) => r.status().as_u16().to_string(),
                        Err(e) => format!("error: {e}"),
                    };
                    *answers.lock().await.entry(answer).or_default() += 1;
                }
            })
        })
        .collect();
    let reader = tokio::spawn(read_me(http.clone(), base.to_owned(), token.to_owned(), stop.clone()));
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for f in floods {
        let _ = f.await;
    }
    let (mut latencies, failures) = reader.await.expect("the reader ran");
    latencies.sort_unstable();
    let logins: Vec<String> = answers.lock().await.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    println!(
        "| {flood} | {} | {failures} | {:.1} | {:.1} | {} |",
        latencies.len(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.99),
        if logins.is_empty() {
            "–".to_owned()
        } else {
            logins.join(", ")
        }
    );
}

#[tokio::main]
async fn main() {
    let Ok(base) = std::env::var("LOAD_URL") else {
        eprintln!("LOAD_URL is not set: start a server (serve --demo) and point LOAD_URL at it");
        return;
    };
    let seconds: u64 = env_or("LOAD_SECONDS", "10").parse().expect("LOAD_SECONDS is a number");
    let flood: usize = env_or("FLOOD_LOGINS", "48").parse().expect("FLOOD_LOGINS is a number");
    let http = reqwest::Client::builder().pool_max_idle_per_host(256).build().unwrap();
    let reader_email = env_or("FLOOD_READER", "advisor@demo.woonservice.nl");
    let answer = login(
        &http,
        &base,
        &reader_email,
        &env_or("FLOOD_PASSWORD", "demo-wachtwoord"),
    )
    .await
    .expect("the server answers");
    let body: Value = answer.json().await.expect("a login answer");
    let token = body["access_token"].as_str().expect("the reader logs in").to_owned();
    println!("| parallel logins | me calls | me failures | me p50 ms | me p99 ms | login answers |");
    println!("|---|---|---|---|---|---|");
    measure(&http, &base, &token, seconds, 0).await;
    measure(&http, &base, &token, seconds, flood).await;
}
