//! `murmur merge` (docs/OUTPUTS.md, "When murmur replaces a folder"): joins the slices of one sweep,
//! or of one run split with `--shard`, refusing slices of different scenarios and
//! damaged ones. A merged sweep folder is assembled like any sweep folder, by
//! `assemble`; a merged run's tables are its slices' rows joined in replicate order,
//! byte for byte what one process would have written.

use super::SweepError;
use super::assemble::{SweepInfo, assemble, point_values};
use super::resume::finished_points;
use crate::results::folder;
use crate::results::{self, Decorate, Manifest, OutputError};
use std::fs;
use std::path::{Path, PathBuf};

/// Joins slices of one sweep (folders written with `--shard`) into `out`, refusing
/// slices of different scenarios and damaged slices: every file of every slice and
/// point must match the size and checksum recorded when it was written, and every
/// point must record its swept values. The merged folder appears whole or not at all.
/// `decorate` draws the merged folder's plots and report (or nothing).
pub fn merge(dirs: &[PathBuf], out: &Path, decorate: Decorate) -> Result<Merged, SweepError> {
    let first = dirs.first().and_then(|d| folder::read_manifest(d));
    if first.is_some_and(|m| m.get("kind").is_some_and(|k| k == "run")) {
        return merge_run(dirs, out, decorate).map(Merged::Replicates);
    }
    merge_sweep(dirs, out, decorate).map(Merged::Points)
}

/// What `murmur merge` joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merged {
    /// The points of a sweep.
    Points(usize),
    /// The replicates of a run.
    Replicates(u32),
}

/// The tables of a run folder that hold one block of rows per replicate, in
/// replicate order: a merged run joins its slices' rows.
const PER_REPLICATE: [&str; 4] = [
    results::TIMESERIES,
    results::SUMMARY,
    results::COHORTS,
    results::AGENTS,
];

/// One slice of a run: its folder, manifest and replicates `[first, end)`.
struct Slice {
    dir: PathBuf,
    manifest: Manifest,
    range: [u32; 2],
}

/// Joins the slices of one run (folders written by `murmur run --shard K/N`), which
/// must come from the same scenario, be intact, and together hold each replicate
/// exactly once. Returns the number of replicates.
fn merge_run(dirs: &[PathBuf], out: &Path, decorate: Decorate) -> Result<u32, SweepError> {
    let mut slices = Vec::new();
    for dir in dirs {
        let not_slice = || SweepError::NotSweep { path: dir.clone() };
        let seal = folder::read_manifest(dir).ok_or_else(not_slice)?;
        let manifest: Manifest =
            serde_json::from_value(seal.json().clone()).map_err(|_| not_slice())?;
        let range = manifest.shard_replicates.ok_or_else(not_slice)?;
        check_intact(dir)?;
        slices.push(Slice {
            dir: dir.clone(),
            manifest,
            range,
        });
    }
    let first = &slices[0];
    for other in &slices[1..] {
        let (a, b) = (&first.manifest, &other.manifest);
        if a.scenario_sha256 != b.scenario_sha256
            || a.scenario != b.scenario
            || a.replicates != b.replicates
        {
            return Err(SweepError::Mismatch {
                first: first.dir.clone(),
                other: other.dir.clone(),
                first_sha256: a.scenario_sha256.clone().unwrap_or_default(),
                other_sha256: b.scenario_sha256.clone().unwrap_or_default(),
            });
        }
    }
    let scenario = first
        .manifest
        .scenario_file
        .as_ref()
        .map_or_else(String::new, |f| f.display().to_string());
    let total = first
        .manifest
        .replicates
        .as_ref()
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0) as u32;
    slices.sort_by_key(|s| s.range);
    slices.dedup_by(|b, a| a.range == b.range);
    let ranges: Vec<([u64; 2], &Path)> = slices
        .iter()
        .map(|s| (s.range.map(u64::from), s.dir.as_path()))
        .collect();
    let gaps = results::slices::coverage(&ranges, u64::from(total), "replicates");
    if !gaps.is_empty() {
        return Err(SweepError::Coverage {
            scenario,
            problem: gaps.join("; "),
        });
    }
    folder::replace_dir(out, &[], |tmp| -> Result<(), SweepError> {
        for name in PER_REPLICATE {
            join_rows(&slices, name, &tmp.join(name))?;
        }
        let degrees = slices[0].dir.join(results::DEGREES);
        fs::copy(&degrees, tmp.join(results::DEGREES))
            .map_err(|e| OutputError::from_io(&degrees, e))?;
        let mut manifest = slices[0].manifest.clone();
        manifest.shard_replicates = None;
        manifest.murmur_format = None;
        manifest.files = None;
        manifest.folders = None;
        manifest.build = Some(results::Build::here());
        manifest.threads = slices.iter().filter_map(|s| s.manifest.threads).max();
        manifest.wall_seconds = Some(slices.iter().filter_map(|s| s.manifest.wall_seconds).sum());
        results::write_manifest(tmp, &manifest)?;
        decorate(tmp).map_err(OutputError::Decorate)?;
        Ok(())
    })?;
    Ok(total)
}

/// Writes `to`: the header of the slices' file `name`, then each slice's rows in
/// order. Absent from every slice, nothing is written; absent from some, or with
/// different headers, the slices are damaged.
fn join_rows(slices: &[Slice], name: &str, to: &Path) -> Result<(), SweepError> {
    let present: Vec<bool> = slices.iter().map(|s| s.dir.join(name).exists()).collect();
    if present.iter().all(|p| !p) {
        return Ok(());
    }
    let mut joined: Vec<u8> = Vec::new();
    let mut header: Option<Vec<u8>> = None;
    for (slice, present) in slices.iter().zip(present) {
        let path = slice.dir.join(name);
        if !present {
            return Err(SweepError::Damaged {
                path: slice.dir.clone(),
                problem: format!("{name} is missing while other slices have it"),
            });
        }
        let bytes = fs::read(&path).map_err(|e| OutputError::from_io(&path, e))?;
        let cut = bytes
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| i + 1);
        let (head, rows) = bytes.split_at(cut);
        match &header {
            None => {
                joined.extend_from_slice(head);
                header = Some(head.to_vec());
            }
            Some(h) if h.as_slice() != head => {
                return Err(SweepError::Damaged {
                    path: path.clone(),
                    problem: "its header differs from the first slice's".into(),
                });
            }
            Some(_) => {}
        }
        joined.extend_from_slice(rows);
    }
    fs::write(to, joined).map_err(|e| OutputError::from_io(to, e).into())
}

/// Joins slices of one sweep (see [`merge`]).
fn merge_sweep(dirs: &[PathBuf], out: &Path, decorate: Decorate) -> Result<usize, SweepError> {
    let mut infos = Vec::new();
    let mut points: Vec<(String, PathBuf)> = Vec::new();
    for dir in dirs {
        let manifest = folder::read_manifest(dir)
            .filter(|m| m.get("kind").is_some_and(|k| k == "sweep"))
            .ok_or_else(|| SweepError::NotSweep { path: dir.clone() })?;
        let info = SweepInfo::read(dir, manifest.json())?;
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
    let first = infos.first().cloned().ok_or_else(|| SweepError::NotSweep {
        path: out.to_path_buf(),
    })?;
    for (dir, info) in dirs.iter().zip(&infos).skip(1) {
        if info.hashes != first.hashes || info.spec != first.spec {
            return Err(SweepError::Mismatch {
                first: dirs[0].clone(),
                other: dir.clone(),
                first_sha256: first.source.sha256.clone(),
                other_sha256: info.source.sha256.clone(),
            });
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
