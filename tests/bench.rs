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
    let out = murmur(&args, cwd);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("murmur bench: 3000 agents"), "{said}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cwd.join("b/bench.json")).unwrap()).unwrap();
    let names: Vec<&str> = json["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
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
