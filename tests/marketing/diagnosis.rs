//! The audience-growth versus conversion diagnosis (`src/engine/marketing/diagnosis.rs`):
//! its per-tick counts add up, and the shipped social-media and community scenarios get
//! different verdicts.

use crate::{read_csv, run_text, scaled_shipped};
use std::collections::HashMap;

fn number(row: &HashMap<String, String>, column: &str) -> f64 {
    let cell = &row[column];
    if cell.is_empty() {
        f64::NAN
    } else {
        cell.parse()
            .unwrap_or_else(|e| panic!("{column} = {cell:?}: {e}"))
    }
}

/// The rows of a CSV file, each a map from column name to cell.
type Rows = Vec<HashMap<String, String>>;

/// Runs a shipped scenario at 3,000 agents for 365 ticks, 2 replicates; its summary
/// and time-series rows.
fn run(name: &str) -> (Rows, Rows) {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_text(tmp.path(), name, &scaled_shipped(name, 3000, 365, 2));
    (
        read_csv(&out.join("summary.csv")),
        read_csv(&out.join("timeseries.csv")),
    )
}

#[test]
fn social_media_lacks_conversion_and_a_community_lacks_an_audience() {
    let (social, series) = run("social_media");
    for row in &social {
        assert_eq!(number(row, "diagnosis"), -1.0, "social_media: {row:?}");
        assert!(
            number(row, "follower_lift") > 1.0,
            "followers convert better"
        );
        assert_eq!(number(row, "community_share"), 0.0);
    }
    // Nobody unfollows: the followers at the end are the new followers of every tick.
    for r in ["0", "1"] {
        let rows: Vec<_> = series.iter().filter(|x| x["replicate"] == r).collect();
        let added: f64 = rows.iter().map(|x| number(x, "new_followers")).sum();
        let last = number(rows.last().unwrap(), "followers");
        assert_eq!(added, last - number(rows[0], "followers"));
        assert!(added > 0.0);
    }
    let (community, _) = run("community");
    for row in &community {
        assert_eq!(number(row, "diagnosis"), 1.0, "community: {row:?}");
        assert!(number(row, "follower_conversion").is_nan());
        assert!(number(row, "community_share") > 0.0);
    }
}
