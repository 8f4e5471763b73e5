//! The advocate programme (`src/engine/marketing/advocates.rs`): what a reward does
//! to an advocate's talk.

use crate::{community_strategy, idle_community, quiet_market, spec};
use murmur::engine::Marketing;
use murmur::network::erdos_renyi;
use murmur::population::flag;
use murmur::scenario::marketing::{Advocates, Community, MarketingSpec, Reward};

#[test]
fn cash_rewards_raise_talk_and_lower_credibility() {
    let net = erdos_renyi(3000, 10.0, 7);
    let run = |reward: Reward| {
        let community = Community {
            advocates: Advocates {
                count: 300,
                reward,
                ..Advocates::default()
            },
            ..idle_community()
        };
        let mut market = quiet_market();
        market.word_of_mouth.talk_rate = 0.05;
        let spec = MarketingSpec {
            market,
            ..spec(community_strategy(community))
        };
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
        (talks, credibility / talks.max(1) as f64)
    };
    let (social_talks, social_cred) = run(Reward::SocialCapital);
    let (cash_talks, cash_cred) = run(Reward::Cash);
    assert!(
        // Social capital raises talk too (through reputation), but less than cash.
        cash_talks as f64 > 1.15 * social_talks as f64,
        "talks: cash {cash_talks}, social {social_talks}"
    );
    assert!(
        cash_cred < 0.8 * social_cred,
        "credibility: cash {cash_cred}, social {social_cred}"
    );
}
