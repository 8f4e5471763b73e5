//! Parameter sweeps: expands a scenario's `[sweep]` into points, runs each point's
//! replicates (resumable, shardable), and assembles the tidy sweep folder
//! (docs/OUTPUTS.md). `murmur merge` joins the shards of one sweep.
//!
//! `plan` lists the points, `resume` checks a folder that already holds some,
//! `assemble` writes the sweep's files from the finished points and `merge` joins
//! slices; this module runs the points.

mod assemble;
mod merge;
mod plan;
mod resume;

pub use assemble::{SweepInfo, assemble, headline_table};
pub use merge::{Merged, merge};
pub use plan::{Point, label, layout, parse_shard, point_count, point_sha256, points, slug};

use crate::experiment::{self, Progress, RunError, RunOptions};
use crate::results::folder;
use crate::results::{self, Decorate, OutputError, Source};
use crate::scenario::sweep::SweepSpec;
use crate::scenario::{Overrides, ScenarioError};
use rayon::prelude::*;
use serde_json::json;
use std::fs;
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
        "{path} holds {points} finished point(s) of a sweep: pass --resume to continue it, or choose another --out"
    )]
    Unfinished {
        /// The sweep folder.
        path: PathBuf,
        /// How many finished points it holds.
        points: usize,
    },
    /// Slices of different scenarios cannot be merged.
    #[error(
        "cannot merge {first} and {other}: they are slices of different scenarios (scenario hashes {first_sha256} and {other_sha256})"
    )]
    Mismatch {
        /// The first slice given.
        first: PathBuf,
        /// The slice that differs from it.
        other: PathBuf,
        /// SHA-256 of the first slice's scenario file.
        first_sha256: String,
        /// SHA-256 of the other slice's scenario file.
        other_sha256: String,
    },
    /// A folder is neither a sweep folder nor a slice of a run.
    #[error(
        "{path} is not a murmur sweep folder or slice of a run (its manifest.json is missing, or not of kind \"sweep\", or of kind \"run\" without shard_replicates)"
    )]
    NotSweep {
        /// The folder.
        path: PathBuf,
    },
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
    /// The slices of a run split with `--shard` do not hold each replicate exactly
    /// once.
    #[error("cannot merge the slices of {scenario}: {problem}")]
    Coverage {
        /// The scenario file the slices ran.
        scenario: String,
        /// Which replicates are missing or held twice, and by which slices.
        problem: String,
    },
    /// More slices than replicates: some slice would run none.
    #[error(
        "--shard {text}: the run has only {replicates} replicate(s), so at most {replicates} slices; use --shard K/{replicates} or fewer"
    )]
    TooManyShards {
        /// The text given to `--shard`.
        text: String,
        /// The run's replicates.
        replicates: u32,
    },
    /// A shard specification is malformed.
    #[error("--shard {text}: expected K/N with 1 ≤ K ≤ N, e.g. --shard 2/8")]
    Shard {
        /// The text given to `--shard`.
        text: String,
    },
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
    resume::prepare_folder(out, &info, options.resume)?;
    fs::create_dir_all(&points_dir).map_err(|e| OutputError::from_io(&points_dir, e))?;
    let (done, pending): (Vec<&Point>, Vec<&Point>) = selected
        .iter()
        .partition(|p| folder::read_manifest(&points_dir.join(slug(p))).is_some());
    let batch = Batch {
        file,
        points_dir: &points_dir,
        source,
        options,
    };
    batch.run(&pending, &done)?;
    assemble(out, &info, options.decorate)?;
    Ok(SweepSummary {
        total,
        selected: selected.len(),
        ran: pending.len(),
        skipped: done.len(),
        wall_seconds: started.elapsed().as_secs_f64(),
    })
}

/// The points of one sweep run, and where their folders go.
struct Batch<'a> {
    /// The scenario file, for messages.
    file: &'a Path,
    /// `out/points`, where each finished point gets its folder.
    points_dir: &'a Path,
    /// The scenario file's path and hash, recorded in each point's manifest.
    source: &'a Source,
    /// How to run.
    options: &'a SweepOptions<'a>,
}

impl Batch<'_> {
    /// Runs the `pending` points in parallel, each into its folder, with one progress
    /// bar counting points and replicates of the selection (`pending` and `done`).
    fn run(&self, pending: &[&Point], done: &[&Point]) -> Result<(), SweepError> {
        let replicate_ticks: u64 = pending.iter().map(|p| replicate_ticks(p)).sum();
        let selected = pending.len() + done.len();
        let total_replicates: usize = pending.iter().chain(done).map(|p| replicates(p)).sum();
        let done_points = AtomicUsize::new(done.len());
        let done_replicates = AtomicUsize::new(done.iter().map(|p| replicates(p)).sum());
        let status = |points: usize, replicates: usize| {
            format!("· points {points}/{selected} · replicates {replicates}/{total_replicates}")
        };
        let run = &self.options.run;
        experiment::with_pool(run.threads, |threads| {
            let progress = Progress::new(replicate_ticks, "replicate-ticks", run.quiet);
            progress.message(status(done.len(), done_replicates.load(Ordering::Relaxed)));
            let result = pending
                .par_iter()
                .try_for_each(|p| -> Result<(), SweepError> {
                    self.run_point(p, &progress, threads)?;
                    let n = done_points.fetch_add(1, Ordering::Relaxed) + 1;
                    let r =
                        done_replicates.fetch_add(replicates(p), Ordering::Relaxed) + replicates(p);
                    progress.message(status(n, r));
                    Ok(())
                });
            progress.finish();
            result
        })
    }

    /// Runs one point's replicates on the pool's `threads` and writes its folder.
    fn run_point(&self, p: &Point, progress: &Progress, threads: usize) -> Result<(), SweepError> {
        let bar = progress.child(replicate_ticks(p), format!("point {}", p.index));
        let outcome = experiment::run_in_pool(
            p.scenario.clone(),
            self.file,
            &self.options.run,
            threads,
            &|| bar.tick(),
        )?;
        drop(bar);
        write_point(&self.points_dir.join(slug(p)), p, &outcome, self.source)
    }
}

/// A point's replicates.
fn replicates(p: &Point) -> usize {
    p.scenario.replicates as usize
}

/// A point's replicates × ticks: its share of the progress bar.
fn replicate_ticks(p: &Point) -> u64 {
    p.scenario.replicates as u64 * crate::engine::ticks_stepped(&p.scenario)
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
