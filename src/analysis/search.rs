//! The one bisection: the smallest value in `[lo, hi]` at which a
//! monotone condition holds (the rate solver's multiplier, the reverse
//! stress test's scale).

/// What a search found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Found {
    /// The condition already holds at the lowest value.
    AtLowest,
    /// It does not hold even at the highest value.
    Never,
    /// It holds at `holds` and not at `fails`, with `holds − fails` within
    /// the tolerance.
    Between {
        /// The smallest value tried at which it holds.
        holds: f64,
        /// The largest value tried at which it does not.
        fails: f64,
    },
}

/// Bisects `[lo, hi]` for the smallest value at which `holds` is true,
/// assuming it stays true for every larger value once it is. `holds` is
/// evaluated at `hi` first, then at `lo`, then at midpoints until the
/// bracket is at most `tolerance` wide.
pub(crate) fn smallest<E>(
    lo: f64,
    hi: f64,
    tolerance: f64,
    mut holds: impl FnMut(f64) -> Result<bool, E>,
) -> Result<Found, E> {
    if !holds(hi)? {
        return Ok(Found::Never);
    }
    if holds(lo)? {
        return Ok(Found::AtLowest);
    }
    let (mut lo, mut hi) = (lo, hi);
    while hi - lo > tolerance {
        let mid = f64::midpoint(lo, hi);
        if holds(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(Found::Between {
        holds: hi,
        fails: lo,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A threshold at 0.3 is bracketed within the tolerance; conditions
    /// true everywhere or nowhere are reported as such, after evaluating
    /// the upper end first.
    #[test]
    fn brackets_a_threshold() {
        let found = smallest::<()>(0.0, 1.0, 0.01, |x| Ok(x >= 0.3)).unwrap();
        let Found::Between { holds, fails } = found else {
            panic!("{found:?}")
        };
        assert!(holds >= 0.3 && fails < 0.3 && holds - fails <= 0.01);
        assert_eq!(
            smallest::<()>(0.0, 1.0, 0.01, |_| Ok(true)),
            Ok(Found::AtLowest)
        );
        let mut tried = Vec::new();
        let never = smallest::<()>(0.0, 1.0, 0.01, |x| {
            tried.push(x);
            Ok(false)
        });
        assert_eq!(never, Ok(Found::Never));
        assert_eq!(tried, vec![1.0], "the upper end first, then nothing more");
    }
}
