//! The command line's arguments: the subcommands and their options (clap derive).

use crate::experiment;
use crate::scenario::Overrides;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// murmur: agent-based simulation of word-of-mouth and community marketing.
#[derive(Parser, Debug)]
#[command(name = "murmur", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a scenario and write its results.
    Run(RunArgs),
    /// Check a scenario (and any edge list it names) without running it.
    Validate {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Run several scenarios on the same network and random numbers and report their
    /// paired differences against the first.
    Compare(CompareArgs),
    /// Attribute a marketing scenario's incremental customers and profit to its
    /// channels: every coalition of channels on common random numbers, Shapley values.
    Attribute(AttributeArgs),
    /// Search budget level, social-media/community split and timing for the plan that
    /// maximises an objective under a spend constraint (the `[optimise]` table, or its
    /// defaults), with response curves per channel and the best plan as best.toml.
    Optimise(OptimiseArgs),
    /// Global sensitivity of a scenario's outputs to its parameters: Sobol' indices or
    /// Morris screening over the `[sensitivity]` table's ranges (or the catalogue's).
    Sensitivity(SensitivityArgs),
    /// Build a scenario's network (its first replicate's) and export it with its
    /// attributes: edges.csv, nodes.csv and network.graphml (for Gephi, Cytoscape,
    /// networkx), without running the model.
    Network(NetworkArgs),
    /// Fit a scenario's parameters to observed data by ABC-SMC (the `[calibration]`
    /// table): posterior samples, the calibrated scenario and a plot of the fit.
    Calibrate(CalibrateArgs),
    /// Run the standard benchmark set (network build, Bass and marketing ticks, a batch
    /// of small cascades, what renumbering the agents for locality would buy) at a
    /// chosen scale, each as a ratio to the CSR ceiling measured in the same run, and
    /// write bench.json with the machine's description.
    Bench(BenchArgs),
    /// Redraw the plots and the report of a results folder from its CSVs alone.
    Plot {
        /// The results folder (of a run, sweep or comparison).
        dir: PathBuf,
    },
    /// Join the slices of one sweep or run (folders written with --shard) into one
    /// result, byte for byte what one process would have written.
    Merge {
        /// The slice folders.
        #[arg(required = true)]
        slices: Vec<PathBuf>,
        /// The merged results folder.
        #[arg(long)]
        out: PathBuf,
    },
}

/// `murmur bench`'s arguments.
#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Agents of the benchmark network (Barabási–Albert, m = 5; 1m = 1,000,000).
    #[arg(long, default_value = "1000000", value_parser = parse_count)]
    pub agents: usize,
    /// Repeats of each measurement; the median is reported.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub repeats: u32,
    /// Small cascades per repeat of the cascade batch.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub cascades: u32,
    /// Worker threads (default: every core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Benchmark on this undirected edge list (one "u v" per line, as `[network]
    /// kind = "edge_list"` reads) instead of a Barabási–Albert graph; --agents is then
    /// the file's.
    #[arg(long, value_name = "FILE")]
    pub network: Option<PathBuf>,
    /// The cascade batch's model: independent cascade (ic) or linear threshold (lt).
    #[arg(long, value_enum, default_value = "ic")]
    pub cascade: CascadeModel,
    /// The independent cascade's probability per arc.
    #[arg(long, default_value_t = 0.0001, value_parser = parse_probability)]
    pub probability: f64,
    /// Time only the ceiling and the cascade batch (for side-by-side scripts such as
    /// bench/peers.py).
    #[arg(long)]
    pub cascades_only: bool,
    /// The results folder for bench.json [default: results/bench-<agents>].
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// The cascade model of `murmur bench`'s batch.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CascadeModel {
    /// Independent cascade (--probability per arc).
    Ic,
    /// Linear threshold (uniform thresholds, weights 1/in-degree).
    Lt,
}

/// A probability in [0, 1].
fn parse_probability(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|p| (0.0..=1.0).contains(p))
        .ok_or_else(|| format!("expected a probability from 0 to 1, e.g. 0.05; found \"{text}\""))
}

/// A count written plainly or with a k or m suffix (`250k`, `1m`).
fn parse_count(text: &str) -> Result<usize, String> {
    let t = text.trim().to_ascii_lowercase().replace('_', "");
    let (digits, scale) = match t.strip_suffix('m') {
        Some(d) => (d, 1_000_000),
        None => match t.strip_suffix('k') {
            Some(d) => (d, 1_000),
            None => (t.as_str(), 1),
        },
    };
    digits
        .parse::<usize>()
        .ok()
        .and_then(|d| d.checked_mul(scale))
        .filter(|&n| n >= 10)
        .ok_or_else(|| {
            format!(
                "expected a number of agents, 10 or more, e.g. 100000, 250k or 1m; found \"{text}\""
            )
        })
}

/// `murmur sensitivity`'s arguments.
#[derive(clap::Args, Debug)]
pub struct SensitivityArgs {
    /// The scenario file (TOML), with a `[sensitivity]` table or not.
    pub scenario: PathBuf,
    /// The results folder (default: results/sensitivity-<name>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Continue an interrupted analysis into the same --out, from the points it kept.
    #[arg(long)]
    pub resume: bool,
    /// Run only the K-th of N contiguous slices of the design's points (e.g. 2/8);
    /// `murmur merge` joins the slices and estimates the indices.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Seed, replicates, threads and quiet.
    #[command(flatten)]
    pub execution: Execution,
}

/// The options `run` and `compare` share: overrides of every scenario's seed and
/// replicates, worker threads, and quiet output.
#[derive(clap::Args, Clone, Debug)]
pub struct Execution {
    /// Override the seed of each scenario.
    #[arg(long)]
    pub seed: Option<u64>,
    /// Override the number of replicates of each scenario.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub replicates: Option<u32>,
    /// Worker threads [default: all cores]. Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// No progress bar and no summary table.
    #[arg(long, short)]
    pub quiet: bool,
    /// Set a scenario key, as if the file said so: `--set population.size=20000`
    /// (repeatable; checked like the file; recorded in the manifest's scenario as `set`).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = crate::scenario::set::parse_setting)]
    pub set: Vec<crate::scenario::set::Setting>,
    /// Progress: `auto` (a bar on a terminal after a second), `always` (a bar at once,
    /// or a plain line per tenth of the work when stderr is a log), `never`.
    #[arg(long, value_enum, default_value_t = experiment::ProgressMode::Auto)]
    pub progress: experiment::ProgressMode,
}

impl Execution {
    /// The seed and replicates overrides.
    pub(super) fn overrides(&self) -> Overrides {
        Overrides {
            seed: self.seed,
            replicates: self.replicates,
            set: self.set.iter().map(ToString::to_string).collect(),
        }
    }

    /// The worker threads asked for, if any.
    pub(super) fn threads(&self) -> Option<usize> {
        self.threads.map(usize::from)
    }
}

/// Arguments of `murmur attribute`.
#[derive(clap::Args, Debug)]
pub struct AttributeArgs {
    /// The scenario file (TOML) of a marketing model.
    pub scenario: PathBuf,
    /// Results folder [default: results/attribute-<name>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed, replicates, threads and quiet.
    #[command(flatten)]
    pub execution: Execution,
}

/// Arguments of `murmur calibrate`.
#[derive(clap::Args, Debug)]
pub struct CalibrateArgs {
    /// The scenario file (TOML) with a `[calibration]` table.
    pub scenario: PathBuf,
    /// The observed data (CSV with a tick column), instead of the table's `data`.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Results folder [default: results/calibrate-<name>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed, replicates, threads and quiet.
    #[command(flatten)]
    pub execution: Execution,
}

/// Arguments of `murmur optimise`.
#[derive(clap::Args, Debug)]
pub struct OptimiseArgs {
    /// The scenario file (TOML) of a marketing model, with or without `[optimise]`.
    pub scenario: PathBuf,
    /// Results folder [default: results/optimise-<name>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed, replicates, threads and quiet.
    #[command(flatten)]
    pub execution: Execution,
}

/// Arguments of `murmur compare`.
#[derive(clap::Args, Debug)]
pub struct CompareArgs {
    /// The scenario files; the first is the baseline.
    #[arg(required = true, num_args = 2..)]
    pub scenarios: Vec<PathBuf>,
    /// Results folder [default: results/compare-<first>-vs-<second>...].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The early day at which customers are compared too (metric `customers_day_<N>`)
    /// [default: 30, or the shortest scenario's last tick if that is earlier].
    #[arg(long)]
    pub early: Option<u32>,
    /// Also check how robust the ranking is: run every scenario at N draws of the
    /// uncertain parameters (the first scenario's [uncertainty] table, or the key
    /// catalogue's plausible ranges), each on a new network, and report P(beats
    /// baseline) per metric [N default: the table's `draws`, or 40].
    #[arg(long, value_name = "N", num_args = 0..=1, value_parser = clap::value_parser!(u32).range(1..))]
    pub uncertain: Option<Option<u32>>,
    /// Also attribute each marketing scenario's incremental customers and profit to its
    /// channels (Shapley values over every coalition, as `murmur attribute` does):
    /// attribution.csv with a `scenario` column, and the chart in the report's summary.
    #[arg(long)]
    pub attribute: bool,
    /// Seed, replicates, threads and quiet.
    #[command(flatten)]
    pub execution: Execution,
}

/// Arguments of `murmur run`.
#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Results folder [default: results/<scenario name>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Seed, replicates, threads and quiet.
    #[command(flatten)]
    pub execution: Execution,
    /// Also write agents.csv: every agent's final state (marketing model).
    #[arg(long)]
    pub agents: bool,
    /// Continue an interrupted sweep, skipping the points already finished.
    #[arg(long)]
    pub resume: bool,
    /// Run only the K-th of N slices (e.g. 2/8) of a sweep's points, or of a plain run's
    /// replicates, for job schedulers; `murmur merge` joins the slices.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
}

/// Arguments of `murmur network`.
#[derive(clap::Args, Debug)]
pub struct NetworkArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Results folder [default: results/network-<scenario name>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override the scenario's seed (a generated network depends on it).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Set a scenario key, as if the file said so (repeatable; as for `run`).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = crate::scenario::set::parse_setting)]
    pub set: Vec<crate::scenario::set::Setting>,
}
