//! Limits checked before any work starts: a sweep's point count and the memory of
//! its point list (counted without listing the points), and the disk space its
//! results need. Runs check their own memory in [`crate::experiment::check_memory`].

use crate::experiment::{RunError, RunOptions, available_memory, estimate_text, human_bytes};
use crate::scenario::Scenario;
use crate::scenario::sweep::SweepSpec;
use crate::sweep::{Point, point_count};
use std::path::Path;

/// Bytes one CSV cell takes on disk, on average (a number and its comma).
const BYTES_PER_CELL: u128 = 12;

/// Columns of timeseries.csv besides the model's own: replicate, tick, adopters,
/// share, new_adopters.
const BASE_SERIES_COLUMNS: u128 = 5;

/// Bytes of one listed point while a sweep is expanded: the point with its scenario
/// (about the scenario text's size again on the heap) and, per swept parameter, its
/// key and value, held twice (the layout and the point).
fn bytes_per_point(spec: &SweepSpec, text_len: usize) -> u128 {
    let per_value = std::mem::size_of::<(String, toml::Value)>() + 64;
    (std::mem::size_of::<Point>() + text_len) as u128
        + 2 * (spec.parameters.len() * per_value) as u128
}

/// Refuses a sweep whose points cannot be listed: more than a u64 can count, or a
/// point list larger than the memory available. Checked before any point is made.
/// Returns the number of points.
pub fn check_point_list(spec: &SweepSpec, text_len: usize) -> Result<u64, RunError> {
    let available = available_memory();
    let Some(count) = point_count(spec) else {
        return Err(RunError::TooManyPoints {
            points: format!("more than {}", u64::MAX),
            needed: estimate_text(u64::MAX),
            available: available.map_or("an unknown amount".into(), human_bytes),
        });
    };
    let needed = u128::from(count) * bytes_per_point(spec, text_len);
    let needed = u64::try_from(needed).unwrap_or(u64::MAX);
    // Without a figure for the memory, the index of a point must still fit a usize.
    let fits = match available {
        Some(available) => needed <= available,
        None => usize::try_from(count).is_ok(),
    };
    if !fits {
        return Err(RunError::TooManyPoints {
            points: count.to_string(),
            needed: estimate_text(needed),
            available: available.map_or("an unknown amount".into(), human_bytes),
        });
    }
    Ok(count)
}

/// The largest value a sweep gives the numeric key `key` (the grid's largest value
/// or the Latin hypercube's upper bound), or `base` when the key is not swept.
fn swept_max(spec: &SweepSpec, key: &str, base: u128) -> u128 {
    let Some(p) = spec.parameters.iter().find(|p| p.key == key) else {
        return base;
    };
    p.values
        .iter()
        .filter_map(|v| v.as_integer().map(|i| i as f64).or_else(|| v.as_float()))
        .filter(|x| x.is_finite() && *x >= 0.0)
        .map(|x| x as u128)
        .max()
        .unwrap_or(base)
}

/// Estimated disk bytes of one run's results with `ticks` (the horizon + 1),
/// `replicates` and `agents`: its timeseries.csv (replicates × ticks × columns of
/// cells), its cohorts.csv (replicates × cohort rows × columns), its agents.csv with
/// `--agents`, and a little more for its other files.
fn run_disk_bytes(
    base: &Scenario,
    ticks: u128,
    replicates: u128,
    agents: u128,
    options: &RunOptions,
) -> u128 {
    let columns = BASE_SERIES_COLUMNS + crate::engine::series_columns(&base.model) as u128;
    let series = replicates * ticks * columns * BYTES_PER_CELL;
    let agent_columns = crate::engine::agent_columns(&base.model) as u128;
    let table = if options.agents {
        replicates * agents * agent_columns * BYTES_PER_CELL
    } else {
        0
    };
    let horizon = u32::try_from(ticks.saturating_sub(1)).unwrap_or(u32::MAX);
    let cohorts = replicates
        * crate::engine::cohort_rows(&base.model, horizon)
        * crate::results::COHORTS_COLUMNS.len() as u128
        * BYTES_PER_CELL;
    series + cohorts + table + 64 * 1024
}

/// Estimated disk bytes of a sweep's results: each point's files as a run's
/// ([`run_disk_bytes`]), its timeseries.csv once more in the assembled file. Takes the
/// swept maximum of ticks, replicates and population size, and `points` points.
pub fn sweep_disk_bytes(
    spec: &SweepSpec,
    base: &Scenario,
    points: u64,
    options: &RunOptions,
) -> u64 {
    let ticks = swept_max(spec, "ticks", u128::from(base.ticks)) + 1;
    let replicates = swept_max(spec, "replicates", u128::from(base.replicates));
    let agents = swept_max(spec, "population.size", base.population.size as u128);
    let columns = BASE_SERIES_COLUMNS + crate::engine::series_columns(&base.model) as u128;
    let assembled = replicates * ticks * columns * BYTES_PER_CELL;
    let per_point = run_disk_bytes(base, ticks, replicates, agents, options) + assembled;
    u64::try_from(u128::from(points) * per_point).unwrap_or(u64::MAX)
}

/// Refuses a run whose results would not fit on the disk where `out` is.
pub fn check_run(scenario: &Scenario, out: &Path, options: &RunOptions) -> Result<(), RunError> {
    let needed = run_disk_bytes(
        scenario,
        u128::from(scenario.ticks) + 1,
        u128::from(scenario.replicates),
        scenario.population.size as u128,
        options,
    );
    fits_on_disk(u64::try_from(needed).unwrap_or(u64::MAX), out)
}

/// Refuses files of `needed` bytes (an estimate) that would not fit where `out` is:
/// [`check_run`] for a command that knows its bytes, such as `murmur network`.
pub fn check_disk(needed: u64, out: &Path) -> Result<(), RunError> {
    fits_on_disk(needed, out)
}

/// Refuses results of `needed` bytes that would not fit where `out` is.
fn fits_on_disk(needed: u64, out: &Path) -> Result<(), RunError> {
    if let Some(available) = available_disk(out)
        && needed > available
    {
        return Err(RunError::NoDisk {
            needed: estimate_text(needed),
            available: human_bytes(available),
            out: out.to_path_buf(),
        });
    }
    Ok(())
}

/// Free disk space where `out` is or would be made (its nearest existing ancestor).
pub fn available_disk(out: &Path) -> Option<u64> {
    let absolute = std::path::absolute(out).ok()?;
    let existing = absolute.ancestors().find(|p| p.exists())?;
    fs4::available_space(existing).ok()
}

/// Refuses a sweep whose points cannot be listed ([`check_point_list`]) or whose
/// results (of this shard's points not yet finished in `out`) would not fit on the
/// disk where `out` is.
pub fn check_sweep(
    spec: &SweepSpec,
    text_len: usize,
    base: &Scenario,
    out: &Path,
    options: &RunOptions,
    shard: Option<(usize, usize)>,
) -> Result<u64, RunError> {
    let count = check_point_list(spec, text_len)?;
    let selected = match shard {
        Some((_, n)) => count.div_ceil(n.max(1) as u64),
        None => count,
    };
    // Points already finished (a resumed sweep) are on the disk: only the rest count.
    let finished = std::fs::read_dir(out.join("points")).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .count()
    }) as u64;
    let needed = sweep_disk_bytes(spec, base, selected.saturating_sub(finished), options);
    fits_on_disk(needed, out)?;
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::sweep::SweepKind;

    fn spec(kind: SweepKind, samples: u32, values: &[usize]) -> SweepSpec {
        SweepSpec {
            kind,
            samples,
            seed: 1,
            parameters: values
                .iter()
                .enumerate()
                .map(|(i, &n)| crate::scenario::sweep::SweepParameter {
                    key: format!("k{i}"),
                    values: (0..n as i64).map(toml::Value::Integer).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn point_counts_are_checked_not_wrapped() {
        assert_eq!(point_count(&spec(SweepKind::Grid, 0, &[2, 3])), Some(6));
        assert_eq!(
            point_count(&spec(SweepKind::Grid, 0, &[100; 6])),
            Some(10u64.pow(12))
        );
        // 2^16 values in each of 4 parameters is 2^64 points: one too many for a u64.
        let huge = spec(SweepKind::Grid, 0, &[1 << 16; 4]);
        assert_eq!(point_count(&huge), None);
        assert!(matches!(
            check_point_list(&huge, 100),
            Err(RunError::TooManyPoints { .. })
        ));
        let lhs = spec(SweepKind::LatinHypercube, u32::MAX, &[2]);
        assert_eq!(point_count(&lhs), Some(u64::from(u32::MAX)));
    }
}
