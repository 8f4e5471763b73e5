//! The marketing model in set-up situations: one module per mechanism, with the stem
//! of its source file in `src/engine/marketing/`. Each test sets up the situation
//! directly (a quiet market, an idle community) and switches off unrelated
//! mechanisms. The stylised facts of the shipped scenarios are in
//! `tests/stylised_facts.rs`.

mod advocates;
mod attributes;
mod baseline;
mod brand_reputation;
mod cohorts;
mod community;
mod contagion;
mod diagnosis;
mod event_ties;
mod firm;
mod influencers;
mod listening;
mod purchase;
mod record;
mod reviews;
mod rewards;
mod social_dollars;
mod word_of_mouth;

use murmur::engine::Marketing;
use murmur::experiment::{self, RunOptions, RunOutcome};
use murmur::results;
use murmur::scenario::Scenario;
use murmur::scenario::marketing::{
    Advocates, Community, Events, Forgetting, Market, MarketingSpec, Reward, Strategy,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Runs a shipped scenario (`scenarios/NAME.toml`) with `replicates` replicates.
pub fn run_shipped(name: &str, replicates: u32) -> RunOutcome {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"));
    let mut s = Scenario::from_file(&path).expect("shipped scenario is valid");
    s.replicates = replicates;
    experiment::run(s, &path, &RunOptions::default()).expect("run succeeds")
}

/// The text of a shipped scenario (`scenarios/NAME.toml`) scaled down to `size`
/// agents, `ticks` ticks and `replicates` replicates, its other lines unchanged.
pub fn scaled_shipped(name: &str, size: usize, ticks: u32, replicates: u32) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"));
    let text = std::fs::read_to_string(path).expect("shipped scenario");
    let mut out = String::new();
    for line in text.lines() {
        let set = |key: &str| line.starts_with(&format!("{key} ="));
        let line = if set("ticks") {
            format!("ticks = {ticks}")
        } else if set("replicates") {
            format!("replicates = {replicates}")
        } else if set("size") {
            format!("size = {size}")
        } else {
            line.to_string()
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Writes scenario `text` into `dir` as `NAME.toml`, runs it and writes its results
/// (without plots) into the folder `dir/NAME`, which it returns.
pub fn run_text(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(format!("{name}.toml"));
    std::fs::write(&path, text).unwrap();
    let scenario = Scenario::from_str_at(text, &path).expect("valid scenario");
    let outcome = experiment::run(
        scenario,
        &path,
        &RunOptions {
            quiet: true,
            ..RunOptions::default()
        },
    )
    .expect("run succeeds");
    let out = dir.join(name);
    results::write_run(
        &out,
        &outcome,
        &results::Source::new(&path, text.as_bytes()),
        &results::undecorated,
    )
    .expect("results written");
    out
}

/// The rows of a CSV file, each a map from column name to cell.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|row| {
            let row = row.unwrap();
            header
                .iter()
                .cloned()
                .zip(row.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// A market with a strategy and no phases.
pub fn spec(strategy: Strategy) -> MarketingSpec {
    MarketingSpec {
        market: Market::default(),
        strategy,
        phases: Vec::new(),
    }
}

/// A community-only strategy with a budget of 1000 a tick.
pub fn community_strategy(community: Community) -> Strategy {
    Strategy {
        budget: 1000.0,
        social_media_share: Some(0.0),
        social_media: None,
        community: Some(community),
        ..Strategy::default()
    }
}

/// A quiet market: nobody talks, hears from outside, or churns unless a test says so.
pub fn quiet_market() -> Market {
    let mut m = Market {
        external_awareness: 0.0,
        potential: 1.0,
        need_rate: 0.0,
        competitor: Vec::new(),
        forgetting: Forgetting {
            external: 0.0,
            paid_social: 0.0,
            organic_social: 0.0,
            word_of_mouth: 0.0,
            community: 0.0,
            review: 0.0,
            attitude: 0.0,
        },
        ..Market::default()
    };
    m.word_of_mouth.talk_rate = 0.0;
    m.word_of_mouth.negative_talk_rate = 0.0;
    m.retention.churn = 0.0;
    m.satisfaction.noise = 0.0;
    m
}

/// An advocate programme of `count` seats rewarded with `reward`, without the
/// social-capital gain (so rewards differ only in what they do to talk), in a quiet
/// market where customers talk at 0.05 a tick.
pub fn advocate_programme(count: u32, reward: Reward) -> MarketingSpec {
    let community = Community {
        advocates: Advocates {
            count,
            reward,
            social_capital_gain: 0.0,
            ..Advocates::default()
        },
        ..idle_community()
    };
    let mut market = quiet_market();
    market.word_of_mouth.talk_rate = 0.05;
    MarketingSpec {
        market,
        ..spec(community_strategy(community))
    }
}

/// A community that only exists: no recruitment, events, contributions or advocates.
pub fn idle_community() -> Community {
    Community {
        recruitment: 0.0,
        contribution: 0.0,
        campaign_lift: 0.0,
        events: Events {
            interval: 0,
            ..Events::default()
        },
        ..Community::default()
    }
}

/// Agents for which `pred` holds.
pub fn count(m: &Marketing, pred: impl Fn(usize) -> bool) -> usize {
    (0..m.agents().len()).filter(|&i| pred(i)).count()
}

#[test]
fn shipped_scenarios_without_a_stylised_fact_produce_adopters() {
    for name in [
        "no_marketing",
        "promoter_reviews",
        "honest_reviews",
        "b2b_private_communities",
        "weber_seven_steps",
    ] {
        let o = run_shipped(name, 1);
        let s = &o.series[0];
        assert!(s.figure("ever_adopted").unwrap() > 0.0, "{name}");
    }
}
