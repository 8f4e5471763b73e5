//! The results folder (docs/OUTPUTS.md): its file names, its column names, how a run's
//! tables are written, and which folders murmur may write or replace ([`folder`]).
//!
//! Everything that writes or reads a results folder takes its names from here:
//! `compare` and `sweep` write through it, `report` and `plot` read with its names.
//! This layer knows nothing of plots or reports: a caller that wants them passes a
//! [`Decorate`] step, run inside the folder before it is sealed and renamed into place
//! (the command line does; see `cli`).

pub mod folder;
mod manifest;
pub mod network;
pub mod read;
pub mod slices;
mod write;

pub use crate::engine::marketing::{
    AGENT_COLUMNS, COLUMNS as MARKETING_COLUMNS, SOURCE_COLUMNS, diagnosis_sentence,
};
pub use crate::metrics::number;
pub use folder::MANIFEST;
pub use manifest::{Build, Kind, Manifest};
pub use read::{ReadError, Rows, Table};
pub use write::{
    OutputError, Source, atomic_dir, atomic_file, headline_table, io, write_degrees,
    write_manifest, write_run, write_run_with, write_summary, write_table, write_timeseries,
};

/// One replicate × tick per row: the scenario's time series.
pub const TIMESERIES: &str = "timeseries.csv";
/// One replicate per row: the summary figures.
pub const SUMMARY: &str = "summary.csv";
/// The network's degree distribution.
pub const DEGREES: &str = "degrees.csv";
/// Every agent's final state (marketing model, with `--agents`).
pub const AGENTS: &str = "agents.csv";
/// Survival of each monthly acquisition cohort by age (marketing model).
pub const COHORTS: &str = "cohorts.csv";
/// A comparison's paired differences.
pub const DIFFERENCES: &str = "differences.csv";
/// A comparison's crossover days in cumulative profit against the baseline.
pub const CROSSOVERS: &str = "crossovers.csv";
/// A comparison's expansion and acceleration per replicate.
pub const PROGRAMME: &str = "programme.csv";
/// Counterfactual attribution of `murmur attribute` (per channel, then `total`).
pub const ATTRIBUTION: &str = "attribution.csv";
/// The columns of `attribution.csv`, in order (a contract: add, never rename).
pub const ATTRIBUTION_COLUMNS: [&str; 9] = [
    "channel",
    "shapley_customers",
    "shapley_customers_low",
    "shapley_customers_high",
    "shapley_profit",
    "shapley_profit_low",
    "shapley_profit_high",
    "leave_one_out_customers",
    "last_touch_customers",
];
/// `murmur sensitivity`'s indices, per metric and parameter.
pub const SENSITIVITY: &str = "sensitivity.csv";
/// The columns of a Sobol' `sensitivity.csv` (a contract: add, never rename).
pub const SENSITIVITY_COLUMNS: [&str; 8] = [
    "metric",
    "parameter",
    "first_order",
    "first_order_low",
    "first_order_high",
    "total",
    "total_low",
    "total_high",
];
/// The columns of a Morris `sensitivity.csv`.
pub const MORRIS_COLUMNS: [&str; 7] = [
    "metric",
    "parameter",
    "mu_star",
    "mu_star_low",
    "mu_star_high",
    "sigma",
    "mu",
];
/// `murmur sensitivity`'s points: parameter values and metric means per point.
pub const SENSITIVITY_POINTS: &str = "sensitivity_points.csv";
/// `murmur calibrate`'s posterior sample: one row per particle of the final generation.
pub const POSTERIOR: &str = "posterior.csv";
/// The columns `posterior.csv` ends with, after one per parameter (named by its key).
pub const POSTERIOR_COLUMNS: [&str; 2] = ["weight", "distance"];
/// `murmur calibrate`'s summary per parameter.
pub const CALIBRATION: &str = "calibration.csv";
/// The columns of `calibration.csv` (a contract: add, never rename).
pub const CALIBRATION_COLUMNS: [&str; 7] = [
    "parameter",
    "mean",
    "median",
    "low",
    "high",
    "prior_low",
    "prior_high",
];
/// `murmur calibrate`'s generations: tolerance, acceptance, effective sample size.
pub const CALIBRATION_GENERATIONS: &str = "calibration_generations.csv";
/// The columns of `calibration_generations.csv`.
pub const CALIBRATION_GENERATIONS_COLUMNS: [&str; 6] = [
    "generation",
    "tolerance",
    "proposals",
    "accepted",
    "acceptance",
    "ess",
];
/// `murmur calibrate`'s fit: observed against fitted, with the predictive band.
pub const FIT: &str = "fit.csv";
/// The columns of `fit.csv`.
pub const FIT_COLUMNS: [&str; 6] = ["tick", "column", "observed", "fitted", "low", "high"];
/// `murmur calibrate`'s scenario with the fitted values (posterior means).
pub const CALIBRATED: &str = "calibrated.toml";
/// A comparison's robustness check: P(scenario beats baseline) per metric.
pub const ROBUSTNESS: &str = "robustness.csv";
/// The columns of `robustness.csv`, in order (a contract: add, never rename).
pub const ROBUSTNESS_COLUMNS: [&str; 6] = [
    "metric",
    "scenario",
    "baseline",
    "p_beats_baseline",
    "draws",
    "better",
];
/// The robustness check's draws: one row per draw, its seed and parameter values.
pub const UNCERTAIN_DRAWS: &str = "uncertain_draws.csv";
/// The robustness check's outcomes: one row per draw and scenario, every metric.
pub const UNCERTAIN_OUTCOMES: &str = "uncertain_outcomes.csv";
/// How the ranking on the headline metrics depends on each uncertain parameter.
pub const ROBUSTNESS_PARAMETERS: &str = "robustness_parameters.csv";
/// The columns of `robustness_parameters.csv`, in order.
pub const ROBUSTNESS_PARAMETERS_COLUMNS: [&str; 9] = [
    "metric",
    "scenario",
    "baseline",
    "parameter",
    "rank_correlation",
    "p_beats_low",
    "p_beats_high",
    "low",
    "high",
];
/// Every plan `murmur optimise` proposed, one row each.
pub const CANDIDATES: &str = "candidates.csv";
/// The columns of `candidates.csv`, in order (a contract up to `stage`: add, never
/// rename).
pub const CANDIDATES_COLUMNS: [&str; 21] = [
    "candidate",
    "budget",
    "social_media_share",
    "timing",
    "social_media_spend",
    "community_spend",
    "spend",
    "feasible",
    "objective",
    "objective_mean",
    "objective_low",
    "objective_high",
    "incremental_customers",
    "incremental_profit",
    "marginal_roi",
    "break_even_day",
    "payback_day",
    "stage",
    "status",
    "same_as",
    "reason",
];
/// The response curves of `murmur optimise`, one row per channel and level.
pub const CURVES: &str = "curves.csv";
/// The columns of `curves.csv`, in order.
pub const CURVES_COLUMNS: [&str; 12] = [
    "channel",
    "level",
    "spend_per_day",
    "incremental_customers",
    "incremental_customers_low",
    "incremental_customers_high",
    "incremental_profit",
    "incremental_profit_low",
    "incremental_profit_high",
    "marginal_roi",
    "current",
    "spent_per_day",
];
/// The best and runner-up plans of `murmur optimise` over time.
pub const PLAN_TIMELINE: &str = "plan_timeline.csv";
/// The columns of `plan_timeline.csv`, in order.
pub const PLAN_TIMELINE_COLUMNS: [&str; 7] = [
    "plan",
    "candidate",
    "tick",
    "incremental_customers",
    "incremental_customers_low",
    "incremental_customers_high",
    "spend",
];
/// The best plan of `murmur optimise` as a ready-to-run scenario.
pub const BEST: &str = "best.toml";
/// A sweep's points and their parameter values.
pub const POINTS: &str = "points.csv";
/// A sweep point's swept values, in its point folder.
pub const POINT: &str = "point.json";
/// The report page.
pub const REPORT: &str = "report.html";

/// The columns every `timeseries.csv` starts with (after a comparison's `scenario` or a
/// sweep's `point` and parameter columns); the marketing model's
/// [`COLUMNS`](crate::engine::marketing::COLUMNS) follow.
pub const BASE_COLUMNS: [&str; 5] = ["replicate", "tick", "adopters", "share", "new_adopters"];

/// The columns every `summary.csv` starts with; the marketing model's figures follow.
pub const SUMMARY_COLUMNS: [&str; 6] = [
    "replicate",
    "final_adopters",
    "final_share",
    "peak_tick",
    "peak_new_adopters",
    "half_tick",
];

/// The columns of `degrees.csv`.
pub const DEGREES_COLUMNS: [&str; 2] = ["degree", "agents"];

/// The columns of `cohorts.csv`, in order.
pub const COHORTS_COLUMNS: [&str; 6] = ["replicate", "cohort", "age", "size", "surviving", "share"];

/// The columns of `differences.csv`, in order.
pub const DIFFERENCES_COLUMNS: [&str; 9] = [
    "scenario",
    "metric",
    "baseline_mean",
    "mean",
    "difference",
    "low",
    "high",
    "unpaired_low",
    "unpaired_high",
];

/// The columns of `crossovers.csv`, in order: per compared scenario, how often the
/// mean paired difference in cumulative profit changes sign, and the last day it does.
pub const CROSSOVERS_COLUMNS: [&str; 3] = ["scenario", "crossovers", "last_day"];

/// The columns of `programme.csv`, in order.
pub const PROGRAMME_COLUMNS: [&str; 8] = [
    "scenario",
    "replicate",
    "extra_customers",
    "expansion",
    "expansion_from_competitor",
    "acceleration",
    "expansion_value",
    "acceleration_value",
];

/// Draws plots and a report into a results folder from its files alone, before the
/// folder is sealed. The results layer calls it without knowing what it draws.
pub type Decorate<'a> = &'a (dyn Fn(&std::path::Path) -> Result<(), DecorateError> + Sync);

/// Why plots or a report could not be drawn (the drawing layer's own error).
pub type DecorateError = Box<dyn std::error::Error + Send + Sync>;

/// A [`Decorate`] step that draws nothing.
pub fn undecorated(_: &std::path::Path) -> Result<(), DecorateError> {
    Ok(())
}
