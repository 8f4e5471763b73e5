//! Paid outside influencers (docs/MODEL.md §4.7.3 "Outside influencers"): agents with a
//! follower audience (the most out-neighbours) who are not customers, paid per
//! sponsored post from the social-media budget: the comparator of the firm's own
//! advocates (Hinz et al. 2011 seed by degree; here the firm rents the hubs instead of
//! cultivating its customers). Chosen once and paid in pass 1; a post is the
//! influencer's message of the tick (pass 2), heard by its out-neighbours like word
//! of mouth in pass 4 (`word_of_mouth.rs`), on the organic social channel, at the
//! discounted `credibility` of sponsored content. Adoptions it brings count under
//! [`Source::Influencer`](crate::population::Source), not as referrals.

use super::Marketing;
use super::advocates::{Score, top};
use super::draws::{Draw, Draws};
use super::talk::Message;
use crate::population::status;
use crate::scenario::marketing::Influencers;
use rayon::prelude::*;

/// An influencer's chance of posting on a tick: `posts_per_week`/7, at most 1.
#[inline]
pub(super) fn post_chance(p: &Influencers) -> f64 {
    (p.posts_per_week / 7.0).min(1.0)
}

/// How many of the posts due this tick `budget` pays at `fee` each (all of them when
/// posts are free), with 10⁻⁹ of slack for rounding.
pub(super) fn affordable_posts(p: &Influencers, due: usize, budget: f64) -> usize {
    if p.fee <= 0.0 {
        return due;
    }
    (((budget + 1e-9) / p.fee).floor() as usize).min(due)
}

impl Marketing<'_> {
    /// Chooses the influencers once (the `count` non-customers with the most
    /// out-neighbours, ties to the lower id), decides who posts this tick (draw
    /// `InfluencerPost`, by agent), pays the posts `budget` affords in that order and
    /// returns their fees. The posters are kept in `firm.posting`.
    pub(super) fn hire_influencers(&mut self, p: &Influencers, budget: f64, draws: &Draws) -> f64 {
        if p.count == 0 {
            return 0.0;
        }
        if !self.firm.influencers_chosen {
            self.firm.influencers = self.most_followed(p.count as usize);
            self.firm.influencers_chosen = true;
        }
        let chance = post_chance(p);
        let firm = &mut self.firm;
        firm.posting.clear();
        firm.posting.extend(
            firm.influencers
                .iter()
                .copied()
                .filter(|&i| draws.u(Draw::InfluencerPost, i as usize) < chance),
        );
        let paid = affordable_posts(p, firm.posting.len(), budget);
        firm.posting.truncate(paid);
        paid as f64 * p.fee
    }

    /// The `k` non-customers with the most out-neighbours (followers), most first.
    fn most_followed(&self, k: usize) -> Vec<u32> {
        let (agents, out) = (&self.agents, &self.network.out);
        let candidates: Vec<(Score, u32)> = (0..agents.len())
            .into_par_iter()
            .filter(|&v| agents.status[v] != status::CUSTOMER)
            .map(|v| ((out.degree(v as u32) as f64, 0.0), v as u32))
            .collect();
        top(candidates, k, self.network.first_numbers())
    }

    /// Pass 2, after every agent's talk: this tick's sponsored posts replace their
    /// influencers' own messages.
    pub(super) fn sponsored_posts(&mut self) {
        let Some(p) = self
            .spec
            .strategy
            .social_media
            .as_ref()
            .map(|s| &s.influencers)
        else {
            return;
        };
        for &i in &self.firm.posting {
            self.talk[i as usize] = Message::sponsored(p.credibility);
            self.talking[i as usize / 64] |= 1 << (i % 64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn influencers(fee: f64, posts_per_week: f64) -> Influencers {
        Influencers {
            count: 10,
            fee,
            posts_per_week,
            credibility: 0.3,
        }
    }

    #[test]
    fn influencers_post_at_their_weekly_rate_at_most_daily() {
        assert!((post_chance(&influencers(20.0, 3.5)) - 0.5).abs() < 1e-12);
        assert_eq!(post_chance(&influencers(20.0, 7.0)), 1.0);
        assert_eq!(post_chance(&influencers(20.0, 0.0)), 0.0);
    }

    #[test]
    fn the_budget_pays_whole_posts_at_the_fee() {
        let p = influencers(20.0, 2.0);
        assert_eq!(affordable_posts(&p, 5, 100.0), 5);
        assert_eq!(affordable_posts(&p, 5, 99.0), 4);
        assert_eq!(affordable_posts(&p, 5, 60.0 - 1e-12), 3);
        assert_eq!(affordable_posts(&p, 5, 0.0), 0);
        assert_eq!(affordable_posts(&influencers(0.0, 2.0), 5, 0.0), 5);
    }
}
