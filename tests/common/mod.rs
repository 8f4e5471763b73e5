//! Shared by the command-line safety tests: run the real binary, plant decoy user
//! files, and check that a refusal is a clean one-line error with exit code 2 that
//! left every decoy untouched, byte for byte.
#![allow(dead_code)] // each test crate uses a different part of this module

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the murmur binary in `cwd` with `args`, without a backtrace variable.
pub fn murmur_in<S: AsRef<OsStr>>(cwd: &Path, args: &[S]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_murmur"))
        .current_dir(cwd)
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the murmur binary runs")
}

/// A small, fast valid scenario (Bass on 100 agents, 10 ticks, 2 replicates).
pub const SMALL: &str = "\
name = \"small\"
ticks = 10
replicates = 2
[population]
size = 100
[network]
kind = \"erdos_renyi\"
mean_degree = 4
[model]
kind = \"bass\"
p = 0.01
q = 0.3
";

/// A small sweep of two points over Bass's `p`.
pub const SMALL_SWEEP: &str = "\
name = \"small-sweep\"
ticks = 5
replicates = 2
[population]
size = 100
[network]
kind = \"erdos_renyi\"
mean_degree = 4
[model]
kind = \"bass\"
p = 0.01
q = 0.3
[sweep]
kind = \"grid\"
[sweep.parameters]
\"model.p\" = [0.01, 0.02]
";

/// Every file under a folder (relative path → bytes), to compare before and after.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot(pub BTreeMap<PathBuf, Vec<u8>>);

impl Snapshot {
    /// Reads every file under `root`, recursively.
    pub fn of(root: &Path) -> Snapshot {
        let mut files = BTreeMap::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(root).unwrap().to_path_buf();
                    files.insert(rel, std::fs::read(&path).unwrap_or_default());
                }
            }
        }
        Snapshot(files)
    }
}

/// Decoy user files planted in a folder: a thesis, notes, a web project's own
/// manifest.json. `assert_untouched` checks each is still there with the same bytes.
pub struct Decoys {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Decoys {
    /// Plants `files` (relative path, contents) under `root`, creating folders.
    pub fn plant(root: &Path, files: &[(&str, &str)]) -> Decoys {
        let files = files
            .iter()
            .map(|(rel, text)| {
                let path = root.join(rel);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).unwrap();
                }
                std::fs::write(&path, text).unwrap();
                (path, text.as_bytes().to_vec())
            })
            .collect();
        Decoys { files }
    }

    /// The usual decoys: a thesis and notes in `root`.
    pub fn thesis(root: &Path) -> Decoys {
        Decoys::plant(
            root,
            &[
                ("thesis.tex", "\\documentclass{article} my thesis\n"),
                ("notes.md", "# notes I must not lose\n"),
            ],
        )
    }

    /// Asserts every decoy is still there, byte for byte.
    pub fn assert_untouched(&self) {
        for (path, bytes) in &self.files {
            let now = std::fs::read(path)
                .unwrap_or_else(|e| panic!("decoy {} is gone: {e}", path.display()));
            assert_eq!(&now, bytes, "decoy {} was changed", path.display());
        }
    }
}

/// Checks a refusal: exit code 2, no panic, one line on stderr starting `murmur:`,
/// holding every one of `words`. Returns stderr.
pub fn refused(out: &Output, words: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "exit code; stdout: {} stderr: {stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.starts_with("murmur: "), "{stderr:?}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "not one line: {stderr:?}"
    );
    for word in words {
        assert!(stderr.contains(word), "expected {word:?} in: {stderr}");
    }
    stderr
}

/// Checks success (exit 0, no panic) and returns stdout.
pub fn succeeded(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}
