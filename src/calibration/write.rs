//! The files of `murmur calibrate` (docs/OUTPUTS.md): `posterior.csv`,
//! `calibration.csv`, `calibration_generations.csv`, `fit.csv` and `calibrated.toml`,
//! and the table printed at the end.

use super::{Calibration, Summary, abc};
use crate::results::{self, OutputError, number};
use crate::scenario::Scenario;
use crate::scenario::calibration::CalibrationSpec;
use std::path::Path;

/// The comment lines `calibrated.toml` starts with: what was fitted to what, and each
/// parameter's posterior mean with its 95% interval.
pub(super) fn calibrated_head(
    scenario: &Scenario,
    spec: &CalibrationSpec,
    observed: &super::Observed,
    summaries: &[Summary],
) -> String {
    let mut head = format!(
        "# murmur calibrate: {} fitted to {} ({}) by {} ({} particles).\n\
         # Each fitted key is set to its posterior mean; 95% intervals:\n",
        scenario.name,
        observed
            .path
            .file_name()
            .map_or(String::new(), |f| f.to_string_lossy().into_owned()),
        observed.columns.join(", "),
        spec.method.name(),
        spec.particles,
    );
    for s in summaries {
        head += &format!(
            "#   {} = {} [{}, {}]\n",
            s.parameter.key,
            number(s.mean),
            number(s.low),
            number(s.high)
        );
    }
    head
}

/// A parameter's value as the scenario reads it (whole keys rounded down).
fn shown(p: &crate::scenario::uncertainty::UncertainParameter, x: f64) -> String {
    if p.whole {
        number(x.floor())
    } else {
        number(x)
    }
}

/// Writes the calibration's files into `dir`.
pub fn write_files(dir: &Path, c: &Calibration) -> Result<(), OutputError> {
    let table = |name: &str, header: Vec<String>, rows: Vec<Vec<String>>| {
        results::write_table(&dir.join(name), &header, rows)
    };
    let own = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let parameters = &c.spec.parameters;
    let pop = &c.abc.population;
    let mut header: Vec<String> = parameters.iter().map(|p| p.key.clone()).collect();
    header.extend(own(&results::POSTERIOR_COLUMNS));
    let rows = pop
        .values
        .iter()
        .zip(&pop.weights)
        .zip(&pop.distances)
        .map(|((v, &w), &d)| {
            let mut row: Vec<String> = parameters
                .iter()
                .zip(v)
                .map(|(p, &x)| shown(p, x))
                .collect();
            row.extend([number(w), number(d)]);
            row
        })
        .collect();
    table(results::POSTERIOR, header, rows)?;
    let rows = c
        .summaries
        .iter()
        .map(|s| {
            let mut row = vec![s.parameter.key.clone()];
            row.extend(
                [
                    s.mean,
                    s.median,
                    s.low,
                    s.high,
                    s.parameter.low,
                    s.parameter.high,
                ]
                .map(number),
            );
            row
        })
        .collect();
    table(
        results::CALIBRATION,
        own(&results::CALIBRATION_COLUMNS),
        rows,
    )?;
    let rows = c
        .abc
        .generations
        .iter()
        .enumerate()
        .map(|(g, x)| {
            vec![
                g.to_string(),
                number(x.tolerance),
                x.proposals.to_string(),
                x.accepted.to_string(),
                number(x.acceptance),
                number(x.ess),
            ]
        })
        .collect();
    table(
        results::CALIBRATION_GENERATIONS,
        own(&results::CALIBRATION_GENERATIONS_COLUMNS),
        rows,
    )?;
    table(results::FIT, own(&results::FIT_COLUMNS), fit_rows(c))?;
    let path = dir.join(results::CALIBRATED);
    std::fs::write(&path, &c.calibrated).map_err(results::io(&path))
}

/// The rows of `fit.csv`: per fitted column and tick 0..=ticks, the observation (empty
/// where none), the calibrated run's mean and the predictive runs' 2.5% and 97.5%
/// quantiles.
fn fit_rows(c: &Calibration) -> Vec<Vec<String>> {
    let n = c.fitted.scenario.population.size;
    let mut rows = Vec::new();
    for (j, column) in c.observed.columns.iter().enumerate() {
        let fitted = super::mean_series(&c.fitted.series, column, n);
        for (t, f) in fitted.iter().enumerate() {
            let observed = c
                .observed
                .ticks
                .iter()
                .position(|&x| x as usize == t)
                .map_or(f64::NAN, |k| c.observed.values[j][k]);
            let draws: Vec<f64> = c
                .predictive
                .iter()
                .filter_map(|d| d[j].get(t).copied())
                .collect();
            let (low, high) = if draws.is_empty() {
                (f64::NAN, f64::NAN)
            } else {
                (abc::quantile(&draws, 0.025), abc::quantile(&draws, 0.975))
            };
            rows.push(vec![
                t.to_string(),
                column.clone(),
                number(observed),
                number(*f),
                number(low),
                number(high),
            ]);
        }
    }
    rows
}

/// Each parameter's posterior mean and 95% interval against its prior, and the
/// generations' tolerances, as a text table for the end of the command.
pub fn table(c: &Calibration) -> String {
    let g = &c.abc.generations;
    let last = g.last().map_or(f64::NAN, |x| x.tolerance);
    let mut out = format!(
        "ABC-SMC: {} generations after the prior's, {} simulations in {:.1} s; final tolerance {:.4}, acceptance {:.3}\n",
        g.len() - 1,
        c.simulations,
        c.seconds,
        last,
        g.last().map_or(f64::NAN, |x| x.acceptance),
    );
    out += &format!(
        "{:<40} {:>12} {:>28} {:>24}\n",
        "parameter", "mean", "95% interval", "prior"
    );
    for s in &c.summaries {
        out += &format!(
            "{:<40} {:>12.6} {:>28} {:>24}\n",
            s.parameter.key,
            s.mean,
            format!("[{:.6}, {:.6}]", s.low, s.high),
            format!(
                "[{}, {}]",
                number(s.parameter.low),
                number(s.parameter.high)
            ),
        );
    }
    out
}
