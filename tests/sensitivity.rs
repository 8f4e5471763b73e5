//! `murmur sensitivity` (issue 12, item 1; `src/sensitivity.rs`): Sobol' indices and
//! Morris screening of a scenario's outputs on common random numbers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn murmur(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_murmur"))
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("the murmur binary runs")
}

/// A small social-media market with a `[sensitivity]` table over click-through (read),
/// the talk rate (read) and the fee of outside influencers, whom this strategy never
/// hires (read by no mechanism).
fn scenario(dir: &Path, method: &str) -> PathBuf {
    let text = format!(
        "name = \"sens\"\nticks = 60\nseed = 7\nreplicates = 2\n\n[population]\nsize = 600\n\n\
         [network]\nkind = \"communities\"\ncount = 12\nmean_degree = 8.0\nmixing = 0.2\n\n\
         [model]\nkind = \"marketing\"\n\n[strategy]\nbudget = 50.0\n\n\
         [strategy.social_media]\ntargeting = \"random\"\n\n\
         [sensitivity]\nmethod = \"{method}\"\nsamples = 8\n\n[sensitivity.parameters]\n\
         \"strategy.social_media.click_through\" = [0.002, 0.03]\n\
         \"market.word_of_mouth.talk_rate\" = [0.005, 0.1]\n\
         \"strategy.social_media.influencers.fee\" = [5.0, 200.0]\n"
    );
    let file = dir.join(format!("{method}.toml"));
    std::fs::write(&file, text).unwrap();
    file
}

fn rows(out: &Path) -> (String, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(out.join("sensitivity.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_string();
    (
        header,
        lines
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect(),
    )
}

/// Sobol': the contract columns; a parameter no mechanism reads has a total index of
/// exactly 0 with the interval [0, 0] on every metric (common random numbers make its
/// points identical); one that is read has a positive total index; the file is the same
/// at any thread count.
#[test]
fn sobol_gives_an_unread_parameter_a_total_index_of_zero() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), "sobol");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for (out, threads) in [(&a, "1"), (&b, "2")] {
        let o = murmur(&[
            "sensitivity",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--threads",
            threads,
            "-q",
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let (header, rows) = rows(&a);
    assert_eq!(
        header,
        "metric,parameter,first_order,first_order_low,first_order_high,total,total_low,total_high"
    );
    let fee: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[1] == "strategy.social_media.influencers.fee")
        .collect();
    assert!(fee.len() > 10);
    for r in fee {
        assert_eq!(&r[5..8], ["0", "0", "0"], "{}", r[0]);
    }
    let click = rows
        .iter()
        .find(|r| r[0] == "final_customers" && r[1] == "strategy.social_media.click_through")
        .unwrap();
    assert!(click[5].parse::<f64>().unwrap() > 0.0);
    assert_eq!(
        std::fs::read(a.join("sensitivity.csv")).unwrap(),
        std::fs::read(b.join("sensitivity.csv")).unwrap()
    );
    // 8 · (3 + 2) points.
    let points = std::fs::read_to_string(a.join("sensitivity_points.csv")).unwrap();
    assert_eq!(points.lines().count(), 41);
    assert!(a.join("sensitivity.png").is_file());
}

/// Morris: μ*, σ and μ per parameter; the unread parameter's are exactly 0.
#[test]
fn morris_screens_out_an_unread_parameter() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), "morris");
    let out = dir.path().join("m");
    let o = murmur(&[
        "sensitivity",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (header, rows) = rows(&out);
    assert_eq!(
        header,
        "metric,parameter,mu_star,mu_star_low,mu_star_high,sigma,mu"
    );
    for r in rows
        .iter()
        .filter(|r| r[1] == "strategy.social_media.influencers.fee")
    {
        assert_eq!(&r[2..], ["0", "0", "0", "0", "0"], "{}", r[0]);
    }
    let click = rows
        .iter()
        .find(|r| r[0] == "final_customers" && r[1] == "strategy.social_media.click_through")
        .unwrap();
    assert!(click[2].parse::<f64>().unwrap() > 0.0);
}

/// A bad table is bad input naming its key: exit 2, nothing written.
#[test]
fn a_bad_sensitivity_table_names_its_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), "sobol");
    let text = std::fs::read_to_string(&file).unwrap();
    for (from, to, key) in [
        (
            "method = \"sobol\"",
            "method = \"sobel\"",
            "sensitivity.method",
        ),
        (
            "[0.002, 0.03]",
            "[0.03, 0.002]",
            "sensitivity.parameters.strategy.social_media.click_through",
        ),
        ("samples = 8", "samples = 0", "sensitivity.samples"),
    ] {
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, text.replace(from, to)).unwrap();
        let out = dir.path().join("x");
        let o = murmur(&[
            "sensitivity",
            bad.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{to}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(&format!("key `{key}`")), "{err}");
        assert!(!out.exists());
    }
}

fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `--shard K/N` runs contiguous blocks of the design's points and `murmur merge`
/// joins them into the folder one process writes: the indices, the points and the
/// scenario's own run byte for byte. A missing block is named and nothing is written.
#[test]
fn sharded_sensitivity_merges_into_the_whole_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), "sobol");
    let f = file.to_str().unwrap();
    let at = |name: &str| dir.path().join(name);
    let whole = at("whole");
    ok(murmur(&[
        "sensitivity",
        f,
        "--out",
        whole.to_str().unwrap(),
        "-q",
    ]));
    for k in 1..=3 {
        let out = at(&format!("slice{k}"));
        let said = ok(murmur(&[
            "sensitivity",
            f,
            "--out",
            out.to_str().unwrap(),
            "--shard",
            &format!("{k}/3"),
        ]));
        assert!(said.contains("`murmur merge` joins the slices"), "{said}");
        // A slice estimates nothing; it keeps its points exactly.
        assert!(!out.join("sensitivity.csv").exists());
        assert!(out.join("sensitivity_runs.csv").exists());
    }
    // 8 · (3 + 2) = 40 points: blocks 0–12, 13–25, 26–39.
    let second = read(&at("slice2").join("sensitivity_points.csv"));
    let points: Vec<&str> = second
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(points.first(), Some(&"13"));
    assert_eq!(points.len(), 13);
    let merged = at("merged");
    let (s1, s2, s3) = (at("slice1"), at("slice2"), at("slice3"));
    let said = ok(murmur(&[
        "merge",
        s3.to_str().unwrap(),
        s1.to_str().unwrap(),
        s2.to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]));
    assert!(said.contains("merged the 40 points"), "{said}");
    for name in [
        "sensitivity.csv",
        "sensitivity_points.csv",
        "timeseries.csv",
        "summary.csv",
    ] {
        assert_eq!(read(&merged.join(name)), read(&whole.join(name)), "{name}");
    }
    let gap = at("gap");
    let o = murmur(&[
        "merge",
        s1.to_str().unwrap(),
        s3.to_str().unwrap(),
        "--out",
        gap.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let message = String::from_utf8_lossy(&o.stderr);
    assert!(
        message.contains("points 13–25 are in none of the slices"),
        "{message}"
    );
    assert!(!gap.exists());
}

/// An interrupted analysis keeps its finished points in a hidden journal beside the
/// folder: without `--resume` the folder is refused (naming the journal); with it the
/// kept points are used, not run again (a planted value shows in the results), the
/// journal goes once the folder is written, and a changed scenario is refused.
#[test]
fn an_interrupted_analysis_resumes_from_the_points_it_kept() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), "morris");
    let f = file.to_str().unwrap();
    let whole = dir.path().join("whole");
    ok(murmur(&[
        "sensitivity",
        f,
        "--out",
        whole.to_str().unwrap(),
        "-q",
    ]));
    // The journal an interruption after 5 points leaves: built from a slice's exact
    // points, with the first point's final_customers planted and a last line cut short.
    let slice = dir.path().join("slice");
    ok(murmur(&[
        "sensitivity",
        f,
        "--out",
        slice.to_str().unwrap(),
        "--shard",
        "1/2",
        "-q",
    ]));
    let hash = {
        let info: serde_json::Value =
            serde_json::from_str(&read(&slice.join("sensitivity_slice.json"))).unwrap();
        info["scenario_sha256"].as_str().unwrap().to_string()
    };
    let runs = read(&slice.join("sensitivity_runs.csv"));
    let mut journal =
        format!("# murmur sensitivity points of resolved scenario {hash}\npoint,metric,mean\n");
    for line in runs.lines().skip(1) {
        let point: usize = line.split(',').next().unwrap().parse().unwrap();
        if point < 5 {
            if line.starts_with("0,final_customers,") {
                journal += "0,final_customers,12345\n";
            } else {
                journal += &format!("{line}\n");
            }
        }
    }
    journal += "5,customers_day_30,1"; // cut short by the interruption
    let out = dir.path().join("out");
    let kept = dir.path().join(".out.murmur-sensitivity");
    std::fs::write(&kept, &journal).unwrap();

    let o = murmur(&["sensitivity", f, "--out", out.to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(2));
    let message = String::from_utf8_lossy(&o.stderr);
    assert!(
        message.contains("holds 5 finished point(s)") && message.contains("--resume"),
        "{message}"
    );
    assert!(!out.exists());

    ok(murmur(&[
        "sensitivity",
        f,
        "--out",
        out.to_str().unwrap(),
        "--resume",
        "-q",
    ]));
    assert!(
        !kept.exists(),
        "the journal is removed once the folder is written"
    );
    let points = read(&out.join("sensitivity_points.csv"));
    let header: Vec<&str> = points.lines().next().unwrap().split(',').collect();
    let column = header.iter().position(|c| *c == "final_customers").unwrap();
    let first: Vec<&str> = points.lines().nth(1).unwrap().split(',').collect();
    assert_eq!(first[column], "12345", "point 0 came from the journal");
    // Every point not planted is what one uninterrupted process computed.
    let rest = |text: &str| text.lines().skip(2).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(
        rest(&points),
        rest(&read(&whole.join("sensitivity_points.csv")))
    );

    // Points of another scenario (here: other replicates) are refused.
    std::fs::write(&kept, &journal).unwrap();
    let o = murmur(&[
        "sensitivity",
        f,
        "--out",
        out.to_str().unwrap(),
        "--resume",
        "--replicates",
        "3",
        "-q",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("holds points of another scenario"));
}
