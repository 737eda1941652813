//! Claims reused across scenarios: `same_claims_but_interest` admits
//! exactly the moves after which a path's tape needs only its drivers
//! drawn again, `same_counts` and `same_exits` exactly those that leave
//! every count (and exit) call of a path unchanged
//! (`model::sampling::reuse`); and a scenario run on another's tape or
//! recorded counts gives the paths its own full run gives, byte for byte,
//! whether its exits are reused or drawn.

use super::support::default_scenario;
use crate::analysis::sensitivity::Input;
use crate::engine::{same_claims_but_interest, same_counts, same_exits};
use crate::model::scenario::Scenario;
use crate::model::stress::{Shock, Stress};
use crate::stats::paths::PathSet;
use crate::stats::runner::{self, RunConfig};

fn config(paths: u64) -> RunConfig {
    RunConfig {
        seed: 13,
        paths: 5..5 + paths,
        threads: Some(2),
        progress: false,
    }
}

/// Which of the tornado's moves keep the tape but for the drivers, the
/// counts and the exits.
#[test]
fn the_moves_that_keep_the_counts() {
    let base = default_scenario();
    for input in Input::ALL {
        let counts = !matches!(
            input,
            Input::EmploymentGrowth | Input::ClaimFrequency | Input::SevereMix
        );
        let exits = counts && input != Input::ExitHazards;
        for up in [false, true] {
            let moved = input.apply(&base, up);
            assert_eq!(same_counts(&base, &moved), counts, "{input:?} {up}");
            assert_eq!(same_exits(&base, &moved), exits, "{input:?} {up}");
            // the fund side's own moves keep the whole tape, drivers too
            let tape = matches!(
                input,
                Input::Interest | Input::CollectionRate | Input::OpeningBalance
            );
            assert_eq!(
                same_claims_but_interest(&base, &moved),
                tape,
                "{input:?} {up}"
            );
        }
    }
    // a new parameter draw moves the streams; other parameters than the
    // mean are refused too (an sd moves only the rate itself, but the
    // tornado has no use for it)
    let changed = |change: fn(&mut Scenario)| {
        let mut s = base.clone();
        change(&mut s);
        s
    };
    let s = changed(|s| s.drivers.interest_rate.mean_se = 0.01);
    assert!(!same_claims_but_interest(&base, &s), "a new parameter draw");
    let s = changed(|s| s.drivers.interest_rate.sd *= 1.5);
    assert!(!same_claims_but_interest(&base, &s));
    // what else a driver holds moves the draws of the others
    let s = changed(|s| s.drivers.wage_growth.mean_se = 0.01);
    assert!(!same_counts(&base, &s), "a new parameter draw");
    let s = changed(|s| s.drivers.wage_growth.sd *= 1.5);
    assert!(!same_counts(&base, &s));
    let s = changed(|s| s.drivers.claim_intensity.mean += 0.01);
    assert!(
        !same_counts(&base, &s),
        "the claim intensity sets the counts"
    );
    let s = changed(|s| s.benefits.dependants_per_death *= 1.1);
    assert!(!same_counts(&base, &s), "dependants are counted");
}

/// A family of moves run together on the first one's claims equals each
/// move's own full run: the interest moves on its tape with their own
/// drivers; the others on its counts, with the exits reused (wage, medical
/// inflation, indexation) or drawn again (exit hazards); next to a move
/// that draws its own counts (claim frequency). The drivers' sds are
/// uncertain with few degrees of freedom, so that the cap on a drawn sd,
/// which depends on the driver's mean, binds on many paths: each move
/// must draw its drivers under its own caps. The interest mean is
/// uncertain too (a parameter draw each path), and a stress overlay
/// replaces the interest rate and the wage growth of two years, which a
/// redraw must apply as the claims pass does.
#[test]
fn reused_counts_give_each_scenario_its_own_paths() {
    let mut base = default_scenario();
    // a thin fund, so that breaches and the policy depend on the amounts
    base.fund.opening_balance *= 0.3;
    let d = &mut base.drivers;
    for driver in [
        &mut d.wage_growth,
        &mut d.interest_rate,
        &mut d.medical_inflation,
    ] {
        driver.sd_df = 1.0;
    }
    d.interest_rate.mean_se = 0.004;
    let year = base.start_year + 2;
    base.stress = Some(Stress {
        name: "low interest, slow wages".into(),
        description: String::new(),
        shocks: vec![Shock {
            from: year,
            to: year + 1,
            employment_growth_shift: None,
            wage_growth: Some(0.0),
            collection_rate_shift: None,
            claims_frequency_factor: None,
            interest_rate: Some(0.0),
            benefit_indexation: None,
            catastrophe: None,
        }],
        scale: 0.8,
    });
    let moves: Vec<Scenario> = std::iter::once(base.clone())
        .chain(
            [
                Input::WageGrowth,
                Input::MedicalInflation,
                Input::Interest,
                Input::Indexation,
                Input::ExitHazards,
                Input::ClaimFrequency,
            ]
            .into_iter()
            .map(|i| i.apply(&base, true))
            .chain([Input::Interest.apply(&base, false)]),
        )
        .collect();
    let config = config(20);
    let refs: Vec<&Scenario> = moves.iter().collect();
    let many = runner::run_many(&refs, &config).unwrap();
    assert_eq!(many.len(), moves.len());
    for (i, (m, s)) in many.iter().zip(&moves).enumerate() {
        let own = runner::run(s, &config).unwrap();
        assert!(*m == own, "move {i}");
        if i > 0 {
            assert!(own != many[0], "move {i} changes the paths");
        }
    }
}

/// A family takes groups while their sets fit its memory cap, and a group
/// past the cap heads a family of its own; a group that draws other
/// counts never joins.
#[test]
fn families_keep_within_their_memory() {
    let base = default_scenario();
    let moved: Vec<Scenario> = [
        Input::WageGrowth,
        Input::ClaimFrequency,
        Input::Interest,
        Input::Indexation,
    ]
    .into_iter()
    .map(|i| i.apply(&base, true))
    .collect();
    let scenarios: Vec<&Scenario> = std::iter::once(&base).chain(&moved).collect();
    let groups: Vec<Vec<usize>> = (0..scenarios.len()).map(|i| vec![i]).collect();
    let set = PathSet::bytes_for(runner::shape(&base), 1000);
    assert!(set > 0);
    let all = runner::families(&scenarios, groups.clone(), 1000, usize::MAX);
    assert_eq!(
        all,
        vec![vec![vec![0], vec![1], vec![3], vec![4]], vec![vec![2]]]
    );
    // room for two sets a family
    let two = runner::families(&scenarios, groups, 1000, 2 * set);
    assert_eq!(
        two,
        vec![
            vec![vec![0], vec![1]],
            vec![vec![2]],
            vec![vec![3], vec![4]]
        ]
    );
}
