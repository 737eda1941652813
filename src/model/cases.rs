//! What a recognised injury can turn out to be (docs/model.md §1, §4): the
//! outcomes (medical only, grades 1–10, death) and the case *kinds* the
//! Monte Carlo sampler counts, which split each grade by a mark (living care
//! for grades 1–4, the one-time medical subsidy taken for grades 5–10).
//!
//! Counting marked and unmarked cases as two independent Poisson counts is
//! the same law as thinning one count binomially (docs/model.md §11), and
//! lets a month's cases be drawn once for all their consequences.

/// Outcomes of a recognised injury: index 0 medical only, 1–10 the grades, 11 death.
pub(crate) const OUTCOMES: usize = 12;
/// Index of the death outcome.
pub(crate) const DEATH: usize = 11;
/// Number of disability grades (伤残等级).
pub(crate) const GRADES: usize = 10;

/// Grades 1 to this one (1–4) receive the monthly disability allowance and
/// may need living care; the grades above receive the one-time medical
/// subsidy instead.
pub(crate) const ALLOWANCE_GRADES: usize = 4;

/// A value per outcome (medical only, grades 1–10, death).
pub(crate) type PerOutcome = [f64; OUTCOMES];

/// Number of case kinds.
pub(crate) const KINDS: usize = 22;

/// A value per case kind.
pub(crate) type PerKind = [f64; KINDS];

/// A kind of case: an outcome, and for grades a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Kind {
    /// The outcome (0 medical only, 1–10 grades, 11 death).
    pub(crate) outcome: usize,
    /// Living care (grades 1–4) or the medical subsidy taken (grades 5–10).
    pub(crate) marked: bool,
}

/// Every kind: medical only, each grade marked and unmarked, death.
pub(crate) const KIND_TABLE: [Kind; KINDS] = {
    let mut t = [Kind {
        outcome: 0,
        marked: false,
    }; KINDS];
    let mut g = 1;
    while g <= GRADES {
        t[2 * g - 1] = Kind {
            outcome: g,
            marked: true,
        };
        t[2 * g] = Kind {
            outcome: g,
            marked: false,
        };
        g += 1;
    }
    t[DEATH_KIND] = Kind {
        outcome: DEATH,
        marked: false,
    };
    t
};

/// The index of the death kind.
pub(crate) const DEATH_KIND: usize = KINDS - 1;

/// The index of the marked kind of grade `g` (1–10).
pub(crate) const fn marked_kind(g: usize) -> usize {
    2 * g - 1
}

/// Counts by outcome of counts by kind.
pub(crate) fn by_outcome(n: &PerKind) -> PerOutcome {
    let mut out = [0.0; OUTCOMES];
    for (count, kind) in n.iter().zip(&KIND_TABLE) {
        out[kind.outcome] += count;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kinds cover each outcome once (grades twice, marked and not), in order.
    #[test]
    fn kind_table_layout() {
        for g in 1..=GRADES {
            assert_eq!(
                KIND_TABLE[marked_kind(g)],
                Kind {
                    outcome: g,
                    marked: true
                }
            );
            assert_eq!(
                KIND_TABLE[2 * g],
                Kind {
                    outcome: g,
                    marked: false
                }
            );
        }
        assert_eq!(KIND_TABLE[0].outcome, 0);
        assert_eq!(KIND_TABLE[DEATH_KIND].outcome, DEATH);
        let mut n = [0.0; KINDS];
        n[3] = 2.0;
        n[4] = 3.0;
        assert_eq!(by_outcome(&n)[2], 5.0);
    }
}
