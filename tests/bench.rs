//! `murmur bench` (src/bench.rs): the benchmark set writes bench.json in a claimed
//! folder, and a scale too big for the machine is refused before anything allocates.

use std::process::Command;

fn murmur(args: &[&str], cwd: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_murmur"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("murmur runs")
}

/// Runs `murmur` with `args` in `cwd`, checks it succeeded, and returns its stdout and
/// the `bench.json` it wrote in `cwd/out`.
fn bench_json(args: &[&str], cwd: &std::path::Path, out: &str) -> (String, serde_json::Value) {
    let run = murmur(args, cwd);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let json = std::fs::read_to_string(cwd.join(out).join("bench.json")).unwrap();
    (
        String::from_utf8_lossy(&run.stdout).into_owned(),
        serde_json::from_str(&json).unwrap(),
    )
}

/// The names of a bench.json's figures, in order.
fn figure_names(json: &serde_json::Value) -> Vec<&str> {
    let figures = json["figures"].as_array().unwrap();
    figures
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect()
}

#[test]
fn bench_writes_every_figure_with_the_machine_and_refuses_what_does_not_fit() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    let args = [
        "bench",
        "--agents",
        "3k",
        "--repeats",
        "2",
        "--cascades",
        "10",
        "--out",
        "b",
    ];
    let (said, json) = bench_json(&args, cwd, "b");
    assert!(said.contains("murmur bench: 3000 agents"), "{said}");
    assert_eq!(
        figure_names(&json),
        [
            "csr_neighbour_sum",
            "network_build",
            "bass_tick",
            "marketing_tick",
            "ic_small_cascade"
        ]
    );
    assert_eq!(json["figures"][0]["ratio_to_ceiling"], 1.0);
    assert!(json["build"]["cores"].as_u64().unwrap() >= 1);
    assert_eq!(json["agents"], 3000);
    let manifest = std::fs::read_to_string(cwd.join("b/manifest.json")).unwrap();
    assert!(manifest.contains("\"kind\": \"bench\""), "{manifest}");

    // A folder of someone else's is refused and left as it was.
    std::fs::create_dir(cwd.join("mine")).unwrap();
    std::fs::write(cwd.join("mine/notes.txt"), "mine").unwrap();
    let refused = murmur(&["bench", "--agents", "3k", "--out", "mine"], cwd);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(cwd.join("mine/notes.txt")).unwrap(),
        "mine"
    );

    // Five billion agents: refused with the estimate, before any allocation.
    let refused = murmur(&["bench", "--agents", "5000m", "--out", "huge"], cwd);
    assert_eq!(refused.status.code(), Some(2));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("needs about") && message.contains("available"),
        "{message}"
    );
    assert!(!cwd.join("huge").exists());
}

/// On a given edge list, `--cascades-only` times the ceiling and the chosen cascade
/// alone and reports how far the cascades went (with probability 1, over a whole
/// connected path); a bad file or probability is refused with exit code 2.
#[test]
fn bench_on_an_edge_list_times_the_chosen_cascade_and_refuses_a_bad_file() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    // A path: 0-1-2-...-99, and an independent cascade that always passes.
    let path: String = (0..99).map(|v| format!("{v}\t{}\n", v + 1)).collect();
    std::fs::write(cwd.join("path.txt"), format!("# a path\n{path}")).unwrap();
    let args = [
        "bench",
        "--network",
        "path.txt",
        "--cascades-only",
        "--probability",
        "1",
        "--repeats",
        "2",
        "--cascades",
        "5",
        "--out",
        "b",
    ];
    let (_, json) = bench_json(&args, cwd, "b");
    assert_eq!(figure_names(&json), ["csr_neighbour_sum", "ic_cascade"]);
    assert_eq!(json["agents"], 100);
    assert_eq!(json["arcs"], 198);
    // With probability 1 every cascade reaches the whole (connected) path.
    assert_eq!(json["cascade"]["mean_active"], 100.0);
    assert_eq!(json["cascade"]["replicates"], 10);
    assert_eq!(json["cascade"]["cascade"]["model"], "independent_cascade");
    assert!(json["marketing_passes"].as_array().unwrap().is_empty());

    let lt = murmur(
        &[
            "bench",
            "--network",
            "path.txt",
            "--cascades-only",
            "--cascade",
            "lt",
            "--out",
            "l",
        ],
        cwd,
    );
    assert!(
        lt.status.success(),
        "{}",
        String::from_utf8_lossy(&lt.stderr)
    );
    let said = String::from_utf8_lossy(&lt.stdout);
    assert!(said.contains("lt_cascade"), "{said}");

    std::fs::write(cwd.join("bad.txt"), "1 2\n2 x\n").unwrap();
    let bad = murmur(&["bench", "--network", "bad.txt", "--out", "c"], cwd);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("bad.txt") && err.contains("line 2"), "{err}");
    assert!(!cwd.join("c").exists(), "nothing written for a bad file");
    let p = murmur(&["bench", "--probability", "1.5", "--out", "d"], cwd);
    assert_eq!(p.status.code(), Some(2));
    assert!(!cwd.join("d").exists());
}
