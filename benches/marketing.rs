//! Tick benchmark of the marketing model (src/engine/marketing/) on the networks of
//! `common`. Run with `cargo bench --bench marketing`.
//!
//! - `marketing_tick/{n}`: one `Marketing::step` of a hybrid strategy in mid-run, so
//!   every pass of the tick does work: social media (default parameters) and a
//!   community with n/200 advocates and surveys every 30 ticks, sharing a budget of
//!   200 per 10 000 agents per tick half and half (the community's half matches the
//!   community scenario). Untimed warm-up: every 5th agent is made a customer (20%),
//!   every 20th a member (5%), then 30 ticks are stepped; successive steps are then
//!   timed, each on its own, advancing t, and after 90 timed ticks the run is rebuilt
//!   and warmed up again (untimed). Throughput: all arcs.
//!
//! Reading the results, against `csr_neighbour_sum` (benches/csr.rs) for the same n:
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

mod common;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use murmur::engine::Marketing;
use murmur::network::Network;
use murmur::scenario::marketing::{
    Advocates, Community, Market, MarketingSpec, Reviews, SocialMedia, Strategy,
};
use std::hint::black_box;
use std::time::{Duration, Instant};

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
    /// A fresh run of `spec` on `net`: a fifth of the agents customers, a twentieth
    /// members, then [`MARKETING_WARM`] ticks.
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

    /// One tick; returns its new adopters.
    fn step(&mut self) -> u32 {
        self.t += 1;
        self.model.step(self.t)
    }
}

/// `marketing_tick` for each size.
fn benches(c: &mut Criterion) {
    for n in common::SIZES {
        let net = common::network(n);
        let arcs = net.out.arcs() as u64;

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

criterion_group!(marketing, benches);
criterion_main!(marketing);
