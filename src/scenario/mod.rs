//! Scenario files: what to simulate, read from TOML, validated, with defaults filled in.
//!
//! A scenario is parsed in two steps. The file-facing form (`raw`) mirrors the TOML
//! keys one to one, so serde can reject unknown keys and wrong types with the key's
//! path and line (`diagnose` words those messages, `spans` finds the lines). It is
//! then resolved (`resolve`) into [`Scenario`]: typed, range-checked, every default
//! explicit, so the engine never sees an invalid value and the manifest can record
//! exactly what ran. Every key is described once, in the catalogue of [`keys`]:
//! ranges, messages and the parameter tables of docs/MODEL.md read it.

pub mod calibration;
mod diagnose;
mod error;
pub mod keys;
pub mod marketing;
pub mod optimise;
mod raw;
mod resolve;
pub mod sensitivity;
pub mod set;
mod spans;
pub mod sweep;
pub mod uncertainty;

pub use error::{ScenarioError, Violation};
pub use marketing::MarketingSpec;

use serde::Serialize;
use std::path::{Path, PathBuf};

/// A validated scenario, with every default filled in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    /// Human-readable name; also the default results folder name.
    pub name: String,
    /// Number of simulated ticks after the initial state (tick 0).
    pub ticks: u32,
    /// Master seed of every random stream.
    pub seed: u64,
    /// Number of independent replicates.
    pub replicates: u32,
    /// Population settings.
    pub population: Population,
    /// Network settings.
    pub network: NetworkSection,
    /// The diffusion model and its parameters.
    pub model: ModelSpec,
    /// The parameter sweep, if the file declares one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<sweep::SweepSpec>,
    /// The uncertain parameters of a robustness check (`[uncertainty]`), if the file
    /// declares them; a plain run ignores them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<uncertainty::UncertaintySpec>,
    /// The `[sensitivity]` table of `murmur sensitivity`, if the file declares one; a
    /// plain run ignores it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<sensitivity::SensitivitySpec>,
    /// The `[calibration]` table of `murmur calibrate`, if the file declares one; a
    /// plain run ignores it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<calibration::CalibrationSpec>,
    /// The command line's `--set key.path=VALUE` settings applied to the file, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
    /// The `[optimise]` table, if the file declares one (read by `murmur optimise`
    /// only; `run` and `compare` ignore it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optimise: Option<optimise::OptimiseSpec>,
}

/// Command-line overrides of a scenario's seed and replicates (`--seed`,
/// `--replicates`), applied alike to runs, every point of a sweep, shards and
/// comparisons, so the manifest records what was used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Replaces `seed`.
    pub seed: Option<u64>,
    /// Replaces `replicates`.
    pub replicates: Option<u32>,
    /// The `--set` settings the scenario's text was read with ([`set::apply`]),
    /// recorded in each scenario (and so in every sweep point's hash).
    pub set: Vec<String>,
}

impl Overrides {
    /// Sets the overridden values in `scenario`.
    pub fn apply(&self, scenario: &mut Scenario) {
        if let Some(seed) = self.seed {
            scenario.seed = seed;
        }
        if let Some(r) = self.replicates {
            scenario.replicates = r;
        }
        if !self.set.is_empty() {
            scenario.set = self.set.clone();
        }
    }
}

/// Population settings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Population {
    /// Number of agents (for an edge list, the number of distinct ids in the file).
    pub size: usize,
}

/// Network settings: the generator and whether it is redrawn per replicate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkSection {
    /// What network to build.
    #[serde(flatten)]
    pub spec: NetworkSpec,
    /// Draw a new random network for each replicate (true) or share one (false).
    pub per_replicate: bool,
    /// Renumber the agents in this order for cache locality (`network.order`); results
    /// are the same, since random streams are keyed by the agents' first numbers.
    /// `None` (`order = "none"`): agents keep the numbers the network gave them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<Order>,
}

/// An order of the agents for cache locality (`network.order`; `network/order.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Breadth-first from the hubs.
    Bfs,
    /// Reverse Cuthill–McKee.
    Rcm,
}

/// What network to build.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NetworkSpec {
    /// Everyone is tied to everyone: the well-mixed population of the Bass model.
    Complete,
    /// G(n, p) with p set to give the requested mean degree.
    ErdosRenyi {
        /// Expected number of neighbours per agent.
        mean_degree: f64,
    },
    /// Ring lattice with `k` neighbours per agent, each tie rewired with probability `rewire`.
    WattsStrogatz {
        /// Neighbours per agent in the ring (even).
        k: u32,
        /// Probability that a tie is rewired to a random agent.
        rewire: f64,
    },
    /// Preferential attachment: each new agent ties to `m` existing agents.
    BarabasiAlbert {
        /// Ties added by each new agent.
        m: u32,
    },
    /// Planted communities (a stochastic block model).
    Communities {
        /// Number of communities.
        count: u32,
        /// Expected number of neighbours per agent.
        mean_degree: f64,
        /// Share of an agent's ties that leave its community.
        mixing: f64,
        /// How community sizes are distributed.
        sizes: CommunitySizes,
    },
    /// A real network read from a SNAP-style edge list.
    EdgeList {
        /// The file: whitespace-separated id pairs, `#` comments, optionally gzipped.
        path: PathBuf,
        /// Whether a line `u v` is a one-way tie from u to v.
        directed: bool,
        /// Whether the third column is each tie's weight (tie strength).
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        weights: bool,
        /// A node file (CSV with an `id` column) of attributes joined by original id.
        #[serde(skip_serializing_if = "Option::is_none")]
        nodes: Option<PathBuf>,
    },
}

/// How the sizes of planted communities are distributed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "distribution", rename_all = "snake_case")]
pub enum CommunitySizes {
    /// All communities as equal as the population allows.
    Equal,
    /// Sizes drawn from a power law with this exponent (as in the LFR benchmark), then
    /// scaled to sum to the population.
    PowerLaw {
        /// Exponent of the size distribution, > 1.
        exponent: f64,
    },
}

/// How the initially active agents of a cascade model are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seeding {
    /// Uniformly at random.
    Random,
    /// The highest-degree agents (ties broken by lower id).
    Degree,
}

/// The diffusion model.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelSpec {
    /// Agent-based Bass: each prospect adopts in a tick with p + q·(adopted neighbours / neighbours).
    Bass {
        /// Coefficient of innovation (external influence) per tick.
        p: f64,
        /// Coefficient of imitation (internal influence) per tick.
        q: f64,
    },
    /// Independent cascade: each newly active agent gets one chance to activate each neighbour.
    IndependentCascade {
        /// Probability that one activation attempt succeeds.
        probability: f64,
        /// Number of initially active agents.
        seeds: u32,
        /// How they are chosen.
        seeding: Seeding,
    },
    /// Linear threshold: an agent activates once the share of its active in-neighbours
    /// reaches its threshold, drawn uniformly from [0, 1].
    LinearThreshold {
        /// Number of initially active agents.
        seeds: u32,
        /// How they are chosen.
        seeding: Seeding,
    },
    /// The marketing model: a firm's strategy, customers who hear, talk, buy, stay or churn.
    Marketing(Box<MarketingSpec>),
}

impl Scenario {
    /// Reads, parses and validates a scenario file.
    pub fn from_file(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError::io(path, &e))?;
        Scenario::from_str_at(&text, path)
    }

    /// Parses and validates scenario text; `path` names the file in errors and resolves
    /// relative edge-list paths.
    pub fn from_str_at(text: &str, path: &Path) -> Result<Scenario, ScenarioError> {
        resolve::parse(text, path)
    }
}
