//! `murmur bench` (issue 13, item 6): the standard benchmark set at a chosen scale, each
//! figure a ratio to the memory-bandwidth ceiling measured in the same run, so machines
//! can be compared by their ratios and their ceilings.
//!
//! The ceiling is the CSR neighbour sum: for every agent in parallel, sum a per-agent
//! `u32` over its out-neighbours (every arc read once, one mostly random 4-byte load
//! each; `benches/csr.rs`). A pull-style tick cannot beat it. Against it the run times:
//! building the network (Barabási–Albert, m = 5, about 10 arcs per agent), a Bass tick,
//! a marketing tick (the shipped `community.toml` strategy, its budget scaled to the
//! population), and a batch of small independent cascades (10 random seeds,
//! probability 0.0001: the seeding studies' regime), per replicate. Each figure is the
//! median of its repeats, each repeat on state and arrays of its own; wall time, not
//! CPU time.
//!
//! Locality (issue 13, item 4): the network is renumbered in breadth-first and reverse
//! Cuthill–McKee order ([`Order`]), and the neighbour sum and the marketing tick's
//! word-of-mouth pass are timed again on each, as speed-ups over the network's own
//! order, with the time renumbering took and the adjacency's bandwidth.

use crate::engine::{
    Bass, Context, IndependentCascade, LinearThreshold, Marketing, Pass, PassTimes,
};
use crate::network::{Network, Order, bandwidth, barabasi_albert, renumber};
use crate::scenario::{ModelSpec, Scenario, Seeding};
use rayon::prelude::*;
use serde::Serialize;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

/// Agents per parallel work item, as in the engine.
const CHUNK: usize = 4096;

/// The shipped community strategy, whose market and strategy the marketing tick runs.
const COMMUNITY: &str = include_str!("../scenarios/community.toml");

/// What to run.
#[derive(Clone, Copy, Debug)]
pub struct BenchOptions {
    /// Agents.
    pub agents: usize,
    /// Repeats of each measurement (the median is reported).
    pub repeats: usize,
    /// Independent-cascade replicates per repeat.
    pub cascades: u32,
    /// The cascade the batch runs.
    pub cascade: Cascade,
    /// Time only the ceiling and the cascade batch (for side-by-side scripts).
    pub cascades_only: bool,
}

/// The cascade model of the batch: 10 random seeds each replicate, run until it dies.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum Cascade {
    /// Independent cascade with this probability per arc.
    IndependentCascade {
        /// Chance that a newly active agent activates a neighbour.
        probability: f64,
    },
    /// Linear threshold (uniform thresholds, weights 1/in-degree).
    LinearThreshold,
}

impl Cascade {
    /// The standard batch: independent cascade at probability 0.0001, about ten
    /// agents reached (the seeding studies' regime).
    pub const SMALL: Cascade = Cascade::IndependentCascade {
        probability: 0.0001,
    };

    /// The figure's name: `ic_small_cascade` for the standard batch, else
    /// `ic_cascade` or `lt_cascade`.
    fn name(self) -> &'static str {
        match self {
            Cascade::SMALL => "ic_small_cascade",
            Cascade::IndependentCascade { .. } => "ic_cascade",
            Cascade::LinearThreshold => "lt_cascade",
        }
    }
}

/// What the cascade batch reached: agents active at the end (seeds included) over
/// every replicate of every repeat.
#[derive(Clone, Debug, Serialize)]
pub struct CascadeReach {
    /// The cascade run.
    pub cascade: Cascade,
    /// Replicates.
    pub replicates: u64,
    /// Mean active agents at the end.
    pub mean_active: f64,
    /// Standard error of that mean.
    pub standard_error: f64,
}

/// One measured figure.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    /// What was timed.
    pub name: &'static str,
    /// The unit one measurement covers (a pass, a tick, a replicate, a build).
    pub per: &'static str,
    /// Median seconds per unit.
    pub seconds: f64,
    /// `seconds` over the ceiling's seconds per pass: how many neighbour sums it costs.
    pub ratio_to_ceiling: f64,
    /// Every repeat's seconds per unit, in order.
    pub repeats: Vec<f64>,
}

/// The report `bench.json` holds.
#[derive(Clone, Debug, Serialize)]
pub struct BenchReport {
    /// murmur's version.
    pub murmur_version: &'static str,
    /// How murmur was built and the machine it ran on.
    pub build: crate::results::Build,
    /// Worker threads.
    pub threads: usize,
    /// Agents.
    pub agents: usize,
    /// Arcs of the network (each undirected tie twice).
    pub arcs: usize,
    /// Bytes the network's adjacency holds.
    pub network_bytes: usize,
    /// The figures, the ceiling first.
    pub figures: Vec<Figure>,
    /// The marketing tick's passes (MODEL.md §4.3): where its time goes (empty when
    /// only cascades were timed).
    pub marketing_passes: Vec<PassFigure>,
    /// How far the batch's cascades went, to check against a peer's.
    pub cascade: CascadeReach,
    /// The network's bandwidth in its own order (the largest |u − v| over its arcs).
    pub bandwidth: u32,
    /// What renumbering the agents would buy (empty when only cascades were timed).
    pub locality: Vec<LocalityFigure>,
}

/// The network renumbered in one [`Order`]: what it costs, and how much faster the
/// neighbour sum and the word-of-mouth pass run on it than in the network's own order.
#[derive(Clone, Debug, Serialize)]
pub struct LocalityFigure {
    /// The order ([`Order::name`]).
    pub order: &'static str,
    /// Seconds to compute the order and renumber the network (once).
    pub renumber_seconds: f64,
    /// The renumbered adjacency's bandwidth.
    pub bandwidth: u32,
    /// Median seconds per neighbour-sum pass on the renumbered network.
    pub neighbour_sum_seconds: f64,
    /// The ceiling's seconds in the network's own order over `neighbour_sum_seconds`
    /// (above 1: renumbering helps).
    pub neighbour_sum_speedup: f64,
    /// Mean seconds per tick of the word-of-mouth pass on the renumbered network.
    pub word_of_mouth_seconds: f64,
    /// The pass's seconds in the network's own order over `word_of_mouth_seconds`.
    pub word_of_mouth_speedup: f64,
}

/// One pass of the marketing tick: its mean seconds per tick over every repeat.
#[derive(Clone, Debug, Serialize)]
pub struct PassFigure {
    /// The pass ([`Pass::name`]).
    pub pass: &'static str,
    /// Mean seconds per tick.
    pub seconds: f64,
    /// `seconds` over the ceiling's seconds per pass.
    pub ratio_to_ceiling: f64,
}

/// Runs the benchmark set with `options` inside the current thread pool, on a
/// Barabási–Albert network (m = 5) of `options.agents` agents, built `repeats` times
/// to time it.
pub fn run(options: &BenchOptions) -> BenchReport {
    let repeats = options.repeats.max(1);
    let mut builds = Vec::with_capacity(repeats);
    let mut network = None;
    for _ in 0..repeats {
        drop(network.take());
        let start = Instant::now();
        network = Some(barabasi_albert(options.agents, 5, 42));
        builds.push(start.elapsed().as_secs_f64());
    }
    let net = network.expect("at least one build");
    run_on(&net, Some(builds), options)
}

/// Runs the benchmark set with `options` on `net` (an edge list's, say), with the
/// times its builds took when they were measured.
pub fn run_on(net: &Network, builds: Option<Vec<f64>>, options: &BenchOptions) -> BenchReport {
    let repeats = options.repeats.max(1);
    let ceiling = ceiling_of(net, repeats);
    let c = median(&ceiling);
    let figure = |name, per, repeats: Vec<f64>| Figure {
        name,
        per,
        seconds: median(&repeats),
        ratio_to_ceiling: median(&repeats) / c,
        repeats,
    };
    let mut figures = vec![figure("csr_neighbour_sum", "pass", ceiling.clone())];
    let mut marketing_passes = Vec::new();
    let mut locality = Vec::new();
    if !options.cascades_only {
        if let Some(builds) = builds {
            figures.push(figure("network_build", "build", builds));
        }
        figures.push(figure("bass_tick", "tick", bass_ticks(net, repeats)));
        let (marketing, passes) = marketing_ticks(net, repeats);
        figures.push(figure("marketing_tick", "tick", marketing));
        marketing_passes = Pass::ALL
            .iter()
            .map(|&p| PassFigure {
                pass: p.name(),
                seconds: passes.seconds[p as usize],
                ratio_to_ceiling: passes.seconds[p as usize] / c,
            })
            .collect();
        let word_of_mouth = passes.seconds[Pass::WordOfMouth as usize];
        locality = Order::ALL
            .iter()
            .map(|&order| {
                let start = Instant::now();
                let renumbered = renumber(net, &order.of(&net.out));
                let renumber_seconds = start.elapsed().as_secs_f64();
                let sum = median(&ceiling_of(&renumbered, repeats));
                let (_, passes) = marketing_ticks(&renumbered, repeats);
                let wom = passes.seconds[Pass::WordOfMouth as usize];
                LocalityFigure {
                    order: order.name(),
                    renumber_seconds,
                    bandwidth: bandwidth(&renumbered.out),
                    neighbour_sum_seconds: sum,
                    neighbour_sum_speedup: c / sum,
                    word_of_mouth_seconds: wom,
                    word_of_mouth_speedup: word_of_mouth / wom,
                }
            })
            .collect();
    }
    let (times, cascade) = cascades(net, repeats, options.cascades, options.cascade);
    figures.push(figure(options.cascade.name(), "replicate", times));
    BenchReport {
        murmur_version: env!("CARGO_PKG_VERSION"),
        build: crate::results::Build::here(),
        threads: rayon::current_num_threads(),
        agents: net.nodes(),
        arcs: net.out.arcs(),
        network_bytes: net.bytes(),
        figures,
        marketing_passes,
        cascade,
        bandwidth: bandwidth(&net.out),
        locality,
    }
}

/// The ceiling's pass: for every agent in parallel (chunks of 4,096, as the engine),
/// sum `values` over its out-neighbours into `out`. Every arc is read once, one mostly
/// random 4-byte load each; `benches/csr.rs` times it with criterion.
pub fn neighbour_sum(net: &Network, values: &[u32], out: &mut [u32]) {
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

/// Seconds per neighbour-sum pass, one per repeat, each on arrays of its own after a
/// warm-up pass over them. Like the Bass and marketing repeats, each of which builds a
/// fresh state, every repeat allocates afresh: a pass's time depends on where its
/// arrays landed (on the development machine, one allocation's median moved from 11.3
/// to 21.0 ms between runs), so the median over placements is what the ticks' medians
/// are compared with.
fn ceiling_of(net: &Network, repeats: usize) -> Vec<f64> {
    let n = net.nodes();
    (0..repeats)
        .map(|_| {
            let values: Vec<u32> = (0..n as u32).map(|v| v % 7).collect();
            let mut out = vec![0u32; n];
            neighbour_sum(net, &values, &mut out);
            let start = Instant::now();
            neighbour_sum(net, black_box(&values), black_box(&mut out));
            black_box(&out);
            start.elapsed().as_secs_f64()
        })
        .collect()
}

/// Ticks timed per repeat of the Bass and marketing ticks.
const TICKS: u32 = 10;

/// Seconds per Bass tick (p = 0.003, q = 0.38, as `bass_complete.toml`), the mean of
/// `TICKS` ticks of a fresh run per repeat.
fn bass_ticks(net: &Network, repeats: usize) -> Vec<f64> {
    (0..repeats)
        .map(|r| {
            let ctx = Context {
                network: net,
                seed: 1,
                replicate: r as u64,
            };
            let mut bass = Bass::new(ctx, 0.003, 0.38);
            let start = Instant::now();
            for t in 1..=TICKS {
                black_box(bass.step(t));
            }
            start.elapsed().as_secs_f64() / f64::from(TICKS)
        })
        .collect()
}

/// Seconds per marketing tick of the community strategy (ticks 31–40 of a run, once
/// the community is running), per repeat, and the mean seconds per tick of each pass
/// over every repeat (timed in separate ticks, 41–50, so the clock's reads do not
/// enter the figure).
fn marketing_ticks(net: &Network, repeats: usize) -> (Vec<f64>, PassTimes) {
    let mut scenario = Scenario::from_str_at(COMMUNITY, Path::new("scenarios/community.toml"))
        .expect("the shipped community scenario is valid");
    let ModelSpec::Marketing(spec) = &mut scenario.model else {
        unreachable!("community.toml is a marketing scenario")
    };
    // The budget per customer of the shipped 10,000-customer market.
    spec.strategy.budget *= net.nodes() as f64 / 10_000.0;
    let spec = &*spec;
    let mut passes = PassTimes::default();
    let ticks = (0..repeats)
        .map(|r| {
            let mut m = Marketing::new(net, spec, 1, r as u64);
            for t in 1..=30 {
                m.step(t);
            }
            let start = Instant::now();
            for t in 31..=30 + TICKS {
                black_box(m.step(t));
            }
            let seconds = start.elapsed().as_secs_f64() / f64::from(TICKS);
            for t in 31 + TICKS..=30 + 2 * TICKS {
                black_box(m.step_timed(t, &mut passes));
            }
            seconds
        })
        .collect();
    let stepped = (repeats as u32 * TICKS) as f64;
    passes.seconds.iter_mut().for_each(|s| *s /= stepped);
    (ticks, passes)
}

/// Seconds per replicate of a batch of `cascades` cascades (10 random seeds each, run
/// until they die), replicates side by side, per repeat; and how far they went.
fn cascades(
    net: &Network,
    repeats: usize,
    cascades: u32,
    model: Cascade,
) -> (Vec<f64>, CascadeReach) {
    let mut finals: Vec<u32> = Vec::with_capacity(repeats * cascades as usize);
    let times = (0..repeats)
        .map(|r| {
            let start = Instant::now();
            let reached: Vec<u32> = (0..cascades)
                .into_par_iter()
                .map(|c| {
                    let ctx = Context {
                        network: net,
                        seed: 7,
                        replicate: (r as u64) << 32 | u64::from(c),
                    };
                    match model {
                        Cascade::IndependentCascade { probability } => {
                            let mut m =
                                IndependentCascade::new(ctx, probability, 10, Seeding::Random);
                            until_dead(m.initial(), |t| (!m.finished()).then(|| m.step(t)))
                        }
                        Cascade::LinearThreshold => {
                            let mut m = LinearThreshold::new(ctx, 10, Seeding::Random);
                            until_dead(m.initial(), |t| (!m.finished()).then(|| m.step(t)))
                        }
                    }
                })
                .collect();
            let seconds = start.elapsed().as_secs_f64() / f64::from(cascades.max(1));
            finals.extend(black_box(reached));
            seconds
        })
        .collect();
    let k = finals.len().max(1) as f64;
    let mean = finals.iter().map(|&f| f64::from(f)).sum::<f64>() / k;
    let var = finals
        .iter()
        .map(|&f| (f64::from(f) - mean).powi(2))
        .sum::<f64>()
        / (k - 1.0).max(1.0);
    let reach = CascadeReach {
        cascade: model,
        replicates: finals.len() as u64,
        mean_active: mean,
        standard_error: (var / k).sqrt(),
    };
    (times, reach)
}

/// Steps a cascade from its `initial` active agents until `step` says it has died
/// (`None`), and returns the agents active at the end.
fn until_dead(initial: u32, mut step: impl FnMut(u32) -> Option<u32>) -> u32 {
    let mut total = initial;
    let mut t = 1;
    while let Some(new) = step(t) {
        total += new;
        t += 1;
    }
    total
}

/// The median of `v` (the mean of the middle two for an even count).
fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    match s.len() {
        0 => f64::NAN,
        l if l % 2 == 1 => s[l / 2],
        l => (s[l / 2 - 1] + s[l / 2]) / 2.0,
    }
}

/// The figures as a text table: seconds per unit and ratio to the ceiling.
pub fn table(report: &BenchReport) -> String {
    let mut out = format!(
        "murmur bench: {} agents, {} arcs, {} threads ({})\n{:<20} {:>10} {:>14} {:>10}\n",
        report.agents,
        report.arcs,
        report.threads,
        report.build.cpu,
        "benchmark",
        "per",
        "seconds",
        "× ceiling"
    );
    for f in &report.figures {
        out += &format!(
            "{:<20} {:>10} {:>14} {:>10}\n",
            f.name,
            f.per,
            duration(f.seconds),
            significant(f.ratio_to_ceiling)
        );
    }
    if !report.marketing_passes.is_empty() {
        out += "marketing tick by pass (mean per tick)\n";
    }
    for p in &report.marketing_passes {
        out += &format!(
            "  {:<29} {:>14} {:>10}\n",
            p.pass,
            duration(p.seconds),
            significant(p.ratio_to_ceiling)
        );
    }
    if !report.locality.is_empty() {
        out += &format!(
            "renumbered for locality (bandwidth {} as numbered)\n  {:<10} {:>12} {:>12} {:>16} {:>16}\n",
            report.bandwidth, "order", "renumbering", "bandwidth", "neighbour sum", "word of mouth"
        );
    }
    for l in &report.locality {
        out += &format!(
            "  {:<10} {:>12} {:>12} {:>16} {:>16}\n",
            l.order,
            duration(l.renumber_seconds),
            l.bandwidth,
            format!("{}×", significant(l.neighbour_sum_speedup)),
            format!("{}×", significant(l.word_of_mouth_speedup)),
        );
    }
    let reach = &report.cascade;
    out += &format!(
        "cascades: {} replicates, {:.2} ± {:.2} agents active at the end (mean ± s.e.)\n",
        reach.replicates, reach.mean_active, reach.standard_error
    );
    out
}

/// Seconds in the unit that keeps three significant figures readable.
fn duration(seconds: f64) -> String {
    let (value, unit) = if seconds >= 1.0 {
        (seconds, "s")
    } else if seconds >= 1e-3 {
        (seconds * 1e3, "ms")
    } else if seconds >= 1e-6 {
        (seconds * 1e6, "µs")
    } else {
        (seconds * 1e9, "ns")
    };
    format!("{} {unit}", significant(value))
}

/// `x` to three significant figures.
fn significant(x: f64) -> String {
    if !x.is_finite() || x == 0.0 {
        return format!("{x}");
    }
    let digits = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.digits$}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_small_bench_measures_every_figure_against_the_ceiling() {
        let report = run(&BenchOptions {
            agents: 5_000,
            repeats: 3,
            cascades: 20,
            cascade: Cascade::SMALL,
            cascades_only: false,
        });
        let names: Vec<&str> = report.figures.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "csr_neighbour_sum",
                "network_build",
                "bass_tick",
                "marketing_tick",
                "ic_small_cascade"
            ]
        );
        assert_eq!(report.figures[0].ratio_to_ceiling, 1.0);
        for f in &report.figures {
            assert_eq!(f.repeats.len(), 3, "{}", f.name);
            assert!(f.seconds > 0.0 && f.ratio_to_ceiling.is_finite(), "{f:?}");
        }
        let passes: Vec<&str> = report.marketing_passes.iter().map(|p| p.pass).collect();
        assert_eq!(
            passes,
            [
                "firm",
                "talk",
                "exposure",
                "word_of_mouth",
                "purchase",
                "community",
                "record"
            ]
        );
        assert!(report.marketing_passes.iter().all(|p| p.seconds > 0.0));
        let orders: Vec<&str> = report.locality.iter().map(|l| l.order).collect();
        assert_eq!(orders, ["bfs", "rcm"]);
        let word_of_mouth = report.marketing_passes[Pass::WordOfMouth as usize].seconds;
        for l in &report.locality {
            assert!(l.neighbour_sum_speedup > 0.0 && l.word_of_mouth_speedup > 0.0);
            assert!(l.neighbour_sum_speedup.is_finite() && l.word_of_mouth_speedup.is_finite());
            // Each speed-up is the own order's time over the renumbered one's.
            let sum = report.figures[0].seconds / l.neighbour_sum_seconds;
            assert_eq!(l.neighbour_sum_speedup, sum, "{l:?}");
            assert_eq!(
                l.word_of_mouth_speedup,
                word_of_mouth / l.word_of_mouth_seconds
            );
        }
        assert_eq!(report.agents, 5_000);
        assert!(report.arcs > 40_000, "BA m = 5: about 10 arcs per agent");
        let json = serde_json::to_value(&report).unwrap();
        assert!(json["build"]["cpu"].is_string() && json["build"]["cores"].is_number());
    }

    #[test]
    fn durations_keep_three_significant_figures() {
        assert_eq!(duration(0.0000021534), "2.15 µs");
        assert_eq!(duration(0.0612), "61.2 ms");
        assert_eq!(duration(3.0), "3.00 s");
        assert_eq!(significant(0.001234), "0.00123");
        assert_eq!(significant(47.86), "47.9");
    }

    #[test]
    fn the_median_is_the_middle() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
