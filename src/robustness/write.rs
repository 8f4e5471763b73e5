//! The robustness check's files (docs/OUTPUTS.md): `robustness.csv`,
//! `robustness_parameters.csv`, `uncertain_draws.csv`, `uncertain_outcomes.csv`, and
//! the comparison folder written with them.

use super::{Robustness, sentences};
use crate::compare;
use crate::results::{self, Decorate, OutputError, number};
use std::path::Path;

/// Writes a comparison folder with its robustness check: the comparison's files and
/// manifest (with the draws and sentences), this check's files, then `decorate`.
pub fn write(
    out: &Path,
    c: &mut compare::Comparison,
    r: &Robustness,
    decorate: Decorate,
) -> Result<(), OutputError> {
    c.robustness = Some((r.draws.len() as u32, sentences(r)));
    let with_files = |dir: &Path| -> Result<(), results::DecorateError> {
        write_csvs(dir, r)?;
        decorate(dir)
    };
    compare::write(out, c, &with_files)
}

/// Writes the robustness check's files into a comparison folder (docs/OUTPUTS.md):
/// `robustness.csv`, `robustness_parameters.csv`, `uncertain_draws.csv` and
/// `uncertain_outcomes.csv`.
pub fn write_csvs(dir: &Path, r: &Robustness) -> Result<(), OutputError> {
    let table = |name: &str, header: Vec<String>, rows: Vec<Vec<String>>| {
        results::write_table(&dir.join(name), &header, rows)
    };
    let names = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    table(
        results::ROBUSTNESS,
        names(&results::ROBUSTNESS_COLUMNS),
        r.rows
            .iter()
            .map(|x| {
                vec![
                    x.metric.clone(),
                    x.scenario.clone(),
                    x.baseline.clone(),
                    number(x.p_beats_baseline),
                    x.draws.to_string(),
                    x.better.name().to_string(),
                ]
            })
            .collect(),
    )?;
    table(
        results::ROBUSTNESS_PARAMETERS,
        names(&results::ROBUSTNESS_PARAMETERS_COLUMNS),
        r.dependences
            .iter()
            .map(|d| {
                vec![
                    d.metric.clone(),
                    d.scenario.clone(),
                    r.scenarios[0].clone(),
                    d.parameter.clone(),
                    number(d.rank_correlation),
                    number(d.p_beats_low),
                    number(d.p_beats_high),
                    number(d.low),
                    number(d.high),
                ]
            })
            .collect(),
    )?;
    let mut header = names(&["draw", "seed"]);
    header.extend(r.parameters.iter().map(|p| p.key.clone()));
    table(
        results::UNCERTAIN_DRAWS,
        header,
        r.draws
            .iter()
            .map(|d| {
                let mut row = vec![d.index.to_string(), d.seed.to_string()];
                row.extend(d.values.iter().map(|&v| number(v)));
                row
            })
            .collect(),
    )?;
    let mut header = names(&["draw", "scenario", "crossover_day"]);
    header.extend(r.metrics.iter().cloned());
    let mut rows = Vec::new();
    for (s, name) in r.scenarios.iter().enumerate() {
        for d in &r.draws {
            let mut row = vec![
                d.index.to_string(),
                name.clone(),
                r.crossovers[s][d.index].map_or_else(String::new, |x| x.to_string()),
            ];
            row.extend(r.values[s].iter().map(|v| number(v[d.index])));
            rows.push(row);
        }
    }
    table(results::UNCERTAIN_OUTCOMES, header, rows)
}
