//! Community, social capital and satisfaction (`src/engine/marketing/community.rs`):
//! events and recruitment.

use crate::{community_strategy, idle_community, quiet_market, spec};
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
