//! Tick benchmarks on Barabási–Albert networks (m = 5, seed 42; mean degree ≈ 10, so
//! about 10·n arcs) of 100 000 and 1 000 000 agents. Each network is built once per
//! size, outside the timed code. Run with `cargo bench --bench tick`.
//!
//! - `csr_neighbour_sum/{n}`: the memory-bandwidth ceiling. For
//!   every node in parallel (rayon, chunks of 4096 nodes, as the engine), sum a u32
//!   per-node array over the node's out-neighbours and write the sum to an output
//!   array. Every arc is read once and costs one dependent, mostly random, 4-byte
//!   load. Throughput: all arcs.
//! - `bass_tick/{n}`: one `Bass::step` in mid-diffusion. A Bass model (p = 0.01,
//!   q = 0.038) is stepped, untimed, until 30% of agents have adopted; then successive
//!   steps of that model are timed, each on its own, advancing t. When more than 50%
//!   have adopted the model is rebuilt and warmed up again (untimed), so every timed
//!   step starts from 30–50% adopted, where a tick adopts a few per cent of agents.
//!   Throughput: all arcs, to compare directly with the neighbour sum.
//! - `ic_tick/{n}`: one `IndependentCascade::step(1)` with probability 0.05 from a
//!   frontier of every other agent (half the agents newly active at tick 0), built in
//!   an untimed setup. The tick makes one attempt along each arc leaving the frontier.
//!   Throughput: those arcs (the frontier's total out-degree, ≈ arcs / 2).
//! - `ic_run/{n}`: a whole independent cascade, p = 0.05, 10 random seeds, stepped
//!   until it dies out, including its setup (state allocation and seeding). On these
//!   graphs most such cascades die within a few ticks after reaching a few dozen
//!   agents (then a run costs little more than allocating the state), and some break
//!   out to ≈ 4–5% of all agents. The bench times the first replicate (scenario seed
//!   1, replicates 0, 1, …) whose cascade reaches at least 1% of agents, the same
//!   cascade every iteration; its replicate, size and length are printed once per n.
//!   No throughput.
//! - `marketing_tick/{n}`: one `Marketing::step` of a hybrid strategy in mid-run, so
//!   every pass of the tick does work: social media (default parameters) and a
//!   community with n/200 advocates and surveys every 30 ticks, sharing a budget of
//!   200 per 10 000 agents per tick half and half (the community's half matches the
//!   community scenario). Untimed warm-up: every 5th agent is made a customer (20%),
//!   every 20th a member (5%), then 30 ticks are stepped; successive steps are then
//!   timed, each on its own, advancing t, and after 90 timed ticks the run is rebuilt
//!   and warmed up again (untimed). Throughput: all arcs.
//!
//! Reading the results: the neighbour sum is the ceiling a pull-style word-of-mouth
//! tick cannot beat, since it touches every arc once with nothing else to do. The design
//! target is for the word-of-mouth step to be within 2× of it, i.e. `bass_tick` time at most
//! twice `csr_neighbour_sum` time (its edges/s at least half) for the same n. The Bass
//! step does not read all arcs: it scans every agent (a state load, a degree, an
//! adopted-neighbour count and one hashed draw per prospect) and pushes only the new
//! adopters' arcs with atomic adds, so it can even beat the ceiling; its edges/s is
//! "arcs of the graph per second of tick", for comparison only. `ic_tick` per arc
//! should be in the same range as the neighbour sum per arc: each attempt costs a
//! hashed draw, and a compare-exchange on the target when the draw succeeds (5%).
//! `marketing_tick` runs several sweeps over the agents (talk signals, exposure,
//! purchase, community, census), each touching a few bytes to a few dozen bytes of
//! per-agent state, plus one word-of-mouth pass that, like the neighbour sum, pulls
//! over all in-neighbours of every agent (a one-byte talk flag per arc, a hashed
//! contact draw only for talking neighbours). That pass alone should stay within a
//! small multiple (2–3×) of `csr_neighbour_sum` for the same n; the rest of the tick is
//! about six per-agent sweeps with one to four hashed draws (and an `exp` or a normal
//! draw) per agent each, which at 10 arcs per agent cost more than the pull. When this
//! bench was added (2 vCPUs), a tick took ≈ 10× the neighbour sum at n = 1 000 000,
//! with word of mouth and exposure about 30% of it each.

use criterion::{
    BatchSize, BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use murmur::engine::{Bass, Context, IndependentCascade, Marketing};
use murmur::network::{Network, barabasi_albert};
use murmur::scenario::Seeding;
use murmur::scenario::marketing::{
    Advocates, Community, Market, MarketingSpec, Reviews, SocialMedia, Strategy,
};
use rayon::prelude::*;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Network sizes benchmarked.
const SIZES: [usize; 2] = [100_000, 1_000_000];
/// Nodes per parallel work item, as in the engine.
const CHUNK: usize = 4096;

fn network(n: usize) -> Network {
    let start = Instant::now();
    let net = barabasi_albert(n, 5, 42);
    eprintln!(
        "BA n = {n}, m = 5: {} arcs, built in {:.2?}",
        net.out.arcs(),
        start.elapsed()
    );
    net
}

fn ctx(net: &Network) -> Context<'_> {
    Context {
        network: net,
        seed: 1,
        replicate: 0,
    }
}

/// Runs the `ic_run` cascade of a replicate to its end: (ticks, agents reached).
fn cascade(net: &Network, replicate: u64) -> (u32, u64) {
    let c = Context {
        replicate,
        ..ctx(net)
    };
    let mut ic = IndependentCascade::new(c, 0.05, 10, Seeding::Random);
    let (mut ticks, mut size) = (0, ic.initial() as u64);
    while !ic.finished() {
        ticks += 1;
        size += ic.step(ticks) as u64;
    }
    (ticks, size)
}

/// Sums `values` over each node's out-neighbours into `out`.
fn neighbour_sum(net: &Network, values: &[u32], out: &mut [u32]) {
    out.par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            for (i, o) in chunk.iter_mut().enumerate() {
                let v = (c * CHUNK + i) as u32;
                *o = net
                    .out
                    .neighbours(v)
                    .iter()
                    .fold(0u32, |s, &u| s.wrapping_add(values[u as usize]));
            }
        });
}

/// A Bass run stepped past the start of diffusion, with the tick it is at and the
/// number of agents that have adopted.
struct MidBass<'a> {
    model: Bass<'a>,
    t: u32,
    adopted: usize,
}

/// Adopted share at which timing starts.
const BASS_FROM: f64 = 0.30;
/// Adopted share above which the run is replaced by a fresh one.
const BASS_TO: f64 = 0.50;

impl<'a> MidBass<'a> {
    fn new(net: &'a Network) -> Self {
        let mut run = MidBass {
            model: Bass::new(ctx(net), 0.01, 0.038),
            t: 0,
            adopted: 0,
        };
        while (run.adopted as f64) < BASS_FROM * net.nodes() as f64 {
            run.step();
        }
        run
    }

    fn step(&mut self) -> u32 {
        self.t += 1;
        let new = self.model.step(self.t);
        self.adopted += new as usize;
        new
    }
}

/// The `marketing_tick` scenario for `n` agents: a hybrid strategy, half the budget
/// to social media, half to a community with advocates and surveys.
fn hybrid_spec(n: usize) -> MarketingSpec {
    MarketingSpec {
        market: Market::default(),
        strategy: Strategy {
            budget: 200.0 * n as f64 / 10_000.0,
            social_media_share: Some(0.5),
            social_media: Some(SocialMedia::default()),
            community: Some(Community {
                advocates: Advocates {
                    count: (n / 200) as u32,
                    ..Default::default()
                },
                reviews: Reviews {
                    survey_interval: 30,
                    ..Default::default()
                },
                ..Default::default()
            }),
            ..Strategy::default()
        },
        phases: vec![],
    }
}

/// Ticks stepped, untimed, before timing starts.
const MARKETING_WARM: u32 = 30;
/// Timed ticks after which the run is replaced by a fresh one.
const MARKETING_TIMED: u32 = 90;

/// A marketing run warmed up to mid-run, with the tick it is at.
struct MidMarketing<'a> {
    model: Marketing<'a>,
    t: u32,
}

impl<'a> MidMarketing<'a> {
    fn new(net: &'a Network, spec: &'a MarketingSpec) -> Self {
        let n = net.nodes() as u32;
        let mut model = Marketing::new(net, spec, 1, 0);
        let customers: Vec<u32> = (0..n).step_by(5).collect();
        let members: Vec<u32> = (0..n).step_by(20).collect();
        model.make_customers(&customers);
        model.make_members(&members);
        let mut run = MidMarketing { model, t: 0 };
        while run.t < MARKETING_WARM {
            run.step();
        }
        run
    }

    fn step(&mut self) -> u32 {
        self.t += 1;
        self.model.step(self.t)
    }
}

fn benches(c: &mut Criterion) {
    for n in SIZES {
        let net = network(n);
        let arcs = net.out.arcs() as u64;

        let mut g = c.benchmark_group("csr_neighbour_sum");
        g.sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
            .throughput(Throughput::Elements(arcs));
        let values: Vec<u32> = (0..n as u32).map(|v| v % 7).collect();
        let mut out = vec![0u32; n];
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                neighbour_sum(&net, black_box(&values), &mut out);
                black_box(&out);
            })
        });
        g.finish();

        let mut g = c.benchmark_group("bass_tick");
        g.sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
            .throughput(Throughput::Elements(arcs));
        let mut run = MidBass::new(&net);
        eprintln!(
            "bass_tick/{n}: timing starts at t = {} with {:.1}% adopted",
            run.t,
            100.0 * run.adopted as f64 / n as f64
        );
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    if run.adopted as f64 > BASS_TO * n as f64 {
                        run = MidBass::new(&net);
                    }
                    let start = Instant::now();
                    black_box(run.step());
                    total += start.elapsed();
                }
                total
            })
        });
        g.finish();

        let frontier: Vec<u32> = (0..n as u32).step_by(2).collect();
        let frontier_arcs: u64 = frontier.iter().map(|&v| net.out.degree(v) as u64).sum();
        let mut g = c.benchmark_group("ic_tick");
        g.sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
            .throughput(Throughput::Elements(frontier_arcs));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter_batched(
                || IndependentCascade::from_frontier(ctx(&net), 0.05, frontier.clone()),
                |mut ic| {
                    black_box(ic.step(1));
                    ic
                },
                BatchSize::LargeInput,
            )
        });
        g.finish();

        let (replicate, (ticks, size)) = (0..1000)
            .map(|r| (r, cascade(&net, r)))
            .find(|&(_, (_, size))| size * 100 >= n as u64)
            .expect("a cascade reaching 1% of agents");
        eprintln!(
            "ic_run/{n}: replicate {replicate}'s cascade reaches {size} agents ({:.1}%) and dies out after {ticks} ticks",
            100.0 * size as f64 / n as f64
        );
        let mut g = c.benchmark_group("ic_run");
        g.sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| black_box(cascade(&net, replicate)))
        });
        g.finish();

        let spec = hybrid_spec(n);
        let start = Instant::now();
        let mut run = MidMarketing::new(&net, &spec);
        let col = |c: &str| run.model.last(c).unwrap_or(f64::NAN);
        eprintln!(
            "marketing_tick/{n}: warm-up to t = {} in {:.2?}: {} customers, {} members, {} advocates",
            run.t,
            start.elapsed(),
            col("customers"),
            col("members"),
            col("advocates"),
        );
        let mut g = c.benchmark_group("marketing_tick");
        g.sample_size(10)
            .sampling_mode(SamplingMode::Flat)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(6))
            .throughput(Throughput::Elements(arcs));
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    if run.t >= MARKETING_WARM + MARKETING_TIMED {
                        run = MidMarketing::new(&net, &spec);
                    }
                    let start = Instant::now();
                    black_box(run.step());
                    total += start.elapsed();
                }
                total
            })
        });
        g.finish();
    }
}

criterion_group!(tick, benches);
criterion_main!(tick);
