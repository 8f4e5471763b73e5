//! Robustness of a comparison's ranking (issue 11, item 3; docs/MODEL.md §4.14): the
//! uncertain parameters are drawn by Latin hypercube from their ranges, each draw gets
//! a network and random streams of its own, every compared scenario runs on the same
//! draws, and for every metric the share of draws in which a scenario beats the
//! baseline is P(scenario beats baseline) (ties count one half). Which parameters the
//! ranking depends on is read from the draws: the rank correlation of each parameter
//! with the paired difference, and P in the lower and upper half of its range.
//!
//! This layer runs experiments and computes; `results` writes what it returns.

use crate::compare::{self, Entry};
use crate::experiment::{self, Progress, RunError, RunOptions, RunOutcome};
use crate::scenario::sweep::{SweepKind, SweepParameter, SweepSpec};
use crate::scenario::uncertainty::UncertainParameter;
use crate::scenario::{Scenario, ScenarioError};
use rayon::prelude::*;

mod sentence;
mod write;
pub use sentence::{critical_correlation, fewest_draws, sentences};
pub use write::{write, write_csvs};

/// One draw of the uncertain parameters: its values and the seed of its network and
/// streams.
#[derive(Clone, Debug, PartialEq)]
pub struct Draw {
    /// Position, from 0.
    pub index: usize,
    /// Seed of the draw's runs (network, traits, decisions), shared by every scenario.
    pub seed: u64,
    /// One value per uncertain parameter, in their order.
    pub values: Vec<f64>,
}

/// How a metric is ranked: more is better, or less is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// More is better (customers, profit, CLV).
    Higher,
    /// Less is better (churn, cost per acquisition, spend).
    Lower,
}

impl Better {
    /// The direction of a metric by name: costs, churn and spend are better low.
    pub fn of(metric: &str) -> Better {
        // Earlier peaks and half-way days mean faster diffusion.
        let lower = metric.starts_with("cpa_")
            || metric.contains("churn")
            || metric.ends_with("_tick")
            || matches!(
                metric,
                "spend" | "cumulative_spend" | "unspent" | "not_asked" | "reviews_negative"
            );
        if lower { Better::Lower } else { Better::Higher }
    }

    /// `higher` or `lower`, the column `better` of robustness.csv.
    pub fn name(self) -> &'static str {
        match self {
            Better::Higher => "higher",
            Better::Lower => "lower",
        }
    }

    /// Whether `a` beats `b`: 1 for a win, ½ for a tie, 0 for a loss.
    pub fn score(self, a: f64, b: f64) -> f64 {
        let win = match self {
            Better::Higher => a > b,
            Better::Lower => a < b,
        };
        if a == b {
            0.5
        } else if win {
            1.0
        } else {
            0.0
        }
    }
}

/// P(scenario beats baseline) on one metric over the draws.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Summary metric.
    pub metric: String,
    /// The challenger.
    pub scenario: String,
    /// The first scenario of the comparison.
    pub baseline: String,
    /// (wins + ties/2) / draws.
    pub p_beats_baseline: f64,
    /// Draws in which both values are defined.
    pub draws: usize,
    /// Which way the metric is ranked.
    pub better: Better,
}

/// How one uncertain parameter bears on one challenger's lead on a headline metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Dependence {
    /// Headline metric.
    pub metric: String,
    /// The challenger.
    pub scenario: String,
    /// The uncertain parameter.
    pub parameter: String,
    /// Spearman rank correlation of the parameter's value with the paired difference
    /// (scenario − baseline), oriented so that positive favours the challenger.
    pub rank_correlation: f64,
    /// P(scenario beats baseline) among draws in the lower half of the range.
    pub p_beats_low: f64,
    /// The same in the upper half.
    pub p_beats_high: f64,
    /// The parameter's range.
    pub low: f64,
    /// See `low`.
    pub high: f64,
}

/// Everything a robustness check produced.
#[derive(Clone, Debug)]
pub struct Robustness {
    /// The uncertain parameters.
    pub parameters: Vec<UncertainParameter>,
    /// The draws.
    pub draws: Vec<Draw>,
    /// Compared scenarios' names, the baseline first.
    pub scenarios: Vec<String>,
    /// Metric names, in the order of compare's differences.
    pub metrics: Vec<String>,
    /// Per scenario, per metric, per draw.
    pub values: Vec<Vec<Vec<f64>>>,
    /// Per scenario, per draw: the last day the lead in cumulative profit against the
    /// baseline changed hands (`None` for the baseline, classic runs and no change).
    pub crossovers: Vec<Vec<Option<u32>>>,
    /// P(beats baseline) per challenger and metric.
    pub rows: Vec<Row>,
    /// Per challenger, the headline metric's dependence on each parameter, strongest
    /// first.
    pub dependences: Vec<Dependence>,
}

/// The metrics the dependence on parameters is reported for, first present first: the
/// one the summary sentence is about leads.
pub const HEADLINE: [&str; 4] = [
    "cumulative_profit",
    "incremental_profit",
    "final_customers",
    "final_adopters",
];

/// Latin-hypercube values of the parameters for `n` draws, from `seed` (the sweep's
/// sampling, so a `[sweep]` of the same ranges and seed draws the same values).
pub fn draws(parameters: &[UncertainParameter], n: u32, seed: u64) -> Vec<Draw> {
    let spec = SweepSpec {
        kind: SweepKind::LatinHypercube,
        samples: n,
        seed,
        parameters: parameters
            .iter()
            .map(|p| {
                let bound = |x: f64| {
                    if p.whole {
                        toml::Value::Integer(x as i64)
                    } else {
                        toml::Value::Float(x)
                    }
                };
                SweepParameter {
                    key: p.key.clone(),
                    values: vec![bound(p.low), bound(p.high)],
                }
            })
            .collect(),
    };
    let layout = if parameters.is_empty() {
        vec![Vec::new(); n as usize]
    } else {
        crate::sweep::layout(&spec)
    };
    layout
        .into_iter()
        .enumerate()
        .map(|(index, values)| Draw {
            index,
            seed: crate::rng::mix64(seed ^ crate::rng::mix64(index as u64 + 1)),
            values: values
                .iter()
                .map(|v| {
                    v.as_float()
                        .unwrap_or_else(|| v.as_integer().unwrap_or(0) as f64)
                })
                .collect(),
        })
        .collect()
}

/// The scenario of `entry` at `draw`: its file with the drawn values set where they
/// apply, the draw's seed and one replicate, validated like any scenario.
pub fn scenario_at(
    entry: &Entry,
    parameters: &[UncertainParameter],
    draw: &Draw,
) -> Result<Scenario, ScenarioError> {
    let described = || {
        parameters
            .iter()
            .zip(&draw.values)
            .take(3)
            .map(|(p, v)| format!("{} = {v}", p.key))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut table: toml::Table = toml::from_str(&entry.text).map_err(|e| {
        ScenarioError::new(
            &entry.file,
            format!("cannot read the scenario as TOML: {}", e.message()),
        )
    })?;
    table.remove("uncertainty");
    for (p, &v) in parameters.iter().zip(&draw.values) {
        if p.applies_to(&entry.scenario) {
            crate::scenario::set::set_path(&mut table, &p.key, p.value(v));
        }
    }
    let text = toml::to_string(&table).map_err(|e| {
        ScenarioError::new(&entry.file, format!("uncertain draw {}: {e}", draw.index))
    })?;
    let mut scenario = Scenario::from_str_at(&text, &entry.file).map_err(|mut e| {
        e.problem = format!(
            "uncertain draw {} ({}…): {}",
            draw.index,
            described(),
            e.problem
        );
        e
    })?;
    scenario.seed = draw.seed;
    scenario.replicates = 1;
    Ok(scenario)
}

/// Spearman's rank correlation of `x` and `y` (average ranks for ties); 0 when either
/// is constant.
pub fn rank_correlation(x: &[f64], y: &[f64]) -> f64 {
    let ranks = |v: &[f64]| -> Vec<f64> {
        let mut order: Vec<usize> = (0..v.len()).collect();
        order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < order.len() {
            let mut j = i;
            while j + 1 < order.len() && v[order[j + 1]] == v[order[i]] {
                j += 1;
            }
            let average = (i + j) as f64 / 2.0;
            for &k in &order[i..=j] {
                r[k] = average;
            }
            i = j + 1;
        }
        r
    };
    let (rx, ry) = (ranks(x), ranks(y));
    let n = x.len() as f64;
    let mean = (n - 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - mean) * (b - mean);
        sxx += (a - mean) * (a - mean);
        syy += (b - mean) * (b - mean);
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// P(a beats b) over the pairs where both are defined, and how many there were.
pub fn p_beats(a: &[f64], b: &[f64], better: Better) -> (f64, usize) {
    let scores: Vec<f64> = a
        .iter()
        .zip(b)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| better.score(*x, *y))
        .collect();
    let n = scores.len();
    let p = if n == 0 {
        f64::NAN
    } else {
        scores.iter().sum::<f64>() / n as f64
    };
    (p, n)
}

/// The metrics of one single-replicate run, by name, with customers at `early`.
fn run_metrics(o: &RunOutcome, early: u32) -> Vec<(String, f64)> {
    compare::replicate_metrics(o, early)
        .into_iter()
        .map(|(name, v)| (name, v.first().copied().unwrap_or(f64::NAN)))
        .collect()
}

/// A robustness check ready to run: every scenario at every draw, validated.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The compared scenarios, the baseline first.
    pub entries: Vec<Entry>,
    /// The uncertain parameters.
    pub parameters: Vec<UncertainParameter>,
    /// The draws.
    pub draws: Vec<Draw>,
    /// `scenarios[s][d]`: scenario s at draw d.
    pub scenarios: Vec<Vec<Scenario>>,
}

/// Lays out `n` draws of `parameters` from `seed` and builds every scenario at every
/// draw, so a draw outside what a key accepts fails before anything runs.
pub fn plan(
    entries: Vec<Entry>,
    parameters: Vec<UncertainParameter>,
    n: u32,
    seed: u64,
) -> Result<Plan, ScenarioError> {
    let draws = draws(&parameters, n, seed);
    let scenarios = entries
        .iter()
        .map(|e| {
            draws
                .iter()
                .map(|d| scenario_at(e, &parameters, d))
                .collect::<Result<_, _>>()
        })
        .collect::<Result<_, ScenarioError>>()?;
    Ok(Plan {
        entries,
        parameters,
        draws,
        scenarios,
    })
}

/// Runs every scenario of a comparison at each draw of a [`plan`] and computes
/// P(beats baseline) per metric and the dependences.
pub fn run(plan: Plan, options: &RunOptions, early: u32) -> Result<Robustness, RunError> {
    let Plan {
        entries,
        parameters,
        draws,
        scenarios,
    } = plan;
    let n = draws.len();
    let options = RunOptions {
        quiet: true,
        outcomes: false,
        ..options.clone()
    };
    let ticks: u64 = scenarios
        .iter()
        .flatten()
        .map(crate::engine::ticks_stepped)
        .sum();
    let runs: Vec<Vec<RunOutcome>> = experiment::with_pool(options.threads, |threads| {
        if let Some(first) = scenarios.first().and_then(|s| s.first()) {
            experiment::check_memory(first, threads, &options)?;
        }
        let progress = Progress::new(ticks, "draw-ticks", false);
        progress.message(format!(
            "· {n} uncertain draws of {} parameters × {} scenarios",
            parameters.len(),
            entries.len()
        ));
        let runs = entries
            .iter()
            .zip(&scenarios)
            .map(|(e, at)| {
                at.par_iter()
                    .map(|s| {
                        experiment::run_in_pool(s.clone(), &e.file, &options, 1, &|| {
                            progress.tick()
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>();
        progress.finish();
        runs
    })?;
    Ok(summarise(&entries, parameters, draws, &runs, early))
}

/// The probabilities and dependences of finished runs (`runs[scenario][draw]`).
fn summarise(
    entries: &[Entry],
    parameters: Vec<UncertainParameter>,
    draws: Vec<Draw>,
    runs: &[Vec<RunOutcome>],
    early: u32,
) -> Robustness {
    let names: Vec<String> = entries.iter().map(|e| e.scenario.name.clone()).collect();
    let per_run: Vec<Vec<Vec<(String, f64)>>> = runs
        .iter()
        .map(|r| r.iter().map(|o| run_metrics(o, early)).collect())
        .collect();
    let metrics: Vec<String> = per_run
        .first()
        .and_then(|r| r.first())
        .map(|m| m.iter().map(|(name, _)| name.clone()).collect())
        .unwrap_or_default();
    let values: Vec<Vec<Vec<f64>>> = per_run
        .iter()
        .map(|draws| {
            metrics
                .iter()
                .map(|m| {
                    draws
                        .iter()
                        .map(|d| {
                            d.iter()
                                .find(|(name, _)| name == m)
                                .map_or(f64::NAN, |(_, v)| *v)
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let crossovers: Vec<Vec<Option<u32>>> = runs
        .iter()
        .enumerate()
        .map(|(s, r)| {
            r.iter()
                .zip(&runs[0])
                .map(|(o, base)| {
                    (s > 0)
                        .then(|| compare::crossover(base, o))
                        .flatten()
                        .and_then(|x| x.days.last().copied())
                })
                .collect()
        })
        .collect();
    let mut rows = Vec::new();
    let mut dependences = Vec::new();
    for s in 1..names.len() {
        for (m, metric) in metrics.iter().enumerate() {
            let better = Better::of(metric);
            let (p, n) = p_beats(&values[s][m], &values[0][m], better);
            if n == 0 {
                // Undefined in every draw (a cost per acquisition of an unused channel).
                continue;
            }
            rows.push(Row {
                metric: metric.clone(),
                scenario: names[s].clone(),
                baseline: names[0].clone(),
                p_beats_baseline: p,
                draws: n,
                better,
            });
        }
        for headline in HEADLINE {
            let Some(m) = metrics.iter().position(|x| x == headline) else {
                continue;
            };
            let better = Better::of(headline);
            let sign = if better == Better::Higher { 1.0 } else { -1.0 };
            let lead: Vec<f64> = values[s][m]
                .iter()
                .zip(&values[0][m])
                .map(|(a, b)| sign * (a - b))
                .collect();
            let mut found: Vec<Dependence> = parameters
                .iter()
                .enumerate()
                .map(|(k, p)| {
                    let x: Vec<f64> = draws.iter().map(|d| d.values[k]).collect();
                    let mid = (p.low + p.high) / 2.0;
                    let half = |upper: bool| {
                        let pick: Vec<usize> =
                            (0..x.len()).filter(|&i| (x[i] >= mid) == upper).collect();
                        let a: Vec<f64> = pick.iter().map(|&i| values[s][m][i]).collect();
                        let b: Vec<f64> = pick.iter().map(|&i| values[0][m][i]).collect();
                        p_beats(&a, &b, better).0
                    };
                    Dependence {
                        metric: headline.to_string(),
                        scenario: names[s].clone(),
                        parameter: p.key.clone(),
                        rank_correlation: rank_correlation(&x, &lead),
                        p_beats_low: half(false),
                        p_beats_high: half(true),
                        low: p.low,
                        high: p.high,
                    }
                })
                .collect();
            found.sort_by(|a, b| {
                b.rank_correlation
                    .abs()
                    .total_cmp(&a.rank_correlation.abs())
                    .then_with(|| a.parameter.cmp(&b.parameter))
            });
            dependences.extend(found);
        }
    }
    Robustness {
        parameters,
        draws,
        scenarios: names,
        metrics,
        values,
        crossovers,
        rows,
        dependences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_count_one_half_and_lower_is_better_for_costs() {
        assert_eq!(
            p_beats(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0], Better::Higher),
            (0.5, 3)
        );
        assert_eq!(
            p_beats(
                &[2.0, 1.0, 5.0, f64::NAN],
                &[1.0, 1.0, 6.0, 0.0],
                Better::Higher
            ),
            (0.5, 3)
        );
        assert_eq!(Better::of("cpa_paid_social"), Better::Lower);
        assert_eq!(Better::of("churn_hazard"), Better::Lower);
        assert_eq!(Better::of("final_customers"), Better::Higher);
        assert_eq!(p_beats(&[1.0], &[2.0], Better::Lower), (1.0, 1));
    }

    #[test]
    fn rank_correlation_of_monotone_constant_and_tied_series() {
        assert_eq!(rank_correlation(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]), 1.0);
        assert_eq!(rank_correlation(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), -1.0);
        assert_eq!(rank_correlation(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), 0.0);
        // Monotone but not linear: still 1.
        assert!(
            (rank_correlation(&[1.0, 2.0, 3.0, 4.0], &[1.0, 8.0, 27.0, 64.0]) - 1.0).abs() < 1e-12
        );
    }

    #[test]
    fn draws_cover_each_range_once_per_stratum_and_seeds_differ() {
        let p = UncertainParameter {
            key: "market.word_of_mouth.talk_rate".into(),
            low: 0.0,
            high: 1.0,
            whole: false,
        };
        let p2 = p.clone();
        let d = draws(&[p], 10, 3);
        let mut strata: Vec<usize> = d.iter().map(|x| (x.values[0] * 10.0) as usize).collect();
        strata.sort_unstable();
        assert_eq!(strata, (0..10).collect::<Vec<_>>());
        let mut seeds: Vec<u64> = d.iter().map(|x| x.seed).collect();
        seeds.dedup();
        assert_eq!(seeds.len(), 10);
        assert_eq!(
            d,
            draws(&[p2], 10, 3),
            "the same seed draws the same values"
        );
    }
}
