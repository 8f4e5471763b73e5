//! Word of mouth (`src/engine/marketing/word_of_mouth.rs`): messages shift the
//! receivers' attitude.

use crate::{quiet_market, spec};
use murmur::engine::Marketing;
use murmur::network::erdos_renyi;
use murmur::scenario::marketing::{MarketingSpec, Strategy};

#[test]
fn detractors_lower_and_promoters_raise_their_neighbours_attitude() {
    let net = erdos_renyi(3000, 10.0, 11);
    let run = |satisfaction: f32| {
        let mut market = quiet_market();
        market.word_of_mouth.negative_talk_rate = 0.5;
        market.word_of_mouth.talk_rate = 0.5;
        market.satisfaction.adjustment = 0.0;
        market.purchase.intercept = -50.0;
        let spec = MarketingSpec {
            market,
            ..spec(Strategy::default())
        };
        let mut m = Marketing::new(&net, &spec, 12, 0);
        let talkers: Vec<u32> = (0..600).collect();
        m.make_customers(&talkers);
        for &v in &talkers {
            m.agents_mut().satisfaction[v as usize] = satisfaction;
        }
        let before: f64 = (600..3000)
            .map(|i| m.agents().attitude[i] as f64)
            .sum::<f64>()
            / 2400.0;
        for t in 1..=30 {
            m.step(t);
        }
        let after: f64 = (600..3000)
            .map(|i| m.agents().attitude[i] as f64)
            .sum::<f64>()
            / 2400.0;
        after - before
    };
    let (detractors, promoters) = (run(0.3), run(0.95));
    assert!(
        detractors < -0.05,
        "detractors moved attitude by {detractors}"
    );
    assert!(promoters > 0.05, "promoters moved attitude by {promoters}");
}

/// 600 promoters talk for 30 ticks on `net`; the positive messages heard in all.
fn positive_messages_heard(net: &murmur::network::Network) -> f64 {
    let mut market = quiet_market();
    market.word_of_mouth.talk_rate = 0.5;
    market.purchase.intercept = -50.0;
    let spec = MarketingSpec {
        market,
        ..spec(Strategy::default())
    };
    let mut m = Marketing::new(net, &spec, 12, 0);
    let talkers: Vec<u32> = (0..600).collect();
    m.make_customers(&talkers);
    (1..=30)
        .map(|t| {
            m.step(t);
            m.last("positive_messages").unwrap()
        })
        .sum()
}

#[test]
fn a_tie_of_weight_zero_carries_no_word_of_mouth() {
    let plain = erdos_renyi(3000, 10.0, 11);
    let weighted = |w: &dyn Fn(usize) -> f32| murmur::network::Network {
        weights: Some((0..plain.out.arcs()).map(w).collect()),
        ..plain.clone()
    };
    let heard = positive_messages_heard(&plain);
    assert!(heard > 1000.0, "{heard}");
    // Equal weights are the unweighted network, message for message.
    assert_eq!(positive_messages_heard(&weighted(&|_| 2.5)), heard);
    assert_eq!(positive_messages_heard(&weighted(&|_| 0.0)), 0.0);
    // Only the ties in the rows of receivers 0..1500 carry: some messages, not all.
    let half = plain.out.offsets[1500] as usize;
    let some = positive_messages_heard(&weighted(&|arc| if arc < half { 1.0 } else { 0.0 }));
    assert!(some > 0.0 && some < heard, "{some} of {heard}");
}
