//! Same scenario and seed give byte-identical outputs at any thread count; a
//! different seed gives different ones.

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(scenario: &Path, out: &Path, extra: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_murmur"))
        .arg("run")
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(extra)
        .status()
        .expect("murmur runs");
    assert!(status.success(), "murmur run {} failed", scenario.display());
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

fn write_scenario(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn check_thread_independence(scenario: &Path, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    run(scenario, &one, &[&["--threads", "1"], extra].concat());
    run(scenario, &two, &[&["--threads", "2"], extra].concat());
    for file in ["timeseries.csv", "summary.csv"] {
        let (a, b) = (read(&one, file), read(&two, file));
        assert!(a.len() > 100, "{file} is suspiciously short");
        assert!(
            a == b,
            "{file} differs between 1 and 2 threads for {}",
            scenario.display()
        );
    }
    let other = dir.path().join("other-seed");
    run(
        scenario,
        &other,
        &[&["--threads", "2", "--seed", "987654"], extra].concat(),
    );
    assert_ne!(
        read(&one, "timeseries.csv"),
        read(&other, "timeseries.csv"),
        "a different seed gave the same time series for {}",
        scenario.display()
    );
}

#[test]
fn shipped_bass_scenario_is_thread_independent() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/bass_complete.toml");
    check_thread_independence(&path, &["--replicates", "8"]);
}

#[test]
fn large_cascade_is_thread_independent() {
    // Above the large-population threshold replicates run one by one with parallel ticks.
    let dir = tempfile::tempdir().unwrap();
    let path = write_scenario(
        dir.path(),
        "ic.toml",
        r#"
        ticks = 60
        replicates = 2
        [population]
        size = 150000
        [network]
        kind = "barabasi_albert"
        m = 3
        [model]
        kind = "independent_cascade"
        probability = 0.08
        seeds = 20
        "#,
    );
    check_thread_independence(&path, &[]);
}

#[test]
fn threshold_model_on_communities_with_per_replicate_networks_is_thread_independent() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_scenario(
        dir.path(),
        "lt.toml",
        r#"
        ticks = 40
        replicates = 6
        [population]
        size = 5000
        [network]
        kind = "communities"
        count = 25
        mean_degree = 10
        mixing = 0.2
        size_distribution = "power_law"
        per_replicate = true
        [model]
        kind = "linear_threshold"
        seeds = 150
        seeding = "degree"
        "#,
    );
    check_thread_independence(&path, &[]);
}

#[test]
fn marketing_scenarios_are_thread_independent_down_to_each_agent() {
    for name in ["hybrid", "weber_seven_steps"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
        let dir = tempfile::tempdir().unwrap();
        let (one, two) = (dir.path().join("one"), dir.path().join("two"));
        let extra = ["--replicates", "2", "--agents"];
        run(&path, &one, &[&["--threads", "1"][..], &extra].concat());
        run(&path, &two, &[&["--threads", "2"][..], &extra].concat());
        for file in ["timeseries.csv", "summary.csv", "agents.csv", "cohorts.csv"] {
            assert!(
                read(&one, file) == read(&two, file),
                "{file} of {name} differs between 1 and 2 threads"
            );
        }
        let agents = String::from_utf8(read(&one, "agents.csv")).unwrap();
        assert_eq!(
            agents.lines().count(),
            1 + 2 * 10_000,
            "{name}: one row per agent and replicate"
        );
    }
}
