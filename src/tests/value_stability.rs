//! Seeded value-stability of every sampling code path (as `rand_distr`'s
//! `tests/value_stability.rs` does): for a fixed seed and path, each draw is
//! pinned, so a change to how any quantity is drawn — a new algorithm, a
//! changed threshold, another order of draws — shows here first. When a
//! change is deliberate (a faster sampler of the same law), the pinned
//! values are updated together with the law tests that show the law kept.

use crate::model::cases::{KINDS, OUTCOMES};
use crate::model::sampling::montecarlo::{Component, MonteCarlo, poisson, poisson_at, stream};
use crate::model::sampling::{CountRate, Sampler};
use crate::model::stocks::Stock;

const SEED: u64 = 42;

fn sampler() -> MonteCarlo {
    MonteCarlo::new(SEED, &crate::input::default_scenario(), 3)
}

/// Floats pinned to 1e-12 relative (exact on this platform; the tolerance
/// allows a last-bit difference of `exp`/`ln` elsewhere).
#[track_caller]
fn assert_floats(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            (g - w).abs() <= 1e-12 * w.abs().max(1.0),
            "draw {i}: got {g:?}, pinned {w:?}\nall: {got:?}"
        );
    }
}

/// Poisson by inversion from 0 (means below 10).
#[test]
fn poisson_small_mean() {
    let mut rng = stream(SEED, Component::Claims, 0);
    let got: Vec<f64> = (0..10).map(|_| poisson(&mut rng, 3.0)).collect();
    assert_eq!(got, PINNED_POISSON_SMALL);
}

/// Poisson of a mean from 10 on, unprepared (`rand_distr`'s rejection sampler).
#[test]
fn poisson_large_mean() {
    let mut rng = stream(SEED, Component::Claims, 1);
    let got: Vec<f64> = (0..10).map(|_| poisson(&mut rng, 40.0)).collect();
    assert_eq!(got, PINNED_POISSON_LARGE);
}

/// Poisson at a prepared rate: inversion outward from the mode, and above
/// the inversion limit `rand_distr`'s sampler.
#[test]
fn poisson_at_a_prepared_rate() {
    let mut rng = stream(SEED, Component::Claims, 2);
    let rate = CountRate::new(55.5);
    let got: Vec<f64> = (0..10).map(|_| poisson_at(&mut rng, &rate)).collect();
    assert_eq!(got, PINNED_POISSON_AT);
    let huge = CountRate::new(900.0);
    let got: Vec<f64> = (0..5).map(|_| poisson_at(&mut rng, &huge)).collect();
    assert_eq!(got, PINNED_POISSON_HUGE);
}

/// A year's cases by kind: the small yearly totals superposed in one count,
/// each case given a kind by the alias table and a month; larger totals
/// month by month.
#[test]
fn kind_counts_split_and_monthly() {
    let mut mc = sampler();
    let mut means = [0.0; KINDS];
    means[0] = 1.5; // 18 a year: split over months
    means[3] = 0.5; // 6 a year: split
    means[KINDS - 1] = 4.0; // 48 a year: month by month
    let mut out = vec![0.0; 12 * KINDS];
    mc.kind_counts(&means, 12, &mut out);
    let by_month = |k: usize| -> Vec<f64> { (0..12).map(|m| out[m * KINDS + k]).collect() };
    assert_eq!(by_month(0), PINNED_SPLIT_0);
    assert_eq!(by_month(3), PINNED_SPLIT_3);
    assert_eq!(by_month(KINDS - 1), PINNED_MONTHLY);
}

/// The medical cost of a city's month: one lognormal per case below the
/// threshold, a matched-moment gamma from it on.
#[test]
fn medical_cost_below_and_above_the_threshold() {
    let mut mc = sampler();
    let mean = [8_000.0; OUTCOMES];
    let cv = [1.2; OUTCOMES];
    let mut few = [0.0; OUTCOMES];
    few[0] = 3.0;
    few[4] = 1.0;
    let mut many = [0.0; OUTCOMES];
    many[0] = 40.0;
    many[4] = 12.0;
    let mut got: Vec<f64> = (0..3).map(|_| mc.medical(&few, &mean, &cv)).collect();
    got.extend((0..3).map(|_| mc.medical(&many, &mean, &cv)));
    assert_floats(&got, &PINNED_MEDICAL);
}

/// Exits: one geometric exit month per head, drawn when it joins from the
/// stock's alias table.
#[test]
fn exit_months_of_joining_heads() {
    let mut mc = sampler();
    mc.start_path(1, 120);
    mc.joined(Stock::Disability, 0, -1, 6.0, 0.02);
    mc.joined(Stock::Survivors, 0, 10, 3.0, 0.3);
    let mut months = |stock: Stock| -> Vec<usize> {
        (0..120)
            .flat_map(|t| {
                let n = mc.leavers(stock, 0, t, 100.0, 0.0) as usize;
                std::iter::repeat_n(t, n)
            })
            .collect()
    };
    assert_eq!(months(Stock::Disability), PINNED_EXITS_DISABILITY);
    assert_eq!(months(Stock::Survivors), PINNED_EXITS_SURVIVORS);
}

/// Catastrophe deaths: Poisson events, 1 + a gamma-mixed Poisson deaths
/// each, placed by the weights.
#[test]
fn catastrophe_deaths_by_city() {
    let mut mc = sampler();
    let weights = [1.0, 2.0, 3.0];
    let mut out = [0.0; 3];
    for _ in 0..24 {
        mc.catastrophe_deaths(0.4, 5.0, 1.5, &weights, &mut out);
    }
    assert_eq!(out, PINNED_CATASTROPHES);
}

/// The drivers of the first two years and the per-path frequency multiplier.
#[test]
fn drivers_and_frequency_multiplier() {
    let s = crate::input::default_scenario();
    let mut mc = sampler();
    let mut got = Vec::new();
    for k in 0..2 {
        let d = mc.drivers(k, &s.drivers);
        got.extend([
            d.wage_growth,
            d.employment_growth,
            d.interest_rate,
            d.claim_intensity,
            d.medical_inflation,
            d.collection_shock,
            d.disposable_income_growth,
        ]);
    }
    got.push(mc.frequency_multiplier(0.15));
    assert_floats(&got, &PINNED_DRIVERS);
}

const PINNED_POISSON_SMALL: [f64; 10] = [1.0, 2.0, 2.0, 3.0, 2.0, 6.0, 1.0, 4.0, 3.0, 5.0];
const PINNED_POISSON_LARGE: [f64; 10] =
    [35.0, 43.0, 48.0, 48.0, 40.0, 41.0, 38.0, 49.0, 39.0, 36.0];
const PINNED_POISSON_AT: [f64; 10] = [58.0, 44.0, 48.0, 68.0, 58.0, 69.0, 58.0, 49.0, 57.0, 68.0];
const PINNED_POISSON_HUGE: [f64; 5] = [843.0, 875.0, 919.0, 919.0, 917.0];
const PINNED_SPLIT_0: [f64; 12] = [0.0, 0.0, 2.0, 0.0, 1.0, 5.0, 0.0, 2.0, 0.0, 1.0, 0.0, 0.0];
const PINNED_SPLIT_3: [f64; 12] = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0];
const PINNED_MONTHLY: [f64; 12] = [2.0, 9.0, 6.0, 6.0, 3.0, 4.0, 3.0, 2.0, 4.0, 5.0, 2.0, 4.0];
const PINNED_MEDICAL: [f64; 6] = [
    23890.478666408606,
    34673.35603468909,
    30818.73752320492,
    443767.06559644337,
    499500.95360980846,
    439433.1017436874,
];
const PINNED_EXITS_DISABILITY: [usize; 6] = [10, 22, 31, 35, 66, 66];
const PINNED_EXITS_SURVIVORS: [usize; 3] = [14, 15, 16];
const PINNED_CATASTROPHES: [f64; 3] = [0.0, 9.0, 17.0];
const PINNED_DRIVERS: [f64; 15] = [
    0.037905092454120506,
    0.02008698641868035,
    0.016068034374394108,
    0.9247351386556592,
    0.02626360235370296,
    2.3349091465826106,
    0.04854498638546913,
    0.028335976753419007,
    -0.008909769554006599,
    0.021944692697204945,
    1.0124286767651816,
    0.06410500005803882,
    0.1790738581296366,
    0.0320711790428182,
    0.8686599623184474,
];
