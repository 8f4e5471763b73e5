//! The marketing timeline (docs/MODEL.md section 4.8): the firm's actions, the
//! `[[phase]]`s that switch them on and off, and whether an action runs at a tick.
//! Their ranges are checked in `check`.

use super::MarketingSpec;
use serde::{Deserialize, Serialize};

/// A firm action that phases switch on and off.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Listening: the firm maps its customers (Weber's first step), so its customer
    /// map grows (`[strategy.listening]`).
    Listen,
    /// Paid impressions.
    Paid,
    /// Posts to followers.
    Posts,
    /// Recruiting members.
    Recruit,
    /// Conversation with members and responses to their contributions.
    Engage,
    /// Events.
    Events,
    /// Co-creation of product improvements.
    Cocreation,
    /// The advocate programme.
    Advocates,
    /// NPS surveys (measurement).
    Surveys,
    /// Inviting surveyed promoters to post reviews.
    Reviews,
}

impl Action {
    /// Every action, in a fixed order.
    pub const ALL: [Action; 10] = [
        Action::Listen,
        Action::Paid,
        Action::Posts,
        Action::Recruit,
        Action::Engage,
        Action::Events,
        Action::Cocreation,
        Action::Advocates,
        Action::Surveys,
        Action::Reviews,
    ];
}

/// A stretch of the timeline during which some actions run (`[[phase]]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Label, e.g. one of Weber's seven steps.
    #[serde(default)]
    pub name: String,
    /// First tick of the phase.
    pub start: u32,
    /// Last tick of the phase; open-ended when absent.
    #[serde(default)]
    pub end: Option<u32>,
    /// Actions that run during the phase.
    #[serde(default)]
    pub actions: Vec<Action>,
}

impl MarketingSpec {
    /// Whether `action` runs at tick `t`: inside some phase that lists it, or, with no
    /// phases, whenever its strategy is configured (community actions from launch on;
    /// listening always).
    pub fn active(&self, action: Action, t: u32) -> bool {
        let community = self.strategy.community.as_ref().filter(|c| t >= c.launch);
        let enabled = match action {
            Action::Listen => true,
            Action::Paid | Action::Posts => self.strategy.social_media.is_some(),
            Action::Advocates => community.is_some_and(|c| c.advocates.count > 0),
            Action::Events => community.is_some_and(|c| c.events.interval > 0),
            Action::Surveys | Action::Reviews => {
                community.is_some_and(|c| c.reviews.survey_interval > 0)
            }
            Action::Recruit | Action::Engage | Action::Cocreation => community.is_some(),
        };
        enabled
            && (self.phases.is_empty()
                || self.phases.iter().any(|p| {
                    t >= p.start && p.end.is_none_or(|end| t <= end) && p.actions.contains(&action)
                }))
    }
}
