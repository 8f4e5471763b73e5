//! The page's provenance: the resolved scenario, pretty-printed as JSON in the
//! manifest's key order, and the manifest as a key/value table. The manifest's fields
//! are `results`'; this module only shows them.

use super::markup::{esc, text};
use crate::results::{Kind, Manifest};
use serde_json::Value;
use std::fmt::Write as _;

/// Manifest keys shown first, in this order: what wrote the folder and how.
const FIRST: [&str; 10] = [
    "kind",
    "murmur_version",
    "build",
    "scenario_file",
    "scenario_sha256",
    "seed",
    "replicates",
    "threads",
    "wall_seconds",
    "network",
];

/// The folder's own bookkeeping (which files murmur wrote, their checksums, each sweep
/// point's hash) is for murmur, not for readers, and changes when plots are redrawn:
/// it stays in manifest.json.
const BOOKKEEPING: [&str; 4] = ["murmur_format", "files", "folders", "point_sha256"];

/// The resolved scenario, pretty-printed as JSON in the manifest's key order (one per
/// compared scenario in folders that kept them all).
pub(super) fn scenario_section(page: &mut String, manifest: &Manifest) {
    page.push_str("<section id=\"scenario\">\n<h2>Scenario</h2>\n");
    let scenarios: Vec<&Value> = match &manifest.scenario {
        Value::Null => Vec::new(),
        Value::Array(list) => list.iter().collect(),
        s => vec![s],
    };
    if scenarios.is_empty() {
        page.push_str("<p class=\"note\">The manifest records no resolved scenario.</p>\n");
    } else {
        let _ = writeln!(
            page,
            "<p class=\"note\">{}</p>",
            which(manifest.kind, scenarios.len())
        );
    }
    for s in &scenarios {
        if scenarios.len() > 1
            && let Some(name) = s.get("name").and_then(Value::as_str)
        {
            let _ = writeln!(page, "<h3>{}</h3>", esc(name));
        }
        let pretty = serde_json::to_string_pretty(s).unwrap_or_default();
        let _ = writeln!(page, "<pre class=\"json\">{}</pre>", esc(&pretty));
    }
    page.push_str("</section>\n");
}

/// Which scenario the section shows, for a folder of `kind` with `count` of them.
fn which(kind: Kind, count: usize) -> &'static str {
    match (kind, count) {
        (Kind::Sweep, 1) => {
            "The first point's scenario as run, with every default filled in; the \
             other points differ from it in the swept parameters (see the summary)."
        }
        (Kind::Compare, 1) => {
            "The baseline's scenario as run, with every default filled in; the other \
             scenarios are in their own files (the manifest's scenario_files)."
        }
        _ => "The scenario as run, with every default filled in.",
    }
}

/// The manifest as a key/value table: provenance first, nested objects flattened to
/// dotted keys, the resolved scenario left to its own section and the bookkeeping out.
pub(super) fn manifest_section(page: &mut String, manifest: &Manifest) {
    page.push_str(
        "<section id=\"manifest\">\n<h2>Manifest</h2>\n<div class=\"wrap\"><table class=\"kv\">\n<tbody>\n",
    );
    let Ok(Value::Object(entries)) = serde_json::to_value(manifest) else {
        return;
    };
    let shown = |k: &str| !(k == "murmur_version" && manifest.murmur_version.is_empty());
    let mut ordered: Vec<(&String, &Value)> = FIRST
        .iter()
        .filter_map(|k| entries.get_key_value(*k))
        .filter(|(k, _)| shown(k))
        .collect();
    ordered.extend(entries.iter().filter(|(k, _)| {
        let k = k.as_str();
        !(FIRST.contains(&k) || BOOKKEEPING.contains(&k)) && k != "scenario"
    }));
    let mut rows: Vec<(String, String)> = Vec::new();
    for (key, value) in ordered {
        flatten(key, value, &mut rows);
    }
    for (key, value) in rows {
        let _ = writeln!(
            page,
            "<tr><th><code>{}</code></th><td>{}</td></tr>",
            esc(&key),
            esc(&value)
        );
    }
    page.push_str("</tbody></table></div>\n</section>\n");
}

/// Rows "key" → text for a manifest value; objects become dotted keys.
pub(super) fn flatten(key: &str, value: &Value, rows: &mut Vec<(String, String)>) {
    match value {
        Value::Object(entries) if !entries.is_empty() => {
            for (k, v) in entries {
                flatten(&format!("{key}.{k}"), v, rows);
            }
        }
        Value::Array(items)
            if !items.is_empty() && items.iter().all(|i| matches!(i, Value::Object(_))) =>
        {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{key}[{i}]"), item, rows);
            }
        }
        Value::Array(items)
            if items
                .iter()
                .all(|i| !matches!(i, Value::Array(_) | Value::Object(_))) =>
        {
            rows.push((
                key.to_owned(),
                items.iter().map(text).collect::<Vec<_>>().join(", "),
            ));
        }
        _ => rows.push((key.to_owned(), text(value))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_values_flatten_to_dotted_keys_in_order() {
        let j: Value =
            serde_json::from_str(r#"{"z": 1, "a": [1.5, null, "x"], "m": {"b": true, "a": -2}}"#)
                .unwrap();
        assert_eq!(
            serde_json::to_string(&j).unwrap(),
            r#"{"z":1,"a":[1.5,null,"x"],"m":{"b":true,"a":-2}}"#
        );
        let mut rows = Vec::new();
        flatten("m", j.get("m").unwrap(), &mut rows);
        flatten("a", j.get("a").unwrap(), &mut rows);
        assert_eq!(
            rows,
            [
                ("m.b".to_owned(), "true".to_owned()),
                ("m.a".to_owned(), "-2".to_owned()),
                ("a".to_owned(), "1.5, —, x".to_owned())
            ]
        );
    }
}
