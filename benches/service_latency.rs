//! Latency of the heavy use cases through the service layer (the blocking pool, the
//! pool, the real database), on a database filled by `woonservice demo seed`:
//! routing a request, selling 100 vouchers, accepting a tier-2 assignment with its
//! voucher reservation.
//!
//! ```sh
//! BENCH_DATABASE_URL=postgres://…/woonservice_bench cargo bench --bench service_latency
//! ```
//! `SERVICE_LATENCY_ROUTE_ONLY=1` stops after the route. Without `BENCH_DATABASE_URL` it
//! says so and measures nothing. It adds requests,
//! assignments and vouchers to the database it measures.

#[path = "common/proposal.rs"]
mod proposal;
#[path = "common/seeded.rs"]
mod seeded;

use std::time::{Duration as StdDuration, Instant};

use chrono::Utc;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use woonservice::domain::report::Month;
use woonservice::service::idempotency::{IdempotencyKey, Recorded};
use woonservice::service::{assignments, reports, routing, vouchers};
use woonservice::store::schema::{clients, members};

const SAMPLES: usize = 1000;

fn percentile(sorted: &[StdDuration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn report(name: &str, mut samples: Vec<StdDuration>) {
    samples.sort();
    let mean = samples.iter().map(|d| d.as_secs_f64()).sum::<f64>() / samples.len() as f64 * 1000.0;
    println!(
        "| {name} | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
        samples.len(),
        percentile(&samples, 0.5),
        percentile(&samples, 0.99),
        mean,
        samples.last().unwrap().as_secs_f64() * 1000.0
    );
}

fn main() {
    let Ok(url) = std::env::var("BENCH_DATABASE_URL") else {
        println!(
            "service_latency: set BENCH_DATABASE_URL to a database filled by `woonservice demo seed`; nothing measured"
        );
        return;
    };
    let ctx = seeded::context(&url);
    let mut rng = StdRng::seed_from_u64(7);
    let towns = seeded::towns(&ctx);

    println!("| operation | samples | p50 ms | p99 ms | mean ms | max ms |");
    println!("|---|---|---|---|---|---|");
    actix_web::rt::System::new().block_on(async {
        // Route a fresh request of a random client; the first fifth warms the pool's
        // statement caches and the database's buffers and is not counted.
        let mut samples = Vec::new();
        for i in 0..SAMPLES + SAMPLES / 5 {
            let town = towns[rng.random_range(0..towns.len())];
            let (advisor, request) = seeded::fresh_request(&ctx, town, i);
            let begin = Instant::now();
            routing::route(&ctx, advisor, request).await.expect("route");
            if i >= SAMPLES / 5 {
                samples.push(begin.elapsed());
            }
        }
        report("route a request (all four tiers at worst)", samples);
        if std::env::var("SERVICE_LATENCY_ROUTE_ONLY").is_ok() {
            return;
        }

        // Sell 100 vouchers to a client without earlier sales this year.
        let mut samples = Vec::new();
        for i in 0..SAMPLES / 4 {
            let town = towns[i % towns.len()];
            let coordinator = seeded::staff(&ctx, "coordinator", town);
            let client: i64 = ctx
                .db
                .run_blocking(|c| {
                    Ok(clients::table
                        .filter(clients::municipality_id.eq(town))
                        .select(clients::id)
                        .order(clients::id.desc())
                        .offset((i / towns.len()) as i64)
                        .first(c)?)
                })
                .unwrap();
            let key = IdempotencyKey {
                key: format!("bench-{}-{i}", rng.random::<u64>()),
                operation: "sell_vouchers",
                body_hash: "bench".into(),
            };
            let begin = Instant::now();
            vouchers::sell(&ctx, coordinator, client, 100, key, |_| {
                Ok(Recorded {
                    status: 201,
                    body: String::new(),
                    location: None,
                })
            })
            .await
            .expect("sale");
            samples.push(begin.elapsed());
        }
        report("sell 100 vouchers", samples);

        // Accept a tier-2 proposal: overlap and weekly-cap checks plus the reservation.
        let mut samples = Vec::new();
        for i in 0..SAMPLES / 2 {
            let town = towns[rng.random_range(0..towns.len())];
            let advisor = seeded::staff(&ctx, "advisor", town);
            let start = seeded::future_slot(24 * 7 + (i as i64 % 48));
            let assignment = ctx
                .db
                .run_blocking(|c| {
                    // Every fifth seeded client holds ten vouchers.
                    let holders: Vec<i64> = clients::table
                        .filter(clients::municipality_id.eq(town))
                        .select(clients::id)
                        .order(clients::id)
                        .limit(400)
                        .load(c)?;
                    let client = *holders
                        .iter()
                        .filter(|id| *id % 5 == 1)
                        .nth(i / towns.len() % 20)
                        .unwrap_or(&holders[0]);
                    let member: i64 = members::table
                        .filter(members::municipality_id.eq(town))
                        .filter(members::kind.eq("jobseeker"))
                        .select(members::id)
                        .order(members::id)
                        .offset((i % 20) as i64)
                        .first(c)?;
                    proposal::proposed(
                        c,
                        proposal::Visit {
                            client_id: client,
                            member_id: member,
                            municipality_id: town,
                            proposed_by: advisor.user_id,
                            start,
                            description: "bench",
                        },
                    )
                })
                .unwrap();
            let begin = Instant::now();
            let outcome = assignments::accept(&ctx, advisor, assignment).await;
            samples.push(begin.elapsed());
            if let Err(e) = outcome {
                eprintln!("accept {assignment}: {e}");
            }
        }
        report("accept a tier-2 assignment with voucher reservation", samples);

        // The monthly report of a municipality: JSON (one month) and the page (twelve).
        let month = Month::of(woonservice::domain::schedule::local_date(Utc::now())).previous();
        for (name, history) in [
            ("monthly report, one month (JSON)", false),
            ("monthly report with twelve months (HTML page)", true),
        ] {
            let mut samples = Vec::new();
            for i in 0..50 {
                let town = towns[i % towns.len()];
                let coordinator = seeded::staff(&ctx, "coordinator", town);
                let begin = Instant::now();
                reports::monthly(&ctx, coordinator, town, month, history)
                    .await
                    .expect("report");
                samples.push(begin.elapsed());
            }
            report(name, samples);
        }
    });
}
