//! Community, social capital and satisfaction (`src/engine/marketing/community.rs`):
//! events and recruitment.

use crate::{community_strategy, idle_community, quiet_market, run_shipped, spec};
use murmur::engine::Marketing;
use murmur::network::erdos_renyi;
use murmur::population::{flag, membership};
use murmur::scenario::marketing::{Community, Events, MarketingSpec};

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
fn recruitment_favours_high_involvement() {
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

/// The share of contributions answered and the mean affiliation after 120 ticks of a
/// community whose one affordable manager answers `capacity` contributions a day.
fn answered_run(capacity: f64) -> (f64, f64) {
    let net = erdos_renyi(3000, 8.0, 17);
    let mut community = Community {
        recruitment: 0.0,
        contribution: 0.2,
        responsiveness: 1.0,
        manager_capacity: capacity,
        manager_cost: 1000.0, // the budget pays exactly one manager
        ..idle_community()
    };
    community.advocates.count = 0;
    let spec = MarketingSpec {
        market: quiet_market(),
        ..spec(community_strategy(community))
    };
    let mut m = Marketing::new(&net, &spec, 18, 0);
    for v in 0..3000 {
        m.agents_mut().role[v] = murmur::population::role::CONTRIBUTOR;
    }
    m.make_members(&(0..3000).collect::<Vec<u32>>());
    let (mut contributions, mut answered) = (0.0, 0.0);
    for t in 1..=120 {
        m.step(t);
        contributions += m.last("contributions").unwrap();
        answered += m.last("answered").unwrap();
    }
    (answered / contributions, m.last("affiliation").unwrap())
}

#[test]
fn contributions_beyond_manager_capacity_go_unanswered_and_weaken_affiliation() {
    let (few, few_affiliation) = answered_run(50.0);
    let (all, all_affiliation) = answered_run(10_000.0);
    assert!((all - 1.0).abs() < 1e-12, "{all}");
    assert!(few < 0.2, "{few}");
    assert!(
        few_affiliation < all_affiliation,
        "{few_affiliation} vs {all_affiliation}"
    );
}

/// Participation inequality under the default calibration (van Mierlo 2014: in four
/// moderated communities super-users, 1% of members, made 74.7% of the posts and
/// contributors, 9%, made 24.0%; `super_user_factor` = 28 is the ratio of their
/// per-member rates). The shipped community scenario reproduces it within ±0.1. It
/// lands above the calibration, near 0.83, by a mechanism: super-users' many answered
/// contributions raise their affiliation, which raises their contribution rate.
#[test]
fn super_users_make_about_three_quarters_of_contributions_under_the_defaults() {
    let outcome = run_shipped("community", 2);
    let (mut all, mut super_users) = (0.0, 0.0);
    for series in &outcome.series {
        all += series
            .column("contributions")
            .expect("column")
            .iter()
            .sum::<f64>();
        super_users += series
            .column("super_user_contributions")
            .expect("column")
            .iter()
            .sum::<f64>();
    }
    assert!(all > 1000.0, "contributions {all}");
    let share = super_users / all;
    assert!((share - 0.747).abs() < 0.1, "super-users' share {share}");
}

/// The shipped `understaffed_community` (managers answer 5 contributions a day instead
/// of 40) answers a far smaller share of contributions than `community`, and its
/// members end less affiliated: unanswered contributions cost their authors affiliation.
#[test]
fn an_understaffed_community_answers_less_and_bonds_less() {
    let measure = |name: &str| {
        let o = run_shipped(name, 2);
        let (mut contributions, mut answered, mut affiliation) = (0.0, 0.0, 0.0);
        for s in &o.series {
            contributions += s.column("contributions").unwrap().iter().sum::<f64>();
            answered += s.column("answered").unwrap().iter().sum::<f64>();
            affiliation += s.column("affiliation").unwrap().last().unwrap();
        }
        (
            answered / contributions,
            affiliation / o.series.len() as f64,
        )
    };
    let (staffed, bond) = measure("community");
    let (understaffed, weaker) = measure("understaffed_community");
    assert!(
        understaffed < 0.5 * staffed,
        "answered {understaffed} vs {staffed}"
    );
    assert!(weaker < bond, "affiliation {weaker} vs {bond}");
}
