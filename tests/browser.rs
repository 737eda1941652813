//! `report.html` loaded in headless Chromium, as a reader opens it: in
//! Chinese and in English the page loads with no console error (a web font
//! the browser rejects is logged as an "OTS parsing error"; a resource it
//! could not load as "Failed to load resource"), and the loaded page has
//! the headline, every chart and every table.
//!
//! CI installs Debian's `chromium` and sets `FUNDSIM_BROWSER_TEST=1`, which
//! makes a missing browser a failure; elsewhere the test says it was
//! skipped.

use crate::support::{fundsim, run};
use std::path::Path;
use std::process::Command;
use tempfile::TempDir;

/// The browser, if there is one.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The page's DOM after load, and what the browser logged.
fn load(browser: &str, page: &Path, profile: &Path) -> (String, String) {
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run the browser");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_report_loads_in_chromium_without_errors() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("FUNDSIM_BROWSER_TEST").is_none(),
            "FUNDSIM_BROWSER_TEST is set but no chromium was found"
        );
        eprintln!("skipped: no chromium on this machine");
        return;
    };
    let dir = TempDir::new().unwrap();
    for lang in ["zh", "en"] {
        let out = dir.path().join(lang);
        let r = run(fundsim()
            .args(["simulate", "--paths", "100", "--lang", lang, "--out"])
            .arg(&out));
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        let (dom, log) = load(
            browser,
            &out.join("report.html"),
            &dir.path().join(format!("profile-{lang}")),
        );
        let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
        assert!(console.is_empty(), "{lang}: the page logged {console:?}");
        for bad in ["OTS parsing error", "Failed to load resource", "Uncaught"] {
            assert!(!log.contains(bad), "{lang}: {bad} in\n{log}");
        }
        assert!(dom.contains("id=\"headline\""), "{lang}: no headline");
        assert_eq!(dom.matches("<figure id=").count(), 5, "{lang}: charts");
        assert_eq!(dom.matches("<svg").count(), 5, "{lang}: inline SVG");
        for id in ["yearly", "assumptions", "calibration"] {
            assert!(
                dom.contains(&format!("<table id=\"{id}\"")),
                "{lang}: table {id}"
            );
        }
        let headline = match lang {
            "zh" => "基金累计结余至少一次低于12个月平均支付水平的概率",
            _ => "that reserves fall below 12 months of payments at least once by 2034",
        };
        assert!(dom.contains(headline), "{lang}: headline sentence");
    }
    // the standard set's report: every chart and table, no console message
    let out = dir.path().join("standard");
    let r = run(fundsim()
        .args(["report", "--paths", "40", "--lang", "en", "--out"])
        .arg(&out));
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let (dom, log) = load(
        browser,
        &out.join("report.html"),
        &dir.path().join("profile-standard"),
    );
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "standard: the page logged {console:?}");
    assert!(!log.contains("OTS parsing error"), "{log}");
    assert_eq!(dom.matches("<figure id=").count(), 9, "standard: charts");
    for id in [
        "yearly",
        "budget-province",
        "rates-premiums",
        "stress-pairs",
        "sensitivity-table",
    ] {
        assert!(
            dom.contains(&format!("<table id=\"{id}\"")),
            "standard: table {id}"
        );
    }
}
