//! The layers of src/ (STYLE.md, "Layers"): each top-level module uses only the
//! modules of its own layer or the layers above it, and no two modules use each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// In the order of STYLE.md: from the top (used by every layer) down to `cli`.
const LAYERS: &[&[&str]] = &[
    &["rng", "metrics"],
    &["scenario"],
    &["network"],
    &["population"],
    &["engine"],
    &["experiment"],
    &["results"],
    &[
        "compare",
        "sweep",
        "limits",
        "attribution",
        "optimise",
        "sensitivity",
        "calibration",
        "bench",
    ],
    &["robustness"],
    &["report", "plot"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The top-level modules named after `crate::` in `text`, comments left out, grouped
/// imports (`use crate::{a, b::C}`) included.
fn used(text: &str) -> BTreeSet<String> {
    let code: String = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            for item in group.split(',') {
                let name = item.trim().split("::").next().unwrap_or("");
                if !name.is_empty() {
                    out.insert(name.to_string());
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

#[test]
fn every_module_uses_only_its_layer_and_the_layers_above() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = top.trim_end_matches(".rs").to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let entry = uses.entry(top.clone()).or_default();
        entry.extend(used(&text).into_iter().filter(|u| *u != top));
    }
    let mut wrong = Vec::new();
    for (module, used) in &uses {
        let Some(own) = layer(module) else {
            wrong.push(format!("{module} is in no layer"));
            continue;
        };
        for u in used {
            match layer(u) {
                None => wrong.push(format!("{module} uses {u}, which is in no layer")),
                Some(l) if l > own => wrong.push(format!("{module} uses {u}, a layer below it")),
                Some(l) if l == own && uses.get(u).is_some_and(|s| s.contains(module)) => {
                    wrong.push(format!("{module} and {u} use each other"))
                }
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}
