//! Kolmogorov–Smirnov tests of two sampling code paths against the laws
//! they must draw from (docs/model.md §5.1, §5.2, §11): the geometric exit
//! times of stock heads, and the medical cost of a city's month (one
//! lognormal per case below the threshold, the matched gamma above it).
//!
//! Each test draws from a fixed stream (20,000 medical costs, 100,000 exit
//! times) and compares the empirical CDF with the law's at the 0.1 % level
//! (critical value `1.9495 / √n`); each also checks that a law 5 % off is
//! rejected by the same statistic, so the test has the power to fail.

use crate::model::cases::OUTCOMES;
use crate::model::sampling::Sampler;
use crate::model::sampling::montecarlo::{MEDICAL_EXACT_BELOW, MonteCarlo};
use crate::model::stocks::Stock;
use statrs::distribution::{ContinuousCDF, Gamma, LogNormal};

const N: usize = 20_000;

/// The two-sided critical value of the KS statistic at α = 0.001.
fn critical(n: usize) -> f64 {
    (-0.5 * (0.001f64 / 2.0).ln()).sqrt() / (n as f64).sqrt()
}

/// `sup |F_n − F|` of a sample against a continuous CDF.
fn ks_continuous(sample: &mut [f64], cdf: impl Fn(f64) -> f64) -> f64 {
    sample.sort_by(f64::total_cmp);
    let n = sample.len() as f64;
    sample
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let f = cdf(*x);
            (f - i as f64 / n).abs().max(((i + 1) as f64 / n - f).abs())
        })
        .fold(0.0, f64::max)
}

/// `max_g |F_n(g) − F(g)|` over the integers of a count of values per integer.
fn ks_discrete(counts: &[usize], n: usize, cdf: impl Fn(usize) -> f64) -> f64 {
    let mut cumulative = 0;
    counts
        .iter()
        .enumerate()
        .map(|(g, c)| {
            cumulative += c;
            (cumulative as f64 / n as f64 - cdf(g)).abs()
        })
        .fold(0.0, f64::max)
}

/// Exit times: heads joining at month −1 with hazard `h` leave in month
/// `g ≥ 0` with `P(exit ≤ g) = 1 − (1 − h)^(g+1)`; joining at month 10 the
/// same law starts at month 11.
#[test]
fn geometric_exit_times_follow_their_law() {
    // heads are cheap: 100,000 of them, so that a hazard 5 % off is rejected
    let n = 100_000;
    let h = 0.03;
    let months = 150;
    let mut mc = MonteCarlo::new(77, &crate::input::default_scenario(), 0);
    for (joined, first) in [(-1i64, 0usize), (10, 11)] {
        mc.start_path(1, months);
        mc.joined(Stock::Care, 0, joined, n as f64, h);
        let counts: Vec<usize> = (first..months)
            .map(|t| mc.leavers(Stock::Care, 0, t, n as f64, h) as usize)
            .collect();
        let law = |g: usize, h: f64| 1.0 - (1.0 - h).powi(g as i32 + 1);
        let d = ks_discrete(&counts, n, |g| law(g, h));
        assert!(
            d < critical(n),
            "joined {joined}: D = {d:.5} ≥ {:.5}",
            critical(n)
        );
        let wrong = ks_discrete(&counts, n, |g| law(g, h * 1.05));
        assert!(
            wrong > critical(n),
            "a hazard 5 % off is not rejected: D = {wrong:.5}"
        );
        assert!(
            (0..first).all(|t| mc.leavers(Stock::Care, 0, t, n as f64, h) == 0.0),
            "no exit before the month after joining"
        );
    }
}

/// One case's medical cost is lognormal with the mean and coefficient of
/// variation of its outcome.
#[test]
fn medical_cost_of_one_case_is_lognormal() {
    let (mean, cv) = (9_000.0f64, 1.3f64);
    let mut mc = MonteCarlo::new(78, &crate::input::default_scenario(), 0);
    let mut n = [0.0; OUTCOMES];
    n[2] = 1.0;
    let means = [mean; OUTCOMES];
    let cvs = [cv; OUTCOMES];
    let mut sample: Vec<f64> = (0..N).map(|_| mc.medical(&n, &means, &cvs)).collect();
    let s2 = cv.mul_add(cv, 1.0).ln();
    let law = |m: f64| LogNormal::new(m.ln() - s2 / 2.0, s2.sqrt()).unwrap();
    let right = law(mean);
    let d = ks_continuous(&mut sample, |x| right.cdf(x));
    assert!(d < critical(N), "D = {d:.5} ≥ {:.5}", critical(N));
    let wrong = law(mean * 1.05);
    let d = ks_continuous(&mut sample, |x| wrong.cdf(x));
    assert!(
        d > critical(N),
        "a mean 5 % off is not rejected: D = {d:.5}"
    );
}

/// From the threshold on, a city's month of cases costs a gamma with the
/// sum's mean `Σ n·m` and variance `Σ n·(cv·m)²`.
#[test]
fn medical_cost_of_many_cases_is_the_matched_gamma() {
    let mut mc = MonteCarlo::new(79, &crate::input::default_scenario(), 0);
    let mut n = [0.0; OUTCOMES];
    n[0] = 8.0;
    n[5] = MEDICAL_EXACT_BELOW - 6.0;
    let mut means = [2_000.0; OUTCOMES];
    means[5] = 15_000.0;
    let mut cvs = [1.5; OUTCOMES];
    cvs[5] = 0.9;
    let mean: f64 = (0..OUTCOMES).map(|o| n[o] * means[o]).sum();
    let var: f64 = (0..OUTCOMES)
        .map(|o| n[o] * (cvs[o] * means[o]).powi(2))
        .sum();
    let mut sample: Vec<f64> = (0..N).map(|_| mc.medical(&n, &means, &cvs)).collect();
    let law = |m: f64| Gamma::new(m * m / var, m / var).unwrap();
    let right = law(mean);
    let d = ks_continuous(&mut sample, |x| right.cdf(x));
    assert!(d < critical(N), "D = {d:.5} ≥ {:.5}", critical(N));
    let wrong = law(mean * 1.05);
    let d = ks_continuous(&mut sample, |x| wrong.cdf(x));
    assert!(
        d > critical(N),
        "a mean 5 % off is not rejected: D = {d:.5}"
    );
}

/// `n` paths' year-0 wage growth under `s`.
fn year0_wage_growth(s: &crate::model::scenario::Scenario, n: usize) -> Vec<f64> {
    let mut mc = MonteCarlo::new(31, s, 0);
    (0..n as u64)
        .map(|p| {
            mc.set_path(p);
            mc.drivers(0, &s.drivers).wage_growth
        })
        .collect()
}

/// A driver whose mean is uncertain (docs/model.md §2.9) draws one mean a
/// path from `N(μ, se²)` and keeps it: with `sd = 0` every year of a path
/// is that mean, and over 20,000 paths the year-0 value follows
/// `N(0.05, 0.01²)` (and not a law with an se 5 % off).
#[test]
fn an_uncertain_mean_is_drawn_once_a_path_from_its_normal_law() {
    use statrs::distribution::Normal;
    let mut s = crate::input::default_scenario();
    s.drivers.wage_growth.sd = 0.0;
    s.drivers.wage_growth.mean_se = 0.01;
    let mut mc = MonteCarlo::new(31, &s, 0);
    for p in 0..50 {
        mc.set_path(p);
        let first = mc.drivers(0, &s.drivers).wage_growth;
        for k in 1..5 {
            assert_eq!(
                mc.drivers(k, &s.drivers).wage_growth,
                first,
                "path {p} year {k}"
            );
        }
    }
    let mut x = year0_wage_growth(&s, N);
    let law = Normal::new(0.05, 0.01).expect("normal");
    let d = ks_continuous(&mut x, |v| law.cdf(v));
    assert!(d < critical(N), "D = {d:.5} ≥ {:.5}", critical(N));
    let wrong = Normal::new(0.05, 0.0105).expect("normal");
    let d = ks_continuous(&mut x, |v| wrong.cdf(v));
    assert!(d > critical(N), "an se 5 % off is not rejected: D = {d:.5}");
}

/// A driver whose sd is uncertain with `ν` degrees of freedom draws
/// `σ √(ν / χ²_ν)` a path; its year-0 value `μ + σ_p z` is then Student's t
/// with `ν` degrees of freedom, location μ and scale σ — checked at ν = 6
/// over 20,000 paths (a scale 5 % off, and the normal law of a known σ, are
/// rejected).
#[test]
fn an_uncertain_sd_gives_students_t_in_year_0() {
    use statrs::distribution::{Normal, StudentsT};
    let mut s = crate::input::default_scenario();
    s.drivers.wage_growth.sd = 0.01;
    s.drivers.wage_growth.sd_df = 6.0;
    let mut x = year0_wage_growth(&s, N);
    let law = StudentsT::new(0.05, 0.01, 6.0).expect("t");
    let d = ks_continuous(&mut x, |v| law.cdf(v));
    assert!(d < critical(N), "D = {d:.5} ≥ {:.5}", critical(N));
    let wrong = StudentsT::new(0.05, 0.0105, 6.0).expect("t");
    let d = ks_continuous(&mut x, |v| wrong.cdf(v));
    assert!(
        d > critical(N),
        "a scale 5 % off is not rejected: D = {d:.5}"
    );
    let known = Normal::new(0.05, 0.01).expect("normal");
    let d = ks_continuous(&mut x, |v| known.cdf(v));
    assert!(
        d > critical(N),
        "the known-σ law is not rejected: D = {d:.5}"
    );
}

/// Parameter draws have their own stream: a scenario with an uncertain
/// wage driver draws every other driver, and every count, exactly as the
/// same scenario without it (common random numbers), and the wage driver
/// itself differs.
#[test]
fn parameter_draws_leave_the_other_streams_alone() {
    let plain = crate::input::default_scenario();
    let mut s = plain.clone();
    s.drivers.wage_growth.mean_se = 0.005;
    s.drivers.wage_growth.sd_df = 8.0;
    let (mut a, mut b) = (MonteCarlo::new(5, &plain, 0), MonteCarlo::new(5, &s, 0));
    let mut wage_differs = 0;
    for p in 0..50 {
        a.set_path(p);
        b.set_path(p);
        for k in 0..5 {
            let (x, y) = (a.drivers(k, &plain.drivers), b.drivers(k, &s.drivers));
            assert_eq!(x.interest_rate, y.interest_rate);
            assert_eq!(x.employment_growth, y.employment_growth);
            assert_eq!(x.claim_intensity, y.claim_intensity);
            assert_eq!(x.medical_inflation, y.medical_inflation);
            assert_eq!(x.collection_shock, y.collection_shock);
            assert_eq!(x.disposable_income_growth, y.disposable_income_growth);
            wage_differs += usize::from(x.wage_growth != y.wage_growth);
            assert_eq!(a.count(12.5), b.count(12.5));
        }
    }
    assert_eq!(wage_differs, 250);
}
