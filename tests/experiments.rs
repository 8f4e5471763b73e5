//! Sweeps (grid, Latin hypercube, resume, shards, merge) and paired comparisons.

use murmur::compare;
use murmur::experiment::RunOptions;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn murmur(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_murmur"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("murmur runs")
}

fn ok(out: Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "murmur failed: {stderr}");
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"))
}

/// A small community scenario with a two-parameter grid sweep (3 × 2 points).
const SWEEP: &str = r#"
name = "advocate-sweep"
ticks = 120
seed = 5
replicates = 2

[population]
size = 1500

[network]
kind = "communities"
count = 15
mean_degree = 8.0
mixing = 0.2

[model]
kind = "marketing"

[strategy]
budget = 100.0

[strategy.community]
manager_cost = 40.0

[strategy.community.advocates]
count = 10

[sweep]
kind = "grid"

[sweep.parameters]
"strategy.community.advocates.count" = [0, 10, 40]
"strategy.community.advocates.reward" = ["social_capital", "cash"]
"#;

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join(file).display()))
}

#[test]
fn a_grid_sweep_runs_every_combination_with_tidy_columns() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), SWEEP).unwrap();
    ok(murmur(
        &["run", "s.toml", "--out", "out", "--quiet"],
        dir.path(),
    ));
    let out = dir.path().join("out");
    let points = read(&out, "points.csv");
    assert_eq!(
        points,
        "point,strategy.community.advocates.count,strategy.community.advocates.reward\n\
         0,0,social_capital\n1,0,cash\n2,10,social_capital\n3,10,cash\n4,40,social_capital\n5,40,cash\n"
    );
    let summary = read(&out, "summary.csv");
    let header = summary.lines().next().unwrap();
    assert!(header.starts_with(
        "point,strategy.community.advocates.count,strategy.community.advocates.reward,replicate,"
    ));
    assert_eq!(summary.lines().count(), 1 + 6 * 2);
    let series = read(&out, "timeseries.csv");
    assert_eq!(series.lines().count(), 1 + 6 * 2 * 121);
    let manifest: serde_json::Value = serde_json::from_str(&read(&out, "manifest.json")).unwrap();
    assert_eq!(manifest["kind"], "sweep");
    assert_eq!(manifest["points"], 6);
    // Points differ: more advocates change the outcome.
    let profit_of = |point: &str| -> f64 {
        let mut r = csv::Reader::from_reader(summary.as_bytes());
        let h = r.headers().unwrap().clone();
        let k = h.iter().position(|c| c == "cumulative_profit").unwrap();
        r.records()
            .map(|x| x.unwrap())
            .filter(|x| &x[0] == point)
            .map(|x| x[k].parse::<f64>().unwrap())
            .sum()
    };
    assert_ne!(profit_of("0"), profit_of("4"));
}

#[test]
fn resumed_and_sharded_sweeps_reproduce_the_whole_sweep() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    std::fs::write(cwd.join("s.toml"), SWEEP).unwrap();
    ok(murmur(&["run", "s.toml", "--out", "full", "--quiet"], cwd));
    let full = cwd.join("full");

    // An interrupted sweep: a point is missing. Without --resume the folder is refused.
    let copy = cwd.join("partial");
    ok(murmur(
        &["run", "s.toml", "--out", "partial", "--quiet"],
        cwd,
    ));
    let gone = std::fs::read_dir(copy.join("points"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("point-00003-")
        })
        .unwrap();
    std::fs::remove_dir_all(gone).unwrap();
    let refused = murmur(&["run", "s.toml", "--out", "partial", "--quiet"], cwd);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--resume"));
    let resumed = ok(murmur(
        &["run", "s.toml", "--out", "partial", "--resume"],
        cwd,
    ));
    assert!(
        resumed.contains("1 in this run, 5 already finished"),
        "{resumed}"
    );
    for file in ["timeseries.csv", "summary.csv", "points.csv"] {
        assert_eq!(read(&copy, file), read(&full, file), "{file} after resume");
    }

    // Three shards, merged, equal the whole sweep.
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let out = format!("shard{k}");
        ok(murmur(
            &["run", "s.toml", "--out", &out, "--shard", &shard, "--quiet"],
            cwd,
        ));
    }
    assert_eq!(
        read(&cwd.join("shard2"), "points.csv").lines().count(),
        1 + 2
    );
    ok(murmur(
        &["merge", "shard1", "shard2", "shard3", "--out", "merged"],
        cwd,
    ));
    for file in ["timeseries.csv", "summary.csv", "points.csv"] {
        assert_eq!(
            read(&cwd.join("merged"), file),
            read(&full, file),
            "{file} after merge"
        );
    }

    // Slices of another scenario are refused.
    std::fs::write(cwd.join("t.toml"), SWEEP.replace("seed = 5", "seed = 6")).unwrap();
    ok(murmur(
        &[
            "run", "t.toml", "--out", "other", "--shard", "1/3", "--quiet",
        ],
        cwd,
    ));
    let refused = murmur(&["merge", "shard1", "other", "--out", "bad"], cwd);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("different scenarios"));
    assert!(!cwd.join("bad").exists());
}

#[test]
fn a_plain_run_split_into_replicate_slices_merges_byte_identically() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    // The sweep's scenario without its [sweep] table: a plain marketing run.
    let plain = SWEEP[..SWEEP.find("[sweep]").unwrap()].replace("replicates = 2", "replicates = 5");
    std::fs::write(cwd.join("p.toml"), &plain).unwrap();
    let full = ok(murmur(&["run", "p.toml", "--out", "full", "--agents"], cwd));
    assert!(full.contains("5 replicates × 120 ticks"), "{full}");
    for k in 1..=3 {
        let said = ok(murmur(
            &[
                "run",
                "p.toml",
                "--out",
                &format!("slice{k}"),
                "--shard",
                &format!("{k}/3"),
                "--agents",
                "--threads",
                &format!("{}", 1 + k % 2),
            ],
            cwd,
        ));
        // Contiguous blocks of 1, 2 and 2 replicates, numbered as in the whole run.
        let expected = [
            "replicates 0–0 of 5",
            "replicates 1–2 of 5",
            "replicates 3–4 of 5",
        ];
        assert!(said.contains(expected[k - 1]), "{said}");
    }
    let slice2 = read(&cwd.join("slice2"), "summary.csv");
    let replicates: Vec<&str> = slice2
        .lines()
        .skip(1)
        .map(|l| &l[..l.find(',').unwrap()])
        .collect();
    assert_eq!(replicates, ["1", "2"]);
    // Given in any order, the slices join into the whole run, byte for byte.
    let merged = ok(murmur(
        &["merge", "slice3", "slice1", "slice2", "--out", "merged"],
        cwd,
    ));
    assert!(
        merged.contains("merged 5 replicates from 3 slices"),
        "{merged}"
    );
    let mut compared = 0;
    for entry in std::fs::read_dir(cwd.join("full")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "manifest.json" || name == "report.html" {
            continue; // they record the wall time
        }
        let (a, b) = (cwd.join("full").join(&name), cwd.join("merged").join(&name));
        assert!(
            std::fs::read(&a).unwrap() == std::fs::read(&b).unwrap(),
            "{name} differs"
        );
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} files compared");
    let manifest = |d: &str| -> serde_json::Value {
        serde_json::from_str(&read(&cwd.join(d), "manifest.json")).unwrap()
    };
    let (whole, joined) = (manifest("full"), manifest("merged"));
    for key in [
        "scenario",
        "scenario_sha256",
        "seed",
        "replicates",
        "network",
    ] {
        assert_eq!(whole[key], joined[key], "manifest {key}");
    }
    assert!(joined.get("shard_replicates").is_none());
    assert_eq!(
        manifest("slice2")["shard_replicates"],
        serde_json::json!([1, 3])
    );

    // A missing slice is named, and nothing is written.
    let refused = murmur(&["merge", "slice1", "slice3", "--out", "gap"], cwd);
    assert_eq!(refused.status.code(), Some(2));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("replicates 1–2 are in none of the slices given"),
        "{message}"
    );
    assert!(!cwd.join("gap").exists());
    // More slices than replicates is refused before anything runs.
    let refused = murmur(&["run", "p.toml", "--out", "x", "--shard", "6/6"], cwd);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("at most 5 slices"));
    assert!(!cwd.join("x").exists());
}

/// Launched as one of several MPI processes (as `mpirun -n 2` would) by a murmur
/// built without the `mpi` feature, a run is refused before it writes anything, since
/// each process would run the whole scenario into the same folder; with its own
/// `--shard` it runs.
#[cfg(not(feature = "mpi"))]
#[test]
fn several_mpi_processes_without_the_mpi_feature_are_refused_unless_sharded() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path();
    let plain = SWEEP[..SWEEP.find("[sweep]").unwrap()].replace("ticks = 120", "ticks = 20");
    std::fs::write(cwd.join("p.toml"), &plain).unwrap();
    let launched = |args: &[&str], var: &str| {
        Command::new(env!("CARGO_BIN_EXE_murmur"))
            .args(args)
            .current_dir(cwd)
            .env(var, "2")
            .output()
            .expect("murmur runs")
    };
    for var in ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE"] {
        let refused = launched(&["run", "p.toml", "--out", "x", "-q"], var);
        assert_eq!(refused.status.code(), Some(2), "{var}");
        let message = String::from_utf8_lossy(&refused.stderr);
        assert!(
            message.contains("built without the mpi feature"),
            "{message}"
        );
        assert!(message.contains("--features mpi"), "{message}");
        assert!(!cwd.join("x").exists());
    }
    let sharded = launched(
        &["run", "p.toml", "--out", "s", "-q", "--shard", "1/2"],
        "OMPI_COMM_WORLD_SIZE",
    );
    assert!(sharded.status.success());
    assert!(cwd.join("s/summary.csv").exists());
}

#[test]
fn a_latin_hypercube_puts_one_sample_in_each_stratum() {
    let text = SWEEP.replace(
        "kind = \"grid\"\n\n[sweep.parameters]\n\"strategy.community.advocates.count\" = [0, 10, 40]\n\"strategy.community.advocates.reward\" = [\"social_capital\", \"cash\"]",
        "kind = \"latin_hypercube\"\nsamples = 8\nseed = 3\n\n[sweep.parameters]\n\"strategy.community.recruitment\" = [0.0, 0.008]\n\"strategy.community.advocates.count\" = [0, 80]",
    );
    let scenario = murmur::scenario::Scenario::from_str_at(&text, Path::new("lhs.toml")).unwrap();
    let spec = scenario.sweep.clone().unwrap();
    let points =
        murmur::sweep::points(&text, Path::new("lhs.toml"), &spec, &Default::default()).unwrap();
    assert_eq!(points.len(), 8);
    let mut strata_r = [0; 8];
    let mut strata_c = [0; 8];
    for p in &points {
        let r = p.values[0].1.as_float().unwrap();
        let c = p.values[1].1.as_integer().unwrap();
        strata_r[(r / 0.001) as usize] += 1;
        strata_c[(c / 10) as usize] += 1;
    }
    assert_eq!(strata_r, [1; 8]);
    assert_eq!(strata_c, [1; 8]);
}

#[test]
fn a_bad_swept_value_names_the_point_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let text = SWEEP.replace("[0, 10, 40]", "[0, 10, -4]");
    std::fs::write(dir.path().join("s.toml"), &text).unwrap();
    for args in [
        &["validate", "s.toml"][..],
        &["run", "s.toml", "--out", "out", "--quiet"][..],
    ] {
        let out = murmur(args, dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("sweep point 4"), "{stderr}");
        assert!(
            stderr.contains("strategy.community.advocates.count"),
            "{stderr}"
        );
        let line = SWEEP
            .lines()
            .position(|l| l.contains("advocates.count\" ="))
            .unwrap()
            + 1;
        assert!(stderr.contains(&format!("line {line}")), "{stderr}");
    }
    std::fs::write(dir.path().join("s.toml"), SWEEP).unwrap();
    let valid = ok(murmur(&["validate", "s.toml"], dir.path()));
    assert!(valid.contains("a sweep of 6 points"), "{valid}");
    assert!(!dir.path().join("out").exists());
}

fn comparison(files: &[&str], replicates: u32) -> compare::Comparison {
    let paths: Vec<PathBuf> = files.iter().map(|f| shipped(f)).collect();
    run_comparison(compare::prepare(&paths).unwrap(), replicates)
}

fn run_comparison(mut entries: Vec<compare::Entry>, replicates: u32) -> compare::Comparison {
    for e in &mut entries {
        e.scenario.replicates = replicates;
    }
    compare::run(
        entries,
        &RunOptions {
            quiet: true,
            ..RunOptions::default()
        },
        compare::EARLY_TICK,
    )
    .unwrap()
}

#[test]
fn comparing_a_scenario_with_itself_gives_exactly_zero() {
    // Two scenarios of one name are refused, so the copy gets a name of its own.
    let mut entries = compare::prepare(&[shipped("community")]).unwrap();
    let mut copy = entries[0].clone();
    copy.scenario.name.push_str("-copy");
    entries.push(copy);
    let c = run_comparison(entries, 3);
    assert!(!c.differences.is_empty());
    for d in &c.differences {
        assert_eq!(d.difference.mean, 0.0, "{}", d.metric);
        assert_eq!(d.difference.bounds, Some((0.0, 0.0)), "{}", d.metric);
    }
    // Equal profit at every tick: the lead never changes hands.
    assert_eq!(c.crossovers.len(), 1);
    assert!(c.crossovers[0].days.is_empty());
    assert_eq!(c.crossovers[0].text(), "no crossover");
    for p in &c.programmes {
        assert_eq!((p.extra_customers, p.expansion, p.acceleration), (0, 0, 0));
        assert_eq!(p.expansion_value + p.acceleration_value, 0.0);
    }
}

#[test]
fn paired_intervals_are_narrower_than_unpaired_ones() {
    let c = comparison(&["advocates_cash", "advocates_social_capital"], 10);
    for metric in [
        "final_customers",
        "churn_hazard",
        "cumulative_profit",
        "clv_projected",
    ] {
        let d = c.differences.iter().find(|d| d.metric == metric).unwrap();
        let (low, high) = d.difference.bounds.unwrap();
        let paired = high - low;
        let unpaired = d.unpaired.map(|u| u.1 - u.0).unwrap();
        assert!(
            paired < 0.8 * unpaired,
            "{metric}: paired width {paired}, unpaired {unpaired}"
        );
    }
}

#[test]
fn a_programme_splits_into_expansion_and_acceleration() {
    let c = comparison(&["no_marketing", "community"], 3);
    assert_eq!(c.programmes.len(), 3);
    for p in &c.programmes {
        // Every customer gained only with the programme is expansion; the rest of the
        // difference in customers is those the programme lost.
        assert!(p.expansion > 0 && p.acceleration > 0, "{p:?}");
        assert!(p.expansion as i64 >= p.extra_customers, "{p:?}");
        // In the open market some of them bought from the competitor in the
        // baseline, and most bought nothing.
        assert!(p.expansion_from_competitor > 0, "{p:?}");
        assert!(p.expansion_from_competitor < p.expansion, "{p:?}");
        assert!(
            p.expansion_value > 0.0 && p.acceleration_value > 0.0,
            "{p:?}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    compare::write(&out, &c, &murmur::results::undecorated).unwrap();
    let header = read(&out, "differences.csv");
    assert!(header.starts_with(
        "scenario,metric,baseline_mean,mean,difference,low,high,unpaired_low,unpaired_high\n"
    ));
    assert!(read(&out, "summary.csv").starts_with("scenario,replicate,"));
    assert!(read(&out, "programme.csv").lines().count() == 4);
    // The crossover days are the sign changes of the mean paired difference in
    // cumulative profit, recomputed here from the two runs' series.
    let (base, run) = (&c.outcomes[0], &c.outcomes[1]);
    let ticks = base.series[0].new_adopters.len();
    let mean_difference: Vec<f64> = (0..ticks)
        .map(|t| {
            let d = |s: &murmur::metrics::Series| s.column("cumulative_profit").unwrap()[t];
            base.series
                .iter()
                .zip(&run.series)
                .map(|(b, r)| d(r) - d(b))
                .sum::<f64>()
                / 3.0
        })
        .collect();
    let days = compare::sign_changes(&mean_difference);
    assert_eq!(c.crossovers.len(), 1);
    assert_eq!(c.crossovers[0].days, days);
    let csv = read(&out, "crossovers.csv");
    let last = days.last().map_or(String::new(), u32::to_string);
    assert_eq!(
        csv,
        format!(
            "scenario,crossovers,last_day\n{},{},{last}\n",
            run.scenario.name,
            days.len()
        )
    );
}

#[test]
fn compare_refuses_scenarios_on_different_networks() {
    let paths = [shipped("community"), shipped("b2b_private_communities")];
    let e = compare::prepare(&paths).expect_err("refused");
    assert!(e.to_string().contains("same population, network"), "{e}");
}

/// `compare` reports customers at an early day (`--early`, 30 by default) beside the
/// final figures, so the README's "social media wins the first month" is in its
/// output: the community has fewer customers at day 30 than social media, paired.
#[test]
fn compare_reports_customers_in_the_first_month() {
    let c = comparison(&["social_media", "community"], 4);
    assert_eq!(c.early, compare::EARLY_TICK);
    let d = c
        .differences
        .iter()
        .find(|d| d.metric == "customers_day_30")
        .expect("customers at day 30 among the metrics");
    let (_, high) = d.difference.bounds.unwrap();
    assert!(high < 0.0, "community − social media at day 30: {d:?}");
    let headline = compare::headline_table(&c);
    assert!(headline.contains("customers_day_30"), "{headline}");
}

#[test]
fn an_early_day_past_the_horizon_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = murmur(
        &[
            "compare",
            shipped("social_media").to_str().unwrap(),
            shipped("community").to_str().unwrap(),
            "--early",
            "731",
            "--out",
            "cmp",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--early 731") && stderr.contains("0 to 730"),
        "{stderr}"
    );
    assert!(!dir.path().join("cmp").exists());
}
