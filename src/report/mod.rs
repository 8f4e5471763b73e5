//! The HTML report of a results folder: one self-contained page (`report.html`) built
//! from the folder's manifest, CSVs and SVG plots alone. Styles are inline, plots are
//! inlined as SVG, and the page has no scripts and refers to no other file, so it can
//! be mailed or archived on its own. The page holds no wall-clock time or date (other
//! than the manifest's own `wall_seconds`), so the same folder gives the same page.
//!
//! Sections, in order: title, a one-line introduction, the summary (means with 95%
//! intervals; per point for a sweep, [`sweep`]; per scenario, paired differences and
//! the programme's value for a comparison, [`compare`]; per metric for a run, [`run`]),
//! the plots ([`plots`]), the resolved scenario and the manifest ([`provenance`]).
//! docs/OUTPUTS.md describes the folders read here. This module reads the manifest and
//! lays out the page; [`table`] reads the CSVs, [`markup`] escapes text and formats
//! numbers.

mod compare;
mod markup;
mod plots;
mod provenance;
mod run;
mod sweep;
mod table;

use crate::results::{Kind, Manifest};
use markup::{esc, fmt_plain, text};
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use table::Table;

/// Why a report could not be written. Every variant names the file concerned.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The folder has no `manifest.json`.
    #[error("{0} is not a murmur results folder (it has no manifest.json)")]
    NotResults(PathBuf),
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The report could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The manifest is not valid JSON.
    #[error("{path} is not valid JSON: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The parser's reason.
        source: serde_json::Error,
    },
    /// A CSV file could not be parsed.
    #[error("cannot read {path} as CSV: {source}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The parser's reason.
        source: csv::Error,
    },
    /// A file parsed but does not have the documented shape.
    #[error("{path}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// Writes `report.html` into a results folder, from its manifest, CSVs and SVG plots
/// alone: one self-contained page (plots inlined as SVG, styles inline, no scripts or
/// network access needed). The page is written to a hidden file and renamed into
/// place, so a reader never sees half a page.
pub fn write_report(dir: &Path) -> Result<PathBuf, ReportError> {
    let html = render(dir)?;
    let target = dir.join(crate::results::REPORT);
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let tmp = dir.join(format!(
        ".report.html.tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(html.as_bytes())?;
        f.sync_all()?;
        fs::rename(&tmp, &target)
    })();
    match written {
        Ok(()) => Ok(target),
        Err(source) => {
            let _ = fs::remove_file(&tmp);
            Err(ReportError::Write {
                path: target,
                source,
            })
        }
    }
}

/// Builds the page for the folder `dir`.
fn render(dir: &Path) -> Result<String, ReportError> {
    let manifest = read_manifest(dir)?;
    let summary = Table::read(&dir.join(crate::results::SUMMARY))?;
    let name = title_name(dir, &manifest, &summary);
    let mut page = String::with_capacity(64 * 1024);
    head(&mut page, &name, &manifest);
    page.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
    match manifest.kind {
        Kind::Run | Kind::Network | Kind::Bench => {
            run::best_plans(&mut page, dir)?;
            run::calibration(&mut page, dir)?;
            run::summary(&mut page, &summary)
        }
        Kind::Sweep => sweep::summary(&mut page, dir, &manifest, &summary)?,
        Kind::Compare => compare::summary(&mut page, dir, &manifest, &summary)?,
    }
    page.push_str("</section>\n");
    // A comparison shows its attribution and robustness charts at a glance.
    let shown: &[&str] = match manifest.kind {
        Kind::Compare => &compare::GLANCE_PLOTS,
        _ => &[],
    };
    plots::section(&mut page, dir, shown)?;
    provenance::scenario_section(&mut page, &manifest);
    provenance::manifest_section(&mut page, &manifest);
    page.push_str("</main>\n</body>\n</html>\n");
    Ok(page)
}

/// The page's head, title, introduction and navigation.
fn head(page: &mut String, name: &str, manifest: &Manifest) {
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str("<meta name=\"generator\" content=\"murmur\">\n");
    let _ = writeln!(page, "<title>murmur — {}</title>", esc(name));
    let _ = writeln!(
        page,
        "<style>{}</style>\n</head>\n<body>\n<main>",
        markup::CSS
    );
    let _ = writeln!(page, "<header>\n<h1>murmur — {}</h1>", esc(name));
    let _ = writeln!(page, "<p class=\"intro\">{}</p>", intro(manifest));
    page.push_str(
        "<nav><a href=\"#summary\">Summary</a> <a href=\"#plots\">Plots</a> \
         <a href=\"#scenario\">Scenario</a> <a href=\"#manifest\">Manifest</a></nav>\n</header>\n",
    );
}

/// Reads the folder's manifest as the typed [`Manifest`]. Two older shapes are brought
/// to the current one first: a manifest without `kind` (its kind is told by the files
/// beside it), and a comparison whose `scenarios` held the resolved scenarios (they
/// move to `scenario`, their names stay in `scenarios`).
fn read_manifest(dir: &Path) -> Result<Manifest, ReportError> {
    let path = dir.join(crate::results::MANIFEST);
    if !path.is_file() {
        return Err(ReportError::NotResults(dir.to_path_buf()));
    }
    let text = table::read_text(&path)?;
    let mut value: serde_json::Value =
        serde_json::from_str(&text).map_err(|source| ReportError::Json {
            path: path.clone(),
            source,
        })?;
    let Some(object) = value.as_object_mut() else {
        return Err(ReportError::Invalid {
            path,
            reason: "the manifest is not a JSON object".into(),
        });
    };
    if !object.contains_key("kind") {
        object.insert("kind".into(), older_kind(dir).into());
    }
    if !object.contains_key("scenario")
        && let Some(serde_json::Value::Array(list)) = object.get("scenarios")
        && list.iter().any(|s| s.get("name").is_some())
    {
        let resolved: Vec<serde_json::Value> = list
            .iter()
            .filter(|s| s.get("name").is_some())
            .cloned()
            .collect();
        let names: Vec<serde_json::Value> = list
            .iter()
            .filter_map(|s| s.as_str().or_else(|| s.get("name")?.as_str()))
            .map(serde_json::Value::from)
            .collect();
        object.insert("scenario".into(), resolved.into());
        object.insert("scenarios".into(), names.into());
    }
    serde_json::from_value(value).map_err(|e| ReportError::Invalid {
        path,
        reason: format!("not a murmur manifest: {e}"),
    })
}

/// The kind of a folder written before the manifest said its kind.
fn older_kind(dir: &Path) -> &'static str {
    if dir.join(crate::results::DIFFERENCES).is_file() {
        "compare"
    } else if dir.join(crate::results::POINTS).is_file() {
        "sweep"
    } else {
        "run"
    }
}

/// The resolved scenario's `name`, when the manifest records one.
fn scenario_name(manifest: &Manifest) -> Option<String> {
    manifest
        .scenario
        .get("name")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned)
}

/// The page's name: the scenario's, the compared scenarios' joined with " vs ", or
/// the swept scenario's with " (sweep)".
fn title_name(dir: &Path, manifest: &Manifest, summary: &Table) -> String {
    let folder = || {
        dir.file_name()
            .map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned())
    };
    match manifest.kind {
        Kind::Run | Kind::Network | Kind::Bench => scenario_name(manifest).unwrap_or_else(folder),
        Kind::Sweep => format!("{} (sweep)", scenario_name(manifest).unwrap_or_else(folder)),
        Kind::Compare => {
            let names = compared_names(manifest, summary);
            if names.is_empty() {
                folder()
            } else {
                names.join(" vs ")
            }
        }
    }
}

/// The compared scenarios' names, in order: from the manifest's `scenarios`, else in
/// order of appearance in summary.csv.
fn compared_names(manifest: &Manifest, summary: &Table) -> Vec<String> {
    match &manifest.scenarios {
        Some(names) if !names.is_empty() => names.clone(),
        _ => match summary.index("scenario") {
            Some(c) => distinct(summary.rows.iter().map(|r| r[c].as_str())),
            None => Vec::new(),
        },
    }
}

/// The distinct values of a sequence, in order of first appearance.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !out.iter().any(|o| o == v) {
            out.push(v.to_owned());
        }
    }
    out
}

/// The introduction: what kind of folder, which murmur, how many replicates.
fn intro(manifest: &Manifest) -> String {
    let scenario = &manifest.scenario;
    let mut parts: Vec<String> = vec![match manifest.kind {
        Kind::Run => "Run".to_owned(),
        Kind::Network => "Network export".to_owned(),
        Kind::Bench => "Benchmark".to_owned(),
        Kind::Sweep => match manifest.points {
            Some(p) => format!("Sweep over {} points", fmt_plain(p as f64)),
            None => "Sweep".to_owned(),
        },
        Kind::Compare => match &manifest.baseline {
            Some(b) => format!("Comparison against the baseline {}", esc(b)),
            None => "Comparison".to_owned(),
        },
    }];
    let replicates = manifest
        .replicates
        .as_ref()
        .or_else(|| scenario.get("replicates"))
        .and_then(serde_json::Value::as_f64);
    let ticks = scenario.get("ticks").and_then(serde_json::Value::as_f64);
    match (replicates, ticks) {
        (Some(r), Some(t)) => parts.push(format!(
            "{} replicates × {} ticks",
            fmt_plain(r),
            fmt_plain(t)
        )),
        (Some(r), None) => parts.push(format!("{} replicates", fmt_plain(r))),
        _ => {}
    }
    if let Some(network) = &manifest.network {
        parts.push(format!("{} agents", fmt_plain(network.nodes as f64)));
    }
    if let Some(seed) = &manifest.seed {
        parts.push(format!("seed {}", esc(&text(seed))));
    }
    if !manifest.murmur_version.is_empty() {
        parts.push(format!("murmur {}", esc(&manifest.murmur_version)));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_manifests_are_read_in_the_current_shape() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join(crate::results::DIFFERENCES), "").unwrap();
        std::fs::write(
            dir.join(crate::results::MANIFEST),
            r#"{"scenarios": [{"name": "a", "ticks": 5}, {"name": "b", "ticks": 5}]}"#,
        )
        .unwrap();
        let m = read_manifest(dir).unwrap();
        assert_eq!(m.kind, Kind::Compare);
        assert_eq!(m.scenarios, Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(m.scenario[1]["name"], "b");
        std::fs::write(dir.join(crate::results::MANIFEST), "[1]").unwrap();
        assert!(matches!(
            read_manifest(dir),
            Err(ReportError::Invalid { .. })
        ));
    }
}
