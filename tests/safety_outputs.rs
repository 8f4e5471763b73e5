//! Issue 7, cases 1–9 and 17: murmur writes and replaces only folders it can prove it
//! wrote, applies command-line overrides everywhere, resumes and merges only what
//! matches, and cleans up after itself. Every test runs the real binary in a temporary
//! folder holding decoy user files and checks they are untouched, byte for byte.

mod common;

use common::{Decoys, SMALL, SMALL_SWEEP, Snapshot, murmur_in, refused, succeeded};
use std::fs;
use std::path::Path;

/// A temporary working folder with `s.toml` (the small run) and the usual decoys.
fn workspace(scenario: &str) -> (tempfile::TempDir, Decoys) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("s.toml"), scenario).unwrap();
    let decoys = Decoys::thesis(dir.path());
    (dir, decoys)
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Case 1: a folder holding someone else's manifest.json is not murmur's.
#[test]
fn run_and_compare_refuse_a_folder_whose_manifest_is_not_murmurs() {
    let (dir, _decoys) = workspace(SMALL);
    let cwd = dir.path();
    fs::write(cwd.join("t.toml"), SMALL.replace("\"small\"", "\"other\"")).unwrap();
    let web = Decoys::plant(
        &cwd.join("web"),
        &[
            ("manifest.json", "{\"name\": \"my web app\"}\n"),
            ("src/app.js", "console.log('mine')\n"),
        ],
    );
    let thesis = Decoys::plant(
        &cwd.join("thesis"),
        &[
            ("manifest.json", "{}\n"),
            ("thesis.tex", "\\begin{document}\n"),
        ],
    );
    for out in ["web", "thesis"] {
        let run = murmur_in(cwd, &["run", "s.toml", "--out", out, "--quiet"]);
        refused(
            &run,
            &[
                "refusing to replace",
                out,
                "manifest.json",
                "murmur did not write",
            ],
        );
        let compare = murmur_in(cwd, &["compare", "s.toml", "t.toml", "--out", out, "-q"]);
        refused(&compare, &["refusing to replace", out]);
    }
    let run = murmur_in(cwd, &["run", "s.toml", "--out", "web", "--quiet"]);
    refused(&run, &["src/"]);
    web.assert_untouched();
    thesis.assert_untouched();
}

/// Case 2: `--out .` is refused and the current folder kept whole.
#[test]
fn out_dot_is_refused_and_the_current_folder_is_kept() {
    let (dir, decoys) = workspace(SMALL);
    let before = Snapshot::of(dir.path());
    let out = murmur_in(dir.path(), &["run", "s.toml", "--out", ".", "--quiet"]);
    refused(&out, &["refusing to write results to .", "current folder"]);
    let out = murmur_in(dir.path(), &["run", "s.toml", "--out", "./", "--quiet"]);
    refused(&out, &["current folder"]);
    decoys.assert_untouched();
    assert_eq!(Snapshot::of(dir.path()), before);
}

/// Case 3: paths that climb out are refused; a scenario's name never becomes a path.
#[test]
fn outs_that_climb_are_refused_and_names_become_safe_folder_names() {
    let (dir, decoys) = workspace(SMALL);
    let cwd = dir.path();
    let sub = cwd.join("sub");
    fs::create_dir(&sub).unwrap();
    fs::write(sub.join("s.toml"), SMALL).unwrap();
    let home = cwd.join("home");
    fs::create_dir(&home).unwrap();
    let cases: [(&Path, &str, &str, &[&str]); 7] = [
        (cwd, "s.toml", "newdir/..", &["current folder"]),
        (cwd, "s.toml", "..", &["holds the current folder"]),
        (&sub, "s.toml", "..", &["holds the current folder"]),
        (cwd, "sub/s.toml", "sub", &["holds the input file"]),
        (cwd, "sub/s.toml", "sub/..", &["current folder"]),
        (cwd, "s.toml", "/", &["root folder"]),
        (cwd, "s.toml", home.to_str().unwrap(), &["home folder"]),
    ];
    let before = Snapshot::of(cwd);
    for (at, scenario, out, words) in cases {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_murmur"))
            .current_dir(at)
            .env("HOME", &home)
            .args(["run", scenario, "--out", out, "--quiet"])
            .output()
            .unwrap();
        refused(&output, words);
    }
    assert!(!cwd.join("newdir").exists());
    assert_eq!(Snapshot::of(cwd), before);

    // Names are slugged: no separators, no dots-only names.
    let abs = cwd.join("abs").join("dir");
    for (name, folder) in [
        ("..", "run"),
        (abs.to_str().unwrap(), "none"),
        ("a b/../c", "a-b-c"),
    ] {
        let text = SMALL.replace("\"small\"", &format!("{name:?}"));
        fs::write(cwd.join("named.toml"), text).unwrap();
        let stdout = succeeded(&murmur_in(cwd, &["run", "named.toml", "--quiet"]));
        let written = stdout
            .trim()
            .strip_prefix("results in ")
            .unwrap()
            .to_string();
        let written = Path::new(&written);
        assert!(written.starts_with("results"), "{}", written.display());
        assert_eq!(written.components().count(), 2, "{}", written.display());
        if folder != "none" {
            assert_eq!(written, Path::new("results").join(folder));
        }
    }
    assert!(!abs.exists(), "an absolute name was used as a path");
    decoys.assert_untouched();
}

/// Case 4: files a user adds to (or edits in) earlier results stop a re-run.
#[test]
fn added_or_edited_files_in_earlier_results_stop_a_rerun() {
    let (dir, decoys) = workspace(SMALL);
    let cwd = dir.path();
    succeeded(&murmur_in(cwd, &["run", "s.toml", "--quiet"]));
    let results = cwd.join("results/small");
    // Every file murmur wrote is listed with its checksum, plots and report included.
    let listed: Vec<String> = manifest(&results)["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    for file in [
        "timeseries.csv",
        "summary.csv",
        "report.html",
        "adoption.png",
    ] {
        assert!(
            listed.contains(&file.to_string()),
            "{file} not in {listed:?}"
        );
    }
    assert_eq!(manifest(&results)["murmur_format"], 1);

    let notes = Decoys::plant(&results, &[("notes.md", "what I saw\n")]);
    let out = murmur_in(cwd, &["run", "s.toml", "--quiet"]);
    refused(&out, &["results/small", "notes.md", "move those files"]);
    notes.assert_untouched();
    // Redrawing touches only plots and report, and adopts nothing foreign.
    succeeded(&murmur_in(cwd, &["plot", "results/small"]));
    notes.assert_untouched();
    refused(&murmur_in(cwd, &["run", "s.toml", "-q"]), &["notes.md"]);
    fs::remove_file(results.join("notes.md")).unwrap();

    let figure = results.join("adoption.svg");
    let mut edited = fs::read(&figure).unwrap();
    edited.extend_from_slice(b"<!-- my annotation -->");
    fs::write(&figure, &edited).unwrap();
    for args in [
        &["run", "s.toml", "--quiet"][..],
        &["plot", "results/small"][..],
    ] {
        let out = murmur_in(cwd, args);
        refused(&out, &["adoption.svg", "changed since murmur wrote it"]);
        assert_eq!(fs::read(&figure).unwrap(), edited);
    }
    fs::remove_file(&figure).unwrap();
    // `murmur plot .` inside the folder redraws in place (it never replaces it).
    succeeded(&murmur_in(&results, &["plot", "."]));
    assert!(figure.is_file());
    // Only murmur's own files are left: replaced without a word.
    succeeded(&murmur_in(cwd, &["run", "s.toml", "--quiet"]));
    assert!(figure.is_file());
    decoys.assert_untouched();
}

/// Case 5: a sweep writes only into a folder that is absent, empty or its own.
#[test]
fn a_sweep_refuses_folders_it_does_not_own() {
    let (dir, decoys) = workspace(SMALL_SWEEP);
    let cwd = dir.path();
    let foreign = Decoys::plant(
        &cwd.join("mine"),
        &[
            ("manifest.json", "{}\n"),
            ("timeseries.csv", "my,data\n1,2\n"),
            ("summary.csv", "my,summary\n"),
            ("report.html", "<p>mine</p>\n"),
        ],
    );
    let out = murmur_in(cwd, &["run", "s.toml", "--out", "mine", "--quiet"]);
    refused(&out, &["refusing to replace mine", "timeseries.csv"]);
    foreign.assert_untouched();

    fs::create_dir_all(cwd.join("empty-points/points")).unwrap();
    let out = murmur_in(cwd, &["run", "s.toml", "--out", "empty-points", "--quiet"]);
    refused(&out, &["refusing to replace empty-points", "points/"]);
    assert_eq!(
        fs::read_dir(cwd.join("empty-points/points"))
            .unwrap()
            .count(),
        0
    );
    assert!(!cwd.join("empty-points/manifest.json").exists());

    // A user's file in a murmur sweep's point folder is foreign too.
    succeeded(&murmur_in(
        cwd,
        &["run", "s.toml", "--out", "sweep", "--quiet"],
    ));
    let point = fs::read_dir(cwd.join("sweep/points"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let planted = Decoys::plant(&point, &[("mine.txt", "x\n")]);
    let out = murmur_in(cwd, &["run", "s.toml", "--out", "sweep", "--resume", "-q"]);
    refused(&out, &["mine.txt"]);
    planted.assert_untouched();
    decoys.assert_untouched();
}

/// The lock: while one murmur process writes a folder, another is refused.
#[test]
fn a_second_writer_to_the_same_folder_is_refused() {
    let (dir, decoys) = workspace(SMALL);
    let cwd = dir.path();
    fs::create_dir(cwd.join("results")).unwrap();
    // Hold the lock as a running murmur would.
    let lock = fs::File::create(cwd.join("results/.small.murmur-lock")).unwrap();
    lock.lock().unwrap();
    let out = murmur_in(cwd, &["run", "s.toml", "--quiet"]);
    refused(&out, &["results/small", "another murmur process"]);
    assert!(!cwd.join("results/small").exists());
    lock.unlock().unwrap();
    drop(lock);
    succeeded(&murmur_in(cwd, &["run", "s.toml", "--quiet"]));
    assert!(cwd.join("results/small/manifest.json").is_file());
    assert!(
        !cwd.join("results/.small.murmur-lock").exists(),
        "lock left behind"
    );
    decoys.assert_untouched();
}

fn rows(dir: &Path, file: &str) -> usize {
    fs::read_to_string(dir.join(file)).unwrap().lines().count() - 1
}

/// Case 6: --seed and --replicates apply to sweeps, shards and comparisons alike.
#[test]
fn seed_and_replicates_apply_to_sweeps_shards_and_comparisons() {
    let (dir, decoys) = workspace(SMALL_SWEEP);
    let cwd = dir.path();
    let args = ["--seed", "9", "--replicates", "3", "--quiet"];
    let run = |out: &str, extra: &[&str]| {
        let mut all = vec!["run", "s.toml", "--out", out];
        all.extend(extra);
        all.extend(args);
        succeeded(&murmur_in(cwd, &all));
        cwd.join(out)
    };
    let whole = run("whole", &[]);
    assert_eq!(rows(&whole, "summary.csv"), 2 * 3);
    assert_eq!(manifest(&whole)["seed"], 9);
    assert_eq!(manifest(&whole)["replicates"], 3);
    for point in fs::read_dir(whole.join("points")).unwrap() {
        let m = manifest(&point.unwrap().path());
        assert_eq!(
            (m["seed"].clone(), m["replicates"].clone()),
            (9.into(), 3.into())
        );
    }
    let shard = run("shard", &["--shard", "2/2"]);
    assert_eq!(rows(&shard, "summary.csv"), 3);
    assert_eq!(manifest(&shard)["seed"], 9);
    // The seed changes the numbers, not only the manifest.
    succeeded(&murmur_in(
        cwd,
        &["run", "s.toml", "--out", "default", "-q"],
    ));
    assert_ne!(
        fs::read(whole.join("timeseries.csv")).unwrap(),
        fs::read(cwd.join("default/timeseries.csv")).unwrap()
    );

    fs::write(cwd.join("a.toml"), SMALL).unwrap();
    fs::write(cwd.join("b.toml"), SMALL.replace("\"small\"", "\"b\"")).unwrap();
    let mut all = vec!["compare", "a.toml", "b.toml", "--out", "cmp"];
    all.extend(args);
    succeeded(&murmur_in(cwd, &all));
    assert_eq!(rows(&cwd.join("cmp"), "summary.csv"), 2 * 3);
    assert_eq!(manifest(&cwd.join("cmp"))["seed"], 9);
    decoys.assert_untouched();
}

/// Case 7: --resume after the scenario was edited is refused, naming the keys.
#[test]
fn resume_refuses_an_edited_scenario_and_names_the_keys() {
    let (dir, decoys) = workspace(SMALL_SWEEP);
    let cwd = dir.path();
    succeeded(&murmur_in(
        cwd,
        &["run", "s.toml", "--out", "sw", "--quiet"],
    ));
    let before = Snapshot::of(&cwd.join("sw"));
    fs::write(
        cwd.join("s.toml"),
        SMALL_SWEEP.replace("ticks = 5", "ticks = 8"),
    )
    .unwrap();
    let out = murmur_in(cwd, &["run", "s.toml", "--out", "sw", "--resume", "-q"]);
    refused(&out, &["cannot resume", "sw", "ticks (5 → 8)"]);
    let out = murmur_in(
        cwd,
        &[
            "run", "s.toml", "--out", "sw", "--resume", "--seed", "3", "-q",
        ],
    );
    refused(&out, &["seed (1 → 3)"]);
    assert_eq!(
        Snapshot::of(&cwd.join("sw")),
        before,
        "the sweep was changed"
    );
    // A comment is not a change: the same resolved scenario resumes.
    fs::write(cwd.join("s.toml"), format!("# a note\n{SMALL_SWEEP}")).unwrap();
    let resumed = succeeded(&murmur_in(
        cwd,
        &["run", "s.toml", "--out", "sw", "--resume"],
    ));
    assert!(
        resumed.contains("0 in this run, 2 already finished"),
        "{resumed}"
    );
    decoys.assert_untouched();
}

fn point_folders(sweep: &Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = fs::read_dir(sweep.join("points"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    found.sort();
    found
}

/// Case 8: merge verifies every slice and writes atomically.
#[test]
fn merge_refuses_damaged_slices_and_leaves_nothing_behind() {
    let (dir, decoys) = workspace(SMALL_SWEEP);
    let cwd = dir.path();
    for k in 1..=2 {
        let (shard, out) = (format!("{k}/2"), format!("slice{k}"));
        succeeded(&murmur_in(
            cwd,
            &["run", "s.toml", "--out", &out, "--shard", &shard, "-q"],
        ));
    }
    let good = Snapshot::of(&cwd.join("slice2"));
    let point = point_folders(&cwd.join("slice2")).remove(0);

    // A truncated point CSV.
    let csv = point.join("timeseries.csv");
    let whole = fs::read(&csv).unwrap();
    fs::write(&csv, &whole[..whole.len() / 2]).unwrap();
    let out = murmur_in(cwd, &["merge", "slice1", "slice2", "--out", "merged"]);
    refused(&out, &["timeseries.csv", "damaged", "checksum"]);
    assert!(!cwd.join("merged").exists());
    fs::write(&csv, &whole).unwrap();

    // A broken point.json: no value for the swept key.
    let record = point.join("point.json");
    let text = fs::read_to_string(&record).unwrap();
    fs::write(&record, text.replace("0.02", "")).unwrap();
    let out = murmur_in(cwd, &["merge", "slice1", "slice2", "--out", "merged"]);
    refused(&out, &["point.json", "damaged"]);
    assert!(!cwd.join("merged").exists());
    fs::write(&record, text).unwrap();
    assert_eq!(Snapshot::of(&cwd.join("slice2")), good);

    // Intact slices merge; the hidden temporaries are gone.
    succeeded(&murmur_in(
        cwd,
        &["merge", "slice1", "slice2", "--out", "merged"],
    ));
    assert_eq!(rows(&cwd.join("merged"), "points.csv"), 2);
    let hidden: Vec<_> = fs::read_dir(cwd)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
    decoys.assert_untouched();
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

/// Case 9: what a killed run or merge left half-written is not a finished point.
#[test]
fn half_written_temporary_folders_are_not_finished_points() {
    let (dir, decoys) = workspace(SMALL_SWEEP);
    let cwd = dir.path();
    succeeded(&murmur_in(cwd, &["run", "s.toml", "--out", "full", "-q"]));
    succeeded(&murmur_in(cwd, &["run", "s.toml", "--out", "sw", "-q"]));
    let points = point_folders(&cwd.join("sw"));
    let second = points[1].clone();
    let name = second.file_name().unwrap().to_string_lossy().into_owned();
    // Left by a killed run (hidden, dead process) and by a killed merge's copy.
    copy_dir(
        &second,
        &cwd.join(format!("sw/points/.{name}.murmur-tmp-4000000")),
    );
    copy_dir(&second, &second.with_extension("murmur-tmp"));
    fs::remove_dir_all(&second).unwrap();
    let resumed = succeeded(&murmur_in(
        cwd,
        &["run", "s.toml", "--out", "sw", "--resume"],
    ));
    assert!(
        resumed.contains("1 in this run, 1 already finished"),
        "{resumed}"
    );
    for file in ["timeseries.csv", "summary.csv", "points.csv"] {
        assert_eq!(
            fs::read(cwd.join("sw").join(file)).unwrap(),
            fs::read(cwd.join("full").join(file)).unwrap(),
            "{file}"
        );
    }
    decoys.assert_untouched();
}

/// Case 17: a failed run removes the parent folders it created, and only those.
#[test]
fn a_failed_run_removes_the_parent_folders_it_created() {
    let (dir, decoys) = workspace(SMALL);
    let cwd = dir.path();
    // Fails once the run has started: a malformed edge list.
    fs::write(
        cwd.join("edges.toml"),
        "ticks = 5\n[network]\nkind = \"edge_list\"\npath = \"edges.txt\"\n\
         [model]\nkind = \"independent_cascade\"\nprobability = 0.2\n",
    )
    .unwrap();
    fs::write(cwd.join("edges.txt"), "1 2\n2 x\n").unwrap();
    fs::create_dir(cwd.join("existing")).unwrap();
    let before = Snapshot::of(cwd);
    let out = murmur_in(
        cwd,
        &["run", "edges.toml", "--out", "existing/a/b/out", "--quiet"],
    );
    refused(&out, &["edges.txt"]);
    assert!(
        !cwd.join("existing/a").exists(),
        "created parents were left"
    );
    assert!(
        cwd.join("existing").is_dir(),
        "a parent it did not create was removed"
    );
    assert_eq!(Snapshot::of(cwd), before);
    // Failed while writing, before: a budget too large for its CSVs.
    fs::write(
        cwd.join("money.toml"),
        "ticks = 5\nreplicates = 1\n[population]\nsize = 200\n[network]\n\
         kind = \"erdos_renyi\"\nmean_degree = 4\n[model]\nkind = \"marketing\"\n\
         [strategy]\nbudget = 1e308\n[strategy.social_media]\ncpm = 12.0\n",
    )
    .unwrap();
    let out = murmur_in(cwd, &["run", "money.toml", "--out", "existing/c/out", "-q"]);
    refused(&out, &["budget"]);
    assert!(
        !cwd.join("existing/c").exists(),
        "created parents were left"
    );
    decoys.assert_untouched();
}
