//! Paired comparisons: several scenarios run on the same network with the same random
//! numbers (common random numbers), their differences against the first with 95%
//! intervals, and — for a programme added to a baseline — its extra customers split
//! agent by agent into expansion and acceleration (docs/OUTPUTS.md).

use crate::experiment::{self, Progress, RunError, RunOptions, RunOutcome};
use crate::metrics::{Interval, Outcome, Summary};
use crate::population::NEVER;
use crate::results::{self, Decorate, OutputError, Source, number};
use crate::scenario::{Scenario, ScenarioError};
use std::fs;
use std::path::{Path, PathBuf};

/// One compared scenario: its file, text hash and resolved form.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The scenario file.
    pub file: PathBuf,
    /// Its hash, for the manifest.
    pub source: Source,
    /// Its resolved scenario.
    pub scenario: Scenario,
    /// Its text, from which the draws of a robustness check are made.
    pub text: String,
}

/// The paired difference of one summary metric between a scenario and the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// Scenario name.
    pub scenario: String,
    /// Summary metric.
    pub metric: String,
    /// Mean of the baseline.
    pub baseline_mean: f64,
    /// Mean of the scenario.
    pub mean: f64,
    /// Paired difference (scenario − baseline) with its 95% interval: the percentile
    /// bootstrap of the mean of the per-replicate differences.
    pub difference: Interval,
    /// The 95% interval the same difference would have if the runs were independent
    /// (each sample resampled on its own); `None` with fewer than two replicates.
    pub unpaired: Option<(f64, f64)>,
}

/// A programme's extra customers in one replicate, agent by agent.
#[derive(Clone, Debug, PartialEq)]
pub struct Programme {
    /// Scenario name.
    pub scenario: String,
    /// Replicate.
    pub replicate: usize,
    /// Customers ever acquired with the programme minus without it.
    pub extra_customers: i64,
    /// Customers who adopted only with the programme: in the baseline they bought
    /// from a competitor or not at all within the horizon (Libai, Muller & Peres
    /// 2013).
    pub expansion: u64,
    /// The part of `expansion` who bought from a competitor in the baseline.
    pub expansion_from_competitor: u64,
    /// Customers who adopted in both runs, earlier with the programme.
    pub acceleration: u64,
    /// Lifetime value (discounted margin) of the expansion customers.
    pub expansion_value: f64,
    /// Extra lifetime value the accelerated customers brought by adopting earlier.
    pub acceleration_value: f64,
}

/// Where the lead in cumulative profit changes hands between a scenario and the
/// baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Crossover {
    /// Scenario name.
    pub scenario: String,
    /// Days (ticks) at which the mean paired difference in `cumulative_profit`
    /// (scenario − baseline) changes sign, in order ([`sign_changes`]).
    pub days: Vec<u32>,
}

impl Crossover {
    /// "lead changes at day N" (the last change), or "no crossover".
    pub fn text(&self) -> String {
        match self.days.last() {
            Some(day) => format!("lead changes at day {day}"),
            None => "no crossover".to_string(),
        }
    }
}

/// The ticks at which the sign of `difference` (indexed by tick) differs from the sign
/// of the last nonzero value before it. Exact zeros (and undefined values) carry no
/// sign and are skipped, so a difference that touches 0 and returns does not cross.
pub fn sign_changes(difference: &[f64]) -> Vec<u32> {
    let mut last: Option<bool> = None;
    let mut changes = Vec::new();
    for (t, &d) in difference.iter().enumerate() {
        if d == 0.0 || !d.is_finite() {
            continue;
        }
        let positive = d > 0.0;
        if last.is_some_and(|l| l != positive) {
            changes.push(t as u32);
        }
        last = Some(positive);
    }
    changes
}

/// The mean over replicates of `column` of `run` minus `base`, replicate by
/// replicate, at each tick; `None` when either run lacks the column.
pub fn mean_paired_difference(
    base: &RunOutcome,
    run: &RunOutcome,
    column: &str,
) -> Option<Vec<f64>> {
    let pairs: Vec<(&[f64], &[f64])> = base
        .series
        .iter()
        .zip(&run.series)
        .map(|(b, r)| Some((b.column(column)?, r.column(column)?)))
        .collect::<Option<_>>()?;
    let ticks = pairs.iter().map(|(b, r)| b.len().min(r.len())).min()?;
    let n = pairs.len() as f64;
    Some(
        (0..ticks)
            .map(|t| pairs.iter().map(|(b, r)| r[t] - b[t]).sum::<f64>() / n)
            .collect(),
    )
}

/// The crossover days of `run` against `base` in cumulative profit; `None` for runs
/// without that column.
pub fn crossover(base: &RunOutcome, run: &RunOutcome) -> Option<Crossover> {
    let difference = mean_paired_difference(base, run, "cumulative_profit")?;
    Some(Crossover {
        scenario: run.scenario.name.clone(),
        days: sign_changes(&difference),
    })
}

/// Reads and checks the scenarios of a comparison: each must be valid, each must have
/// a name of its own (the name labels its rows), and all must share the population
/// and network of the first. Seeds and replicates of the first
/// apply to all, so every scenario sees the same random numbers.
pub fn prepare(files: &[PathBuf]) -> Result<Vec<Entry>, ScenarioError> {
    prepare_with(files, &[])
}

/// [`prepare`], each file read with the command line's `--set` settings applied.
pub fn prepare_with(
    files: &[PathBuf],
    settings: &[crate::scenario::set::Setting],
) -> Result<Vec<Entry>, ScenarioError> {
    let mut entries: Vec<Entry> = Vec::new();
    for file in files {
        let bytes = fs::read(file).map_err(|e| ScenarioError::io(file, &e))?;
        let text = String::from_utf8_lossy(&bytes);
        let (mut scenario, text) = crate::scenario::set::apply(&text, file, settings)?;
        if scenario.sweep.is_some() {
            return Err(ScenarioError::new(
                file,
                "compare runs single scenarios, and this one has a [sweep]",
            )
            .at_key("sweep")
            .allowing("scenarios without a [sweep] table"));
        }
        if let Some(twin) = entries.iter().find(|e| e.scenario.name == scenario.name) {
            return Err(ScenarioError::new(
                file,
                format!(
                    "its name \"{}\" is also the name of {}, so the comparison's `scenario` column could not tell them apart; rename one of them",
                    scenario.name,
                    twin.file.display()
                ),
            )
            .at_key("name")
            .allowing("a `name` that differs from every other compared scenario's"));
        }
        if let Some(first) = entries.first() {
            let base = &first.scenario;
            let same = scenario.network == base.network
                && scenario.population == base.population
                && scenario.ticks == base.ticks;
            if !same {
                return Err(ScenarioError::new(
                    file,
                    format!(
                        "a comparison needs every scenario on the same population, network and horizon as {}",
                        first.file.display()
                    ),
                )
                .at_key("network")
                .allowing("the same [population], [network] and ticks as the first scenario"));
            }
            scenario.seed = base.seed;
            scenario.replicates = base.replicates;
        }
        entries.push(Entry {
            file: file.clone(),
            source: Source::new(file, &bytes),
            scenario,
            text,
        });
    }
    Ok(entries)
}

/// The numeric summary metrics of a run, per replicate, by name.
fn metrics(outcome: &RunOutcome) -> Vec<(String, Vec<f64>)> {
    let n = outcome.scenario.population.size;
    let summaries: Vec<Summary> = outcome.series.iter().map(|s| Summary::of(s, n)).collect();
    let mut out = vec![
        (
            "final_adopters".to_string(),
            summaries.iter().map(|s| s.final_adopters as f64).collect(),
        ),
        (
            "final_share".to_string(),
            summaries.iter().map(|s| s.final_share).collect(),
        ),
        (
            "peak_tick".to_string(),
            summaries.iter().map(|s| s.peak_tick as f64).collect(),
        ),
    ];
    if let Some(first) = outcome.series.first() {
        for (name, _) in &first.figures {
            out.push((
                name.to_string(),
                outcome
                    .series
                    .iter()
                    .map(|s| s.figure(name).unwrap_or(f64::NAN))
                    .collect(),
            ));
        }
    }
    out
}

/// Customers (the marketing model) or adopters (the classic models) at tick `tick` of
/// every replicate, as metric `customers_day_<tick>`: the early lead a strategist asks
/// about ("social media wins the first month"). NaN past the last tick.
fn early_metric(outcome: &RunOutcome, tick: u32) -> (String, Vec<f64>) {
    let at = |s: &crate::metrics::Series| -> f64 {
        let t = tick as usize;
        match s.column("customers") {
            Some(c) => c.get(t).copied().unwrap_or(f64::NAN),
            None => s.adopters().get(t).map_or(f64::NAN, |&a| a as f64),
        }
    };
    (
        format!("customers_day_{tick}"),
        outcome.series.iter().map(at).collect(),
    )
}

/// Every metric a comparison reports, per replicate, by name: customers at `early`
/// first, then the summary metrics.
pub fn replicate_metrics(outcome: &RunOutcome, early: u32) -> Vec<(String, Vec<f64>)> {
    let mut all = metrics(outcome);
    all.insert(0, early_metric(outcome, early));
    all
}

/// Paired differences of every summary metric of `run` against `base`, replicate by
/// replicate, with the unpaired interval for contrast. Metrics undefined in some
/// replicate (NaN, or not finite) use the replicates where both are defined.
pub fn differences(base: &RunOutcome, run: &RunOutcome, early: u32) -> Vec<Difference> {
    let base_metrics = replicate_metrics(base, early);
    replicate_metrics(run, early)
        .into_iter()
        .filter_map(|(metric, values)| {
            let (_, base_values) = base_metrics.iter().find(|(m, _)| *m == metric)?;
            let pairs: Vec<(f64, f64)> = values
                .iter()
                .zip(base_values)
                .filter(|(a, b)| a.is_finite() && b.is_finite())
                .map(|(a, b)| (*a, *b))
                .collect();
            let d: Vec<f64> = pairs.iter().map(|(a, b)| a - b).collect();
            let difference = Interval::of(&d)?;
            let a: Vec<f64> = pairs.iter().map(|p| p.0).collect();
            let b: Vec<f64> = pairs.iter().map(|p| p.1).collect();
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let unpaired = Interval::unpaired_difference(&a, &b)?;
            Some(Difference {
                scenario: run.scenario.name.clone(),
                metric,
                baseline_mean: mean(&b),
                mean: mean(&a),
                difference,
                unpaired: unpaired.bounds,
            })
        })
        .collect()
}

/// Splits a programme's extra customers agent by agent, per replicate: expansion
/// (adopted only with the programme) and acceleration (adopted in both, earlier with
/// it), each with its value in lifetime margin. Empty without per-agent outcomes.
pub fn programme(base: &RunOutcome, run: &RunOutcome) -> Vec<Programme> {
    base.series
        .iter()
        .zip(&run.series)
        .enumerate()
        .filter(|(_, (b, r))| !b.outcomes.is_empty() && b.outcomes.len() == r.outcomes.len())
        .map(|(replicate, (b, r))| {
            let mut p = Programme {
                scenario: run.scenario.name.clone(),
                replicate,
                extra_customers: 0,
                expansion: 0,
                expansion_from_competitor: 0,
                acceleration: 0,
                expansion_value: 0.0,
                acceleration_value: 0.0,
            };
            let ever = |o: &[Outcome]| o.iter().filter(|x| x.adopted != NEVER).count() as i64;
            p.extra_customers = ever(&r.outcomes) - ever(&b.outcomes);
            for (b, r) in b.outcomes.iter().zip(&r.outcomes) {
                if r.adopted == NEVER {
                    continue;
                }
                if b.adopted == NEVER {
                    p.expansion += 1;
                    p.expansion_from_competitor += b.rival as u64;
                    p.expansion_value += r.clv as f64;
                } else if r.adopted < b.adopted {
                    p.acceleration += 1;
                    p.acceleration_value += (r.clv - b.clv) as f64;
                }
            }
            p
        })
        .collect()
}

/// Everything a comparison produced.
pub struct Comparison {
    /// The scenarios, in order (the first is the baseline).
    pub entries: Vec<Entry>,
    /// Their runs.
    pub outcomes: Vec<RunOutcome>,
    /// Paired differences against the baseline.
    pub differences: Vec<Difference>,
    /// Expansion and acceleration against the baseline.
    pub programmes: Vec<Programme>,
    /// Crossover days in cumulative profit against the baseline (marketing runs).
    pub crossovers: Vec<Crossover>,
    /// The early tick at which customers are compared (`customers_day_<early>`).
    pub early: u32,
    /// Wall-clock seconds.
    pub wall_seconds: f64,
    /// The robustness check's draws and summary sentences, for the manifest, when
    /// one was run (`--uncertain`; its files are written by `robustness`).
    pub robustness: Option<(u32, Vec<String>)>,
    /// Each marketing scenario's counterfactual attribution to its channels
    /// (`--attribute`), by scenario name.
    pub attributions: Vec<(String, crate::attribution::Attribution)>,
}

/// The default early tick of `murmur compare`: customers at day 30, the first month.
pub const EARLY_TICK: u32 = 30;

/// Runs every scenario on common random numbers and computes the comparison, with
/// customers at tick `early` among the metrics (see [`EARLY_TICK`]).
pub fn run(entries: Vec<Entry>, options: &RunOptions, early: u32) -> Result<Comparison, RunError> {
    let started = std::time::Instant::now();
    let options = RunOptions {
        outcomes: true,
        ..options.clone()
    };
    let total: u64 = entries
        .iter()
        .map(|e| e.scenario.replicates as u64 * crate::engine::ticks_stepped(&e.scenario))
        .sum();
    let outcomes = experiment::with_pool(options.threads, |threads| {
        let progress = Progress::new(total, "replicate-ticks", options.quiet);
        let mut outcomes = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            progress.message(format!("· scenario {}/{}", i + 1, entries.len()));
            let bar = progress.child(
                e.scenario.replicates as u64 * crate::engine::ticks_stepped(&e.scenario),
                e.scenario.name.clone(),
            );
            outcomes.push(experiment::run_in_pool(
                e.scenario.clone(),
                &e.file,
                &options,
                threads,
                &|| bar.tick(),
            )?);
        }
        progress.finish();
        Ok::<_, RunError>(outcomes)
    })?;
    let base = &outcomes[0];
    let differences = outcomes[1..]
        .iter()
        .flat_map(|o| differences(base, o, early))
        .collect();
    let programmes = outcomes[1..]
        .iter()
        .flat_map(|o| programme(base, o))
        .collect();
    let crossovers = outcomes[1..]
        .iter()
        .filter_map(|o| crossover(base, o))
        .collect();
    Ok(Comparison {
        entries,
        outcomes,
        differences,
        programmes,
        crossovers,
        early,
        wall_seconds: started.elapsed().as_secs_f64(),
        robustness: None,
        attributions: Vec::new(),
    })
}

/// Writes a comparison folder (docs/OUTPUTS.md), then `decorate` (plots and report, or
/// nothing), atomically.
pub fn write(out: &Path, c: &Comparison, decorate: Decorate) -> Result<(), OutputError> {
    results::atomic_dir(out, |dir| {
        // Each scenario's rows, as a run would write them, behind a scenario column.
        let runs: Vec<(&str, &RunOutcome)> = c
            .outcomes
            .iter()
            .map(|o| (o.scenario.name.as_str(), o))
            .collect();
        results::write_timeseries(&dir.join(results::TIMESERIES), Some("scenario"), &runs)?;
        results::write_summary(&dir.join(results::SUMMARY), Some("scenario"), &runs)?;
        results::write_degrees(&dir.join(results::DEGREES), &c.outcomes[0])?;
        let path = dir.join(results::DIFFERENCES);
        let mut w = csv::Writer::from_path(&path).map_err(|e| csv_error(&path, e))?;
        w.write_record(results::DIFFERENCES_COLUMNS)
            .map_err(|e| csv_error(&path, e))?;
        for d in &c.differences {
            w.write_record([
                d.scenario.clone(),
                d.metric.clone(),
                number(d.baseline_mean),
                number(d.mean),
                number(d.difference.mean),
                optional(d.difference.low()),
                optional(d.difference.high()),
                optional(d.unpaired.map(|u| u.0)),
                optional(d.unpaired.map(|u| u.1)),
            ])
            .map_err(|e| csv_error(&path, e))?;
        }
        w.flush().map_err(|e| OutputError::from_io(&path, e))?;
        if !c.programmes.is_empty() {
            let path = dir.join(results::PROGRAMME);
            let mut w = csv::Writer::from_path(&path).map_err(|e| csv_error(&path, e))?;
            w.write_record(results::PROGRAMME_COLUMNS)
                .map_err(|e| csv_error(&path, e))?;
            for p in &c.programmes {
                w.write_record([
                    p.scenario.clone(),
                    p.replicate.to_string(),
                    p.extra_customers.to_string(),
                    p.expansion.to_string(),
                    p.expansion_from_competitor.to_string(),
                    p.acceleration.to_string(),
                    number(p.expansion_value),
                    number(p.acceleration_value),
                ])
                .map_err(|e| csv_error(&path, e))?;
            }
            w.flush().map_err(|e| OutputError::from_io(&path, e))?;
        }
        if !c.crossovers.is_empty() {
            let path = dir.join(results::CROSSOVERS);
            let mut w = csv::Writer::from_path(&path).map_err(|e| csv_error(&path, e))?;
            w.write_record(results::CROSSOVERS_COLUMNS)
                .map_err(|e| csv_error(&path, e))?;
            for x in &c.crossovers {
                w.write_record([
                    x.scenario.clone(),
                    x.days.len().to_string(),
                    x.days.last().map_or_else(String::new, u32::to_string),
                ])
                .map_err(|e| csv_error(&path, e))?;
            }
            w.flush().map_err(|e| OutputError::from_io(&path, e))?;
        }
        if !c.attributions.is_empty() {
            crate::attribution::write_compared_csv(dir, &c.attributions)?;
        }
        let base = &c.outcomes[0];
        let manifest = results::Manifest {
            uncertain_draws: c.robustness.as_ref().map(|r| r.0),
            robustness: c.robustness.as_ref().map(|r| r.1.clone()),
            scenarios: Some(c.outcomes.iter().map(|o| o.scenario.name.clone()).collect()),
            baseline: Some(base.scenario.name.clone()),
            scenario_files: Some(c.entries.iter().map(|e| e.source.clone()).collect()),
            scenario: serde_json::to_value(&base.scenario).unwrap_or_default(),
            seed: Some(base.scenario.seed.into()),
            replicates: Some(base.scenario.replicates.into()),
            threads: Some(base.threads),
            wall_seconds: Some(c.wall_seconds),
            network: Some(base.network.clone()),
            ..results::Manifest::new(results::Kind::Compare)
        };
        results::write_manifest(dir, &manifest)?;
        decorate(dir).map_err(OutputError::Decorate)
    })
}

/// A CSV cell for a bound that may not exist (empty when it does not).
fn optional(x: Option<f64>) -> String {
    x.map_or_else(String::new, number)
}

fn csv_error(path: &Path, e: csv::Error) -> OutputError {
    OutputError::from_io(path, e.into())
}

/// Decimals that show a difference of this size: 4, or 6 for one below 0.01 (a churn
/// hazard per customer-day is about 0.001).
fn decimals(x: f64) -> usize {
    if x != 0.0 && x.abs() < 0.01 { 6 } else { 4 }
}

/// A short table of the headline paired differences, for the end of the command.
pub fn headline_table(c: &Comparison) -> String {
    let early = format!("customers_day_{}", c.early);
    let wanted = [
        early.as_str(),
        "final_customers",
        "churn_hazard",
        "cumulative_profit",
        "clv_projected",
        "final_adopters",
        "final_share",
    ];
    let mut out = format!(
        "{:<22} {:<20} {:>14} {:>30} {:>30}\n",
        "scenario", "metric", "difference", "paired 95% interval", "unpaired 95% interval"
    );
    for d in c
        .differences
        .iter()
        .filter(|d| wanted.contains(&d.metric.as_str()))
    {
        let digits = decimals(d.difference.mean);
        out.push_str(&format!(
            "{:<22} {:<20} {:>14.digits$} {:>30} {:>30}\n",
            d.scenario,
            d.metric,
            d.difference.mean,
            d.difference.bounds_text(digits),
            Interval {
                bounds: d.unpaired,
                ..d.difference
            }
            .bounds_text(digits),
        ));
    }
    if !c.crossovers.is_empty() {
        out.push_str("\ncumulative profit against the baseline:\n");
        for x in &c.crossovers {
            out.push_str(&format!("{:<22} {}\n", x.scenario, x.text()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lead_changes_where_the_sign_changes_and_zeros_do_not_count() {
        // Behind (spend first), level at tick 2, ahead from tick 3.
        assert_eq!(sign_changes(&[0.0, -5.0, 0.0, 3.0, 8.0]), vec![3]);
        // Touching zero and turning back is no crossover.
        assert_eq!(sign_changes(&[-1.0, 0.0, 0.0, -2.0]), Vec::<u32>::new());
        // Ahead, behind, ahead again: two changes, the last at tick 4.
        assert_eq!(sign_changes(&[1.0, -1.0, -2.0, 0.0, 4.0]), vec![1, 4]);
        assert!(sign_changes(&[0.0, 0.0]).is_empty());
        assert!(sign_changes(&[]).is_empty());
    }

    #[test]
    fn a_crossover_reads_as_its_last_change_or_none() {
        let x = |days: Vec<u32>| Crossover {
            scenario: "s".into(),
            days,
        };
        assert_eq!(x(vec![3, 40]).text(), "lead changes at day 40");
        assert_eq!(x(vec![]).text(), "no crossover");
    }
}
