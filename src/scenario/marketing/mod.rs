//! Parameters of the marketing model: the market and its customers (`[market]`), the
//! firm's strategy (`[strategy]`, `[strategy.social_media]`, `[strategy.community]`)
//! and its timeline (`[[phase]]`). Every field has a documented default; defaults,
//! ranges, units and sources are entries of the key catalogue (`scenario::keys`),
//! which renders the table of docs/MODEL.md section 4.9. The range check is in
//! `check`, the timeline of actions in `phase`. A tick is a day.

mod check;
mod phase;

pub use phase::{Action, Phase};

use serde::{Deserialize, Serialize};

/// Everything the marketing model needs besides the network.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MarketingSpec {
    /// The product, its price and its customers' behaviour.
    pub market: Market,
    /// The firm's strategy.
    pub strategy: Strategy,
    /// The timeline of actions; empty means every configured action runs all the time.
    pub phases: Vec<Phase>,
}

macro_rules! defaults {
    ($name:ident { $($field:ident : $value:expr),* $(,)? }) => {
        impl Default for $name {
            fn default() -> Self {
                $name { $($field: $value),* }
            }
        }
    };
}

impl MarketingSpec {
    /// The same market with marketing off: the default strategy (no budget, no social
    /// media, no community) and no phases. The baseline of the `incremental_*`
    /// figures.
    pub fn without_marketing(&self) -> MarketingSpec {
        MarketingSpec {
            market: self.market.clone(),
            strategy: Strategy::default(),
            phases: Vec::new(),
        }
    }

    /// Whether the scenario runs a baseline of its own that differs from it: the
    /// strategy asks for one and marketing is on. With marketing off the run is its
    /// own baseline.
    pub fn runs_baseline(&self) -> bool {
        self.strategy.baseline && *self != self.without_marketing()
    }
}

/// The product and the customers (`[market]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Market {
    /// Price of one purchase (currency units).
    pub price: f64,
    /// Gross margin: share of the price that is profit.
    pub margin: f64,
    /// Ticks between a customer's repeat purchases.
    pub purchase_period: u32,
    /// Product quality at tick 0, in [0, 1].
    pub initial_quality: f64,
    /// Annual discount rate for customer lifetime value.
    pub discount_rate: f64,
    /// Share of agents in the high-involvement segment.
    pub high_involvement_share: f64,
    /// Per-tick chance that an unaware agent hears of the brand from outside the
    /// network (press, shelves): the innovation term.
    pub external_awareness: f64,
    /// Competitors' mentions per agent per tick, the denominator of share of voice.
    pub competitor_mentions: f64,
    /// Share of agents in the product category at tick 0: the market potential. Only
    /// agents in the category buy, from the brand or a competitor.
    pub potential: f64,
    /// Per-tick chance that an agent outside the category comes to need the product
    /// and enters it.
    pub need_rate: f64,
    /// Share of the agents in the category who are the brand's customers at tick 0.
    pub initial_customers: f64,
    /// Share of the initial customers who are community members at tick 0.
    pub initial_members: f64,
    /// The competing brands (`[[market.competitor]]`), at most 8.
    pub competitor: Vec<Competitor>,
    /// How awareness and attitude fade without reinforcement.
    pub forgetting: Forgetting,
    /// Purchase decision.
    pub purchase: Purchase,
    /// Word of mouth.
    pub word_of_mouth: WordOfMouth,
    /// Churn.
    pub retention: Retention,
    /// Satisfaction dynamics.
    pub satisfaction: Satisfaction,
    /// Social capital dynamics.
    pub social_capital: SocialCapital,
    /// Dynamic personas.
    pub personas: Personas,
}

defaults!(Market {
    price: 40.0,
    margin: 0.5,
    purchase_period: 30,
    initial_quality: 0.5,
    discount_rate: 0.1,
    high_involvement_share: 0.3,
    external_awareness: 0.0005,
    competitor_mentions: 0.02,
    potential: 0.6,
    need_rate: 0.0005,
    initial_customers: 0.0,
    initial_members: 0.0,
    competitor: vec![Competitor::default()],
    forgetting: Forgetting::default(),
    purchase: Purchase::default(),
    word_of_mouth: WordOfMouth::default(),
    retention: Retention::default(),
    satisfaction: Satisfaction::default(),
    social_capital: SocialCapital::default(),
    personas: Personas::default(),
});

/// A competing brand (`[[market.competitor]]`): prospects in the category who know it
/// weigh it against the brand in one choice (docs/MODEL.md §4.7.5); its customers
/// leave it at its own hazard and choose again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Competitor {
    /// Label.
    pub name: String,
    /// Share of the agents in the category who buy it at tick 0.
    pub initial_share: f64,
    /// Per-tick chance that an agent in the category who does not know it hears of
    /// it (its share of voice).
    pub awareness: f64,
    /// Its utility against the brand's at a neutral attitude (logit).
    pub appeal: f64,
    /// Its price (currency units), weighed by `market.purchase.price`.
    pub price: f64,
    /// Per-tick chance that one of its customers leaves it.
    pub churn: f64,
}

defaults!(Competitor {
    name: "competitor".into(),
    initial_share: 0.3,
    awareness: 0.002,
    appeal: 0.0,
    price: 40.0,
    churn: 0.002,
});

/// Forgetting (`[market.forgetting]`): an agent who is not a customer and was not
/// reached this tick forgets the brand with the half-life of the channel it last
/// heard from, and its attitude fades toward 0. Half-lives in ticks; 0 means never.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Forgetting {
    /// Awareness from outside the network.
    pub external: f64,
    /// Awareness from paid impressions.
    pub paid_social: f64,
    /// Awareness from posts.
    pub organic_social: f64,
    /// Awareness from peer word of mouth.
    pub word_of_mouth: f64,
    /// Awareness from members' and advocates' talk.
    pub community: f64,
    /// Awareness from reviews.
    pub review: f64,
    /// Attitude of non-customers.
    pub attitude: f64,
}

defaults!(Forgetting {
    external: 21.0,
    paid_social: 5.0,
    organic_social: 5.0,
    word_of_mouth: 21.0,
    community: 21.0,
    review: 21.0,
    attitude: 60.0,
});

/// P(buy) per tick for an aware prospect = logistic(intercept + attitude·(attitude +
/// impulse) + peer·(share of adopted neighbours) + member·[member] − price·price)
/// (`[market.purchase]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Purchase {
    /// Logit intercept.
    pub intercept: f64,
    /// Weight of attitude (including the decaying ad impulse).
    pub attitude: f64,
    /// Weight of the share of adopted neighbours (network externality).
    pub peer: f64,
    /// Extra weight of peers for high-involvement agents (multiplier).
    pub high_involvement_peer: f64,
    /// Weight of community membership.
    pub member: f64,
    /// Weight of price (per currency unit).
    pub price: f64,
}

defaults!(Purchase {
    intercept: -6.5,
    attitude: 4.0,
    peer: 4.0,
    high_involvement_peer: 1.5,
    member: 1.0,
    price: 0.02,
});

/// Word of mouth (`[market.word_of_mouth]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WordOfMouth {
    /// Per-tick chance that a customer of neutral satisfaction talks about the brand.
    pub talk_rate: f64,
    /// How much satisfaction above neutral raises talk (promoters talk more).
    pub satisfaction_talk: f64,
    /// Per-tick chance that a detractor talks negatively.
    pub negative_talk_rate: f64,
    /// Talk multiplier for community members (conversation inside the community).
    pub member_talk: f64,
    /// Talk multiplier per unit of reputation (respected members talk more).
    pub reputation_talk: f64,
    /// Chance that one talk reaches a given neighbour over a strong tie.
    pub reach: f64,
    /// Tie strength across communities (inside a community it is 1).
    pub weak_tie: f64,
    /// Base credibility of a customer talking about the brand.
    pub credibility: f64,
    /// Credibility added per unit of reputation.
    pub reputation_credibility: f64,
    /// Credibility added per unit of knowledge (expertise about the product).
    pub knowledge_credibility: f64,
    /// Attitude shift of a credible (credibility 1) positive message.
    pub attitude_shift: f64,
    /// Attitude shift of a negative message (negativity bias: larger).
    pub negative_shift: f64,
}

defaults!(WordOfMouth {
    talk_rate: 0.03,
    satisfaction_talk: 3.0,
    negative_talk_rate: 0.05,
    member_talk: 2.0,
    reputation_talk: 1.0,
    reach: 0.3,
    weak_tie: 0.3,
    credibility: 0.5,
    reputation_credibility: 0.5,
    knowledge_credibility: 0.3,
    attitude_shift: 0.3,
    negative_shift: 0.4,
});

/// Churn (`[market.retention]`): per-tick churn probability =
/// churn · (1 − satisfaction)/(1 − reference_satisfaction) · (member factor if a member).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Retention {
    /// Per-tick churn probability of a customer of satisfaction 0.5.
    pub churn: f64,
    /// Churn multiplier for community members.
    pub member_factor: f64,
    /// Churn multiplier for active contributors.
    pub active_factor: f64,
    /// The satisfaction at which a non-member's hazard is `churn`.
    pub reference_satisfaction: f64,
}

defaults!(Retention {
    reference_satisfaction: 0.5,
    churn: 0.004,
    member_factor: 0.5,
    active_factor: 0.3,
});

/// Satisfaction (`[market.satisfaction]`): moves each tick toward
/// baseline + quality·(quality − initial quality) + bond·affiliation, plus noise.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Satisfaction {
    /// Satisfaction of a customer with the initial product and no bond.
    pub baseline: f64,
    /// Weight of product quality above its initial level.
    pub quality: f64,
    /// Weight of bond value (affiliation).
    pub bond: f64,
    /// Share of the gap to the target closed each tick.
    pub adjustment: f64,
    /// Standard deviation of each tick's noise.
    pub noise: f64,
    /// Satisfaction boost of a firm response to a member's contribution.
    pub response: f64,
}

defaults!(Satisfaction {
    baseline: 0.72,
    quality: 0.5,
    bond: 0.25,
    adjustment: 0.05,
    noise: 0.03,
    response: 0.02,
});

/// Social capital: reputation, affiliation, knowledge (`[market.social_capital]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SocialCapital {
    /// Per-tick decay of reputation.
    pub reputation_decay: f64,
    /// Per-tick decay of affiliation.
    pub affiliation_decay: f64,
    /// Per-tick decay of knowledge.
    pub knowledge_decay: f64,
    /// Reputation gained per contribution to the community.
    pub contribution_reputation: f64,
    /// Reputation gained when the firm recognises (responds to) a contribution.
    pub recognition_reputation: f64,
    /// Affiliation gained per tick of community conversation.
    pub conversation_affiliation: f64,
    /// Affiliation gained when the firm responds to a contribution.
    pub response_affiliation: f64,
    /// Knowledge gained per tick of community membership (advocates rewarded with
    /// social capital gain knowledge through `social_capital_gain`).
    pub programme_knowledge: f64,
}

defaults!(SocialCapital {
    reputation_decay: 0.01,
    affiliation_decay: 0.01,
    knowledge_decay: 0.005,
    contribution_reputation: 0.05,
    recognition_reputation: 0.05,
    conversation_affiliation: 0.002,
    response_affiliation: 0.03,
    programme_knowledge: 0.005,
});

/// Dynamic personas (`[market.personas]`): each agent has a mix over masks; each tick
/// one mask is active and sets the agent's receptiveness per channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Personas {
    /// Dirichlet concentration of each agent's mix (small: one dominant mask).
    pub concentration: f64,
    /// The masks.
    pub masks: Vec<Mask>,
}

impl Default for Personas {
    fn default() -> Self {
        let mask = |name: &str, r: [f64; 5]| Mask {
            name: name.into(),
            paid: r[0],
            organic: r[1],
            word_of_mouth: r[2],
            community: r[3],
            review: r[4],
        };
        Personas {
            concentration: 1.0,
            masks: vec![
                mask("social", [0.8, 1.0, 1.0, 0.7, 0.6]),
                mask("professional", [0.3, 0.5, 0.8, 0.9, 1.0]),
                mask("private", [0.1, 0.2, 0.6, 0.4, 0.5]),
            ],
        }
    }
}

/// One persona mask: receptiveness per channel, each in [0, 1].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Mask {
    /// Label.
    pub name: String,
    /// Paid social impressions.
    pub paid: f64,
    /// Organic posts to followers.
    pub organic: f64,
    /// Peer word of mouth.
    pub word_of_mouth: f64,
    /// Community conversation and advocates.
    pub community: f64,
    /// Reviews.
    pub review: f64,
}

defaults!(Mask {
    name: String::from("mask"),
    paid: 0.5,
    organic: 0.5,
    word_of_mouth: 0.5,
    community: 0.5,
    review: 0.5,
});

/// The firm's strategy (`[strategy]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Strategy {
    /// Marketing budget per tick (currency units), split between the two strategies.
    pub budget: f64,
    /// Share of the budget for social media; the rest goes to the community. Defaults
    /// to 1 with only social media, 0 with only a community, 0.5 with both.
    pub social_media_share: Option<f64>,
    /// Social-media marketing, if run.
    pub social_media: Option<SocialMedia>,
    /// Community management, if run.
    pub community: Option<Community>,
    /// Also run each replicate with marketing off (this strategy's default, no
    /// phases) on the same random numbers, for the `incremental_*` figures.
    pub baseline: bool,
}

defaults!(Strategy {
    budget: 0.0,
    social_media_share: None,
    social_media: None,
    community: None,
    baseline: true,
});

impl Strategy {
    /// The share of the budget that goes to social media.
    pub fn social_share(&self) -> f64 {
        self.social_media_share
            .unwrap_or(match (&self.social_media, &self.community) {
                (Some(_), Some(_)) => 0.5,
                (Some(_), None) => 1.0,
                _ => 0.0,
            })
    }
}

/// Who paid impressions are shown to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Targeting {
    /// Everyone alike.
    Random,
    /// High-involvement agents `involvement_weight` times as often.
    Involvement,
    /// Agents resembling current customers: weighted by the share of adopted
    /// neighbours and by their segment's adoption rate.
    Lookalike,
}

/// Social-media marketing (`[strategy.social_media]`): fast, measurable, decaying.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SocialMedia {
    /// Cost per thousand impressions.
    pub cpm: f64,
    /// Who sees the impressions.
    pub targeting: Targeting,
    /// Chance that a (fully receptive, unworn) impression is clicked.
    pub click_through: f64,
    /// Chance that a click by a prospect converts into a purchase.
    pub conversion: f64,
    /// Posts to followers per tick (free).
    pub posts_per_tick: f64,
    /// Share of followers who see a post.
    pub organic_reach: f64,
    /// Chance that an exposure makes a receptive agent follow the brand.
    pub follow: f64,
    /// Wear-out: effectiveness of the n-th exposure is 1 / (1 + wear_out·n).
    pub wear_out: f64,
    /// Attitude impulse of one exposure; it decays with `half_life`.
    pub impulse: f64,
    /// Half-life of the attitude impulse, in ticks.
    pub half_life: f64,
    /// Most paid impressions per agent per week; money beyond it is not spent.
    pub frequency_cap: f64,
    /// Targeting weight of a high-involvement agent under `involvement` targeting.
    pub involvement_weight: f64,
    /// Targeting weight of an agent with no customer neighbours in a segment with no
    /// customers, under `lookalike` targeting.
    pub lookalike_floor: f64,
}

defaults!(SocialMedia {
    cpm: 12.0,
    targeting: Targeting::Random,
    click_through: 0.01,
    conversion: 0.08,
    posts_per_tick: 1.0,
    organic_reach: 0.1,
    follow: 0.02,
    wear_out: 0.05,
    impulse: 0.15,
    half_life: 5.0,
    frequency_cap: 1.0,
    involvement_weight: 3.0,
    lookalike_floor: 0.1,
});

/// Community management (`[strategy.community]`): slow, networked, lasting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Community {
    /// Tick at which the community opens.
    pub launch: u32,
    /// Cost of one community manager per tick.
    pub manager_cost: f64,
    /// Contributions one manager can answer per tick.
    pub manager_capacity: f64,
    /// Share of agents who contribute now and then should they join (the 9 of 90-9-1).
    pub contributor_share: f64,
    /// Share of agents who contribute most should they join (the 1 of 90-9-1).
    pub super_user_share: f64,
    /// A super-user's contribution rate over a contributor's.
    pub super_user_factor: f64,
    /// Most a recruitment campaign multiplies recruitment by, less 1, at saturating
    /// spend.
    pub campaign_lift: f64,
    /// Campaign spend per tick that buys 63% (1 − 1/e) of `campaign_lift`.
    pub campaign_scale: f64,
    /// Per-tick chance that an aware agent joins when invited (low involvement, no
    /// member neighbours).
    pub recruitment: f64,
    /// Recruitment multiplier for high-involvement agents.
    pub involvement_recruitment: f64,
    /// Recruitment added per unit share of member neighbours.
    pub peer_recruitment: f64,
    /// Recruitment multiplier for agents who have not heard of the brand (reached
    /// through the firm's outreach; joining makes them aware).
    pub unaware_recruitment: f64,
    /// Per-tick chance that a contributor contributes (raised by affiliation).
    pub contribution: f64,
    /// Share of contributions the firm responds to.
    pub responsiveness: f64,
    /// Ticks a contributor stays an active contributor after contributing.
    pub active_window: u32,
    /// Events.
    pub events: Events,
    /// Co-creation.
    pub cocreation: Cocreation,
    /// Advocate programme.
    pub advocates: Advocates,
    /// Promoter surveys and reviews.
    pub reviews: Reviews,
}

defaults!(Community {
    launch: 1,
    manager_cost: 40.0,
    manager_capacity: 40.0,
    contributor_share: 0.09,
    super_user_share: 0.01,
    super_user_factor: 10.0,
    campaign_lift: 3.0,
    campaign_scale: 100.0,
    recruitment: 0.001,
    involvement_recruitment: 4.0,
    peer_recruitment: 3.0,
    unaware_recruitment: 0.25,
    contribution: 0.05,
    responsiveness: 0.5,
    active_window: 30,
    events: Events::default(),
    cocreation: Cocreation::default(),
    advocates: Advocates::default(),
    reviews: Reviews::default(),
});

/// Periodic events (`[strategy.community.events]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Events {
    /// Ticks between events; 0 means no events.
    pub interval: u32,
    /// Most members who can attend one event.
    pub capacity: u32,
    /// Cost of one event.
    pub cost: f64,
    /// Affiliation gained by an attendee.
    pub affiliation: f64,
    /// Physical events raise affiliation twice as much as online ones.
    pub physical: bool,
}

defaults!(Events {
    interval: 30,
    capacity: 200,
    cost: 300.0,
    affiliation: 0.15,
    physical: false,
});

/// Co-creation (`[strategy.community.cocreation]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Cocreation {
    /// Chance that a contribution carries a usable idea.
    pub idea_share: f64,
    /// Quality gain per idea per thousand agents, times the remaining gap (1 − quality).
    pub quality_gain: f64,
}

defaults!(Cocreation {
    idea_share: 0.1,
    quality_gain: 0.0004,
});

/// How advocates are chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdvocateScore {
    /// Most neighbours.
    Degree,
    /// Highest (sampled) betweenness centrality.
    Betweenness,
    /// Highest social capital (reputation + affiliation + knowledge).
    SocialCapital,
    /// Highest NPS score (promoters first), ties by degree.
    Promoter,
}

/// What advocates are rewarded with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reward {
    /// Reputation, affiliation and knowledge: more credible and more talkative.
    SocialCapital,
    /// Money: more talkative but less credible.
    Cash,
}

/// The advocate programme (`[strategy.community.advocates]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Advocates {
    /// Number of advocates; 0 means no programme.
    pub count: u32,
    /// How they are chosen among customers.
    pub score: AdvocateScore,
    /// What they are rewarded with.
    pub reward: Reward,
    /// Cost per advocate per tick.
    pub reward_cost: f64,
    /// Ticks between re-selections.
    pub reselect: u32,
    /// Talk multiplier of an advocate.
    pub talk: f64,
    /// Extra talk multiplier of a cash reward.
    pub cash_talk: f64,
    /// Credibility multiplier of a cash reward (paid advocates are trusted less).
    pub cash_credibility: f64,
    /// Reputation, affiliation and knowledge gained per tick under a social-capital reward.
    pub social_capital_gain: f64,
    /// Pivots sampled to estimate betweenness.
    pub betweenness_samples: u32,
    /// Share of seats vacant (advocates who churned) that triggers an early
    /// re-selection.
    pub refill: f64,
}

defaults!(Advocates {
    count: 0,
    score: AdvocateScore::Degree,
    reward: Reward::SocialCapital,
    reward_cost: 1.0,
    reselect: 90,
    talk: 3.0,
    cash_talk: 2.0,
    cash_credibility: 0.5,
    social_capital_gain: 0.01,
    betweenness_samples: 32,
    refill: 0.1,
});

/// NPS surveys and promoter reviews (`[strategy.community.reviews]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Reviews {
    /// Ticks between surveys; 0 means no surveys.
    pub survey_interval: u32,
    /// Share of customers surveyed each time.
    pub survey_share: f64,
    /// Cost per survey answered.
    pub survey_cost: f64,
    /// Chance that a surveyed promoter accepts the invitation to post a review.
    pub acceptance: f64,
    /// Strangers (weak ties) who read each review, beyond the reviewer's neighbours.
    pub readers: f64,
    /// Credibility of a review.
    pub credibility: f64,
}

defaults!(Reviews {
    survey_interval: 0,
    survey_share: 0.2,
    survey_cost: 0.5,
    acceptance: 0.3,
    readers: 20.0,
    credibility: 0.7,
});
