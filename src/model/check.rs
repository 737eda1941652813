//! Checking a parameter against the range the engine can compute with:
//! [`Problem`] (what is wrong with one value, in the user's words) and the
//! [`Checker`] that collects every problem of an input instead of stopping
//! at the first. Used by the scenario, overlay and schedule readers and by
//! each gap-sharing scheme for its own parameters.

use std::fmt;

/// Tolerance for "sums to 1" and symmetry checks.
pub(crate) const SUM_TOL: f64 = 1e-6;
/// Longest lag or payment pattern accepted, in months.
pub(crate) const MAX_LAG: f64 = 240.0;
pub(crate) use super::limits::MAX_AMOUNT;
use super::limits::{MAX_PER_PERSON, MIN_WAGE};

/// One invalid value: where, what, and what is allowed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Problem {
    /// Field path, for example `sectors[7].benchmark_rate`.
    pub(crate) field: String,
    /// The value found, as written.
    pub(crate) value: String,
    /// What is allowed (and, where it helps, a guess at what was meant).
    pub(crate) allowed: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}: {}", self.field, self.value, self.allowed)
    }
}

/// The name among `names` that `given` was most likely meant to be: the
/// same but for letter case, else the closest by Jaro–Winkler similarity
/// (of lower-cased text, so that a slip of case costs nothing) when at
/// least [`CLOSE_ENOUGH`]. `None` when `given` is one of them, or nothing is
/// close.
pub(crate) fn closest<'n>(
    given: &str,
    names: impl IntoIterator<Item = &'n str>,
) -> Option<&'n str> {
    let lower = given.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for name in names {
        if name == given {
            return None;
        }
        let score = strsim::jaro_winkler(&lower, &name.to_lowercase());
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, name));
        }
    }
    best.filter(|(score, _)| *score >= CLOSE_ENOUGH)
        .map(|(_, name)| name)
}

/// How similar a mistyped name must be to a known one to be offered for
/// it: `fixed_ratoi` (0.97) and `南昌` for `南昌市` (0.91) are, `loan` for
/// `fixed_ratio` (0.0) is not.
const CLOSE_ENOUGH: f64 = 0.8;

/// `; did you mean "NAME"?` for the name among `names` closest to `given`
/// ([`closest`]), or nothing: the end of a message that lists what is allowed.
pub(crate) fn did_you_mean<'n>(given: &str, names: impl IntoIterator<Item = &'n str>) -> String {
    suggestion(closest(given, names))
}

/// `; did you mean "NAME"?` for a name found by [`closest`], or nothing:
/// for a caller that also uses the name itself.
pub(crate) fn suggestion(name: Option<&str>) -> String {
    name.map_or_else(String::new, |name| format!("; did you mean {name:?}?"))
}

/// `; did you mean 0.0536?` for a fraction written as a percentage
/// (`5.36`): when `v` does not `fit` and `v / 100` does, or nothing. The
/// fraction is shown to twelve decimals, so that 5.36 / 100 reads 0.0536.
pub(crate) fn did_you_mean_fraction(v: f64, fits: impl Fn(f64) -> bool) -> String {
    let f = v / 100.0;
    if v.is_finite() && !fits(v) && fits(f) {
        format!("; did you mean {}?", show((f * 1e12).round() / 1e12))
    } else {
        String::new()
    }
}

/// A number as a person would write it: plain, or in exponent form when huge or tiny.
pub(crate) fn show(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e15 || v.abs() < 1e-6) {
        format!("{v:e}")
    } else {
        v.to_string()
    }
}

/// Collects problems while values are read.
#[derive(Default)]
pub(crate) struct Checker {
    pub(crate) problems: Vec<Problem>,
}

impl Checker {
    pub(crate) fn fail(
        &mut self,
        field: impl Into<String>,
        value: impl fmt::Display,
        allowed: impl Into<String>,
    ) {
        self.problems.push(Problem {
            field: field.into(),
            value: value.to_string(),
            allowed: allowed.into(),
        });
    }

    /// Checks `ok(v)` (and finiteness); returns `v` either way.
    pub(crate) fn num(
        &mut self,
        field: &str,
        v: f64,
        ok: impl Fn(f64) -> bool,
        allowed: &str,
    ) -> f64 {
        if !v.is_finite() || !ok(v) {
            self.fail(field, show(v), allowed);
        }
        v
    }

    pub(crate) fn nonneg(&mut self, field: &str, v: f64) -> f64 {
        self.num(
            field,
            v,
            |v| (0.0..=MAX_AMOUNT).contains(&v),
            "must be a number from 0 to 1e15",
        )
    }

    /// A signed aggregate amount in yuan (a balance): within ±[`MAX_AMOUNT`].
    pub(crate) fn balance(&mut self, field: &str, v: f64) -> f64 {
        self.num(
            field,
            v,
            |v| v.abs() <= MAX_AMOUNT,
            "an amount in yuan from -1e15 to 1e15",
        )
    }

    /// An amount in yuan for one person or case, from 0 to [`MAX_PER_PERSON`].
    pub(crate) fn per_person(&mut self, field: &str, v: f64) -> f64 {
        self.num(
            field,
            v,
            |v| (0.0..=MAX_PER_PERSON).contains(&v),
            "an amount in yuan for one person or case, from 0 to 1,000,000",
        )
    }

    /// A wage or income in yuan for one person, from [`MIN_WAGE`] to
    /// [`MAX_PER_PERSON`]: the model divides by it.
    pub(crate) fn wage(&mut self, field: &str, v: f64) -> f64 {
        self.num(
            field,
            v,
            |v| (MIN_WAGE..=MAX_PER_PERSON).contains(&v),
            "a wage or income in yuan for one person, from 1 to 1,000,000",
        )
    }

    /// A coefficient of variation of a cost, from 0 to 10.
    pub(crate) fn cost_cv(&mut self, field: &str, v: f64) -> f64 {
        self.within(field, v, (0.0, 10.0), "a coefficient of variation")
    }

    /// A number in `[low, high]`, described as `what`; the message gives the range.
    pub(crate) fn within(
        &mut self,
        field: &str,
        v: f64,
        (low, high): (f64, f64),
        what: &str,
    ) -> f64 {
        self.num(
            field,
            v,
            |v| (low..=high).contains(&v),
            &format!("{what}, from {} to {}", show(low), show(high)),
        )
    }

    /// A whole number of months in [0, [`MAX_LAG`]] given as a number (a multiple of a wage).
    pub(crate) fn month_multiple(&mut self, field: &str, v: f64) -> f64 {
        self.within(field, v, (0.0, MAX_LAG), "a number of months' wages")
    }

    pub(crate) fn prob(&mut self, field: &str, v: f64) -> f64 {
        if v.is_finite() && v > 1.0 && v <= 100.0 {
            self.fail(
                field,
                v,
                format!(
                    "a probability or share is a fraction in [0, 1]; did you mean {}?",
                    as_written(v / 100.0)
                ),
            );
            return v;
        }
        self.num(
            field,
            v,
            |v| (0.0..=1.0).contains(&v),
            "a probability or share is a fraction in [0, 1]",
        )
    }

    pub(crate) fn rate(&mut self, field: &str, v: f64) -> f64 {
        let ok = |v: f64| v > 0.0 && v <= 0.1;
        if v.is_finite() && !ok(v) && ok(v / 100.0) {
            self.fail(
                field,
                v,
                format!(
                    "a rate is a fraction in (0, 0.1]; did you mean {}?",
                    as_written(v / 100.0)
                ),
            );
            return v;
        }
        self.num(field, v, ok, "a rate is a fraction in (0, 0.1]")
    }

    pub(crate) fn months(&mut self, field: &str, v: f64) -> usize {
        if !v.is_finite() || v < 0.0 || v.fract() != 0.0 || v > MAX_LAG {
            self.fail(
                field,
                v,
                format!("a lag is a whole number of months from 0 to {MAX_LAG}"),
            );
            return 0;
        }
        v as usize
    }

    /// Checks the length of a list; returns whether it is right.
    pub(crate) fn len(&mut self, field: &str, v: &[f64], n: usize, what: &str) -> bool {
        if v.len() == n {
            true
        } else {
            self.fail(
                field,
                format!("a list of {}", v.len()),
                format!("must list {n} values, {what}"),
            );
            false
        }
    }

    pub(crate) fn each(
        &mut self,
        field: &str,
        v: &[f64],
        check: fn(&mut Checker, &str, f64) -> f64,
    ) {
        for (i, x) in v.iter().enumerate() {
            check(self, &format!("{field}[{i}]"), *x);
        }
    }

    pub(crate) fn sums_to(&mut self, field: &str, v: &[f64], target: f64, what: &str) {
        let sum: f64 = v.iter().sum();
        if v.iter().all(|x| x.is_finite()) && (sum - target).abs() > SUM_TOL * target.max(1.0) {
            self.fail(
                field,
                format!("{v:?} (sum {})", as_written(sum)),
                format!("{what} must sum to {target}"),
            );
        }
    }

    pub(crate) fn fixed<const N: usize>(
        &mut self,
        field: &str,
        v: &[f64],
        what: &str,
        check: fn(&mut Checker, &str, f64) -> f64,
    ) -> [f64; N] {
        let mut out = [0.0; N];
        if self.len(field, v, N, what) {
            self.each(field, v, check);
            out.copy_from_slice(v);
        }
        out
    }

    pub(crate) fn unused(&mut self, field: &str, value: Option<impl fmt::Display>, why: &str) {
        if let Some(v) = value {
            self.fail(field, v, why.to_string());
        }
    }

    /// A required share in [0, 1] of scheme `scheme`, reported as
    /// `{field}.{name}`; 0 when missing (also a problem).
    pub(crate) fn required_prob(
        &mut self,
        field: &str,
        name: &str,
        v: Option<f64>,
        scheme: &str,
    ) -> f64 {
        let path = format!("{field}.{name}");
        if let Some(x) = v {
            self.prob(&path, x)
        } else {
            self.fail(
                path,
                "missing",
                format!("scheme \"{scheme}\" needs {name}, a fraction in [0, 1]"),
            );
            0.0
        }
    }

    /// A required number of scheme `scheme` that `ok` accepts (`allowed`
    /// says which), reported as `{field}.{name}`; 0 when missing (also a
    /// problem).
    pub(crate) fn required_num(
        &mut self,
        (field, name): (&str, &str),
        v: Option<f64>,
        scheme: &str,
        ok: impl Fn(f64) -> bool,
        allowed: &str,
    ) -> f64 {
        let path = format!("{field}.{name}");
        if let Some(x) = v {
            self.num(&path, x, ok, allowed)
        } else {
            self.fail(
                path,
                "missing",
                format!("scheme \"{scheme}\" needs {name}, {allowed}"),
            );
            0.0
        }
    }

    /// A name (of a scenario, city, sector, overlay or schedule), reported
    /// under `field`: plain, so that it is safe as a folder name and in a
    /// workbook ([`plain_name`]).
    pub(crate) fn name(&mut self, field: &str, name: &str) {
        if !plain_name(name) {
            self.fail(field, format!("{:?}", shorten(name)), NAME_RULE);
        }
    }
}

/// The longest name, in characters.
pub(crate) const MAX_NAME: usize = 64;

/// What a name may be, in the user's words.
pub(crate) const NAME_RULE: &str = "a plain name of 1 to 64 characters: letters of any script, digits, '-', '_', '.', '+', '%', not starting with '.' (for example \"jiangxi-2025\" or \"2027年上调10%\")";

/// Whether `name` is plain: 1–[`MAX_NAME`] characters, each a letter of
/// any script, a digit, or one of `- _ . + %`, and not starting with `.`
/// (so never `.`, `..` or a hidden folder). No separator, space or control
/// character can reach a path.
pub(crate) fn plain_name(name: &str) -> bool {
    let n = name.chars().count();
    (1..=MAX_NAME).contains(&n)
        && !name.starts_with('.')
        && name
            .chars()
            .all(|ch| ch.is_alphanumeric() || matches!(ch, '-' | '_' | '.' | '+' | '%'))
}

/// A value cut to about 120 characters for a message.
fn shorten(text: &str) -> String {
    if text.chars().count() <= 120 {
        text.to_string()
    } else {
        text.chars().take(117).collect::<String>() + "…"
    }
}
/// `v` as a person would write it: to 12 decimals, so that the binary
/// noise of a division or a sum (`0.7 / 100` is `0.006999999999999999`)
/// does not show.
fn as_written(v: f64) -> f64 {
    let shown = (v * 1e12).round() / 1e12;
    if shown.is_finite() { shown } else { v }
}

#[cfg(test)]
mod tests {
    /// A percentage given for a fraction gets the fraction, to twelve
    /// decimals; a value that fits, or whose hundredth does not, gets none.
    #[test]
    fn a_percentage_for_a_fraction_gets_the_fraction() {
        let unit = |v: f64| (0.0..=1.0).contains(&v);
        assert_eq!(
            super::did_you_mean_fraction(5.36, unit),
            "; did you mean 0.0536?"
        );
        assert_eq!(
            super::did_you_mean_fraction(85.0, unit),
            "; did you mean 0.85?"
        );
        assert_eq!(super::did_you_mean_fraction(0.5, unit), "");
        assert_eq!(super::did_you_mean_fraction(500.0, unit), "");
        assert_eq!(super::did_you_mean_fraction(f64::NAN, unit), "");
    }

    use super::{closest, did_you_mean};

    #[test]
    fn a_mistyped_name_is_offered_its_closest_known_name() {
        let kinds = [
            "none",
            "fixed_ratio",
            "responsibility",
            "loan",
            "surplus_return",
        ];
        // a slip of letters, of case, a name cut short, a Chinese name without its 市
        assert_eq!(closest("fixed_ratoi", kinds), Some("fixed_ratio"));
        assert_eq!(closest("Fixed_Ratio", kinds), Some("fixed_ratio"));
        assert_eq!(closest("responsibilty", kinds), Some("responsibility"));
        assert_eq!(closest("surplus", kinds), Some("surplus_return"));
        assert_eq!(closest("南昌", ["南昌市", "九江市"]), Some("南昌市"));
        // a name that is known, or like none of them, is offered nothing
        assert_eq!(closest("loan", kinds), None);
        assert_eq!(closest("anhui", kinds), None);
        assert_eq!(closest("赣州", ["南昌市", "九江市"]), None);
        assert_eq!(closest("x", [] as [&str; 0]), None);
        assert_eq!(
            did_you_mean("max_chnage", ["max_change", "floor"]),
            "; did you mean \"max_change\"?"
        );
        assert_eq!(did_you_mean("zzz", ["max_change", "floor"]), "");
    }
}
