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
