//! The advocate programme (`src/engine/marketing/advocates.rs`): what a reward does
//! to an advocate's talk, and who is chosen.

use crate::{advocate_programme, community_strategy, idle_community, quiet_market, spec};
use murmur::engine::Marketing;
use murmur::network::{barabasi_albert, erdos_renyi};
use murmur::population::flag;
use murmur::scenario::marketing::{AdvocateScore, Advocates, Community, MarketingSpec, Reward};

/// Cash no longer acts on the sender: it acts per tie on the receiver's side
/// (`rewards.rs`, tested in `tests/marketing/rewards.rs`). Without the social-capital
/// gain, cash and social-capital advocates say the same thing at the same
/// credibility on the same random numbers.
#[test]
fn a_reward_does_not_change_what_advocates_say() {
    let net = erdos_renyi(3000, 10.0, 7);
    let run = |reward: Reward| {
        let spec = advocate_programme(300, reward);
        let mut m = Marketing::new(&net, &spec, 8, 0);
        m.make_customers(&(0..3000).collect::<Vec<u32>>());
        let (mut talks, mut credibility) = (0usize, 0.0f64);
        for t in 1..=100 {
            m.step(t);
            for v in 0..3000u32 {
                if m.agents().flags[v as usize] & flag::ADVOCATE != 0 {
                    let (sign, cred) = m.talk_of(v);
                    if sign > 0 {
                        talks += 1;
                        credibility += cred as f64;
                    }
                }
            }
        }
        (talks, credibility)
    };
    let social = run(Reward::SocialCapital);
    assert!(social.0 > 1000, "{social:?}");
    assert_eq!(run(Reward::Cash), social);
    assert_eq!(run(Reward::TwoSided), social);
}

/// Mean out-degree of the 100 advocates chosen by `score` among 2,000 customers of a
/// scale-free network.
fn advocates_degree(score: AdvocateScore, seed: u64) -> f64 {
    let net = barabasi_albert(2000, 3, 9);
    let community = Community {
        advocates: Advocates {
            count: 100,
            score,
            ..Advocates::default()
        },
        ..idle_community()
    };
    let spec = MarketingSpec {
        market: quiet_market(),
        ..spec(community_strategy(community))
    };
    let mut m = Marketing::new(&net, &spec, seed, 0);
    m.make_customers(&(0..2000).collect::<Vec<u32>>());
    m.step(1);
    let chosen: Vec<u32> = (0..2000u32)
        .filter(|&v| m.agents().flags[v as usize] & flag::ADVOCATE != 0)
        .collect();
    assert_eq!(chosen.len(), 100);
    chosen
        .iter()
        .map(|&v| net.out.degree(v) as f64)
        .sum::<f64>()
        / 100.0
}

#[test]
fn random_advocates_are_typical_and_low_degree_ones_are_the_fringe() {
    let mean = 2.0 * 3.0; // Barabási–Albert with m = 3
    let degree = advocates_degree(AdvocateScore::Degree, 1);
    let low = advocates_degree(AdvocateScore::LowDegree, 1);
    let random = advocates_degree(AdvocateScore::Random, 1);
    // The fringe: exactly the 100 smallest degrees.
    let net = barabasi_albert(2000, 3, 9);
    let mut degrees: Vec<u32> = (0..2000).map(|v| net.out.degree(v)).collect();
    degrees.sort_unstable();
    assert_eq!(low, degrees[..100].iter().sum::<u32>() as f64 / 100.0);
    assert!(degree > 4.0 * mean, "degree {degree}");
    assert!((random - mean).abs() < 0.3 * mean, "random {random}");
    // The random pick is drawn from the replicate's stream: another seed, others.
    assert_ne!(random, advocates_degree(AdvocateScore::Random, 2));
}
