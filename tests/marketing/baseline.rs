//! The baseline of a marketing run (`strategy.baseline`, `src/engine/mod.rs` and
//! `src/engine/marketing/figures.rs`): each replicate run again with marketing off on
//! the same random numbers, and the `incremental_*` figures of summary.csv against it.

use crate::{read_csv, run_text, scaled_shipped};

/// The last tick's value of `column` in each replicate of a timeseries.csv.
fn last_values(rows: &[std::collections::HashMap<String, String>], column: &str) -> Vec<f64> {
    let mut last: std::collections::BTreeMap<u32, (u32, f64)> = Default::default();
    for row in rows {
        let r: u32 = row["replicate"].parse().unwrap();
        let t: u32 = row["tick"].parse().unwrap();
        let v: f64 = row[column].parse().unwrap();
        let e = last.entry(r).or_insert((t, v));
        if t >= e.0 {
            *e = (t, v);
        }
    }
    last.into_values().map(|(_, v)| v).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn incremental_figures_are_the_run_minus_a_run_without_marketing() {
    let text = scaled_shipped("social_media", 2000, 120, 2);
    let without = text[..text.find("[strategy]").unwrap()].to_string();
    let dir = tempfile::tempdir().unwrap();
    let run = run_text(dir.path(), "run", &text);
    let base = run_text(dir.path(), "base", &without);
    let summary = read_csv(&run.join("summary.csv"));
    let (series, base_series) = (
        read_csv(&run.join("timeseries.csv")),
        read_csv(&base.join("timeseries.csv")),
    );
    let profit = last_values(&series, "cumulative_profit");
    let spend = last_values(&series, "cumulative_spend");
    let customers = last_values(&series, "customers");
    let base_profit = last_values(&base_series, "cumulative_profit");
    let base_customers = last_values(&base_series, "customers");
    assert_eq!(summary.len(), 2);
    for (r, row) in summary.iter().enumerate() {
        let figure = |name: &str| -> f64 { row[name].parse().unwrap() };
        assert!(spend[r] > 0.0);
        let incremental = profit[r] - base_profit[r];
        assert!(close(figure("incremental_profit"), incremental), "{r}");
        assert!(
            close(figure("incremental_roi"), incremental / spend[r]),
            "{r}"
        );
        assert!(close(
            figure("incremental_customers"),
            customers[r] - base_customers[r]
        ));
    }
    // The run without marketing is its own baseline.
    for row in read_csv(&base.join("summary.csv")) {
        assert_eq!(row["incremental_profit"], "0");
        assert_eq!(row["incremental_roi"], "");
    }
}

#[test]
fn without_a_baseline_the_incremental_figures_are_empty() {
    let text = scaled_shipped("social_media", 500, 30, 2)
        .replace("[strategy]\n", "[strategy]\nbaseline = false\n");
    let dir = tempfile::tempdir().unwrap();
    let run = run_text(dir.path(), "run", &text);
    let summary = read_csv(&run.join("summary.csv"));
    assert_eq!(summary.len(), 2);
    for row in summary {
        for name in [
            "incremental_customers",
            "incremental_profit",
            "incremental_roi",
        ] {
            assert_eq!(row[name], "", "{name}");
        }
        assert_ne!(row["cumulative_profit"], "");
    }
}
