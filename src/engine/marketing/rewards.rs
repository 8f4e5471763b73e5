//! Rewards through tie strength (docs/MODEL.md §4.7.6 "Rewards and tie strength"):
//! what a cash or two-sided reward does to one advocate's message over one tie, and
//! what the two-sided reward costs. Ryu & Feick (2007): a reward raises referral
//! likelihood, most towards weak ties; Verlegh, Ryu, Tuk & Feick (2013) and Tuk et al.
//! (2009): receivers discount a rewarded recommendation (they infer an ulterior
//! motive), most from weak ties, less when the receiver is rewarded too. A
//! social-capital reward is symbolic and carries no discount.
//!
//! The talk pass (`talk.rs`) stamps the reward on the message ([`of`]); the word-of-
//! mouth pass (`word_of_mouth.rs`) asks [`arc_effect`] per arc; the bill of the
//! receivers' rewards is paid with the advocates' (`firm.rs`).

use crate::scenario::marketing::{Advocates, Reward};

/// The reward behind a message, as carried in one byte of `talk::Message`.
pub(super) mod kind {
    /// No reward, or a symbolic one (social capital): no discount, no extra reach.
    pub const NONE: u8 = 0;
    /// Cash to the advocate.
    pub const CASH: u8 = 1;
    /// Cash to the advocate and to the referred customer who buys.
    pub const TWO_SIDED: u8 = 2;
}

/// The byte of a reward in a message: social capital is symbolic ([`kind::NONE`]).
#[inline]
pub(super) fn of(reward: Reward) -> u8 {
    match reward {
        Reward::SocialCapital => kind::NONE,
        Reward::Cash => kind::CASH,
        Reward::TwoSided => kind::TWO_SIDED,
    }
}

/// What a reward does to one message over one tie: its reach and its credibility to
/// the receiver are multiplied by these.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct ArcEffect {
    /// Multiplier of the chance that the message reaches the receiver.
    pub reach: f64,
    /// Multiplier of the sender's credibility, in [0, 1].
    pub credibility: f64,
}

/// An unrewarded message: nothing changes.
pub(super) const UNREWARDED: ArcEffect = ArcEffect {
    reach: 1.0,
    credibility: 1.0,
};

/// A message rewarded by `reward` (a [`kind`]) over a weak or strong tie: reach ×
/// `weak_reach` or `strong_reach`; credibility × (1 − d·(1 − ρ)) with d =
/// `weak_discount` or `strong_discount`, and ρ = `relief` for a two-sided reward, 0 for
/// cash. Unrewarded messages, and any message without a programme, are unchanged.
#[inline]
pub(super) fn arc_effect(p: Option<&Advocates>, reward: u8, weak: bool) -> ArcEffect {
    let Some(p) = p.filter(|_| reward != kind::NONE) else {
        return UNREWARDED;
    };
    let (reach, discount) = if weak {
        (p.weak_reach, p.weak_discount)
    } else {
        (p.strong_reach, p.strong_discount)
    };
    let relief = if reward == kind::TWO_SIDED {
        p.relief
    } else {
        0.0
    };
    ArcEffect {
        reach,
        credibility: 1.0 - discount * (1.0 - relief),
    }
}

/// What the receivers of a two-sided reward are owed: `receiver_reward` for each of
/// `adopters` customers an advocate brought; nothing under other rewards.
pub(super) fn receivers_bill(p: &Advocates, adopters: u64) -> f64 {
    match p.reward {
        Reward::TwoSided => adopters as f64 * p.receiver_reward,
        Reward::Cash | Reward::SocialCapital => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programme(reward: Reward) -> Advocates {
        Advocates {
            reward,
            weak_reach: 2.0,
            strong_reach: 1.2,
            weak_discount: 0.5,
            strong_discount: 0.2,
            relief: 0.5,
            receiver_reward: 10.0,
            ..Advocates::default()
        }
    }

    #[test]
    fn cash_reaches_weak_ties_most_and_is_discounted_most_over_them() {
        let p = programme(Reward::Cash);
        let weak = arc_effect(Some(&p), of(p.reward), true);
        let strong = arc_effect(Some(&p), of(p.reward), false);
        assert_eq!(
            weak,
            ArcEffect {
                reach: 2.0,
                credibility: 0.5
            }
        );
        assert_eq!(
            strong,
            ArcEffect {
                reach: 1.2,
                credibility: 0.8
            }
        );
    }

    #[test]
    fn a_two_sided_reward_relieves_the_discount_by_its_relief() {
        let p = programme(Reward::TwoSided);
        assert_eq!(arc_effect(Some(&p), of(p.reward), true).credibility, 0.75);
        assert_eq!(arc_effect(Some(&p), of(p.reward), false).credibility, 0.9);
        assert_eq!(arc_effect(Some(&p), of(p.reward), true).reach, 2.0);
        let full = Advocates { relief: 1.0, ..p };
        assert_eq!(
            arc_effect(Some(&full), kind::TWO_SIDED, true).credibility,
            1.0
        );
    }

    #[test]
    fn symbolic_rewards_and_unrewarded_talk_change_nothing() {
        let p = programme(Reward::SocialCapital);
        assert_eq!(of(p.reward), kind::NONE);
        assert_eq!(arc_effect(Some(&p), kind::NONE, true), UNREWARDED);
        assert_eq!(arc_effect(None, kind::CASH, true), UNREWARDED);
    }

    #[test]
    fn only_two_sided_rewards_pay_the_receivers() {
        assert_eq!(receivers_bill(&programme(Reward::TwoSided), 3), 30.0);
        assert_eq!(receivers_bill(&programme(Reward::Cash), 3), 0.0);
        assert_eq!(receivers_bill(&programme(Reward::SocialCapital), 3), 0.0);
    }
}
