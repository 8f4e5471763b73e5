//! Drives the chain scenario → network → engine → metrics for a whole run:
//! builds the network, refuses runs too big for the machine, runs the replicates
//! (in parallel when small, one after another with parallel ticks when large) and
//! reports progress.

use crate::engine;
use crate::metrics::Series;
use crate::network::Network;
use crate::scenario::{ModelSpec, Scenario, ScenarioError};
use rayon::prelude::*;
use std::ops::Range;
use std::path::Path;
use std::time::Instant;

mod network;
mod progress;
pub use network::{
    NetworkStats, build_network, build_run_network, degree_histogram, first_network, in_run_order,
    settle_population,
};
pub use progress::{Progress, ProgressMode, RunBar, set_progress_mode};

/// Populations at least this large run their replicates one after another, each
/// with parallel ticks; smaller ones run replicates in parallel.
pub const LARGE_POPULATION: usize = 100_000;

/// Why a run could not be done.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The scenario (or a file it names) is malformed.
    #[error(transparent)]
    Scenario(Box<ScenarioError>),
    /// The run would need more memory than the machine has available.
    #[error(
        "the run needs {needed} but only {available} of memory is available: \
         reduce population.size, the network's degree, ticks or replicates \
         (or leave out --agents)"
    )]
    TooBig {
        /// Estimated peak memory, in words ("about 3.2 GiB").
        needed: String,
        /// Memory available, human readable.
        available: String,
    },
    /// A sweep has too many points to list in memory.
    #[error(
        "the sweep has {points} points, whose list alone needs {needed} but only \
         {available} of memory is available: sweep fewer values, or fewer samples"
    )]
    TooManyPoints {
        /// Number of points, in words when it does not fit a number.
        points: String,
        /// Estimated memory of the point list, human readable.
        needed: String,
        /// Memory available, human readable.
        available: String,
    },
    /// The results of a run or sweep would not fit on the disk.
    #[error(
        "the results need {needed} of disk but only {available} is free \
         where {} is: run fewer points, ticks or replicates, or choose another --out",
        out.display()
    )]
    NoDisk {
        /// Estimated size of the results, human readable.
        needed: String,
        /// Free space, human readable.
        available: String,
        /// The results folder.
        out: std::path::PathBuf,
    },
    /// More worker threads were asked for than murmur starts.
    #[error(
        "--threads {threads} is more than the limit of {limit} worker threads on this \
         machine (4 per core, at least 64): results do not depend on the number of threads"
    )]
    TooManyThreads {
        /// Requested threads.
        threads: usize,
        /// The limit.
        limit: usize,
    },
    /// A thread pool could not be built.
    #[error("cannot start {threads} worker threads: {source}")]
    Threads {
        /// Requested threads.
        threads: usize,
        /// The system's reason.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
}

impl From<ScenarioError> for RunError {
    fn from(e: ScenarioError) -> Self {
        RunError::Scenario(Box::new(e))
    }
}

/// How to run, beyond what the scenario says.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Never draw progress bars.
    pub quiet: bool,
    /// Keep every agent's final state (the marketing model's agents.csv).
    pub agents: bool,
    /// Keep every agent's adoption tick and CLV (for comparisons agent by agent).
    pub outcomes: bool,
}

/// Everything a finished run produced.
#[derive(Clone, Debug)]
pub struct RunOutcome {
    /// The scenario as run, with defaults and overrides applied.
    pub scenario: Scenario,
    /// One series per replicate run, in replicate order.
    pub series: Vec<Series>,
    /// The index of `series[0]`: 0, except in one slice of a run split with `--shard`,
    /// whose replicates are `first_replicate..first_replicate + series.len()`.
    pub first_replicate: u32,
    /// The network (the first replicate's, when drawn per replicate).
    pub network: NetworkStats,
    /// Worker threads used.
    pub threads: usize,
    /// Wall-clock time of the run.
    pub wall_seconds: f64,
    /// Time and peak memory of each phase: "network" (building or reading the shared
    /// network) and "simulation" (the replicates, with their own networks if drawn per
    /// replicate). Never written to the results' tables.
    pub phases: Vec<Phase>,
}

/// Wall-clock time and peak resident memory of one phase of a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    /// What ran: "network", "simulation", "writing".
    pub name: &'static str,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Peak resident bytes of the process from its start to the phase's end (VmHWM,
    /// Linux only; `None` where the system does not say). Phases run one after
    /// another, so a phase that raised the peak is the one whose figure grew. The peak
    /// is never reset, which would mislead `/usr/bin/time` and other observers.
    pub peak_bytes: Option<u64>,
}

impl Phase {
    /// Starts timing a phase.
    pub fn start() -> Instant {
        Instant::now()
    }

    /// The phase `name` that began at `started`, with the peak resident memory so far.
    pub fn end(name: &'static str, started: Instant) -> Phase {
        Phase {
            name,
            seconds: started.elapsed().as_secs_f64(),
            peak_bytes: peak_resident_bytes(),
        }
    }
}

/// The process's peak resident memory (VmHWM), where the system says (Linux).
pub fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

impl RunOutcome {
    /// Whether this outcome holds only some of the scenario's replicates (one slice of
    /// a run split with `--shard`).
    pub fn is_slice(&self) -> bool {
        self.first_replicate != 0 || self.series.len() != self.scenario.replicates as usize
    }
}

/// Bytes one text cell of the `--agents` table holds in memory: a `String` (24 bytes)
/// and its small heap allocation (about 32 bytes).
const AGENT_CELL_BYTES: u128 = 56;

/// Estimated peak bytes of a run: network construction, the state of the replicates
/// that run at once, and what is kept until the results are written: every
/// replicate's series (ticks × columns) and cohort table, and with `--agents` every
/// replicate's table of agents (agents × columns of text cells). Computed in u128 and saturating at
/// `u64::MAX`, so no scenario can wrap the figure around.
pub fn estimate_bytes(scenario: &Scenario, threads: usize, options: &RunOptions) -> u64 {
    let n = scenario.population.size as u128;
    let per_network = u128::from(Network::estimate_build_bytes(
        &scenario.network.spec,
        scenario.population.size,
    ));
    // Renumbering for locality (`network.order`) holds the network twice, with the
    // order, its inverse and the first numbers (4 B each per agent, the last two kept
    // with the network), a fourth 4 B map when the network was renumbered before, and
    // the search's marks (1 B): at most 17 B an agent.
    let per_network = match scenario.network.order {
        None => per_network,
        Some(_) => 2 * per_network + 17 * n,
    };
    let concurrent = concurrent_replicates(scenario, threads) as u128;
    let networks = if scenario.network.per_replicate {
        concurrent
    } else {
        1
    };
    // A marketing replicate may step its baseline twin beside it, each with a state.
    let twins = 1 + u128::from(engine::twin_beside(scenario, threads));
    let renumbered = match scenario.network.order {
        None => 0,
        Some(_) => engine::renumbered_bytes_per_agent(&scenario.model),
    };
    let state = twins * n * (engine::bytes_per_agent(&scenario.model) + renumbered) as u128;
    let replicates = u128::from(scenario.replicates);
    let ticks = u128::from(scenario.ticks) + 1;
    // Stored: new adopters (4 B) and each further column (8 B) per tick and replicate;
    // while writing, one replicate's cumulative adopters (8 B per tick) on top.
    let series =
        replicates * ticks * (4 + 8 * engine::series_columns(&scenario.model) as u128) + ticks * 8;
    let agent_columns = engine::agent_columns(&scenario.model) as u128;
    let agents = if options.agents && agent_columns > 0 {
        replicates * n * (24 + agent_columns * AGENT_CELL_BYTES)
    } else {
        0
    };
    let cohorts = replicates
        * engine::cohort_rows(&scenario.model, scenario.ticks)
        * std::mem::size_of::<crate::metrics::Cohort>() as u128;
    let outcomes = if options.outcomes {
        replicates * n * 8
    } else {
        0
    };
    let total = per_network * networks + state * concurrent + series + agents + outcomes + cohorts;
    u64::try_from(total).unwrap_or(u64::MAX)
}

/// Refuses a run whose estimate ([`estimate_bytes`]) exceeds the memory available.
pub fn check_memory(
    scenario: &Scenario,
    threads: usize,
    options: &RunOptions,
) -> Result<(), RunError> {
    let needed = estimate_bytes(scenario, threads, options);
    if let Some(available) = available_memory()
        && needed > available
    {
        return Err(RunError::TooBig {
            needed: estimate_text(needed),
            available: human_bytes(available),
        });
    }
    Ok(())
}

/// The most worker threads murmur starts: 4 per core, and at least 64.
pub fn max_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    cores.saturating_mul(4).max(64)
}

fn concurrent_replicates(scenario: &Scenario, threads: usize) -> usize {
    let threads = threads.max(1);
    // A cascade's state is small and reused by each worker (reset only where the
    // cascade reached), so its replicates run side by side while the states fit in
    // CASCADE_STATES: a small cascade gives a thread's parallel ticks nothing to do.
    let cascade = matches!(
        scenario.model,
        ModelSpec::IndependentCascade { .. } | ModelSpec::LinearThreshold { .. }
    );
    let states = (crate::engine::bytes_per_agent(&scenario.model) * threads) as u64
        * scenario.population.size as u64;
    if scenario.population.size < LARGE_POPULATION || (cascade && states <= CASCADE_STATES) {
        (scenario.replicates as usize).min(threads)
    } else {
        1
    }
}

/// Memory the cascades' states may take when their replicates run side by side (one
/// per worker): above it, replicates of large populations run one after another.
pub const CASCADE_STATES: u64 = 1 << 30;

/// Memory the system reports as available, in bytes, where it says.
pub fn available_memory() -> Option<u64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// An estimate of bytes in words: "about 3.2 GiB", or "more than 16.0 EiB" where
/// the estimate saturated at `u64::MAX`.
pub fn estimate_text(bytes: u64) -> String {
    if bytes == u64::MAX {
        format!("more than {}", human_bytes(bytes))
    } else {
        format!("about {}", human_bytes(bytes))
    }
}

/// Bytes as a short human-readable figure.
pub fn human_bytes(bytes: u64) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < units.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", units[unit])
}

/// Refuses more worker threads than [`max_threads`]: starting tens of thousands of
/// threads takes minutes and gains nothing.
pub fn check_threads(threads: Option<usize>) -> Result<(), RunError> {
    let limit = max_threads();
    match threads {
        Some(threads) if threads > limit => Err(RunError::TooManyThreads { threads, limit }),
        _ => Ok(()),
    }
}

/// Runs `f` in a rayon pool of `threads` workers (all cores when `None`), passing it
/// the number of workers.
pub fn with_pool<T: Send, E: From<RunError> + Send>(
    threads: Option<usize>,
    f: impl FnOnce(usize) -> Result<T, E> + Send,
) -> Result<T, E> {
    let threads = threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    check_threads(Some(threads))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|source| RunError::Threads { threads, source })?;
    pool.install(|| f(threads))
}

/// Runs every replicate of a scenario, with a progress bar. `file` is the scenario's
/// path, for errors.
pub fn run(scenario: Scenario, file: &Path, options: &RunOptions) -> Result<RunOutcome, RunError> {
    let all = 0..scenario.replicates;
    run_replicates(scenario, file, options, all)
}

/// Runs the replicates `range` of a scenario (one slice of a run split with `--shard`),
/// with a progress bar. Each replicate draws from its own streams, so a replicate's
/// series is the same whichever slice runs it.
pub fn run_replicates(
    scenario: Scenario,
    file: &Path,
    options: &RunOptions,
    range: Range<u32>,
) -> Result<RunOutcome, RunError> {
    with_pool(options.threads, |threads| {
        let progress = Progress::new(
            range.len() as u64 * engine::ticks_stepped(&scenario),
            "replicate-ticks",
            options.quiet,
        );
        let on_tick = || progress.tick();
        let outcome = run_range(scenario, file, options, threads, range, &on_tick);
        progress.finish();
        outcome
    })
}

/// The replicates `first..first + count` of a run of `replicates` split into `shards`
/// slices, for the 1-based slice `shard`: contiguous blocks whose sizes differ by at
/// most one, so slices joined in order hold the replicates in order.
pub fn shard_range(replicates: u32, shard: usize, shards: usize) -> Range<u32> {
    let bound = |k: usize| (replicates as u64 * k as u64 / shards.max(1) as u64) as u32;
    bound(shard - 1)..bound(shard)
}

/// Runs every replicate of a scenario inside the current rayon pool of `threads`
/// workers, calling `on_tick` after each replicate-tick. Sweeps and comparisons call
/// this for each of their runs.
pub fn run_in_pool(
    scenario: Scenario,
    file: &Path,
    options: &RunOptions,
    threads: usize,
    on_tick: &(dyn Fn() + Sync),
) -> Result<RunOutcome, RunError> {
    let all = 0..scenario.replicates;
    run_range(scenario, file, options, threads, all, on_tick)
}

/// [`run_in_pool`] of the replicates `range` only.
fn run_range(
    mut scenario: Scenario,
    file: &Path,
    options: &RunOptions,
    threads: usize,
    range: Range<u32>,
    on_tick: &(dyn Fn() + Sync),
) -> Result<RunOutcome, RunError> {
    let started = Instant::now();
    let phase = Phase::start();
    let preloaded = settle_population(&mut scenario, file)?;
    check_memory(&scenario, threads, options)?;
    let shared = match (preloaded, scenario.network.per_replicate) {
        (Some(net), _) => Some(in_run_order(&scenario, net)),
        (None, false) => Some(build_run_network(&scenario, file, scenario.seed)?),
        (None, true) => None,
    };
    let mut phases = vec![Phase::end("network", phase)];
    let phase = Phase::start();
    let first_stats = std::sync::OnceLock::new();
    let run_one = |r: u32| -> Result<Series, RunError> {
        let own;
        let network = match &shared {
            Some(net) => net,
            None => {
                // A replicate's own network comes from its own stream.
                let seed = crate::rng::mix64(scenario.seed ^ crate::rng::mix64(r as u64 + 1));
                own = build_run_network(&scenario, file, seed)?;
                &own
            }
        };
        if r == range.start {
            let _ = first_stats.set(NetworkStats::of(network));
        }
        Ok(engine::run_replicate(
            &scenario,
            network,
            r,
            options.agents,
            options.outcomes,
            threads,
            on_tick,
        ))
    };
    let series: Vec<Series> = if concurrent_replicates(&scenario, threads) > 1 {
        range
            .clone()
            .into_par_iter()
            .map(run_one)
            .collect::<Result<_, _>>()?
    } else {
        range.clone().map(run_one).collect::<Result<_, _>>()?
    };
    phases.push(Phase::end("simulation", phase));
    Ok(RunOutcome {
        network: first_stats
            .into_inner()
            .or_else(|| shared.as_ref().map(NetworkStats::of))
            .expect("a run has at least one replicate"),
        scenario,
        series,
        first_replicate: range.start,
        threads,
        wall_seconds: started.elapsed().as_secs_f64(),
        phases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3M-agent BA cascade, with `order` as its `network.order`.
    fn cascade(order: &str) -> Scenario {
        let text = format!(
            "ticks = 10\nreplicates = 2\n[population]\nsize = 3000000\n[network]\n\
             kind = \"barabasi_albert\"\nm = 5\norder = \"{order}\"\n[model]\n\
             kind = \"independent_cascade\"\nprobability = 0.05\nseeds = 10\n"
        );
        Scenario::from_str_at(&text, Path::new("t.toml")).unwrap()
    }

    #[test]
    fn renumbering_is_estimated_as_a_second_network_and_17_bytes_an_agent() {
        let options = RunOptions::default();
        let plain = estimate_bytes(&cascade("none"), 2, &options);
        let n = 3_000_000u64;
        let network = Network::estimate_build_bytes(&cascade("none").network.spec, n as usize);
        for order in ["bfs", "rcm"] {
            let ordered = estimate_bytes(&cascade(order), 2, &options);
            assert_eq!(ordered - plain, network + 17 * n, "{order}");
        }
    }

    /// `scenarios/community.toml` with `size` agents.
    fn community(size: usize) -> Scenario {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/community.toml");
        let mut scenario = Scenario::from_file(&path).unwrap();
        scenario.population.size = size;
        scenario
    }

    #[test]
    fn a_baseline_twin_stepped_beside_its_strategy_is_estimated_as_a_second_state() {
        let options = RunOptions::default();
        let extra = |s: &Scenario| estimate_bytes(s, 2, &options) - estimate_bytes(s, 1, &options);
        let n = 1_000_000;
        let state = engine::bytes_per_agent(&community(n).model) as u64 * n as u64;
        assert!(engine::twin_beside(&community(n), 2));
        assert!(!engine::twin_beside(&community(n), 1));
        assert_eq!(extra(&community(n)), state);
        // Without a twin, or with a state above TWIN_STATE, one state is held.
        let mut alone = community(n);
        if let ModelSpec::Marketing(spec) = &mut alone.model {
            spec.strategy.baseline = false;
        }
        assert!(!engine::twin_beside(&alone, 2));
        assert_eq!(extra(&alone), 0);
        let big = (engine::TWIN_STATE / engine::bytes_per_agent(&alone.model) as u64) as usize + 1;
        assert!(!engine::twin_beside(&community(big), 2));
        assert_eq!(extra(&community(big)), 0);
    }
}
