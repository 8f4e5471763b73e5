//! `--set key.path=VALUE` (issue 12, item 5): a key set on the command line runs
//! exactly as the same value written in the file, is checked with the file's messages,
//! and is recorded in the manifest.

use std::path::Path;
use std::process::{Command, Output};

fn murmur(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_murmur"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the murmur binary runs")
}

fn shipped(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// `--set population.size=300 --set ticks=40` writes the same time series, byte for
/// byte, as a copy of the file that says so, and the manifest records the settings.
#[test]
fn a_setting_runs_as_the_same_value_written_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(shipped("bass_complete.toml")).unwrap();
    let edited = text
        .replace("size = 2000", "size = 300")
        .replace("ticks = 300", "ticks = 40");
    assert_ne!(edited, text);
    let file = dir.path().join("edited.toml");
    std::fs::write(&file, edited).unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let o = murmur(&[
        "run",
        &shipped("bass_complete.toml"),
        "--set",
        "population.size=300",
        "--set",
        "ticks=40",
        "--out",
        a.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = murmur(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        b.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let read = |d: &Path, f: &str| std::fs::read(d.join(f)).unwrap();
    assert_eq!(read(&a, "timeseries.csv"), read(&b, "timeseries.csv"));
    assert_eq!(read(&a, "summary.csv"), read(&b, "summary.csv"));
    let manifest: serde_json::Value = serde_json::from_slice(&read(&a, "manifest.json")).unwrap();
    assert_eq!(
        manifest["scenario"]["set"],
        serde_json::json!(["population.size=300", "ticks=40"])
    );
    assert_eq!(manifest["scenario"]["population"]["size"], 300);
}

/// A bad setting is bad input: exit 2, the message names the `--set` and says what is
/// allowed, and no folder is written.
#[test]
fn a_bad_setting_names_the_set_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for (set, words) in [
        ("population.sise=3", "Did you mean `size`?"),
        ("model.p=2", "a number from 0 to 1"),
        ("population.size=-3", "out of range"),
    ] {
        let o = murmur(&[
            "run",
            &shipped("bass_complete.toml"),
            "--set",
            set,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{set}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(&format!("--set {set}")), "{err}");
        assert!(err.contains(words), "{err}");
        assert!(!out.exists());
    }
    let o = murmur(&["run", &shipped("bass_complete.toml"), "--set", "ticks"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("KEY=VALUE"));
}

/// `--progress always` writes plain lines to a log (stderr not a terminal), one per
/// tenth of the work; `auto` and `never` write none there; the results are the same.
#[test]
fn progress_always_writes_plain_lines_for_a_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for mode in ["always", "auto", "never"] {
        let out = dir.path().join(mode);
        let o = murmur(&[
            "run",
            &shipped("bass_complete.toml"),
            "--set",
            "population.size=200",
            "--set",
            "ticks=20",
            "--replicates",
            "5",
            "--progress",
            mode,
            "--out",
            out.to_str().unwrap(),
            "-q",
        ]);
        assert!(o.status.success());
        let lines: Vec<String> = String::from_utf8_lossy(&o.stderr)
            .lines()
            .filter(|l| l.starts_with("murmur: ") && l.contains("% ("))
            .map(str::to_string)
            .collect();
        if mode == "always" {
            assert_eq!(lines.len(), 10, "{lines:?}");
            assert!(
                lines[9].starts_with("murmur: 100% (100/100 replicate-ticks)"),
                "{}",
                lines[9]
            );
        } else {
            assert!(lines.is_empty(), "{mode}: {lines:?}");
        }
        outputs.push(std::fs::read(out.join("timeseries.csv")).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}
