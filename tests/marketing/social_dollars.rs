//! Social dollars (`src/engine/marketing/social_dollars.rs`): members pay more per
//! purchase, posters more than lurkers and members among members more than isolated
//! ones; non-members pay the price. The default calibration measures Manchanda et
//! al.'s (2015) 19% on the shipped `community` scenario (which leaves the keys at
//! their defaults).

use crate::{community_strategy, idle_community, quiet_market, run_shipped, spec};
use murmur::engine::Marketing;
use murmur::network::{Csr, Network};
use murmur::population::role;
use murmur::scenario::marketing::{MarketingSpec, SocialDollars};

#[test]
fn posters_and_members_among_members_spend_more_and_non_members_pay_the_price() {
    // Pairs (0, 1), (2, 3), (4, 5), (6, 7): all customers, one purchase each at tick
    // 30. Members: 2 (lurker, partner not a member), 4 (contributor, partner not a
    // member), 6 and 7 (lurkers, each other's only neighbour).
    let net = Network::undirected(Csr::undirected(8, &[(0, 1), (2, 3), (4, 5), (6, 7)]));
    let p = SocialDollars {
        lurker: 0.1,
        poster: 0.3,
        ties: 0.2,
    };
    let mut market = quiet_market();
    market.social_dollars = p.clone();
    let spec = MarketingSpec {
        market,
        ..spec(community_strategy(idle_community()))
    };
    let mut m = Marketing::new(&net, &spec, 3, 0);
    m.make_customers(&(0..8).collect::<Vec<u32>>());
    m.make_members(&[2, 4, 6, 7]);
    for (i, r) in [
        (2, role::LURKER),
        (4, role::CONTRIBUTOR),
        (6, role::LURKER),
        (7, role::LURKER),
    ] {
        m.agents_mut().role[i] = r;
    }
    for t in 1..=30 {
        m.step(t);
    }
    let price = spec.market.price;
    let revenue = |i: usize| m.agents().revenue[i] as f64;
    let close = |a: f64, b: f64| (a - b).abs() < 1e-4;
    // Non-members pay the price, members more.
    for i in [0, 1, 3, 5] {
        assert_eq!(revenue(i), price, "agent {i}");
    }
    assert!(close(revenue(2), price * 1.1), "lurker {}", revenue(2));
    assert!(close(revenue(4), price * 1.3), "poster {}", revenue(4));
    assert!(
        close(revenue(6), price * 1.3),
        "lurker among members {}",
        revenue(6)
    );
    let total: f64 = (0..8).map(revenue).sum();
    assert!(close(m.last("revenue").unwrap(), total));
    let members: f64 = [2, 4, 6, 7].into_iter().map(revenue).sum();
    assert!(close(m.last("member_revenue").unwrap(), members));
}

#[test]
fn the_default_calibration_measures_manchanda_et_al_s_19_percent() {
    // Manchanda, Packard & Pattabhiramaiah (2015): 19% of community customers'
    // revenue after joining is social dollars. Replicates agree to about 0.001; the
    // tolerance, ±0.02, is the precision the paper's point estimate deserves.
    let o = run_shipped("community", 2);
    for s in &o.series {
        let measured = s.figure("social_dollars").unwrap();
        assert!((measured - 0.19).abs() < 0.02, "social_dollars {measured}");
    }
}
