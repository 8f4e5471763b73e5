//! Tick benchmarks of the classic models (src/engine/classic.rs) on the networks of
//! `common`. Run with `cargo bench --bench classic`.
//!
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
//!
//! Reading the results, against `csr_neighbour_sum` (benches/csr.rs) for the same n:
//! the Bass step does not read all arcs: it scans every agent (a state load, a degree,
//! an adopted-neighbour count and one hashed draw per prospect) and pushes only the new
//! adopters' arcs with atomic adds, so it can even beat the ceiling; its edges/s is
//! "arcs of the graph per second of tick", for comparison only. `ic_tick` per arc
//! should be in the same range as the neighbour sum per arc: each attempt costs a
//! hashed draw, and a compare-exchange on the target when the draw succeeds (5%).

mod common;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use murmur::engine::{Bass, Context, IndependentCascade};
use murmur::network::Network;
use murmur::scenario::Seeding;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The context of replicate 0 of seed 1 on `net`.
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
    /// A fresh Bass run on `net`, stepped until [`BASS_FROM`] of the agents adopted.
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

    /// One tick; returns the agents who adopted in it.
    fn step(&mut self) -> u32 {
        self.t += 1;
        let new = self.model.step(self.t);
        self.adopted += new as usize;
        new
    }
}

/// `bass_tick`, `ic_tick` and `ic_run` for each size.
fn benches(c: &mut Criterion) {
    for n in common::SIZES {
        let net = common::network(n);
        let arcs = net.out.arcs() as u64;

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
    }
}

criterion_group!(classic, benches);
criterion_main!(classic);
