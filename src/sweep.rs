//! Parameter sweeps: expands a scenario's `[sweep]` into points, runs each point's
//! replicates (resumable, shardable), and assembles the tidy sweep folder
//! (docs/OUTPUTS.md). `murmur merge` joins the shards of one sweep.

use crate::experiment::{self, Progress, RunError, RunOptions};
use crate::results::folder::{self, State};
use crate::results::{self, Decorate, OutputError, Source, atomic_file};
use crate::rng::{Purpose, StreamKey};
use crate::scenario::sweep::{SweepKind, SweepSpec};
use crate::scenario::{Overrides, Scenario, ScenarioError};
use rayon::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Why a sweep or merge failed.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// A run failed (bad scenario, too big, ...).
    #[error(transparent)]
    Run(#[from] RunError),
    /// Results could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The folder already holds part of a sweep and `--resume` was not given.
    #[error(
        "{0} holds {1} finished point(s) of a sweep: pass --resume to continue it, or choose another --out"
    )]
    Unfinished(PathBuf, usize),
    /// Slices of different scenarios cannot be merged.
    #[error(
        "cannot merge {0} and {1}: they are slices of different scenarios (scenario hashes {2} and {3})"
    )]
    Mismatch(PathBuf, PathBuf, String, String),
    /// A folder is not a sweep folder.
    #[error(
        "{0} is not a murmur sweep folder (its manifest.json is missing or not of kind \"sweep\")"
    )]
    NotSweep(PathBuf),
    /// `--resume` on a folder whose sweep was started from a different scenario.
    #[error(
        "cannot resume the sweep in {path}: the scenario changed since it started ({differences}). Run the new scenario into another --out, or restore the old one"
    )]
    Changed {
        /// The sweep folder.
        path: PathBuf,
        /// The keys that differ, with old and new values.
        differences: String,
    },
    /// A slice or point folder is damaged (a truncated CSV, an edited point.json).
    #[error("{path} is damaged: {problem}; re-run that slice or point")]
    Damaged {
        /// The damaged folder or file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// A shard specification is malformed.
    #[error("--shard {0}: expected K/N with 1 ≤ K ≤ N, e.g. --shard 2/8")]
    Shard(String),
}

impl From<folder::FolderError> for SweepError {
    fn from(e: folder::FolderError) -> Self {
        SweepError::Output(e.into())
    }
}

impl From<ScenarioError> for SweepError {
    fn from(e: ScenarioError) -> Self {
        SweepError::Run(e.into())
    }
}

/// One point of a sweep: its index, the swept values, and the scenario they give.
#[derive(Clone, Debug)]
pub struct Point {
    /// Position in the full sweep, from 0.
    pub index: usize,
    /// (key path, value) for each swept parameter, in parameter order.
    pub values: Vec<(String, toml::Value)>,
    /// The scenario with these values set, validated.
    pub scenario: Scenario,
}

/// Parses `K/N` into a 1-based shard index and a shard count.
pub fn parse_shard(text: &str) -> Result<(usize, usize), SweepError> {
    let bad = || SweepError::Shard(text.to_string());
    let (k, n) = text.split_once('/').ok_or_else(bad)?;
    let (k, n): (usize, usize) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// The number of points a sweep has, counted without listing them; `None` when it
/// does not fit in a u64 (a grid's product of value counts, checked).
pub fn point_count(spec: &SweepSpec) -> Option<u64> {
    match spec.kind {
        SweepKind::Grid => spec
            .parameters
            .iter()
            .try_fold(1u64, |n, p| n.checked_mul(p.values.len() as u64)),
        SweepKind::LatinHypercube => Some(u64::from(spec.samples)),
    }
}

/// The swept values of every point, in point order: the grid's combinations (the first
/// parameter varying slowest) or the Latin-hypercube samples.
pub fn layout(spec: &SweepSpec) -> Vec<Vec<toml::Value>> {
    match spec.kind {
        SweepKind::Grid => {
            let mut points: Vec<Vec<toml::Value>> = vec![Vec::new()];
            for p in &spec.parameters {
                points = points
                    .into_iter()
                    .flat_map(|prefix| {
                        p.values.iter().map(move |v| {
                            let mut next = prefix.clone();
                            next.push(v.clone());
                            next
                        })
                    })
                    .collect();
            }
            points
        }
        SweepKind::LatinHypercube => {
            let n = spec.samples as usize;
            let key = StreamKey::new(spec.seed, 0, 0, Purpose::Sweep);
            let columns: Vec<Vec<toml::Value>> = spec
                .parameters
                .iter()
                .enumerate()
                .map(|(d, p)| {
                    // One stratum of [low, high] per sample, in a random order.
                    let mut rng = key.child(d as u64).agent(0);
                    let mut strata: Vec<usize> = (0..n).collect();
                    for i in (1..n).rev() {
                        strata.swap(i, rng.below(i as u64 + 1) as usize);
                    }
                    let whole = p.values.iter().all(|v| v.as_integer().is_some());
                    let bound = |v: &toml::Value| {
                        v.as_float()
                            .unwrap_or_else(|| v.as_integer().unwrap_or(0) as f64)
                    };
                    let (low, high) = (bound(&p.values[0]), bound(&p.values[1]));
                    strata
                        .into_iter()
                        .map(|s| {
                            let x = low + (s as f64 + rng.unit()) / n as f64 * (high - low);
                            if whole {
                                toml::Value::Integer(x.floor().clamp(low, high) as i64)
                            } else {
                                toml::Value::Float(x)
                            }
                        })
                        .collect()
                })
                .collect();
            (0..n)
                .map(|i| columns.iter().map(|c| c[i].clone()).collect())
                .collect()
        }
    }
}

/// Sets a dotted key path in a TOML table, creating tables on the way.
fn set_path(table: &mut toml::Table, path: &str, value: toml::Value) {
    let mut parts = path.split('.').peekable();
    let mut current = table;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            current.insert(part.to_string(), value);
            return;
        }
        let entry = current
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        current = entry.as_table_mut().expect("just made a table");
    }
}

/// A value as a short label (`0.5`, `"lookalike"`).
pub fn label(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Expands a sweep scenario into its validated points. `text` is the scenario file's
/// text; each point is that text with the swept keys set, checked like any scenario,
/// and a problem names the point and the swept key.
pub fn points(
    text: &str,
    file: &Path,
    spec: &SweepSpec,
    overrides: &Overrides,
) -> Result<Vec<Point>, ScenarioError> {
    let base: toml::Table = toml::from_str(text).map_err(|e| {
        ScenarioError::new(
            file,
            format!("cannot read the scenario as TOML: {}", e.message()),
        )
    })?;
    layout(spec)
        .into_iter()
        .enumerate()
        .map(|(index, values)| {
            let mut table = base.clone();
            table.remove("sweep");
            let values: Vec<(String, toml::Value)> = spec
                .parameters
                .iter()
                .map(|p| p.key.clone())
                .zip(values)
                .collect();
            for (key, value) in &values {
                set_path(&mut table, key, value.clone());
            }
            let described = values
                .iter()
                .map(|(k, v)| format!("{k} = {}", label(v)))
                .collect::<Vec<_>>()
                .join(", ");
            let point_text = toml::to_string(&table).map_err(|e| {
                ScenarioError::new(file, format!("sweep point {index} ({described}): {e}"))
            })?;
            let mut scenario = Scenario::from_str_at(&point_text, file).map_err(|mut e| {
                e.problem = format!("sweep point {index} ({described}): {}", e.problem);
                // Point at the swept key in the original file.
                let swept = e
                    .key
                    .as_deref()
                    .and_then(|k| spec.parameters.iter().find(|p| p.key == k));
                e.line = swept.and_then(|p| line_of_parameter(text, &p.key));
                e
            })?;
            overrides.apply(&mut scenario);
            Ok(Point {
                index,
                values,
                scenario,
            })
        })
        .collect()
}

/// The line of a swept key in the scenario text: its key path holds dots, so it is
/// written quoted under `[sweep.parameters]` (or inline in `[sweep]`).
fn line_of_parameter(text: &str, key: &str) -> Option<usize> {
    let quoted = [format!("\"{key}\""), format!("'{key}'")];
    let start = text
        .lines()
        .position(|l| l.trim_start().starts_with("[sweep"))
        .unwrap_or(0);
    text.lines()
        .enumerate()
        .skip(start)
        .find(|(_, l)| quoted.iter().any(|q| l.contains(q.as_str())))
        .map(|(i, _)| i + 1)
}

/// SHA-256 of a point's resolved scenario (every default filled in, swept values and
/// command-line overrides applied), hex: what a resumed sweep must match.
pub fn point_sha256(point: &Point) -> String {
    let text = serde_json::to_string(&point.scenario).unwrap_or_default();
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The folder name of a point: its index and the start of its resolved scenario's
/// hash, so a point of an edited scenario never passes for a finished one.
pub fn slug(point: &Point) -> String {
    format!("point-{:05}-{}", point.index, &point_sha256(point)[..12])
}

/// Whether `name` is a point folder's name (`point-NNNNN-` and 12 hex digits).
fn point_index(name: &str) -> Option<usize> {
    let rest = name.strip_prefix("point-")?;
    let (index, hash) = rest.split_once('-')?;
    let hex = hash.len() == 12 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    (hex && index.len() >= 5 && index.bytes().all(|b| b.is_ascii_digit()))
        .then(|| index.parse().ok())
        .flatten()
}

/// How to run a sweep.
#[derive(Clone)]
pub struct SweepOptions<'a> {
    /// Options of each point's run.
    pub run: RunOptions,
    /// Continue a sweep whose folder holds finished points.
    pub resume: bool,
    /// Run only the K-th (1-based) of N slices of the points.
    pub shard: Option<(usize, usize)>,
    /// Draws the assembled folder's plots and report (or nothing).
    pub decorate: Decorate<'a>,
}

/// What a sweep did.
#[derive(Clone, Debug)]
pub struct SweepSummary {
    /// Points in the whole sweep.
    pub total: usize,
    /// Points of this shard.
    pub selected: usize,
    /// Points run now.
    pub ran: usize,
    /// Points skipped because they were already finished.
    pub skipped: usize,
    /// Wall-clock seconds.
    pub wall_seconds: f64,
}

/// Runs a sweep into `out` (see docs/OUTPUTS.md): each finished point is stored under
/// `out/points/<slug>/`, written atomically, then the sweep's tidy files are assembled
/// from every finished point. `out` must be absent, empty, or a murmur folder
/// ([`folder::inspect`]); a murmur sweep folder with finished points is continued only
/// with `--resume`, and only when its scenario has not changed.
pub fn run(
    text: &str,
    file: &Path,
    spec: &SweepSpec,
    out: &Path,
    source: &Source,
    overrides: &Overrides,
    options: &SweepOptions,
) -> Result<SweepSummary, SweepError> {
    let started = std::time::Instant::now();
    let all = points(text, file, spec, overrides)?;
    let total = all.len();
    let info = SweepInfo::new(&all, spec, options.shard, source);
    let selected: Vec<Point> = match options.shard {
        Some((k, n)) => all.into_iter().filter(|p| p.index % n == k - 1).collect(),
        None => all,
    };
    let points_dir = out.join("points");
    prepare_folder(out, &info, options.resume)?;
    fs::create_dir_all(&points_dir).map_err(|e| OutputError::from_io(&points_dir, e))?;
    let finished = |p: &Point| folder::read_manifest(&points_dir.join(slug(p))).is_some();
    let done_before = selected.iter().filter(|p| finished(p)).count();
    let pending: Vec<&Point> = selected.iter().filter(|p| !finished(p)).collect();
    let replicate_ticks: u64 = pending
        .iter()
        .map(|p| p.scenario.replicates as u64 * crate::engine::ticks_stepped(&p.scenario))
        .sum();
    let done_points = AtomicUsize::new(done_before);
    let replicates_of = |p: &Point| p.scenario.replicates as usize;
    let total_replicates: usize = selected.iter().map(replicates_of).sum();
    let done_replicates = AtomicUsize::new(
        selected
            .iter()
            .filter(|p| finished(p))
            .map(replicates_of)
            .sum(),
    );
    let status = |points: usize, replicates: usize| {
        format!(
            "· points {points}/{} · replicates {replicates}/{total_replicates}",
            selected.len()
        )
    };
    experiment::with_pool(options.run.threads, |threads| {
        let progress = Progress::new(replicate_ticks, "replicate-ticks", options.run.quiet);
        progress.message(status(done_before, done_replicates.load(Ordering::Relaxed)));
        let result = pending
            .par_iter()
            .try_for_each(|p| -> Result<(), SweepError> {
                let bar = progress.child(
                    p.scenario.replicates as u64 * crate::engine::ticks_stepped(&p.scenario),
                    format!("point {}", p.index),
                );
                let outcome = experiment::run_in_pool(
                    p.scenario.clone(),
                    file,
                    &options.run,
                    threads,
                    &|| bar.tick(),
                )?;
                drop(bar);
                write_point(&points_dir.join(slug(p)), p, &outcome, source)?;
                let n = done_points.fetch_add(1, Ordering::Relaxed) + 1;
                let r = done_replicates.fetch_add(replicates_of(p), Ordering::Relaxed)
                    + replicates_of(p);
                progress.message(status(n, r));
                Ok(())
            });
        progress.finish();
        result
    })?;
    assemble(out, &info, options.decorate)?;
    Ok(SweepSummary {
        total,
        selected: selected.len(),
        ran: pending.len(),
        skipped: selected.len() - pending.len(),
        wall_seconds: started.elapsed().as_secs_f64(),
    })
}

/// Makes `out` ready for the sweep described by `info`: a murmur sweep folder is
/// continued only with `resume` (and only when its scenario has not changed), another
/// kind of murmur folder is replaced, and a new sweep is marked as murmur's, with its
/// points' hashes, before its first point is written.
fn prepare_folder(out: &Path, info: &SweepInfo, resume: bool) -> Result<(), SweepError> {
    let points_dir = out.join("points");
    match folder::inspect(out).map_err(OutputError::from)? {
        State::Owned(stored) if stored["kind"] == "sweep" => {
            let present = finished_points(out)?.len();
            if present > 0 && !resume {
                return Err(SweepError::Unfinished(out.to_path_buf(), present));
            }
            if resume {
                check_unchanged(out, &stored, info)?;
            }
        }
        State::Owned(_) => {
            // Another kind of murmur folder (a run's): replaced by this sweep.
            fs::remove_dir_all(out).map_err(|e| OutputError::from_io(out, e))?;
        }
        State::Absent | State::Empty => {}
    }
    if !resume || folder::read_manifest(out).is_none() {
        fs::create_dir_all(&points_dir).map_err(|e| OutputError::from_io(&points_dir, e))?;
        // Marked as murmur's, with this scenario's points, before the first point is
        // written; files of an earlier assembly stay listed until replaced.
        let earlier: Vec<folder::Entry> = folder::read_manifest(out)
            .and_then(|m| serde_json::from_value(m["files"].clone()).ok())
            .unwrap_or_default();
        let mut manifest = info.manifest(&[]);
        folder::write_manifest_fields(out, &mut manifest, earlier, &["points".into()])
            .map_err(OutputError::from)?;
    }
    Ok(())
}

/// Writes one finished point's folder, with `point.json` recording its swept values
/// (read back when assembling).
fn write_point(
    dir: &Path,
    p: &Point,
    outcome: &experiment::RunOutcome,
    source: &Source,
) -> Result<(), SweepError> {
    let values: serde_json::Map<String, serde_json::Value> = p
        .values
        .iter()
        .map(|(k, v)| (k.clone(), json!(label(v))))
        .collect();
    let record = json!({ "point": p.index, "values": values });
    results::write_run_with(dir, outcome, source, |tmp| {
        let path = tmp.join(results::POINT);
        fs::write(&path, record.to_string()).map_err(|e| OutputError::from_io(&path, e))
    })?;
    Ok(())
}

/// Refuses to resume a sweep whose stored scenario differs from the one given now,
/// naming the keys that differ.
fn check_unchanged(
    out: &Path,
    stored: &serde_json::Value,
    info: &SweepInfo,
) -> Result<(), SweepError> {
    let same_points = stored["point_sha256"] == json!(info.hashes);
    if same_points && stored["sweep"] == info.spec {
        return Ok(());
    }
    let mut differences = Vec::new();
    diff_json("", &stored["scenario"], &info.scenario, &mut differences);
    if stored["sweep"] != info.spec {
        differences.push("the [sweep] table".to_string());
    }
    if differences.is_empty() {
        differences.push("the swept points".to_string());
    }
    Err(SweepError::Changed {
        path: out.to_path_buf(),
        differences: format!("keys that differ: {}", differences.join(", ")),
    })
}

/// The dotted key paths at which two JSON values differ, with old → new values.
fn diff_json(path: &str, old: &serde_json::Value, new: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                diff_json(
                    &child,
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                    out,
                );
            }
        }
        (a, b) if a != b => out.push(format!("{path} ({a} → {b})")),
        _ => {}
    }
}

/// What the assembled manifest says of a sweep.
#[derive(Clone, Debug)]
pub struct SweepInfo {
    /// The first point's resolved scenario, as recorded (for name, ticks, network).
    pub scenario: serde_json::Value,
    /// The sweep, as recorded.
    pub spec: serde_json::Value,
    /// The swept key paths, in column order.
    pub keys: Vec<String>,
    /// Points in the whole sweep.
    pub total: usize,
    /// Each point's resolved-scenario hash ([`point_sha256`]), in point order.
    pub hashes: Vec<String>,
    /// The shard this folder holds, if one.
    pub shard: Option<(usize, usize)>,
    /// The scenario file.
    pub source: Source,
}

impl SweepInfo {
    /// What the manifest of a sweep of `all` points records.
    fn new(
        all: &[Point],
        spec: &SweepSpec,
        shard: Option<(usize, usize)>,
        source: &Source,
    ) -> SweepInfo {
        SweepInfo {
            scenario: all
                .first()
                .map(|p| serde_json::to_value(&p.scenario).unwrap_or_default())
                .unwrap_or_default(),
            spec: serde_json::to_value(spec).unwrap_or_default(),
            keys: spec.parameters.iter().map(|p| p.key.clone()).collect(),
            total: all.len(),
            hashes: all.iter().map(point_sha256).collect(),
            shard,
            source: source.clone(),
        }
    }

    /// The sweep's manifest, with the indices of its finished points.
    fn manifest(&self, finished: &[usize]) -> serde_json::Value {
        let manifest = results::Manifest {
            scenario_file: Some(self.source.path.clone()),
            scenario_sha256: Some(self.source.sha256.clone()),
            scenario: self.scenario.clone(),
            sweep: Some(self.spec.clone()),
            parameters: Some(self.keys.clone()),
            points: Some(self.total),
            point_sha256: Some(self.hashes.clone()),
            finished_points: Some(finished.to_vec()),
            shard: Some(self.shard.map(|(k, n)| format!("{k}/{n}"))),
            seed: Some(self.scenario["seed"].clone()),
            replicates: Some(self.scenario["replicates"].clone()),
            ..results::Manifest::new(results::Kind::Sweep)
        };
        serde_json::to_value(manifest).unwrap_or_default()
    }

    /// What a sweep folder's manifest records.
    fn read(dir: &Path, manifest: &serde_json::Value) -> Result<SweepInfo, SweepError> {
        let damaged = |what: &str| SweepError::Damaged {
            path: dir.join(folder::MANIFEST),
            problem: format!("its {what} is missing or malformed"),
        };
        let m: results::Manifest =
            serde_json::from_value(manifest.clone()).map_err(|e| SweepError::Damaged {
                path: dir.join(folder::MANIFEST),
                problem: format!("it does not read as a murmur manifest ({e})"),
            })?;
        let total = m.points.ok_or_else(|| damaged("`points`"))?;
        let hashes = m.point_sha256.ok_or_else(|| damaged("`point_sha256`"))?;
        if hashes.len() != total {
            return Err(damaged("`point_sha256`"));
        }
        Ok(SweepInfo {
            scenario: m.scenario,
            spec: m.sweep.unwrap_or_default(),
            keys: m.parameters.ok_or_else(|| damaged("`parameters`"))?,
            total,
            hashes,
            shard: None,
            source: Source {
                path: m.scenario_file.unwrap_or_default(),
                sha256: m.scenario_sha256.unwrap_or_default(),
            },
        })
    }
}

/// The finished points under `out/points`, as (index, folder), in index order: folders
/// named like a point that carry murmur's manifest. Murmur's hidden temporaries (of a
/// killed run) and anything else are not points.
fn finished_points(out: &Path) -> Result<Vec<(usize, PathBuf)>, SweepError> {
    let dir = out.join("points");
    let mut found = Vec::new();
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(OutputError::from_io(&dir, e).into()),
    };
    for entry in entries {
        let entry = entry.map_err(|e| OutputError::from_io(&dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(index) = point_index(&name) else {
            continue;
        };
        if folder::read_manifest(&entry.path()).is_some() {
            found.push((index, entry.path()));
        }
    }
    found.sort();
    Ok(found)
}

/// Reads the swept values a point folder records in its point.json; every swept key
/// must have a value.
fn point_values(dir: &Path, keys: &[String]) -> Result<Vec<String>, SweepError> {
    let path = dir.join(results::POINT);
    let damaged = |problem: String| SweepError::Damaged {
        path: path.clone(),
        problem,
    };
    let text = fs::read_to_string(&path).map_err(|e| damaged(e.to_string()))?;
    let record: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| damaged(format!("not valid JSON: {e}")))?;
    keys.iter()
        .map(|k| match record["values"][k].as_str() {
            Some(v) if !v.is_empty() => Ok(v.to_string()),
            _ => Err(damaged(format!("it has no value for the swept key `{k}`"))),
        })
        .collect()
}

/// Writes the sweep's tidy files into `out` from its finished points: timeseries.csv
/// and summary.csv with `point` and parameter columns, points.csv, degrees.csv (of the
/// first point), manifest.json, plots and report. They are drawn in a hidden staging
/// folder, the manifest is first rewritten to list both the old and the new files,
/// then the files are moved in and the manifest sealed with their checksums, so an
/// interrupted assembly leaves only files murmur can prove it wrote. `decorate` draws
/// the plots and report (or nothing) in the staging folder.
pub fn assemble(out: &Path, info: &SweepInfo, decorate: Decorate) -> Result<(), SweepError> {
    let stage = out.join(format!(".assembly.murmur-tmp-{}", std::process::id()));
    let _ = fs::remove_dir_all(&stage);
    fs::create_dir(&stage).map_err(|e| OutputError::from_io(&stage, e))?;
    let result = assemble_in(out, &stage, info, decorate);
    let _ = fs::remove_dir_all(&stage);
    result
}

fn assemble_in(
    out: &Path,
    stage: &Path,
    info: &SweepInfo,
    decorate: Decorate,
) -> Result<(), SweepError> {
    let keys = &info.keys;
    let points = finished_points(out)?;
    let mut rows_of_points = Vec::new();
    for (index, dir) in &points {
        rows_of_points.push((*index, dir.clone(), point_values(dir, keys)?));
    }
    write_tidy_files(stage, keys, &rows_of_points)?;
    let finished: Vec<usize> = rows_of_points.iter().map(|p| p.0).collect();
    let mut manifest = info.manifest(&finished);
    folder::write_manifest_fields(stage, &mut manifest, Vec::new(), &[])
        .map_err(OutputError::from)?;
    decorate(stage).map_err(OutputError::Decorate)?;
    folder::seal(stage, &[], true).map_err(OutputError::from)?;
    let sealed = folder::read_manifest(stage).unwrap_or_default();
    move_in(out, stage, sealed, &manifest)?;
    Ok(())
}

/// One point's row of a sweep's tidy files: its index, its folder and its swept values.
type PointRow = (usize, PathBuf, Vec<String>);

/// Writes a sweep's `timeseries.csv` and `summary.csv` (each point's rows behind its
/// `point` and parameter columns), `points.csv` and `degrees.csv` (of the first point)
/// into `stage`.
fn write_tidy_files(
    stage: &Path,
    keys: &[String],
    rows_of_points: &[PointRow],
) -> Result<(), SweepError> {
    for file in [results::TIMESERIES, results::SUMMARY] {
        let path = stage.join(file);
        atomic_file(&path, |f| {
            let mut w = csv::Writer::from_writer(f);
            let mut header_done = false;
            for (index, dir, values) in rows_of_points {
                let mut r = csv::Reader::from_path(dir.join(file))?;
                if !header_done {
                    let mut header = vec!["point".to_string()];
                    header.extend(keys.iter().cloned());
                    header.extend(r.headers()?.iter().map(str::to_string));
                    w.write_record(&header)?;
                    header_done = true;
                }
                for record in r.records() {
                    let record = record?;
                    let mut row = vec![index.to_string()];
                    row.extend(values.iter().cloned());
                    row.extend(record.iter().map(str::to_string));
                    w.write_record(&row)?;
                }
            }
            w.flush()
        })?;
    }
    atomic_file(&stage.join(results::POINTS), |f| {
        let mut w = csv::Writer::from_writer(f);
        let mut header = vec!["point".to_string()];
        header.extend(keys.iter().cloned());
        w.write_record(&header)?;
        for (index, _, values) in rows_of_points {
            let mut row = vec![index.to_string()];
            row.extend(values.iter().cloned());
            w.write_record(&row)?;
        }
        w.flush()
    })?;
    if let Some((_, first, _)) = rows_of_points.first() {
        let degrees = fs::read(first.join(results::DEGREES)).unwrap_or_default();
        atomic_file(&stage.join(results::DEGREES), |f| f.write_all(&degrees))?;
    }
    Ok(())
}

/// Moves the sealed files drawn in `stage` into the sweep folder `out`: first the
/// manifest lists old and new files alike (without checksums), then the new files
/// are moved in, old ones no longer drawn removed, and the sealed manifest written,
/// so an interruption at any point leaves only files murmur can prove it wrote.
fn move_in(
    out: &Path,
    stage: &Path,
    sealed: serde_json::Value,
    manifest: &serde_json::Value,
) -> Result<(), SweepError> {
    let new: Vec<folder::Entry> =
        serde_json::from_value(sealed["files"].clone()).unwrap_or_default();
    // First list old and new files alike (without checksums), then move the new in.
    let old: Vec<folder::Entry> = folder::read_manifest(out)
        .and_then(|m| serde_json::from_value(m["files"].clone()).ok())
        .unwrap_or_default();
    let points_folder = ["points".to_string()];
    let mut both: Vec<folder::Entry> = old
        .iter()
        .chain(&new)
        .map(|e| folder::Entry {
            path: e.path.clone(),
            bytes: e.bytes,
            sha256: None,
        })
        .collect();
    both.sort_by(|a, b| a.path.cmp(&b.path));
    both.dedup_by(|a, b| a.path == b.path);
    let mut interim = folder::read_manifest(out).unwrap_or_else(|| manifest.clone());
    // Sizes are not known until the move: list them as of either version.
    interim["assembling"] = json!(true);
    folder::write_manifest_fields(out, &mut interim, both, &points_folder)
        .map_err(OutputError::from)?;
    for entry in &new {
        let (from, to) = (stage.join(&entry.path), out.join(&entry.path));
        fs::rename(&from, &to).map_err(|e| OutputError::from_io(&to, e))?;
    }
    for entry in old.iter().filter(|o| new.iter().all(|n| n.path != o.path)) {
        let _ = fs::remove_file(out.join(&entry.path));
    }
    let mut sealed = sealed;
    folder::write_manifest_fields(out, &mut sealed, new, &points_folder)
        .map_err(OutputError::from)?;
    Ok(())
}

/// Joins slices of one sweep (folders written with `--shard`) into `out`, refusing
/// slices of different scenarios and damaged slices: every file of every slice and
/// point must match the size and checksum recorded when it was written, and every
/// point must record its swept values. The merged folder appears whole or not at all.
/// `decorate` draws the merged folder's plots and report (or nothing).
pub fn merge(dirs: &[PathBuf], out: &Path, decorate: Decorate) -> Result<usize, SweepError> {
    let mut infos = Vec::new();
    let mut points: Vec<(String, PathBuf)> = Vec::new();
    for dir in dirs {
        let manifest = folder::read_manifest(dir)
            .filter(|m| m["kind"] == "sweep")
            .ok_or_else(|| SweepError::NotSweep(dir.clone()))?;
        let info = SweepInfo::read(dir, &manifest)?;
        check_intact(dir)?;
        for (_, point) in finished_points(dir)? {
            check_intact(&point)?;
            point_values(&point, &info.keys)?;
            let name = point.file_name().unwrap_or_default().to_string_lossy();
            if points.iter().all(|(n, _)| *n != name) {
                points.push((name.into_owned(), point));
            }
        }
        infos.push(info);
    }
    let first = infos
        .first()
        .cloned()
        .ok_or_else(|| SweepError::NotSweep(out.to_path_buf()))?;
    for (dir, info) in dirs.iter().zip(&infos).skip(1) {
        if info.hashes != first.hashes || info.spec != first.spec {
            return Err(SweepError::Mismatch(
                dirs[0].clone(),
                dir.clone(),
                first.source.sha256.clone(),
                info.source.sha256.clone(),
            ));
        }
    }
    points.sort();
    let count = points.len();
    folder::replace_dir(out, &["points"], |tmp| -> Result<(), SweepError> {
        let target = tmp.join("points");
        fs::create_dir(&target).map_err(|e| OutputError::from_io(&target, e))?;
        for (name, point) in &points {
            copy_dir(point, &target.join(name))?;
        }
        assemble(tmp, &first, decorate)
    })?;
    Ok(count)
}

/// Refuses a folder whose listed files are missing or differ from what was written.
fn check_intact(dir: &Path) -> Result<(), SweepError> {
    let bad = folder::verify_listed(dir).map_err(OutputError::from)?;
    if bad.is_empty() {
        return Ok(());
    }
    Err(SweepError::Damaged {
        path: dir.to_path_buf(),
        problem: format!(
            "{} missing or not as written (size or checksum differs from its manifest; truncated or edited?)",
            bad.join(", ")
        ),
    })
}

/// Copies a point folder's files.
fn copy_dir(from: &Path, to: &Path) -> Result<(), SweepError> {
    fs::create_dir(to).map_err(|e| OutputError::from_io(to, e))?;
    for entry in fs::read_dir(from).map_err(|e| OutputError::from_io(from, e))? {
        let entry = entry.map_err(|e| OutputError::from_io(from, e))?;
        fs::copy(entry.path(), to.join(entry.file_name()))
            .map_err(|e| OutputError::from_io(&entry.path(), e))?;
    }
    Ok(())
}

/// A short table of a sweep folder's headline metric per point (mean and 95% interval
/// over replicates): cumulative profit for the marketing model, final share otherwise.
/// Long sweeps show their ten best points.
pub fn headline_table(out: &Path) -> Result<String, SweepError> {
    let path = out.join(results::SUMMARY);
    let csv_err = |e: csv::Error| OutputError::from_io(&path, e.into());
    let mut r = csv::Reader::from_path(&path).map_err(csv_err)?;
    let header = r.headers().map_err(csv_err)?.clone();
    let metric = ["cumulative_profit", "final_share"]
        .into_iter()
        .find(|m| header.iter().any(|h| h == *m))
        .unwrap_or("final_adopters");
    let k = header.iter().position(|h| h == metric).unwrap_or(0);
    let replicate = header.iter().position(|h| h == "replicate").unwrap_or(1);
    let mut by_point: Vec<(String, String, Vec<f64>)> = Vec::new();
    for record in r.records() {
        let record = record.map_err(csv_err)?;
        let point = record[0].to_string();
        let params = (1..replicate)
            .map(|i| format!("{}={}", &header[i], &record[i]))
            .collect::<Vec<_>>()
            .join(" ");
        let value: f64 = record[k].parse().unwrap_or(f64::NAN);
        match by_point.last_mut() {
            Some((p, _, values)) if *p == point => values.push(value),
            _ => by_point.push((point, params, vec![value])),
        }
    }
    let mut rows: Vec<(String, String, crate::metrics::Interval)> = by_point
        .into_iter()
        .filter_map(|(p, params, v)| {
            let v: Vec<f64> = v.into_iter().filter(|x| x.is_finite()).collect();
            crate::metrics::Interval::of(&v).map(|i| (p, params, i))
        })
        .collect();
    let shown = if rows.len() > 20 {
        rows.sort_by(|a, b| b.2.mean.total_cmp(&a.2.mean));
        rows.truncate(10);
        "the ten best points by "
    } else {
        ""
    };
    let mut text = format!("{shown}{metric}, mean and 95% interval over replicates:\n");
    for (p, params, i) in rows {
        text.push_str(&format!(
            "  point {p:>4}  {params:<60} {:>14.4} {}\n",
            i.mean,
            i.bounds_text(4)
        ));
    }
    Ok(text)
}
