//! Response curves and the best plan of a marketing scenario (issue 11, item 2;
//! docs/MODEL.md §4.13): a grid screen over budget level × social-media share ×
//! timing, then rounds of local refinement around the best feasible plan, every
//! candidate run with the scenario's seed and replicates (common random numbers)
//! against ONE shared run with marketing off, plus per-channel response curves.
//!
//! The pure pieces (grid, refinement steps, phases, break-even day) are in `plan`;
//! the files are written by `write`. This layer runs experiments and computes; only
//! `write` touches a folder, and only the one the caller hands it.

mod curves;
pub mod plan;
mod write;

pub use plan::Plan;
pub use write::{table, write_files};

use crate::experiment::{self, RunError, RunOptions, RunOutcome};
use crate::metrics::{Interval, Series};
use crate::scenario::optimise::{Objective, OptimiseSpec};
use crate::scenario::{ModelSpec, Scenario, ScenarioError};
use std::collections::HashMap;
use std::path::Path;

/// Which part of the search proposed a candidate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The grid screen.
    Screen,
    /// A refinement round.
    Refine,
}

impl Stage {
    /// The name `candidates.csv` uses.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Screen => "screen",
            Stage::Refine => "refine",
        }
    }
}

/// What became of a candidate.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Run; its figures are `evaluations[i]`.
    Run(usize),
    /// The same scenario as an earlier candidate (given), whose run it shares.
    Duplicate {
        /// The earlier candidate.
        of: usize,
        /// Its evaluation.
        evaluation: usize,
    },
    /// A channel's spend per tick is outside its `[optimise.bounds]`; not run.
    OutOfBounds,
    /// The plan is not a valid scenario (the message says why); not run.
    Invalid(String),
}

/// One plan the search proposed.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The plan.
    pub plan: Plan,
    /// Screen or refinement.
    pub stage: Stage,
    /// What became of it.
    pub status: Status,
    /// Marginal ROI against the same share and timing at the next lower budget run:
    /// Δ mean incremental profit / Δ mean spend; `None` without one.
    pub marginal_roi: Option<f64>,
}

impl Candidate {
    /// The index of its evaluation, when it was run (or shares a run).
    pub fn evaluation(&self) -> Option<usize> {
        match self.status {
            Status::Run(e) | Status::Duplicate { evaluation: e, .. } => Some(e),
            _ => None,
        }
    }
}

/// The figures of one run scenario, per replicate against the shared baseline.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// The candidate's scenario text (without `[optimise]`), as `best.toml` writes it.
    pub text: String,
    /// The objective, mean and 95% interval over replicates.
    pub objective: Interval,
    /// The objective per replicate.
    pub objective_values: Vec<f64>,
    /// Total spend over the horizon (the `spend` figure).
    pub spend: Interval,
    /// Customers at the horizon minus the baseline's.
    pub incremental_customers: Interval,
    /// Cumulative profit at the horizon minus the baseline's.
    pub incremental_profit: Interval,
    /// Whether its mean spend is within `max_spend` (and its objective defined).
    pub feasible: bool,
    /// First day the mean incremental cumulative profit is ≥ 0 and stays so.
    pub break_even_day: Option<u32>,
    /// First day the mean incremental cumulative profit is ≥ the mean cumulative
    /// spend and stays so.
    pub payback_day: Option<u32>,
    /// Per tick, per replicate: customers minus the baseline's.
    pub incremental_customers_by_tick: Vec<Vec<f64>>,
    /// Per tick: mean spend that tick.
    pub spend_by_tick: Vec<f64>,
}

/// One point of a response curve.
#[derive(Clone, Debug)]
pub struct CurvePoint {
    /// `paid_social`, `community`, `advocates` or `reviews`.
    pub channel: &'static str,
    /// The channel's level: money per tick (paid social, community), the advocate
    /// count, or the survey interval in days (0 = off).
    pub level: f64,
    /// Spend per day: the channel's money per tick (paid social, community), or the
    /// run's mean total spend per day (advocates, reviews, paid from the community's
    /// money).
    pub spend_per_day: f64,
    /// Customers at the horizon minus the baseline's.
    pub incremental_customers: Interval,
    /// Cumulative profit at the horizon minus the baseline's.
    pub incremental_profit: Interval,
    /// Δ mean incremental profit / Δ mean total spend from the previous level;
    /// `None` for the first level or when the spend does not change.
    pub marginal_roi: Option<f64>,
    /// Whether this is the scenario's own level.
    pub current: bool,
    /// The run's mean total spend per day, as measured: below the money allotted where
    /// a channel cannot spend it (paid impressions stop at the frequency cap).
    pub spent_per_day: f64,
}

/// The result of `murmur optimise`.
#[derive(Clone, Debug)]
pub struct Optimisation {
    /// The spec searched.
    pub spec: OptimiseSpec,
    /// Every candidate, in the order proposed.
    pub candidates: Vec<Candidate>,
    /// Every distinct scenario run.
    pub evaluations: Vec<Evaluation>,
    /// The best feasible candidate.
    pub best: Option<usize>,
    /// The feasible candidate with the next-highest objective (another scenario).
    pub runner_up: Option<usize>,
    /// The response curves, channel by channel, levels ascending.
    pub curves: Vec<CurvePoint>,
    /// The evaluation of the scenario as given (without `[optimise]`), when valid.
    pub current: Option<usize>,
}

impl Optimisation {
    /// The evaluation of candidate `c`.
    pub fn evaluation_of(&self, c: usize) -> Option<&Evaluation> {
        self.candidates[c]
            .evaluation()
            .map(|e| &self.evaluations[e])
    }
}

/// Per-replicate and per-tick outcomes of the run with marketing off.
struct Baseline {
    customers: Vec<f64>,
    profit: Vec<f64>,
    customers_by_tick: Vec<Vec<f64>>,
    profit_by_tick: Vec<Vec<f64>>,
}

/// A column of a replicate, or NaNs when it is missing.
fn column(s: &Series, name: &str, len: usize) -> Vec<f64> {
    s.column(name)
        .map_or_else(|| vec![f64::NAN; len], <[f64]>::to_vec)
}

/// A figure of every replicate.
fn figures(series: &[Series], name: &str) -> Vec<f64> {
    series
        .iter()
        .map(|s| s.figure(name).unwrap_or(f64::NAN))
        .collect()
}

/// The mean with its 95% interval, NaN when no value is finite.
fn interval(values: &[f64]) -> Interval {
    Interval::of(values).unwrap_or(Interval {
        mean: f64::NAN,
        bounds: None,
        n: 0,
    })
}

/// The mean over replicates at each tick.
fn mean_by_tick(by_replicate: &[Vec<f64>]) -> Vec<f64> {
    let n = by_replicate.len().max(1) as f64;
    let ticks = by_replicate.first().map_or(0, Vec::len);
    (0..ticks)
        .map(|t| by_replicate.iter().map(|r| r[t]).sum::<f64>() / n)
        .collect()
}

/// The search: the base table, the shared baseline and every run so far.
struct Search<'a> {
    file: &'a Path,
    options: &'a RunOptions,
    spec: OptimiseSpec,
    ticks: u32,
    /// The scenario's table without `[optimise]` and `[sweep]`, seed and replicates set.
    base: toml::Table,
    baseline: Baseline,
    /// Resolved scenario (JSON) → evaluation, so equal scenarios are run once.
    runs: HashMap<String, usize>,
    /// The first candidate of each evaluation (none for a curve's run).
    first_of: Vec<Option<usize>>,
    evaluations: Vec<Evaluation>,
    candidates: Vec<Candidate>,
}

/// A refused optimisation: the scenario or file is the user's to fix.
fn refuse(file: &Path, problem: impl Into<String>) -> RunError {
    RunError::Scenario(Box::new(ScenarioError::new(file, problem)))
}

/// The scenario's table as a TOML table.
fn base_table(text: &str, file: &Path) -> Result<toml::Table, RunError> {
    toml::from_str(text).map_err(|e: toml::de::Error| {
        refuse(
            file,
            format!("cannot read the scenario as TOML: {}", e.message()),
        )
    })
}

/// The `[optimise]` spec of a scenario, or the defaults when it has no such table (the
/// text read again with an empty one, so the defaults are validated the same way).
pub fn spec_of(scenario: &Scenario, text: &str, file: &Path) -> Result<OptimiseSpec, RunError> {
    if let Some(spec) = &scenario.optimise {
        return Ok(spec.clone());
    }
    if !matches!(scenario.model, ModelSpec::Marketing(_)) {
        return Err(refuse(
            file,
            "optimisation needs a marketing scenario (`[model] kind = \"marketing\"`)",
        ));
    }
    let mut t = base_table(text, file)?;
    t.insert("optimise".into(), toml::Value::Table(toml::Table::new()));
    let with = toml::to_string(&t).map_err(|e| refuse(file, e.to_string()))?;
    // The table is not in the file, so a problem with its defaults has no line there.
    let s = Scenario::from_str_at(&with, file).map_err(|mut e| {
        e.line = None;
        e.problem = format!(
            "the scenario has no [optimise] table and its defaults do not apply: {}",
            e.problem
        );
        RunError::Scenario(Box::new(e))
    })?;
    Ok(s.optimise.expect("the table was added"))
}

/// The table every candidate starts from: the scenario's, without `[optimise]` and
/// `[sweep]`, with the seed and replicates it runs with written in (so `best.toml`
/// reproduces its run under command-line overrides).
fn candidate_base(scenario: &Scenario, text: &str, file: &Path) -> Result<toml::Table, RunError> {
    let mut base = base_table(text, file)?;
    base.remove("optimise");
    base.remove("sweep");
    for (key, value) in [
        ("seed", scenario.seed),
        ("replicates", u64::from(scenario.replicates)),
    ] {
        let value = i64::try_from(value).map_err(|_| {
            refuse(
                file,
                format!("{key} {value} is too large for a scenario file"),
            )
        })?;
        base.insert(key.into(), toml::Value::Integer(value));
    }
    Ok(base)
}

/// The one run of the market with marketing off that every candidate is compared with.
fn run_baseline(
    scenario: &Scenario,
    spec: &crate::scenario::MarketingSpec,
    file: &Path,
    options: &RunOptions,
) -> Result<Baseline, RunError> {
    let mut off = scenario.clone();
    off.model = ModelSpec::Marketing(Box::new(spec.without_marketing()));
    off.optimise = None;
    off.sweep = None;
    let b = experiment::run(off, file, options)?;
    let len = scenario.ticks as usize + 1;
    Ok(Baseline {
        customers: figures(&b.series, "final_customers"),
        profit: figures(&b.series, "cumulative_profit"),
        customers_by_tick: b
            .series
            .iter()
            .map(|s| column(s, "customers", len))
            .collect(),
        profit_by_tick: b
            .series
            .iter()
            .map(|s| column(s, "cumulative_profit", len))
            .collect(),
    })
}

/// Optimises `scenario` (read from `file`, whose text is `text`, with command-line
/// overrides already applied): screens the grid, refines around the best feasible
/// plan, draws the response curves. Every run uses the scenario's seed and replicates.
pub fn optimise(
    scenario: &Scenario,
    text: &str,
    file: &Path,
    options: &RunOptions,
) -> Result<Optimisation, RunError> {
    let ModelSpec::Marketing(spec) = &scenario.model else {
        return Err(refuse(
            file,
            "optimisation needs a marketing scenario (`[model] kind = \"marketing\"`)",
        ));
    };
    let opt = spec_of(scenario, text, file)?;
    let base = candidate_base(scenario, text, file)?;
    let baseline = run_baseline(scenario, spec, file, options)?;
    let mut search = Search {
        file,
        options,
        spec: opt.clone(),
        ticks: scenario.ticks,
        base,
        baseline,
        runs: HashMap::new(),
        first_of: Vec::new(),
        evaluations: Vec::new(),
        candidates: Vec::new(),
    };
    for p in plan::grid(&opt) {
        search.propose(p, Stage::Screen)?;
    }
    search.refine()?;
    search.marginal_rois();
    let curves = search.curves(spec)?;
    // The scenario as given (its own budget, split and timing), for comparison; the
    // curves have usually run it already.
    let own = toml::to_string(&search.base).map_err(|e| refuse(file, e.to_string()))?;
    let current = search.evaluate(own)?.ok();
    let (best, runner_up) = search.ranking();
    Ok(Optimisation {
        spec: opt,
        candidates: search.candidates,
        evaluations: search.evaluations,
        best,
        runner_up,
        current,
        curves,
    })
}

impl Search<'_> {
    /// The objective of one replicate `r` of a run.
    fn objective(&self, s: &Series, r: usize) -> f64 {
        let fig = |n: &str| s.figure(n).unwrap_or(f64::NAN);
        match self.spec.objective {
            Objective::IncrementalProfit => fig("cumulative_profit") - self.baseline.profit[r],
            Objective::Customers => fig("final_customers"),
            Objective::CustomerEquity => fig("customer_equity"),
            Objective::IncrementalCustomers => fig("final_customers") - self.baseline.customers[r],
        }
    }

    /// Runs the scenario of `text`, or finds its earlier run; the evaluation's index.
    fn evaluate(&mut self, text: String) -> Result<Result<usize, String>, RunError> {
        let mut s = match Scenario::from_str_at(&text, self.file) {
            Ok(s) => s,
            Err(e) => {
                let key = e.key.map_or(String::new(), |k| format!("{k}: "));
                return Ok(Err(format!("{key}{}", e.problem)));
            }
        };
        let key = serde_json::to_string(&s).unwrap_or_default();
        if let Some(&e) = self.runs.get(&key) {
            return Ok(Ok(e));
        }
        // Every candidate is compared with the one shared baseline run.
        if let ModelSpec::Marketing(m) = &mut s.model {
            m.strategy.baseline = false;
        }
        let o = experiment::run(s, self.file, self.options)?;
        let e = self.evaluation(text, &o);
        self.evaluations.push(e);
        self.runs.insert(key, self.evaluations.len() - 1);
        self.first_of.push(None);
        Ok(Ok(self.evaluations.len() - 1))
    }

    /// The figures of run `o` of the scenario `text` against the shared baseline.
    fn evaluation(&self, text: String, o: &RunOutcome) -> Evaluation {
        let len = self.ticks as usize + 1;
        let b = &self.baseline;
        let customers = figures(&o.series, "final_customers");
        let profit = figures(&o.series, "cumulative_profit");
        let objective_values: Vec<f64> = o
            .series
            .iter()
            .enumerate()
            .map(|(r, s)| self.objective(s, r))
            .collect();
        let by_tick = |name: &str, base: &[Vec<f64>]| -> Vec<Vec<f64>> {
            o.series
                .iter()
                .zip(base)
                .map(|(s, b)| {
                    let c = column(s, name, len);
                    c.iter().zip(b).map(|(x, y)| x - y).collect()
                })
                .collect()
        };
        let incremental_customers_by_tick = by_tick("customers", &b.customers_by_tick);
        let profit_by_tick = mean_by_tick(&by_tick("cumulative_profit", &b.profit_by_tick));
        let spend_cumulative = mean_by_tick(
            &o.series
                .iter()
                .map(|s| column(s, "cumulative_spend", len))
                .collect::<Vec<_>>(),
        );
        let spend_by_tick = mean_by_tick(
            &o.series
                .iter()
                .map(|s| column(s, "spend", len))
                .collect::<Vec<_>>(),
        );
        let objective = interval(&objective_values);
        let spend = interval(&figures(&o.series, "spend"));
        Evaluation {
            text,
            feasible: objective.mean.is_finite() && spend.mean <= self.spec.max_spend,
            objective,
            objective_values,
            spend,
            incremental_customers: interval(
                &customers
                    .iter()
                    .zip(&b.customers)
                    .map(|(x, y)| x - y)
                    .collect::<Vec<_>>(),
            ),
            incremental_profit: interval(
                &profit
                    .iter()
                    .zip(&b.profit)
                    .map(|(x, y)| x - y)
                    .collect::<Vec<_>>(),
            ),
            break_even_day: plan::break_even_day(&profit_by_tick),
            payback_day: plan::payback_day(&profit_by_tick, &spend_cumulative),
            incremental_customers_by_tick,
            spend_by_tick,
        }
    }

    /// Proposes `plan`: checks its bounds, builds and runs its scenario (once).
    fn propose(&mut self, plan: Plan, stage: Stage) -> Result<(), RunError> {
        let within = self.spec.social_media.holds(plan.social_media_spend())
            && self.spec.community.holds(plan.community_spend());
        let status = if within {
            let table = plan::plan_table(&self.base, &plan, &self.spec, self.ticks);
            match toml::to_string(&table) {
                Err(e) => Status::Invalid(e.to_string()),
                Ok(text) => {
                    let before = self.evaluations.len();
                    match self.evaluate(text)? {
                        Err(message) => Status::Invalid(message),
                        Ok(e) => match self.first_of[e] {
                            Some(of) if e < before => Status::Duplicate { of, evaluation: e },
                            _ => {
                                self.first_of[e] = Some(self.candidates.len());
                                Status::Run(e)
                            }
                        },
                    }
                }
            }
        } else {
            Status::OutOfBounds
        };
        self.candidates.push(Candidate {
            plan,
            stage,
            status,
            marginal_roi: None,
        });
        Ok(())
    }

    /// The best feasible candidate and the runner-up (the best of another scenario).
    fn ranking(&self) -> (Option<usize>, Option<usize>) {
        let mut ranked: Vec<(usize, usize)> = self
            .candidates
            .iter()
            .enumerate()
            .filter_map(|(c, cand)| match cand.status {
                Status::Run(e) if self.evaluations[e].feasible => Some((c, e)),
                _ => None,
            })
            .collect();
        // Highest mean first; among equals, the first proposed.
        ranked.sort_by(|a, b| {
            let (x, y) = (&self.evaluations[a.1], &self.evaluations[b.1]);
            y.objective
                .mean
                .total_cmp(&x.objective.mean)
                .then(a.0.cmp(&b.0))
        });
        (ranked.first().map(|r| r.0), ranked.get(1).map(|r| r.0))
    }

    /// `refine` rounds around the best feasible plan, in budget and in share, with the
    /// step to the screen best's grid neighbours halved each round.
    fn refine(&mut self) -> Result<(), RunError> {
        let Some(start) = self.ranking().0 else {
            return Ok(());
        };
        let first = self.candidates[start].plan;
        let budget_gaps = plan::gaps(first.budget, &self.spec.budget);
        let share_gaps = plan::gaps(first.social_media_share, &self.spec.social_media_share);
        for round in 1..=self.spec.refine {
            let Some(best) = self.ranking().0 else {
                break;
            };
            let best = self.candidates[best].plan;
            for budget in plan::refine_points(best.budget, budget_gaps, round) {
                self.propose(Plan { budget, ..best }, Stage::Refine)?;
            }
            for social_media_share in
                plan::refine_points(best.social_media_share, share_gaps, round)
            {
                self.propose(
                    Plan {
                        social_media_share,
                        ..best
                    },
                    Stage::Refine,
                )?;
            }
        }
        Ok(())
    }

    /// Each run candidate's marginal ROI against the same share and timing at the next
    /// lower budget that was run.
    fn marginal_rois(&mut self) {
        for c in 0..self.candidates.len() {
            let Some(e) = self.candidates[c].evaluation() else {
                continue;
            };
            let p = self.candidates[c].plan;
            let lower = self
                .candidates
                .iter()
                .filter(|o| {
                    o.plan.timing == p.timing
                        && o.plan.social_media_share == p.social_media_share
                        && o.plan.budget < p.budget
                })
                .filter_map(|o| o.evaluation().map(|oe| (o.plan.budget, oe)))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            self.candidates[c].marginal_roi = lower.and_then(|(_, le)| {
                let (hi, lo) = (&self.evaluations[e], &self.evaluations[le]);
                marginal(
                    hi.incremental_profit.mean - lo.incremental_profit.mean,
                    hi.spend.mean - lo.spend.mean,
                    hi.spend.mean.max(lo.spend.mean),
                )
            });
        }
    }
}

/// Δ profit / Δ spend between two runs whose total spends are `spend` apart, the
/// higher being `total`; `None` when the spend changes by under 1% of `total` (or 1
/// currency unit), where the ratio would be noise over a reallocation.
fn marginal(profit: f64, spend: f64, total: f64) -> Option<f64> {
    (spend.abs() >= (0.01 * total.abs()).max(1.0) && profit.is_finite()).then(|| profit / spend)
}
