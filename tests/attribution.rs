//! Counterfactual attribution (`src/attribution.rs`): Shapley values over the channels a
//! strategy uses, on common random numbers, with no marketing as the empty coalition.

use murmur::attribution::{self, shapley};
use murmur::experiment::RunOptions;
use murmur::scenario::Scenario;
use murmur::scenario::marketing::Channel;
use std::path::Path;

/// A shipped scenario scaled down (2,000 agents, 120 days, 3 replicates), with `edit`
/// applied to its text.
fn scaled(name: &str, edit: &dyn Fn(String) -> String) -> (Scenario, std::path::PathBuf) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = String::new();
    for line in text.lines() {
        let set = |key: &str| line.starts_with(&format!("{key} ="));
        out.push_str(&if set("ticks") {
            "ticks = 120".to_string()
        } else if set("replicates") {
            "replicates = 3".to_string()
        } else if set("size") {
            "size = 2000".to_string()
        } else {
            line.to_string()
        });
        out.push('\n');
    }
    let dir = tempfile::tempdir().unwrap().keep();
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, edit(out)).unwrap();
    (Scenario::from_file(&file).unwrap(), file)
}

fn quiet() -> RunOptions {
    RunOptions {
        quiet: true,
        ..RunOptions::default()
    }
}

/// Efficiency: in every replicate the channels' Shapley values add up to the full
/// strategy's incremental effect against no marketing, in customers and in profit.
#[test]
fn shapley_values_sum_to_the_total_incremental_effect() {
    let (s, file) = scaled("hybrid", &|t| t);
    let a = attribution::attribute(&s, &file, &quiet()).unwrap();
    let names: Vec<&str> = a.channels.iter().map(|c| c.channel.name()).collect();
    assert_eq!(names, ["paid_social", "organic_social", "community"]);
    let n = a.channels.len();
    let all = (1 << n) - 1;
    for v in &a.values {
        for pick in [|x: &(f64, f64)| x.0, |x: &(f64, f64)| x.1] {
            let game: Vec<f64> = v.iter().map(pick).collect();
            let sum: f64 = (0..n).map(|i| shapley(&game, n, i)).sum();
            assert!((sum - game[all]).abs() <= 1e-6 * game[all].abs().max(1.0));
            assert_eq!(game[0], 0.0, "the empty coalition is no marketing");
        }
    }
    let sum: f64 = a.channels.iter().map(|c| c.shapley_customers.mean).sum();
    assert!((sum - a.total_customers.mean).abs() < 1e-6 * a.total_customers.mean.abs());
    assert!(a.total_customers.mean > 0.0);
}

/// A channel that is configured but does nothing (influencers hired who never post)
/// gets exactly zero: adding it to any coalition changes nothing.
#[test]
fn a_channel_that_does_nothing_gets_zero() {
    let (s, file) = scaled("outside_influencers", &|t| {
        t.lines()
            .map(|l| {
                if l.starts_with("posts_per_week") {
                    "posts_per_week = 0.0"
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let a = attribution::attribute(&s, &file, &quiet()).unwrap();
    let idle = a
        .channels
        .iter()
        .find(|c| c.channel == Channel::Influencers)
        .expect("influencers are a channel");
    assert_eq!(idle.shapley_customers.mean, 0.0);
    assert_eq!(idle.shapley_profit.mean, 0.0);
    assert_eq!(idle.shapley_customers.bounds, Some((0.0, 0.0)));
    assert_eq!(idle.last_touch_customers.mean, 0.0);
}

/// With a single channel (paid impressions only: no posts), its Shapley value is its
/// leave-one-out effect, which is the whole incremental effect.
#[test]
fn a_single_channel_s_shapley_value_is_its_leave_one_out_effect() {
    let (s, file) = scaled("social_media", &|t| {
        t.replace("posts_per_tick = 1.0", "posts_per_tick = 0.0")
    });
    let a = attribution::attribute(&s, &file, &quiet()).unwrap();
    assert_eq!(a.channels.len(), 1);
    let c = &a.channels[0];
    assert_eq!(c.channel, Channel::PaidSocial);
    assert_eq!(c.shapley_customers.mean, c.leave_one_out_customers.mean);
    assert_eq!(c.shapley_customers.mean, a.total_customers.mean);
    assert!(c.last_touch_customers.mean > 0.0);
}

/// `murmur attribute` writes the full strategy's run with attribution.csv (the contract
/// columns, a row per channel, then `total`, whose Shapley customers are the channels'
/// sum), and refuses a classic scenario with exit code 2, writing nothing.
#[test]
fn the_attribute_command_writes_attribution_csv_and_refuses_classic_models() {
    let (_, file) = scaled("social_media", &|t| t);
    let dir = file.parent().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_murmur"))
        .args(["attribute", file.to_str().unwrap(), "--out", "att", "-q"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(dir.join("att/attribution.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        murmur::results::ATTRIBUTION_COLUMNS.join(",")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let names: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(names, ["paid_social", "organic_social", "total"]);
    let value = |r: &Vec<&str>| r[1].parse::<f64>().unwrap();
    let sum = value(&rows[0]) + value(&rows[1]);
    assert!((sum - value(&rows[2])).abs() < 1e-6 * value(&rows[2]).abs().max(1.0));
    for file in [
        "timeseries.csv",
        "summary.csv",
        "manifest.json",
        "report.html",
        "attribution.png",
        "attribution.svg",
    ] {
        assert!(dir.join("att").join(file).is_file(), "{file}");
    }

    let classic = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bass_complete.toml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_murmur"))
        .args(["attribute", classic.to_str().unwrap(), "--out", "bass"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a marketing scenario"));
    assert!(!dir.join("bass").exists());
}

/// `murmur compare --attribute` attributes every compared plan: attribution.csv has the
/// contract columns and a last column `scenario`, each plan's channels summing to its
/// `total`, and the report shows the chart once, in the summary before the plots.
#[test]
fn compare_attribute_attributes_every_plan_and_the_report_shows_the_chart_at_a_glance() {
    let (_, social) = scaled("social_media", &|t| t);
    let (_, hybrid) = scaled("hybrid", &|t| t);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_murmur"))
        .args([
            "compare",
            social.to_str().unwrap(),
            hybrid.to_str().unwrap(),
            "--attribute",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(out.join("attribution.csv")).unwrap();
    let mut lines = text.lines();
    let mut header = murmur::results::ATTRIBUTION_COLUMNS.to_vec();
    header.push("scenario");
    assert_eq!(lines.next().unwrap(), header.join(","));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    for plan in ["social-media", "hybrid"] {
        let mine: Vec<&Vec<&str>> = rows.iter().filter(|r| r[9] == plan).collect();
        let (total, channels) = mine.split_last().unwrap();
        assert_eq!(total[0], "total");
        let sum: f64 = channels.iter().map(|r| r[1].parse::<f64>().unwrap()).sum();
        let want: f64 = total[1].parse().unwrap();
        assert!((sum - want).abs() < 1e-6 * want.abs().max(1.0), "{plan}");
    }
    assert_eq!(rows.iter().filter(|r| r[9] == "hybrid").count(), 4);
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(report.matches("id=\"plot-attribution\"").count(), 1);
    assert!(report.find("id=\"plot-attribution\"").unwrap() < report.find("id=\"plots\"").unwrap());
    assert!(out.join("attribution.png").is_file());
}
