//! Random network generators: complete graph, Erdős–Rényi, Watts–Strogatz,
//! Barabási–Albert and planted communities (a stochastic block model).
//!
//! Every random draw comes from the network stream of the seed, keyed by a node id,
//! an edge slot or a community index, never from a generator shared across items.
//! Each generator is therefore a pure function from an item (a node, a tie slot) to
//! its arcs, which [`Csr::from_arc_fn`] calls twice, in parallel and in any order, to
//! count then scatter them: the graph is a pure function of the parameters and the
//! seed, identical at any thread count, and built without storing the arcs.

use rayon::iter::Either;
use rayon::prelude::*;

use super::{Csr, Network};
use crate::rng::{AgentRng, Purpose, StreamKey};
use crate::scenario::CommunitySizes;

/// Sub-stream of the network stream used by each generator (and each stage of one),
/// so that no two kinds of draw ever share numbers.
mod stream {
    pub const ERDOS_RENYI: u64 = 1;
    pub const WATTS_STROGATZ: u64 = 2;
    pub const BARABASI_ALBERT: u64 = 3;
    pub const COMMUNITY_SIZES: u64 = 4;
    pub const WITHIN_COMMUNITY: u64 = 5;
    pub const ACROSS_COMMUNITIES: u64 = 6;
}

/// Rejection attempts for a cross-community edge before the exact fallback draw.
const CROSS_ATTEMPTS: u32 = 32;

/// The root of all network draws for `seed`.
fn root(seed: u64) -> StreamKey {
    StreamKey::new(seed, 0, 0, Purpose::Network)
}

/// A graph of `n` nodes without any edge.
fn empty(n: usize) -> Csr {
    Csr {
        offsets: vec![0; n + 1],
        targets: Vec::new(),
    }
}

/// The adjacency of the arcs `arcs_of` yields for items `0..items` (see
/// [`Csr::from_arc_fn`]); in tests, optionally by sorting the collected arcs the way
/// the generators used to, so both paths can be compared.
fn build<F, I>(n: usize, items: u64, arcs_of: F) -> Csr
where
    F: Fn(u64) -> I + Sync,
    I: IntoIterator<Item = (u32, u32)>,
{
    #[cfg(test)]
    if tests::REFERENCE.with(std::cell::Cell::get) {
        let arcs: Vec<u64> = (0..items)
            .into_par_iter()
            .flat_map_iter(|i| arcs_of(i).into_iter().map(|(u, v)| super::pack(u, v)))
            .collect();
        return Csr::from_arcs(n, arcs);
    }
    Csr::from_arc_fn(n, items, arcs_of)
}

/// Both arcs of the undirected edge {u, v}.
#[inline(always)]
fn both(u: u64, v: u64) -> [(u32, u32); 2] {
    [(u as u32, v as u32), (v as u32, u as u32)]
}

/// The members of `lo..hi` that a G(n, p) row keeps, each independently with
/// probability `p`, found by geometric skipping (Batagelj & Brandes 2005): the gap to
/// the next kept member is geometric, so a row costs O(1 + kept), not O(hi − lo).
struct GeometricRow {
    rng: AgentRng,
    next: u64,
    hi: u64,
    /// ln(1 − p); unused when `p` is 0 or 1.
    ln_q: f64,
    mode: RowMode,
}

#[derive(Clone, Copy)]
enum RowMode {
    /// 0 < p < 1: geometric gaps.
    Skip,
    /// p ≥ 1: every member.
    All,
    /// p ≤ 0 (or NaN): none.
    Never,
}

impl GeometricRow {
    fn new(rng: AgentRng, lo: u64, hi: u64, p: f64) -> Self {
        let mode = if p >= 1.0 {
            RowMode::All
        } else if p > 0.0 {
            RowMode::Skip
        } else {
            // Also catches NaN.
            RowMode::Never
        };
        GeometricRow {
            rng,
            next: lo,
            hi,
            ln_q: (-p).ln_1p(),
            mode,
        }
    }
}

impl Iterator for GeometricRow {
    type Item = u64;

    #[inline]
    fn next(&mut self) -> Option<u64> {
        if self.next >= self.hi {
            return None;
        }
        match self.mode {
            RowMode::Never => None,
            RowMode::All => {
                self.next += 1;
                Some(self.next - 1)
            }
            RowMode::Skip => {
                // 1 − u lies in (0, 1] and ln(1 − p) < 0, so the gap is a non-negative
                // number (infinite only for a vanishing p), never NaN.
                let gap = ((1.0 - self.rng.unit()).ln() / self.ln_q).floor();
                if gap >= (self.hi - self.next) as f64 {
                    self.next = self.hi;
                    return None;
                }
                let v = self.next + gap as u64;
                self.next = v + 1;
                Some(v)
            }
        }
    }
}

/// The complete graph on `n` nodes: every pair tied, n·(n−1) arcs. The well-mixed
/// population of the Bass model. Rows are written directly, already sorted, and equal
/// what [`Csr::from_arcs`] would build from all pairs.
pub fn complete(n: usize) -> Network {
    if n <= 1 {
        return Network::undirected(empty(n));
    }
    let row = n - 1;
    let offsets: Vec<u64> = (0..=n as u64).map(|v| v * row as u64).collect();
    let mut targets = vec![0u32; n * row];
    targets
        .par_chunks_mut(row)
        .enumerate()
        .for_each(|(v, out)| {
            for (i, t) in out.iter_mut().enumerate() {
                *t = if i < v { i as u32 } else { i as u32 + 1 };
            }
        });
    Network::undirected(Csr { offsets, targets })
}

/// The Erdős–Rényi graph G(n, p) with p = `mean_degree` / (n − 1), so that the expected
/// degree is `mean_degree`: the baseline random network with no structure. Each node u
/// draws its neighbours v > u by geometric skipping from its own keyed generator, so the
/// work is O(n + edges) and spread over nodes in parallel.
pub fn erdos_renyi(n: usize, mean_degree: f64, seed: u64) -> Network {
    if n < 2 {
        return Network::undirected(empty(n));
    }
    let p = (mean_degree / (n - 1) as f64).min(1.0);
    let key = root(seed).child(stream::ERDOS_RENYI);
    let n64 = n as u64;
    Network::undirected(build(n, n64, |u| {
        GeometricRow::new(key.agent(u), u + 1, n64, p).flat_map(move |v| both(u, v))
    }))
}

/// The Watts–Strogatz small world: a ring lattice where each node is tied to its `k`/2
/// successors, each tie then rewired with probability `rewire` to a uniformly random
/// other node (one keyed draw per tie slot (u, j)). High clustering with short paths.
/// Rewired ties that land on an existing tie are merged by the CSR build, so the mean
/// degree can fall very slightly below `k` (by about k·rewire·k/n).
pub fn watts_strogatz(n: usize, k: u32, rewire: f64, seed: u64) -> Network {
    let half = u64::from(k / 2);
    if n < 2 || half == 0 {
        return Network::undirected(empty(n));
    }
    let key = root(seed).child(stream::WATTS_STROGATZ);
    let n64 = n as u64;
    // Tie slot i is tie j = i % half + 1 of node u = i / half.
    Network::undirected(build(n, n64 * half, |i| {
        let (u, j) = (i / half, i % half + 1);
        let mut rng = key.agent(i);
        let v = if rewire > 0.0 && rng.chance(rewire) {
            let w = rng.below(n64 - 1);
            if w >= u { w + 1 } else { w }
        } else {
            (u + j) % n64
        };
        both(u, v)
    }))
}

/// The endpoint chosen by edge slot `e` of the Barabási–Albert virtual edge array
/// M (length 2·n·m, M[2e] = e / m, M[2e+1] = M[r] with r uniform in [0, 2e]).
/// Following odd positions back resolves any slot independently of all others.
#[inline]
fn ba_target(key: StreamKey, m: u64, mut e: u64) -> u64 {
    loop {
        let r = key.agent(e).below(2 * e + 1);
        if r & 1 == 0 {
            return r / 2 / m;
        }
        // r = 2e' + 1 with e' < e: M[r] is the target of slot e'.
        e = r / 2;
    }
}

/// The Barabási–Albert scale-free graph: each node ties to `m` earlier nodes chosen
/// with probability proportional to their degree, giving a heavy-tailed (power-law)
/// degree distribution with mean close to 2m. Uses the parallel form of Batagelj–Brandes
/// preferential attachment (Sanders & Schulz 2016): every edge slot resolves its target
/// from hashes keyed by slot, so all n·m slots are computed independently. Self-loops and
/// repeated ties (frequent only among the first nodes) are dropped by the CSR build.
pub fn barabasi_albert(n: usize, m: u32, seed: u64) -> Network {
    let m = u64::from(m);
    if n < 2 || m == 0 {
        return Network::undirected(empty(n));
    }
    let key = root(seed).child(stream::BARABASI_ALBERT);
    Network::undirected(build(n, n as u64 * m, |e| {
        both(e / m, ba_target(key, m, e))
    }))
}

/// Sizes of `count` communities over `n` nodes (every size ≥ 1, summing to `n`).
fn community_sizes(n: usize, count: usize, sizes: &CommunitySizes, key: StreamKey) -> Vec<usize> {
    match *sizes {
        CommunitySizes::Equal => (0..count)
            .map(|c| n / count + usize::from(c < n % count))
            .collect(),
        CommunitySizes::PowerLaw { exponent } => {
            // Continuous power law with x_min = 1 by inversion; the cap keeps the sum finite
            // for exponents barely above 1.
            let inv = 1.0 / (exponent - 1.0);
            let weights: Vec<f64> = (0..count as u64)
                .map(|c| {
                    let x = (1.0 - key.unit(c)).powf(-inv);
                    if x.is_finite() {
                        x.clamp(1.0, 1e12)
                    } else {
                        1e12
                    }
                })
                .collect();
            apportion(n, &weights)
        }
    }
}

/// Splits `n` into one part per weight, each at least 1, proportionally to the weights,
/// by largest-remainder rounding (ties to the lower index).
fn apportion(n: usize, weights: &[f64]) -> Vec<usize> {
    let count = weights.len();
    let extra = n - count;
    let total: f64 = weights.iter().sum();
    let quotas: Vec<f64> = weights.iter().map(|w| extra as f64 * w / total).collect();
    let mut sizes: Vec<usize> = quotas
        .iter()
        .map(|q| 1 + (q.floor() as usize).min(extra))
        .collect();
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (quotas[a] - quotas[a].floor(), quotas[b] - quotas[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    let mut assigned: usize = sizes.iter().sum();
    // Rounding can only leave fewer than `count` units; loop defensively all the same.
    let mut i = 0;
    while assigned < n {
        sizes[order[i % count]] += 1;
        assigned += 1;
        i += 1;
    }
    while assigned > n {
        // Only reachable through floating-point error: trim the largest part.
        let big = (0..count)
            .max_by_key(|&c| (sizes[c], usize::MAX - c))
            .unwrap_or(0);
        sizes[big] -= 1;
        assigned -= 1;
    }
    sizes
}

/// Planted communities, a stochastic block model: `count` communities of contiguous
/// node ids, sizes `Equal` or drawn from a power law, with ties inside a community
/// dense and ties across sparse. Each node expects `mean_degree` ties, a share `mixing`
/// of them leaving its community: within a community of size s, G(s, p_in) with
/// p_in = min(1, mean_degree·(1 − mixing)/(s − 1)); across communities,
/// round(n·mean_degree·mixing/2) edges with uniformly random endpoints in different
/// communities. The network records each node's community index.
pub fn communities(
    n: usize,
    count: u32,
    mean_degree: f64,
    mixing: f64,
    sizes: &CommunitySizes,
    seed: u64,
) -> Network {
    if n == 0 {
        return Network {
            community: Some(Vec::new()),
            ..Network::undirected(empty(0))
        };
    }
    let count = (count as usize).clamp(1, n);
    let key = root(seed);
    let sizes = community_sizes(n, count, sizes, key.child(stream::COMMUNITY_SIZES));
    let mut starts = Vec::with_capacity(count + 1);
    starts.push(0u64);
    for &s in &sizes {
        starts.push(starts[starts.len() - 1] + s as u64);
    }
    let mut community = Vec::with_capacity(n);
    for (c, &s) in sizes.iter().enumerate() {
        community.extend(std::iter::repeat_n(c as u32, s));
    }
    let p_in: Vec<f64> = sizes
        .iter()
        .map(|&s| {
            if s > 1 {
                (mean_degree * (1.0 - mixing) / (s - 1) as f64).min(1.0)
            } else {
                0.0
            }
        })
        .collect();

    let within = key.child(stream::WITHIN_COMMUNITY);
    let cross = if count > 1 {
        (n as f64 * mean_degree * mixing / 2.0).round().max(0.0) as u64
    } else {
        0
    };
    let across = key.child(stream::ACROSS_COMMUNITIES);
    let n64 = n as u64;
    // Items 0..n are the nodes' rows within their community, items n.. the ties across.
    let within_row = |u: u64| {
        let c = community[u as usize] as usize;
        GeometricRow::new(within.agent(u), u + 1, starts[c + 1], p_in[c])
            .flat_map(move |v| both(u, v))
    };
    let across_tie = |i: u64| {
        let mut rng = across.agent(i);
        let mut pair = None;
        for _ in 0..CROSS_ATTEMPTS {
            let (a, b) = (rng.below(n64), rng.below(n64));
            if community[a as usize] != community[b as usize] {
                pair = Some((a, b));
                break;
            }
        }
        // One community holding nearly everyone makes rejection slow: fall back to an
        // exact draw of a node outside the first endpoint's community.
        let (a, b) = pair.unwrap_or_else(|| {
            let a = rng.below(n64);
            let c = community[a as usize] as usize;
            let (lo, hi) = (starts[c], starts[c + 1]);
            let b = rng.below(n64 - (hi - lo));
            (a, if b >= lo { b + (hi - lo) } else { b })
        });
        both(a, b)
    };
    let out = build(n, n64 + cross, |i| {
        if i < n64 {
            Either::Left(within_row(i))
        } else {
            Either::Right(across_tie(i - n64).into_iter())
        }
    });
    Network {
        community: Some(community),
        ..Network::undirected(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::pack;

    thread_local! {
        /// Whether [`build`] sorts collected arcs (the reference) instead of counting
        /// and scattering them.
        pub(super) static REFERENCE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }

    /// A generator with its parameters fixed.
    type Generator = Box<dyn Fn() -> Network>;

    #[test]
    fn count_then_scatter_builds_the_same_csr_as_sorting_arcs() {
        for seed in [1, 7, 2026] {
            let generators: Vec<(&str, Generator)> = vec![
                (
                    "erdos_renyi",
                    Box::new(move || erdos_renyi(3_000, 6.0, seed)),
                ),
                (
                    "erdos_renyi dense",
                    Box::new(move || erdos_renyi(60, 80.0, seed)),
                ),
                (
                    "watts_strogatz",
                    Box::new(move || watts_strogatz(3_000, 6, 0.2, seed)),
                ),
                (
                    "barabasi_albert",
                    Box::new(move || barabasi_albert(5_000, 4, seed)),
                ),
                (
                    "barabasi_albert m1",
                    Box::new(move || barabasi_albert(9_000, 1, seed)),
                ),
                (
                    "communities",
                    Box::new(move || {
                        communities(4_000, 12, 8.0, 0.2, &CommunitySizes::Equal, seed)
                    }),
                ),
                (
                    "communities power law",
                    Box::new(move || {
                        let power = CommunitySizes::PowerLaw { exponent: 2.5 };
                        communities(4_000, 30, 5.0, 0.4, &power, seed)
                    }),
                ),
            ];
            for (name, generate) in generators {
                let fast = generate();
                REFERENCE.with(|r| r.set(true));
                let reference = generate();
                REFERENCE.with(|r| r.set(false));
                assert_eq!(fast.out, reference.out, "{name}, seed {seed}");
                assert_eq!(fast.community, reference.community, "{name}, seed {seed}");
                assert!(fast.out.arcs() > 0, "{name}");
            }
        }
    }

    fn within(value: f64, target: f64, rel: f64) -> bool {
        (value - target).abs() <= rel * target
    }

    fn max_degree(g: &Network) -> u32 {
        (0..g.nodes() as u32)
            .map(|v| g.out.degree(v))
            .max()
            .unwrap_or(0)
    }

    fn is_symmetric(g: &Csr) -> bool {
        (0..g.nodes() as u32).all(|u| {
            g.neighbours(u)
                .iter()
                .all(|&v| g.neighbours(v).binary_search(&u).is_ok())
        })
    }

    fn sbm(seed: u64) -> Network {
        communities(10_000, 20, 8.0, 0.1, &CommunitySizes::Equal, seed)
    }

    fn all_generators(seed: u64) -> Vec<Network> {
        vec![
            complete(40),
            erdos_renyi(5_000, 4.0, seed),
            watts_strogatz(5_000, 6, 0.2, seed),
            barabasi_albert(5_000, 3, seed),
            sbm(seed),
            communities(
                5_000,
                12,
                6.0,
                0.3,
                &CommunitySizes::PowerLaw { exponent: 2.0 },
                seed,
            ),
        ]
    }

    #[test]
    fn complete_ties_every_pair_like_from_arcs() {
        let g = complete(50);
        assert_eq!(g.nodes(), 50);
        assert_eq!(g.out.arcs(), 50 * 49);
        let arcs = (0..50u32)
            .flat_map(|u| (0..50u32).map(move |v| pack(u, v)))
            .collect();
        assert_eq!(g.out, Csr::from_arcs(50, arcs));
        assert_eq!(complete(1).out.arcs(), 0);
        assert_eq!(complete(1).nodes(), 1);
    }

    #[test]
    fn erdos_renyi_has_requested_mean_degree() {
        let g = erdos_renyi(20_000, 4.0, 7);
        assert_eq!(g.nodes(), 20_000);
        println!("ER mean degree {}", g.mean_degree());
        assert!(within(g.mean_degree(), 4.0, 0.03), "{}", g.mean_degree());
        assert!(is_symmetric(&g.out));
    }

    #[test]
    fn watts_strogatz_has_requested_mean_degree() {
        let g = watts_strogatz(10_000, 6, 0.1, 7);
        assert_eq!(g.nodes(), 10_000);
        println!("WS mean degree {}", g.mean_degree());
        assert!(within(g.mean_degree(), 6.0, 0.01), "{}", g.mean_degree());
        assert!(g.mean_degree() <= 6.0);
        assert!(is_symmetric(&g.out));
        // Without rewiring: the exact ring lattice.
        let ring = watts_strogatz(100, 4, 0.0, 7);
        assert_eq!(ring.out.arcs(), 400);
        assert_eq!(ring.out.neighbours(0), &[1, 2, 98, 99]);
    }

    #[test]
    fn barabasi_albert_is_heavy_tailed_with_mean_2m() {
        let g = barabasi_albert(20_000, 5, 7);
        assert_eq!(g.nodes(), 20_000);
        let (mean, max) = (g.mean_degree(), max_degree(&g));
        println!("BA mean degree {mean}, max degree {max}");
        assert!(within(mean, 10.0, 0.04), "{mean}");
        assert!(max as f64 > 10.0 * mean, "max {max}");
        assert!(is_symmetric(&g.out));
        // Every node but the first ties to at least one earlier node.
        assert!((1..20_000u32).all(|v| g.out.neighbours(v)[0] < v));
    }

    #[test]
    fn communities_have_requested_degree_and_mixing() {
        let g = sbm(7);
        assert_eq!(g.nodes(), 10_000);
        let community = g.community.as_ref().unwrap();
        assert_eq!(community.len(), 10_000);
        assert!(community.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(community[9_999], 19);
        let mean = g.mean_degree();
        let cross = (0..10_000u32)
            .flat_map(|u| g.out.neighbours(u).iter().map(move |&v| (u, v)))
            .filter(|&(u, v)| community[u as usize] != community[v as usize])
            .count();
        let share = cross as f64 / g.out.arcs() as f64;
        println!("SBM mean degree {mean}, cross share {share}");
        assert!(within(mean, 8.0, 0.05), "{mean}");
        assert!((share - 0.1).abs() < 0.02, "{share}");
        assert!(is_symmetric(&g.out));
    }

    #[test]
    fn power_law_sizes_sum_to_n_and_vary() {
        let key = root(3).child(stream::COMMUNITY_SIZES);
        for (n, count) in [(10_000, 20), (1_000, 50), (30, 30), (31, 30), (7, 1)] {
            let sizes = community_sizes(n, count, &CommunitySizes::PowerLaw { exponent: 2.5 }, key);
            assert_eq!(sizes.len(), count);
            assert_eq!(sizes.iter().sum::<usize>(), n);
            assert!(sizes.iter().all(|&s| s >= 1));
            if n >= 1_000 {
                assert!(sizes.iter().any(|&s| s != sizes[0]), "{sizes:?}");
            }
        }
        let equal = community_sizes(103, 10, &CommunitySizes::Equal, key);
        assert_eq!(equal.iter().sum::<usize>(), 103);
        assert!(equal.iter().all(|&s| s == 10 || s == 11));
        // Extreme exponents stay finite and valid.
        for exponent in [1.0 + 1e-9, 1.0, 50.0] {
            let sizes = community_sizes(500, 9, &CommunitySizes::PowerLaw { exponent }, key);
            assert_eq!(sizes.iter().sum::<usize>(), 500);
            assert!(sizes.iter().all(|&s| s >= 1));
        }
        let g = communities(
            2_000,
            10,
            6.0,
            0.2,
            &CommunitySizes::PowerLaw { exponent: 2.0 },
            5,
        );
        let community = g.community.unwrap();
        assert_eq!(community.len(), 2_000);
        assert_eq!(*community.last().unwrap(), 9);
    }

    #[test]
    fn same_seed_same_graph_different_seed_different_graph() {
        let (a, b, c) = (all_generators(11), all_generators(11), all_generators(12));
        for (i, ((a, b), c)) in a.iter().zip(&b).zip(&c).enumerate() {
            assert_eq!(a.out, b.out, "generator {i}");
            assert_eq!(a.community, b.community, "generator {i}");
            if i > 0 {
                assert_ne!(a.out, c.out, "generator {i}");
            }
        }
    }

    #[test]
    fn identical_at_one_and_two_threads() {
        let build = |threads| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| all_generators(21))
        };
        let (one, two) = (build(1), build(2));
        for (i, (a, b)) in one.iter().zip(&two).enumerate() {
            assert_eq!(a.out, b.out, "generator {i}");
            assert_eq!(a.community, b.community, "generator {i}");
        }
    }

    #[test]
    fn edge_cases_do_not_panic() {
        for n in [0, 1, 2, 3] {
            let graphs = [
                complete(n),
                erdos_renyi(n, 0.0, 1),
                erdos_renyi(n, n.saturating_sub(1) as f64, 1),
                watts_strogatz(n, 0, 0.5, 1),
                watts_strogatz(n, 2, 1.0, 1),
                barabasi_albert(n, 1, 1),
                communities(n, 1, 0.0, 0.0, &CommunitySizes::Equal, 1),
                communities(n, n.max(1) as u32, 1.0, 1.0, &CommunitySizes::Equal, 1),
                communities(
                    n,
                    2,
                    1.0,
                    0.5,
                    &CommunitySizes::PowerLaw { exponent: 2.0 },
                    1,
                ),
            ];
            for g in &graphs {
                assert_eq!(g.nodes(), n);
                assert!(is_symmetric(&g.out));
                assert!((0..n as u32).all(|v| !g.out.neighbours(v).contains(&v)));
            }
        }
        assert_eq!(erdos_renyi(1_000, 0.0, 1).out.arcs(), 0);
        // p = 1 is the complete graph.
        assert_eq!(erdos_renyi(30, 29.0, 1).out, complete(30).out);
        // Mixing 1 with every node alone: only cross edges.
        let g = communities(100, 100, 4.0, 1.0, &CommunitySizes::Equal, 1);
        assert!(g.mean_degree() > 3.5);
    }
}
