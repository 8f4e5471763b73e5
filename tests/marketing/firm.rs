//! The firm and its budget (`src/engine/marketing/firm.rs`): co-creation quality.

use crate::{community_strategy, idle_community, quiet_market, spec};
use murmur::engine::Marketing;
use murmur::network::erdos_renyi;
use murmur::scenario::marketing::{Cocreation, Community, Market, MarketingSpec};

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
