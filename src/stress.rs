//! Stress overlays (issue 5): named shocks that change given years of any
//! scenario — employment, wage growth, collection, claim frequency, the
//! interest rate, benefit indexation, a catastrophe in a named city — and a
//! scale that shrinks or grows every shock at once (for the reverse stress
//! test). An overlay is a TOML file (`scenarios/stress/`); it is checked
//! against the scenario it is applied to: unknown fields, unknown cities or
//! sectors and years outside the horizon are refused.
//!
//! Scaling by `s`: shifts are multiplied by `s`, factors become
//! `1 + s·(f − 1)`, values that replace a drawn one move from the drawn
//! value `x` to `x + s·(v − x)`, catastrophe deaths are `s` times the
//! stated number (rounded). `s = 1` is the overlay as written, `s = 0`
//! changes nothing.

use crate::scenario::{Problem, Scenario, ScenarioError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStress {
    name: String,
    #[serde(default)]
    description: String,
    shock: Vec<RawShock>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShock {
    from: i64,
    to: Option<i64>,
    employment_growth_shift: Option<f64>,
    wage_growth: Option<f64>,
    collection_rate_shift: Option<f64>,
    claims_frequency_factor: Option<f64>,
    interest_rate: Option<f64>,
    benefit_indexation: Option<f64>,
    catastrophe: Option<RawCatastrophe>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatastrophe {
    sector: String,
    city: String,
    deaths: f64,
    month: Option<i64>,
}

/// A stress overlay, checked against a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stress {
    /// Short name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// The shocks.
    pub shocks: Vec<Shock>,
    /// Scale of every shock (1 as written).
    pub scale: f64,
}

/// Changes in force from `from` to `to` (calendar years, inclusive).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shock {
    /// First year.
    pub from: i32,
    /// Last year.
    pub to: i32,
    /// Added to every sector's employment growth.
    pub employment_growth_shift: Option<f64>,
    /// Replaces the year's wage growth.
    pub wage_growth: Option<f64>,
    /// Added to every city's collection rate (a fraction: −0.05 is 5 points).
    pub collection_rate_shift: Option<f64>,
    /// Multiplies the expected number of cases.
    pub claims_frequency_factor: Option<f64>,
    /// Replaces the year's interest rate.
    pub interest_rate: Option<f64>,
    /// Replaces the indexation of allowances and pensions (`1 + value` in the index month).
    pub benefit_indexation: Option<f64>,
    /// One catastrophe in the year.
    pub catastrophe: Option<ForcedCatastrophe>,
}

/// A catastrophe forced into a year: `deaths` deaths in one cell, in `month`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForcedCatastrophe {
    /// Sector index.
    pub sector: usize,
    /// City index.
    pub city: usize,
    /// Deaths at scale 1.
    pub deaths: f64,
    /// Calendar month, 1–12.
    pub month: usize,
}

/// The shocks in force in one year, already scaled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearShock {
    scale: f64,
    /// Added to every sector's employment growth.
    pub employment_shift: f64,
    wage_growth: Option<f64>,
    /// Added to every city's collection rate.
    pub collection_shift: f64,
    /// Multiplies the expected number of cases.
    pub frequency_factor: f64,
    interest_rate: Option<f64>,
    indexation: Option<f64>,
    /// Catastrophe deaths forced into (cell, calendar month).
    pub catastrophe: Option<(usize, usize, f64)>,
}

impl YearShock {
    /// No shock.
    pub const NONE: YearShock = YearShock {
        scale: 0.0,
        employment_shift: 0.0,
        wage_growth: None,
        collection_shift: 0.0,
        frequency_factor: 1.0,
        interest_rate: None,
        indexation: None,
        catastrophe: None,
    };

    /// A replaced value moves from the drawn one towards the overlay's by
    /// the scale, never past it (a scale above 1 cannot push a replaced
    /// interest rate below the one the overlay names).
    fn towards(&self, drawn: f64, set: Option<f64>) -> f64 {
        set.map_or(drawn, |v| drawn + self.scale.min(1.0) * (v - drawn))
    }

    /// The year's wage growth after the shock.
    pub fn wage_growth(&self, drawn: f64) -> f64 {
        self.towards(drawn, self.wage_growth)
    }

    /// The year's interest rate after the shock.
    pub fn interest_rate(&self, drawn: f64) -> f64 {
        self.towards(drawn, self.interest_rate)
    }

    /// The year's indexation of amounts (`factor − 1`) after the shock.
    pub fn indexation(&self, normal: f64) -> f64 {
        self.towards(normal, self.indexation)
    }
}

impl Stress {
    /// The scaled shocks in force in calendar year `year`.
    pub fn year(&self, year: i32, sectors: usize) -> YearShock {
        let s = self.scale;
        let mut y = YearShock {
            scale: s,
            ..YearShock::NONE
        };
        for shock in self
            .shocks
            .iter()
            .filter(|x| x.from <= year && year <= x.to)
        {
            y.employment_shift += s * shock.employment_growth_shift.unwrap_or(0.0);
            y.collection_shift += s * shock.collection_rate_shift.unwrap_or(0.0);
            // a factor below 1 scaled far enough would turn negative: no fewer than no claims
            y.frequency_factor *=
                (1.0 + s * (shock.claims_frequency_factor.unwrap_or(1.0) - 1.0)).max(0.0);
            y.wage_growth = shock.wage_growth.or(y.wage_growth);
            y.interest_rate = shock.interest_rate.or(y.interest_rate);
            y.indexation = shock.benefit_indexation.or(y.indexation);
            if let Some(c) = &shock.catastrophe {
                y.catastrophe =
                    Some((c.city * sectors + c.sector, c.month, (s * c.deaths).round()));
            }
        }
        y
    }

    /// The same overlay at another scale.
    pub fn scaled(&self, scale: f64) -> Stress {
        Stress {
            scale,
            ..self.clone()
        }
    }

    /// Parses an overlay and checks it against `scenario`.
    pub fn from_toml(
        scenario: &Scenario,
        text: &str,
        source_name: &str,
    ) -> Result<Stress, ScenarioError> {
        if text.trim().is_empty() {
            return Err(ScenarioError::Empty {
                source_name: source_name.to_string(),
            });
        }
        let raw: RawStress = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            ScenarioError::Parse {
                source_name: source_name.to_string(),
                line,
                column,
                field: String::new(),
                message: e.message().trim().to_string(),
            }
        })?;
        let mut problems = Vec::new();
        let mut fail = |field: String, value: String, allowed: String| {
            problems.push(Problem {
                field,
                value,
                allowed,
            })
        };
        let first = scenario.start_year;
        let last = scenario.start_year + scenario.years as i32 - 1;
        if raw.shock.is_empty() {
            fail(
                "shock".into(),
                "an empty list".into(),
                "an overlay needs at least one [[shock]]".into(),
            );
        }
        let mut shocks = Vec::new();
        for (i, r) in raw.shock.iter().enumerate() {
            let f = |name: &str| format!("shock[{i}].{name}");
            let to = r.to.unwrap_or(r.from);
            for (name, y) in [("from", r.from), ("to", to)] {
                if y < first as i64 || y > last as i64 {
                    fail(
                        f(name),
                        y.to_string(),
                        format!("a year of the horizon, {first}–{last}"),
                    );
                }
            }
            if to < r.from {
                fail(
                    f("to"),
                    to.to_string(),
                    format!("not before shock[{i}].from ({})", r.from),
                );
            }
            let mut check = |name: &str, v: Option<f64>, ok: fn(f64) -> bool, allowed: &str| {
                if let Some(v) = v {
                    if !v.is_finite() || !ok(v) {
                        fail(f(name), v.to_string(), allowed.to_string());
                    }
                }
            };
            check(
                "employment_growth_shift",
                r.employment_growth_shift,
                |v| v.abs() < 1.0,
                "a shift of annual growth in (−1, 1)",
            );
            check(
                "wage_growth",
                r.wage_growth,
                |v| v > -1.0 && v < 1.0,
                "an annual growth rate in (−1, 1)",
            );
            check(
                "collection_rate_shift",
                r.collection_rate_shift,
                |v| v.abs() <= 1.0,
                "a shift of the collection rate in [−1, 1] (−0.05 is 5 points)",
            );
            check(
                "claims_frequency_factor",
                r.claims_frequency_factor,
                |v| (0.0..=10.0).contains(&v),
                "a factor on claim frequency in [0, 10]",
            );
            check(
                "interest_rate",
                r.interest_rate,
                |v| v > -1.0 && v < 1.0,
                "an annual rate in (−1, 1)",
            );
            check(
                "benefit_indexation",
                r.benefit_indexation,
                |v| v > -1.0 && v < 1.0,
                "an annual indexation in (−1, 1), 0.08 for +8 %",
            );
            let catastrophe = r.catastrophe.as_ref().and_then(|c| {
                let sector = scenario.sectors.iter().position(|s| s.name == c.sector);
                let city = scenario.cities.iter().position(|x| x.name == c.city);
                if sector.is_none() {
                    let names: Vec<_> = scenario.sectors.iter().map(|s| s.name.as_str()).collect();
                    fail(
                        f("catastrophe.sector"),
                        format!("{:?}", c.sector),
                        format!("one of {}", names.join(", ")),
                    );
                }
                if city.is_none() {
                    let names: Vec<_> = scenario.cities.iter().map(|s| s.name.as_str()).collect();
                    fail(
                        f("catastrophe.city"),
                        format!("{:?}", c.city),
                        format!("one of {}", names.join(", ")),
                    );
                }
                if !(c.deaths.is_finite() && c.deaths >= 1.0) {
                    fail(
                        f("catastrophe.deaths"),
                        c.deaths.to_string(),
                        "at least 1 death".into(),
                    );
                }
                let month = c.month.unwrap_or(7);
                if !(1..=12).contains(&month) {
                    fail(
                        f("catastrophe.month"),
                        month.to_string(),
                        "a calendar month, 1–12".into(),
                    );
                }
                Some(ForcedCatastrophe {
                    sector: sector?,
                    city: city?,
                    deaths: c.deaths,
                    month: month.clamp(1, 12) as usize,
                })
            });
            shocks.push(Shock {
                from: r.from as i32,
                to: to as i32,
                employment_growth_shift: r.employment_growth_shift,
                wage_growth: r.wage_growth,
                collection_rate_shift: r.collection_rate_shift,
                claims_frequency_factor: r.claims_frequency_factor,
                interest_rate: r.interest_rate,
                benefit_indexation: r.benefit_indexation,
                catastrophe,
            });
        }
        if !problems.is_empty() {
            return Err(ScenarioError::Invalid {
                source_name: source_name.to_string(),
                problems,
            });
        }
        Ok(Stress {
            name: raw.name,
            description: raw.description,
            shocks,
            scale: 1.0,
        })
    }
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    (
        before.matches('\n').count() + 1,
        before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shock(from: i32, to: i32) -> Shock {
        Shock {
            from,
            to,
            employment_growth_shift: Some(-0.05),
            wage_growth: Some(0.0),
            collection_rate_shift: None,
            claims_frequency_factor: Some(1.3),
            interest_rate: None,
            benefit_indexation: None,
            catastrophe: None,
        }
    }

    /// A shock is in force in its years only, and scales as documented.
    #[test]
    fn years_and_scale() {
        let st = Stress {
            name: "x".into(),
            description: String::new(),
            shocks: vec![shock(2026, 2027)],
            scale: 1.0,
        };
        assert_eq!(
            st.year(2025, 1),
            YearShock {
                scale: 1.0,
                ..YearShock::NONE
            }
        );
        let y = st.year(2026, 1);
        assert_eq!(y.employment_shift, -0.05);
        assert_eq!(y.wage_growth(0.05), 0.0);
        assert!((y.frequency_factor - 1.3).abs() < 1e-12);
        assert_eq!(st.year(2028, 1).frequency_factor, 1.0);
        let half = st.scaled(0.5).year(2027, 1);
        assert!((half.employment_shift + 0.025).abs() < 1e-12);
        assert!((half.wage_growth(0.05) - 0.025).abs() < 1e-12);
        assert!((half.frequency_factor - 1.15).abs() < 1e-12);
        let none = st.scaled(0.0).year(2027, 1);
        assert_eq!(none.wage_growth(0.05), 0.05);
        assert_eq!(none.frequency_factor, 1.0);
    }
}

/// What one stress × scheme pair costs, on the run's paths.
#[derive(Debug, Clone, Serialize)]
pub struct PairResult {
    /// The stress overlay (`none` for the scenario as it is).
    pub stress: String,
    /// The sharing scheme.
    pub scheme: String,
    /// Probability of a gap in each year.
    pub gap_probability: Vec<f64>,
    /// Its standard errors.
    pub gap_probability_se: Vec<f64>,
    /// Probability of a gap in any year.
    pub gap_probability_any: f64,
    /// Its standard error.
    pub gap_probability_any_se: f64,
    /// Probability of a breach of the 12-month rule in any year.
    pub breach_probability_any: f64,
    /// Mean total gap money over the horizon (yuan): what the treasuries must find.
    pub gap_total_mean: f64,
    /// Its 95th percentile.
    pub gap_total_p95: f64,
    /// Per payer (the province, then each city).
    pub payers: Vec<PayerResult>,
}

/// One payer's burden under a stress × scheme pair.
#[derive(Debug, Clone, Serialize)]
pub struct PayerResult {
    /// `province` or the city's name.
    pub payer: String,
    /// Cumulative transfer over the horizon: mean, p95, max, share of paths
    /// with any, worst single year.
    #[serde(flatten)]
    pub burden: crate::stats::paths::PayerBurden,
    /// Mean cumulative burden over the payer's fiscal revenue of the horizon
    /// (base-year revenue × years; `null` without a revenue).
    pub share_of_fiscal_revenue: Option<f64>,
    /// The payer's share of the cities' burden over its share of the
    /// cities' premiums (cities only; 1 is proportional, `null` when no
    /// city pays anything).
    pub fairness: Option<f64>,
}

/// Summarises a run of one stress × scheme pair.
pub fn pair_result(
    s: &Scenario,
    stress: &str,
    scheme: &str,
    set: &crate::stats::paths::PathSet,
) -> PairResult {
    use crate::stats::paths::{FLAG_BREACH, FLAG_GAP, proportion_se, quantile};
    let h = set.shape.years;
    let n = set.paths;
    let p = set.shape.payers();
    let gap: Vec<f64> = (0..h).map(|k| set.share(k, FLAG_GAP)).collect();
    let any = |flag: u8| {
        set.flags
            .chunks(h)
            .filter(|path| path.iter().any(|f| f & flag != 0))
            .count() as f64
            / n as f64
    };
    let gap_any = any(FLAG_GAP);
    let mut totals: Vec<f64> = set
        .gap_total_by_payer
        .chunks(p)
        .map(|x| x.iter().sum())
        .collect();
    totals.sort_by(f64::total_cmp);
    let burdens: Vec<_> = (0..p).map(|i| set.payer_burden(i)).collect();
    let city_burden: f64 = burdens[1..].iter().map(|b| b.mean).sum();
    let premiums: Vec<f64> = (0..s.n_cities())
        .map(|c| {
            (0..h)
                .map(|k| set.sums.city_premiums[k * s.n_cities() + c])
                .sum::<i128>() as f64
        })
        .collect();
    let all_premiums: f64 = premiums.iter().sum();
    let years = h as f64;
    let payers = burdens
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let (name, revenue) = if i == 0 {
                ("province".to_string(), s.fund.provincial_fiscal_revenue)
            } else {
                (
                    s.cities[i - 1].name.clone(),
                    Some(s.cities[i - 1].fiscal_revenue),
                )
            };
            let fairness = (i > 0 && city_burden > 0.0 && all_premiums > 0.0)
                .then(|| (b.mean / city_burden) / (premiums[i - 1] / all_premiums));
            PayerResult {
                payer: name,
                burden: *b,
                share_of_fiscal_revenue: revenue.filter(|r| *r > 0.0).map(|r| b.mean / (r * years)),
                fairness,
            }
        })
        .collect();
    PairResult {
        stress: stress.to_string(),
        scheme: scheme.to_string(),
        gap_probability_se: gap.iter().map(|g| proportion_se(*g, n)).collect(),
        gap_probability: gap,
        gap_probability_any: gap_any,
        gap_probability_any_se: proportion_se(gap_any, n),
        breach_probability_any: any(FLAG_BREACH),
        gap_total_mean: totals.iter().sum::<f64>() / n as f64,
        gap_total_p95: quantile(&totals, 0.95),
        payers,
    }
}

/// A city's notional reserve in one year (mean over paths).
#[derive(Debug, Clone, Serialize)]
pub struct CityReserve {
    /// Calendar year.
    pub year: i32,
    /// City.
    pub city: String,
    /// Its share of the opening balance plus its premiums less its
    /// attributed expenditure, accumulated to December (yuan).
    pub notional_reserve: f64,
    /// That reserve over the city's average monthly expenditure of the year.
    pub reserve_months: Option<f64>,
    /// Premiums less expenditure of the year (yuan): negative for a net receiver of the pool.
    pub net: f64,
}

/// Each city's notional reserve by year: the opening balance split in
/// proportion to the cities' first-year premiums, then each city's own
/// premiums less the expenditure of its cases and stocks (provincial lines,
/// interest, subsidies and gap transfers stay with the province).
pub fn city_reserves(s: &Scenario, set: &crate::stats::paths::PathSet) -> Vec<CityReserve> {
    let c = s.n_cities();
    let n = set.paths as f64;
    let mean = |v: i128| v as f64 / 100.0 / n;
    let first: Vec<f64> = (0..c).map(|i| mean(set.sums.city_premiums[i])).collect();
    let total_first: f64 = first.iter().sum();
    let mut reserve: Vec<f64> = first
        .iter()
        .map(|p| {
            if total_first > 0.0 {
                s.fund.opening_balance * p / total_first
            } else {
                0.0
            }
        })
        .collect();
    let mut out = Vec::with_capacity(c * set.shape.years);
    for k in 0..set.shape.years {
        for (i, city) in s.cities.iter().enumerate() {
            let premiums = mean(set.sums.city_premiums[k * c + i]);
            let expenditure = mean(set.sums.city_expenditure[k * c + i]);
            reserve[i] += premiums - expenditure;
            out.push(CityReserve {
                year: s.start_year + k as i32,
                city: city.name.clone(),
                notional_reserve: reserve[i],
                reserve_months: (expenditure > 0.0).then(|| reserve[i] / (expenditure / 12.0)),
                net: premiums - expenditure,
            });
        }
    }
    out
}

/// The reverse stress test's answer.
#[derive(Debug, Clone, Serialize)]
pub struct ReverseResult {
    /// The overlay.
    pub stress: String,
    /// Probability of any breach looked for.
    pub target: f64,
    /// Smallest scale at which the Monte Carlo probability of any breach
    /// reaches the target (`null`: not up to [`REVERSE_MAX_SCALE`]).
    pub monte_carlo_scale: Option<f64>,
    /// Smallest scale at which the expected-value path breaches in some year.
    pub expected_value_scale: Option<f64>,
    /// Bisection tolerance on the scale.
    pub tolerance: f64,
}

/// Largest scale the reverse stress test tries.
pub const REVERSE_MAX_SCALE: f64 = 10.0;
/// Precision of the reverse stress test's scale.
pub const REVERSE_TOLERANCE: f64 = 0.01;

/// Smallest scale in [0, max] at which `reached(scale)` holds, by bisection,
/// assuming it holds for every larger scale once it holds.
fn smallest_scale(
    mut reached: impl FnMut(f64) -> anyhow::Result<bool>,
) -> anyhow::Result<Option<f64>> {
    if reached(0.0)? {
        return Ok(Some(0.0));
    }
    if !reached(REVERSE_MAX_SCALE)? {
        return Ok(None);
    }
    let (mut lo, mut hi) = (0.0, REVERSE_MAX_SCALE);
    while hi - lo > REVERSE_TOLERANCE {
        let mid = (lo + hi) / 2.0;
        if reached(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(Some(hi))
}

/// Reverse stress test: the smallest scale of an overlay's shocks at which
/// the probability of any breach reaches `target` (on common random
/// numbers), and at which the expected-value path breaches.
pub fn reverse(
    s: &Scenario,
    overlay: &Stress,
    target: f64,
    config: &crate::runner::RunConfig,
) -> anyhow::Result<ReverseResult> {
    use crate::stats::paths::FLAG_BREACH;
    let at = |scale: f64| {
        let mut x = s.clone();
        x.stress = Some(overlay.scaled(scale));
        x
    };
    let mc = smallest_scale(|scale| {
        let set = crate::runner::run(&at(scale), config)?;
        let h = set.shape.years;
        let hits = set
            .flags
            .chunks(h)
            .filter(|p| p.iter().any(|f| f & FLAG_BREACH != 0))
            .count();
        Ok(hits as f64 / set.paths as f64 >= target)
    })?;
    let ev = smallest_scale(|scale| {
        let x = at(scale);
        let mut months = Vec::new();
        crate::engine::Engine::new(&x).run(&mut crate::sampling::Expected, &mut months);
        Ok(months.iter().any(|m| m.breach == Some(true)))
    })?;
    Ok(ReverseResult {
        stress: overlay.name.clone(),
        target,
        monte_carlo_scale: mc,
        expected_value_scale: ev,
        tolerance: REVERSE_TOLERANCE,
    })
}
