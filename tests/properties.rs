//! Property-based tests of the command line (issue 7): whatever a scenario file or a
//! results folder's CSVs hold, murmur answers with a result or a one-line refusal
//! (exit 0 or 2), never a panic or an abort. Each case runs the real binary, so the
//! numbers of cases are kept modest.

mod common;

use common::{Decoys, SMALL, SMALL_SWEEP, murmur_in, succeeded};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

/// `cases` cases, or PROPTEST_CASES when set (for a longer search by hand).
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        // No regression files in the work tree; a failure prints its input.
        failure_persistence: None,
        ..Config::default()
    }
}

/// Exit 0, or exit 2 with one line on stderr starting `murmur:`; never a panic.
fn answered(out: &Output, what: &str) -> Result<(), TestCaseError> {
    let stderr = String::from_utf8_lossy(&out.stderr);
    prop_assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    match out.status.code() {
        Some(0) => Ok(()),
        Some(2) => {
            prop_assert!(stderr.starts_with("murmur: "), "{what}: {stderr:?}");
            prop_assert_eq!(
                stderr.trim_end().lines().count(),
                1,
                "{}: {:?}",
                what,
                stderr
            );
            Ok(())
        }
        code => Err(TestCaseError::fail(format!(
            "{what}: exit {code:?}, stderr: {stderr}"
        ))),
    }
}

// --- Scenario files through `murmur validate` -----------------------------------------

/// Valid scenarios to mutate: a run, a sweep and the marketing model with phases.
fn bases() -> Vec<String> {
    let weber = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/weber_seven_steps.toml"),
    )
    .unwrap();
    vec![SMALL.to_string(), SMALL_SWEEP.to_string(), weber]
}

/// A TOML value of any type, or text that is not one.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|i| i.to_string()),
        any::<u64>().prop_map(|i| i.to_string()),
        any::<f64>().prop_map(|f| format!("{f:?}")),
        Just("0xffffffffffffffff".to_string()),
        Just("1e309".to_string()),
        Just("nan".to_string()),
        Just("-inf".to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        "[a-z_]{0,12}".prop_map(|s| format!("\"{s}\"")),
        Just("[]".to_string()),
        Just("[1, \"a\", [2]]".to_string()),
        Just("{ kind = 3 }".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        any::<String>(),
    ]
}

/// A key: one of the scenario's own, a plausible one, or anything.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "name",
            "ticks",
            "seed",
            "replicates",
            "size",
            "kind",
            "mean_degree",
            "p",
            "q",
            "samples",
            "\"model.p\"",
            "start",
            "end",
            "actions",
            "path",
            "count",
            "mixing",
        ])
        .prop_map(str::to_string),
        "[a-z_.]{1,16}",
        any::<String>(),
    ]
}

/// One change to a scenario's text.
#[derive(Clone, Debug)]
enum Mutation {
    /// Cut the text at a fraction of its length.
    Truncate(f64),
    /// Set the value of the line at a fraction of the lines.
    SetValue(f64, String),
    /// Insert `key = value` (or a [table] header) at a fraction of the lines.
    InsertLine(f64, String),
    /// Insert raw bytes at a fraction of the length.
    Bytes(f64, Vec<u8>),
    /// Drop the line at a fraction of the lines.
    DropLine(f64),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0.0..1.0f64;
    prop_oneof![
        at.clone().prop_map(Mutation::Truncate),
        (at.clone(), value()).prop_map(|(a, v)| Mutation::SetValue(a, v)),
        (at.clone(), key(), value(), any::<bool>()).prop_map(|(a, k, v, header)| {
            Mutation::InsertLine(
                a,
                if header {
                    format!("[{k}]")
                } else {
                    format!("{k} = {v}")
                },
            )
        }),
        (at.clone(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(a, b)| Mutation::Bytes(a, b)),
        at.prop_map(Mutation::DropLine),
    ]
}

fn apply(text: &str, m: &Mutation) -> Vec<u8> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let line = |a: f64, n: usize| ((a * n as f64) as usize).min(n.saturating_sub(1));
    match m {
        Mutation::Truncate(a) => {
            let cut = (a * text.len() as f64) as usize;
            return text.as_bytes()[..cut.min(text.len())].to_vec();
        }
        Mutation::Bytes(a, bytes) => {
            let at = ((a * text.len() as f64) as usize).min(text.len());
            let mut out = text.as_bytes()[..at].to_vec();
            out.extend(bytes);
            out.extend(&text.as_bytes()[at..]);
            return out;
        }
        Mutation::SetValue(a, v) => {
            // The a-th line that has a value.
            let valued: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains('='))
                .collect();
            if valued.is_empty() {
                return text.as_bytes().to_vec();
            }
            let i = valued[line(*a, valued.len())];
            let k = lines[i].split_once('=').unwrap().0.to_string();
            lines[i] = format!("{k}= {v}");
        }
        Mutation::InsertLine(a, l) => {
            let i = line(*a, lines.len() + 1);
            lines.insert(i, l.clone());
        }
        Mutation::DropLine(a) => {
            if !lines.is_empty() {
                let i = line(*a, lines.len());
                lines.remove(i);
            }
        }
    }
    (lines.join("\n") + "\n").into_bytes()
}

proptest! {
    #![proptest_config(config(128))]

    /// Mutated scenarios are valid (exit 0) or refused on one line (exit 2).
    #[test]
    fn validate_never_panics_on_mutated_scenarios(
        base in 0..3usize,
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        static BASES: OnceLock<Vec<String>> = OnceLock::new();
        let bases = BASES.get_or_init(bases);
        let mut bytes = bases[base].clone().into_bytes();
        for m in &mutations {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            bytes = apply(&text, m);
        }
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("s.toml"), &bytes).unwrap();
        let out = murmur_in(tmp.path(), &["validate", "s.toml"]);
        answered(&out, &String::from_utf8_lossy(&bytes))?;
    }
}

// --- Results folders through `murmur plot` --------------------------------------------

/// A real run's and a real sweep's results, made once, copied for each case.
fn results() -> &'static (tempfile::TempDir, [PathBuf; 2]) {
    static RESULTS: OnceLock<(tempfile::TempDir, [PathBuf; 2])> = OnceLock::new();
    RESULTS.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        std::fs::write(dir.join("run.toml"), SMALL).unwrap();
        std::fs::write(dir.join("sweep.toml"), SMALL_SWEEP).unwrap();
        succeeded(&murmur_in(dir, &["run", "run.toml", "--out", "run", "-q"]));
        succeeded(&murmur_in(
            dir,
            &["run", "sweep.toml", "--out", "sweep", "-q"],
        ));
        let folders = [dir.join("run"), dir.join("sweep")];
        (tmp, folders)
    })
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// A tampered cell: a number of any size, a special value, or any text (written raw,
/// so quotes, commas and newlines in it break the CSV's shape too).
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|f| format!("{f:e}")),
        any::<i64>().prop_map(|i| i.to_string()),
        any::<u64>().prop_map(|i| i.to_string()),
        prop::sample::select(vec![
            "1.8e308",
            "1.7e308",
            "-1.7e308",
            "1e300",
            "1e-320",
            "inf",
            "-inf",
            "NaN",
            "",
            "-0",
            "10000000",
            "4294967296",
            "18446744073709551616",
            "\"",
            "a,b",
            "1\n2",
        ])
        .prop_map(str::to_string),
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(config(48))]

    /// Tampered cells of timeseries.csv and summary.csv give a plot or a refusal.
    #[test]
    fn plot_never_panics_on_tampered_cells(
        folder in 0..2usize,
        edits in prop::collection::vec(
            (prop::sample::select(vec!["timeseries.csv", "summary.csv"]), 0.0..1.0f64, 0.0..1.0f64, cell()),
            1..4,
        ),
    ) {
        let (_, folders) = results();
        let tmp = tempfile::tempdir().unwrap();
        let decoys = Decoys::thesis(tmp.path());
        let out = tmp.path().join("out");
        copy(&folders[folder], &out);
        for (file, row, column, value) in &edits {
            let path = out.join(file);
            let text = std::fs::read_to_string(&path).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            // Any line, the header included.
            let r = ((row * lines.len() as f64) as usize).min(lines.len() - 1);
            let mut cells: Vec<String> = lines[r].split(',').map(str::to_string).collect();
            let c = ((column * cells.len() as f64) as usize).min(cells.len() - 1);
            cells[c] = value.clone();
            lines[r] = cells.join(",");
            std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        }
        let plotted = murmur_in(tmp.path(), &["plot", "out"]);
        answered(&plotted, &format!("{edits:?}"))?;
        decoys.assert_untouched();
    }
}
