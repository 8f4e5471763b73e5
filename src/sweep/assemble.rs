//! Assembling a sweep folder (docs/OUTPUTS.md, `kind = "sweep"`): what its manifest records
//! ([`SweepInfo`]), the tidy files drawn from its finished points, the staged move
//! that keeps an interrupted assembly provable, and the headline table printed after.
//! Finding the finished points is left to `resume`, running them to the parent module.

use super::SweepError;
use super::plan::{Point, point_sha256};
use super::resume::finished_points;
use crate::results::folder;
use crate::results::{self, Decorate, OutputError, Source, atomic_file};
use crate::scenario::sweep::SweepSpec;
use serde_json::json;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

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
    pub(super) fn new(
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
    pub(super) fn manifest(&self, finished: &[usize]) -> serde_json::Value {
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
    pub(super) fn read(dir: &Path, manifest: &serde_json::Value) -> Result<SweepInfo, SweepError> {
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

/// Reads the swept values a point folder records in its point.json; every swept key
/// must have a value.
pub(super) fn point_values(dir: &Path, keys: &[String]) -> Result<Vec<String>, SweepError> {
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

/// [`assemble`] of `out`, drawing its files in the staging folder `stage`.
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
    let manifest = folder::Seal::new(info.manifest(&finished), Vec::new(), Vec::new());
    folder::write_manifest(stage, &manifest).map_err(OutputError::from)?;
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
    mut sealed: folder::Seal,
    manifest: &folder::Seal,
) -> Result<(), SweepError> {
    let new = sealed.files.clone();
    // First list old and new files alike (without checksums), then move the new in.
    let old = folder::read_manifest(out)
        .map(|m| m.files)
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
    interim.set("assembling", json!(true));
    interim.files = both;
    interim.folders = points_folder.to_vec();
    folder::write_manifest(out, &interim).map_err(OutputError::from)?;
    for entry in &new {
        let (from, to) = (stage.join(&entry.path), out.join(&entry.path));
        fs::rename(&from, &to).map_err(|e| OutputError::from_io(&to, e))?;
    }
    for entry in old.iter().filter(|o| new.iter().all(|n| n.path != o.path)) {
        let _ = fs::remove_file(out.join(&entry.path));
    }
    sealed.files = new;
    sealed.folders = points_folder.to_vec();
    folder::write_manifest(out, &sealed).map_err(OutputError::from)?;
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
