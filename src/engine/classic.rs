//! The classic diffusion models (docs/MODEL.md §1–§3): agent-based Bass, independent
//! cascade and linear threshold. They are baselines for researchers and exact checks
//! of the engine against closed forms and independent implementations.

use crate::network::Network;
use crate::population::{Adoption, NEVER};
use crate::rng::{Purpose, StreamKey};
use crate::scenario::Seeding;
use rayon::prelude::*;
use std::sync::atomic::Ordering::Relaxed;

/// Agents per parallel work item: large enough to amortise scheduling, small enough
/// to balance load.
const CHUNK: usize = 4096;

/// Where a model run draws its random numbers from and what it runs on.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The network.
    pub network: &'a Network,
    /// The scenario's master seed.
    pub seed: u64,
    /// The replicate number.
    pub replicate: u64,
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
pub struct Bass<'a> {
    ctx: Context<'a>,
    p: f64,
    q: f64,
    state: Adoption,
    new: Vec<u32>,
}

impl<'a> Bass<'a> {
    /// A run with nobody adopted.
    pub fn new(ctx: Context<'a>, p: f64, q: f64) -> Self {
        Bass {
            ctx,
            p,
            q,
            state: Adoption::new(ctx.network.nodes()),
            new: Vec::new(),
        }
    }

    /// Advances to tick `t` and returns its number of new adopters.
    pub fn step(&mut self, t: u32) -> u32 {
        let n = self.ctx.network.nodes();
        let incoming = self.ctx.network.incoming();
        let key = self.ctx.key(t, Purpose::BassAdoption);
        let (p, q, state) = (self.p, self.q, &self.state);
        self.new.clear();
        self.new.par_extend(
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
        self.new
            .par_iter()
            .for_each(|&v| state.tick[v as usize].store(t, Relaxed));
        push_adoptions(self.ctx.network, state, &self.new);
        self.new.len() as u32
    }
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
        Seeding::Random => StreamKey::new(seed, replicate, 0, Purpose::Seeding)
            .agent(0)
            .sample_distinct(n, k)
            .into_iter()
            .map(|v| v as u32)
            .collect(),
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

/// Marks the seeds active at tick 0 and returns them.
fn plant_seeds(ctx: &Context, state: &Adoption, count: u32, seeding: Seeding) -> Vec<u32> {
    let seeds = choose_seeds(ctx.network, count, seeding, ctx.seed, ctx.replicate);
    for &s in &seeds {
        state.try_adopt(s, 0);
    }
    seeds
}

/// Independent cascade: an agent activated at tick t−1 makes one attempt, succeeding
/// with `probability`, on each out-neighbour at tick t. The draw for the j-th
/// neighbour of u is the j-th number of u's stream at t, so it does not depend on
/// which other agents are active or on processing order.
pub struct IndependentCascade<'a> {
    ctx: Context<'a>,
    probability: f64,
    state: Adoption,
    frontier: Vec<u32>,
}

impl<'a> IndependentCascade<'a> {
    /// A run whose seeds are active at tick 0.
    pub fn new(ctx: Context<'a>, probability: f64, seeds: u32, seeding: Seeding) -> Self {
        let seeds = choose_seeds(ctx.network, seeds, seeding, ctx.seed, ctx.replicate);
        IndependentCascade::from_frontier(ctx, probability, seeds)
    }

    /// A run in which exactly the agents of `frontier` (ascending ids) became active
    /// at tick 0; for benchmarks of a tick with a chosen amount of work.
    pub fn from_frontier(ctx: Context<'a>, probability: f64, frontier: Vec<u32>) -> Self {
        let state = Adoption::new(ctx.network.nodes());
        for &v in &frontier {
            state.try_adopt(v, 0);
        }
        IndependentCascade {
            ctx,
            probability,
            state,
            frontier,
        }
    }

    /// Agents active at tick 0.
    pub fn initial(&self) -> u32 {
        self.frontier.len() as u32
    }

    /// Whether the cascade has died out.
    pub fn finished(&self) -> bool {
        self.frontier.is_empty()
    }

    /// Advances to tick `t` and returns its number of new adopters.
    pub fn step(&mut self, t: u32) -> u32 {
        let key = self.ctx.key(t, Purpose::Cascade);
        let (network, state, probability) = (self.ctx.network, &self.state, self.probability);
        let mut next: Vec<u32> = self
            .frontier
            .par_iter()
            .with_min_len(16)
            .fold(Vec::new, |mut won, &u| {
                let mut rng = key.agent(u as u64);
                for &v in network.out.neighbours(u) {
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
        next.sort_unstable();
        self.frontier = next;
        self.frontier.len() as u32
    }
}

/// Linear threshold: each agent draws a threshold uniformly in [0, 1] once per
/// replicate and activates at tick t when the share of its in-neighbours active at
/// t−1 (each weighing 1 / in-degree) reaches it.
pub struct LinearThreshold<'a> {
    ctx: Context<'a>,
    thresholds: Vec<f32>,
    state: Adoption,
    frontier: Vec<u32>,
}

impl<'a> LinearThreshold<'a> {
    /// A run whose seeds are active at tick 0.
    pub fn new(ctx: Context<'a>, seeds: u32, seeding: Seeding) -> Self {
        let n = ctx.network.nodes();
        let key = ctx.key(0, Purpose::Threshold);
        let thresholds = (0..n)
            .into_par_iter()
            .with_min_len(CHUNK)
            .map(|v| key.unit(v as u64) as f32)
            .collect();
        let state = Adoption::new(n);
        let frontier = plant_seeds(&ctx, &state, seeds, seeding);
        LinearThreshold {
            ctx,
            thresholds,
            state,
            frontier,
        }
    }

    /// Agents active at tick 0.
    pub fn initial(&self) -> u32 {
        self.frontier.len() as u32
    }

    /// Whether the cascade has died out.
    pub fn finished(&self) -> bool {
        self.frontier.is_empty()
    }

    /// Advances to tick `t` and returns its number of new adopters.
    pub fn step(&mut self, t: u32) -> u32 {
        let network = self.ctx.network;
        let incoming = network.incoming();
        let (state, thresholds) = (&self.state, &self.thresholds);
        push_adoptions(network, state, &self.frontier);
        self.frontier = (0..network.nodes())
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
        self.frontier
            .par_iter()
            .for_each(|&v| state.tick[v as usize].store(t, Relaxed));
        self.frontier.len() as u32
    }
}
