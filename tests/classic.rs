//! The classic diffusion models against closed forms (docs/MODEL.md §3.6).

use murmur::experiment::{self, RunOptions};
use murmur::scenario::Scenario;
use std::path::Path;

fn scenario(text: &str) -> Scenario {
    Scenario::from_str_at(text, Path::new("test.toml")).expect("valid scenario")
}

/// Mean share of adopters at each tick across replicates.
fn mean_share(s: Scenario) -> Vec<f64> {
    let n = s.population.size as f64;
    let outcome = experiment::run(s, Path::new("test.toml"), &RunOptions::default()).unwrap();
    let reps = outcome.series.len() as f64;
    let mut mean = vec![0.0; outcome.series[0].new_adopters.len()];
    for series in &outcome.series {
        for (m, a) in mean.iter_mut().zip(series.adopters()) {
            *m += a as f64 / n / reps;
        }
    }
    mean
}

#[test]
fn bass_on_a_complete_graph_follows_the_closed_form() {
    let (p, q) = (0.003, 0.038);
    let mean = mean_share(scenario(
        r#"
        ticks = 300
        seed = 42
        replicates = 50
        [population]
        size = 2000
        [network]
        kind = "complete"
        [model]
        kind = "bass"
        p = 0.003
        q = 0.038
        "#,
    ));
    assert_eq!(mean.len(), 301);
    let mut worst: f64 = 0.0;
    for (t, m) in mean.iter().enumerate() {
        let t = t as f64;
        let e = (-(p + q) * t).exp();
        let closed = (1.0 - e) / (1.0 + (q / p) * e);
        worst = worst.max((m - closed).abs());
        assert!(
            (m - closed).abs() < 0.02,
            "tick {t}: simulated {m:.4}, closed form {closed:.4}"
        );
    }
    // The check must be able to fail: the curve is far from trivial.
    assert!(
        mean[100] > 0.5 && mean[30] < 0.4,
        "{} {}",
        mean[30],
        mean[100]
    );
    eprintln!("largest deviation from F(t): {worst:.4}");
}

#[test]
fn independent_cascade_on_erdos_renyi_matches_the_percolation_giant_component() {
    let (c, p) = (4.0, 0.5);
    // Solve S = 1 − exp(−c·p·S) by fixed-point iteration from S = 1.
    let mut s = 1.0f64;
    for _ in 0..200 {
        s = 1.0 - (-c * p * s).exp();
    }
    assert!((s - 0.7968).abs() < 1e-3);
    let mean = mean_share(scenario(
        r#"
        ticks = 200
        seed = 7
        replicates = 20
        [population]
        size = 20000
        [network]
        kind = "erdos_renyi"
        mean_degree = 4.0
        per_replicate = true
        [model]
        kind = "independent_cascade"
        probability = 0.5
        seeds = 10
        seeding = "random"
        "#,
    ));
    let last = *mean.last().unwrap();
    assert!(
        (last - s).abs() < 0.02,
        "final share {last:.4}, giant component {s:.4}"
    );
}

fn ring(model: &str, replicates: u32) -> f64 {
    let s = scenario(&format!(
        r#"
        ticks = 5000
        seed = 3
        replicates = {replicates}
        [population]
        size = 100000
        [network]
        kind = "watts_strogatz"
        k = 2
        rewire = 0.0
        [model]
        {model}
        seeds = 1
        "#
    ));
    let outcome = experiment::run(s, Path::new("t.toml"), &RunOptions::default()).unwrap();
    outcome
        .series
        .iter()
        .map(|s| *s.adopters().last().unwrap() as f64)
        .sum::<f64>()
        / replicates as f64
}

#[test]
fn linear_threshold_on_a_ring_spreads_like_two_geometric_runs() {
    // On a ring one active neighbour is half the weight, so each next agent activates
    // with probability 1/2: each side adds Geometric(1/2) − 1 agents, mean 1, var 2.
    let mean = ring(r#"kind = "linear_threshold""#, 2000);
    assert!((mean - 3.0).abs() < 0.2, "mean final size {mean}");
}

#[test]
fn independent_cascade_on_a_ring_spreads_like_two_geometric_runs() {
    // Each side continues with probability p: mean extent p / (1 − p) per side.
    let mean = ring(
        r#"kind = "independent_cascade"
        probability = 0.6"#,
        2000,
    );
    let expected = 1.0 + 2.0 * 0.6 / 0.4;
    assert!(
        (mean - expected).abs() < 0.25,
        "mean {mean}, expected {expected}"
    );
}

#[test]
fn certain_and_impossible_cascades() {
    let text = |prob: f64| {
        format!(
            r#"
            ticks = 200
            [population]
            size = 500
            [network]
            kind = "watts_strogatz"
            k = 4
            rewire = 0.0
            [model]
            kind = "independent_cascade"
            probability = {prob}
            seeds = 3
            seeding = "degree"
            "#
        )
    };
    assert_eq!(*mean_share(scenario(&text(1.0))).last().unwrap(), 1.0);
    assert_eq!(
        *mean_share(scenario(&text(0.0))).last().unwrap(),
        3.0 / 500.0
    );
}
