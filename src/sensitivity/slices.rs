//! Long analyses in pieces: `murmur sensitivity --resume` continues an interrupted
//! analysis from the points it kept, and `--shard K/N` runs one contiguous block of
//! the design's points on one machine, for `murmur merge` to join and estimate.
//!
//! Both keep each finished point as rows `point,metric,mean` whose means are written
//! as Rust prints an f64 (the shortest text that reads back to the same bits), so
//! indices estimated from kept or merged points are the ones one uninterrupted process
//! computes, bit for bit. Every file names the resolved scenario's SHA-256: points of
//! another scenario, or of the same one with other settings, are refused.

use super::{Analysis, Means, Plan, run_points};
use crate::experiment::{self, RunError, RunOptions, RunOutcome};
use crate::results::{self, Decorate, OutputError, folder};
use crate::scenario::Scenario;
use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A slice's finished points: `point,metric,mean`, every metric of every point.
pub const RUNS: &str = "sensitivity_runs.csv";
/// A slice's description: its points, the design's size and the scenario it ran.
pub const SLICE: &str = "sensitivity_slice.json";
/// The first line of a journal of kept points, before the scenario's hash.
const JOURNAL_MAGIC: &str = "# murmur sensitivity points of resolved scenario";

/// Which points to run and where to keep them as they finish.
#[derive(Clone, Debug, Default)]
pub struct Schedule {
    /// One slice `(K, N)`: the K-th of N contiguous blocks of the design's points.
    pub shard: Option<(usize, usize)>,
    /// The journal kept points are appended to (and read from, with `resume`).
    pub journal: Option<PathBuf>,
    /// Continue from the journal's points.
    pub resume: bool,
}

/// Why a sensitivity analysis could not run, continue or be merged.
#[derive(Debug, thiserror::Error)]
pub enum SensitivityError {
    /// A run failed or was refused.
    #[error(transparent)]
    Run(#[from] RunError),
    /// Results could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Kept points of an interrupted analysis exist, and `--resume` was not given.
    #[error(
        "{} holds {points} finished point(s) of an interrupted sensitivity analysis into this folder: pass --resume to continue it, or delete that file to start again",
        path.display()
    )]
    Unfinished {
        /// The journal.
        path: PathBuf,
        /// Its points.
        points: usize,
    },
    /// Kept points, or slices, come from another scenario or other settings.
    #[error(
        "{} holds points of another scenario (resolved scenario SHA-256 {found}, this one {expected}): {advice}",
        path.display()
    )]
    Changed {
        /// The journal or slice.
        path: PathBuf,
        /// Its scenario's hash.
        found: String,
        /// The hash it should have.
        expected: String,
        /// What to do.
        advice: &'static str,
    },
    /// A journal or slice file cannot be read as murmur wrote it.
    #[error("{} is damaged: {problem}", path.display())]
    Damaged {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// More slices than points.
    #[error("--shard {k}/{n}: the design has only {points} points, so at most {points} slices")]
    TooManyShards {
        /// K.
        k: usize,
        /// N.
        n: usize,
        /// The design's points.
        points: usize,
    },
    /// The slices given do not hold every point exactly once.
    #[error("cannot merge the sensitivity slices: {problem}")]
    Coverage {
        /// Which points are missing or doubled.
        problem: String,
    },
}

impl From<folder::FolderError> for SensitivityError {
    fn from(e: folder::FolderError) -> Self {
        SensitivityError::Output(e.into())
    }
}

impl SensitivityError {
    /// Whether the user must fix the input (exit code 2) rather than murmur or the
    /// system having failed.
    pub fn is_bad_input(&self) -> bool {
        !matches!(self, SensitivityError::Run(_) | SensitivityError::Output(_))
    }
}

/// The SHA-256 (hex) of a resolved scenario: every default filled in, `--set`,
/// `--seed` and `--replicates` applied.
pub fn scenario_hash(scenario: &Scenario) -> String {
    let json = serde_json::to_string(scenario).unwrap_or_default();
    results::Source::new(Path::new(""), json.as_bytes()).sha256
}

/// [`super::analyse`] on a schedule: all points or one slice's, skipping those the
/// journal kept (with `resume`) and keeping each new one there as it finishes.
/// Returns the analysis (without indices for a slice), the slice's points' means in
/// order, and the scenario's own run.
pub fn analyse_scheduled(
    scenario: &Scenario,
    text: &str,
    file: &Path,
    options: &RunOptions,
    schedule: &Schedule,
) -> Result<(Analysis, Vec<Means>, RunOutcome), SensitivityError> {
    let plan = Plan::new(scenario, text, file).map_err(|e| RunError::Scenario(Box::new(e)))?;
    let total = plan.points.len();
    let range = match schedule.shard {
        None => 0..total,
        Some((k, n)) if n > total => {
            return Err(SensitivityError::TooManyShards {
                k,
                n,
                points: total,
            });
        }
        Some((k, n)) => {
            let r = experiment::shard_range(total as u32, k, n);
            r.start as usize..r.end as usize
        }
    };
    let hash = scenario_hash(scenario);
    let mut kept: BTreeMap<usize, Means> = BTreeMap::new();
    if let Some(journal) = &schedule.journal
        && journal.exists()
    {
        let points = read_journal(journal, &hash)?;
        if !schedule.resume {
            return Err(SensitivityError::Unfinished {
                path: journal.clone(),
                points: points.len(),
            });
        }
        kept = points;
    }
    let todo: Vec<usize> = range.clone().filter(|j| !kept.contains_key(j)).collect();
    let mut journal = match &schedule.journal {
        Some(path) => Some(open_journal(path, &hash)?),
        None => None,
    };
    let mut keep = |point: usize, means: &Means| -> Result<(), SensitivityError> {
        if let Some((path, f)) = journal.as_mut() {
            let mut text = String::new();
            for (metric, mean) in means {
                text += &format!("{point},{metric},{mean}\n");
            }
            f.write_all(text.as_bytes())
                .and_then(|()| f.flush())
                .map_err(|e| OutputError::from_io(path, e))?;
        }
        Ok(())
    };
    let (new, base) = run_points(&plan, scenario, file, options, &todo, &mut keep)?;
    let mut new = todo.into_iter().zip(new).collect::<BTreeMap<_, _>>();
    let runs: Vec<Means> = range
        .clone()
        .map(|j| {
            kept.remove(&j)
                .or_else(|| new.remove(&j))
                .unwrap_or_default()
        })
        .collect();
    let mut analysis = plan.estimate(&runs);
    analysis.first_point = range.start;
    Ok((analysis, runs, base))
}

/// Opens the journal at `path` for appending, writing its header when new.
fn open_journal(path: &Path, hash: &str) -> Result<(PathBuf, fs::File), SensitivityError> {
    let fresh = !path.exists();
    let mut f = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| OutputError::from_io(path, e))?;
    if fresh {
        writeln!(f, "{JOURNAL_MAGIC} {hash}\npoint,metric,mean")
            .map_err(|e| OutputError::from_io(path, e))?;
    }
    Ok((path.to_path_buf(), f))
}

/// The points a journal kept, refused when they are of another scenario. A last line
/// cut short by an interruption is dropped with its point.
fn read_journal(path: &Path, hash: &str) -> Result<BTreeMap<usize, Means>, SensitivityError> {
    let text = fs::read_to_string(path).map_err(|e| OutputError::from_io(path, e))?;
    let first = text.lines().next().unwrap_or_default();
    let found = first.strip_prefix(JOURNAL_MAGIC).map(str::trim);
    let Some(found) = found else {
        return Err(SensitivityError::Damaged {
            path: path.to_path_buf(),
            problem: "its first line is not murmur's".into(),
        });
    };
    if found != hash {
        return Err(SensitivityError::Changed {
            path: path.to_path_buf(),
            found: found.to_string(),
            expected: hash.to_string(),
            advice: "the scenario or its settings changed since the analysis started; delete that file to start again",
        });
    }
    let complete = text.ends_with('\n');
    let mut lines: Vec<&str> = text.lines().skip(2).collect();
    let mut cut = None;
    if !complete && let Some(last) = lines.pop() {
        cut = last.split(',').next().and_then(|p| p.parse::<usize>().ok());
    }
    let mut points = parse_rows(path, lines.into_iter())?;
    if let Some(point) = cut {
        points.remove(&point);
    }
    // A point is kept once all its metrics are: the last point may be partial.
    if let Some((&last, means)) = points.iter().next_back()
        && points
            .values()
            .next()
            .is_some_and(|m| m.len() != means.len())
    {
        points.remove(&last);
    }
    Ok(points)
}

/// Rows `point,metric,mean` grouped by point, in the order read.
fn parse_rows<'a>(
    path: &Path,
    lines: impl Iterator<Item = &'a str>,
) -> Result<BTreeMap<usize, Means>, SensitivityError> {
    let mut points: BTreeMap<usize, Means> = BTreeMap::new();
    for (i, line) in lines.enumerate() {
        let bad = || SensitivityError::Damaged {
            path: path.to_path_buf(),
            problem: format!("row {} is not point,metric,mean: \"{line}\"", i + 1),
        };
        let mut cells = line.splitn(3, ',');
        let (Some(point), Some(metric), Some(mean)) = (cells.next(), cells.next(), cells.next())
        else {
            return Err(bad());
        };
        let point: usize = point.parse().map_err(|_| bad())?;
        let mean: f64 = mean.parse().map_err(|_| bad())?;
        points
            .entry(point)
            .or_default()
            .push((metric.to_string(), mean));
    }
    Ok(points)
}

/// What one slice records about itself in [`SLICE`].
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct SliceInfo {
    /// Its points `[first, end)`.
    points: [usize; 2],
    /// The design's points.
    total: usize,
    /// The resolved scenario's SHA-256.
    scenario_sha256: String,
    /// The scenario file (relative paths in it are relative to its folder).
    scenario_file: PathBuf,
    /// The text analysed: the file with any `--set` applied.
    text: String,
    /// The seed and replicates, with `--seed` and `--replicates` applied.
    seed: u64,
    /// Replicates per point.
    replicates: u32,
}

/// Writes a slice's own files into `dir`: [`RUNS`] and [`SLICE`].
pub fn write_slice(
    dir: &Path,
    scenario: &Scenario,
    text: &str,
    file: &Path,
    analysis: &Analysis,
    runs: &[Means],
) -> Result<(), OutputError> {
    let rows = runs.iter().enumerate().flat_map(|(i, means)| {
        let point = analysis.first_point + i;
        means
            .iter()
            .map(move |(metric, mean)| vec![point.to_string(), metric.clone(), mean.to_string()])
    });
    results::write_table(&dir.join(RUNS), &["point", "metric", "mean"], rows)?;
    let info = SliceInfo {
        points: [analysis.first_point, analysis.first_point + runs.len()],
        total: analysis.points.len(),
        scenario_sha256: scenario_hash(scenario),
        scenario_file: file.to_path_buf(),
        text: text.to_string(),
        seed: scenario.seed,
        replicates: scenario.replicates,
    };
    let path = dir.join(SLICE);
    let json = serde_json::to_string_pretty(&info).unwrap_or_default() + "\n";
    fs::write(&path, json).map_err(|e| OutputError::from_io(&path, e))
}

/// The journal of the analysis written into the results folder `out`: a hidden
/// `.NAME.murmur-sensitivity` file beside it, murmur's own, removed once the folder
/// is written.
pub fn journal_of(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map_or("results".into(), |n| n.to_string_lossy().into_owned());
    folder::parent_of(out).join(format!(".{name}.murmur-sensitivity"))
}

/// Whether `dir` is a slice of a sensitivity analysis.
pub fn is_slice(dir: &Path) -> bool {
    dir.join(SLICE).is_file()
}

/// Joins the slices of one sensitivity analysis (folders written by `murmur
/// sensitivity --shard K/N`) into `out`: the scenario's own run from the slice holding
/// point 0, every point's means, and the indices estimated from all of them — what one
/// process writes. Slices must be intact, of the same resolved scenario, and together
/// hold every point exactly once. Returns the number of points.
pub fn merge(dirs: &[PathBuf], out: &Path, decorate: Decorate) -> Result<usize, SensitivityError> {
    let mut slices: Vec<(PathBuf, SliceInfo)> = Vec::new();
    for dir in dirs {
        let path = dir.join(SLICE);
        let damaged = |problem: String| SensitivityError::Damaged {
            path: dir.clone(),
            problem,
        };
        let bad = folder::verify_listed(dir).map_err(OutputError::from)?;
        if !bad.is_empty() {
            return Err(damaged(format!(
                "{} missing or not as written; re-run that slice",
                bad.join(", ")
            )));
        }
        let text = fs::read_to_string(&path).map_err(|e| OutputError::from_io(&path, e))?;
        let info: SliceInfo =
            serde_json::from_str(&text).map_err(|e| damaged(format!("{SLICE}: {e}")))?;
        slices.push((dir.clone(), info));
    }
    let (first_dir, first) = slices[0].clone();
    for (dir, info) in &slices[1..] {
        if info.scenario_sha256 != first.scenario_sha256 || info.total != first.total {
            return Err(SensitivityError::Changed {
                path: dir.clone(),
                found: info.scenario_sha256.clone(),
                expected: first.scenario_sha256.clone(),
                advice: "slices of one analysis share one scenario and its settings",
            });
        }
    }
    slices.sort_by_key(|(_, info)| info.points);
    slices.dedup_by(|b, a| a.1.points == b.1.points);
    let ranges: Vec<([u64; 2], &Path)> = slices
        .iter()
        .map(|(dir, info)| (info.points.map(|p| p as u64), dir.as_path()))
        .collect();
    let problems = results::slices::coverage(&ranges, first.total as u64, "points");
    if !problems.is_empty() {
        return Err(SensitivityError::Coverage {
            problem: problems.join("; "),
        });
    }
    // The design, from the scenario each slice ran (and checked to be the same).
    let mut scenario = Scenario::from_str_at(&first.text, &first.scenario_file)
        .map_err(|e| RunError::Scenario(Box::new(e)))?;
    scenario.seed = first.seed;
    scenario.replicates = first.replicates;
    let plan = Plan::new(&scenario, &first.text, &first.scenario_file)
        .map_err(|e| RunError::Scenario(Box::new(e)))?;
    let mut runs: Vec<Means> = Vec::with_capacity(first.total);
    for (dir, info) in &slices {
        let path = dir.join(RUNS);
        let text = fs::read_to_string(&path).map_err(|e| OutputError::from_io(&path, e))?;
        let points = parse_rows(&path, text.lines().skip(1))?;
        for j in info.points[0]..info.points[1] {
            let means = points
                .get(&j)
                .cloned()
                .ok_or_else(|| SensitivityError::Damaged {
                    path: path.clone(),
                    problem: format!("point {j} is missing"),
                })?;
            runs.push(means);
        }
    }
    let analysis = plan.estimate(&runs);
    let base = slices
        .iter()
        .find(|(_, info)| info.points[0] == 0)
        .map_or(first_dir, |(dir, _)| dir.clone());
    folder::replace_dir(out, &[], |tmp| -> Result<(), SensitivityError> {
        for name in [
            results::TIMESERIES,
            results::SUMMARY,
            results::COHORTS,
            results::AGENTS,
            results::DEGREES,
        ] {
            let from = base.join(name);
            if from.exists() {
                fs::copy(&from, tmp.join(name)).map_err(|e| OutputError::from_io(&from, e))?;
            }
        }
        let seal = folder::read_manifest(&base).ok_or_else(|| SensitivityError::Damaged {
            path: base.clone(),
            problem: "its manifest.json is missing".into(),
        })?;
        let mut manifest: results::Manifest =
            serde_json::from_value(seal.json().clone()).map_err(|e| SensitivityError::Damaged {
                path: base.clone(),
                problem: format!("manifest.json: {e}"),
            })?;
        manifest.murmur_format = None;
        manifest.files = None;
        manifest.folders = None;
        manifest.build = Some(results::Build::here());
        results::write_manifest(tmp, &manifest)?;
        super::write_csvs(tmp, &analysis)?;
        decorate(tmp).map_err(OutputError::Decorate)?;
        Ok(())
    })?;
    Ok(first.total)
}
