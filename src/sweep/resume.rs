//! Continuing a sweep (`--resume`, docs/OUTPUTS.md "When murmur replaces a folder"):
//! whether a folder may take this sweep, which of its points are finished, and which
//! scenario keys changed since it started. Running the points is left to the parent
//! module, assembling them to `assemble`.

use super::SweepError;
use super::assemble::SweepInfo;
use super::plan::point_index;
use crate::results::OutputError;
use crate::results::folder::{self, State};
use serde_json::json;
use std::fs;
use std::path::{Path, PathBuf};

/// Makes `out` ready for the sweep described by `info`: a murmur sweep folder is
/// continued only with `resume` (and only when its scenario has not changed), another
/// kind of murmur folder is replaced, and a new sweep is marked as murmur's, with its
/// points' hashes, before its first point is written.
pub(super) fn prepare_folder(out: &Path, info: &SweepInfo, resume: bool) -> Result<(), SweepError> {
    let points_dir = out.join("points");
    match folder::inspect(out).map_err(OutputError::from)? {
        State::Owned(stored) if stored.get("kind").is_some_and(|k| k == "sweep") => {
            let present = finished_points(out)?.len();
            if present > 0 && !resume {
                return Err(SweepError::Unfinished {
                    path: out.to_path_buf(),
                    points: present,
                });
            }
            if resume {
                check_unchanged(out, stored.json(), info)?;
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
        let earlier = folder::read_manifest(out)
            .map(|m| m.files)
            .unwrap_or_default();
        let manifest = folder::Seal::new(info.manifest(&[]), earlier, vec!["points".into()]);
        folder::write_manifest(out, &manifest).map_err(OutputError::from)?;
    }
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

/// The finished points under `out/points`, as (index, folder), in index order: folders
/// named like a point that carry murmur's manifest. Murmur's hidden temporaries (of a
/// killed run) and anything else are not points.
pub(super) fn finished_points(out: &Path) -> Result<Vec<(usize, PathBuf)>, SweepError> {
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
