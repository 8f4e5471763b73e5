//! Rewards through tie strength (`src/engine/marketing/rewards.rs`): a cash reward's
//! referrals reach further over weak ties than over strong ones.

use crate::advocate_programme;
use murmur::engine::Marketing;
use murmur::network::communities;
use murmur::population::{NEVER, Source, status};
use murmur::scenario::CommunitySizes;
use murmur::scenario::marketing::Reward;

/// Prospects referred by advocates over (weak, strong) ties in 20 ticks, when every
/// tenth agent is a customer and an advocate (of 4,000 in 40 communities, half
/// of the ties across them), counting each prospect once a tick.
fn referred(reward: Reward) -> (u64, u64) {
    let net = communities(4000, 40, 10.0, 0.5, &CommunitySizes::Equal, 3);
    let labels = net.community.clone().expect("planted communities");
    let mut spec = advocate_programme(400, reward);
    // Nobody buys: the customers stay the advocates, the prospects stay prospects.
    spec.market.purchase.intercept = -100.0;
    let mut m = Marketing::new(&net, &spec, 11, 0);
    m.make_customers(&(0..4000).step_by(10).collect::<Vec<u32>>());
    let (mut weak, mut strong) = (0, 0);
    for t in 1..=20 {
        m.step(t);
        let a = m.agents_mut();
        for v in 0..a.len() {
            if a.status[v] == status::PROSPECT && a.last_touch[v] == Source::Advocate as u8 {
                let u = a.informant[v] as usize;
                if labels[u] == labels[v] {
                    strong += 1;
                } else {
                    weak += 1;
                }
                a.last_touch[v] = Source::External as u8;
                a.informant[v] = NEVER;
            }
        }
    }
    (weak, strong)
}

/// Defaults: `weak_reach` 2, `strong_reach` 1.2. With common random numbers every
/// contact made without a reward is made with one, so the ratios are close to the
/// factors (a little below: a prospect reached twice counts once).
#[test]
fn cash_referrals_reach_weak_ties_most() {
    let (weak_social, strong_social) = referred(Reward::SocialCapital);
    let (weak_cash, strong_cash) = referred(Reward::Cash);
    let weak = weak_cash as f64 / weak_social as f64;
    let strong = strong_cash as f64 / strong_social as f64;
    assert!(
        weak_social > 200 && strong_social > 200,
        "{weak_social} {strong_social}"
    );
    assert!(
        (1.7..=2.05).contains(&weak),
        "weak ties: cash/social {weak:.3}"
    );
    assert!(
        (1.1..=1.25).contains(&strong),
        "strong ties: cash/social {strong:.3}"
    );
}
