//! Surveys and the review stock (`src/engine/marketing/reviews.rs`).

use crate::{community_strategy, idle_community, quiet_market, run_shipped, spec};
use murmur::engine::Marketing;
use murmur::engine::marketing::SOURCE_COLUMNS;
use murmur::network::erdos_renyi;
use murmur::population::{Source, flag};
use murmur::scenario::marketing::{Ask, MarketingSpec, Reviews, Strategy};

#[test]
fn promoter_reviews_produce_reviews_and_review_sourced_customers() {
    let o = run_shipped("promoter_reviews", 2);
    let reviews: f64 = o
        .series
        .iter()
        .flat_map(|s| s.column("reviews").unwrap())
        .sum();
    let from_reviews: f64 = o
        .series
        .iter()
        .flat_map(|s| s.column(SOURCE_COLUMNS[Source::Review as usize]).unwrap())
        .sum();
    assert!(
        reviews > 0.0 && from_reviews > 0.0,
        "{reviews} reviews, {from_reviews} adopters"
    );
}

/// A quiet market of 3000 agents whose first 1000 are customers of fixed satisfaction
/// `satisfaction` and the rest aware prospects of neutral attitude; returns the last
/// record's `reviews_positive`, `reviews_negative`, `brand_reputation` and the new
/// customers over 120 ticks.
fn unasked_run(satisfaction: f32) -> (f64, f64, f64, f64) {
    let net = erdos_renyi(3000, 8.0, 21);
    let mut market = quiet_market();
    market.satisfaction.adjustment = 0.0;
    market.reviews.unsolicited_positive = 0.02;
    market.reviews.unsolicited_negative = 0.02;
    let spec = MarketingSpec {
        market,
        ..spec(Strategy::default())
    };
    let mut m = Marketing::new(&net, &spec, 22, 0);
    m.make_customers(&(0..1000).collect::<Vec<u32>>());
    for v in 0..3000 {
        let a = m.agents_mut();
        a.flags[v] |= flag::AWARE;
        a.attitude[v] = 0.0;
        if v < 1000 {
            a.satisfaction[v] = satisfaction;
        }
    }
    for t in 1..=120 {
        m.step(t);
    }
    let customers = m.last("customers").unwrap() - 1000.0;
    (
        m.last("reviews_positive").unwrap(),
        m.last("reviews_negative").unwrap(),
        m.last("brand_reputation").unwrap(),
        customers,
    )
}

#[test]
fn detractors_review_unasked_and_their_reviews_cost_conversion() {
    let (pos, neg, rep, bought) = unasked_run(0.3);
    assert!(pos == 0.0 && neg > 100.0, "{pos} positive, {neg} negative");
    assert!(rep < -0.5, "brand reputation {rep}");
    let (pos_p, neg_p, rep_p, bought_p) = unasked_run(0.95);
    assert!(
        neg_p == 0.0 && pos_p > 100.0,
        "{pos_p} positive, {neg_p} negative"
    );
    assert!(rep_p > 0.5, "brand reputation {rep_p}");
    assert!(
        bought < 0.8 * bought_p,
        "{bought} customers after negative reviews, {bought_p} after positive"
    );
}

/// Half the 2000 customers detractors, half promoters, surveyed every tick under
/// `ask`; returns the sums of `not_asked` and the last `reviews_negative` and `rating`.
fn survey_run(ask: Ask) -> (f64, f64, f64) {
    let net = erdos_renyi(2000, 8.0, 23);
    let mut market = quiet_market();
    market.satisfaction.adjustment = 0.0;
    market.reviews.unsolicited_positive = 0.0;
    market.reviews.unsolicited_negative = 0.0;
    let mut community = idle_community();
    community.reviews = Reviews {
        ask,
        survey_interval: 1,
        survey_share: 0.1,
        survey_cost: 0.0,
        acceptance: 0.5,
        ..Reviews::default()
    };
    let spec = MarketingSpec {
        market,
        ..spec(community_strategy(community))
    };
    let mut m = Marketing::new(&net, &spec, 24, 0);
    m.make_customers(&(0..2000).collect::<Vec<u32>>());
    for v in 0..2000 {
        m.agents_mut().satisfaction[v] = if v % 2 == 0 { 0.3 } else { 0.95 };
    }
    let mut not_asked = 0.0;
    for t in 1..=30 {
        m.step(t);
        not_asked += m.last("not_asked").unwrap();
    }
    (
        not_asked,
        m.last("reviews_negative").unwrap(),
        m.last("rating").unwrap(),
    )
}

#[test]
fn asking_only_promoters_hides_detractors_and_raises_the_rating() {
    let (silenced, negative, rating) = survey_run(Ask::Promoters);
    let (silenced_all, negative_all, rating_all) = survey_run(Ask::All);
    assert!(silenced > 2000.0, "{silenced} detractors not asked");
    assert_eq!((negative, rating), (0.0, 1.0));
    assert_eq!(silenced_all, 0.0);
    assert!(negative_all > 100.0, "{negative_all}");
    assert!((rating_all - 0.5).abs() < 0.1, "{rating_all}");
}
