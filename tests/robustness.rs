//! The robustness check of a comparison (`murmur compare --uncertain`,
//! `src/robustness.rs`): every scenario at the same draws of the uncertain parameters,
//! P(scenario beats baseline) with ties counted one half.

use murmur::compare;
use murmur::experiment::RunOptions;
use murmur::robustness;
use murmur::scenario::uncertainty::UncertainParameter;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A shipped scenario scaled down (800 agents, 90 days), renamed `name`, with `extra`
/// appended to its text; written to `dir`.
fn scaled(dir: &Path, shipped: &str, name: &str, extra: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{shipped}.toml"));
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        let set = |key: &str| line.starts_with(&format!("{key} ="));
        out.push_str(&if set("ticks") {
            "ticks = 90".to_string()
        } else if set("replicates") {
            "replicates = 2".to_string()
        } else if set("size") {
            "size = 800".to_string()
        } else if set("name") {
            format!("name = \"{name}\"")
        } else {
            line.to_string()
        });
        out.push('\n');
    }
    out.push_str(extra);
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, out).unwrap();
    file
}

fn quiet() -> RunOptions {
    RunOptions {
        quiet: true,
        ..RunOptions::default()
    }
}

fn parameter(key: &str, low: f64, high: f64) -> UncertainParameter {
    UncertainParameter {
        key: key.into(),
        low,
        high,
        whole: false,
    }
}

/// A scenario compared with itself (a copy under another name) ties in every draw, so
/// P(beats) is exactly one half on every metric.
#[test]
fn a_scenario_against_itself_wins_exactly_half() {
    let dir = tempfile::tempdir().unwrap();
    let a = scaled(dir.path(), "hybrid", "a", "");
    let b = scaled(dir.path(), "hybrid", "b", "");
    let entries = compare::prepare(&[a, b]).unwrap();
    let params = vec![
        parameter("market.word_of_mouth.talk_rate", 0.005, 0.1),
        parameter("strategy.social_media.click_through", 0.002, 0.03),
    ];
    let plan = robustness::plan(entries, params, 6, 11).unwrap();
    let r = robustness::run(plan, &quiet(), 30).unwrap();
    assert!(!r.rows.is_empty());
    for row in &r.rows {
        assert_eq!(row.p_beats_baseline, 0.5, "{}", row.metric);
        // Metrics undefined in a draw (a cost per acquisition with no acquisition)
        // leave it out.
        assert!(row.draws <= 6, "{}", row.metric);
        if row.metric == "final_customers" {
            assert_eq!(row.draws, 6);
        }
    }
    // The draws differ from one another: the parameters and networks vary.
    let finals = &r.values[0][r
        .metrics
        .iter()
        .position(|m| m == "final_customers")
        .unwrap()];
    assert!(finals.iter().any(|&v| v != finals[0]), "{finals:?}");
    let sentences = robustness::sentences(&r);
    assert!(sentences[0].contains("tie"), "{}", sentences[0]);
}

/// A parameter no mechanism reads in these scenarios (the fee of outside influencers,
/// when none are hired) cannot change who wins: drawing it over its whole range gives
/// the same outcomes, draw by draw, as holding it fixed.
#[test]
fn a_parameter_no_mechanism_reads_cannot_flip_the_ranking() {
    let dir = tempfile::tempdir().unwrap();
    let a = scaled(dir.path(), "social_media", "social", "");
    let b = scaled(dir.path(), "community", "community", "");
    let entries = compare::prepare(&[a, b]).unwrap();
    let talk = parameter("market.word_of_mouth.talk_rate", 0.005, 0.1);
    let run = |fee: UncertainParameter| {
        let plan = robustness::plan(entries.clone(), vec![talk.clone(), fee], 8, 5).unwrap();
        robustness::run(plan, &quiet(), 30).unwrap()
    };
    let drawn = run(parameter(
        "strategy.social_media.influencers.fee",
        5.0,
        200.0,
    ));
    let fixed = run(parameter(
        "strategy.social_media.influencers.fee",
        20.0,
        20.0,
    ));
    assert_ne!(drawn.draws[0].values[1], fixed.draws[0].values[1]);
    // Bit for bit (NaN marks a metric undefined in a draw, and NaN != NaN).
    let bits = |r: &robustness::Robustness| -> Vec<u64> {
        r.values
            .iter()
            .flatten()
            .flatten()
            .map(|v| v.to_bits())
            .collect()
    };
    assert_eq!(bits(&drawn), bits(&fixed));
    let p = |r: &robustness::Robustness| -> Vec<u64> {
        r.rows
            .iter()
            .map(|x| x.p_beats_baseline.to_bits())
            .collect()
    };
    assert_eq!(p(&drawn), p(&fixed));
    // And the read parameter does move the outcomes.
    let m = drawn
        .metrics
        .iter()
        .position(|m| m == "final_customers")
        .unwrap();
    let v = &drawn.values[1][m];
    assert!(v.iter().any(|&x| x != v[0]));
}

fn murmur(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_murmur"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the murmur binary runs")
}

/// The command writes robustness.csv with its contract columns and one row per metric,
/// the draws and outcomes beside it, and leads the report with the sentence.
#[test]
fn compare_uncertain_writes_robustness_csv_and_the_report_leads_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let a = scaled(
        dir.path(),
        "social_media",
        "social",
        "\n[uncertainty]\ndraws = 5\n",
    );
    let b = scaled(dir.path(), "community", "community", "");
    let out = dir.path().join("out");
    let o = murmur(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--uncertain",
        "4",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(out.join("robustness.csv")).unwrap();
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("metric,scenario,baseline,p_beats_baseline,draws")
    );
    let row = lines
        .find(|l| l.starts_with("cumulative_profit,"))
        .expect("a cumulative_profit row");
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(&cells[1..3], ["community", "social"]);
    assert_eq!(cells[4], "4", "--uncertain 4 beats the table's draws = 5");
    let p: f64 = cells[3].parse().unwrap();
    assert!((0.0..=1.0).contains(&p) && (p * 8.0).fract() == 0.0, "{p}");
    // The first scenario's table names no parameters, so the catalogue's defaults are
    // drawn.
    let draws = std::fs::read_to_string(out.join("uncertain_draws.csv")).unwrap();
    assert!(
        draws
            .lines()
            .next()
            .unwrap()
            .contains("market.purchase.intercept")
    );
    assert_eq!(draws.lines().count(), 5);
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    let glance = report.find("At a glance").unwrap();
    let sentence = report.find("draws (").expect("the robustness sentence");
    assert!(sentence > glance && sentence < report.find("At the scenarios").unwrap());
    assert!(out.join("robustness.png").is_file());
}

/// A bad range names the key and exits 2, before anything runs or is written.
#[test]
fn a_bad_uncertain_range_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let a = scaled(
        dir.path(),
        "social_media",
        "social",
        "\n[uncertainty.parameters]\n\"market.word_of_mouth.talk_rate\" = [0.1, 0.005]\n",
    );
    let b = scaled(dir.path(), "community", "community", "");
    let out = dir.path().join("out");
    let o = murmur(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--uncertain",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("uncertainty.parameters.market.word_of_mouth.talk_rate"),
        "{err}"
    );
    assert!(err.contains("low ≤ high"), "{err}");
    assert!(!out.exists());
}
