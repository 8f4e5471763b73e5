//! The points of a sweep (docs/OUTPUTS.md, `kind = "sweep"`): how a `[sweep]` table expands
//! into a grid or a Latin hypercube of swept values, how each point's scenario is
//! built and checked, and how a point is named and hashed. Running the points is
//! left to the parent module, assembling their folders to `assemble`.

use super::SweepError;
use crate::rng::{Purpose, StreamKey};
use crate::scenario::sweep::{SweepKind, SweepSpec};
use crate::scenario::{Overrides, Scenario, ScenarioError};
use sha2::{Digest, Sha256};
use std::path::Path;

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
    let bad = || SweepError::Shard {
        text: text.to_string(),
    };
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
        SweepKind::Grid => grid(spec),
        SweepKind::LatinHypercube => latin_hypercube(spec),
    }
}

/// Every combination of the parameters' values, the first parameter varying slowest.
fn grid(spec: &SweepSpec) -> Vec<Vec<toml::Value>> {
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

/// `samples` points, each parameter's [low, high] cut into that many strata and each
/// stratum used once, in an order drawn from the sweep's seed.
fn latin_hypercube(spec: &SweepSpec) -> Vec<Vec<toml::Value>> {
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

/// Sets a dotted key path in a TOML table, creating tables on the way.
pub fn set_path(table: &mut toml::Table, path: &str, value: toml::Value) {
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
pub(super) fn point_index(name: &str) -> Option<usize> {
    let rest = name.strip_prefix("point-")?;
    let (index, hash) = rest.split_once('-')?;
    let hex = hash.len() == 12 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    (hex && index.len() >= 5 && index.bytes().all(|b| b.is_ascii_digit()))
        .then(|| index.parse().ok())
        .flatten()
}
