//! Paid outside influencers (`src/engine/marketing/influencers.rs`): the most-followed
//! non-customers post for a fee from the social-media budget, and their followers
//! adopt.

use crate::{quiet_market, spec};
use murmur::engine::Marketing;
use murmur::network::barabasi_albert;
use murmur::scenario::marketing::{Influencers, MarketingSpec, SocialMedia, Strategy};

/// A social-media strategy of `budget` a tick that buys no impressions (a huge
/// `cpm`) and posts nothing, with `count` influencers posting daily at 10 a post.
fn influencer_spec(budget: f64, count: u32) -> MarketingSpec {
    let social = SocialMedia {
        cpm: 1e9,
        posts_per_tick: 0.0,
        influencers: Influencers {
            count,
            fee: 10.0,
            posts_per_week: 7.0,
            credibility: 0.3,
        },
        ..SocialMedia::default()
    };
    MarketingSpec {
        market: quiet_market(),
        ..spec(Strategy {
            budget,
            social_media: Some(social),
            ..Strategy::default()
        })
    }
}

#[test]
fn the_budget_pays_the_most_followed_non_customers_per_post() {
    let net = barabasi_albert(2000, 3, 5);
    let spec = influencer_spec(30.0, 5);
    let mut m = Marketing::new(&net, &spec, 1, 0);
    let mut by_degree: Vec<u32> = (0..2000).collect();
    by_degree.sort_by_key(|&v| (std::cmp::Reverse(net.out.degree(v)), v));
    // The best-connected agent is a customer: it is not hired.
    m.make_customers(&by_degree[..1]);
    m.step(1);
    // Everyone else is silent in a quiet market: the talkers are the posters, the
    // first three hired (30 pays three posts at 10), in order of followers.
    let talkers: Vec<u32> = (0..2000).filter(|&v| m.talk_of(v).0 > 0).collect();
    let mut expected = by_degree[1..4].to_vec();
    expected.sort_unstable();
    assert_eq!(talkers, expected);
    assert_eq!(m.talk_of(expected[0]).1, 0.3);
    assert_eq!(m.last("spend"), Some(30.0));
}

#[test]
fn sponsored_posts_bring_adopters_through_followers() {
    let net = barabasi_albert(2000, 3, 5);
    let adopted = |count: u32| {
        let spec = influencer_spec(100.0, count);
        let mut m = Marketing::new(&net, &spec, 2, 0);
        let mut total = 0.0;
        for t in 1..=60 {
            m.step(t);
            total += m.last("new_influencer").unwrap();
        }
        total
    };
    assert_eq!(adopted(0), 0.0);
    assert!(adopted(10) > 0.0);
}
