//! The classic diffusion models (shared/DESIGN.md §5): agent-based Bass, independent
//! cascade and linear threshold. They are baselines for researchers and exact checks
//! of the engine against closed forms and independent implementations.

use crate::metrics::Series;
use crate::network::Network;
use crate::population::{Adoption, NEVER};
use crate::rng::{Purpose, StreamKey};
use crate::scenario::Seeding;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::sync::atomic::Ordering::Relaxed;

/// Agents per parallel work item: large enough to amortise scheduling, small enough
/// to balance load.
const CHUNK: usize = 4096;

/// What every model run needs besides its own parameters.
pub(super) struct Context<'a> {
    pub network: &'a Network,
    pub seed: u64,
    pub replicate: u64,
    pub ticks: u32,
    pub on_tick: &'a (dyn Fn() + Sync),
}

impl Context<'_> {
    fn key(&self, tick: u32, purpose: Purpose) -> StreamKey {
        StreamKey::new(self.seed, self.replicate, tick as u64, purpose)
    }
}

/// Adds each new adopter to its out-neighbours' counts of adopted neighbours.
/// Atomic adds commute, so the counts do not depend on thread interleaving.
fn push_adoptions(network: &Network, state: &Adoption, new: &[u32]) {
    new.par_iter().with_min_len(64).for_each(|&u| {
        for &v in network.out.neighbours(u) {
            state.adopted_neighbours[v as usize].fetch_add(1, Relaxed);
        }
    });
}

/// Agent-based Bass: in tick t each prospect adopts with probability
/// p + q · (adopted in-neighbours at t−1) / (in-neighbours).
pub(super) fn bass(ctx: &Context, p: f64, q: f64) -> Series {
    let n = ctx.network.nodes();
    let incoming = ctx.network.incoming();
    let state = Adoption::new(n);
    let mut series = Series::new(ctx.ticks);
    let mut new: Vec<u32> = Vec::new();
    for t in 1..=ctx.ticks {
        let key = ctx.key(t, Purpose::BassAdoption);
        new.clear();
        new.par_extend(
            (0..n.div_ceil(CHUNK))
                .into_par_iter()
                .flat_map_iter(|c| c * CHUNK..((c + 1) * CHUNK).min(n))
                .filter_map(|i| {
                    let v = i as u32;
                    if state.tick[i].load(Relaxed) != NEVER {
                        return None;
                    }
                    let degree = incoming.degree(v);
                    let share = if degree == 0 {
                        0.0
                    } else {
                        state.neighbours_adopted(v) as f64 / degree as f64
                    };
                    (key.unit(i as u64) < p + q * share).then_some(v)
                }),
        );
        // Adoptions are decided on tick t−1's state above, then written.
        new.par_iter()
            .for_each(|&v| state.tick[v as usize].store(t, Relaxed));
        push_adoptions(ctx.network, &state, &new);
        series.record(t, new.len() as u32);
        (ctx.on_tick)();
    }
    series
}

/// Chooses the initially active agents of a cascade: `count` distinct agents, at
/// random (keyed by seed and replicate) or by descending out-degree (ties by id).
/// Returned in ascending id order.
pub fn choose_seeds(
    network: &Network,
    count: u32,
    seeding: Seeding,
    seed: u64,
    replicate: u64,
) -> Vec<u32> {
    let n = network.nodes() as u64;
    let k = (count as u64).min(n);
    let mut chosen: Vec<u32> = match seeding {
        Seeding::Random => {
            // Floyd's algorithm: k distinct draws in O(k), whatever n is.
            let mut rng = StreamKey::new(seed, replicate, 0, Purpose::Seeding).agent(0);
            let mut set = BTreeSet::new();
            for j in n - k..n {
                let t = rng.below(j + 1);
                if !set.insert(t) {
                    set.insert(j);
                }
            }
            set.into_iter().map(|v| v as u32).collect()
        }
        Seeding::Degree => {
            let mut ids: Vec<u32> = (0..n as u32).collect();
            let rank = |&v: &u32| (std::cmp::Reverse(network.out.degree(v)), v);
            if k > 0 && k < n {
                ids.select_nth_unstable_by_key(k as usize - 1, rank);
            }
            ids.truncate(k as usize);
            ids
        }
    };
    chosen.sort_unstable();
    chosen
}

/// Marks the seeds active at tick 0 and records them.
fn plant_seeds(ctx: &Context, state: &Adoption, count: u32, seeding: Seeding) -> Vec<u32> {
    let seeds = choose_seeds(ctx.network, count, seeding, ctx.seed, ctx.replicate);
    for &s in &seeds {
        state.try_adopt(s, 0);
    }
    seeds
}

/// Fills the ticks after a cascade has died out, which change nothing.
fn finish_quiet_ticks(ctx: &Context, series: &mut Series, from: u32) {
    for t in from..=ctx.ticks {
        series.record(t, 0);
        (ctx.on_tick)();
    }
}

/// Independent cascade: an agent activated at tick t−1 makes one attempt, succeeding
/// with `probability`, on each out-neighbour at tick t. The draw for the j-th
/// neighbour of u is the j-th number of u's stream at t, so it does not depend on
/// which other agents are active or on processing order.
pub(super) fn independent_cascade(
    ctx: &Context,
    probability: f64,
    seeds: u32,
    seeding: Seeding,
) -> Series {
    let state = Adoption::new(ctx.network.nodes());
    let mut series = Series::new(ctx.ticks);
    let mut frontier = plant_seeds(ctx, &state, seeds, seeding);
    series.record(0, frontier.len() as u32);
    for t in 1..=ctx.ticks {
        if frontier.is_empty() {
            finish_quiet_ticks(ctx, &mut series, t);
            break;
        }
        let key = ctx.key(t, Purpose::Cascade);
        let mut next: Vec<u32> = frontier
            .par_iter()
            .with_min_len(16)
            .fold(Vec::new, |mut won, &u| {
                let mut rng = key.agent(u as u64);
                for &v in ctx.network.out.neighbours(u) {
                    if rng.chance(probability) && state.try_adopt(v, t) {
                        won.push(v);
                    }
                }
                won
            })
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            });
        next.par_sort_unstable();
        series.record(t, next.len() as u32);
        (ctx.on_tick)();
        frontier = next;
    }
    series
}

/// Linear threshold: each agent draws a threshold uniformly in [0, 1] once per
/// replicate and activates at tick t when the share of its in-neighbours active at
/// t−1 (each weighing 1 / in-degree) reaches it.
pub(super) fn linear_threshold(ctx: &Context, seeds: u32, seeding: Seeding) -> Series {
    let n = ctx.network.nodes();
    let incoming = ctx.network.incoming();
    let state = Adoption::new(n);
    let thresholds_key = ctx.key(0, Purpose::Threshold);
    let thresholds: Vec<f32> = (0..n)
        .into_par_iter()
        .with_min_len(CHUNK)
        .map(|v| thresholds_key.unit(v as u64) as f32)
        .collect();
    let mut series = Series::new(ctx.ticks);
    let mut frontier = plant_seeds(ctx, &state, seeds, seeding);
    series.record(0, frontier.len() as u32);
    for t in 1..=ctx.ticks {
        if frontier.is_empty() {
            finish_quiet_ticks(ctx, &mut series, t);
            break;
        }
        push_adoptions(ctx.network, &state, &frontier);
        frontier = (0..n)
            .into_par_iter()
            .with_min_len(CHUNK)
            .filter_map(|i| {
                let v = i as u32;
                let degree = incoming.degree(v);
                let active = state.neighbours_adopted(v);
                let inactive = state.tick[i].load(Relaxed) == NEVER;
                (inactive && degree > 0 && active as f32 >= thresholds[i] * degree as f32)
                    .then_some(v)
            })
            .collect();
        frontier
            .par_iter()
            .for_each(|&v| state.tick[v as usize].store(t, Relaxed));
        series.record(t, frontier.len() as u32);
        (ctx.on_tick)();
    }
    series
}
