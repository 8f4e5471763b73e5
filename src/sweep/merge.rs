//! `murmur merge` (docs/OUTPUTS.md, "When murmur replaces a folder"): joins the slices of one sweep,
//! refusing slices of different scenarios and damaged ones. The merged folder is
//! assembled like any sweep folder, by `assemble`.

use super::SweepError;
use super::assemble::{SweepInfo, assemble, point_values};
use super::resume::finished_points;
use crate::results::folder;
use crate::results::{Decorate, OutputError};
use std::fs;
use std::path::{Path, PathBuf};

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
