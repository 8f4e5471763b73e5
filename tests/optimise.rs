//! `murmur optimise` (`src/optimise/`): the screen finds the best point of a sweep of
//! the same grid with the same means, best.toml reproduces its objective, and a bad
//! `[optimise]` table is refused with its key named.

mod common;

use common::{murmur_in, refused, succeeded};
use murmur::experiment::{self, RunOptions};
use murmur::metrics::Interval;
use murmur::optimise::{self, Stage, Status};
use murmur::scenario::{Overrides, Scenario};
use std::path::{Path, PathBuf};

/// A shipped scenario scaled down (1,500 agents, 90 days, 3 replicates), its lines
/// starting with a key in `set` replaced, and `extra` appended.
fn scaled(name: &str, set: &[(&str, &str)], extra: &str) -> (String, PathBuf) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path).unwrap();
    let mut sets = vec![
        ("ticks", "ticks = 90"),
        ("replicates", "replicates = 3"),
        ("size", "size = 1500"),
    ];
    sets.extend_from_slice(set);
    let mut out = String::new();
    for line in text.lines() {
        let key = line.split('=').next().unwrap_or("").trim();
        match sets.iter().find(|(k, _)| *k == key) {
            Some((_, new)) => out.push_str(new),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out.push_str(extra);
    let dir = tempfile::tempdir().unwrap().keep();
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, &out).unwrap();
    (out, file)
}

fn quiet() -> RunOptions {
    RunOptions {
        quiet: true,
        ..RunOptions::default()
    }
}

/// The mean over replicates of a summary figure of a run with its own baseline.
fn mean_figure(s: Scenario, file: &Path, figure: &str) -> f64 {
    let o = experiment::run(s, file, &quiet()).unwrap();
    let values: Vec<f64> = o.series.iter().map(|s| s.figure(figure).unwrap()).collect();
    Interval::of(&values).unwrap().mean
}

/// The screen over budget levels of a community scenario returns the best point of a
/// sweep (`[sweep]` over `strategy.budget`, each point run with its own baseline) of
/// the same grid, and every candidate's objective mean is the sweep point's, exactly.
#[test]
fn the_screen_finds_the_best_point_of_the_same_sweep() {
    let levels = [45.0, 80.0, 120.0, 200.0];
    let grid = "[45.0, 80.0, 120.0, 200.0]";
    let (text, file) = scaled(
        "community",
        &[],
        &format!(
            "\n[optimise]\nbudget = {grid}\ntiming = [\"always_on\"]\nrefine = 0\n\
             max_spend = 1e9\n"
        ),
    );
    let s = Scenario::from_str_at(&text, &file).unwrap();
    let o = optimise::optimise(&s, &text, &file, &quiet()).unwrap();
    assert_eq!(o.candidates.len(), levels.len());
    assert!(o.candidates.iter().all(|c| c.stage == Stage::Screen));

    let sweep_text = format!(
        "{}\n[sweep]\nparameters = {{ \"strategy.budget\" = {grid} }}\n",
        text.split("\n[optimise]").next().unwrap()
    );
    let sweep = Scenario::from_str_at(&sweep_text, &file).unwrap();
    let points = murmur::sweep::points(
        &sweep_text,
        &file,
        sweep.sweep.as_ref().unwrap(),
        &Overrides::default(),
    )
    .unwrap();
    let means: Vec<f64> = points
        .into_iter()
        .map(|p| mean_figure(p.scenario, &file, "incremental_profit"))
        .collect();
    for (c, mean) in o.candidates.iter().zip(&means) {
        let Status::Run(e) = c.status else {
            panic!("{c:?} was not run")
        };
        assert_eq!(o.evaluations[e].objective.mean, *mean, "{:?}", c.plan);
    }
    let best = (0..means.len())
        .max_by(|&a, &b| means[a].total_cmp(&means[b]))
        .unwrap();
    // The grid's best is strict, so "the best point" is one point.
    assert_eq!(means.iter().filter(|m| **m == means[best]).count(), 1);
    assert_eq!(o.best, Some(best));
    assert_eq!(o.candidates[best].plan.budget, levels[best]);
}

/// best.toml validates, and running it as `murmur run` would reproduces the reported
/// objective mean bit for bit; a refined candidate is among those proposed, and plans
/// outside a channel's bounds are not run.
#[test]
fn best_toml_reproduces_the_reported_objective() {
    let (text, file) = scaled(
        "hybrid",
        &[],
        "\n[optimise]\nbudget = [100.0, 200.0]\nsocial_media_share = [0.25, 0.5]\n\
         timing = [\"always_on\", \"burst\"]\nburst_days = 30\nrefine = 1\nmax_spend = 1e9\n\
         [optimise.bounds]\nsocial_media = [0.0, 60.0]\n",
    );
    let s = Scenario::from_str_at(&text, &file).unwrap();
    let o = optimise::optimise(&s, &text, &file, &quiet()).unwrap();
    assert!(o.candidates.iter().any(|c| c.stage == Stage::Refine));
    // Plans whose paid-social money per tick is past its bound are not run.
    for c in &o.candidates {
        let over = c.plan.social_media_spend() > 60.0;
        assert_eq!(c.status == Status::OutOfBounds, over, "{:?}", c.plan);
    }
    let best = o.best.expect("a feasible plan");
    let reported = o.evaluation_of(best).unwrap().objective.mean;
    let dir = tempfile::tempdir().unwrap();
    optimise::write_files(dir.path(), &o).unwrap();
    let path = dir.path().join("best.toml");
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("# murmur optimise: the best plan"));
    assert!(!written.contains("[optimise]"));
    let plan = Scenario::from_file(&path).unwrap();
    assert_eq!(plan.optimise, None);
    assert_eq!(mean_figure(plan, &path, "incremental_profit"), reported);
    // The runner-up is another scenario, no better than the best.
    let r = o.runner_up.expect("a runner-up");
    assert_ne!(
        o.evaluation_of(r).unwrap().text,
        o.evaluation_of(best).unwrap().text
    );
    assert!(o.evaluation_of(r).unwrap().objective.mean <= reported);
}

/// Bad `[optimise]` tables are refused before any run: exit 2, one line naming the key.
#[test]
fn a_bad_optimise_table_is_refused_with_its_key() {
    let rows: [(&str, &str, &[&str]); 4] = [
        (
            "[optimise]\nobjective = \"revenue\"\n",
            "",
            &["optimise.objective", "incremental_profit"],
        ),
        (
            "[optimise]\nbudget = []\n",
            "",
            &["optimise.budget", "empty"],
        ),
        (
            "[optimise]\n[optimise.bounds]\ncommunity = [90.0, 40.0]\n",
            "",
            &["optimise.bounds.community", "above the upper bound"],
        ),
        (
            "[optimise]\ntiming = [\"always_on\", \"pulse\"]\n",
            "[[phase]]\nstart = 1\nactions = [\"paid\", \"posts\", \"recruit\", \"engage\"]\n",
            &["optimise.timing", "pulse", "phase"],
        ),
    ];
    for (table, phases, words) in rows {
        let (_, file) = scaled("hybrid", &[], &format!("\n{phases}\n{table}"));
        let dir = file.parent().unwrap();
        let out = murmur_in(dir, &["optimise", "hybrid.toml", "--out", "opt"]);
        refused(&out, words);
        assert!(!dir.join("opt").exists(), "{table}");
        // `validate` names the same key.
        refused(&murmur_in(dir, &["validate", "hybrid.toml"]), &words[..1]);
    }
}

/// `run` ignores an `[optimise]` table: its results are those of the scenario without it.
#[test]
fn run_ignores_the_optimise_table() {
    let (text, file) = scaled("social_media", &[("replicates", "replicates = 1")], "");
    let dir = file.parent().unwrap();
    std::fs::write(
        dir.join("with.toml"),
        format!("{text}\n[optimise]\nbudget = [10.0]\n"),
    )
    .unwrap();
    succeeded(&murmur_in(dir, &["validate", "with.toml"]));
    succeeded(&murmur_in(
        dir,
        &["run", "social_media.toml", "--out", "a", "-q"],
    ));
    succeeded(&murmur_in(dir, &["run", "with.toml", "--out", "b", "-q"]));
    for f in ["summary.csv", "timeseries.csv"] {
        let read = |d: &str| std::fs::read(dir.join(d).join(f)).unwrap();
        assert!(read("a") == read("b"), "{f}");
    }
}

/// A classic scenario, and a scenario without a budget or an `[optimise]` table (no
/// default budget levels), are refused before any run, exit 2.
#[test]
fn a_classic_scenario_and_one_without_levels_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = |name: &str| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(name)
            .display()
            .to_string()
    };
    for (name, words) in [
        ("bass_complete.toml", &["marketing scenario"][..]),
        (
            "no_marketing.toml",
            &["optimise.budget", "no [optimise] table"][..],
        ),
    ] {
        let out = murmur_in(dir.path(), &["optimise", &shipped(name), "--out", "o"]);
        refused(&out, words);
        assert!(!dir.path().join("o").exists());
    }
}

/// The command writes the contract files, best.toml, the plots, and a report that opens
/// with the best plans.
#[test]
fn the_optimise_command_writes_its_folder_and_the_report_leads_with_the_best_plans() {
    let (_, file) = scaled(
        "community",
        &[("replicates", "replicates = 2")],
        "\n[optimise]\nbudget = [60.0, 100.0]\ntiming = [\"always_on\"]\nrefine = 0\n",
    );
    let dir = file.parent().unwrap();
    succeeded(&murmur_in(
        dir,
        &["optimise", "community.toml", "--out", "opt", "-q"],
    ));
    let out = dir.join("opt");
    let header = |f: &str| {
        std::fs::read_to_string(out.join(f))
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert!(header("candidates.csv").starts_with(
        "candidate,budget,social_media_share,timing,social_media_spend,community_spend,spend,feasible,objective,objective_mean,objective_low,objective_high"
    ));
    assert!(header("curves.csv").ends_with(",current,spent_per_day"));
    Scenario::from_file(&out.join("best.toml")).expect("best.toml validates");
    for plot in ["response_curves.png", "plan_timeline.png"] {
        assert!(out.join(plot).is_file(), "{plot}");
    }
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    let best = report
        .find("<h3>The best plans</h3>")
        .expect("the best plans");
    assert!(best < report.find("id=\"plots\"").unwrap());
    assert!(report[best..].contains("<td>1</td>"));
}
