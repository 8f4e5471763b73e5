//! The firm's strategy (`[strategy]`, `[strategy.social_media]`,
//! `[strategy.community]` and its sub-tables): the budget and what it buys. Defaults,
//! ranges and sources are in the key catalogue (`scenario::keys`).

use serde::{Deserialize, Serialize};

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
    /// Listening: how the firm learns its customer map (Weber's first step).
    pub listening: Listening,
    /// Also run each replicate with marketing off (this strategy's default, no
    /// phases) on the same random numbers, for the `incremental_*` figures.
    pub baseline: bool,
}

defaults!(Strategy {
    budget: 0.0,
    social_media_share: None,
    social_media: None,
    community: None,
    listening: Listening::default(),
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

/// Listening (`[strategy.listening]`, docs/MODEL.md §4.7.13): the firm's customer map,
/// its knowledge of who its customers are (personas, involvement) and where they talk,
/// in [0, 1]. It grows while the `listen` action runs and sharpens paid targeting and
/// recruitment campaigns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Listening {
    /// The customer map at tick 0, in [0, 1]: 1 is a firm that knows its market (every
    /// scenario before listening was modelled), 0 a firm that targets as if blind.
    pub initial_map: f64,
    /// Share of the unknown part of the map learnt per tick of listening.
    pub rate: f64,
    /// Cost of listening per tick it runs (currency units), on top of the budget.
    pub cost: f64,
}

defaults!(Listening {
    initial_map: 0.0,
    rate: 0.05,
    cost: 0.0,
});

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
    /// Paid outside influencers (`[strategy.social_media.influencers]`).
    pub influencers: Influencers,
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
    influencers: Influencers::default(),
});

/// Paid outside influencers (`[strategy.social_media.influencers]`): agents with the
/// most followers (out-neighbours) who are not customers, paid per sponsored post
/// from the social-media budget (docs/MODEL.md §4.7.3 "Outside influencers").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Influencers {
    /// Number of influencers hired; 0 means none.
    pub count: u32,
    /// Fee per sponsored post (currency units).
    pub fee: f64,
    /// Sponsored posts per influencer per week (at most 7: one a tick).
    pub posts_per_week: f64,
    /// Credibility of a sponsored post (discounted against a peer's).
    pub credibility: f64,
}

defaults!(Influencers {
    count: 0,
    fee: 20.0,
    posts_per_week: 2.0,
    credibility: 0.3,
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
    /// Share of the community money left after the fixed costs that buys extra event
    /// seats (at `events.seat_cost`) instead of the campaign.
    pub event_share: f64,
    /// Share of that money that pays extra advocates (at `advocates.reward_cost`)
    /// instead of the campaign.
    pub advocate_share: f64,
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
    super_user_factor: 28.0,
    campaign_lift: 3.0,
    campaign_scale: 100.0,
    event_share: 0.0,
    advocate_share: 0.0,
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
    /// Cost of one seat beyond `capacity`, bought with the community's `event_share`.
    pub seat_cost: f64,
    /// Affiliation gained by an attendee of an online event.
    pub affiliation: f64,
    /// Whether events are physical (a place) rather than online.
    pub physical: bool,
    /// Multiplier of `affiliation` at a physical event (≥ 1: physical events bond more).
    pub physical_affiliation: f64,
    /// Weak ties each attendee of a physical event starts with other attendees.
    pub ties: u32,
    /// Weak ties each attendee of an online event starts with other attendees.
    pub online_ties: u32,
    /// Most event ties an agent holds; a new tie beyond replaces its oldest. 0: none.
    pub max_ties: u32,
}

defaults!(Events {
    interval: 30,
    capacity: 200,
    cost: 300.0,
    seat_cost: 1.5,
    affiliation: 0.15,
    physical: false,
    physical_affiliation: 2.0,
    ties: 3,
    online_ties: 1,
    max_ties: 8,
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
    /// At random among customers (a baseline; Hinz et al. 2011).
    Random,
    /// Fewest neighbours (the worst-case fringe baseline of Hinz et al. 2011).
    LowDegree,
}

/// What advocates are rewarded with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reward {
    /// Reputation, affiliation and knowledge: more credible and more talkative.
    SocialCapital,
    /// Money to the advocate: more referrals, most to weak ties, discounted by their
    /// receivers, most over weak ties.
    Cash,
    /// Money to the advocate and to the referred customer who buys: the receivers'
    /// discount is relieved by `relief`, at `receiver_reward` per such customer.
    TwoSided,
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
    /// Reach multiplier of a rewarded (cash or two-sided) message over a weak tie.
    pub weak_reach: f64,
    /// Reach multiplier of a rewarded message over a strong tie.
    pub strong_reach: f64,
    /// Share of a rewarded message's credibility a receiver over a weak tie discounts.
    pub weak_discount: f64,
    /// Share of a rewarded message's credibility a receiver over a strong tie discounts.
    pub strong_discount: f64,
    /// Share of the discount a two-sided reward removes.
    pub relief: f64,
    /// Reward paid to each referred customer who buys, under a two-sided reward.
    pub receiver_reward: f64,
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
    weak_reach: 2.0,
    strong_reach: 1.2,
    weak_discount: 0.5,
    strong_discount: 0.2,
    relief: 0.5,
    receiver_reward: 10.0,
    social_capital_gain: 0.01,
    betweenness_samples: 32,
    refill: 0.1,
});

/// Whom a survey invites to post a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ask {
    /// Every surveyed customer with an opinion: promoters post positive reviews,
    /// detractors negative ones (passives decline).
    All,
    /// Promoters only: detractors are surveyed but not asked, a filter the scenario
    /// chooses and the `not_asked` column reports.
    Promoters,
}

/// NPS surveys and the reviews they solicit (`[strategy.community.reviews]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Reviews {
    /// Whom the survey invites to post a review.
    pub ask: Ask,
    /// Ticks between surveys; 0 means no surveys.
    pub survey_interval: u32,
    /// Share of customers surveyed each time.
    pub survey_share: f64,
    /// Cost per survey answered.
    pub survey_cost: f64,
    /// Chance that an invited customer accepts to post a review.
    pub acceptance: f64,
    /// Strangers (weak ties) who read each review, beyond the reviewer's neighbours.
    pub readers: f64,
    /// Credibility of a reviewer's talk to its neighbours the tick after posting
    /// (strangers read reviews at `market.reviews.credibility`).
    pub credibility: f64,
}

defaults!(Reviews {
    ask: Ask::All,
    survey_interval: 0,
    survey_share: 0.2,
    survey_cost: 0.5,
    acceptance: 0.3,
    readers: 20.0,
    credibility: 0.7,
});
