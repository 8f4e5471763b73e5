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

/// Every CSV file in `dir`, by name.
fn csv_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Runs `scenario` with each `network.order` and checks every CSV is byte-identical to
/// the run without renumbering.
fn check_order_independence(scenario: &Path, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("none");
    run(scenario, &plain, extra);
    let expected = csv_files(&plain);
    assert!(
        expected.len() >= 3,
        "{} wrote {expected:?}",
        plain.display()
    );
    for order in ["bfs", "rcm"] {
        let out = dir.path().join(order);
        let set = format!("network.order=\"{order}\"");
        run(scenario, &out, &[extra, &["--set", &set]].concat());
        let got = csv_files(&out);
        assert_eq!(
            got.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            expected.iter().map(|(n, _)| n).collect::<Vec<_>>()
        );
        for ((name, a), (_, b)) in expected.iter().zip(&got) {
            assert!(
                a == b,
                "{name} changed with network.order = {order} for {}",
                scenario.display()
            );
        }
        let manifest = String::from_utf8(read(&out, "manifest.json")).unwrap();
        assert!(
            manifest.contains(&format!("\"order\": \"{order}\"")),
            "{manifest}"
        );
    }
}

#[test]
fn renumbering_for_locality_changes_no_shipped_classic_result() {
    // Bass on a complete graph, IC on Erdős–Rényi (random seeds) and on a real edge
    // list (degree seeds), LT on communities: streams keyed by first numbers.
    for name in [
        "bass_complete",
        "ic_erdos_renyi",
        "ic_facebook",
        "lt_communities",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
        check_order_independence(&path, &["--threads", "2"]);
    }
}

#[test]
fn renumbering_changes_no_marketing_result() {
    // The marketing model keys every draw, contact, tie-break and per-agent row by
    // first numbers, and its sums do not depend on their order: community management
    // with events and advocates, paid influencers and social media on generated
    // communities of 12,000 agents (three chunks of work), and a real edge list.
    let short = [
        "--threads",
        "2",
        "--replicates",
        "2",
        "--set",
        "ticks=150",
        "--agents",
    ];
    for name in [
        "community",
        "physical_events",
        "outside_influencers",
        "hybrid",
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
        check_order_independence(
            &path,
            &[&short[..], &["--set", "population.size=12000"]].concat(),
        );
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/email_eu_core.toml");
    check_order_independence(&path, &short);
}

#[test]
fn renumbering_changes_no_large_or_per_replicate_result() {
    // Above the large-population threshold a replicate's ticks run in parallel; with
    // `per_replicate` each replicate renumbers its own network.
    let dir = tempfile::tempdir().unwrap();
    for (name, model, per_replicate) in [
        (
            "ic",
            "kind = \"independent_cascade\"\nprobability = 0.05\nseeds = 20\nseeding = \"degree\"",
            false,
        ),
        (
            "lt",
            "kind = \"linear_threshold\"\nseeds = 200\nseeding = \"random\"",
            true,
        ),
        ("bass", "kind = \"bass\"\np = 0.01\nq = 0.3", true),
    ] {
        let path = write_scenario(
            dir.path(),
            &format!("{name}.toml"),
            &format!(
                "ticks = 25\nreplicates = 2\n[population]\nsize = 150000\n[network]\n\
                 kind = \"barabasi_albert\"\nm = 3\nper_replicate = {per_replicate}\n[model]\n{model}\n"
            ),
        );
        check_order_independence(&path, &["--threads", "2"]);
    }
}
