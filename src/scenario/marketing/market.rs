//! The market and its customers (`[market]` and its sub-tables): the product, the
//! category and its competitors, and how customers buy, talk, stay, forget and build
//! social capital. Defaults, ranges and sources are in the key catalogue
//! (`scenario::keys`).

use serde::{Deserialize, Serialize};

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
    /// Churn contagion: defecting neighbours raise the hazard.
    pub contagion: Contagion,
    /// Social dollars: members spend more per purchase.
    pub social_dollars: SocialDollars,
    /// Satisfaction dynamics.
    pub satisfaction: Satisfaction,
    /// Social capital dynamics.
    pub social_capital: SocialCapital,
    /// Dynamic personas.
    pub personas: Personas,
    /// The brand's review stock, posted by customers with or without a community.
    pub reviews: ReviewStock,
    /// The brand's reputation, a firm-level stock (not agents' social-capital
    /// reputation).
    pub brand_reputation: BrandReputation,
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
    contagion: Contagion::default(),
    social_dollars: SocialDollars::default(),
    satisfaction: Satisfaction::default(),
    social_capital: SocialCapital::default(),
    personas: Personas::default(),
    reviews: ReviewStock::default(),
    brand_reputation: BrandReputation::default(),
});

/// The review stock (`[market.reviews]`, docs/MODEL.md §4.7.11): positive and negative
/// reviews that decay with a half-life, are read by strangers and shape every
/// prospect's choice through their rating and count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReviewStock {
    /// Ticks after which half of the stock is no longer read.
    pub half_life: f64,
    /// Strangers who read each review in the stock per tick.
    pub read_rate: f64,
    /// Credibility of a review read by a stranger.
    pub credibility: f64,
    /// Logit weight of the rating's distance from `neutral_rating` at full count.
    pub rating_weight: f64,
    /// The rating at which reviews neither help nor hurt.
    pub neutral_rating: f64,
    /// Reviews in the stock at which the rating has 63% (1 − 1/e) of its weight.
    pub count_scale: f64,
    /// How many positive reviews one negative review outweighs in the rating the
    /// prospects weigh.
    pub negative_weight: f64,
    /// Per-tick chance that a promoter posts a review unasked.
    pub unsolicited_positive: f64,
    /// Per-tick chance that a detractor posts a review unasked.
    pub unsolicited_negative: f64,
}

defaults!(ReviewStock {
    half_life: 180.0,
    read_rate: 0.1,
    credibility: 0.7,
    rating_weight: 1.0,
    neutral_rating: 0.5,
    count_scale: 50.0,
    negative_weight: 2.0,
    unsolicited_positive: 0.002,
    unsolicited_negative: 0.002,
});

/// The brand's reputation (`[market.brand_reputation]`, docs/MODEL.md §4.7.12): a
/// stock in [−1, 1] fed by the valence of new reviews, of word of mouth and of the
/// community's responsiveness, decaying with a half-life; it shifts every prospect's
/// utility by `weight`·R.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BrandReputation {
    /// Ticks after which a signal's weight in the stock has halved.
    pub half_life: f64,
    /// Logit weight of the reputation in the brand's utility.
    pub weight: f64,
    /// Weight of new reviews' valence among the signals.
    pub reviews: f64,
    /// Weight of word of mouth's valence among the signals.
    pub word_of_mouth: f64,
    /// Weight of the community's responsiveness among the signals.
    pub community: f64,
}

defaults!(BrandReputation {
    half_life: 90.0,
    weight: 0.5,
    reviews: 1.0,
    word_of_mouth: 1.0,
    community: 1.0,
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

/// Churn contagion (`[market.contagion]`, docs/MODEL.md §4.7.8): a customer's churn
/// hazard is multiplied by 1 + effect·e, where its exposure e adds 1 for each
/// in-neighbour who churned last tick and halves every `half_life` ticks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Contagion {
    /// Relative rise of the hazard per fresh defecting neighbour (0.8: ×1.8).
    pub effect: f64,
    /// Ticks in which a neighbour's defection loses half its effect.
    pub half_life: f64,
}

defaults!(Contagion {
    effect: 0.8,
    half_life: 30.0,
});

/// Social dollars (`[market.social_dollars]`, docs/MODEL.md §4.7.9): a member's
/// purchase amount is price·(1 + lurker or poster + ties·M/d), with M/d the share of
/// its in-neighbours who are members; non-members pay the price.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SocialDollars {
    /// Relative rise of a lurking member's purchase amount.
    pub lurker: f64,
    /// Relative rise of a posting member's (contributor or super-user) amount.
    pub poster: f64,
    /// Relative rise per unit share of in-neighbours who are members.
    pub ties: f64,
}

defaults!(SocialDollars {
    lurker: 0.2,
    poster: 0.4,
    ties: 0.2,
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
    /// Affiliation lost when a contribution goes unanswered (members must see how
    /// they help).
    pub unanswered_affiliation: f64,
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
    unanswered_affiliation: 0.01,
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
