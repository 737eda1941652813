//! `fundsim merge`: the shards of one run into the outputs of the whole run,
//! byte-identical to one run of all the paths.

use super::Error;
use super::common::{check_out, print, provenance, say};
use crate::analysis::projection::Projection;
use crate::input::{InputError, Source, read_shard_head, read_shard_paths};
use crate::report::labels::Lang;
use crate::report::units::Unit;
use crate::report::{OutputDir, projection};
use crate::stats::shard::{self, MergeError, MergeFailure};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What `fundsim merge` was asked.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The shards' folders.
    pub(crate) shards: Vec<PathBuf>,
    /// Where to write the merged outputs.
    pub(crate) out: PathBuf,
    /// Unit of the console and the charts (the default rule when `None`).
    pub(crate) unit: Option<Unit>,
    /// Language of `report.html` and the charts (the scenario's default when `None`).
    pub(crate) lang: Option<Lang>,
}

/// Runs `fundsim merge`.
pub(crate) fn run(config: &Config) -> Result<(), Error> {
    let started = Instant::now();
    if let Some(shard) = config.shards.iter().find(|d| overlaps(&config.out, d)) {
        return Err(Error::usage(format!(
            "--out {} is the shard folder {} or holds or lies in it: replacing it would lose the shard; write the merged outputs elsewhere",
            config.out.display(),
            shard.display()
        )));
    }
    check_out(&config.out)?;
    let heads = config
        .shards
        .iter()
        .map(|d| Ok((read_shard_head(d)?, d)))
        .collect::<Result<Vec<_>, InputError>>()?;
    // each shard's head was checked on its own (its scenario against its
    // SHA-256, its shape against its scenario, the length of its paths);
    // the merge checks they are one run, then reads the paths one shard at
    // a time
    let whole =
        shard::merge_from(heads, |dir, head| read_shard_paths(dir, head)).map_err(|e| match e {
            // not bad input: the shards are fine, the machine is too small
            MergeFailure::Merge(MergeError::NoRoom(e)) => anyhow::Error::from(e).into(),
            MergeFailure::Merge(e) => Error::usage(e.to_string()),
            MergeFailure::Load(e) => e.into(),
        })?;
    let m = &whole.manifest;
    let s = &whole.scenario;
    let source = Source::new(m.source.clone(), whole.scenario_text.clone());
    let unit = config.unit.unwrap_or_else(|| Unit::default_for(s));
    let lang = config.lang.unwrap_or_else(|| Lang::default_for(s));
    let p = Projection::monte_carlo(s, &whole.set);
    let prov = provenance(s, &source, Some((m.seed, m.paths)));
    OutputDir::write(
        &config.out,
        &projection::files(&p, &prov, Some(m), unit, lang)?,
    )?;
    print(&projection::console(&p, &prov, unit))?;
    say(format_args!(
        "merged {} shards into {} in {:.2} s",
        config.shards.len(),
        config.out.display(),
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// Whether the output folder `out` is the folder `shard`, holds it or lies
/// in it, comparing real paths (`out` need not exist yet).
fn overlaps(out: &Path, shard: &Path) -> bool {
    let Ok(shard) = shard.canonicalize() else {
        return false;
    };
    let out = out.canonicalize().ok().or_else(|| {
        let name = out.file_name()?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.canonicalize().ok()?,
            _ => std::env::current_dir().ok()?,
        };
        Some(parent.join(name))
    });
    out.is_some_and(|out| shard.starts_with(&out) || out.starts_with(&shard))
}
