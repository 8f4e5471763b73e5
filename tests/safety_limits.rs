//! Issue 7, cases 13–17: crashes turned into refusals. Each test runs the real binary
//! in a temporary folder holding decoy user files, and checks the exit code, the
//! message and that the decoys are untouched.

mod common;

use common::{Decoys, SMALL, SMALL_SWEEP, murmur_in, refused, succeeded};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A refusal must come at once; this bound only guards against a hang or a run.
const PROMPT: Duration = Duration::from_secs(10);

/// Writes `text` as `name` in `dir` and returns the name.
fn scenario(dir: &Path, name: &str, text: &str) -> String {
    std::fs::write(dir.join(name), text).unwrap();
    name.to_string()
}

/// Runs murmur in `dir`, checks it refused promptly with exit 2 and `words`, and
/// that it wrote no results folder. Returns stderr.
fn refused_promptly(dir: &Path, args: &[&str], words: &[&str]) -> String {
    let started = Instant::now();
    let out = murmur_in(dir, args);
    let took = started.elapsed();
    let stderr = refused(&out, words);
    assert!(took < PROMPT, "{args:?} took {took:?} to refuse");
    assert!(!dir.join("out").exists(), "{args:?} left a results folder");
    stderr
}

/// SMALL with `from` replaced by `to` (each must occur).
fn small_with(replacements: &[(&str, &str)]) -> String {
    let mut text = SMALL.to_string();
    for (from, to) in replacements {
        assert!(text.contains(from), "{from}");
        text = text.replace(from, to);
    }
    text
}

// --- Case 13: memory and disk estimates that cannot wrap around ---------------------

#[test]
fn case13_ticks_of_u32_max_are_refused_with_the_estimate() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let s = scenario(
        dir,
        "s.toml",
        &small_with(&[("ticks = 10", "ticks = 4294967295")]),
    );
    for command in [&["run", &s, "--out", "out"][..], &["validate", &s]] {
        refused_promptly(dir, command, &["needs about", "memory", "ticks"]);
    }
    // One replicate: its stored series fits, but not with the cumulative counts
    // computed while writing it (and its CSV would not fit on the disk either).
    let one = scenario(
        dir,
        "one.toml",
        &small_with(&[
            ("ticks = 10", "ticks = 4294967295"),
            ("replicates = 2", "replicates = 1"),
        ]),
    );
    for command in [&["run", &one, "--out", "out"][..], &["validate", &one]] {
        refused_promptly(dir, command, &["needs about", "ticks"]);
    }
    decoys.assert_untouched();
}

#[test]
fn case13_a_billion_replicates_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let s = scenario(dir, "s.toml", SMALL);
    refused_promptly(
        dir,
        &["run", &s, "--replicates", "1000000000", "--out", "out"],
        &["needs about", "GiB", "replicates"],
    );
    let s = scenario(
        dir,
        "b.toml",
        &small_with(&[("replicates = 2", "replicates = 1000000000")]),
    );
    refused_promptly(dir, &["validate", &s], &["needs about", "GiB"]);
    decoys.assert_untouched();
}

#[test]
fn case13_an_er_graph_whose_estimate_wrapped_is_refused() {
    // 1.3e9 agents × 1.2e9 ties: about 6e18 bytes at 4 bytes an arc (1.9e19, past
    // u64::MAX, when arcs were sorted); it once wrapped around to a small figure and
    // the run was accepted.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let s = scenario(
        dir,
        "s.toml",
        &small_with(&[
            ("size = 100", "size = 1300000000"),
            ("mean_degree = 4", "mean_degree = 1200000000"),
        ]),
    );
    refused_promptly(
        dir,
        &["run", &s, "--out", "out"],
        &["about 5.4 EiB", "memory"],
    );
    decoys.assert_untouched();
}

#[test]
fn case13_a_complete_graph_of_2_31_agents_is_not_about_32_gib_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let s = scenario(
        dir,
        "s.toml",
        &small_with(&[
            ("size = 100", "size = 2147483648"),
            (
                "kind = \"erdos_renyi\"\nmean_degree = 4",
                "kind = \"complete\"",
            ),
        ]),
    );
    let stderr = refused_promptly(dir, &["run", &s, "--out", "out"], &["EiB", "memory"]);
    assert!(!stderr.contains("32.0 GiB"), "{stderr}");
    decoys.assert_untouched();
}

/// The marketing scenario of the repository with `size` agents and 3 ticks.
fn marketing(size: u64) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/no_marketing.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.replace("size = 10000", &format!("size = {size}"));
    let ticks = text.lines().find(|l| l.starts_with("ticks =")).unwrap();
    text.replace(ticks, "ticks = 3")
}

#[test]
fn case13_the_agents_table_counts_in_the_estimate() {
    // 2 million agents × 1000 replicates: small without --agents (replicates of a
    // large population run one after another), about 2 TiB of text cells with it.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let s = scenario(dir, "m.toml", &marketing(2_000_000));
    refused_promptly(
        dir,
        &[
            "run",
            &s,
            "--agents",
            "--replicates",
            "1000",
            "--out",
            "out",
        ],
        &["needs about", "TiB", "--agents"],
    );
    decoys.assert_untouched();
}

/// SMALL_SWEEP with its `[sweep]` table replaced by `sweep`.
fn sweep_with(sweep: &str) -> String {
    let at = SMALL_SWEEP.find("[sweep]").unwrap();
    format!("{}{sweep}", &SMALL_SWEEP[..at])
}

#[test]
fn case13_a_latin_hypercube_of_u32_max_samples_is_refused_before_listing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let s = scenario(
        dir,
        "s.toml",
        &sweep_with(
            "[sweep]\nkind = \"latin_hypercube\"\nsamples = 4294967295\n\
             [sweep.parameters]\n\"model.p\" = [0.01, 0.1]\n",
        ),
    );
    for command in [&["run", &s, "--out", "out"][..], &["validate", &s]] {
        refused_promptly(
            dir,
            command,
            &["4294967295 points", "memory", "fewer samples"],
        );
    }
    decoys.assert_untouched();
}

/// A grid sweep of `params` parameters with `values` values each.
fn grid(params: usize, values: usize) -> String {
    let keys = [
        "model.p",
        "model.q",
        "seed",
        "ticks",
        "replicates",
        "population.size",
    ];
    let mut sweep = String::from("[sweep]\nkind = \"grid\"\n[sweep.parameters]\n");
    for key in &keys[..params] {
        let list: Vec<String> = (1..=values).map(|v| v.to_string()).collect();
        sweep.push_str(&format!("\"{key}\" = [{}]\n", list.join(", ")));
    }
    sweep_with(&sweep)
}

#[test]
fn case13_a_grid_of_10_12_points_is_refused_before_listing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let s = scenario(dir, "s.toml", &grid(6, 100));
    for command in [&["run", &s, "--out", "out"][..], &["validate", &s]] {
        refused_promptly(dir, command, &["1000000000000 points", "memory"]);
    }
    decoys.assert_untouched();
}

#[test]
fn case13_a_grid_of_more_points_than_a_u64_counts_is_refused() {
    // 10000^5 = 10^20 points: the product overflows a u64.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let s = scenario(dir, "s.toml", &grid(5, 10_000));
    for command in [&["run", &s, "--out", "out"][..], &["validate", &s]] {
        refused_promptly(dir, command, &["more than 18446744073709551615 points"]);
    }
    decoys.assert_untouched();
}

#[test]
fn case13_a_sweep_too_big_for_the_disk_is_refused_before_it_starts() {
    // 2 points of a million replicates × a million ticks: hundreds of TiB of CSV.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let text = SMALL_SWEEP
        .replace("ticks = 5", "ticks = 1000000")
        .replace("replicates = 2", "replicates = 1000000");
    let s = scenario(dir, "s.toml", &text);
    refused_promptly(
        dir,
        &["run", &s, "--out", "out"],
        &["disk", "TiB", "free", "out"],
    );
    decoys.assert_untouched();
}

// --- Case 14: plots of tampered CSVs -------------------------------------------------

/// Runs SMALL into `dir/out` and returns the folder.
fn small_results(dir: &Path) -> std::path::PathBuf {
    let s = scenario(dir, "s.toml", SMALL);
    succeeded(&murmur_in(dir, &["run", &s, "--out", "out", "--quiet"]));
    dir.join("out")
}

/// Sets the cell of `column` in data row `row` (from 0) of a CSV file.
fn set_cell(path: &Path, row: usize, column: &str, value: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let c = lines[0].split(',').position(|h| h == column).unwrap();
    let mut cells: Vec<&str> = lines[row + 1].split(',').collect();
    cells[c] = value;
    lines[row + 1] = cells.join(",");
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

#[test]
fn case14_plot_refuses_a_huge_value_naming_file_row_and_column() {
    for value in ["1.8e308", "1.7e308", "-1.7e308", "1e300"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let decoys = Decoys::thesis(dir);
        let out = small_results(dir);
        set_cell(&out.join("timeseries.csv"), 2, "adopters", value);
        let plotted = murmur_in(dir, &["plot", "out"]);
        refused(
            &plotted,
            &[
                "timeseries.csv",
                "line 4",
                "adopters",
                value,
                "out of range",
            ],
        );
        decoys.assert_untouched();
    }
    // In a sweep's summary.csv too.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let s = scenario(dir, "s.toml", SMALL_SWEEP);
    succeeded(&murmur_in(dir, &["run", &s, "--out", "out", "--quiet"]));
    set_cell(&dir.join("out/summary.csv"), 0, "final_share", "1.7e308");
    refused(
        &murmur_in(dir, &["plot", "out"]),
        &["summary.csv", "final_share", "out of range"],
    );
}

#[test]
fn case14_plot_refuses_a_tick_past_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let out = small_results(dir);
    set_cell(&out.join("timeseries.csv"), 3, "tick", "10000000");
    let started = Instant::now();
    let plotted = murmur_in(dir, &["plot", "out"]);
    refused(
        &plotted,
        &[
            "timeseries.csv",
            "line 5",
            "tick",
            "10000000",
            "last tick, 10",
        ],
    );
    assert!(started.elapsed() < PROMPT);
    decoys.assert_untouched();
}

// --- Case 15: closed pipes -----------------------------------------------------------

/// Runs murmur in `dir` with its `stream` (1: stdout, 2: stderr) writing into a pipe
/// whose reading end is already closed, so every write fails with a broken pipe.
/// (A fifo opened for reading and writing, then for writing, then the reader closed.)
fn murmur_into_closed_pipe(dir: &Path, stream: u8, args: &[&str]) -> std::process::Output {
    let script = format!(
        "mkfifo .closed && exec 4<>.closed 5>.closed 4<&- && rm .closed && exec \"$0\" \"$@\" {stream}>&5"
    );
    Command::new("sh")
        .current_dir(dir)
        .args(["-c", &script, env!("CARGO_BIN_EXE_murmur")])
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn case15_a_closed_stdout_is_no_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let s = scenario(dir, "s.toml", SMALL);
    let sweep = scenario(dir, "sweep.toml", SMALL_SWEEP);
    for args in [
        &["run", s.as_str(), "--out", "out"][..],
        &["validate", s.as_str()],
        &["plot", "out"],
        &["run", sweep.as_str(), "--out", "sweep-out"],
    ] {
        let out = murmur_into_closed_pipe(dir, 1, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    assert!(dir.join("out/manifest.json").is_file());
    assert!(dir.join("sweep-out/manifest.json").is_file());
    decoys.assert_untouched();
}

#[test]
fn case15_a_closed_stderr_keeps_the_exit_code_of_a_refusal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let s = scenario(dir, "s.toml", &small_with(&[("ticks = 10", "ticks = 0")]));
    let out = murmur_into_closed_pipe(dir, 2, &["validate", &s]);
    // A panic on the closed stderr would exit 101.
    assert_eq!(out.status.code(), Some(2));
    decoys.assert_untouched();
}

// --- Case 16: a bound on worker threads ----------------------------------------------

#[test]
fn case16_threads_65535_are_refused_naming_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let s = scenario(dir, "s.toml", SMALL);
    let sweep = scenario(dir, "sweep.toml", SMALL_SWEEP);
    let b = scenario(
        dir,
        "b.toml",
        &SMALL
            .replace("q = 0.3", "q = 0.4")
            .replace("\"small\"", "\"small-b\""),
    );
    for command in [
        &["run", &s, "--threads", "65535", "--out", "out"][..],
        &["run", &sweep, "--threads", "65535", "--out", "out"],
        &["compare", &s, &b, "--threads", "65535", "--out", "out"],
    ] {
        refused_promptly(
            dir,
            command,
            &["--threads 65535", "limit of", "worker threads"],
        );
    }
    decoys.assert_untouched();
}

// --- Case 17: messages that say what is wrong ------------------------------------------

#[test]
fn case17_vague_messages_are_mended() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let decoys = Decoys::thesis(dir);
    let weber = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/weber_seven_steps.toml"),
    )
    .unwrap();
    let cases: [(String, &[&str]); 3] = [
        (
            sweep_with("[sweep]\nkind = 5\n[sweep.parameters]\n\"model.p\" = [0.1]\n"),
            &[
                "sweep.kind",
                "must be a name in double quotes",
                "whole number 5",
            ],
        ),
        (
            sweep_with("[sweep]\n[sweep.parameters]\n\"seed\" = [0xffffffffffffffff]\n"),
            &["sweep.parameters.seed", "too large", "9223372036854775807"],
        ),
        (
            weber.replacen("actions = [\"recruit\"]", "actions = \"recruit\"", 1),
            &["actions", "must be a list", "the text \"recruit\""],
        ),
    ];
    for (text, words) in cases {
        let s = scenario(dir, "s.toml", &text);
        let stderr = refused(&murmur_in(dir, &["validate", &s]), words);
        for vague in ["wanted", "u64", "a a ", "the text or table"] {
            assert!(!stderr.contains(vague), "{vague:?} in: {stderr}");
        }
    }
    decoys.assert_untouched();
}
