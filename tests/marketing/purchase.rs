//! Purchase, repeat purchase and churn (`src/engine/marketing/purchase.rs`).

use crate::{community_strategy, idle_community, quiet_market, spec};
use murmur::engine::Marketing;
use murmur::network::{Csr, Network, erdos_renyi};
use murmur::population::{Source, flag, status};
use murmur::scenario::marketing::{Competitor, MarketingSpec, Strategy};

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

/// Agents 0..500 tied to the ten hubs 1000..1010, agents 500..1000 to the ten hubs
/// 1010..1020: two groups alike but for what their hubs are.
fn two_groups_of_hubs() -> Network {
    let edges: Vec<(u32, u32)> = (0..1000u32)
        .flat_map(|v| {
            let hubs = if v < 500 { 1000 } else { 1010 };
            (hubs..hubs + 10).map(move |h| (v, h))
        })
        .collect();
    Network::undirected(Csr::undirected(1020, &edges))
}

/// A competitor everyone knows from the start, with no customers and no churn.
fn known_competitor() -> Competitor {
    Competitor {
        initial_share: 0.0,
        awareness: 1.0,
        churn: 0.0,
        ..Competitor::default()
    }
}

#[test]
fn adopted_neighbours_raise_the_purchase_probability() {
    // Prospects 0..500 each hear from 10 customers; prospects 500..1000 from 10
    // prospects. Everything else is equal and nobody talks.
    let net = two_groups_of_hubs();
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

/// Sums a recorded column over ticks 1..=t of a model stepped to t.
fn stepped_sum(m: &mut Marketing, ticks: u32, column: &str) -> f64 {
    (1..=ticks)
        .map(|t| {
            m.step(t);
            m.last(column).expect("a marketing column")
        })
        .sum()
}

#[test]
fn outside_the_category_nobody_buys_until_a_need_arrives() {
    let net = erdos_renyi(3000, 6.0, 21);
    let mut market = quiet_market();
    market.purchase.intercept = 10.0; // anyone in the category who knows the brand buys
    market.potential = 0.0;
    let outside = MarketingSpec {
        market: market.clone(),
        ..spec(Strategy::default())
    };
    let mut m = Marketing::new(&net, &outside, 4, 0);
    for v in 0..3000 {
        m.agents_mut().flags[v] |= flag::AWARE;
    }
    assert_eq!(stepped_sum(&mut m, 50, "customers"), 0.0);
    market.need_rate = 0.02;
    let needing = MarketingSpec {
        market,
        ..spec(Strategy::default())
    };
    let mut m = Marketing::new(&net, &needing, 4, 0);
    for v in 0..3000 {
        m.agents_mut().flags[v] |= flag::AWARE;
    }
    for t in 1..=50 {
        m.step(t);
    }
    // 1 − 0.98^50 ≈ 0.64 of agents have come to need the product, and bought.
    let share = m.last("customers").unwrap() / 3000.0;
    assert!((share - (1.0 - 0.98f64.powi(50))).abs() < 0.03, "{share}");
    assert_eq!(m.last("in_market"), m.last("customers"));
}

#[test]
fn a_known_competitor_of_equal_appeal_takes_an_equal_share() {
    let net = erdos_renyi(6000, 6.0, 22);
    let mut market = quiet_market();
    market.purchase.peer = 0.0;
    market.purchase.intercept = -2.0;
    market.competitor = vec![Competitor {
        appeal: 0.0,
        price: market.price,
        ..known_competitor()
    }];
    let spec = MarketingSpec {
        market,
        ..spec(Strategy::default())
    };
    let mut m = Marketing::new(&net, &spec, 5, 0);
    for v in 0..6000 {
        m.agents_mut().flags[v] |= flag::AWARE;
        m.agents_mut().attitude[v] = 0.0;
    }
    for t in 1..=30 {
        m.step(t);
    }
    let (brand, rival) = (
        m.last("customers").unwrap(),
        m.last("competitor_customers").unwrap(),
    );
    assert!(brand > 2000.0 && rival > 2000.0, "{brand} vs {rival}");
    assert!((brand / rival - 1.0).abs() < 0.1, "{brand} vs {rival}");
}

#[test]
fn churned_customers_are_won_back_or_lost_to_a_competitor() {
    let net = erdos_renyi(4000, 6.0, 23);
    let mut market = quiet_market();
    market.retention.churn = 0.02;
    market.purchase.intercept = -3.0;
    market.competitor = vec![known_competitor()];
    let spec = MarketingSpec {
        market,
        ..spec(Strategy::default())
    };
    let mut m = Marketing::new(&net, &spec, 6, 0);
    let all: Vec<u32> = (0..4000).collect();
    m.make_customers(&all);
    let (mut won, mut lost, mut churns) = (0.0, 0.0, 0.0);
    for t in 1..=120 {
        m.step(t);
        won += m.last("won_back").unwrap();
        lost += m.last("lost_to_competitor").unwrap();
        churns += m.last("churns").unwrap();
    }
    assert!(won > 0.0 && lost > 0.0, "won back {won}, lost {lost}");
    assert!(won + lost <= churns);
    // Nobody adopted for the first time: the win-backs are not new customers.
    assert_eq!(m.last("customers").unwrap(), 4000.0 - churns + won);
}

#[test]
fn unreached_prospects_forget_at_the_half_life_of_their_last_touch() {
    let net = erdos_renyi(6000, 6.0, 24);
    let mut market = quiet_market();
    market.purchase.intercept = -50.0; // nobody buys
    market.forgetting.word_of_mouth = 10.0;
    let spec = MarketingSpec {
        market,
        ..spec(Strategy::default())
    };
    let mut m = Marketing::new(&net, &spec, 7, 0);
    for v in 0..6000 {
        m.agents_mut().flags[v] |= flag::AWARE;
        m.agents_mut().last_touch[v] = Source::WordOfMouth as u8;
    }
    for v in 3000..6000 {
        m.agents_mut().last_touch[v] = Source::External as u8; // never forgotten here
    }
    for t in 1..=10 {
        m.step(t);
    }
    let a = m.agents();
    let aware = |r: std::ops::Range<usize>| r.filter(|&i| a.flags[i] & flag::AWARE != 0).count();
    let half = aware(0..3000) as f64 / 3000.0;
    assert!((half - 0.5).abs() < 0.03, "{half}");
    assert_eq!(aware(3000..6000), 3000);
}

#[test]
fn adoptions_the_peer_term_decided_are_credited_to_peers() {
    // Prospects 0..500 hear from 10 customers each, know the brand from outside and
    // nothing else: some adoptions happen only because of the peer term.
    let n = 1010;
    let edges: Vec<(u32, u32)> = (0..1000u32)
        .flat_map(|v| (1000..1010).map(move |h| (v, h)))
        .collect();
    let net = Network::undirected(Csr::undirected(n, &edges));
    let run = |peer: f64| {
        let mut market = quiet_market();
        market.purchase.intercept = -4.0;
        market.purchase.peer = peer;
        let spec = MarketingSpec {
            market,
            ..spec(Strategy::default())
        };
        let mut m = Marketing::new(&net, &spec, 8, 0);
        m.make_customers(&(1000..1010).collect::<Vec<u32>>());
        for v in 0..1000 {
            m.agents_mut().flags[v] |= flag::AWARE;
            m.agents_mut().attitude[v] = 0.0;
        }
        let peers = stepped_sum(&mut m, 20, "new_peers");
        (peers, m.last("customers").unwrap())
    };
    let (peers, _) = run(4.0);
    let (none, _) = run(0.0);
    assert!(peers > 100.0, "{peers}");
    assert_eq!(none, 0.0);
}

#[test]
fn a_competitor_s_customers_draw_their_neighbours_to_it() {
    // Prospects 0..500 hear from 10 competitor customers each, 500..1000 from 10
    // prospects; none knows the brand, all know the competitor.
    let net = two_groups_of_hubs();
    let mut market = quiet_market();
    market.purchase.intercept = -4.0;
    market.competitor = vec![known_competitor()];
    let spec = MarketingSpec {
        market,
        ..spec(Strategy::default())
    };
    let mut m = Marketing::new(&net, &spec, 9, 0);
    m.make_competitor_customers(&(1000..1010).collect::<Vec<u32>>(), 0);
    for v in 1010..1020 {
        m.agents_mut().flags[v] &= !flag::IN_MARKET; // the other hubs never buy
    }
    for t in 1..=20 {
        m.step(t);
    }
    let a = m.agents();
    let bought = |r: std::ops::Range<usize>| r.filter(|&i| a.status[i] == status::RIVAL).count();
    let (with_peers, without) = (bought(0..500), bought(500..1000));
    assert!(
        with_peers as f64 > 3.0 * without.max(1) as f64,
        "with competitor customers around {with_peers}, without {without}"
    );
    assert_eq!(m.last("customers"), Some(0.0));
}
