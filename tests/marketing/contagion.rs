//! Churn contagion (`src/engine/marketing/contagion.rs`): customers whose neighbours
//! defected churn more, by the factor the rule gives, on a network of isolated pairs
//! where only the partner's defection differs between customers.

use crate::{community_strategy, idle_community, quiet_market, spec};
use murmur::engine::Marketing;
use murmur::network::{Csr, Network};
use murmur::population::status;
use murmur::scenario::marketing::{Contagion, MarketingSpec};

/// Pairs in the set-up: agent 2k ("leaver") and 2k + 1 ("stayer") are each other's
/// only neighbour.
const PAIRS: usize = 200_000;

/// The churn chances per tick of the stayers whose leaver churned at tick 1 and of
/// those whose leaver never did, at tick `t` (among stayers still customers before it),
/// and the run's `contagious_churns` at tick `t` over what the rule expects at tick 2
/// with the default effect. Every agent is a non-member customer
/// with frozen satisfaction: leavers at 0 (hazard 0.5 per tick), stayers at 0.8
/// (hazard 0.1), so the leavers' defections at tick 1 split the stayers into two groups
/// alike in all but exposure.
fn stayers_churn(contagion: Contagion, t: u32) -> (f64, f64, f64) {
    let edges: Vec<(u32, u32)> = (0..PAIRS as u32).map(|k| (2 * k, 2 * k + 1)).collect();
    let net = Network::undirected(Csr::undirected(2 * PAIRS, &edges));
    let mut market = quiet_market();
    market.retention.churn = 0.25;
    market.satisfaction.adjustment = 0.0;
    market.contagion = contagion;
    let spec = MarketingSpec {
        market,
        ..spec(community_strategy(idle_community()))
    };
    let mut m = Marketing::new(&net, &spec, 11, 0);
    m.make_customers(&(0..2 * PAIRS as u32).collect::<Vec<u32>>());
    for k in 0..PAIRS {
        m.agents_mut().satisfaction[2 * k] = 0.0;
        m.agents_mut().satisfaction[2 * k + 1] = 0.8;
    }
    m.step(1);
    let a = m.agents();
    let left: Vec<bool> = (0..PAIRS)
        .map(|k| a.status[2 * k] != status::CUSTOMER)
        .collect();
    // Leavers still customers whose stayer churned at tick 1: exposed too.
    let exposed_leavers = (0..PAIRS)
        .filter(|&k| !left[k] && a.status[2 * k + 1] != status::CUSTOMER)
        .count() as f64;
    for s in 2..t {
        m.step(s);
    }
    // Stayers still customers before tick t, in group 1 if their leaver churned at
    // tick 1, in group 0 if it has been a customer throughout (a later defection
    // would expose them afresh).
    let a = m.agents();
    let group: Vec<Option<usize>> = (0..PAIRS)
        .map(|k| {
            let stayer = a.status[2 * k + 1] == status::CUSTOMER;
            let leaver = a.status[2 * k] == status::CUSTOMER;
            match (stayer, left[k], leaver) {
                (true, true, _) => Some(1),
                (true, false, true) => Some(0),
                _ => None,
            }
        })
        .collect();
    m.step(t);
    let a = m.agents();
    let (mut n, mut churned) = ([0u64; 2], [0u64; 2]);
    for (k, g) in group.iter().enumerate() {
        let Some(g) = *g else { continue };
        n[g] += 1;
        churned[g] += (a.status[2 * k + 1] != status::CUSTOMER) as u64;
    }
    let rate = |g: usize| churned[g] as f64 / n[g] as f64;
    let contagious = m.last("contagious_churns").unwrap();
    // The churns contagion made at tick 2 (0.8 × hazard per exposed customer): the
    // exposed stayers' and leavers'.
    let expected = 0.8 * (0.1 * n[1] as f64 + 0.5 * exposed_leavers);
    (rate(1), rate(0), contagious / expected)
}

#[test]
fn a_fresh_defection_next_door_multiplies_the_hazard_by_the_default_1_8() {
    // Nitzan & Libai (2011): +80% hazard per defecting neighbour. With about 90,000
    // stayers in each group and hazards 0.1 and 0.18, the ratio's standard error is
    // about 0.022; the tolerance, 0.08, is over 3.5 of them.
    let (exposed, unexposed, contagious) = stayers_churn(Contagion::default(), 2);
    let ratio = exposed / unexposed;
    assert!(
        (unexposed - 0.1).abs() < 0.005,
        "unexposed hazard {unexposed}"
    );
    assert!((ratio - 1.8).abs() < 0.08, "hazard ratio {ratio}");
    // The churns contagion made, about 11,000, are what the rule expects (±5%).
    assert!((contagious - 1.0).abs() < 0.05, "{contagious}");
}

#[test]
fn a_defection_s_effect_halves_after_its_half_life_and_is_nil_without_contagion() {
    // Half-life 1 tick: at tick 3 the leaver's defection at tick 1 counts 0.5.
    let halved = Contagion {
        effect: 0.8,
        half_life: 1.0,
    };
    let (exposed, unexposed, _) = stayers_churn(halved, 3);
    let ratio = exposed / unexposed;
    assert!((ratio - 1.4).abs() < 0.08, "hazard ratio {ratio}");
    let off = Contagion {
        effect: 0.0,
        ..Contagion::default()
    };
    let (exposed, unexposed, contagious) = stayers_churn(off, 2);
    assert!(
        (exposed / unexposed - 1.0).abs() < 0.08,
        "{exposed} vs {unexposed}"
    );
    assert_eq!(contagious, 0.0);
}
