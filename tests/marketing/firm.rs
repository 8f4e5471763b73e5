//! The firm and its budget (`src/engine/marketing/firm.rs`): co-creation quality, and what
//! community money buys.

use crate::{community_strategy, idle_community, quiet_market, spec};
use murmur::engine::Marketing;
use murmur::network::erdos_renyi;
use murmur::scenario::marketing::{Cocreation, Community, Market, MarketingSpec, Strategy};

#[test]
fn cocreation_raises_quality_and_non_members_satisfaction() {
    let net = erdos_renyi(4000, 6.0, 2);
    let run = |gain: f64| {
        let community = Community {
            recruitment: 0.0,
            contribution: 0.2,
            cocreation: Cocreation {
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

/// Customers, spend and unspent money at tick 365 of a community-only strategy on
/// `budget` a day, summed over three replicates (common random numbers).
fn community_budget_run(budget: f64) -> (f64, f64, f64) {
    let net = erdos_renyi(3000, 8.0, 31);
    let mut community = Community::default();
    community.events.interval = 0;
    community.reviews.survey_interval = 0;
    community.advocates.count = 0;
    let strategy = Strategy {
        budget,
        ..community_strategy(community)
    };
    let spec = spec(strategy);
    let (mut customers, mut spend, mut unspent) = (0.0, 0.0, 0.0);
    for r in 0..3 {
        let mut m = Marketing::new(&net, &spec, 41, r);
        for t in 1..=365 {
            m.step(t);
        }
        customers += m.last("customers").unwrap();
        spend += m.last("cumulative_spend").unwrap();
        unspent += m.last("unspent").unwrap();
    }
    (customers, spend, unspent)
}

#[test]
fn more_community_money_buys_more_customers_with_diminishing_returns() {
    let runs: Vec<(f64, f64, f64)> = [50.0, 100.0, 200.0, 400.0]
        .into_iter()
        .map(community_budget_run)
        .collect();
    for pair in runs.windows(2) {
        assert!(pair[1].0 > pair[0].0, "customers {runs:?}");
        assert!(pair[1].1 > pair[0].1, "spend {runs:?}");
    }
    // Customers per extra unit of money fall as the budget doubles.
    let per_money = |a: usize, b: usize, extra: f64| (runs[b].0 - runs[a].0) / extra;
    assert!(per_money(0, 1, 50.0) > per_money(1, 2, 100.0), "{runs:?}");
    assert!(per_money(1, 2, 100.0) > per_money(2, 3, 200.0), "{runs:?}");
    // With nothing held back for events or surveys, every unit is spent.
    for run in &runs {
        assert!(run.2.abs() < 1e-6, "unspent {run:?}");
    }
}

/// Advocates and mean affiliation at tick 240, and spend, for a community that puts
/// its free money into event seats and advocates (no campaign), on `budget` a day.
fn seats_and_advocates_run(budget: f64) -> (f64, f64, f64) {
    let net = erdos_renyi(3000, 8.0, 32);
    let mut community = Community {
        event_share: 0.5,
        advocate_share: 0.5,
        ..Community::default()
    };
    community.advocates.count = 5;
    community.reviews.survey_interval = 0;
    let strategy = Strategy {
        budget,
        ..community_strategy(community)
    };
    let mut spec = spec(strategy);
    spec.market.initial_customers = 0.3; // customers enough to seat every advocate
    let mut m = Marketing::new(&net, &spec, 42, 0);
    for t in 1..=240 {
        m.step(t);
    }
    (
        m.last("advocates").unwrap(),
        m.last("affiliation").unwrap(),
        m.last("cumulative_spend").unwrap(),
    )
}

#[test]
fn free_community_money_buys_event_seats_and_advocates() {
    let (small, large) = (
        seats_and_advocates_run(100.0),
        seats_and_advocates_run(400.0),
    );
    assert!(large.0 > small.0 + 5.0, "advocates {small:?} vs {large:?}");
    assert!(large.1 > small.1, "affiliation {small:?} vs {large:?}");
    assert!(large.2 > small.2, "spend {small:?} vs {large:?}");
}
