//! Presets: named rate-policy bands and gap-sharing schemes, from
//! `scenarios/presets.toml` (embedded in the binary) and a scenario's own
//! `[presets]` table, whose entries add to or replace the embedded ones by
//! name. Presets are data, not code: the national rate cut, Anhui's shares
//! and bands and the command line's scheme names all live in the file.

use super::scenario::raw::{RawPolicyPreset, RawPresets};
use super::toml_text::deserialize;
use super::{InputError, Source};

/// The embedded presets file.
const PRESETS_TOML: &str = include_str!("../../scenarios/presets.toml");
/// The name under which the embedded presets are reported.
const PRESETS_SOURCE: &str = "<embedded>/scenarios/presets.toml";

/// Why a chain of sharing presets gives no scheme ([`Presets::chain_break`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChainBreak {
    /// These presets build on each other in a loop, in this order.
    Loop(Vec<String>),
    /// A preset in the chain names a preset there is not, names one
    /// wrongly, or names no scheme: refused there.
    RefusedElsewhere,
}

/// The presets a scenario can use: the embedded ones and its own.
#[derive(Debug, Clone)]
pub(crate) struct Presets {
    raw: RawPresets,
}

impl Presets {
    /// The embedded presets.
    pub(crate) fn embedded() -> Result<Presets, InputError> {
        let source = Source::new(PRESETS_SOURCE.to_string(), PRESETS_TOML.to_string());
        Ok(Presets {
            raw: deserialize(&source, "presets", "")?,
        })
    }

    /// These presets with a scenario's own added, replacing any of the same name.
    pub(crate) fn with(mut self, own: Option<RawPresets>) -> Presets {
        if let Some(own) = own {
            self.raw.policy.extend(own.policy);
            self.raw.sharing.extend(own.sharing);
        }
        self
    }

    /// A set of policy bands by name.
    pub(crate) fn policy(&self, name: &str) -> Option<&RawPolicyPreset> {
        self.raw.policy.get(name)
    }

    /// Names of the policy presets, in order.
    pub(crate) fn policy_names(&self) -> Vec<&str> {
        self.raw.policy.keys().map(String::as_str).collect()
    }

    /// A sharing scheme's table by name.
    pub(crate) fn sharing(&self, name: &str) -> Option<&toml::Table> {
        self.raw.sharing.get(name)
    }

    /// A sharing table with what it builds on filled in, down the chain:
    /// `preset = "NAME"` starts from the preset NAME, else `scheme = "KIND"`
    /// from the preset named KIND when that preset is of kind KIND; the
    /// table's own fields replace the base's. `own` is the table's own
    /// preset name, if it is one, so that a preset never builds on itself.
    pub(crate) fn expand_sharing(&self, table: toml::Table, own: Option<&str>) -> toml::Table {
        let mut seen: Vec<String> = own.into_iter().map(String::from).collect();
        self.expand(table, &mut seen)
    }

    fn expand(&self, table: toml::Table, seen: &mut Vec<String>) -> toml::Table {
        let text = |key: &str| {
            table
                .get(key)
                .and_then(toml::Value::as_str)
                .map(String::from)
        };
        let (base, by_kind) = match text("preset") {
            Some(name) => (Some(name), false),
            None => (text("scheme"), true),
        };
        let mut merged = match base {
            Some(name) if !seen.contains(&name) => match self.sharing(&name) {
                Some(t) => {
                    seen.push(name.clone());
                    let b = self.expand(t.clone(), seen);
                    let same_kind = b.get("scheme").and_then(toml::Value::as_str) == Some(&name);
                    if by_kind && !same_kind {
                        toml::Table::new()
                    } else {
                        b
                    }
                }
                None => toml::Table::new(),
            },
            _ => toml::Table::new(),
        };
        merged.remove("preset");
        merged.remove("description");
        merged.extend(table);
        merged
    }

    /// Why a sharing table's chain of `preset = "NAME"` links gives no
    /// scheme, when another table is to blame: the presets loop, one of
    /// them names a preset there is not (or names it wrongly), or the chain
    /// ends at a preset that names no scheme. `None` when the table gives a
    /// scheme, or names neither a scheme nor a preset itself (its own
    /// problem). `own` is the table's own preset name, if it is one.
    pub(crate) fn chain_break(&self, table: &toml::Table, own: Option<&str>) -> Option<ChainBreak> {
        let mut names: Vec<String> = own.into_iter().map(String::from).collect();
        let mut current = table;
        let mut followed = false;
        loop {
            if current.contains_key("scheme") {
                return None;
            }
            let next = match current.get("preset") {
                // the chain's end: its own problem, or that of the preset
                // it ends at
                None => return followed.then_some(ChainBreak::RefusedElsewhere),
                Some(toml::Value::String(next)) => next,
                // refused where it is written
                Some(_) => return Some(ChainBreak::RefusedElsewhere),
            };
            if let Some(at) = names.iter().position(|n| n == next) {
                return Some(ChainBreak::Loop(names.split_off(at)));
            }
            current = match self.sharing(next) {
                Some(t) => t,
                None => return Some(ChainBreak::RefusedElsewhere),
            };
            names.push(next.clone());
            followed = true;
        }
    }

    /// The sharing presets, by name in order.
    pub(crate) fn sharing_presets(&self) -> impl Iterator<Item = (&str, &toml::Table)> {
        self.raw.sharing.iter().map(|(n, t)| (n.as_str(), t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded presets parse, and a scenario's own preset of the same
    /// name replaces the embedded one while the others stay.
    #[test]
    fn own_presets_replace_by_name() {
        let embedded = Presets::embedded().expect("the embedded presets parse");
        assert!(embedded.policy("national_cut").is_some());
        let own: RawPresets =
            toml::from_str("[sharing.fixed_ratio]\nscheme = \"fixed_ratio\"\nprovince = 0.7\n")
                .unwrap();
        let merged = embedded.with(Some(own));
        let t = merged.sharing("fixed_ratio").unwrap();
        assert_eq!(t.get("province").and_then(toml::Value::as_float), Some(0.7));
        assert!(merged.sharing("budget_linked").is_some());
    }
}
