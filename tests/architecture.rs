//! The architecture of `src/`, read from its source: dependencies point one
//! way, `cli → commands → {input, analysis, report} → {stats, engine} →
//! model`, and the module graph has no cycle.
//!
//! Every `use crate::…` and `use super::…` statement and every inline
//! `crate::…` path of the non-test code of every file is an edge from the
//! file's module to the deepest module the path names. Edges between a
//! module and its own ancestors or descendants are structure (a parent
//! declares and re-exports its children), not dependencies, and are left
//! out. Comments (intra-doc links among them) are not code.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// The layers, lowest first; an edge may only go to a lower layer (or stay
/// inside its own top-level module). `input` and `analysis` share a layer
/// and may not use each other; `report` writes what `analysis` computes.
const LAYERS: [(&str, u8); 8] = [
    ("model", 0),
    ("engine", 1),
    ("stats", 2),
    ("input", 3),
    ("analysis", 3),
    ("report", 4),
    ("commands", 5),
    ("cli", 6),
];

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Module path of a source file: `src/model/sharing/mod.rs` → `model::sharing`.
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// The code of a file: its lines without comments, up to its test module.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("#[cfg(test)]") {
            break;
        }
        if t.starts_with("//") {
            continue;
        }
        out.push_str(line.split(" //").next().unwrap_or(line));
        out.push('\n');
    }
    out
}

/// Expands a use tree (`a::{b, c::{d, e}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        return vec![tree.split(" as ").next().unwrap_or(tree).trim().to_string()];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, ch) in inner.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .iter()
        .filter(|p| !p.trim().is_empty())
        .flat_map(|p| expand(p))
        .map(|p| {
            if p == "self" {
                prefix.trim_end_matches("::").to_string()
            } else {
                format!("{prefix}{p}")
            }
        })
        .collect()
}

/// Every path a module's code names, absolute from the crate root.
fn paths_named(module: &str, code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let absolute = |p: &str| -> Option<String> {
        if let Some(rest) = p.strip_prefix("crate::") {
            return Some(rest.to_string());
        }
        let mut base: Vec<&str> = module.split("::").collect();
        let mut rest = p;
        let mut relative = false;
        while let Some(r) = rest.strip_prefix("super::") {
            base.pop();
            rest = r;
            relative = true;
        }
        relative.then(|| {
            let mut v: Vec<&str> = base;
            v.push(rest);
            v.join("::")
        })
    };
    // use statements, with their brace groups
    for stmt in code.split(';') {
        let stmt = stmt.trim();
        let Some(pos) = stmt.find("use ") else {
            continue;
        };
        let tree = &stmt[pos + 4..];
        if stmt[..pos].trim().is_empty()
            || stmt[..pos].trim().ends_with("pub(crate)")
            || stmt[..pos].trim() == "pub"
        {
            out.extend(expand(tree).iter().filter_map(|p| absolute(p)));
        }
    }
    // inline paths
    let bytes = code.as_bytes();
    let mut from = 0;
    while let Some(i) = code[from..].find("crate::") {
        let at = from + i;
        let before = at.checked_sub(1).map(|j| bytes[j]);
        let end = code[at..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .map_or(code.len(), |e| at + e);
        if !before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_') {
            out.push(code[at + 7..end].trim_end_matches(':').to_string());
        }
        from = end.max(at + 7);
    }
    out
}

/// The module graph of `src/` (non-test code).
fn graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "tests") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(src).expect("under src").to_path_buf();
                if rel != Path::new("lib.rs") && rel != Path::new("main.rs") {
                    files.push((module_of(&rel), path));
                }
            }
        }
    }
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut g = Graph::new();
    for (module, path) in &files {
        let code = code_of(&fs::read_to_string(path).expect("read a source file"));
        let targets = g.entry(module.clone()).or_default();
        for p in paths_named(module, &code) {
            // the deepest module the path names
            let parts: Vec<&str> = p.split("::").collect();
            let target = (1..=parts.len())
                .rev()
                .map(|n| parts[..n].join("::"))
                .find(|m| modules.contains(m));
            if let Some(t) = target {
                let nested = t == *module
                    || t.starts_with(&format!("{module}::"))
                    || module.starts_with(&format!("{t}::"));
                if !nested {
                    targets.insert(t);
                }
            }
        }
    }
    g
}

fn layer(module: &str) -> Option<u8> {
    let top = module.split("::").next().unwrap_or(module);
    LAYERS.iter().find(|(m, _)| *m == top).map(|(_, l)| *l)
}

/// Every edge that does not point down the layers.
fn forbidden_edges(g: &Graph) -> Vec<String> {
    let mut bad = Vec::new();
    for (from, targets) in g {
        for to in targets {
            let same_top = from.split("::").next() == to.split("::").next();
            match (layer(from), layer(to)) {
                (Some(a), Some(b)) if same_top || a > b => {}
                _ => bad.push(format!("{from} → {to}")),
            }
        }
    }
    bad
}

/// A cycle of the graph, if there is one.
fn cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(
        g: &Graph,
        node: &str,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in g.get(node).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let at = stack.iter().position(|m| m == next).unwrap_or(0);
                    let mut c = stack[at..].to_vec();
                    c.push(next.clone());
                    return Some(c);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(g, next, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in g.keys() {
        if !state.contains_key(node.as_str())
            && let Some(c) = visit(g, node, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// Every module of `src/` is in a layer, every edge points down the layers,
/// and the module graph has no cycle.
#[test]
fn dependencies_point_one_way_and_never_cycle() {
    let g = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(
        g.len() > 40,
        "the graph should see every module: {}",
        g.len()
    );
    let unlayered: Vec<&String> = g.keys().filter(|m| layer(m).is_none()).collect();
    assert!(
        unlayered.is_empty(),
        "modules outside the layers: {unlayered:?}"
    );
    let bad = forbidden_edges(&g);
    assert!(
        bad.is_empty(),
        "edges against the layers:\n{}",
        bad.join("\n")
    );
    assert_eq!(cycle(&g), None, "a cycle in the module graph");
    // the engine is built on the model only (and on its own modules)
    for (from, targets) in g.iter().filter(|(m, _)| m.starts_with("engine")) {
        for to in targets {
            assert!(
                to.starts_with("model") || to.starts_with("engine"),
                "{from} → {to}"
            );
        }
    }
}

/// The checker itself: it reads grouped, relative and inline paths, and it
/// finds a forbidden edge and a cycle when there is one.
#[test]
fn the_checker_finds_what_it_should() {
    assert_eq!(
        expand("crate::model::{lines::Line, sharing::{self, Scheme}}"),
        vec![
            "crate::model::lines::Line",
            "crate::model::sharing",
            "crate::model::sharing::Scheme"
        ]
    );
    let named = paths_named(
        "model::sharing::loan",
        "use super::{Rules, window::CityWindow};\nlet x = crate::stats::paths::PathSet::new();",
    );
    assert!(
        named.contains(&"model::sharing::Rules".to_string()),
        "{named:?}"
    );
    assert!(named.contains(&"model::sharing::window::CityWindow".to_string()));
    assert!(named.contains(&"stats::paths::PathSet::new".to_string()));
    let mut g = Graph::new();
    g.entry("model::claims".into())
        .or_default()
        .insert("stats::paths".into());
    assert_eq!(forbidden_edges(&g), vec!["model::claims → stats::paths"]);
    g.entry("stats::paths".into())
        .or_default()
        .insert("model::claims".into());
    assert!(cycle(&g).is_some());
    assert_eq!(
        code_of("use crate::a;\n//! [`crate::b`]\n#[cfg(test)]\nuse crate::c;"),
        "use crate::a;\n"
    );
}
