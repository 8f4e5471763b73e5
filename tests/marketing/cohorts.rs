//! Cohort retention (`src/engine/marketing/cohorts.rs`): a marketing run writes
//! cohorts.csv with its columns, and its survival shares are shares.

use crate::{read_csv, run_text, scaled_shipped};
use murmur::results::{COHORTS, COHORTS_COLUMNS};

#[test]
fn a_marketing_run_writes_cohort_survival() {
    let text = scaled_shipped("social_media", 1000, 100, 2);
    let dir = tempfile::tempdir().unwrap();
    let run = run_text(dir.path(), "run", &text);
    let path = run.join(COHORTS);
    let header = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        header.lines().next().unwrap(),
        COHORTS_COLUMNS.join(","),
        "cohorts.csv header"
    );
    let rows = read_csv(&path);
    // Horizon 100: cohort 0 has ages 0, 30, 60; cohort 1 ages 0, 30; cohort 2 age 0.
    assert_eq!(rows.len(), 2 * 6);
    for row in &rows {
        let size: u64 = row["size"].parse().unwrap();
        let surviving: u64 = row["surviving"].parse().unwrap();
        assert!(surviving <= size);
        if row["age"] == "0" && size > 0 {
            assert_eq!(surviving, size);
        }
    }
    let manifest = std::fs::read_to_string(run.join("manifest.json")).unwrap();
    assert!(
        manifest.contains(COHORTS),
        "cohorts.csv is listed in the manifest"
    );
}
