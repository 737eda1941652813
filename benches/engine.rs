//! Throughput of the Monte Carlo engine on the default scenario (12 cities ×
//! 8 sectors × 120 months): paths per second with 1 and 2 threads.
//!
//! `cargo bench` runs 2,000 paths per setting; `FUNDSIM_BENCH_PATHS=10000
//! cargo bench` runs more. Peak memory and whole-command timings are in
//! `benches/throughput.sh`; results are recorded in BENCHMARKS.md.

use fundsim::runner::{self, RunConfig};
use fundsim::scenario::Scenario;
use std::time::Instant;

fn main() {
    let paths: u64 = std::env::var("FUNDSIM_BENCH_PATHS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let scenario = Scenario::load(None)
        .expect("the embedded scenario is valid")
        .scenario;
    println!(
        "default scenario: {} cities × {} sectors × {} months, {paths} paths",
        scenario.n_cities(),
        scenario.n_sectors(),
        scenario.months()
    );
    for threads in [1, 2] {
        let config = RunConfig {
            seed: 1,
            paths: 0..paths,
            threads: Some(threads),
            progress: false,
        };
        // one warm-up run of a few paths, then the timed run
        let warm = RunConfig {
            paths: 0..64,
            ..config.clone()
        };
        runner::run(&scenario, &warm).expect("warm-up run");
        let started = Instant::now();
        let set = runner::run(&scenario, &config).expect("timed run");
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "threads {threads}: {:.2} s, {:.0} paths/s ({:.3} ms a path per thread)",
            seconds,
            set.paths as f64 / seconds,
            seconds * 1e3 * threads as f64 / set.paths as f64
        );
    }
}
