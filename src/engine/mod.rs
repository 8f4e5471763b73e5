//! The tick loop. Phases are functions over agent slices run with rayon; every random
//! draw comes from a counter-based stream (see [`crate::rng`]), so a replicate's
//! trajectory depends only on the scenario, the network and the replicate number.
//! The engine knows nothing of files.

mod classic;

pub use classic::choose_seeds;

use crate::metrics::Series;
use crate::network::Network;
use crate::scenario::{ModelSpec, Scenario};

/// Runs one replicate of a scenario on a network and returns its time series.
/// `on_tick` is called after every tick, for progress reporting.
pub fn run_replicate(
    scenario: &Scenario,
    network: &Network,
    replicate: u32,
    on_tick: &(dyn Fn() + Sync),
) -> Series {
    let ctx = classic::Context {
        network,
        seed: scenario.seed,
        replicate: replicate as u64,
        ticks: scenario.ticks,
        on_tick,
    };
    match &scenario.model {
        ModelSpec::Bass { p, q } => classic::bass(&ctx, *p, *q),
        ModelSpec::IndependentCascade {
            probability,
            seeds,
            seeding,
        } => classic::independent_cascade(&ctx, *probability, *seeds, *seeding),
        ModelSpec::LinearThreshold { seeds, seeding } => {
            classic::linear_threshold(&ctx, *seeds, *seeding)
        }
    }
}

/// Bytes of state one running replicate holds per agent, for memory estimates.
pub fn bytes_per_agent(model: &ModelSpec) -> usize {
    let thresholds = matches!(model, ModelSpec::LinearThreshold { .. }) as usize * 4;
    crate::population::Adoption::BYTES_PER_AGENT + thresholds + 4
}
