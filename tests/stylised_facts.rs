//! The stylised facts of docs/MODEL.md §4.1, one test per row of its table, under the
//! shipped scenarios' defaults.
//!
//! Each test runs 10 replicates of two scenarios with the same seed, so every pair of
//! replicates shares its random numbers (common random numbers), and passes when the
//! mean paired difference a − b is positive and above 3 standard errors.

use murmur::experiment::{self, RunOptions, RunOutcome};
use murmur::scenario::Scenario;
use std::path::Path;
use std::sync::OnceLock;

/// Replicates per scenario.
const REPLICATES: u32 = 10;

/// Runs a shipped scenario (`scenarios/NAME.toml`) with [`REPLICATES`] replicates.
fn run_shipped(name: &str) -> RunOutcome {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"));
    let mut s = Scenario::from_file(&path).expect("shipped scenario is valid");
    s.replicates = REPLICATES;
    experiment::run(s, &path, &RunOptions::default()).expect("run succeeds")
}

/// `social_media`, run once for the two facts that compare it with `community`.
fn social_media() -> &'static RunOutcome {
    static RUN: OnceLock<RunOutcome> = OnceLock::new();
    RUN.get_or_init(|| run_shipped("social_media"))
}

/// `community`, run once for the two facts that compare it with `social_media`.
fn community() -> &'static RunOutcome {
    static RUN: OnceLock<RunOutcome> = OnceLock::new();
    RUN.get_or_init(|| run_shipped("community"))
}

/// Paired differences a − b across replicates (same seeds: common random numbers):
/// mean and standard error.
fn paired(a: &[f64], b: &[f64]) -> (f64, f64) {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

fn at_tick(o: &RunOutcome, column: &str, t: usize) -> Vec<f64> {
    o.series
        .iter()
        .map(|s| s.column(column).unwrap()[t])
        .collect()
}

fn figure(o: &RunOutcome, name: &str) -> Vec<f64> {
    o.series.iter().map(|s| s.figure(name).unwrap()).collect()
}

/// Asserts a − b > 0 with a paired t statistic above 3.
fn assert_leads(what: &str, a: &[f64], b: &[f64]) {
    let (mean, se) = paired(a, b);
    assert!(
        mean > 0.0 && mean > 3.0 * se,
        "{what}: paired difference {mean:.4} with standard error {se:.4}"
    );
}

#[test]
fn social_media_leads_early() {
    assert_leads(
        "customers at tick 30, social media over community",
        &at_tick(social_media(), "customers", 30),
        &at_tick(community(), "customers", 30),
    );
}

#[test]
fn community_leads_retention_and_cumulative_profit_at_the_horizon() {
    let (sm, cm) = (social_media(), community());
    assert_leads(
        "retention at tick 730, community over social media",
        &figure(cm, "retention"),
        &figure(sm, "retention"),
    );
    assert_leads(
        "cumulative profit at tick 730, community over social media",
        &at_tick(cm, "cumulative_profit", 730),
        &at_tick(sm, "cumulative_profit", 730),
    );
}

#[test]
fn social_capital_rewards_beat_cash_in_adoptions_per_referral() {
    let social = run_shipped("advocates_social_capital");
    let cash = run_shipped("advocates_cash");
    assert_leads(
        "advocate adoptions per referral, social capital over cash",
        &figure(&social, "advocate_adoptions_per_referral"),
        &figure(&cash, "advocate_adoptions_per_referral"),
    );
}

#[test]
fn social_media_profits_more_for_a_low_involvement_static_audience() {
    let sm = run_shipped("low_involvement_static_audience");
    let cm = run_shipped("low_involvement_static_audience_community");
    assert_leads(
        "cumulative profit, social media over community",
        &at_tick(&sm, "cumulative_profit", 730),
        &at_tick(&cm, "cumulative_profit", 730),
    );
}
