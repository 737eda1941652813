//! The claims tape and its replays (docs/architecture.md, the engine): a scenario that shares
//! another's claims side, run from the other's tape, gives the months a
//! full run of its own gives, byte for byte, for every fund-side change
//! (gap-sharing schemes, rates, the rate policy, the fund's accounts,
//! collection rates); and a scenario that changes what the claims side
//! reads is never replayed.

use super::support::default_scenario;
use crate::engine::same_claims;
use crate::input::read_overlay;
use crate::model::policy::RatePolicy;
use crate::model::scenario::Scenario;
use crate::stats::runner::{self, Recorded, RunConfig};
use std::path::Path;

fn config(paths: u64) -> RunConfig {
    RunConfig {
        seed: 7,
        paths: 3..3 + paths,
        threads: Some(2),
        progress: false,
    }
}

/// The default scenario under every preset scheme, with its rates scaled,
/// without a policy, with another opening balance and collection rates,
/// and (claims side changed) with a higher claim frequency.
fn variants(base: &Scenario) -> (Vec<Scenario>, Vec<bool>) {
    let mut out = Vec::new();
    let mut shares = Vec::new();
    for preset in &base.sharing_presets {
        let mut s = base.clone();
        s.sharing.scheme = preset.scheme.clone();
        out.push(s);
        shares.push(true);
    }
    let mut s = crate::analysis::rates::scale_classes(base, &vec![1.3; base.n_sectors()]);
    s.policy = RatePolicy::None;
    out.push(s);
    shares.push(true);
    let mut s = base.clone();
    s.fund.opening_balance *= 0.5;
    for c in &mut s.cities {
        c.collection_rate *= 0.9;
    }
    out.push(s);
    shares.push(true);
    let mut s = base.clone();
    for sec in &mut s.sectors {
        sec.frequency *= 1.1;
    }
    out.push(s);
    shares.push(false);
    (out, shares)
}

/// `same_claims` tells fund-side changes from claims-side ones.
#[test]
fn same_claims_tells_the_sides_apart() {
    let base = default_scenario();
    let (variants, shares) = variants(&base);
    assert!(variants.len() >= 5, "the presets are there");
    for (i, (v, share)) in variants.iter().zip(&shares).enumerate() {
        assert_eq!(same_claims(&base, v), *share, "variant {i}");
    }
    let (overlay, _) = read_overlay(Path::new("scenarios/stress/recession.toml"), &base).unwrap();
    let mut stressed = base.clone();
    stressed.stress = Some(overlay);
    assert!(
        !same_claims(&base, &stressed),
        "an overlay moves the claims"
    );
    let mut hazard = base.clone();
    hazard.stocks.disability_exit_hazard *= 1.1;
    assert!(!same_claims(&base, &hazard));
    let mut interest = base.clone();
    interest.drivers.interest_rate.mean += 0.001;
    assert!(
        !same_claims(&base, &interest),
        "the drivers are drawn on the claims side"
    );
}

/// Every variant replayed from the base's tapes (`Recorded`) or from one
/// tape a path shared by its group (`run_many`) equals its own full run.
#[test]
fn replays_equal_full_runs() {
    // no opening balance, so that gaps open and the schemes act
    let mut base = default_scenario();
    base.fund.opening_balance = 0.0;
    let (variants, _) = variants(&base);
    let config = config(24);
    let full: Vec<_> = variants
        .iter()
        .map(|v| runner::run(v, &config).unwrap())
        .collect();
    let recorded = Recorded::new(&base, &config).unwrap();
    for (i, (v, f)) in variants.iter().zip(&full).enumerate() {
        assert!(recorded.run(v).unwrap() == *f, "variant {i}");
    }
    let refs: Vec<&Scenario> = variants.iter().collect();
    let many = runner::run_many(&refs, &config).unwrap();
    assert_eq!(many.len(), full.len());
    for (m, f) in many.iter().zip(&full) {
        assert!(m == f);
    }
    // the schemes differ, so the test compares something
    assert!(full[0] != full[1] || full[1] != full[2]);
}

/// Under a stress overlay, the schemes of the overlay share its tape.
#[test]
fn stressed_schemes_replay_exactly() {
    let mut base = default_scenario();
    base.fund.opening_balance *= 0.2;
    let (overlay, _) = read_overlay(Path::new("scenarios/stress/combined.toml"), &base).unwrap();
    let mut stressed = base.clone();
    stressed.stress = Some(overlay);
    let schemes: Vec<Scenario> = default_scenario()
        .sharing_presets
        .iter()
        .map(|p| {
            let mut s = stressed.clone();
            s.sharing.scheme = p.scheme.clone();
            s
        })
        .collect();
    let config = config(12);
    let refs: Vec<&Scenario> = schemes.iter().collect();
    for (m, s) in runner::run_many(&refs, &config)
        .unwrap()
        .iter()
        .zip(&schemes)
    {
        assert!(*m == runner::run(s, &config).unwrap());
    }
    assert!(
        runner::run(&schemes[0], &config).unwrap() != runner::run(&schemes[1], &config).unwrap()
    );
}
