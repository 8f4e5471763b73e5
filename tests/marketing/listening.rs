//! Listening and the customer map (`src/engine/marketing/listening.rs`): the map grows
//! while the firm listens, sharpens involvement targeting and places recruitment
//! campaigns; in the Weber scenario a listening firm out-targets a blind one.

use crate::{community_strategy, idle_community, quiet_market, spec};
use murmur::engine::Marketing;
use murmur::network::erdos_renyi;
use murmur::population::{flag, membership};
use murmur::scenario::marketing::{
    Action, Listening, MarketingSpec, Phase, SocialMedia, Strategy, Targeting,
};
use murmur::scenario::{ModelSpec, Scenario};
use std::path::Path;

/// A listening block that keeps the map at `map` (rate 0).
fn fixed_map(map: f64) -> Listening {
    Listening {
        initial_map: map,
        rate: 0.0,
        cost: 0.0,
    }
}

/// The share of paid impressions that reached high-involvement agents, and that
/// segment's share of the agents, in a quiet market under involvement targeting with
/// a customer map fixed at `map` (20 ticks, no follows, posts or clicks).
fn high_involvement_share(map: f64) -> (f64, f64) {
    let net = erdos_renyi(4000, 6.0, 21);
    let strategy = Strategy {
        budget: 2.0,
        social_media: Some(SocialMedia {
            targeting: Targeting::Involvement,
            follow: 0.0,
            posts_per_tick: 0.0,
            click_through: 0.0,
            ..SocialMedia::default()
        }),
        listening: fixed_map(map),
        ..Strategy::default()
    };
    let spec = MarketingSpec {
        market: quiet_market(),
        ..spec(strategy)
    };
    let mut m = Marketing::new(&net, &spec, 8, 0);
    for t in 1..=20 {
        m.step(t);
    }
    let a = m.agents();
    let (mut high, mut all, mut size) = (0.0, 0.0, 0.0);
    for i in 0..a.len() {
        let involved = a.flags[i] & flag::HIGH_INVOLVEMENT != 0;
        let e = a.exposures[i] as f64;
        all += e;
        if involved {
            high += e;
            size += 1.0;
        }
    }
    (high / all, size / a.len() as f64)
}

#[test]
fn targeting_precision_rises_with_the_customer_map() {
    let (blind, segment) = high_involvement_share(0.0);
    let (half, _) = high_involvement_share(0.5);
    let (mapped, _) = high_involvement_share(1.0);
    // Blind, impressions fall on the segment as on everyone: its share of agents.
    assert!(
        (blind - segment).abs() < 0.03,
        "blind {blind} vs segment {segment}"
    );
    // Mapped, the involved draw about involvement_weight (3) times the others' share.
    let expected = 3.0 * segment / (3.0 * segment + 1.0 - segment);
    assert!(
        (mapped - expected).abs() < 0.03,
        "mapped {mapped} vs {expected}"
    );
    assert!(blind < half && half < mapped, "{blind} < {half} < {mapped}");
}

/// Members after 30 ticks of a community recruiting with a campaign, placed by a firm
/// with a customer map fixed at `map`.
fn members_recruited(map: f64) -> usize {
    let net = erdos_renyi(4000, 6.0, 23);
    let community = idle_community();
    let community = murmur::scenario::marketing::Community {
        recruitment: 0.002,
        campaign_lift: 3.0,
        manager_cost: 40.0,
        ..community
    };
    let strategy = Strategy {
        listening: fixed_map(map),
        ..community_strategy(community)
    };
    let spec = MarketingSpec {
        market: quiet_market(),
        ..spec(strategy)
    };
    let mut m = Marketing::new(&net, &spec, 9, 0);
    for v in 0..4000 {
        m.agents_mut().flags[v] |= flag::AWARE;
    }
    for t in 1..=30 {
        m.step(t);
    }
    let a = m.agents();
    (0..a.len())
        .filter(|&i| a.membership[i] != membership::NONE)
        .count()
}

#[test]
fn recruitment_rises_with_the_customer_map() {
    let (blind, half, mapped) = (
        members_recruited(0.0),
        members_recruited(0.5),
        members_recruited(1.0),
    );
    // The campaign multiplies recruitment by up to 4 when placed, by 1 when blind.
    assert!(
        blind * 2 < mapped && blind < half && half < mapped,
        "{blind} {half} {mapped}"
    );
}

#[test]
fn the_map_grows_only_while_the_firm_listens() {
    let net = erdos_renyi(500, 4.0, 3);
    let strategy = Strategy {
        budget: 1.0,
        social_media: Some(SocialMedia::default()),
        listening: Listening {
            initial_map: 0.0,
            rate: 0.1,
            cost: 2.0,
        },
        ..Strategy::default()
    };
    let spec = MarketingSpec {
        market: quiet_market(),
        phases: vec![Phase {
            name: "listen".into(),
            start: 1,
            end: Some(10),
            actions: vec![Action::Listen],
        }],
        ..spec(strategy)
    };
    let mut m = Marketing::new(&net, &spec, 1, 0);
    assert_eq!(m.last("customer_map"), Some(0.0));
    for t in 1..=10 {
        m.step(t);
    }
    let mapped = 1.0 - 0.9f64.powi(10);
    assert!((m.last("customer_map").unwrap() - mapped).abs() < 1e-12);
    // Listening costs 2 a tick; no paid impressions run outside a phase listing them.
    assert_eq!(m.last("spend"), Some(2.0));
    for t in 11..=20 {
        m.step(t);
    }
    assert!((m.last("customer_map").unwrap() - mapped).abs() < 1e-12);
    assert_eq!(m.last("spend"), Some(0.0));
}

/// The Weber scenario's marketing spec, and the same without its `listen` action (a
/// firm that never builds a map).
fn weber_specs() -> (MarketingSpec, MarketingSpec) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/weber_seven_steps.toml");
    let s = Scenario::from_file(&path).expect("shipped scenario is valid");
    let ModelSpec::Marketing(listening) = s.model else {
        panic!("a marketing scenario");
    };
    let listening = *listening;
    assert!(listening.phases[0].actions.contains(&Action::Listen));
    assert_eq!(listening.strategy.listening.initial_map, 0.0);
    let mut blind = listening.clone();
    for p in &mut blind.phases {
        p.actions.retain(|&a| a != Action::Listen);
    }
    (listening, blind)
}

#[test]
fn a_listening_weber_firm_out_targets_a_blind_one() {
    let (listening, blind) = weber_specs();
    let net = erdos_renyi(3000, 10.0, 31);
    // Step 3 (paid impressions) starts at tick 61: 60 ticks of them by tick 120.
    let run = |spec: &MarketingSpec, r: u64| {
        let mut m = Marketing::new(&net, spec, 2026, r);
        for t in 1..=120 {
            m.step(t);
        }
        let a = m.agents();
        let (mut high, mut all) = (0.0, 0.0);
        for i in 0..a.len() {
            let e = a.exposures[i] as f64;
            all += e;
            if a.flags[i] & flag::HIGH_INVOLVEMENT != 0 {
                high += e;
            }
        }
        let members = m.last("members").unwrap();
        (high / all, members, m.last("customer_map").unwrap())
    };
    for r in 0..4 {
        let (l, b) = (run(&listening, r), run(&blind, r));
        assert!((l.2 - (1.0 - 0.95f64.powi(30))).abs() < 1e-12 && b.2 == 0.0);
        assert!(
            l.0 > b.0 + 0.1,
            "replicate {r}: high-involvement share {l:?} vs {b:?}"
        );
        assert!(l.1 > b.1, "replicate {r}: members {l:?} vs {b:?}");
    }
}
