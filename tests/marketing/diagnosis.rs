//! The audience-growth versus conversion diagnosis (`src/engine/marketing/diagnosis.rs`):
//! its per-tick counts add up, the verdict flips with the audience's inflow in a set-up
//! market, and the shipped social-media and community scenarios get different verdicts.

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

/// The diagnosis and follower lift of 120 ticks of social media (2 a day of paid
/// impressions, posts, clicks that convert readily) in a quiet market where agents
/// 0..1000 already follow, with new follows at chance `follow` per exposure. Over ticks
/// 61–120, at `follow` 0.5 about 480 agents begin to follow while followers convert at
/// about 0.003 a day.
fn set_up_verdict(follow: f64) -> (f64, f64) {
    use crate::{quiet_market, spec};
    use murmur::engine::Marketing;
    use murmur::network::erdos_renyi;
    use murmur::population::flag;
    use murmur::scenario::marketing::{MarketingSpec, SocialMedia, Strategy};
    let net = erdos_renyi(3000, 6.0, 41);
    let strategy = Strategy {
        budget: 2.0,
        social_media: Some(SocialMedia {
            follow,
            click_through: 0.02,
            conversion: 0.3,
            ..SocialMedia::default()
        }),
        ..Strategy::default()
    };
    let spec = MarketingSpec {
        market: quiet_market(),
        ..spec(strategy)
    };
    let mut m = Marketing::new(&net, &spec, 4, 0);
    for v in 0..1000 {
        m.agents_mut().flags[v] |= flag::FOLLOWER | flag::AWARE;
    }
    for t in 1..=120 {
        m.step(t);
    }
    let s = m.finish(false, false, None);
    (
        s.figure("diagnosis").unwrap(),
        s.figure("follower_lift").unwrap(),
    )
}

#[test]
fn an_audience_that_stops_growing_but_converts_lacks_growth() {
    let (still, lift) = set_up_verdict(0.0);
    assert!(lift > 1.0, "followers convert better: {lift}");
    assert_eq!(still, 1.0, "no new followers, followers converting");
    let (growing, lift) = set_up_verdict(0.5);
    assert!(lift > 1.0, "{lift}");
    assert_eq!(
        growing, -1.0,
        "the audience floods in faster than it converts"
    );
}
