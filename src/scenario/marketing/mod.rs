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

    /// Whether the scenario runs a baseline of its own that differs from it: the
    /// strategy asks for one and marketing is on. With marketing off the run is its
    /// own baseline.
    pub fn runs_baseline(&self) -> bool {
        self.strategy.baseline && *self != self.without_marketing()
    }
}
