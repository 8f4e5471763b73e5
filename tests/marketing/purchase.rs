//! Purchase, repeat purchase and churn (`src/engine/marketing/purchase.rs`).

use crate::{community_strategy, idle_community, quiet_market, spec};
use murmur::engine::Marketing;
use murmur::network::{Csr, Network, erdos_renyi};
use murmur::population::{flag, status};
use murmur::scenario::marketing::{MarketingSpec, Strategy};

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
