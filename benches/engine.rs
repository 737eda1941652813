//! Throughput of the Monte Carlo engine on the default scenario (12 cities ×
//! 8 sectors × 120 months): paths per second with 1 and 2 threads, and
//! what one path's arithmetic costs without its draws (the engine in
//! expected-value mode, one thread).
//!
//! `cargo bench` runs 2,000 paths per setting; `FUNDSIM_BENCH_PATHS=10000
//! cargo bench` runs more. Peak memory and whole-command timings are in
//! `benches/throughput.sh`; results are recorded in BENCHMARKS.md.

use std::time::Instant;

fn main() {
    let paths: u64 = std::env::var("FUNDSIM_BENCH_PATHS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let (cities, sectors, months) = fundsim::bench::default_size();
    println!(
        "default scenario: {cities} cities × {sectors} sectors × {months} months, {paths} paths"
    );
    for threads in [1, 2] {
        // one warm-up run of a few paths, then the timed run
        let _ = fundsim::bench::run_default(1, 64, threads);
        let started = Instant::now();
        let done = fundsim::bench::run_default(1, paths, threads);
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "threads {threads}: {:.2} s, {:.0} paths/s ({:.3} ms a path per thread)",
            seconds,
            done as f64 / seconds,
            seconds * 1e3 * threads as f64 / done as f64
        );
    }
    // the same months, cells and rules with every draw at its mean; every
    // count is fractional, so every branch of the arithmetic is taken
    let runs = (paths as usize / 2).max(100);
    let _ = fundsim::bench::run_expected_default(10);
    let started = Instant::now();
    let total = fundsim::bench::run_expected_default(runs);
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        total.is_finite() && total > 0.0,
        "an expected-value path pays"
    );
    println!(
        "expected value, no draws: {:.3} ms a path ({runs} runs)",
        seconds * 1e3 / runs as f64
    );
}
