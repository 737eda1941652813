//! Where a run came from, enough to regenerate it: the scenario's name,
//! file and SHA-256, the tool's version, the mode, the seed and paths, the
//! overlay and its scale, the schedules compared. One [`Provenance`] heads
//! the console, the Markdown pages, the charts and the JSON files alike.

use super::labels::Lang;
use serde::Serialize;

/// fundsim's version.
pub(crate) const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where a run came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Provenance {
    /// Scenario name.
    pub(crate) scenario: String,
    /// Whose fund it is, as report titles show it (the scenario's `title`).
    pub(crate) title: String,
    /// Scenario file as given (or the embedded default).
    pub(crate) source: String,
    /// SHA-256 of the scenario file's bytes.
    pub(crate) input_sha256: String,
    /// Monte Carlo seed and paths; `None` in expected-value mode.
    pub(crate) monte_carlo: Option<(u64, u64)>,
    /// The stress overlay applied and its scale, if any.
    pub(crate) stress: Option<(String, f64)>,
    /// The candidate schedules compared, if any.
    pub(crate) schedules: Vec<String>,
    /// The files read beside the scenario (overlays, rate schedules), each
    /// with the SHA-256 of its bytes.
    pub(crate) files: Vec<InputFile>,
}

/// What a file read beside the scenario is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FileRole {
    /// A stress overlay.
    Overlay,
    /// A candidate rate schedule.
    Schedule,
    /// A fund's history (calibration, back-test).
    History,
}

impl FileRole {
    /// The label of its row in a report's provenance.
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        match self {
            FileRole::Overlay => lang.pick("压力情景文件", "Overlay file"),
            FileRole::Schedule => lang.pick("费率方案文件", "Rate schedule file"),
            FileRole::History => lang.pick("历史数据文件", "History file"),
        }
    }
}

/// A file read beside the scenario, as given, and the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct InputFile {
    pub(crate) role: FileRole,
    #[serde(rename = "file")]
    pub(crate) path: String,
    pub(crate) sha256: String,
}

impl InputFile {
    pub(crate) fn new(role: FileRole, path: String, sha256: String) -> InputFile {
        InputFile { role, path, sha256 }
    }
}

/// The identity fields every JSON file starts with.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Identity<'a> {
    /// Scenario name.
    pub(crate) scenario: &'a str,
    /// Whose fund it is, as titles show it (not written: the scenario file has it).
    #[serde(skip)]
    pub(crate) title: &'a str,
    /// Scenario file.
    pub(crate) source: &'a str,
    /// Its SHA-256.
    pub(crate) input_sha256: &'a str,
    /// fundsim version.
    pub(crate) tool_version: &'static str,
}

/// The identity fields of a Monte Carlo analysis's JSON file: what ran,
/// then the master seed and the paths that every candidate, pair, move or
/// scale of it runs.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RunIdentity<'a> {
    /// Scenario, file, SHA-256, version.
    #[serde(flatten)]
    pub(crate) identity: Identity<'a>,
    /// Master seed.
    pub(crate) seed: u64,
    /// Paths.
    pub(crate) paths: u64,
    /// The files read beside the scenario, when there are any.
    #[serde(skip_serializing_if = "<[InputFile]>::is_empty")]
    pub(crate) input_files: &'a [InputFile],
}

impl Provenance {
    /// The identity fields for the JSON file of a run of `paths` paths
    /// seeded `seed`.
    pub(crate) fn run_identity(&self, seed: u64, paths: u64) -> RunIdentity<'_> {
        RunIdentity {
            identity: self.identity(),
            seed,
            paths,
            input_files: &self.files,
        }
    }

    /// The identity fields for a JSON file.
    pub(crate) fn identity(&self) -> Identity<'_> {
        Identity {
            scenario: &self.scenario,
            title: &self.title,
            source: &self.source,
            input_sha256: &self.input_sha256,
            tool_version: TOOL_VERSION,
        }
    }

    /// The overlay as a short phrase: `combined (scale 0.7)`.
    pub(crate) fn stress_phrase(&self) -> Option<String> {
        self.stress
            .as_ref()
            .map(|(name, scale)| format!("{name} (scale {scale})"))
    }

    /// One line saying what ran: scenario, file, mode, paths, seed, overlay,
    /// schedules.
    pub(crate) fn describe(&self, lang: Lang) -> String {
        let mut parts = vec![format!("{} ({})", self.scenario, self.source)];
        parts.push(match (self.monte_carlo, lang) {
            (Some((seed, paths)), Lang::Zh) => format!("蒙特卡洛 {paths} 条路径, 随机种子 {seed}"),
            (Some((seed, paths)), Lang::En) => format!("Monte Carlo, {paths} paths, seed {seed}"),
            (None, Lang::Zh) => "期望值模式".to_string(),
            (None, Lang::En) => "expected-value mode".to_string(),
        });
        if let Some(s) = self.stress_phrase() {
            parts.push(format!("{} {s}", lang.pick("压力情景", "stress")));
        }
        if !self.schedules.is_empty() {
            parts.push(format!(
                "{} {}",
                lang.pick("费率方案", "schedules"),
                self.schedules.join(", ")
            ));
        }
        parts.join(", ")
    }
}
