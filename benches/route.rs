//! A full route through the service layer on a database filled by
//! `woonservice demo seed --scale national` (340 municipalities, 20,000 members, 5,000
//! providers, a million past requests and assignments), with criterion: each sample
//! routes fresh requests of random clients in random municipalities; taking each
//! request in is not timed.
//!
//! ```sh
//! BENCH_DATABASE_URL=postgres://…/woonservice_bench cargo bench --bench route
//! ```
//! Without `BENCH_DATABASE_URL` it says so and measures nothing. Criterion gives the
//! mean and its spread; `benches/service_latency.rs` gives the p99 of the same route.

#[path = "common/seeded.rs"]
mod seeded;

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use woonservice::service::routing;

fn bench(c: &mut Criterion) {
    let Ok(url) = std::env::var("BENCH_DATABASE_URL") else {
        println!("route: set BENCH_DATABASE_URL to a database filled by `woonservice demo seed`; nothing measured");
        return;
    };
    let ctx = seeded::context(&url);
    let towns = seeded::towns(&ctx);
    let system = actix_web::rt::System::new();
    let mut rng = StdRng::seed_from_u64(11);
    let mut n = 0;
    c.bench_function("route a fresh request at national scale", |b| {
        b.iter_custom(|iterations| {
            let mut routing_time = Duration::ZERO;
            for _ in 0..iterations {
                n += 1;
                let town = towns[rng.random_range(0..towns.len())];
                let (advisor, request) = seeded::fresh_request(&ctx, town, n);
                let begin = Instant::now();
                system.block_on(routing::route(&ctx, advisor, request)).expect("route");
                routing_time += begin.elapsed();
            }
            routing_time
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
