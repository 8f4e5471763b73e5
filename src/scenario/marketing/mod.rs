//! Parameters of the marketing model: the market and its customers (`[market]`), the
//! firm's strategy (`[strategy]`, `[strategy.social_media]`, `[strategy.community]`)
//! and its timeline (`[[phase]]`). Every field has a documented default; defaults,
//! ranges, units and sources are entries of the key catalogue (`scenario::keys`),
//! which renders the table of docs/MODEL.md section 4.9. The structs are in `market`
//! and `strategy`, the range check in `check`, the timeline of actions in `phase`. A
//! tick is a day.

/// `impl Default` from a list of field values, for the parameter structs.
macro_rules! defaults {
    ($name:ident { $($field:ident : $value:expr),* $(,)? }) => {
        impl Default for $name {
            fn default() -> Self {
                $name { $($field: $value),* }
            }
        }
    };
}

mod check;
mod market;
mod phase;
mod strategy;

pub use market::{
    BrandReputation, Competitor, Contagion, Forgetting, Market, Mask, Personas, Purchase,
    Retention, ReviewStock, Satisfaction, SocialCapital, SocialDollars, WordOfMouth,
};
pub use phase::{Action, Phase};
pub use strategy::{
    AdvocateScore, Advocates, Ask, Cocreation, Community, Events, Influencers, Listening, Reviews,
    Reward, SocialMedia, Strategy, Targeting,
};

use serde::Serialize;

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

    /// The marketing channels the strategy uses, in [`Channel::ALL`] order: the
    /// players of counterfactual attribution (`crate::attribution`).
    pub fn channels(&self) -> Vec<Channel> {
        let s = &self.strategy;
        let social = s.social_media.as_ref();
        let community = s.community.as_ref();
        Channel::ALL
            .into_iter()
            .filter(|c| match c {
                Channel::PaidSocial => social.is_some(),
                Channel::OrganicSocial => social.is_some_and(|m| m.posts_per_tick > 0.0),
                Channel::Influencers => social.is_some_and(|m| m.influencers.count > 0),
                Channel::Community => community.is_some(),
                Channel::Advocates => community.is_some_and(|c| c.advocates.count > 0),
                Channel::Reviews => community.is_some_and(|c| c.reviews.survey_interval > 0),
            })
            .collect()
    }

    /// The scenario with the channels in `off` removed, each channel's budget share
    /// kept where it was: removing paid social stops impressions (its money is not
    /// spent), organic social stops posts, influencers are not hired, the community is
    /// not run (its share of the budget is not spent), the advocate programme has no
    /// seats, and no surveys ask for reviews. Money a removed advocate programme or
    /// review programme would have used stays with the community, whose recruitment
    /// campaign takes what is left (section 4.7.1).
    pub fn without_channels(&self, off: &[Channel]) -> MarketingSpec {
        let mut spec = self.clone();
        spec.strategy.social_media_share = Some(self.strategy.social_share());
        for channel in off {
            match channel {
                Channel::PaidSocial => {
                    if let Some(m) = &mut spec.strategy.social_media {
                        m.frequency_cap = 0.0;
                    }
                }
                Channel::OrganicSocial => {
                    if let Some(m) = &mut spec.strategy.social_media {
                        m.posts_per_tick = 0.0;
                    }
                }
                Channel::Influencers => {
                    if let Some(m) = &mut spec.strategy.social_media {
                        m.influencers.count = 0;
                    }
                }
                Channel::Community => spec.strategy.community = None,
                Channel::Advocates => {
                    if let Some(c) = &mut spec.strategy.community {
                        c.advocates.count = 0;
                        c.advocate_share = 0.0;
                    }
                }
                Channel::Reviews => {
                    if let Some(c) = &mut spec.strategy.community {
                        c.reviews.survey_interval = 0;
                    }
                }
            }
        }
        spec
    }

    /// Whether the scenario runs a baseline of its own that differs from it: the
    /// strategy asks for one and marketing is on. With marketing off the run is its
    /// own baseline.
    pub fn runs_baseline(&self) -> bool {
        self.strategy.baseline && *self != self.without_marketing()
    }
}

/// A marketing channel, a player of counterfactual attribution (`crate::attribution`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Paid impressions.
    PaidSocial,
    /// Posts to followers.
    OrganicSocial,
    /// Paid outside influencers.
    Influencers,
    /// The brand community (recruitment, conversation, events, co-creation).
    Community,
    /// The advocate programme.
    Advocates,
    /// Surveys that ask customers for reviews.
    Reviews,
}

impl Channel {
    /// Every channel, in a fixed order.
    pub const ALL: [Channel; 6] = [
        Channel::PaidSocial,
        Channel::OrganicSocial,
        Channel::Influencers,
        Channel::Community,
        Channel::Advocates,
        Channel::Reviews,
    ];

    /// Its name in attribution.csv.
    pub fn name(self) -> &'static str {
        match self {
            Channel::PaidSocial => "paid_social",
            Channel::OrganicSocial => "organic_social",
            Channel::Influencers => "influencers",
            Channel::Community => "community",
            Channel::Advocates => "advocates",
            Channel::Reviews => "reviews",
        }
    }

    /// The timeseries.csv columns of the first adoptions last touch credits to it.
    pub fn source_columns(self) -> &'static [&'static str] {
        match self {
            Channel::PaidSocial => &["new_paid_social"],
            Channel::OrganicSocial => &["new_organic_social"],
            Channel::Influencers => &["new_influencer"],
            Channel::Community => &["new_community"],
            Channel::Advocates => &["new_advocate"],
            Channel::Reviews => &["new_review"],
        }
    }
}
