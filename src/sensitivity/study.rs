//! Running a sensitivity analysis: the design laid out as checked scenarios
//! ([`Plan`]), its points run on common random numbers ([`run_points`]), the indices
//! estimated ([`Plan::estimate`]) and written (`sensitivity.csv`,
//! `sensitivity_points.csv`) or printed.

use super::{Design, Estimate, Indices, Morris, MorrisDesign, morris, sobol};
use crate::compare;
use crate::experiment::{self, Progress, RunError, RunOptions, RunOutcome};
use crate::results::{OutputError, number};
use crate::scenario::sensitivity::Method;
use crate::scenario::uncertainty::UncertainParameter;
use crate::scenario::{Scenario, ScenarioError};
use std::path::Path;

/// The result of `murmur sensitivity`.
pub struct Analysis {
    /// Sobol' or Morris.
    pub method: Method,
    /// The parameters, in the order of the design's columns.
    pub parameters: Vec<UncertainParameter>,
    /// The metrics analysed (the summary metrics defined at every point).
    pub metrics: Vec<String>,
    /// Per metric, per parameter: Sobol' indices (first order, total).
    pub sobol: Vec<Indices>,
    /// Per metric, per parameter: Morris measures.
    pub morris: Vec<Vec<Morris>>,
    /// The points run (unit coordinates) and, per point, each metric's mean over
    /// replicates.
    pub points: Vec<Vec<f64>>,
    /// `outputs[point][metric]`, for the points run: all of them, or one slice's
    /// (`first_point..first_point + outputs.len()`).
    pub outputs: Vec<Vec<f64>>,
    /// The design index of `outputs[0]`: 0 but in one slice of an analysis split with
    /// `--shard`, which estimates no indices.
    pub first_point: usize,
}

impl Analysis {
    /// Whether this holds only some of the design's points (one slice of an analysis
    /// split with `--shard`), so no indices.
    pub fn is_slice(&self) -> bool {
        self.outputs.len() != self.points.len()
    }
}

/// The scenario of `text` with the parameters set at unit coordinates `u` (where they
/// apply), checked; it keeps the scenario's seed and replicates.
fn scenario_at(
    text: &str,
    file: &Path,
    scenario: &Scenario,
    parameters: &[UncertainParameter],
    u: &[f64],
) -> Result<Scenario, ScenarioError> {
    let mut table: toml::Table = toml::from_str(text).map_err(|e| {
        ScenarioError::new(
            file,
            format!("cannot read the scenario as TOML: {}", e.message()),
        )
    })?;
    table.remove("sensitivity");
    for (p, &x) in parameters.iter().zip(u) {
        if p.applies_to(scenario) {
            crate::scenario::set::set_path(&mut table, &p.key, p.value(p.at(x)));
        }
    }
    let edited = toml::to_string(&table).map_err(|e| ScenarioError::new(file, e.to_string()))?;
    let mut s = Scenario::from_str_at(&edited, file).map_err(|mut e| {
        let values: Vec<String> = parameters
            .iter()
            .zip(u)
            .take(3)
            .map(|(p, &x)| format!("{} = {}", p.key, p.at(x)))
            .collect();
        e.problem = format!("sensitivity point ({}…): {}", values.join(", "), e.problem);
        e
    })?;
    s.seed = scenario.seed;
    s.replicates = scenario.replicates;
    Ok(s)
}

/// A scenario's sensitivity design, laid out: its table, parameters, the points (unit
/// coordinates) and each point's scenario, checked.
pub struct Plan {
    /// The `[sensitivity]` table (or its defaults).
    pub spec: crate::scenario::sensitivity::SensitivitySpec,
    /// The parameters, in the order of the design's columns.
    pub parameters: Vec<UncertainParameter>,
    /// The points, in design order.
    pub points: Vec<Vec<f64>>,
    sobol: Option<Design>,
    morris: Option<MorrisDesign>,
    scenarios: Vec<Scenario>,
}

impl Plan {
    /// Lays out the design of `scenario` (read from `text`, the file `file`) and checks
    /// every point's scenario before anything runs.
    pub fn new(scenario: &Scenario, text: &str, file: &Path) -> Result<Plan, ScenarioError> {
        let spec = scenario.sensitivity.clone().unwrap_or_default();
        let parameters = spec.parameters_or_default();
        let k = parameters.len();
        let n = spec.samples as usize;
        let (points, sobol, morris) = match spec.method {
            Method::Sobol => {
                let d = Design::new(k, n, spec.seed);
                (d.points(), Some(d), None)
            }
            Method::Morris => {
                let d = MorrisDesign::new(k, n, spec.levels, spec.seed);
                (d.points.clone(), None, Some(d))
            }
        };
        let scenarios = points
            .iter()
            .map(|u| scenario_at(text, file, scenario, &parameters, u))
            .collect::<Result<_, _>>()?;
        Ok(Plan {
            spec,
            parameters,
            points,
            sobol,
            morris,
            scenarios,
        })
    }

    /// Estimates the indices of every metric defined at every point from each point's
    /// metric means (`runs[point]`, in design order). Given fewer runs than points (one
    /// slice's), it estimates no indices.
    pub fn estimate(&self, runs: &[Means]) -> Analysis {
        let spec = &self.spec;
        let metrics: Vec<String> = runs
            .first()
            .map(|m| m.iter().map(|(name, _)| name.clone()).collect())
            .unwrap_or_default();
        let outputs: Vec<Vec<f64>> = runs
            .iter()
            .map(|m| {
                metrics
                    .iter()
                    .map(|name| m.iter().find(|(x, _)| x == name).map_or(f64::NAN, |x| x.1))
                    .collect()
            })
            .collect();
        // Metrics defined at every point.
        let kept: Vec<usize> = (0..metrics.len())
            .filter(|&m| outputs.iter().all(|o| o[m].is_finite()))
            .collect();
        let column = |m: usize| -> Vec<f64> { outputs.iter().map(|o| o[m]).collect() };
        let sobol = match &self.sobol {
            Some(d) if runs.len() == self.points.len() => kept
                .iter()
                .map(|&m| sobol(d, &column(m), spec.seed))
                .collect(),
            _ => Vec::new(),
        };
        let morris = match &self.morris {
            Some(d) if runs.len() == self.points.len() => kept
                .iter()
                .map(|&m| morris(d, &column(m), spec.seed))
                .collect(),
            _ => Vec::new(),
        };
        Analysis {
            method: spec.method,
            parameters: self.parameters.clone(),
            metrics: kept.iter().map(|&m| metrics[m].clone()).collect(),
            sobol,
            morris,
            outputs: outputs
                .iter()
                .map(|o| kept.iter().map(|&m| o[m]).collect())
                .collect(),
            points: self.points.clone(),
            first_point: 0,
        }
    }
}

/// One point's result: each summary metric's mean over the replicates (NaN where no
/// replicate defines it), in the metrics' order.
pub type Means = Vec<(String, f64)>;

/// Runs the points `which` of `plan` (in that order), then the scenario itself, and
/// returns each point's metric means and the scenario's run. `done(point, means)` is
/// called as each point finishes (to keep it for `--resume`).
pub fn run_points<E: From<RunError> + Send>(
    plan: &Plan,
    scenario: &Scenario,
    file: &Path,
    options: &RunOptions,
    which: &[usize],
    done: &mut (dyn FnMut(usize, &Means) -> Result<(), E> + Send),
) -> Result<(Vec<Means>, RunOutcome), E> {
    let early = compare::EARLY_TICK.min(scenario.ticks);
    let quiet = RunOptions {
        quiet: true,
        ..options.clone()
    };
    let total: u64 = which
        .iter()
        .map(|&j| {
            let s = &plan.scenarios[j];
            u64::from(s.replicates) * crate::engine::ticks_stepped(s)
        })
        .sum();
    experiment::with_pool(options.threads, |threads| {
        let progress = Progress::new(total, "replicate-ticks", options.quiet);
        progress.message(format!(
            "· {} of {} points of {} parameters ({})",
            which.len(),
            plan.points.len(),
            plan.parameters.len(),
            plan.spec.method.name()
        ));
        let mut runs = Vec::with_capacity(which.len());
        for &j in which {
            let s = plan.scenarios[j].clone();
            let o = experiment::run_in_pool(s, file, &quiet, threads, &|| progress.tick())?;
            let means: Means = compare::replicate_metrics(&o, early)
                .into_iter()
                .map(|(name, v)| (name, mean_finite(&v)))
                .collect();
            done(j, &means)?;
            runs.push(means);
        }
        progress.finish();
        let base = experiment::run_in_pool(scenario.clone(), file, &quiet, threads, &|| {})?;
        Ok((runs, base))
    })
}

/// The mean of the finite values of `v`; NaN when there are none.
fn mean_finite(v: &[f64]) -> f64 {
    let finite: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    if finite.is_empty() {
        f64::NAN
    } else {
        finite.iter().sum::<f64>() / finite.len() as f64
    }
}

/// The headline metric's indices as a text table, strongest total effect first.
pub fn table(a: &Analysis) -> String {
    if a.is_slice() {
        return format!(
            "points {}–{} of {} run; `murmur merge` joins the slices and estimates the indices\n",
            a.first_point,
            a.first_point + a.outputs.len() - 1,
            a.points.len()
        );
    }
    let Some(m) = HEADLINE
        .iter()
        .find_map(|h| a.metrics.iter().position(|x| x == h))
        .or(if a.metrics.is_empty() { None } else { Some(0) })
    else {
        return "no metric is defined at every point\n".into();
    };
    let mut out = format!(
        "{} points; {} of {}:\n",
        a.points.len(),
        a.method.name(),
        a.metrics[m]
    );
    let show = |e: &Estimate| format!("{:.3} [{:.3}, {:.3}]", e.value, e.low, e.high);
    let mut order: Vec<usize> = (0..a.parameters.len()).collect();
    match a.method {
        Method::Sobol => {
            order.sort_by(|&x, &y| {
                a.sobol[m].total[y]
                    .value
                    .total_cmp(&a.sobol[m].total[x].value)
            });
            out += &format!(
                "{:<48} {:>26} {:>26}\n",
                "parameter", "first order", "total"
            );
            for i in order {
                out += &format!(
                    "{:<48} {:>26} {:>26}\n",
                    a.parameters[i].key,
                    show(&a.sobol[m].first_order[i]),
                    show(&a.sobol[m].total[i])
                );
            }
        }
        Method::Morris => {
            order.sort_by(|&x, &y| {
                a.morris[m][y]
                    .mu_star
                    .value
                    .total_cmp(&a.morris[m][x].mu_star.value)
            });
            out += &format!("{:<48} {:>36} {:>14}\n", "parameter", "mu*", "sigma");
            for i in order {
                let x = &a.morris[m][i];
                out += &format!(
                    "{:<48} {:>36} {:>14.4}\n",
                    a.parameters[i].key,
                    format!(
                        "{:.4} [{:.4}, {:.4}]",
                        x.mu_star.value, x.mu_star.low, x.mu_star.high
                    ),
                    x.sigma
                );
            }
        }
    }
    out
}

/// The metrics the printed table and the chart show, first present first.
pub const HEADLINE: [&str; 3] = ["cumulative_profit", "final_customers", "final_adopters"];

/// Writes `sensitivity.csv` (docs/OUTPUTS.md): per metric and parameter, Sobol'
/// `first_order` and `total` with intervals, or Morris `mu_star` (with interval),
/// `sigma` and `mu`; and `sensitivity_points.csv`: every point's parameter values and
/// metric means.
pub fn write_csvs(dir: &Path, a: &Analysis) -> Result<(), OutputError> {
    let table = |name: &str, header: Vec<String>, rows: Vec<Vec<String>>| {
        crate::results::write_table(&dir.join(name), &header, rows)
    };
    let own = |cols: &[&str]| cols.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let mut rows = Vec::new();
    // A slice estimates nothing: `murmur merge` does, from every slice's points.
    let estimated = if a.is_slice() {
        &[][..]
    } else {
        &a.metrics[..]
    };
    for (m, metric) in estimated.iter().enumerate() {
        for (i, p) in a.parameters.iter().enumerate() {
            let mut row = vec![metric.clone(), p.key.clone()];
            match a.method {
                Method::Sobol => {
                    let (s, t) = (a.sobol[m].first_order[i], a.sobol[m].total[i]);
                    row.extend([s.value, s.low, s.high, t.value, t.low, t.high].map(number));
                }
                Method::Morris => {
                    let x = a.morris[m][i];
                    row.extend(
                        [
                            x.mu_star.value,
                            x.mu_star.low,
                            x.mu_star.high,
                            x.sigma,
                            x.mu,
                        ]
                        .map(number),
                    );
                }
            }
            rows.push(row);
        }
    }
    let header = match a.method {
        Method::Sobol => own(&crate::results::SENSITIVITY_COLUMNS),
        Method::Morris => own(&crate::results::MORRIS_COLUMNS),
    };
    // A slice estimates nothing: `murmur merge` does, from every slice's points.
    if !a.is_slice() {
        table(crate::results::SENSITIVITY, header, rows)?;
    }
    let mut header = own(&["point"]);
    header.extend(a.parameters.iter().map(|p| p.key.clone()));
    header.extend(a.metrics.iter().cloned());
    let rows = a.points[a.first_point..]
        .iter()
        .zip(&a.outputs)
        .enumerate()
        .map(|(j, (u, o))| {
            let mut row = vec![(a.first_point + j).to_string()];
            row.extend(a.parameters.iter().zip(u).map(|(p, &x)| number(p.at(x))));
            row.extend(o.iter().map(|&v| number(v)));
            row
        })
        .collect();
    table(crate::results::SENSITIVITY_POINTS, header, rows)
}
