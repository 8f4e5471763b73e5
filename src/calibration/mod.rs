//! Calibration to observed data (`murmur calibrate`, issue 12, item 2; docs/MODEL.md
//! §4.17): the parameters of a `[calibration]` table are fitted to an observed series
//! by ABC-SMC ([`abc`]). Each particle runs the scenario with its values, the table's
//! `replicates` and the scenario's own seed (common random numbers: every particle sees
//! the same random numbers, so distances differ only through the parameters), and its
//! distance is the root mean square of the errors of the replicates' mean series at the
//! observed ticks, each column's errors divided by its observed standard deviation.
//!
//! The calibrated scenario sets every parameter to its posterior mean; it is what the
//! results folder's run is, and `calibrated.toml` holds it. The band of the fit is from
//! posterior-predictive runs: [`PREDICTIVE`] particles resampled by weight, each one
//! replicate on its own seed, so it holds both the parameters' uncertainty and the
//! noise of one realisation. Reading the data is in [`data`], writing in [`write`].

pub mod abc;
pub mod data;
mod write;

pub use write::{table, write_files};

use crate::experiment::{self, Progress, RunError, RunOptions, RunOutcome};
use crate::metrics::Series;
use crate::network::Network;
use crate::rng::{Purpose, StreamKey};
use crate::scenario::calibration::CalibrationSpec;
use crate::scenario::uncertainty::UncertainParameter;
use crate::scenario::{NetworkSpec, Scenario, ScenarioError};
use data::Observed;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Posterior-predictive runs behind the band of `fit.csv` and `fit.png`.
pub const PREDICTIVE: usize = 50;

/// One parameter's posterior summary (a row of `calibration.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The parameter and its prior.
    pub parameter: UncertainParameter,
    /// Weighted mean (the calibrated value).
    pub mean: f64,
    /// Weighted median.
    pub median: f64,
    /// Weighted 2.5% quantile.
    pub low: f64,
    /// Weighted 97.5% quantile.
    pub high: f64,
}

/// The result of `murmur calibrate`.
pub struct Calibration {
    /// The table's settings.
    pub spec: CalibrationSpec,
    /// The observed data.
    pub observed: Observed,
    /// The final population and every generation's figures.
    pub abc: abc::Outcome,
    /// Per parameter, its posterior summary.
    pub summaries: Vec<Summary>,
    /// `calibrated.toml`'s text.
    pub calibrated: String,
    /// The calibrated scenario's run (the folder's run).
    pub fitted: RunOutcome,
    /// `predictive[draw][column][tick]`: each posterior-predictive run's series of
    /// each fitted column at every tick 0..=ticks.
    pub predictive: Vec<Vec<Vec<f64>>>,
    /// Simulations run (particles' and predictive).
    pub simulations: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// The data file: `--data` as given, or the table's `data` relative to the scenario
/// file's folder.
pub fn data_path(spec: &CalibrationSpec, file: &Path, given: Option<&Path>) -> Option<PathBuf> {
    given.map(Path::to_path_buf).or_else(|| {
        let d = spec.data.as_ref()?;
        Some(file.parent().unwrap_or(Path::new(".")).join(d))
    })
}

/// The `[calibration]` table of `scenario`, or the error a scenario without one gets.
pub fn spec_of(scenario: &Scenario, file: &Path) -> Result<CalibrationSpec, ScenarioError> {
    scenario.calibration.clone().ok_or_else(|| {
        ScenarioError::new(file, "the scenario has no [calibration] table").allowing(
            "a [calibration] table with data and [calibration.parameters], e.g. \
             \"model.p\" = [0.0005, 0.02]",
        )
    })
}

/// Checks the table and reads the observed data (before any folder is claimed).
pub fn prepare(
    scenario: &Scenario,
    file: &Path,
    given: Option<&Path>,
) -> Result<(CalibrationSpec, Observed), ScenarioError> {
    let spec = spec_of(scenario, file)?;
    let Some(path) = data_path(&spec, file, given) else {
        return Err(
            ScenarioError::new(file, "the calibration names no data file")
                .at_key("calibration")
                .allowing("data = \"observed.csv\" in [calibration], or --data FILE.csv"),
        );
    };
    let observed = data::read(&path, scenario, file, &spec.fit)?;
    Ok((spec, observed))
}

/// The value of `column` at every tick, averaged over `series`' replicates.
pub fn mean_series(series: &[Series], column: &str, population: usize) -> Vec<f64> {
    let one = |s: &Series| -> Vec<f64> {
        match column {
            "adopters" => s.adopters().iter().map(|&a| a as f64).collect(),
            "share" => s
                .adopters()
                .iter()
                .map(|&a| a as f64 / population.max(1) as f64)
                .collect(),
            "new_adopters" => s.new_adopters.iter().map(|&a| f64::from(a)).collect(),
            _ => s.column(column).map(<[f64]>::to_vec).unwrap_or_default(),
        }
    };
    let all: Vec<Vec<f64>> = series.iter().map(one).collect();
    let ticks = all.first().map_or(0, Vec::len);
    (0..ticks)
        .map(|t| all.iter().map(|v| v[t]).sum::<f64>() / all.len() as f64)
        .collect()
}

/// The distance of the mean series of `series` (of `population` agents) from the
/// data: the root mean square over the observed (tick, column) cells of
/// (simulated − observed) / the column's scale.
pub fn distance(series: &[Series], population: usize, observed: &Observed, scales: &[f64]) -> f64 {
    let (mut sum, mut cells) = (0.0, 0usize);
    for ((column, values), scale) in observed.columns.iter().zip(&observed.values).zip(scales) {
        let sim = mean_series(series, column, population);
        for (&t, &obs) in observed.ticks.iter().zip(values) {
            if obs.is_finite() {
                let e = (sim.get(t as usize).copied().unwrap_or(f64::NAN) - obs) / scale;
                sum += e * e;
                cells += 1;
            }
        }
    }
    if cells == 0 {
        f64::NAN
    } else {
        (sum / cells as f64).sqrt()
    }
}

/// The scenario text `text` (of the file `file`) without its `[calibration]` table
/// and with `parameters` set to `values`, and an edge list's path made absolute so
/// the text reads from anywhere.
pub fn text_at(
    text: &str,
    file: &Path,
    scenario: &Scenario,
    parameters: &[UncertainParameter],
    values: &[f64],
) -> Result<String, ScenarioError> {
    let mut table: toml::Table = toml::from_str(text).map_err(|e| {
        ScenarioError::new(
            file,
            format!("cannot read the scenario as TOML: {}", e.message()),
        )
    })?;
    table.remove("calibration");
    for (p, &x) in parameters.iter().zip(values) {
        if p.applies_to(scenario) {
            crate::scenario::set::set_path(&mut table, &p.key, p.value(x));
        }
    }
    if let NetworkSpec::EdgeList { path, .. } = &scenario.network.spec {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        crate::scenario::set::set_path(
            &mut table,
            "network.path",
            toml::Value::String(absolute.display().to_string()),
        );
    }
    toml::to_string(&table).map_err(|e| ScenarioError::new(file, e.to_string()))
}

/// `text` with the seed and replicates `scenario` runs with written in (so a
/// `--seed` or `--replicates` of the command line is in `calibrated.toml`).
fn with_seed_and_replicates(
    text: &str,
    file: &Path,
    scenario: &Scenario,
) -> Result<String, ScenarioError> {
    let mut table: toml::Table =
        toml::from_str(text).map_err(|e| ScenarioError::new(file, e.message().to_string()))?;
    if let Ok(seed) = i64::try_from(scenario.seed) {
        table.insert("seed".into(), toml::Value::Integer(seed));
    }
    table.insert(
        "replicates".into(),
        toml::Value::Integer(i64::from(scenario.replicates)),
    );
    toml::to_string(&table).map_err(|e| ScenarioError::new(file, e.to_string()))
}

/// The scenario of one particle: `text_at`'s text, read, with the scenario's seed and
/// `replicates` replicates.
fn particle(
    text: &str,
    file: &Path,
    scenario: &Scenario,
    spec: &CalibrationSpec,
    values: &[f64],
) -> Result<Scenario, ScenarioError> {
    let edited = text_at(text, file, scenario, &spec.parameters, values)?;
    let mut s = Scenario::from_str_at(&edited, file)?;
    s.seed = scenario.seed;
    s.replicates = spec.replicates;
    s.set.clone_from(&scenario.set);
    Ok(s)
}

/// The seed of proposal `index` of generation `g`: every simulation has its own
/// random numbers, so a particle's distance holds the noise of one realisation, as the
/// data do (with common random numbers the posterior shrinks onto the optimum of one
/// realisation and its intervals are too narrow; docs/MODEL.md §4.17).
fn particle_seed(seed: u64, g: usize, index: u64) -> u64 {
    StreamKey::new(seed, g as u64, 0, Purpose::Calibration)
        .child(1)
        .agent(index)
        .bits()
}

/// Whether every particle can run on the scenario's own network: it is drawn once
/// (not per replicate), not read from a file, and no fitted key is a network or
/// population key.
fn shares_network(scenario: &Scenario, spec: &CalibrationSpec) -> bool {
    !scenario.network.per_replicate
        && !matches!(scenario.network.spec, NetworkSpec::EdgeList { .. })
        && spec
            .parameters
            .iter()
            .all(|p| !p.key.starts_with("network.") && !p.key.starts_with("population."))
}

/// What every simulation of a calibration shares: the scenario as text and as read,
/// the table, the data and their scales, the run options and the shared network.
struct Runner<'a> {
    text: &'a str,
    file: &'a Path,
    scenario: &'a Scenario,
    spec: &'a CalibrationSpec,
    observed: &'a Observed,
    scales: Vec<f64>,
    quiet: RunOptions,
    threads: usize,
    shared: Option<Network>,
}

impl Runner<'_> {
    /// The distance of proposal `index` of generation `g` at `values`; infinite where
    /// the scenario refuses the values (p + q > 1), so it is never accepted.
    fn distance_at(&self, g: usize, index: u64, values: &[f64]) -> Result<f64, RunError> {
        let Ok(mut s) = particle(self.text, self.file, self.scenario, self.spec, values) else {
            return Ok(f64::INFINITY);
        };
        s.seed = particle_seed(self.spec.seed, g, index);
        let n = s.population.size;
        let series = match &self.shared {
            Some(net) => (0..s.replicates)
                .map(|r| {
                    crate::engine::run_replicate(&s, net, r, false, false, self.threads, &|| {})
                })
                .collect(),
            None => {
                experiment::run_in_pool(s, self.file, &self.quiet, self.threads, &|| {})?.series
            }
        };
        Ok(distance(&series, n, self.observed, &self.scales))
    }

    /// The posterior-predictive runs: [`PREDICTIVE`] particles of `population`
    /// resampled by weight, one replicate each on its own seed; per run, each fitted
    /// column's series.
    fn predictive(&self, population: &abc::Population) -> Result<Vec<Vec<Vec<f64>>>, RunError> {
        let key = StreamKey::new(self.spec.seed, u64::MAX, 0, Purpose::Calibration);
        let w = &population.weights;
        let draws: Vec<usize> = (0..PREDICTIVE as u64)
            .map(|i| {
                let u = key.unit(i);
                let mut acc = 0.0;
                w.iter()
                    .position(|x| {
                        acc += x;
                        u < acc
                    })
                    .unwrap_or(w.len() - 1)
            })
            .collect();
        draws
            .par_iter()
            .enumerate()
            .map(|(i, &j)| {
                let values = &population.values[j];
                let mut s = particle(self.text, self.file, self.scenario, self.spec, values)
                    .map_err(|e| RunError::Scenario(Box::new(e)))?;
                s.replicates = 1;
                s.seed = crate::rng::mix64(self.spec.seed ^ crate::rng::mix64(i as u64 + 1));
                let o = experiment::run_in_pool(s, self.file, &self.quiet, self.threads, &|| {})?;
                let n = o.scenario.population.size;
                Ok(self
                    .observed
                    .columns
                    .iter()
                    .map(|c| mean_series(&o.series, c, n))
                    .collect())
            })
            .collect()
    }
}

/// Each parameter's weighted mean, median and 2.5% and 97.5% quantiles in `pop`.
fn summaries_of(spec: &CalibrationSpec, pop: &abc::Population) -> Vec<Summary> {
    spec.parameters
        .iter()
        .enumerate()
        .map(|(d, p)| {
            let values: Vec<f64> = pop.values.iter().map(|v| v[d]).collect();
            Summary {
                parameter: p.clone(),
                mean: abc::weighted_moments(pop, d).0,
                median: abc::weighted_quantile(&values, &pop.weights, 0.5),
                low: abc::weighted_quantile(&values, &pop.weights, 0.025),
                high: abc::weighted_quantile(&values, &pop.weights, 0.975),
            }
        })
        .collect()
}

/// Fits `scenario` (read from `text`, the file `file`) to `observed` by ABC-SMC, runs
/// the calibrated scenario and the posterior-predictive draws.
pub fn calibrate(
    scenario: &Scenario,
    text: &str,
    file: &Path,
    spec: CalibrationSpec,
    observed: Observed,
    options: &RunOptions,
) -> Result<Calibration, RunError> {
    let started = std::time::Instant::now();
    let quiet = RunOptions {
        quiet: true,
        ..options.clone()
    };
    let priors: Vec<(f64, f64)> = spec.parameters.iter().map(|p| (p.low, p.high)).collect();
    let settings = abc::Settings {
        particles: spec.particles as usize,
        generations: spec.generations as usize,
        quantile: spec.quantile,
        min_acceptance: spec.min_acceptance,
        seed: spec.seed,
    };
    // The network, built once when no fitted key changes it (the particles' seeds
    // differ, but the scenario's network is the one every particle runs on).
    let shared: Option<Network> = if shares_network(scenario, &spec) {
        Some(experiment::build_run_network(
            scenario,
            file,
            scenario.seed,
        )?)
    } else {
        None
    };
    let mut simulations = PREDICTIVE as u64;
    let (outcome, predictive) = experiment::with_pool(options.threads, |threads| {
        let runner = Runner {
            text,
            file,
            scenario,
            spec: &spec,
            observed: &observed,
            scales: observed.scales(),
            quiet: quiet.clone(),
            threads,
            shared,
        };
        let progress = Progress::new(
            settings.generations as u64 + 1,
            "generations",
            options.quiet,
        );
        progress.message(format!(
            "· ABC-SMC: {} particles, up to {} generations, {} parameters",
            settings.particles,
            settings.generations,
            priors.len()
        ));
        let mut last = 0;
        let outcome = abc::run(&priors, &settings, |g, first, batch| {
            if g != last {
                progress.tick();
                last = g;
            }
            simulations += batch.len() as u64;
            batch
                .par_iter()
                .enumerate()
                .map(|(j, values)| runner.distance_at(g, first + j as u64, values))
                .collect::<Result<Vec<f64>, RunError>>()
        })?;
        progress.finish();
        let predictive = runner.predictive(&outcome.population)?;
        Ok::<_, RunError>((outcome, predictive))
    })?;
    let summaries = summaries_of(&spec, &outcome.population);
    let means: Vec<f64> = summaries.iter().map(|s| s.mean).collect();
    let body = text_at(text, file, scenario, &spec.parameters, &means)
        .and_then(|t| with_seed_and_replicates(&t, file, scenario))
        .map_err(|e| RunError::Scenario(Box::new(e)))?;
    let calibrated = format!(
        "{}\n{body}",
        write::calibrated_head(scenario, &spec, &observed, &summaries)
    );
    let mut fitted_scenario =
        Scenario::from_str_at(&calibrated, file).map_err(|e| RunError::Scenario(Box::new(e)))?;
    fitted_scenario.set.clone_from(&scenario.set);
    let fitted = experiment::run(fitted_scenario, file, &quiet)?;
    Ok(Calibration {
        spec,
        observed,
        abc: outcome,
        summaries,
        calibrated,
        fitted,
        predictive,
        simulations,
        seconds: started.elapsed().as_secs_f64(),
    })
}
