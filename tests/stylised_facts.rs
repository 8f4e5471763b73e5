//! The stylised facts of docs/MODEL.md §4.1, one test per row of its table, under the
//! shipped scenarios' defaults.
//!
//! Each test runs 10 replicates of two scenarios with the same seed, so every pair of
//! replicates shares its random numbers (common random numbers), and passes when the
//! mean paired difference a − b is positive and above 3 standard errors.

use murmur::experiment::{self, RunOptions, RunOutcome};
use murmur::scenario::marketing::{AdvocateScore, MarketingSpec, Reward};
use murmur::scenario::{ModelSpec, NetworkSpec, Scenario};
use std::path::Path;
use std::sync::OnceLock;

/// Replicates per scenario.
const REPLICATES: u32 = 10;

/// Runs a shipped scenario (`scenarios/NAME.toml`) with [`REPLICATES`] replicates.
fn run_shipped(name: &str) -> RunOutcome {
    run_shipped_with(name, |_| {})
}

/// Runs a shipped scenario after `edit` changed its marketing parameters.
fn run_shipped_with(name: &str, edit: impl FnOnce(&mut MarketingSpec)) -> RunOutcome {
    run_shipped_on(name, None, edit)
}

/// Runs a shipped scenario whose network is planted communities, with their
/// `mixing` (share of ties across communities, weak ties) set when given, after
/// `edit` changed its marketing parameters.
fn run_shipped_on(
    name: &str,
    mixing: Option<f64>,
    edit: impl FnOnce(&mut MarketingSpec),
) -> RunOutcome {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.toml"));
    let mut s = Scenario::from_file(&path).expect("shipped scenario is valid");
    s.replicates = REPLICATES;
    if let (Some(m), NetworkSpec::Communities { mixing, .. }) = (mixing, &mut s.network.spec) {
        *mixing = m;
    }
    if let ModelSpec::Marketing(spec) = &mut s.model {
        edit(spec);
    }
    experiment::run(s, &path, &RunOptions::default()).expect("run succeeds")
}

/// Advocate-sourced adoptions over the run, per replicate.
fn advocate_adoptions(o: &RunOutcome) -> Vec<f64> {
    o.series
        .iter()
        .map(|s| s.column("new_advocate").unwrap().iter().sum())
        .collect()
}

/// Switches off every way the community makes its customers stay: the membership
/// churn factors, and the satisfaction it adds through bond value, responses to
/// contributions and co-created quality.
fn no_community_loyalty(spec: &mut MarketingSpec) {
    no_community_loyalty_but_contagion(spec);
    spec.market.contagion.effect = 0.0;
}

/// The same, with churn contagion still on (it is no loyalty mechanism: it acts
/// through the density of customers around a customer, whatever the strategy).
fn no_community_loyalty_but_contagion(spec: &mut MarketingSpec) {
    spec.market.retention.member_factor = 1.0;
    spec.market.retention.active_factor = 1.0;
    spec.market.satisfaction.bond = 0.0;
    spec.market.satisfaction.response = 0.0;
    if let Some(c) = &mut spec.strategy.community {
        c.cocreation.quality_gain = 0.0;
    }
}

/// `social_media`, run once for the two facts that compare it with `community`.
fn social_media() -> &'static RunOutcome {
    static RUN: OnceLock<RunOutcome> = OnceLock::new();
    RUN.get_or_init(|| run_shipped("social_media"))
}

/// `community`, run once for the two facts that compare it with `social_media`.
fn community() -> &'static RunOutcome {
    static RUN: OnceLock<RunOutcome> = OnceLock::new();
    RUN.get_or_init(|| run_shipped("community"))
}

/// Paired differences a − b across replicates (same seeds: common random numbers):
/// mean and standard error.
fn paired(a: &[f64], b: &[f64]) -> (f64, f64) {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

fn at_tick(o: &RunOutcome, column: &str, t: usize) -> Vec<f64> {
    o.series
        .iter()
        .map(|s| s.column(column).unwrap()[t])
        .collect()
}

fn figure(o: &RunOutcome, name: &str) -> Vec<f64> {
    o.series.iter().map(|s| s.figure(name).unwrap()).collect()
}

/// Asserts a − b > 0 with a paired t statistic above 3.
fn assert_leads(what: &str, a: &[f64], b: &[f64]) {
    let (mean, se) = paired(a, b);
    assert!(
        mean > 0.0 && mean > 3.0 * se,
        "{what}: paired difference {mean:.4} with standard error {se:.4}"
    );
}

#[test]
fn social_media_leads_early() {
    assert_leads(
        "customers at tick 30, social media over community",
        &at_tick(social_media(), "customers", 30),
        &at_tick(community(), "customers", 30),
    );
}

/// Mechanisms: members churn at `member_factor`, active members at `active_factor`
/// of a non-member's hazard (Algesheimer et al. 2005), and the community raises
/// satisfaction, which lowers every customer's hazard, through bond value
/// (`satisfaction.bond`), responses (`satisfaction.response`) and co-created quality.
#[test]
fn community_customers_churn_less_per_customer_day() {
    assert_leads(
        "churn per customer-day, social media over community",
        &figure(social_media(), "churn_hazard"),
        &figure(community(), "churn_hazard"),
    );
}

/// The flip: with those mechanisms off, and churn contagion off, community customers
/// are retained like social media's at equal age (`retention_365`, by cohort: the
/// paired 95% interval holds 0), and at least 90% of the community's lower hazard per
/// customer-day goes. The rest is a tenure effect, not loyalty: customers differ in
/// satisfaction, the less satisfied leave first, so older customers churn less
/// (dynamic selection; Vaupel, Manton & Stallard 1979), and the community's customers,
/// won in a burst, are older at the end than social media's, won steadily.
///
/// Contagion is kept out of this comparison because it is not loyalty, and it turns
/// the result over: with the loyalty mechanisms off but contagion on (Nitzan & Libai
/// 2011, `market.contagion`), community customers are retained *less* than social
/// media's, by more than 3 standard errors. The community wins about twice as many
/// customers, so each customer has more customer neighbours whose defections raise
/// its hazard.
#[test]
fn without_its_loyalty_mechanisms_community_customers_are_retained_like_social_media_s() {
    let (on, _) = paired(
        &figure(social_media(), "churn_hazard"),
        &figure(community(), "churn_hazard"),
    );
    let sm = run_shipped_with("social_media", no_community_loyalty);
    let cm = run_shipped_with("community", no_community_loyalty);
    let (a, b) = (figure(&cm, "retention_365"), figure(&sm, "retention_365"));
    let (diff, se) = paired(&a, &b);
    assert!(
        diff.abs() <= 1.96 * se,
        "retention_365 community − social media: {diff} ± {se}"
    );
    let (off, se) = paired(&figure(&sm, "churn_hazard"), &figure(&cm, "churn_hazard"));
    assert!(on > 0.0);
    assert!(
        off.abs() < 0.1 * on,
        "hazard lead {off} ± {se} without, {on} with"
    );
    let sm = run_shipped_with("social_media", no_community_loyalty_but_contagion);
    let cm = run_shipped_with("community", no_community_loyalty_but_contagion);
    assert_leads(
        "retention_365 with contagion and without loyalty, social media over community",
        &figure(&sm, "retention_365"),
        &figure(&cm, "retention_365"),
    );
}

/// Mechanisms: paid reach is bought every day from launch while the community grows
/// through recruitment and its members' talk, then keeps its customers longer. Which
/// strategy earns more depends on the horizon: social media at half a year, the
/// community at two years (the lead changes near day 293 under the defaults).
#[test]
fn social_media_leads_profit_at_half_a_year_and_community_at_two() {
    let (sm, cm) = (social_media(), community());
    assert_leads(
        "cumulative profit at tick 180, social media over community",
        &at_tick(sm, "cumulative_profit", 180),
        &at_tick(cm, "cumulative_profit", 180),
    );
    assert_leads(
        "cumulative profit at tick 730, community over social media",
        &at_tick(cm, "cumulative_profit", 730),
        &at_tick(sm, "cumulative_profit", 730),
    );
}

/// The flip that decides the headline: the community's lead at two years rests on
/// recruiting people who have not heard of the brand (`unaware_recruitment`, an
/// assumption). Without it at least 90% of the community's lead in incremental profit
/// over social media at day 730 goes, and the community is no longer ahead by more than
/// 3 standard errors. (Before social dollars, the review stock and the brand's
/// reputation were modelled social media then earned more; those mechanisms favour the
/// community, and the two now end level within their interval.)
#[test]
fn without_recruiting_the_unaware_the_community_loses_its_lead() {
    let cm = run_shipped_with("community", |spec| {
        if let Some(c) = &mut spec.strategy.community {
            c.unaware_recruitment = 0.0;
        }
    });
    let sm = figure(social_media(), "incremental_profit");
    assert_leads(
        "incremental profit at tick 730, community over social media under the defaults",
        &figure(community(), "incremental_profit"),
        &sm,
    );
    let (lead, _) = paired(&figure(community(), "incremental_profit"), &sm);
    let (left, se) = paired(&figure(&cm, "incremental_profit"), &sm);
    assert!(
        left < 0.1 * lead && left < 3.0 * se,
        "community without unaware recruitment over social media: {left:.0} ± {se:.0}, \
         against a lead of {lead:.0} under the defaults"
    );
}

/// Mechanisms: only agents in the category buy (`potential`, `need_rate`), and the
/// competitor keeps customers of its own: without marketing the brand saturates
/// neither the population nor its category.
#[test]
fn without_marketing_the_brand_stays_below_its_market_and_the_competitor_sells() {
    let o = run_shipped("no_marketing");
    for s in &o.series {
        let ever = s.figure("ever_adopted").unwrap();
        let in_market = *s.column("in_market").unwrap().last().unwrap();
        let rivals = *s.column("competitor_customers").unwrap().last().unwrap();
        assert!(
            ever < in_market,
            "ever adopted {ever}, in the category {in_market}"
        );
        assert!(rivals > 0.0);
    }
}

#[test]
fn social_capital_rewards_beat_cash_in_adoptions_per_referral() {
    let social = run_shipped("advocates_social_capital");
    let cash = run_shipped("advocates_cash");
    assert_leads(
        "advocate adoptions per referral, social capital over cash",
        &figure(&social, "advocate_adoptions_per_referral"),
        &figure(&cash, "advocate_adoptions_per_referral"),
    );
}

/// Mechanism (`rewards.rs`): a cash reward raises reach most over weak ties and is
/// discounted most over them (Ryu & Feick 2007; Verlegh et al. 2013). The tie mix
/// decides by how much social capital beats cash per referral: its lead with 80% of
/// ties across communities exceeds its lead with 5% (paired over replicates: the
/// difference of the two leads, t > 3). Under the defaults the ranking itself does
/// not flip at either mix (docs/MODEL.md §4.1).
#[test]
fn weak_ties_widen_social_capital_s_lead_over_cash_per_referral() {
    let lead = |mixing: f64| {
        let run = |reward: Reward| {
            run_shipped_on("advocates_cash", Some(mixing), |spec| {
                spec.strategy.baseline = false;
                spec.strategy.community.as_mut().unwrap().advocates.reward = reward;
            })
        };
        let social = figure(
            &run(Reward::SocialCapital),
            "advocate_adoptions_per_referral",
        );
        let cash = figure(&run(Reward::Cash), "advocate_adoptions_per_referral");
        social
            .iter()
            .zip(&cash)
            .map(|(s, c)| s - c)
            .collect::<Vec<f64>>()
    };
    assert_leads(
        "social capital's lead over cash in advocate adoptions per referral, weak over strong ties",
        &lead(0.8),
        &lead(0.05),
    );
}

/// Hinz, Skiera, Barrot & Becker (2011): seeding the best-connected beats random
/// seeding, which beats seeding the fringe, and high-degree seeding was up to about 8
/// times as successful as low-degree seeding. `advocates_social_capital` with its
/// advocates chosen by degree, betweenness, at random and by low degree, compared
/// on advocate-sourced adoptions (paired, t > 3); best over worst within (1, 8].
/// High-betweenness seeding is about as good as high-degree seeding (within 10%) when
/// betweenness is estimated from 512 pivots; the default 32 pivots, a speed setting,
/// rank bridges less well and fall about 11% below degree (docs/MODEL.md §4.1).
#[test]
fn seeding_by_degree_beats_random_which_beats_the_fringe() {
    let run = |score: AdvocateScore| {
        advocate_adoptions(&run_shipped_with("advocates_social_capital", |spec| {
            spec.strategy.baseline = false;
            let advocates = &mut spec.strategy.community.as_mut().unwrap().advocates;
            advocates.score = score;
            advocates.betweenness_samples = 512;
        }))
    };
    let degree = run(AdvocateScore::Degree);
    let betweenness = run(AdvocateScore::Betweenness);
    let random = run(AdvocateScore::Random);
    let low = run(AdvocateScore::LowDegree);
    assert_leads("advocate adoptions, degree over random", &degree, &random);
    assert_leads(
        "advocate adoptions, betweenness over random",
        &betweenness,
        &random,
    );
    assert_leads("advocate adoptions, random over low degree", &random, &low);
    let mean = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
    let ratio = mean(&degree) / mean(&low);
    assert!(ratio > 1.0 && ratio <= 8.0, "best over worst: {ratio:.2}");
    let gap = (mean(&betweenness) - mean(&degree)).abs() / mean(&degree);
    assert!(gap < 0.1, "betweenness against degree: {gap:.3} apart");
}

#[test]
fn social_media_profits_more_for_a_low_involvement_static_audience() {
    let sm = run_shipped("low_involvement_static_audience");
    let cm = run_shipped("low_involvement_static_audience_community");
    assert_leads(
        "cumulative profit, social media over community",
        &at_tick(&sm, "cumulative_profit", 730),
        &at_tick(&cm, "cumulative_profit", 730),
    );
}

/// Positive over negative word-of-mouth messages received (`positive_messages`,
/// `negative_messages`: instances heard over the network, each talker's message
/// counted once per neighbour it reaches), summed over every tick and replicate.
fn word_of_mouth_ratio(o: &RunOutcome) -> f64 {
    let sum = |column: &str| -> f64 {
        o.series
            .iter()
            .map(|s| s.column(column).unwrap().iter().sum::<f64>())
            .sum()
    };
    sum("positive_messages") / sum("negative_messages")
}

#[test]
fn positive_word_of_mouth_outnumbers_negative_about_three_to_one() {
    // East, Hammond & Wright (2007): positive word of mouth is about three times as
    // common as negative; tolerance 2–4.5 (their categories range about 1.5–6).
    let ratio = word_of_mouth_ratio(social_media());
    assert!(
        (2.0..=4.5).contains(&ratio),
        "positive/negative word of mouth {ratio:.2}, outside 2–4.5"
    );
}
