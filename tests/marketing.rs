//! The marketing model: conservation laws, each mechanism in isolation, and the
//! stylised facts of the literature under the shipped scenarios' defaults.

use murmur::engine::Marketing;
use murmur::experiment::{self, RunOptions, RunOutcome};
use murmur::network::{Csr, Network, erdos_renyi};
use murmur::population::{flag, membership, status};
use murmur::scenario::Scenario;
use murmur::scenario::marketing::{
    Advocates, Community, Events, Market, MarketingSpec, Reward, SocialMedia, Strategy,
};
use std::path::Path;

fn scenario_file(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"))
}

/// Runs a shipped scenario with `replicates` replicates.
fn run_shipped(name: &str, replicates: u32) -> RunOutcome {
    let path = scenario_file(name);
    let mut s = Scenario::from_file(&path).expect("shipped scenario is valid");
    s.replicates = replicates;
    experiment::run(s, &path, &RunOptions::default()).expect("run succeeds")
}

fn spec(strategy: Strategy) -> MarketingSpec {
    MarketingSpec {
        market: Market::default(),
        strategy,
        phases: Vec::new(),
    }
}

fn community_strategy(community: Community) -> Strategy {
    Strategy {
        budget: 1000.0,
        social_media_share: Some(0.0),
        social_media: None,
        community: Some(community),
    }
}

/// A quiet market: nobody talks, hears from outside, or churns unless a test says so.
fn quiet_market() -> Market {
    let mut m = Market {
        external_awareness: 0.0,
        ..Market::default()
    };
    m.word_of_mouth.talk_rate = 0.0;
    m.word_of_mouth.negative_talk_rate = 0.0;
    m.retention.churn = 0.0;
    m.satisfaction.noise = 0.0;
    m
}

/// A community that only exists: no recruitment, events, contributions or advocates.
fn idle_community() -> Community {
    Community {
        recruitment: 0.0,
        contribution: 0.0,
        events: Events {
            interval: 0,
            ..Events::default()
        },
        ..Community::default()
    }
}

fn count(m: &Marketing, pred: impl Fn(usize) -> bool) -> usize {
    (0..m.agents().len()).filter(|&i| pred(i)).count()
}

// ---------------------------------------------------------------- conservation

#[test]
fn every_tick_conserves_agents_sources_and_money() {
    let outcome = run_shipped("hybrid", 2);
    let n = outcome.scenario.population.size as f64;
    for series in &outcome.series {
        let col = |name: &str| {
            series
                .column(name)
                .unwrap_or_else(|| panic!("column {name}"))
        };
        let adopters = series.adopters();
        let sources = [
            "new_external",
            "new_paid_social",
            "new_organic_social",
            "new_word_of_mouth",
            "new_community",
            "new_advocate",
            "new_review",
        ];
        let mut cumulative_revenue = 0.0;
        let mut cumulative_cost = 0.0;
        #[allow(clippy::needless_range_loop)] // t indexes a dozen columns alike
        for t in 0..series.new_adopters.len() {
            let (customers, churned) = (col("customers")[t], col("churned")[t]);
            // prospects + customers + churned = N, and everyone who ever adopted is
            // either still a customer or has churned.
            assert!(customers + churned <= n, "tick {t}");
            assert_eq!(customers + churned, adopters[t] as f64, "tick {t}");
            let by_source: f64 = sources.iter().map(|s| col(s)[t]).sum();
            assert_eq!(by_source, series.new_adopters[t] as f64, "tick {t}");
            for name in [
                "revenue",
                "cost",
                "cumulative_revenue",
                "cumulative_cost",
                "aware",
                "followers",
                "members",
                "quality",
            ] {
                let v = col(name)[t];
                assert!(v.is_finite() && v >= 0.0, "{name} = {v} at tick {t}");
            }
            assert!(col("active_members")[t] <= col("members")[t]);
            assert!(col("members")[t] <= n && col("aware")[t] <= n);
            let sov = col("share_of_voice")[t];
            assert!((0.0..=1.0).contains(&sov));
            cumulative_revenue += col("revenue")[t];
            cumulative_cost += col("cost")[t];
            assert!((col("cumulative_revenue")[t] - cumulative_revenue).abs() < 1e-6);
            assert!((col("cumulative_cost")[t] - cumulative_cost).abs() < 1e-6);
            let profit = cumulative_revenue * 0.5 - cumulative_cost;
            assert!((col("cumulative_profit")[t] - profit).abs() < 1e-6);
        }
        // The hybrid spends at most its budget of 100 a day.
        let days = (series.new_adopters.len() - 1) as f64;
        assert!(cumulative_cost <= 100.0 * days + 1e-6);
        assert!(cumulative_cost > 0.5 * 100.0 * days);
    }
}

#[test]
fn agent_states_partition_the_population_at_every_tick() {
    let net = erdos_renyi(3000, 8.0, 5);
    let mut strategy = community_strategy(Community::default());
    strategy.social_media = Some(SocialMedia::default());
    strategy.social_media_share = Some(0.5);
    strategy.budget = 60.0;
    let spec = spec(strategy);
    let mut m = Marketing::new(&net, &spec, 1, 0);
    for t in 1..=200 {
        m.step(t);
        let a = m.agents();
        let prospects = count(&m, |i| a.status[i] == status::PROSPECT);
        let customers = count(&m, |i| a.status[i] == status::CUSTOMER);
        let churned = count(&m, |i| a.status[i] == status::CHURNED);
        assert_eq!(prospects + customers + churned, 3000);
        assert_eq!(m.last("customers"), Some(customers as f64));
        // Churned agents keep no membership; adopters are aware.
        assert!(
            (0..3000)
                .all(|i| a.status[i] != status::CHURNED || a.membership[i] == membership::NONE)
        );
        assert!(
            (0..3000).all(|i| a.status[i] == status::PROSPECT || a.flags[i] & flag::AWARE != 0)
        );
    }
}

// ------------------------------------------------------------------ mechanisms

#[test]
fn members_churn_less() {
    let net = erdos_renyi(4000, 6.0, 2);
    let mut market = quiet_market();
    market.retention.churn = 0.01;
    let spec = MarketingSpec {
        market,
        ..spec(community_strategy(idle_community()))
    };
    let mut m = Marketing::new(&net, &spec, 3, 0);
    let all: Vec<u32> = (0..4000).collect();
    m.make_customers(&all);
    let members: Vec<u32> = (0..2000).collect();
    m.make_members(&members);
    for t in 1..=120 {
        m.step(t);
    }
    let a = m.agents();
    let churned = |range: std::ops::Range<usize>| {
        range.filter(|&i| a.status[i] == status::CHURNED).count() as f64 / 2000.0
    };
    let (member_churn, other_churn) = (churned(0..2000), churned(2000..4000));
    assert!(
        member_churn < 0.75 * other_churn,
        "members {member_churn}, non-members {other_churn}"
    );
}

#[test]
fn cocreation_raises_quality_and_non_members_satisfaction() {
    let net = erdos_renyi(4000, 6.0, 2);
    let run = |gain: f64| {
        let community = Community {
            recruitment: 0.0,
            contribution: 0.2,
            cocreation: murmur::scenario::marketing::Cocreation {
                idea_share: 0.5,
                quality_gain: gain,
            },
            ..idle_community()
        };
        let spec = MarketingSpec {
            market: quiet_market(),
            ..spec(community_strategy(community))
        };
        let mut m = Marketing::new(&net, &spec, 4, 0);
        m.make_customers(&(0..4000).collect::<Vec<u32>>());
        m.make_members(&(0..1000).collect::<Vec<u32>>());
        for t in 1..=200 {
            m.step(t);
        }
        let a = m.agents();
        let non_member_sat = (1000..4000).map(|i| a.satisfaction[i] as f64).sum::<f64>() / 3000.0;
        (m.quality(), non_member_sat)
    };
    let (q0, s0) = run(0.0);
    let (q1, s1) = run(0.001);
    assert_eq!(q0, Market::default().initial_quality);
    assert!(q1 > q0 + 0.05, "quality {q0} -> {q1}");
    assert!(s1 > s0 + 0.02, "non-members' satisfaction {s0} -> {s1}");
}

#[test]
fn cash_rewards_raise_talk_and_lower_credibility() {
    let net = erdos_renyi(3000, 10.0, 7);
    let run = |reward: Reward| {
        let community = Community {
            advocates: Advocates {
                count: 300,
                reward,
                ..Advocates::default()
            },
            ..idle_community()
        };
        let mut market = quiet_market();
        market.word_of_mouth.talk_rate = 0.05;
        let spec = MarketingSpec {
            market,
            ..spec(community_strategy(community))
        };
        let mut m = Marketing::new(&net, &spec, 8, 0);
        m.make_customers(&(0..3000).collect::<Vec<u32>>());
        let (mut talks, mut credibility) = (0usize, 0.0f64);
        for t in 1..=100 {
            m.step(t);
            for v in 0..3000u32 {
                if m.agents().flags[v as usize] & flag::ADVOCATE != 0 {
                    let (sign, cred) = m.talk_of(v);
                    if sign > 0 {
                        talks += 1;
                        credibility += cred as f64;
                    }
                }
            }
        }
        (talks, credibility / talks.max(1) as f64)
    };
    let (social_talks, social_cred) = run(Reward::SocialCapital);
    let (cash_talks, cash_cred) = run(Reward::Cash);
    assert!(
        // Social capital raises talk too (through reputation), but less than cash.
        cash_talks as f64 > 1.15 * social_talks as f64,
        "talks: cash {cash_talks}, social {social_talks}"
    );
    assert!(
        cash_cred < 0.8 * social_cred,
        "credibility: cash {cash_cred}, social {social_cred}"
    );
}

#[test]
fn adopted_neighbours_raise_the_purchase_probability() {
    // Prospects 0..500 each hear from 10 customers; prospects 500..1000 from 10
    // prospects. Everything else is equal and nobody talks.
    let n = 1020;
    let mut edges = Vec::new();
    for v in 0..1000u32 {
        let hubs = if v < 500 { 1000 } else { 1010 };
        for h in hubs..hubs + 10 {
            edges.push((v, h));
        }
    }
    let net = Network::undirected(Csr::undirected(n, &edges));
    let mut market = quiet_market();
    market.purchase.intercept = -4.0;
    let spec = MarketingSpec {
        market,
        ..spec(Strategy::default())
    };
    let mut m = Marketing::new(&net, &spec, 9, 0);
    m.make_customers(&(1000..1010).collect::<Vec<u32>>());
    for v in 0..1020 {
        m.agents_mut().flags[v] |= flag::AWARE;
        m.agents_mut().attitude[v] = 0.0;
    }
    assert_eq!(m.adopted_share(0), 1.0);
    assert_eq!(m.adopted_share(600), 0.0);
    for t in 1..=20 {
        m.step(t);
    }
    let a = m.agents();
    let bought =
        |range: std::ops::Range<usize>| range.filter(|&i| a.status[i] != status::PROSPECT).count();
    let (with_peers, without) = (bought(0..500), bought(500..1000));
    assert!(
        with_peers as f64 > 3.0 * without.max(1) as f64,
        "with adopted neighbours {with_peers}, without {without}"
    );
}

#[test]
fn events_raise_affiliation() {
    let net = erdos_renyi(2000, 6.0, 3);
    let run = |interval: u32| {
        let community = Community {
            events: Events {
                interval,
                capacity: 2000,
                cost: 0.0,
                ..Events::default()
            },
            ..idle_community()
        };
        let spec = MarketingSpec {
            market: quiet_market(),
            ..spec(community_strategy(community))
        };
        let mut m = Marketing::new(&net, &spec, 5, 0);
        m.make_members(&(0..1000).collect::<Vec<u32>>());
        for t in 1..=90 {
            m.step(t);
        }
        let a = m.agents();
        (0..1000).map(|i| a.affiliation[i] as f64).sum::<f64>() / 1000.0
    };
    let (without, with) = (run(0), run(10));
    assert!(with > without + 0.1, "affiliation {without} -> {with}");
}

#[test]
fn detractors_lower_their_neighbours_attitude() {
    let net = erdos_renyi(3000, 10.0, 11);
    let run = |satisfaction: f32| {
        let mut market = quiet_market();
        market.word_of_mouth.negative_talk_rate = 0.5;
        market.word_of_mouth.talk_rate = 0.5;
        market.satisfaction.adjustment = 0.0;
        market.purchase.intercept = -50.0;
        let spec = MarketingSpec {
            market,
            ..spec(Strategy::default())
        };
        let mut m = Marketing::new(&net, &spec, 12, 0);
        let talkers: Vec<u32> = (0..600).collect();
        m.make_customers(&talkers);
        for &v in &talkers {
            m.agents_mut().satisfaction[v as usize] = satisfaction;
        }
        let before: f64 = (600..3000)
            .map(|i| m.agents().attitude[i] as f64)
            .sum::<f64>()
            / 2400.0;
        for t in 1..=30 {
            m.step(t);
        }
        let after: f64 = (600..3000)
            .map(|i| m.agents().attitude[i] as f64)
            .sum::<f64>()
            / 2400.0;
        after - before
    };
    let (detractors, promoters) = (run(0.3), run(0.95));
    assert!(
        detractors < -0.05,
        "detractors moved attitude by {detractors}"
    );
    assert!(promoters > 0.05, "promoters moved attitude by {promoters}");
}

#[test]
fn recruitment_favours_high_involvement_and_member_neighbours() {
    let net = erdos_renyi(6000, 8.0, 13);
    let community = Community {
        recruitment: 0.002,
        ..idle_community()
    };
    let spec = MarketingSpec {
        market: quiet_market(),
        ..spec(community_strategy(community))
    };
    let mut m = Marketing::new(&net, &spec, 14, 0);
    for v in 0..6000 {
        m.agents_mut().flags[v] |= flag::AWARE;
    }
    for t in 1..=100 {
        m.step(t);
    }
    let a = m.agents();
    let share = |high: bool| {
        let group: Vec<usize> = (0..6000)
            .filter(|&i| (a.flags[i] & flag::HIGH_INVOLVEMENT != 0) == high)
            .collect();
        group
            .iter()
            .filter(|&&i| a.membership[i] != membership::NONE)
            .count() as f64
            / group.len() as f64
    };
    assert!(
        share(true) > 2.0 * share(false),
        "{} vs {}",
        share(true),
        share(false)
    );
}

// ------------------------------------------------------------ stylised facts

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
fn social_media_leads_early_and_community_leads_by_the_horizon() {
    let sm = run_shipped("social_media", 10);
    let cm = run_shipped("community", 10);
    assert_leads(
        "customers at tick 30, social media over community",
        &at_tick(&sm, "customers", 30),
        &at_tick(&cm, "customers", 30),
    );
    assert_leads(
        "retention at tick 730, community over social media",
        &figure(&cm, "retention"),
        &figure(&sm, "retention"),
    );
    assert_leads(
        "cumulative profit at tick 730, community over social media",
        &at_tick(&cm, "cumulative_profit", 730),
        &at_tick(&sm, "cumulative_profit", 730),
    );
}

#[test]
fn social_capital_rewards_beat_cash_in_adoptions_per_referral() {
    let social = run_shipped("advocates_social_capital", 10);
    let cash = run_shipped("advocates_cash", 10);
    assert_leads(
        "advocate adoptions per referral, social capital over cash",
        &figure(&social, "advocate_adoptions_per_referral"),
        &figure(&cash, "advocate_adoptions_per_referral"),
    );
}

#[test]
fn social_media_wins_for_a_low_involvement_static_audience() {
    let sm = run_shipped("low_involvement_static_audience", 10);
    let cm = run_shipped("low_involvement_static_audience_community", 10);
    assert_leads(
        "cumulative profit, social media over community",
        &at_tick(&sm, "cumulative_profit", 730),
        &at_tick(&cm, "cumulative_profit", 730),
    );
}

#[test]
fn every_shipped_marketing_scenario_runs() {
    for name in [
        "no_marketing",
        "promoter_reviews",
        "b2b_private_communities",
        "weber_seven_steps",
    ] {
        let o = run_shipped(name, 1);
        let s = &o.series[0];
        assert!(s.figure("ever_adopted").unwrap() > 0.0, "{name}");
    }
    // The promoter-review flow produces reviews and review-sourced customers.
    let o = run_shipped("promoter_reviews", 2);
    let reviews: f64 = o
        .series
        .iter()
        .flat_map(|s| s.column("reviews").unwrap())
        .sum();
    let from_reviews: f64 = o
        .series
        .iter()
        .flat_map(|s| s.column("new_review").unwrap())
        .sum();
    assert!(
        reviews > 0.0 && from_reviews > 0.0,
        "{reviews} reviews, {from_reviews} adopters"
    );
}
