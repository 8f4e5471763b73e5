//! The classic diffusion models (docs/MODEL.md §1–§3): agent-based Bass, independent
//! cascade and linear threshold. They are baselines for researchers and exact checks
//! of the engine against closed forms and independent implementations.

use crate::network::Network;
use crate::population::{Adoption, NEVER};
use crate::rng::{Purpose, StreamKey};
use crate::scenario::Seeding;
use rayon::prelude::*;
use std::cell::RefCell;
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

thread_local! {
    /// This thread's cascade states, kept between replicates so that a replicate costs
    /// what its cascade touches, not the population: a finished cascade resets only the
    /// agents it reached ([`Scratch`]).
    static POOL: RefCell<Vec<Adoption>> = const { RefCell::new(Vec::new()) };
}

/// States kept per thread: a worker may hold one more while it helps another
/// replicate inside a parallel pass.
const POOL_SIZE: usize = 2;

/// A cascade's state, clean (nobody adopted, no counts) when taken and left clean
/// when dropped: the agents a cascade activated, and their out-neighbours' counts,
/// are reset before the state returns to its thread's pool.
struct Scratch<'a> {
    network: &'a Network,
    state: Option<Adoption>,
    /// Every agent activated, in any order.
    activated: Vec<u32>,
    /// Whether adopters' out-neighbours' counts were raised (linear threshold).
    counted: bool,
}

impl<'a> Scratch<'a> {
    /// A clean state for `network`'s agents: this thread's kept one, or a new one.
    fn take(network: &'a Network, counted: bool) -> Self {
        let n = network.nodes();
        let kept = POOL.with(|p| {
            let mut pool = p.borrow_mut();
            pool.retain(|s| s.len() == n);
            pool.pop()
        });
        Scratch {
            network,
            state: Some(kept.unwrap_or_else(|| Adoption::new(n))),
            activated: Vec::new(),
            counted,
        }
    }

    fn state(&self) -> &Adoption {
        self.state
            .as_ref()
            .expect("a scratch holds its state until dropped")
    }
}

impl Drop for Scratch<'_> {
    fn drop(&mut self) {
        let Some(state) = self.state.take() else {
            return;
        };
        let reset = |&u: &u32| {
            state.tick[u as usize].store(NEVER, Relaxed);
            if self.counted {
                for &v in self.network.out.neighbours(u) {
                    state.adopted_neighbours[v as usize].store(0, Relaxed);
                }
            }
        };
        if self.activated.len() > CHUNK {
            self.activated.par_iter().for_each(reset);
        } else {
            self.activated.iter().for_each(reset);
        }
        POOL.with(|p| {
            let mut pool = p.borrow_mut();
            if pool.len() < POOL_SIZE {
                pool.push(state);
            }
        });
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
        let network = self.ctx.network;
        let n = network.nodes();
        let incoming = network.incoming();
        let key = self.ctx.key(t, Purpose::BassAdoption);
        let (p, q, state) = (self.p, self.q, &self.state);
        self.new.clear();
        // Each chunk's adopters, in id order; then all of them, in chunk order.
        let found: Vec<Vec<u32>> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let mut adopters = Vec::new();
                for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
                    if state.tick[i].load(Relaxed) != NEVER {
                        continue;
                    }
                    let v = i as u32;
                    let degree = incoming.degree(v);
                    let share = if degree == 0 {
                        0.0
                    } else {
                        state.neighbours_adopted(v) as f64 / degree as f64
                    };
                    if key.unit(network.original(v) as u64) < p + q * share {
                        // Only this agent's decision reads its tick; the counts the
                        // others read change after every decision is made.
                        state.tick[i].store(t, Relaxed);
                        adopters.push(v);
                    }
                }
                adopters
            })
            .collect();
        for adopters in &found {
            self.new.extend_from_slice(adopters);
        }
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
            .map(|old| network.renumbered_from(old as u32))
            .collect(),
        Seeding::Degree => {
            let mut ids: Vec<u32> = (0..n as u32).collect();
            let rank = |&v: &u32| {
                (
                    std::cmp::Reverse(network.out.degree(v)),
                    network.original(v),
                )
            };
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
    state: Scratch<'a>,
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
        let mut state = Scratch::take(ctx.network, false);
        for &v in &frontier {
            if state.state().try_adopt(v, 0) {
                state.activated.push(v);
            }
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

    /// Advances to tick `t` and returns its number of new adopters. A small frontier
    /// is worked through on this thread (a parallel pass would cost more to start than
    /// its work); the new adopters, and so the results, do not depend on the order in
    /// which the frontier is processed.
    pub fn step(&mut self, t: u32) -> u32 {
        let key = self.ctx.key(t, Purpose::Cascade);
        let (network, state) = (self.ctx.network, self.state.state());
        let below = chance_bound(self.probability);
        let attempt = |won: &mut Vec<u32>, u: u32| {
            let mut rng = key.agent(network.original(u) as u64);
            for &v in network.out.neighbours(u) {
                if (rng.bits() >> 11) < below && state.try_adopt(v, t) {
                    won.push(v);
                }
            }
        };
        let arcs: usize = if self.frontier.len() <= SMALL_FRONTIER {
            self.frontier
                .iter()
                .map(|&u| network.out.degree(u) as usize)
                .sum()
        } else {
            usize::MAX
        };
        let next: Vec<u32> = if arcs <= SMALL_FRONTIER_ARCS {
            let mut won = Vec::new();
            for &u in &self.frontier {
                attempt(&mut won, u);
            }
            won
        } else {
            self.frontier
                .par_iter()
                .with_min_len(16)
                .fold(Vec::new, |mut won, &u| {
                    attempt(&mut won, u);
                    won
                })
                .reduce(Vec::new, |mut a, mut b| {
                    a.append(&mut b);
                    a
                })
        };
        self.state.activated.extend_from_slice(&next);
        self.frontier = next;
        self.frontier.len() as u32
    }
}

/// Frontiers of at most this many agents, with at most [`SMALL_FRONTIER_ARCS`] arcs
/// out, are stepped on one thread.
const SMALL_FRONTIER: usize = 64;
/// See [`SMALL_FRONTIER`].
const SMALL_FRONTIER_ARCS: usize = 4096;

/// The bound `b` such that a draw succeeds with probability `p` exactly when its 53
/// high bits `x` satisfy `x < b`: the same outcome as `AgentRng::chance(p)`, which
/// tests `x · 2⁻⁵³ < p` (exact in f64: `x < 2⁵³` and scaling by a power of two), in
/// one integer comparison.
fn chance_bound(p: f64) -> u64 {
    let scaled = p * (1u64 << 53) as f64;
    if scaled.is_nan() || scaled <= 0.0 {
        0
    } else if scaled >= (1u64 << 53) as f64 {
        1 << 53
    } else {
        scaled.ceil() as u64
    }
}

/// Linear threshold: each agent's threshold is uniform in [0, 1], one per agent and
/// replicate (drawn from its stream when the agent is first examined, so none is
/// stored), and it activates at tick t when the share of its in-neighbours active at
/// t−1 (each weighing 1 / in-degree) reaches it. Only the out-neighbours of the agents
/// activated at t−1 can cross their thresholds at t (no one else's share changed), so
/// a tick examines only them.
pub struct LinearThreshold<'a> {
    ctx: Context<'a>,
    state: Scratch<'a>,
    frontier: Vec<u32>,
    candidates: Vec<u32>,
}

impl<'a> LinearThreshold<'a> {
    /// A run whose seeds are active at tick 0.
    pub fn new(ctx: Context<'a>, seeds: u32, seeding: Seeding) -> Self {
        let mut state = Scratch::take(ctx.network, true);
        let frontier = plant_seeds(&ctx, state.state(), seeds, seeding);
        state.activated.extend_from_slice(&frontier);
        LinearThreshold {
            ctx,
            state,
            frontier,
            candidates: Vec::new(),
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

    /// Agent `v`'s threshold: the same number at every examination.
    #[inline]
    fn threshold(key: StreamKey, network: &Network, v: u32) -> f32 {
        key.unit(network.original(v) as u64) as f32
    }

    /// Advances to tick `t` and returns its number of new adopters.
    pub fn step(&mut self, t: u32) -> u32 {
        let network = self.ctx.network;
        let incoming = network.incoming();
        let key = self.ctx.key(0, Purpose::Threshold);
        let state = self.state.state();
        push_adoptions(network, state, &self.frontier);
        self.candidates.clear();
        self.candidates.par_extend(
            self.frontier
                .par_iter()
                .with_min_len(64)
                .flat_map_iter(|&u| network.out.neighbours(u).iter().copied()),
        );
        self.candidates.par_sort_unstable();
        self.candidates.dedup();
        let crossed = |&v: &u32| {
            let degree = incoming.degree(v);
            let inactive = state.tick[v as usize].load(Relaxed) == NEVER;
            inactive
                && degree > 0
                && state.neighbours_adopted(v) as f32
                    >= Self::threshold(key, network, v) * degree as f32
        };
        self.frontier.clear();
        self.frontier.par_extend(
            self.candidates
                .par_iter()
                .with_min_len(CHUNK)
                .copied()
                .filter(crossed),
        );
        self.frontier
            .par_iter()
            .for_each(|&v| state.tick[v as usize].store(t, Relaxed));
        self.state.activated.extend_from_slice(&self.frontier);
        self.frontier.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::erdos_renyi;

    /// The new adopters of replicate `r` of IC (probability 0.4, 5 random seeds) and LT
    /// (40 seeds by degree) on `net`.
    fn cascades(net: &Network, r: u64) -> (Vec<u32>, Vec<u32>) {
        let ctx = Context {
            network: net,
            seed: 9,
            replicate: r,
        };
        let mut ic = IndependentCascade::new(ctx, 0.4, 5, Seeding::Random);
        let mut lt = LinearThreshold::new(ctx, 40, Seeding::Degree);
        let mut a = vec![ic.initial()];
        let mut b = vec![lt.initial()];
        for t in 1..=30 {
            a.push(ic.step(t));
            b.push(lt.step(t));
        }
        (a, b)
    }

    #[test]
    fn a_reused_cascade_state_gives_what_a_fresh_one_gives() {
        let net = erdos_renyi(3000, 6.0, 5);
        // Each in a new thread: its pool is empty, so replicate 3 starts from a fresh state.
        let fresh = std::thread::scope(|s| s.spawn(|| cascades(&net, 3)).join().unwrap());
        // One thread runs replicates 0..3 first: replicate 3 reuses their reset state.
        let reused = std::thread::scope(|s| {
            s.spawn(|| {
                for r in 0..3 {
                    let (ic, lt) = cascades(&net, r);
                    assert!(ic.iter().sum::<u32>() > 5 && lt.iter().sum::<u32>() > 40);
                }
                let pooled = POOL.with(|p| p.borrow().len());
                assert!(pooled >= 1, "the states went back to the pool");
                cascades(&net, 3)
            })
            .join()
            .unwrap()
        });
        assert_eq!(fresh, reused);
        assert!(
            fresh.0.iter().sum::<u32>() > 50,
            "a cascade that spreads: {:?}",
            fresh.0
        );
    }

    #[test]
    fn the_integer_bound_decides_every_draw_as_chance_does() {
        let ps = [
            0.0,
            -0.5,
            f64::NAN,
            1e-300,
            1e-17,
            1e-4,
            0.05,
            0.1,
            0.3,
            0.5,
            1.0 - f64::EPSILON,
            1.0,
            2.0,
        ];
        for p in ps {
            let b = chance_bound(p);
            let mut a = StreamKey::new(3, 1, 2, Purpose::Cascade).agent(17);
            let mut c = a.clone();
            for _ in 0..20_000 {
                assert_eq!((a.bits() >> 11) < b, c.chance(p), "p = {p}");
            }
            // At the boundary itself: the largest x that succeeds, and the next.
            for x in [b.saturating_sub(1), b, b + 1] {
                if x < 1 << 53 {
                    let unit = x as f64 * (1.0 / (1u64 << 53) as f64);
                    assert_eq!(x < b, unit < p, "p = {p}, x = {x}");
                }
            }
        }
        assert_eq!(chance_bound(0.0), 0);
        assert_eq!(chance_bound(1.0), 1 << 53);
        assert_eq!(chance_bound(0.5), 1 << 52);
    }

    #[test]
    fn a_dropped_scratch_leaves_every_agent_clean() {
        let net = erdos_renyi(2000, 6.0, 1);
        std::thread::scope(|s| {
            s.spawn(|| {
                let _ = cascades(&net, 0);
                let state = POOL.with(|p| p.borrow_mut().pop()).expect("a kept state");
                assert!(state.tick.iter().all(|t| t.load(Relaxed) == NEVER));
                assert!(
                    state
                        .adopted_neighbours
                        .iter()
                        .all(|c| c.load(Relaxed) == 0)
                );
            })
            .join()
            .unwrap()
        });
    }
}
