//! Every sentence a report writes, in Chinese and English from one code
//! path: each function takes the numbers and the language and returns the
//! sentence. The numbers are the results' own, rounded here for reading
//! (a probability to a whole per cent, its standard error to a tenth of a
//! point), so that they equal `summary.json`'s after that rounding.

use super::format::grouped_decimal;
use super::labels::Lang;
use super::units::Unit;
use crate::analysis::projection::Headline;
use rust_decimal::Decimal;

/// A probability as a whole per cent (`66`).
pub(crate) fn whole_percent(p: f64) -> String {
    format!("{:.0}", p * 100.0)
}

/// A standard error in points of a per cent, one decimal (`1.1`).
pub(crate) fn points(se: f64) -> String {
    format!("{:.1}", se * 100.0)
}

/// The headline: how likely reserves fall below the rule at least once by
/// the horizon, with its standard error, and the most likely first year.
pub(crate) fn breach_headline(h: &Headline, rule: f64, lang: Lang) -> String {
    let last = h.last_year;
    match (h.any_breach_se, lang) {
        (Some(se), Lang::Zh) => {
            let first = match h.first_breach_year {
                Some(y) => format!("最可能首次低于的年份为{y}年"),
                None => "没有一条路径低于".to_string(),
            };
            format!(
                "到{last}年，基金累计结余至少一次低于{rule}个月平均支付水平的概率约为{}%（±{}个百分点）；{first}。",
                whole_percent(h.any_breach),
                points(se)
            )
        }
        (Some(se), Lang::En) => {
            let first = match h.first_breach_year {
                Some(y) => format!("the most likely first year is {y}"),
                None => "no path falls below it".to_string(),
            };
            format!(
                "A {} % chance (±{} points) that reserves fall below {rule} months of payments at least once by {last}; {first}.",
                whole_percent(h.any_breach),
                points(se)
            )
        }
        (None, Lang::Zh) => match h.first_breach_year {
            Some(y) => {
                format!("按期望值路径，基金累计结余在{y}年12月首次低于{rule}个月平均支付水平。")
            }
            None => {
                format!("按期望值路径，基金累计结余到{last}年始终不低于{rule}个月平均支付水平。")
            }
        },
        (None, Lang::En) => match h.first_breach_year {
            Some(y) => format!(
                "On the expected-value path reserves first fall below {rule} months of payments in December {y}."
            ),
            None => format!(
                "On the expected-value path reserves stay at or above {rule} months of payments through {last}."
            ),
        },
    }
}

/// The expected balance at the horizon and, in Monte Carlo mode, the level
/// the worst 5 % of paths fall below; amounts already rounded in `unit`.
pub(crate) fn balance_headline(
    last_year: i32,
    mean: Decimal,
    p5: Option<Decimal>,
    unit: Unit,
    lang: Lang,
) -> String {
    let u = unit.label();
    let mean = grouped_decimal(mean);
    // a 5th percentile of exactly 0 is an account run dry on 5 % of paths
    // or more (the treasuries cover what is short): "below 0.00" says nothing
    if p5.is_some_and(|p| p.is_zero()) {
        return match lang {
            Lang::Zh => {
                format!("{last_year}年末滚存结余的期望值为{mean}{u}；至少5%的路径年末结余为零。")
            }
            Lang::En => format!(
                "The expected balance at the end of {last_year} is {mean} {u} (年末滚存结余); on at least 5 % of paths it is exhausted (0)."
            ),
        };
    }
    match (p5.map(grouped_decimal), lang) {
        (Some(p5), Lang::Zh) => {
            format!("{last_year}年末滚存结余的期望值为{mean}{u}；最差的5%路径低于{p5}{u}。")
        }
        (Some(p5), Lang::En) => format!(
            "The expected balance at the end of {last_year} is {mean} {u} (年末滚存结余); in the worst 5 % of paths it is below {p5} {u}."
        ),
        (None, Lang::Zh) => format!("{last_year}年末滚存结余为{mean}{u}。"),
        (None, Lang::En) => {
            format!("The balance at the end of {last_year} is {mean} {u} (年末滚存结余).")
        }
    }
}

/// What the rate policy does by the horizon: the mean multiplier of the
/// benchmark rates and, in Monte Carlo mode, the share of paths where the
/// rates were raised at all and the 90th percentile.
pub(crate) fn rate_headline(
    last_year: i32,
    mean: f64,
    raised: Option<f64>,
    p90: Option<f64>,
    lang: Lang,
) -> String {
    match (raised.zip(p90), lang) {
        (Some((raised, p90)), Lang::Zh) => format!(
            "费率政策：到{last_year}年，行业基准费率在{}%的路径上被上调；平均为现行费率的{mean:.2}倍，90%的路径不超过{p90:.2}倍。",
            whole_percent(raised)
        ),
        (Some((raised, p90)), Lang::En) => format!(
            "The rate policy: by {last_year} the industry benchmark rates (行业基准费率) have been raised on {} % of paths; on average they are {mean:.2} times today's, and at most {p90:.2} times on 90 % of paths.",
            whole_percent(raised)
        ),
        (None, Lang::Zh) => {
            format!("费率政策：到{last_year}年，行业基准费率为现行费率的{mean:.2}倍。")
        }
        (None, Lang::En) => format!(
            "The rate policy: by {last_year} the industry benchmark rates (行业基准费率) are {mean:.2} times today's."
        ),
    }
}

/// A schedule's chance of any breach by the horizon, with its standard
/// error; for a candidate also its paired difference from the baseline and
/// what employers pay more or less a year (an amount already rounded).
pub(crate) struct ScheduleOutcome<'a> {
    /// The schedule's name.
    pub(crate) name: &'a str,
    /// Probability of any breach.
    pub(crate) any: f64,
    /// Its standard error.
    pub(crate) se: f64,
    /// Against the baseline: the difference, its paired standard error, the
    /// change of premiums a year (printed) and as a per cent.
    pub(crate) against: Option<(f64, f64, Decimal, f64)>,
}

/// One sentence per schedule of a rates run.
pub(crate) fn schedule_headline(
    o: &ScheduleOutcome,
    last_year: i32,
    rule: f64,
    unit: Unit,
    lang: Lang,
) -> String {
    let u = unit.label();
    let (name, p, se) = (o.name, whole_percent(o.any), points(o.se));
    match (o.against, lang) {
        (None, Lang::Zh) => format!(
            "基线（{name}）：到{last_year}年，基金累计结余至少一次低于{rule}个月平均支付水平的概率约为{p}%（±{se}个百分点）。"
        ),
        (None, Lang::En) => format!(
            "The baseline ({name}): a {p} % chance (±{se} points) that reserves fall below {rule} months of payments at least once by {last_year}."
        ),
        (Some((d, d_se, change, pct)), Lang::Zh) => {
            let (dir, pays) = (
                if d < 0.0 { "低" } else { "高" },
                if change.is_sign_negative() {
                    "少缴"
                } else {
                    "多缴"
                },
            );
            let against = if same_to_a_tenth(d) {
                "与基线持平（相差不到0.05个百分点，".to_string()
            } else {
                format!("比基线{dir}{:.1}个百分点（", d.abs() * 100.0)
            };
            format!(
                "方案{name}：该概率约为{p}%（±{se}个百分点），{against}配对标准误{}个百分点）；用人单位年均{pays}保险费{}{u}（{pct:+.1}%）。",
                points(d_se),
                grouped_decimal(change.abs()),
            )
        }
        (Some((d, d_se, change, pct)), Lang::En) => {
            let (dir, pays) = (
                if d < 0.0 { "lower" } else { "higher" },
                if change.is_sign_negative() {
                    "less"
                } else {
                    "more"
                },
            );
            let against = if same_to_a_tenth(d) {
                "the same as the baseline to a tenth of a point".to_string()
            } else {
                format!("{:.1} points {dir} than the baseline", d.abs() * 100.0)
            };
            format!(
                "Schedule {name}: a {p} % chance (±{se} points), {against} (paired standard error {}); employers pay {} {u} a year {pays} on average ({pct:+.1} %).",
                points(d_se),
                grouped_decimal(change.abs()),
            )
        }
    }
}

/// Whether a difference of probabilities prints as 0.0 points: no
/// direction to give it.
fn same_to_a_tenth(d: f64) -> bool {
    format!("{:.1}", d.abs() * 100.0) == "0.0"
}

/// The note under the headline: what the ± means.
pub(crate) fn sampling_note(paths: u64, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "概率为{paths}条蒙特卡洛路径中的占比；括号内为一个标准误（抽样误差），路径越多越小。"
        ),
        Lang::En => format!(
            "Probabilities are shares of {paths} Monte Carlo paths; the ± is one standard error (sampling error), which shrinks as the paths grow."
        ),
    }
}

/// The back-test's verdict: how many observed values the 90 % and 50 %
/// bands covered against what honest bands would, then one sentence per
/// measure (its coverage, the side of the median it ran on, its mean PIT).
pub(crate) fn backtest_verdict(
    coverage: &[crate::analysis::backtest::Coverage],
    origins: usize,
    rate_move: Option<&crate::analysis::backtest::RateMove>,
    few_drivers: &[(i32, usize)],
    lang: Lang,
) -> Vec<String> {
    use crate::analysis::backtest::Judgement;
    let mut out = Vec::new();
    let Some(all) = coverage.iter().find(|c| c.measure.is_none()) else {
        return out;
    };
    if all.n == 0 {
        out.push(
            lang.pick(
                "起点之后没有实际值，无可比较。",
                "No observed value falls after the origin: nothing to place.",
            )
            .into(),
        );
        return out;
    }
    let (lo, hi) = all.expected_in_90;
    let (n, in_90, in_50) = (all.n, all.in_90, all.in_50);
    let judgement = match all.judgement() {
        Judgement::TooNarrow => lang.pick(
            "少于可信的区间应覆盖的个数：预测扇形过窄",
            "fewer than honest bands would: the fans are too narrow",
        ),
        Judgement::TooWide => lang.pick(
            "多于可信的区间应覆盖的个数：预测扇形比历史所需的宽",
            "more than honest bands would: the fans are wider than the history needs",
        ),
        Judgement::Honest => lang.pick(
            "与可信的区间应覆盖的个数相符",
            "as many as honest bands would",
        ),
    };
    let from = match (origins, lang) {
        (1, _) => String::new(),
        (_, Lang::Zh) => format!("{origins}个起点的"),
        (_, Lang::En) => format!(" from {origins} origins"),
    };
    out.push(match lang {
        Lang::Zh => format!(
            "在{from}{n}个实际值中，90%预测区间覆盖了{in_90}个（{judgement}；可信的90%区间以95%的概率覆盖{lo}–{hi}个），50%区间覆盖了{in_50}个。"
        ),
        Lang::En => format!(
            "The 90 % bands covered {in_90} of {n} observed values{from} ({judgement}; honest 90 % bands cover {lo}–{hi} of {n} with 95 % probability); the 50 % bands covered {in_50}."
        ),
    });
    for c in coverage {
        let Some(m) = c.measure else { continue };
        let name = super::labels::backtest_measure(lang, m).0;
        let (above, k) = c.side();
        let (n, in_90, in_50, pit) = (c.n, c.in_90, c.in_50, c.mean_pit);
        out.push(match lang {
            Lang::Zh => format!(
                "{name}：{n}个实际值中{in_90}个落在90%区间内、{in_50}个落在50%区间内；{k}个{}中位数（PIT均值{pit:.2}）。",
                if above { "高于" } else { "低于" }
            ),
            Lang::En => format!(
                "{name}: {in_90} of {n} inside the 90 % band, {in_50} inside the 50 % band; it ran {} the median in {k} of {n} years (mean PIT {pit:.2}).",
                if above { "above" } else { "below" }
            ),
        });
    }
    if let Some(m) = rate_move {
        let (origin, first, (last, to)) = (m.origin, m.first, m.last);
        let from = m.at_origin;
        out.push(match lang {
            Lang::Zh => format!(
                "历史数据中的费率调整系数在{origin}年之后有变化（{origin}年{from:.2}，{first}年起变动，{last}年为{to:.2}）；自{origin}年起的预测沿用情景自身的费率政策，不知道这一调整，因此收入和结余超出预测区间可能来自费率调整，而不是预测扇形的偏差。"
            ),
            Lang::En => format!(
                "The history's rate multiplier moved after {origin} ({from:.2} in {origin}, moving from {first}, {to:.2} in {last}); the projection from {origin} keeps the scenario's own rate policy and does not know of the move, so income and the balance outside the fans may be the rate change, not the fans."
            ),
        });
    }
    if !few_drivers.is_empty() {
        let list: Vec<String> = few_drivers
            .iter()
            .map(|(o, n)| match lang {
                Lang::Zh => format!("{o}年（{n}个）"),
                Lang::En => format!("{o} ({n})"),
            })
            .collect();
        let drivers = crate::model::scenario::DRIVER_NAMES.len();
        out.push(match lang {
            Lang::Zh => format!(
                "以下起点的校准拟合的驱动因素少于{drivers}个中的一半：{}；其余驱动因素沿用基础情景，这些起点的预测区间检验的主要是基础情景而不是历史数据。",
                list.join("、")
            ),
            Lang::En => format!(
                "Fewer than half of the {drivers} drivers were fitted at origin{} {}; the rest are the base scenario's, so those fans test the base more than the history.",
                if list.len() == 1 { "" } else { "s" },
                list.join(", ")
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example sentences, from the numbers of the default run.
    #[test]
    fn the_headline_reads_as_the_committee_asks() {
        let h = Headline {
            last_year: 2034,
            any_breach: 0.6612,
            any_breach_se: Some(0.0106),
            first_breach_year: Some(2029),
        };
        assert_eq!(
            breach_headline(&h, 12.0, Lang::Zh),
            "到2034年，基金累计结余至少一次低于12个月平均支付水平的概率约为66%（±1.1个百分点）；最可能首次低于的年份为2029年。"
        );
        assert_eq!(
            breach_headline(&h, 12.0, Lang::En),
            "A 66 % chance (±1.1 points) that reserves fall below 12 months of payments at least once by 2034; the most likely first year is 2029."
        );
    }

    /// A 5th percentile that prints as 0.00 is an account run dry on 5 %
    /// of paths or more, said so; a negative one is a bound, said so.
    #[test]
    fn a_balance_run_dry_is_not_below_zero() {
        let mean = Decimal::new(1_234_500, 2);
        let zero = Decimal::new(0, 2);
        assert_eq!(
            balance_headline(2034, mean, Some(zero), Unit::Wan, Lang::Zh),
            "2034年末滚存结余的期望值为12,345.00万元；至少5%的路径年末结余为零。"
        );
        assert!(
            balance_headline(2034, mean, Some(zero), Unit::Wan, Lang::En)
                .ends_with("on at least 5 % of paths it is exhausted (0).")
        );
        assert!(
            balance_headline(2034, mean, Some(Decimal::new(-500, 2)), Unit::Wan, Lang::En)
                .ends_with("in the worst 5 % of paths it is below -5.00 万元.")
        );
    }

    /// A schedule's difference from the baseline gets a direction only when
    /// it prints as more than 0.0 points: a rise that changes nothing (both
    /// at 100 %) is "the same", not "0.0 points higher".
    #[test]
    fn a_difference_of_nothing_has_no_direction() {
        let outcome = |d: f64| ScheduleOutcome {
            name: "plus-10",
            any: 1.0,
            se: 0.0,
            against: Some((d, 0.0, Decimal::new(1_000_000, 2), 10.0)),
        };
        let zh = |d| schedule_headline(&outcome(d), 2034, 12.0, Unit::Wan, Lang::Zh);
        let en = |d| schedule_headline(&outcome(d), 2034, 12.0, Unit::Wan, Lang::En);
        for d in [0.0, -0.0, 0.0004, -0.0004] {
            assert!(
                zh(d).contains("与基线持平（相差不到0.05个百分点，配对标准误"),
                "{}",
                zh(d)
            );
            assert!(!zh(d).contains("比基线"), "{}", zh(d));
            assert!(en(d).contains("the same as the baseline"), "{}", en(d));
        }
        assert!(
            zh(-0.05).contains("比基线低5.0个百分点（配对标准误"),
            "{}",
            zh(-0.05)
        );
        assert!(zh(0.0006).contains("比基线高0.1个百分点"), "{}", zh(0.0006));
        assert!(
            en(-0.05).contains("5.0 points lower than the baseline (paired"),
            "{}",
            en(-0.05)
        );
    }
}
