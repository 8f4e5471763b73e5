//! The tick loop. Phases are functions over agent slices run with rayon; every random
//! draw comes from a counter-based stream (see [`crate::rng`]), so a replicate's
//! trajectory depends only on the scenario, the network and the replicate number.
//! The engine knows nothing of files.

mod classic;
pub mod marketing;

pub use classic::{Bass, Context, IndependentCascade, LinearThreshold, choose_seeds};
pub use marketing::{Marketing, Pass, PassTimes};

use crate::metrics::Series;
use crate::network::Network;
use crate::scenario::{ModelSpec, Scenario};

/// Runs one replicate of a scenario on a network and returns its time series.
/// `threads` is the workers the run was given, as its memory estimate counted them
/// (a marketing replicate on more than one steps its baseline twin beside it, see
/// [`twin_beside`]). `on_tick` is called after every tick (the baseline's too, see
/// [`ticks_stepped`]), for progress reporting.
pub fn run_replicate(
    scenario: &Scenario,
    network: &Network,
    replicate: u32,
    with_agents: bool,
    with_outcomes: bool,
    threads: usize,
    on_tick: &(dyn Fn() + Sync),
) -> Series {
    let ctx = Context {
        network,
        seed: scenario.seed,
        replicate: replicate as u64,
    };
    let mut series = Series::new(scenario.ticks);
    // A cascade that has died out changes nothing more; its remaining ticks stay 0.
    let mut run = |initial: u32, step: &mut dyn FnMut(u32) -> Option<u32>| {
        series.record(0, initial);
        for t in 1..=scenario.ticks {
            if let Some(new) = step(t) {
                series.record(t, new);
            }
            on_tick();
        }
    };
    match &scenario.model {
        ModelSpec::Bass { p, q } => {
            let mut m = Bass::new(ctx, *p, *q);
            run(0, &mut |t| Some(m.step(t)));
        }
        ModelSpec::IndependentCascade {
            probability,
            seeds,
            seeding,
        } => {
            let mut m = IndependentCascade::new(ctx, *probability, *seeds, *seeding);
            run(m.initial(), &mut |t| (!m.finished()).then(|| m.step(t)));
        }
        ModelSpec::LinearThreshold { seeds, seeding } => {
            let mut m = LinearThreshold::new(ctx, *seeds, *seeding);
            run(m.initial(), &mut |t| (!m.finished()).then(|| m.step(t)));
        }
        ModelSpec::Marketing(spec) => {
            let seed = scenario.seed;
            let (replicate, ticks) = (replicate as u64, scenario.ticks);
            let baseline = || {
                spec.runs_baseline()
                    .then(|| Marketing::baseline(network, spec, seed, replicate, ticks, on_tick))
            };
            let strategy = || Marketing::stepped(network, spec, seed, replicate, ticks, on_tick);
            // The twins share nothing but the network, so stepping them side by side
            // changes no result; it lets one use the workers the other's serial parts
            // leave idle. Otherwise the baseline runs first, so that only one
            // replicate's state is held at a time.
            let (baseline, m) = if twin_beside(scenario, threads) {
                rayon::join(baseline, strategy)
            } else {
                (baseline(), strategy())
            };
            // With marketing off the run is its own baseline.
            let baseline = baseline.or_else(|| spec.strategy.baseline.then(|| m.ending()));
            return m.finish(with_agents, with_outcomes, baseline);
        }
    }
    series
}

/// Memory the state of a marketing replicate's baseline twin may take for the twin to
/// step beside its strategy ([`twin_beside`]): above it, the baseline runs first and
/// only one state is held at a time.
pub const TWIN_STATE: u64 = 1 << 30;

/// Whether a marketing replicate of `scenario` on `threads` workers steps its
/// baseline twin beside its strategy (two states held at once) rather than before it:
/// when it has a twin, more than one worker, and the twin's state fits in
/// [`TWIN_STATE`]. The results are the same either way; memory estimates count the
/// second state by this rule.
pub fn twin_beside(scenario: &Scenario, threads: usize) -> bool {
    let ModelSpec::Marketing(spec) = &scenario.model else {
        return false;
    };
    let state = Marketing::bytes_per_agent(spec) as u64 * scenario.population.size as u64;
    threads > 1 && spec.runs_baseline() && state <= TWIN_STATE
}

/// Ticks one replicate of `scenario` steps, its baseline's included (a marketing run
/// with `strategy.baseline` steps twice), for progress bars.
pub fn ticks_stepped(scenario: &Scenario) -> u64 {
    let runs = match &scenario.model {
        ModelSpec::Marketing(spec) if spec.runs_baseline() => 2,
        _ => 1,
    };
    runs * u64::from(scenario.ticks)
}

/// Bytes of state one running replicate holds per agent, for memory estimates.
pub fn bytes_per_agent(model: &ModelSpec) -> usize {
    if let ModelSpec::Marketing(spec) = model {
        return Marketing::bytes_per_agent(spec);
    }
    // Linear thresholds are drawn when needed, never stored.
    crate::population::Adoption::BYTES_PER_AGENT + 4
}

/// Bytes per agent a replicate holds beyond [`bytes_per_agent`] when its agents were
/// renumbered (`network.order`): for the marketing model, the first contact key of
/// each agent's in-arcs (8 B) and, at worst, a listed uniform (16 B) per agent for
/// each rare decision found by skips at once (need, outside awareness, reviews read
/// and each competitor's awareness); nothing for the classic models.
pub fn renumbered_bytes_per_agent(model: &ModelSpec) -> usize {
    match model {
        ModelSpec::Marketing(spec) => 8 + 16 * (3 + spec.market.competitor.len()),
        _ => 0,
    }
}

/// Per-tick columns a replicate's series stores beyond its new adopters (f64 each),
/// for memory and disk estimates.
pub fn series_columns(model: &ModelSpec) -> usize {
    match model {
        ModelSpec::Marketing(_) => marketing::COLUMNS.len(),
        _ => 0,
    }
}

/// Rows of the cohort table one replicate of `ticks` ticks keeps (the marketing
/// model's cohorts.csv), for memory and disk estimates; it grows with ticks².
pub fn cohort_rows(model: &ModelSpec, ticks: u32) -> u128 {
    match model {
        ModelSpec::Marketing(_) => marketing::cohort_rows(ticks),
        _ => 0,
    }
}

/// Columns of the per-agent table `--agents` keeps (the marketing model's only).
pub fn agent_columns(model: &ModelSpec) -> usize {
    match model {
        ModelSpec::Marketing(_) => marketing::AGENT_COLUMNS.len(),
        _ => 0,
    }
}
