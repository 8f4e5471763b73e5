//! The HTML report of a results folder: one self-contained page (`report.html`) built
//! from the folder's manifest, CSVs and SVG plots alone. Styles are inline, plots are
//! inlined as SVG, and the page has no scripts and refers to no other file, so it can
//! be mailed or archived on its own. The page holds no wall-clock time or date (other
//! than the manifest's own `wall_seconds`), so the same folder gives the same page.
//!
//! Sections, in order: title, a one-line introduction, the summary (means with 95%
//! intervals; per point for a sweep; per scenario, paired differences and the
//! programme's value for a comparison), the plots, the resolved scenario and the
//! manifest. docs/OUTPUTS.md describes the folders read here.

use crate::metrics::Interval;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

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

/// Writes `report.html` into a results folder, from its manifest, CSVs and SVG plots alone: one self-contained page (plots inlined as SVG, styles inline, no scripts or network access needed).
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

/// The folder kinds of docs/OUTPUTS.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Run,
    Sweep,
    Compare,
}

/// Builds the page for the folder `dir`.
fn render(dir: &Path) -> Result<String, ReportError> {
    let manifest_path = dir.join(crate::results::MANIFEST);
    if !manifest_path.is_file() {
        return Err(ReportError::NotResults(dir.to_path_buf()));
    }
    let text = read_text(&manifest_path)?;
    let manifest: Json = serde_json::from_str(&text).map_err(|source| ReportError::Json {
        path: manifest_path.clone(),
        source,
    })?;
    if !matches!(manifest, Json::Obj(_)) {
        return Err(ReportError::Invalid {
            path: manifest_path,
            reason: "the manifest is not a JSON object".into(),
        });
    }
    let kind = match manifest.get("kind").and_then(Json::as_str) {
        Some("sweep") => Kind::Sweep,
        Some("compare") => Kind::Compare,
        Some(_) => Kind::Run,
        // Folders written before the manifest said its kind.
        None if dir.join(crate::results::DIFFERENCES).is_file() => Kind::Compare,
        None if dir.join(crate::results::POINTS).is_file() => Kind::Sweep,
        None => Kind::Run,
    };
    let summary = read_csv(&dir.join(crate::results::SUMMARY))?;

    let name = title_name(dir, &manifest, kind, &summary);
    let mut page = String::with_capacity(64 * 1024);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str("<meta name=\"generator\" content=\"murmur\">\n");
    let _ = writeln!(page, "<title>murmur — {}</title>", esc(&name));
    let _ = writeln!(page, "<style>{CSS}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(page, "<header>\n<h1>murmur — {}</h1>", esc(&name));
    let _ = writeln!(page, "<p class=\"intro\">{}</p>", intro(&manifest, kind));
    page.push_str(
        "<nav><a href=\"#summary\">Summary</a> <a href=\"#plots\">Plots</a> \
         <a href=\"#scenario\">Scenario</a> <a href=\"#manifest\">Manifest</a></nav>\n</header>\n",
    );

    page.push_str("<section id=\"summary\">\n<h2>Summary</h2>\n");
    match kind {
        Kind::Run => run_summary(&mut page, &summary),
        Kind::Sweep => sweep_summary(&mut page, dir, &manifest, &summary)?,
        Kind::Compare => compare_summary(&mut page, dir, &manifest, &summary)?,
    }
    page.push_str("</section>\n");

    plots(&mut page, dir)?;
    scenario_section(&mut page, &manifest, kind);
    manifest_section(&mut page, &manifest);
    page.push_str("</main>\n</body>\n</html>\n");
    Ok(page)
}

/// The page's name: the scenario's, the compared scenarios' joined with " vs ", or
/// the swept scenario's with " (sweep)".
fn title_name(dir: &Path, manifest: &Json, kind: Kind, summary: &Table) -> String {
    let folder = || {
        dir.file_name()
            .map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned())
    };
    let scenario_name = manifest
        .get("scenario")
        .and_then(|s| s.get("name"))
        .and_then(Json::as_str)
        .map(str::to_owned);
    match kind {
        Kind::Run => scenario_name.unwrap_or_else(folder),
        Kind::Sweep => format!("{} (sweep)", scenario_name.unwrap_or_else(folder)),
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

/// The compared scenarios' names, in order: from the manifest's `scenarios` (names,
/// or resolved scenarios with a `name`), else in order of appearance in summary.csv.
fn compared_names(manifest: &Json, summary: &Table) -> Vec<String> {
    let from_manifest: Vec<String> = match manifest.get("scenarios") {
        Some(Json::Arr(items)) => items
            .iter()
            .filter_map(|s| s.as_str().or_else(|| s.get("name").and_then(Json::as_str)))
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    if !from_manifest.is_empty() {
        return from_manifest;
    }
    match summary.index("scenario") {
        Some(c) => distinct(summary.rows.iter().map(|r| r[c].as_str())),
        None => Vec::new(),
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
fn intro(manifest: &Json, kind: Kind) -> String {
    let scenario = manifest.get("scenario");
    let mut parts: Vec<String> = Vec::new();
    let what = match kind {
        Kind::Run => "Run".to_owned(),
        Kind::Sweep => match manifest.get("points").and_then(Json::as_f64) {
            Some(p) => format!("Sweep over {} points", fmt_plain(p)),
            None => "Sweep".to_owned(),
        },
        Kind::Compare => {
            let baseline = manifest.get("baseline").and_then(Json::as_str);
            match baseline {
                Some(b) => format!("Comparison against the baseline {}", esc(b)),
                None => "Comparison".to_owned(),
            }
        }
    };
    parts.push(what);
    let replicates = manifest
        .get("replicates")
        .or_else(|| scenario.and_then(|s| s.get("replicates")))
        .and_then(Json::as_f64);
    let ticks = scenario.and_then(|s| s.get("ticks")).and_then(Json::as_f64);
    match (replicates, ticks) {
        (Some(r), Some(t)) => parts.push(format!(
            "{} replicates × {} ticks",
            fmt_plain(r),
            fmt_plain(t)
        )),
        (Some(r), None) => parts.push(format!("{} replicates", fmt_plain(r))),
        _ => {}
    }
    if let Some(n) = manifest
        .get("network")
        .and_then(|n| n.get("nodes"))
        .and_then(Json::as_f64)
    {
        parts.push(format!("{} agents", fmt_plain(n)));
    }
    if let Some(seed) = manifest.get("seed") {
        parts.push(format!("seed {}", esc(&seed.text())));
    }
    if let Some(v) = manifest.get("murmur_version").and_then(Json::as_str) {
        parts.push(format!("murmur {}", esc(v)));
    }
    parts.join(" · ")
}

// ---------------------------------------------------------------------------------
// Summaries

/// A run's summary: one row per metric of summary.csv.
fn run_summary(page: &mut String, summary: &Table) {
    let rows: Vec<&Vec<String>> = summary.rows.iter().collect();
    let _ = writeln!(
        page,
        "<p class=\"note\">Mean over {} replicates with its 95% confidence interval \
         (percentile bootstrap; none for a single value); n counts the replicates where \
         the metric is defined.</p>",
        rows.len()
    );
    metric_table(page, summary, &rows);
}

/// A table of every metric column of `table` over `rows`: metric, mean, interval, n.
fn metric_table(page: &mut String, table: &Table, rows: &[&Vec<String>]) {
    page.push_str(
        "<div class=\"wrap\"><table class=\"summary\">\n<thead><tr><th>metric</th>\
         <th class=\"num\">mean</th><th class=\"num\">95% interval</th>\
         <th class=\"num\">n</th></tr></thead>\n<tbody>\n",
    );
    for c in table.metric_columns() {
        let values = table.values(c, rows.iter().copied());
        let _ = write!(page, "<tr><td><code>{}</code></td>", esc(&table.header[c]));
        match Interval::of(&values) {
            Some(i) => {
                let d = interval_decimals(&i);
                let _ = write!(
                    page,
                    "<td class=\"num\" title=\"{}\">{}</td><td class=\"num\">{}</td>",
                    i.mean,
                    fmt(i.mean, d),
                    bounds(&i, d)
                );
            }
            None => page
                .push_str("<td class=\"num\">—</td><td class=\"num undefined\">not defined</td>"),
        }
        let _ = writeln!(page, "<td class=\"num\">{}</td></tr>", values.len());
    }
    page.push_str("</tbody></table></div>\n");
}

/// A sweep's summary: one row per point with its parameter values and headline
/// metrics.
fn sweep_summary(
    page: &mut String,
    dir: &Path,
    manifest: &Json,
    summary: &Table,
) -> Result<(), ReportError> {
    let points_table = read_optional_csv(&dir.join(crate::results::POINTS))?;
    let point_col = summary.index("point").ok_or_else(|| ReportError::Invalid {
        path: summary.path.clone(),
        reason: "a sweep's summary.csv has no `point` column".into(),
    })?;
    let replicate_col = summary.index("replicate").unwrap_or(summary.header.len());
    let parameters: Vec<String> = match manifest.get("parameters") {
        Some(Json::Arr(p)) if !p.is_empty() => p.iter().map(Json::text).collect(),
        _ => summary.header[point_col + 1..replicate_col].to_vec(),
    };
    let marketing = ["final_customers", "retention", "cumulative_profit"];
    let classic = ["final_adopters", "final_share", "peak_tick"];
    let headline: Vec<usize> = if summary.index("final_customers").is_some() {
        marketing.iter().filter_map(|m| summary.index(m)).collect()
    } else {
        classic.iter().filter_map(|m| summary.index(m)).collect()
    };
    let points = distinct(summary.rows.iter().map(|r| r[point_col].as_str()));
    let rows_of = |p: &str| -> Vec<&Vec<String>> {
        summary.rows.iter().filter(|r| r[point_col] == p).collect()
    };
    // Each point's interval for each headline metric, and one number format per column.
    let intervals: Vec<Vec<Option<Interval>>> = points
        .iter()
        .map(|p| {
            let rows = rows_of(p);
            headline
                .iter()
                .map(|&c| Interval::of(&summary.values(c, rows.iter().copied())))
                .collect()
        })
        .collect();
    let digits: Vec<usize> = (0..headline.len())
        .map(|k| {
            let all: Vec<f64> = intervals
                .iter()
                .filter_map(|row| row[k])
                .flat_map(|i| [Some(i.mean), i.low(), i.high()])
                .flatten()
                .collect();
            decimals(&all)
        })
        .collect();
    let _ = writeln!(
        page,
        "<p class=\"note\">{} points; each cell is the mean over the point's replicates \
         with its 95% confidence interval.</p>",
        points.len()
    );
    page.push_str("<div class=\"wrap\"><table class=\"summary sweep\">\n<thead><tr><th>point</th>");
    for p in &parameters {
        let _ = write!(page, "<th><code>{}</code></th>", esc(p));
    }
    for &c in &headline {
        let _ = write!(
            page,
            "<th class=\"num\"><code>{}</code> mean [95% interval]</th>",
            esc(&summary.header[c])
        );
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for (point, row_intervals) in points.iter().zip(&intervals) {
        let _ = write!(page, "<tr><td class=\"num\">{}</td>", esc(point));
        let from_points = points_table.as_ref().and_then(|t| {
            let pc = t.index("point")?;
            t.rows.iter().find(|r| &r[pc] == point).map(|r| (t, r))
        });
        let first = summary.rows.iter().find(|r| &r[point_col] == point);
        for p in &parameters {
            let value = from_points
                .and_then(|(t, r)| t.index(p).map(|c| r[c].as_str()))
                .or_else(|| summary.index(p).and_then(|c| first.map(|r| r[c].as_str())))
                .unwrap_or("");
            let _ = write!(page, "<td>{}</td>", esc(value));
        }
        for (k, interval) in row_intervals.iter().enumerate() {
            page.push_str(&interval_cell(*interval, digits[k]));
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody></table></div>\n");
    Ok(())
}

/// `<td>` with "mean [low, high]" ("mean" alone for a single value), or "not defined".
fn interval_cell(interval: Option<Interval>, d: usize) -> String {
    match interval {
        Some(i) if i.bounds.is_some() => format!(
            "<td class=\"num\">{} <span class=\"ci\">{}</span></td>",
            fmt(i.mean, d),
            bounds(&i, d)
        ),
        Some(i) => format!("<td class=\"num\">{}</td>", fmt(i.mean, d)),
        None => "<td class=\"num undefined\">not defined</td>".into(),
    }
}

/// "[low, high]" with `d` decimals, or "—" when there is no interval (one value).
fn bounds(i: &Interval, d: usize) -> String {
    match i.bounds {
        Some((l, h)) => format!("[{}, {}]", fmt(l, d), fmt(h, d)),
        None => "—".into(),
    }
}

/// One number format for an interval's mean and bounds.
fn interval_decimals(i: &Interval) -> usize {
    decimals(
        &[Some(i.mean), i.low(), i.high()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>(),
    )
}

/// A comparison's summary: each scenario's means, the paired differences against the
/// baseline and the programme's value.
fn compare_summary(
    page: &mut String,
    dir: &Path,
    manifest: &Json,
    summary: &Table,
) -> Result<(), ReportError> {
    let scenario_col = summary
        .index("scenario")
        .ok_or_else(|| ReportError::Invalid {
            path: summary.path.clone(),
            reason: "a comparison's summary.csv has no `scenario` column".into(),
        })?;
    let mut names = compared_names(manifest, summary);
    for extra in distinct(summary.rows.iter().map(|r| r[scenario_col].as_str())) {
        if !names.contains(&extra) {
            names.push(extra);
        }
    }
    page.push_str(
        "<p class=\"note\">Every scenario ran on the same seeds (common random numbers). \
         Means over replicates with 95% confidence intervals (percentile bootstrap).</p>\n",
    );
    for name in &names {
        let rows: Vec<&Vec<String>> = summary
            .rows
            .iter()
            .filter(|r| &r[scenario_col] == name)
            .collect();
        let _ = writeln!(
            page,
            "<h3>{} <span class=\"ci\">({} replicates)</span></h3>",
            esc(name),
            rows.len()
        );
        metric_table(page, summary, &rows);
    }

    if let Some(diff) = read_optional_csv(&dir.join(crate::results::DIFFERENCES))? {
        differences_table(page, manifest, &diff)?;
    }
    if let Some(programme) = read_optional_csv(&dir.join(crate::results::PROGRAMME))? {
        programme_table(page, &programme)?;
    }
    Ok(())
}

/// The differences.csv table.
fn differences_table(page: &mut String, manifest: &Json, diff: &Table) -> Result<(), ReportError> {
    let cols = diff.require(&crate::results::DIFFERENCES_COLUMNS)?;
    let baseline = manifest
        .get("baseline")
        .and_then(Json::as_str)
        .unwrap_or("baseline");
    page.push_str(
        "<p class=\"note\">Paired difference (scenario − baseline, replicate by replicate on \
         common random numbers) with its 95% interval, beside the interval an unpaired \
         comparison would give. Greyed rows: the paired interval includes 0.</p>\n",
    );
    for name in distinct(diff.rows.iter().map(|r| r[cols[0]].as_str())) {
        let _ = writeln!(
            page,
            "<h3>Differences: {} − {}</h3>",
            esc(&name),
            esc(baseline)
        );
        page.push_str(
            "<div class=\"wrap\"><table class=\"differences\">\n<thead><tr><th>metric</th>\
             <th class=\"num\">baseline mean</th><th class=\"num\">mean</th>\
             <th class=\"num\">difference</th><th class=\"num\">paired 95% interval</th>\
             <th class=\"num\">unpaired 95% interval</th></tr></thead>\n<tbody>\n",
        );
        for row in diff.rows.iter().filter(|r| r[cols[0]] == name) {
            let v: Vec<Option<f64>> = cols[2..].iter().map(|&c| cell(&row[c])).collect();
            let (base, mean, d, lo, hi, ulo, uhi) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
            let md = decimals(&[base, mean].into_iter().flatten().collect::<Vec<_>>());
            let dd = decimals(
                &[d, lo, hi, ulo, uhi]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>(),
            );
            let significant = matches!((lo, hi), (Some(l), Some(h)) if l > 0.0 || h < 0.0);
            let opt = |x: Option<f64>, d: usize| x.map_or_else(|| "—".to_owned(), |x| fmt(x, d));
            let interval = |l: Option<f64>, h: Option<f64>| match (l, h) {
                (None, None) => "—".to_owned(),
                _ => format!("[{}, {}]", opt(l, dd), opt(h, dd)),
            };
            let _ = writeln!(
                page,
                "<tr{}><td><code>{}</code></td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num ci\">{}</td></tr>",
                if significant { "" } else { " class=\"ns\"" },
                esc(&row[cols[1]]),
                opt(base, md),
                opt(mean, md),
                opt(d, dd),
                interval(lo, hi),
                interval(ulo, uhi),
            );
        }
        page.push_str("</tbody></table></div>\n");
    }
    Ok(())
}

/// programme.csv summarised per scenario: the mean of each figure (extra customers,
/// expansion, acceleration and their values) with its interval.
fn programme_table(page: &mut String, programme: &Table) -> Result<(), ReportError> {
    let sc = programme.require(&["scenario"])?[0];
    page.push_str(
        "<h3>Programme value</h3>\n<p class=\"note\">Extra customers against the baseline, \
         split into market expansion (customers the baseline never won) and acceleration \
         (customers won earlier), with their values; mean over replicates with its 95% \
         interval.</p>\n<div class=\"wrap\"><table class=\"programme\">\n<thead><tr>\
         <th>scenario</th><th>figure</th><th class=\"num\">mean</th>\
         <th class=\"num\">95% interval</th><th class=\"num\">n</th></tr></thead>\n<tbody>\n",
    );
    for name in distinct(programme.rows.iter().map(|r| r[sc].as_str())) {
        let rows: Vec<&Vec<String>> = programme.rows.iter().filter(|r| r[sc] == name).collect();
        for c in programme.metric_columns() {
            let values = programme.values(c, rows.iter().copied());
            let _ = write!(
                page,
                "<tr><td>{}</td><td><code>{}</code></td>",
                esc(&name),
                esc(&programme.header[c])
            );
            match Interval::of(&values) {
                Some(i) => {
                    let d = interval_decimals(&i);
                    let _ = write!(
                        page,
                        "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                        fmt(i.mean, d),
                        bounds(&i, d)
                    );
                }
                None => page.push_str(
                    "<td class=\"num\">—</td><td class=\"num undefined\">not defined</td>",
                ),
            }
            let _ = writeln!(page, "<td class=\"num\">{}</td></tr>", values.len());
        }
    }
    page.push_str("</tbody></table></div>\n");
    Ok(())
}

// ---------------------------------------------------------------------------------
// Plots

/// Plots in this order first; then `sweep_*`, `compare_*`, then any others, each
/// group alphabetically.
const PLOT_ORDER: [&str; 8] = [
    "adoption",
    "sources",
    "money",
    "audience",
    "satisfaction",
    "social_capital",
    "cohorts",
    "degrees",
];

/// Where a plot named `stem` goes in the page.
fn plot_rank(stem: &str) -> usize {
    if let Some(i) = PLOT_ORDER.iter().position(|p| *p == stem) {
        i
    } else if stem.starts_with("sweep_") {
        PLOT_ORDER.len()
    } else if stem.starts_with("compare_") {
        PLOT_ORDER.len() + 1
    } else {
        PLOT_ORDER.len() + 2
    }
}

/// The folder's SVG files (not hidden ones), in page order.
fn svg_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, ReportError> {
    let read_err = |source| ReportError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(read_err)? {
        let entry = entry.map_err(read_err)?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_svg = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        if is_svg && !name.starts_with('.') && path.is_file() {
            let stem = name[..name.len() - 4].to_owned();
            out.push((stem, path));
        }
    }
    out.sort_by(|a, b| (plot_rank(&a.0), &a.0).cmp(&(plot_rank(&b.0), &b.0)));
    Ok(out)
}

/// The plots section: every SVG inlined in a figure.
fn plots(page: &mut String, dir: &Path) -> Result<(), ReportError> {
    page.push_str("<section id=\"plots\">\n<h2>Plots</h2>\n");
    let files = svg_files(dir)?;
    if files.is_empty() {
        page.push_str("<p class=\"note\">This folder has no plots.</p>\n");
    }
    for (stem, path) in files {
        let text = read_text(&path)?;
        let file = format!("{stem}.svg");
        let _ = writeln!(page, "<figure id=\"plot-{}\">", esc(&stem));
        match inline_svg(&text) {
            Some(svg) => {
                page.push_str(&svg);
                page.push('\n');
            }
            None => page.push_str("<p class=\"note\">This file is not an SVG image.</p>\n"),
        }
        let _ = writeln!(
            page,
            "<figcaption>{} <span class=\"ci\">(<code>{}</code>)</span></figcaption>\n</figure>",
            esc(&humanize(&stem)),
            esc(&file)
        );
    }
    page.push_str("</section>\n");
    Ok(())
}

/// "social_capital" → "Social capital".
fn humanize(stem: &str) -> String {
    let spaced = stem.replace(['_', '-'], " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// An SVG document as an element to inline in HTML: without its XML prolog, doctype
/// or leading comments, and with a `viewBox` (from `width` and `height`) when it has
/// none, so that it scales to the page's width. `None` if it is not an SVG document.
fn inline_svg(text: &str) -> Option<String> {
    let mut rest = text.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        let end = if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest
            .get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("<!doctype"))
        {
            rest.find('>').map(|i| i + 1)
        } else {
            break;
        };
        rest = &rest[end?..];
    }
    let rest = rest.trim_end();
    let after = rest.strip_prefix("<svg")?;
    if !after.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
        return None;
    }
    let tag_end = rest.find('>')?;
    let tag = &rest[..tag_end];
    if attribute(tag, "viewBox").is_none()
        && let (Some(w), Some(h)) = (attribute(tag, "width"), attribute(tag, "height"))
        && let (Some(w), Some(h)) = (length(w), length(h))
    {
        return Some(format!("<svg viewBox=\"0 0 {w} {h}\"{after}"));
    }
    Some(rest.to_owned())
}

/// The value of attribute `name` in a start tag, if present.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut search = tag;
    while let Some(i) = search.find(name) {
        let before = search[..i].chars().next_back();
        let after = search[i + name.len()..].trim_start();
        search = &search[i + name.len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        if let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let body = &value[1..];
                return body.find(quote).map(|end| &body[..end]);
            }
        }
    }
    None
}

/// A length in user units ("800", "800px"), if it is one.
fn length(value: &str) -> Option<f64> {
    let v = value.trim();
    let v = v.strip_suffix("px").unwrap_or(v);
    v.parse::<f64>().ok().filter(|x| x.is_finite() && *x > 0.0)
}

// ---------------------------------------------------------------------------------
// Scenario and manifest

/// The resolved scenario, pretty-printed as JSON in the manifest's key order.
fn scenario_section(page: &mut String, manifest: &Json, kind: Kind) {
    page.push_str("<section id=\"scenario\">\n<h2>Scenario</h2>\n");
    let scenarios: Vec<&Json> = match (manifest.get("scenario"), manifest.get("scenarios")) {
        (Some(Json::Arr(list)), _) => list.iter().collect(),
        (Some(s), _) => vec![s],
        (None, Some(Json::Arr(list))) => list.iter().filter(|s| s.get("name").is_some()).collect(),
        (None, _) => Vec::new(),
    };
    if scenarios.is_empty() {
        page.push_str("<p class=\"note\">The manifest records no resolved scenario.</p>\n");
    } else {
        let which = match (kind, scenarios.len()) {
            (Kind::Sweep, 1) => {
                "The first point's scenario as run, with every default filled in; the \
                 other points differ from it in the swept parameters (see the summary)."
            }
            (Kind::Compare, 1) => {
                "The baseline's scenario as run, with every default filled in; the other \
                 scenarios are in their own files (the manifest's scenario_files)."
            }
            _ => "The scenario as run, with every default filled in.",
        };
        let _ = writeln!(page, "<p class=\"note\">{which}</p>");
    }
    for s in &scenarios {
        if scenarios.len() > 1
            && let Some(name) = s.get("name").and_then(Json::as_str)
        {
            let _ = writeln!(page, "<h3>{}</h3>", esc(name));
        }
        let pretty = serde_json::to_string_pretty(s).unwrap_or_default();
        let _ = writeln!(page, "<pre class=\"json\">{}</pre>", esc(&pretty));
    }
    page.push_str("</section>\n");
}

/// The manifest as a key/value table: provenance first, nested objects flattened to
/// dotted keys, the resolved scenario left to its own section.
fn manifest_section(page: &mut String, manifest: &Json) {
    page.push_str(
        "<section id=\"manifest\">\n<h2>Manifest</h2>\n<div class=\"wrap\"><table class=\"kv\">\n<tbody>\n",
    );
    const FIRST: [&str; 9] = [
        "kind",
        "murmur_version",
        "scenario_file",
        "scenario_sha256",
        "seed",
        "replicates",
        "threads",
        "wall_seconds",
        "network",
    ];
    let Json::Obj(entries) = manifest else {
        return;
    };
    let mut ordered: Vec<&(String, Json)> = FIRST
        .iter()
        .filter_map(|k| entries.iter().find(|(key, _)| key == k))
        .collect();
    // The folder's own bookkeeping (which files murmur wrote, their checksums, each
    // sweep point's hash) is for murmur, not for readers, and changes when plots are
    // redrawn: it stays in manifest.json.
    const BOOKKEEPING: [&str; 4] = ["murmur_format", "files", "folders", "point_sha256"];
    ordered.extend(entries.iter().filter(|(k, _)| {
        let k = k.as_str();
        !(FIRST.contains(&k) || BOOKKEEPING.contains(&k))
            && k != "scenario"
            && !(k == "scenarios" && is_resolved(manifest))
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

/// Whether the manifest's `scenarios` are resolved scenarios (shown in their own
/// section) rather than names.
fn is_resolved(manifest: &Json) -> bool {
    manifest.get("scenario").is_none()
        && matches!(manifest.get("scenarios"), Some(Json::Arr(l)) if l.iter().any(|s| s.get("name").is_some()))
}

/// Rows "key" → text for a manifest value; objects become dotted keys.
fn flatten(key: &str, value: &Json, rows: &mut Vec<(String, String)>) {
    match value {
        Json::Obj(entries) if !entries.is_empty() => {
            for (k, v) in entries {
                flatten(&format!("{key}.{k}"), v, rows);
            }
        }
        Json::Arr(items)
            if !items.is_empty() && items.iter().all(|i| matches!(i, Json::Obj(_))) =>
        {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{key}[{i}]"), item, rows);
            }
        }
        Json::Arr(items)
            if items
                .iter()
                .all(|i| !matches!(i, Json::Arr(_) | Json::Obj(_))) =>
        {
            rows.push((
                key.to_owned(),
                items.iter().map(Json::text).collect::<Vec<_>>().join(", "),
            ));
        }
        _ => rows.push((key.to_owned(), value.text())),
    }
}

// ---------------------------------------------------------------------------------
// Numbers

/// Decimals to show a group of numbers with: none when all are whole, else about
/// four significant digits of the largest.
fn decimals(values: &[f64]) -> usize {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if finite.iter().all(|v| v.fract() == 0.0) {
        return 0;
    }
    let largest = finite.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if largest == 0.0 {
        return 0;
    }
    (3 - largest.log10().floor() as i32).clamp(0, 6) as usize
}

/// `x` with `d` decimals, thousands separated by commas from 10,000 up.
fn fmt(x: f64, d: usize) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "—".into()
        } else if x > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let mut s = format!("{x:.d$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s.remove(0);
    }
    let (sign, body) = match s.strip_prefix('-') {
        Some(b) => ("-", b.to_owned()),
        None => ("", s.clone()),
    };
    let (int, frac) = match body.find('.') {
        Some(i) => (&body[..i], &body[i..]),
        None => (body.as_str(), ""),
    };
    if int.len() < 5 {
        return s;
    }
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}{frac}")
}

/// A count or other number as plain text (whole numbers without decimals).
fn fmt_plain(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        fmt(x, 0)
    } else {
        x.to_string()
    }
}

/// A CSV cell as a number: `None` when empty (undefined) or not finite.
fn cell(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Text escaped for HTML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------
// Files

fn read_text(path: &Path) -> Result<String, ReportError> {
    fs::read_to_string(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// A CSV file: its header and its rows of text cells.
struct Table {
    path: PathBuf,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Reads a CSV whole with [`crate::results::Table`].
fn read_csv(path: &Path) -> Result<Table, ReportError> {
    let table = crate::results::Table::read(path).map_err(|e| match e {
        crate::results::ReadError::Open { path, source } => ReportError::Read { path, source },
        crate::results::ReadError::Csv { path, source } => ReportError::Csv { path, source },
    })?;
    Ok(Table {
        path: table.path,
        header: table.header,
        rows: table.rows.into_iter().map(|r| r.cells).collect(),
    })
}

fn read_optional_csv(path: &Path) -> Result<Option<Table>, ReportError> {
    if path.is_file() {
        read_csv(path).map(Some)
    } else {
        Ok(None)
    }
}

impl Table {
    fn index(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The indexes of the named columns, or an error naming the first missing one.
    fn require(&self, names: &[&str]) -> Result<Vec<usize>, ReportError> {
        names
            .iter()
            .map(|n| {
                self.index(n).ok_or_else(|| ReportError::Invalid {
                    path: self.path.clone(),
                    reason: format!("no `{n}` column"),
                })
            })
            .collect()
    }

    /// The metric columns: those after `replicate` (or all but the identifying ones)
    /// whose every non-empty cell is a number.
    fn metric_columns(&self) -> Vec<usize> {
        let start = self.index("replicate").map_or(0, |i| i + 1);
        (start..self.header.len())
            .filter(|&c| !matches!(self.header[c].as_str(), "scenario" | "point" | "replicate"))
            .filter(|&c| {
                self.rows.iter().all(|r| {
                    let v = r[c].trim();
                    v.is_empty() || v.parse::<f64>().is_ok()
                })
            })
            .collect()
    }

    /// The defined, finite values of column `c` over `rows`.
    fn values<'a>(&self, c: usize, rows: impl Iterator<Item = &'a Vec<String>>) -> Vec<f64> {
        rows.filter_map(|r| cell(&r[c])).collect()
    }
}

// ---------------------------------------------------------------------------------
// JSON that keeps its objects' key order (serde_json's `Value` sorts them).

#[derive(Clone, Debug)]
enum Json {
    Null,
    Bool(bool),
    Num(serde_json::Number),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Num(n) => n.as_f64(),
            _ => None,
        }
    }

    /// A scalar as text; arrays and objects as compact JSON.
    fn text(&self) -> String {
        match self {
            Json::Null => "—".into(),
            Json::Bool(b) => b.to_string(),
            Json::Num(n) => n.to_string(),
            Json::Str(s) => s.clone(),
            Json::Arr(_) | Json::Obj(_) => serde_json::to_string(self).unwrap_or_default(),
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct JsonVisitor;
        impl<'de> Visitor<'de> for JsonVisitor {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
                Ok(Json::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
                Ok(Json::Num(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Json, E> {
                Ok(Json::Num(v.into()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
                Ok(serde_json::Number::from_f64(v).map_or(Json::Null, Json::Num))
            }
            fn visit_str<E>(self, v: &str) -> Result<Json, E> {
                Ok(Json::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Json, E> {
                Ok(Json::Str(v))
            }
            fn visit_unit<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_none<E>(self) -> Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
                Json::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Arr(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Json>()? {
                    entries.push(entry);
                }
                Ok(Json::Obj(entries))
            }
        }
        deserializer.deserialize_any(JsonVisitor)
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Num(n) => n.serialize(serializer),
            Json::Str(s) => serializer.serialize_str(s),
            Json::Arr(items) => serializer.collect_seq(items),
            Json::Obj(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// The page's styles: a system font, quiet tables, plots scaled to the page width.
const CSS: &str = "
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--accent:#0b5cad}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:var(--fg);font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:2rem 1.5rem 4rem}
h1{font-size:1.9rem;line-height:1.2;margin:0 0 .3rem}
h2{font-size:1.35rem;margin:2.5rem 0 .8rem;padding-bottom:.3rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:1.6rem 0 .4rem}
p{margin:.4rem 0}
.intro{color:var(--muted);margin:0 0 .6rem}
.note,.ci,.undefined{color:var(--muted)}
.note{font-size:.9rem}
nav a{color:var(--accent);text-decoration:none;margin-right:1.2rem;font-size:.95rem}
nav a:hover{text-decoration:underline}
.wrap{overflow-x:auto}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{padding:.3rem .7rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:var(--soft);font-weight:600;border-bottom:2px solid var(--line)}
tbody tr:hover{background:var(--soft)}
.num{text-align:right;white-space:nowrap}
tr.ns td{color:var(--muted)}
table.kv th{font-weight:normal;background:none;padding-right:2rem}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;font-size:.86em}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem;overflow:auto;max-height:36rem}
figure{margin:1.2rem 0;padding:1rem;border:1px solid var(--line);border-radius:6px;background:#fff}
figure svg{display:block;max-width:100%;height:auto;margin:0 auto}
figcaption{margin-top:.5rem;text-align:center;font-size:.9rem}
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_prologs_are_stripped_and_a_view_box_added() {
        let svg = "\u{feff}<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE svg PUBLIC \"x\" \"y\">\n\
                   <svg width=\"800px\" height='600' stroke-width=\"2\"><text>é</text></svg>\n";
        assert_eq!(
            inline_svg(svg).unwrap(),
            "<svg viewBox=\"0 0 800 600\" width=\"800px\" height='600' stroke-width=\"2\">\
             <text>é</text></svg>"
        );
        let with_box = "<svg viewBox=\"0 0 4 3\" width=\"8\" height=\"6\"></svg>";
        assert_eq!(inline_svg(with_box).unwrap(), with_box);
        assert_eq!(inline_svg("<svg></svg>").unwrap(), "<svg></svg>");
        assert!(inline_svg("<svgé>").is_none());
        assert!(inline_svg("<html></html>").is_none());
        assert!(inline_svg("é").is_none());
        assert!(inline_svg("").is_none());
    }

    #[test]
    fn numbers_get_about_four_significant_digits_and_separators() {
        assert_eq!(decimals(&[5915.5, 5361.0, 6442.0]), 0);
        assert_eq!(decimals(&[0.5916, 0.5366, 0.6438]), 4);
        assert_eq!(decimals(&[125.0, 122.0, 128.0]), 0);
        assert_eq!(decimals(&[125.5, 120.1, 130.9]), 1);
        assert_eq!(decimals(&[1e-9, 0.0, 2e-9]), 6);
        assert_eq!(fmt(3_011_500.0, 0), "3,011,500");
        assert_eq!(fmt(-12_345.678, 2), "-12,345.68");
        assert_eq!(fmt(9999.0, 0), "9999");
        assert_eq!(fmt(-0.00001, 3), "0.000");
        assert_eq!(fmt(f64::NAN, 2), "—");
        assert_eq!(fmt_plain(10_000.0), "10,000");
        assert_eq!(
            esc("<a href='x'>&\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;"
        );
    }

    #[test]
    fn plots_sort_in_the_preferred_order() {
        let mut stems = vec![
            "zeta",
            "compare_a",
            "degrees",
            "sweep_b",
            "adoption",
            "alpha",
            "sweep_a",
            "money",
        ];
        stems.sort_by_key(|s| (plot_rank(s), *s));
        assert_eq!(
            stems,
            [
                "adoption",
                "money",
                "degrees",
                "sweep_a",
                "sweep_b",
                "compare_a",
                "alpha",
                "zeta"
            ]
        );
    }

    #[test]
    fn json_keeps_key_order() {
        let j: Json =
            serde_json::from_str(r#"{"z": 1, "a": [1.5, null, "x"], "m": {"b": true, "a": -2}}"#)
                .unwrap();
        assert_eq!(
            serde_json::to_string(&j).unwrap(),
            r#"{"z":1,"a":[1.5,null,"x"],"m":{"b":true,"a":-2}}"#
        );
        let mut rows = Vec::new();
        flatten("m", j.get("m").unwrap(), &mut rows);
        assert_eq!(
            rows,
            [
                ("m.b".to_owned(), "true".to_owned()),
                ("m.a".to_owned(), "-2".to_owned())
            ]
        );
    }
}
