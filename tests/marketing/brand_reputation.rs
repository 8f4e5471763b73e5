//! The brand's reputation (`src/engine/marketing/brand_reputation.rs`).

use crate::{community_strategy, idle_community, quiet_market, spec};
use murmur::engine::Marketing;
use murmur::network::erdos_renyi;
use murmur::population::{flag, role, status};
use murmur::scenario::marketing::{Community, MarketingSpec};

/// 3000 contributing members of a community that answers a share `responsiveness`
/// of their contributions, and 3000 aware prospects of neutral attitude; returns the
/// brand's reputation after 120 ticks and the customers it won.
fn responsive_run(responsiveness: f64) -> (f64, f64) {
    let net = erdos_renyi(6000, 8.0, 31);
    let mut community = Community {
        contribution: 0.2,
        responsiveness,
        manager_capacity: 10_000.0,
        ..idle_community()
    };
    community.advocates.count = 0;
    let spec = MarketingSpec {
        market: quiet_market(),
        ..spec(community_strategy(community))
    };
    let mut m = Marketing::new(&net, &spec, 32, 0);
    for v in 0..6000 {
        let a = m.agents_mut();
        a.role[v] = role::CONTRIBUTOR;
        a.flags[v] |= flag::AWARE;
        a.attitude[v] = 0.0;
    }
    m.make_members(&(0..3000).collect::<Vec<u32>>());
    for t in 1..=120 {
        m.step(t);
    }
    let won = (3000..6000)
        .filter(|&v| m.agents().status[v] == status::CUSTOMER)
        .count();
    (m.last("brand_reputation").unwrap(), won as f64)
}

#[test]
fn a_responsive_community_raises_brand_reputation_and_conversion() {
    let (answered, won) = responsive_run(1.0);
    let (ignored, won_ignored) = responsive_run(0.0);
    assert!(
        answered > 0.5,
        "reputation {answered} when every contribution is answered"
    );
    assert!(ignored < -0.5, "reputation {ignored} when none is");
    assert!(
        won > 1.2 * won_ignored,
        "{won} prospects won by a responsive community, {won_ignored} by a silent one"
    );
}
