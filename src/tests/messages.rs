//! Every refusal names what is wrong in the user's words: the line and
//! byte of invalid UTF-8, a duplicate key or table by name, no Rust type
//! or serde word in any message, a quoted line cut around the error, the
//! file and field of overlays, schedules, sharing schemes and actuals.

use super::support::{TINY, default_scenario};
use crate::input::{InputError, Source, parse_candidate, parse_overlay, parse_scenario};

/// Words that would leak the implementation into a message.
const LEAKS: [&str; 14] = [
    "Raw", "struct ", "enum ", "variant", "f64", "i64", "i32", "u32", "u64", "usize", "sequence",
    "Option", "Vec<", "panicked",
];

/// Values of the wrong type, put in place of every value in turn.
const WRONG: [&str; 9] = [
    "\"x\"",
    "[1, 2]",
    "{ a = 1 }",
    "true",
    "[]",
    "[[1]]",
    "1979-05-27",
    "[1, \"a\"]",
    "{}",
];

/// Every message of `parse` over every line of `text` with every wrong
/// value: none may leak a Rust type name, and each names a line or field.
fn assert_plain(text: &str, parse: impl Fn(&str) -> Result<(), InputError>) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut checked = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some((key, _)) = line.split_once(" = ") else {
            continue;
        };
        if key.trim().starts_with('#') || key.contains('[') {
            continue;
        }
        for wrong in WRONG {
            let mut mutated = lines.clone();
            let replaced = format!("{key} = {wrong}");
            mutated[i] = &replaced;
            if let Err(e) = parse(&mutated.join("\n")) {
                let msg = e.to_string();
                for leak in LEAKS {
                    assert!(!msg.contains(leak), "{replaced}: {leak:?} in {msg}");
                }
                let located = matches!(e, InputError::Parse { .. }) || msg.contains(" = ");
                assert!(located, "{replaced}: no line or field in {msg}");
                checked += 1;
            }
        }
    }
    checked
}

/// No message about a scenario, an overlay or a schedule names a Rust type.
#[test]
fn no_rust_type_names_in_messages() {
    let scenario = |t: &str| parse_scenario(&Source::new("s.toml".into(), t.into())).map(|_| ());
    assert!(assert_plain(TINY, scenario) > 300);
    let jiangxi = include_str!("../../scenarios/jiangxi-2025.toml");
    assert!(assert_plain(jiangxi, scenario) > 300);
    let s = default_scenario();
    let overlay = |t: &str| parse_overlay(&Source::new("o.toml".into(), t.into()), &s).map(|_| ());
    let combined = include_str!("../../scenarios/stress/combined.toml");
    assert!(assert_plain(combined, overlay) > 30);
    let schedule =
        |t: &str| parse_candidate(&Source::new("r.toml".into(), t.into()), &s).map(|_| ());
    let rise = include_str!("../../scenarios/rates/rise-2026-phased.toml");
    assert!(assert_plain(rise, schedule) > 10);
}

/// Invalid UTF-8 is refused with its line and byte offset.
#[test]
fn invalid_utf8_names_its_line_and_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(&path, b"name = \"ok\"\ndescription = \"caf\xe9\"\n").unwrap();
    let err = Source::read(&path, "scenario").unwrap_err().to_string();
    assert!(
        err.contains("bad.toml:2:") && err.contains("byte 30"),
        "{err}"
    );
}

/// A key or table given twice is named.
#[test]
fn duplicate_keys_and_tables_are_named() {
    let err = |t: String| {
        parse_scenario(&Source::new("s.toml".into(), t))
            .unwrap_err()
            .to_string()
    };
    let table = err(format!("{TINY}\n[economy]\naverage_monthly_wage = 1.0\n"));
    assert!(
        table.contains("the table [economy] is given twice"),
        "{table}"
    );
    let key = err(TINY.replacen(
        "[drivers.interest_rate]",
        "[drivers.interest_rate]\nmean = 0.0",
        1,
    ));
    assert!(key.contains("the key \"mean\" is given twice"), "{key}");
}

/// A quoted line is cut to about 120 characters around the error, so a
/// long line cannot flood the terminal.
#[test]
fn quoted_lines_are_cut_around_the_error() {
    let text = TINY.replacen("seed = 7", &format!("seed = 7 {}", "x".repeat(200_000)), 1);
    let err = parse_scenario(&Source::new("s.toml".into(), text))
        .unwrap_err()
        .to_string();
    assert!(err.len() < 600, "{} bytes", err.len());
    assert!(err.contains('…'), "{err}");
}

/// A sharing scheme's parameter of the wrong type is named with its field
/// and its value; overlays and schedules are named as what they are.
#[test]
fn sharing_overlay_and_schedule_messages_name_their_field_and_file() {
    let text = TINY.replacen("province = 0.5", "province = \"half\"", 1);
    let err = parse_scenario(&Source::new("s.toml".into(), text))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("sharing.province = \"half\": found the text \"half\", expected a number"),
        "{err}"
    );
    let s = default_scenario();
    let err = parse_overlay(
        &Source::new(
            "o.toml".into(),
            "name = \"x\"\n[[shock]]\nfrom = 1800\n".into(),
        ),
        &s,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("o.toml: 2 problems in the stress overlay:")
            && err.contains("shock[0].from = 1800"),
        "{err}"
    );
    let err = parse_candidate(
        &Source::new(
            "r.toml".into(),
            "name = \"x\"\n[[schedule]]\nyear = 1700\nmultiplier = 20\n".into(),
        ),
        &s,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("r.toml: 2 problems in the rate schedule:"),
        "{err}"
    );
    // the year is not one, so the multiplier's message names none
    assert!(!err.contains("1900"), "{err}");
}

/// Why a scenario of `text` is refused.
fn refusal(text: String) -> String {
    parse_scenario(&Source::new("s.toml".into(), text))
        .unwrap_err()
        .to_string()
}

/// Every parameter of a sharing table of the wrong type, or unknown to its
/// kind, is refused at once, not only the first one read; the checks of
/// the others still run, and none of them names a default in place of a
/// parameter refused.
#[test]
fn every_sharing_parameter_of_the_wrong_type_is_refused_at_once() {
    let text = TINY.replacen(
        "province = 0.5",
        "province = \"half\"\ncolour = 3\nfloor_months = -1",
        1,
    );
    let err = refusal(text);
    for want in [
        "sharing.province = \"half\": found the text \"half\", expected a number",
        "sharing.colour = 3: unknown field \"colour\"",
        "sharing.floor_months = -1",
    ] {
        assert!(err.contains(want), "{want} in {err}");
    }
    assert!(err.contains("3 problems in the scenario"), "{err}");
    // a figure in quotes is text: the message says to write it without
    let text = TINY.replacen(
        "province = 0.5",
        "province = \"0.5\"\nfloor_months = \"12\"",
        1,
    );
    let err = refusal(text);
    for want in [
        "sharing.province = \"0.5\": found the text \"0.5\", expected a number; write it without quotes: 0.5",
        "sharing.floor_months = \"12\": a number of months ≥ 0, written without quotes",
    ] {
        assert!(err.contains(want), "{want} in {err}");
    }
    // a parameter refused hides no problem of another whose name starts
    // the same (review: second_band and second_band_share)
    let text = TINY.replacen(
        "scheme = \"fixed_ratio\"\nprovince = 0.5",
        "scheme = \"budget_linked\"\nsurplus_budget_share = 0.1\ndeficit_budget_share = 0.2\nfirst_band = 0.05\nsecond_band = \"x\"\nsecond_band_share = 5\nbeyond_share = 0.6",
        1,
    );
    let err = refusal(text);
    assert!(
        err.contains("sharing.second_band = \"x\"")
            && err.contains("sharing.second_band_share = 5"),
        "{err}"
    );
}

/// A driver's mean outside its bounds is one problem: the sd and its
/// standard error, whose bounds follow from the mean, are not refused for it.
#[test]
fn a_driver_mean_out_of_bounds_is_one_problem() {
    let text = TINY.replacen(
        "[drivers.wage_growth]\nmean = 0.0",
        "[drivers.wage_growth]\nmean = 5.0\nsd = 0.015\nmean_se = 0.01",
        1,
    );
    let err = parse_scenario(&Source::new("s.toml".into(), text))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("1 problem in the scenario") && err.contains("drivers.wage_growth.mean = 5"),
        "{err}"
    );
    // 5 % written as 5: the fraction is offered
    assert!(err.contains("did you mean 0.05?"), "{err}");
    // a mean past the bounds even as a percentage is offered nothing
    let text = TINY.replacen(
        "[drivers.wage_growth]\nmean = 0.0",
        "[drivers.wage_growth]\nmean = 500.0",
        1,
    );
    let err = parse_scenario(&Source::new("s.toml".into(), text))
        .unwrap_err()
        .to_string();
    assert!(!err.contains("did you mean"), "{err}");
}

/// A value `[sharing]` takes from a preset, and that the preset's own check
/// refuses in the same words, is one problem, named where it is written.
/// Anything else `[sharing]` gets wrong is still its own problem: a value
/// it writes itself, a band that clashes with one it writes, a field a
/// preset of another kind does not give it. A loop of presets, or a link
/// to a preset there is not, is one problem where it is written.
#[test]
fn a_preset_value_is_refused_once_where_it_is_written() {
    let loan = "[presets.sharing.my_loan]\nscheme = \"loan\"\ninterest_rate = 0.9\nrepay_above_months = 6\nrepay_share = 0.5\n";
    let bands = "[presets.sharing.bl]\nscheme = \"budget_linked\"\nkey = \"premium_income\"\nsurplus_budget_share = 0.1\ndeficit_budget_share = 0.2\nfirst_band = 0.05\nsecond_band = 0.03\nsecond_band_share = 0.4\nbeyond_share = 0.6\n";
    let other_kind = "[presets.sharing.fixed_ratio]\nscheme = \"loan\"\nprovince = 0.5\n";
    let a_loop = "[presets.sharing.a]\npreset = \"b\"\n[presets.sharing.b]\npreset = \"a\"\n";
    let problems = |preset: &str, sharing: &str| {
        let text = TINY.to_string();
        let at = text.find("[sharing]\n").expect("tiny.toml has [sharing]");
        let end = text[at..].find("\n\n").map_or(text.len(), |e| at + e);
        let text = format!(
            "{}[sharing]\n{sharing}{}\n\n{preset}",
            &text[..at],
            &text[end..]
        );
        parse_scenario(&Source::new("s.toml".into(), text))
            .unwrap_err()
            .to_string()
    };
    let cases: [(&str, &str, usize, &[&str]); 11] = [
        (
            loan,
            "preset = \"my_loan\"\n",
            1,
            &["presets.sharing.my_loan.interest_rate = 0.9"],
        ),
        (
            loan,
            "preset = \"my_loan\"\ninterest_rate = 0.8\n",
            2,
            &[
                "sharing.interest_rate = 0.8",
                "presets.sharing.my_loan.interest_rate = 0.9",
            ],
        ),
        (
            bands,
            "preset = \"bl\"\n",
            1,
            &["presets.sharing.bl.second_band = 0.03"],
        ),
        (
            bands,
            "preset = \"bl\"\nfirst_band = 0.5\n",
            2,
            &[
                "sharing.second_band = 0.03: the second band ends after the first (sharing.first_band = 0.5)",
                "presets.sharing.bl.second_band = 0.03",
            ],
        ),
        (
            other_kind,
            "scheme = \"fixed_ratio\"\n",
            2,
            &[
                "sharing.province = missing",
                "presets.sharing.fixed_ratio.province = 0.5",
            ],
        ),
        // a loop of presets gives no scheme: one problem, naming the loop,
        // at its first preset by name; not one for every table built on it
        (
            a_loop,
            "preset = \"a\"\n",
            1,
            &[
                "presets.sharing.a.preset = \"b\": the presets build on each other in a loop (a → b → a)",
            ],
        ),
        (
            "[presets.sharing.c]\npreset = \"c\"\n",
            "preset = \"c\"\n",
            1,
            &[
                "presets.sharing.c.preset = \"c\": the presets build on each other in a loop (c → c)",
            ],
        ),
        // a table of one kind built on a preset of another: the parameters
        // the preset gives and the kind does not take are one problem, at
        // the preset the table names, not one per field it never wrote (trial)
        (
            "[presets.sharing.a]\nscheme = \"fixed_ratio\"\nprovince = 0.3\n",
            "preset = \"a\"\nscheme = \"loan\"\ninterest_rate = 0.03\nrepay_above_months = 6\nrepay_share = 0.5\n",
            1,
            &[
                "sharing.preset = \"a\": the preset gives key, province, which a \"loan\" scheme does not take (it is a \"fixed_ratio\" scheme)",
            ],
        ),
        // a preset naming one wrongly, or a chain ending at a preset that
        // names no scheme: refused there only, not also as a scheme missing
        // from every table that builds on it (review)
        (
            "[presets.sharing.a]\npreset = 5\n",
            "preset = \"a\"\n",
            1,
            &["presets.sharing.a.preset = 5"],
        ),
        (
            "[presets.sharing.a]\npreset = \"b\"\n[presets.sharing.b]\nprovince = 0.5\n",
            "preset = \"a\"\n",
            1,
            &["presets.sharing.b.scheme = missing"],
        ),
        // a preset naming one there is not: refused there only, not also as
        // a scheme missing from `[sharing]`, which builds on it
        (
            "[presets.sharing.mine]\npreset = \"nosuch\"\nprovince = 0.6\n",
            "preset = \"mine\"\n",
            1,
            &["presets.sharing.mine.preset = \"nosuch\": one of"],
        ),
    ];
    for (preset, sharing, n, expected) in cases {
        let err = problems(preset, sharing);
        let count = format!(
            "{n} problem{} in the scenario",
            if n == 1 { "" } else { "s" }
        );
        assert!(err.contains(&count), "{sharing}: {err}");
        for e in expected {
            assert!(err.contains(e), "{sharing}: {e} in {err}");
        }
    }
    // the presets offered for a wrong name leave out the preset's own
    let err = problems(
        "[presets.sharing.mine]\npreset = \"provnce_pays\"\n",
        "preset = \"mine\"\n",
    );
    assert!(
        err.contains("\"province_pays\"") && !err.contains("\"mine\","),
        "{err}"
    );
}

/// Policy `none` with a starting multiplier other than 1 is refused,
/// naming both fields.
#[test]
fn policy_none_with_a_multiplier_names_both_fields() {
    let text = TINY.replacen(
        "prevention_share = 0.02",
        "prevention_share = 0.02\ninitial_multiplier = 1.2",
        1,
    );
    let err = parse_scenario(&Source::new("s.toml".into(), text))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("fund.initial_multiplier = 1.2") && err.contains("policy.kind"),
        "{err}"
    );
}

/// A `[sources]` key or text with control characters (a terminal escape, a
/// line break) is refused with both shown escaped on one line, as TOML
/// writes them, so the message can neither break nor recolour a terminal
/// (found by the fuzzer on the default scenario's `[sources]`).
#[test]
fn sources_with_control_characters_are_shown_escaped() {
    let base = crate::input::DEFAULT_TOML;
    for (extra, shown) in [
        (
            "\"\\u001b[31m\\n\" = \"x\"",
            "sources.\"\\u001B[31m\\u000A\" = \"x\"",
        ),
        (
            "\"drivers.interest_rate\" = \"a\\tb\"",
            "sources.\"drivers.interest_rate\" = \"a\\u0009b\"",
        ),
    ] {
        let text = format!("{base}\n{extra}\n");
        let e = parse_scenario(&Source::new("s.toml".into(), text)).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(shown), "{shown} not in {msg}");
        assert!(!msg.chars().any(|c| c.is_control() && c != '\n'), "{msg:?}");
        assert_eq!(msg.lines().count(), 2, "{msg}");
    }
}

/// A mistyped name is offered the known name closest to it: a scheme kind,
/// a sharing key, a field of a table; a name like none of them is offered
/// nothing.
#[test]
fn a_mistyped_name_is_offered_the_name_meant() {
    let cases = [
        (
            ("scheme = \"fixed_ratio\"", "scheme = \"fixed_ratoi\""),
            Some("did you mean \"fixed_ratio\"?"),
        ),
        (
            ("key = \"premium_income\"", "key = \"Premium_Income\""),
            Some("did you mean \"premium_income\"?"),
        ),
        (
            ("kind = \"none\"", "kind = \"none\"\nmax_chnage = 0.1"),
            Some("did you mean \"max_change\"?"),
        ),
        (("scheme = \"fixed_ratio\"", "scheme = \"anhui\""), None),
    ];
    for ((from, to), hint) in cases {
        assert!(TINY.contains(from), "{from}");
        let err = refusal(TINY.replacen(from, to, 1));
        match hint {
            Some(hint) => assert!(err.contains(hint), "{to}: {err}"),
            None => assert!(!err.contains("did you mean"), "{to}: {err}"),
        }
    }
}
