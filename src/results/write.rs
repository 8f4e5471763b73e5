//! Writes a run's results: tidy CSVs and a JSON manifest, into a results folder that
//! appears whole or not at all (written under a temporary name, then renamed).
//! A comparison's tables are the same tables, each row labelled by its scenario.

use super::{
    BASE_COLUMNS, COHORTS, COHORTS_COLUMNS, DEGREES, DEGREES_COLUMNS, Decorate, DecorateError,
    Kind, MANIFEST, Manifest, SUMMARY, SUMMARY_COLUMNS, TIMESERIES,
};
use crate::experiment::RunOutcome;
use crate::metrics::{Summary, number};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why results could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file or folder operation failed.
    #[error("cannot write results to {path}: {source}")]
    Io {
        /// Where.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Plots or the report could not be drawn.
    #[error("cannot draw the plots or the report: {0}")]
    Decorate(#[source] DecorateError),
    /// The output folder may not be written or replaced (see [`super::folder`]).
    #[error(transparent)]
    Folder(#[from] super::folder::FolderError),
}

impl OutputError {
    /// An I/O error about `path`.
    pub fn from_io(path: &Path, source: std::io::Error) -> Self {
        OutputError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Wraps an I/O error with the path it concerns.
pub fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The scenario file a run came from, as recorded in the manifest.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Source {
    /// Path as given on the command line.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

impl Source {
    /// Describes scenario file bytes read from `path`.
    pub fn new(path: &Path, bytes: &[u8]) -> Self {
        let digest = Sha256::digest(bytes);
        Source {
            path: path.to_path_buf(),
            sha256: digest.iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

/// Writes a run's files (`timeseries.csv`, `summary.csv`, `degrees.csv`,
/// `cohorts.csv` for the marketing model, `manifest.json`, and `agents.csv` when kept) into `out`, then `decorate` (plots and
/// report, or nothing), atomically (see [`atomic_dir`]).
pub fn write_run(
    out: &Path,
    outcome: &RunOutcome,
    source: &Source,
    decorate: Decorate,
) -> Result<(), OutputError> {
    write_run_with(out, outcome, source, |dir| {
        decorate(dir).map_err(OutputError::Decorate)
    })
}

/// The files of [`write_run`] without plots or report, then `extra` writing further
/// files into the folder before it is renamed into place.
pub fn write_run_with(
    out: &Path,
    outcome: &RunOutcome,
    source: &Source,
    extra: impl FnOnce(&Path) -> Result<(), OutputError>,
) -> Result<(), OutputError> {
    atomic_dir(out, |tmp| {
        write_files(tmp, outcome, source)?;
        extra(tmp)
    })
}

/// Fills a results folder so that it appears whole or not at all, replacing only a
/// folder murmur can prove it wrote: see [`super::folder::replace_dir`].
pub fn atomic_dir(
    out: &Path,
    fill: impl FnOnce(&Path) -> Result<(), OutputError>,
) -> Result<(), OutputError> {
    super::folder::replace_dir(out, &[], fill)
}

/// Writes `path` through a temporary file beside it, renamed into place when `write`
/// succeeds.
pub fn atomic_file(
    path: &Path,
    write: impl FnOnce(&mut fs::File) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    let name = path
        .file_name()
        .map_or("file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(".{name}.murmur-tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        write(&mut f)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io(path))
}

fn write_files(dir: &Path, outcome: &RunOutcome, source: &Source) -> Result<(), OutputError> {
    let runs = [("", outcome)];
    write_timeseries(&dir.join(TIMESERIES), None, &runs)?;
    write_summary(&dir.join(SUMMARY), None, &runs)?;
    if outcome.series.iter().any(|s| s.agents.is_some()) {
        write_agents(&dir.join(super::AGENTS), outcome)?;
    }
    write_degrees(&dir.join(DEGREES), outcome)?;
    if matches!(
        outcome.scenario.model,
        crate::scenario::ModelSpec::Marketing(_)
    ) {
        write_cohorts(&dir.join(COHORTS), outcome)?;
    }
    let manifest = Manifest {
        scenario_file: Some(source.path.clone()),
        scenario_sha256: Some(source.sha256.clone()),
        scenario: serde_json::to_value(&outcome.scenario).unwrap_or_default(),
        seed: Some(outcome.scenario.seed.into()),
        replicates: Some(outcome.scenario.replicates.into()),
        threads: Some(outcome.threads),
        wall_seconds: Some(outcome.wall_seconds),
        network: Some(outcome.network.clone()),
        shard_replicates: outcome.is_slice().then(|| {
            let end = outcome.first_replicate + outcome.series.len() as u32;
            [outcome.first_replicate, end]
        }),
        ..Manifest::new(Kind::Run)
    };
    write_manifest(dir, &manifest)
}

/// Writes `manifest` as `manifest.json` in `dir` (pretty JSON, a final newline), in
/// one write: serde_json writes a file a token at a time, hundreds of system calls.
pub fn write_manifest(dir: &Path, manifest: &Manifest) -> Result<(), OutputError> {
    let path = dir.join(MANIFEST);
    let mut text = serde_json::to_vec_pretty(manifest).map_err(|e| OutputError::Io {
        path: path.clone(),
        source: e.into(),
    })?;
    text.push(b'\n');
    let mut f = fs::File::create(&path).map_err(io(&path))?;
    f.write_all(&text).map_err(io(&path))?;
    f.sync_all().map_err(io(&path))
}

fn csv_err(path: &Path) -> impl Fn(csv::Error) -> OutputError + '_ {
    move |e| OutputError::Io {
        path: path.to_path_buf(),
        source: e.into(),
    }
}

/// Writes `timeseries.csv` of one run (`label` is `None`) or of several runs, each row
/// behind a `label` column holding its run's name. The header is the first run's.
pub fn write_timeseries(
    path: &Path,
    label: Option<&str>,
    runs: &[(&str, &RunOutcome)],
) -> Result<(), OutputError> {
    let mut w = csv_writer(path)?;
    let Some((_, first)) = runs.first() else {
        return w.flush().map_err(io(path));
    };
    let mut header: Vec<&str> = label.into_iter().collect();
    header.extend(BASE_COLUMNS);
    if let Some(s) = first.series.first() {
        header.extend(s.columns.iter().map(|c| c.name));
    }
    w.write_record(&header).map_err(csv_err(path))?;
    let mut row: Vec<String> = Vec::with_capacity(header.len());
    for (name, outcome) in runs {
        let n = outcome.scenario.population.size;
        for (r, series) in outcome.series.iter().enumerate() {
            for (t, (adopters, new)) in series
                .adopters()
                .into_iter()
                .zip(&series.new_adopters)
                .enumerate()
            {
                row.clear();
                if label.is_some() {
                    row.push(name.to_string());
                }
                row.extend([
                    (outcome.first_replicate as usize + r).to_string(),
                    t.to_string(),
                    adopters.to_string(),
                    (adopters as f64 / n.max(1) as f64).to_string(),
                    new.to_string(),
                ]);
                row.extend(series.columns.iter().map(|c| number(c.values[t])));
                w.write_record(&row).map_err(csv_err(path))?;
            }
        }
    }
    w.flush().map_err(io(path))
}

/// Writes `summary.csv` of one run or several, labelled as in [`write_timeseries`].
pub fn write_summary(
    path: &Path,
    label: Option<&str>,
    runs: &[(&str, &RunOutcome)],
) -> Result<(), OutputError> {
    let mut w = csv_writer(path)?;
    let Some((_, first)) = runs.first() else {
        return w.flush().map_err(io(path));
    };
    let mut header: Vec<&str> = label.into_iter().collect();
    header.extend(SUMMARY_COLUMNS);
    if let Some(s) = first.series.first() {
        header.extend(s.figures.iter().map(|f| f.0));
    }
    w.write_record(&header).map_err(csv_err(path))?;
    for (name, outcome) in runs {
        let n = outcome.scenario.population.size;
        for (r, series) in outcome.series.iter().enumerate() {
            let s = Summary::of(series, n);
            let mut row: Vec<String> = label.map(|_| name.to_string()).into_iter().collect();
            row.extend([
                (outcome.first_replicate as usize + r).to_string(),
                s.final_adopters.to_string(),
                s.final_share.to_string(),
                s.peak_tick.to_string(),
                s.peak_new_adopters.to_string(),
                s.half_tick.map_or(String::new(), |t| t.to_string()),
            ]);
            row.extend(series.figures.iter().map(|f| number(f.1)));
            w.write_record(&row).map_err(csv_err(path))?;
        }
    }
    w.flush().map_err(io(path))
}

fn write_agents(path: &Path, outcome: &RunOutcome) -> Result<(), OutputError> {
    let mut w = csv_writer(path)?;
    let mut header_written = false;
    for (r, series) in outcome.series.iter().enumerate() {
        let Some(table) = &series.agents else {
            continue;
        };
        if !header_written {
            let mut header = vec!["replicate"];
            header.extend(&table.names);
            w.write_record(&header).map_err(csv_err(path))?;
            header_written = true;
        }
        let r = (outcome.first_replicate as usize + r).to_string();
        for row in &table.rows {
            w.write_record(std::iter::once(&r).chain(row))
                .map_err(csv_err(path))?;
        }
    }
    w.flush().map_err(io(path))
}

/// Writes `cohorts.csv`: each replicate's survival by acquisition cohort and age.
fn write_cohorts(path: &Path, outcome: &RunOutcome) -> Result<(), OutputError> {
    let mut w = csv_writer(path)?;
    w.write_record(COHORTS_COLUMNS).map_err(csv_err(path))?;
    for (r, series) in outcome.series.iter().enumerate() {
        for c in &series.cohorts {
            w.write_record([
                (outcome.first_replicate as usize + r).to_string(),
                c.cohort.to_string(),
                c.age.to_string(),
                c.size.to_string(),
                c.surviving.to_string(),
                number(c.share()),
            ])
            .map_err(csv_err(path))?;
        }
    }
    w.flush().map_err(io(path))
}

/// Writes `degrees.csv`: the run's network degree distribution.
pub fn write_degrees(path: &Path, outcome: &RunOutcome) -> Result<(), OutputError> {
    let mut w = csv_writer(path)?;
    w.write_record(DEGREES_COLUMNS).map_err(csv_err(path))?;
    for (degree, count) in &outcome.network.degrees {
        w.write_record([degree.to_string(), count.to_string()])
            .map_err(csv_err(path))?;
    }
    w.flush().map_err(io(path))
}

/// Writes the CSV file `path`: `header`, then `rows`. For the tables a workflow builds
/// whole (a robustness check's, a sensitivity analysis's, an attribution's).
pub fn write_table(
    path: &Path,
    header: &[impl AsRef<[u8]>],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<(), OutputError> {
    let mut w = csv_writer(path)?;
    w.write_record(header).map_err(csv_err(path))?;
    for row in rows {
        w.write_record(&row).map_err(csv_err(path))?;
    }
    w.flush().map_err(io(path))
}

fn csv_writer(path: &Path) -> Result<csv::Writer<fs::File>, OutputError> {
    let file = fs::File::create(path).map_err(io(path))?;
    Ok(csv::Writer::from_writer(file))
}

/// A short plain-text table of the headline figures across replicates (mean and
/// 95% interval), for the end of a command.
pub fn headline_table(outcome: &RunOutcome) -> String {
    use crate::metrics::Interval;
    let n = outcome.scenario.population.size;
    let summaries: Vec<Summary> = outcome.series.iter().map(|s| Summary::of(s, n)).collect();
    let column = |f: &dyn Fn(&Summary) -> Option<f64>| -> Vec<f64> {
        summaries.iter().filter_map(f).collect()
    };
    let rows: [(&str, Vec<f64>, usize); 4] = [
        (
            "final adopters",
            column(&|s| Some(s.final_adopters as f64)),
            1,
        ),
        ("final share", column(&|s| Some(s.final_share)), 4),
        ("peak tick", column(&|s| Some(s.peak_tick as f64)), 1),
        (
            "half-adoption tick",
            column(&|s| s.half_tick.map(f64::from)),
            1,
        ),
    ];
    // The marketing model's headline figures, where the run has them.
    let figures: Vec<(&str, Vec<f64>, usize)> = [
        ("final_customers", 1),
        ("churn_hazard", 6),
        ("cumulative_profit", 0),
        ("roi", 3),
        ("clv_projected", 2),
        ("referral_value_mean", 2),
        ("retention_365", 4),
        ("incremental_profit", 0),
        ("incremental_roi", 3),
    ]
    .iter()
    .filter(|(name, _)| {
        outcome
            .series
            .first()
            .and_then(|s| s.figure(name))
            .is_some()
    })
    // Figures against a baseline only when there was one.
    .filter(|(name, _)| {
        !name.starts_with("incremental_")
            || outcome
                .series
                .iter()
                .any(|s| s.figure(name).is_some_and(f64::is_finite))
    })
    .map(|&(name, digits)| {
        let values = outcome
            .series
            .iter()
            .filter_map(|s| s.figure(name))
            .filter(|v| v.is_finite())
            .collect();
        (name, values, digits)
    })
    .collect();
    let mut out = format!(
        "{:<20} {:>14} {:>27} {:>11}\n",
        "metric", "mean", "95% interval", "replicates"
    );
    let rows: Vec<(String, Vec<f64>, usize)> = rows
        .into_iter()
        .map(|(n, v, d)| (n.to_string(), v, d))
        .chain(
            figures
                .into_iter()
                .map(|(n, v, d)| (n.replace('_', " "), v, d)),
        )
        .collect();
    let values: Vec<&[f64]> = rows.iter().map(|(_, v, _)| &v[..]).collect();
    for ((name, _, digits), interval) in rows.iter().zip(Interval::of_columns(&values)) {
        let digits = *digits;
        match interval {
            Some(i) => out.push_str(&format!(
                "{name:<20} {:>14.digits$} {:>27} {:>11}\n",
                i.mean,
                i.bounds_text(digits),
                format!("{}/{}", i.n, summaries.len()),
            )),
            None => out.push_str(&format!(
                "{name:<20} {:>14} {:>27} {:>11}\n",
                "never",
                "",
                format!("0/{}", summaries.len())
            )),
        }
    }
    out
}
