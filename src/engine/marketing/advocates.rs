//! The advocate programme (docs/MODEL.md §4.7.1 "Advocates" and "Advocate selection",
//! §4.7.2 step 5, §4.7.6 "Advocate rewards"): who is chosen and when, what it costs,
//! and what a reward does to an advocate's talk and social capital. The passes call
//! these rules; advocates' referrals are counted in `word_of_mouth.rs` and advocates
//! who churn leave the list in `purchase.rs`.

use super::draws::{Draw, Draws};
use super::record::nps_score;
use super::{Marketing, rewards};
use crate::network::FirstNumbers;
use crate::network::sampled_betweenness_in;
use crate::population::{flag, status};
use crate::scenario::marketing::{AdvocateScore, Advocates, Reward};
use rayon::prelude::*;

/// Whether to (re)select the advocates `since` ticks after launch, holding `held` of
/// the `count` seats with `customers` customers at the end of last tick. Selection
/// is periodic (every `reselect` ticks); vacant seats (at launch there are few
/// customers to choose from; advocates churn) are also refilled once a `refill` share
/// of them is empty, or all are, and there are customers to fill them.
pub(super) fn selection_due(
    p: &Advocates,
    seats: u32,
    held: u64,
    customers: u64,
    since: u32,
) -> bool {
    let seats = seats as u64;
    let vacant = seats - held.min(seats);
    let share = vacant as f64 / seats.max(1) as f64;
    let refill = vacant > 0 && customers > held && (held == 0 || share >= p.refill);
    refill || since.is_multiple_of(p.reselect.max(1))
}

/// The programme's bill for a tick: `reward_cost` per advocate, in cash or in kind.
pub(super) fn bill(p: &Advocates, advocates: usize) -> f64 {
    advocates as f64 * p.reward_cost
}

/// An advocate's talk rate and credibility, and the reward its message carries.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct TalkEffect {
    /// Chance of talking this tick (not yet capped at 1).
    pub rate: f64,
    pub credibility: f64,
    /// The reward behind the message, a `rewards::kind`.
    pub reward: u8,
}

/// An advocate talks `talk` times as often, whatever its reward; the message carries
/// the reward, whose effects on reach and credibility depend on each tie and are
/// worked out per arc by the receiver (`rewards::arc_effect`).
#[inline]
pub(super) fn talk_effect(p: &Advocates, rate: f64, credibility: f64) -> TalkEffect {
    TalkEffect {
        rate: rate * p.talk,
        credibility,
        reward: rewards::of(p.reward),
    }
}

/// What a social-capital reward adds to each of reputation, affiliation and knowledge
/// per tick; a cash reward adds nothing.
#[inline]
pub(super) fn social_capital_gain(p: &Advocates) -> f64 {
    match p.reward {
        Reward::SocialCapital => p.social_capital_gain,
        Reward::Cash | Reward::TwoSided => 0.0,
    }
}

/// A candidate's score: compared on the first number, then the second (the promoter
/// score breaks ties by degree), highest first.
pub(super) type Score = (f64, f64);

/// Ranks candidates by score, highest first, ties to the lower first number (the
/// agent's number before any renumbering, `renumbering.rs`).
fn by_score(ids: FirstNumbers) -> impl Fn(&(Score, u32), &(Score, u32)) -> std::cmp::Ordering {
    move |a, b| {
        (b.0.0.total_cmp(&a.0.0))
            .then(b.0.1.total_cmp(&a.0.1))
            .then(ids.get(a.1 as usize).cmp(&ids.get(b.1 as usize)))
    }
}

/// The ids of the `k` best-scored candidates, best first; `ids` gives their first
/// numbers, which break ties.
pub(super) fn top(mut candidates: Vec<(Score, u32)>, k: usize, ids: FirstNumbers) -> Vec<u32> {
    let k = k.min(candidates.len());
    if k > 0 && k < candidates.len() {
        candidates.select_nth_unstable_by(k - 1, by_score(ids));
    }
    candidates.truncate(k);
    candidates.sort_unstable_by(by_score(ids));
    candidates.into_iter().map(|(_, v)| v).collect()
}

impl Marketing<'_> {
    /// Removes every advocate's flag and empties the list.
    pub(super) fn clear_advocates(&mut self) {
        for &a in &self.firm.advocates {
            self.agents.flags[a as usize] &= !flag::ADVOCATE;
        }
        self.firm.advocates.clear();
    }

    /// Chooses the advocates among current customers by the programme's score, at
    /// tick `t` (whose random stream scores them under `random`).
    pub(super) fn select_advocates(&mut self, t: u32) {
        self.clear_advocates();
        let Some(community) = &self.spec.strategy.community else {
            return;
        };
        let programme = &community.advocates;
        if programme.score == AdvocateScore::Betweenness && self.betweenness.is_none() {
            self.betweenness = Some(sampled_betweenness_in(
                &self.network.out,
                programme.betweenness_samples,
                self.seed,
                self.network.renumbered.as_ref().map(|r| &r.rank[..]),
            ));
        }
        let agents = &self.agents;
        let out = &self.network.out;
        let between = self.betweenness.as_deref();
        let pick = Draws::new(self.seed, self.replicate, t).keyed_by(self.network.first_numbers());
        let score = |v: usize| -> Score {
            let degree = out.degree(v as u32) as f64;
            match programme.score {
                AdvocateScore::Random => (pick.u(Draw::AdvocatePick, v), 0.0),
                AdvocateScore::LowDegree => (-degree, 0.0),
                AdvocateScore::Degree => (degree, 0.0),
                AdvocateScore::Betweenness => (between.map_or(0.0, |b| b[v] as f64), 0.0),
                AdvocateScore::SocialCapital => {
                    let k = agents.reputation[v] + agents.affiliation[v] + agents.knowledge[v];
                    (k as f64, 0.0)
                }
                AdvocateScore::Promoter => (nps_score(agents.satisfaction[v]) as f64, degree),
            }
        };
        let candidates: Vec<(Score, u32)> = (0..agents.len())
            .into_par_iter()
            .filter(|&v| agents.status[v] == status::CUSTOMER)
            .map(|v| (score(v), v as u32))
            .collect();
        let seats = self.firm.advocate_seats.max(programme.count);
        self.firm.advocates = top(candidates, seats as usize, pick.ids());
        for &a in &self.firm.advocates {
            self.agents.flags[a as usize] |= flag::ADVOCATE;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn programme(reward: Reward) -> Advocates {
        Advocates {
            count: 50,
            reselect: 90,
            reward,
            talk: 3.0,
            social_capital_gain: 0.01,
            ..Advocates::default()
        }
    }

    #[test]
    fn advocates_talk_more_and_their_message_carries_the_reward() {
        let cash = talk_effect(&programme(Reward::Cash), 0.1, 0.8);
        let social = talk_effect(&programme(Reward::SocialCapital), 0.1, 0.8);
        let two = talk_effect(&programme(Reward::TwoSided), 0.1, 0.8);
        assert!((social.rate - 0.3).abs() < 1e-12);
        assert_eq!((cash.rate, cash.credibility), (social.rate, 0.8));
        assert_eq!(social.reward, rewards::kind::NONE);
        assert_eq!(cash.reward, rewards::kind::CASH);
        assert_eq!(two.reward, rewards::kind::TWO_SIDED);
    }

    #[test]
    fn only_social_capital_rewards_raise_social_capital() {
        assert_eq!(social_capital_gain(&programme(Reward::SocialCapital)), 0.01);
        assert_eq!(social_capital_gain(&programme(Reward::Cash)), 0.0);
        assert_eq!(social_capital_gain(&programme(Reward::TwoSided)), 0.0);
    }

    #[test]
    fn seats_are_refilled_when_a_tenth_is_vacant() {
        let p = programme(Reward::Cash);
        // Periodic re-selection.
        assert!(selection_due(&p, p.count, 50, 1000, 90));
        assert!(!selection_due(&p, p.count, 50, 1000, 91));
        // Four vacant seats of 50 wait; five are refilled.
        assert!(!selection_due(&p, p.count, 46, 1000, 1));
        assert!(selection_due(&p, p.count, 45, 1000, 1));
        // An empty programme is filled as soon as there are customers.
        assert!(selection_due(&p, p.count, 0, 1, 1));
        assert!(!selection_due(&p, p.count, 0, 0, 1));
    }

    #[test]
    fn the_bill_is_per_advocate() {
        let p = Advocates {
            reward_cost: 2.5,
            ..programme(Reward::Cash)
        };
        assert_eq!(bill(&p, 4), 10.0);
    }

    #[test]
    fn the_best_scored_are_chosen_ties_to_the_lower_id() {
        let one = |x: f64| (x, 0.0);
        let candidates = vec![
            (one(1.0), 4),
            (one(3.0), 2),
            (one(3.0), 1),
            (one(0.5), 0),
            (one(2.0), 3),
        ];
        assert_eq!(
            top(candidates.clone(), 3, FirstNumbers::default()),
            vec![1, 2, 3]
        );
        assert_eq!(top(candidates, 9, FirstNumbers::default()).len(), 5);
    }

    #[test]
    fn the_second_score_breaks_ties_of_the_first_however_large() {
        // A promoter score of 9 with a huge degree still ranks below a score of 10.
        let candidates = vec![((9.0, 5e9), 0), ((10.0, 1.0), 1), ((10.0, 3.0), 2)];
        assert_eq!(top(candidates, 3, FirstNumbers::default()), vec![2, 1, 0]);
    }

    #[test]
    fn vacant_seats_are_refilled_from_the_refill_share() {
        let p = Advocates {
            count: 10,
            reselect: 90,
            refill: 0.3,
            ..Advocates::default()
        };
        assert!(!selection_due(&p, p.count, 8, 100, 5));
        assert!(selection_due(&p, p.count, 7, 100, 5));
        assert!(selection_due(&p, p.count, 0, 100, 5));
        assert!(!selection_due(&p, p.count, 0, 0, 5));
    }
}
