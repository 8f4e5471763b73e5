//! Persona and exposure (docs/MODEL.md §4.7.3, pass 3): which persona mask is active,
//! the decay of the social-media impulse, outside awareness, paid impressions, posts
//! to followers, and reviews read by strangers, positive or negative. Each exposure
//! changes only the exposed agent. Review reach is in `reviews.rs`, the attitude
//! shift in `word_of_mouth.rs`.

use super::draws::{Draw, Draws, Picks, Skips};
use super::firm::Plan;
use super::record::Tally;
use super::{Marketing, listening, neighbour_share, reviews, tally_chunks, word_of_mouth};
use crate::network::{Csr, FirstNumbers};
use crate::population::{CustomersChunk, MAX_COMPETITORS, MAX_MASKS, Source, flag, status};
use crate::scenario::marketing::{Market, Mask, SocialMedia, Targeting};
use std::sync::atomic::AtomicU32;

/// How many paid impressions an agent draws relative to others, as a firm with
/// customer map `map` applies it (`listening::mapped_weight`: the weight w below
/// raised to `map`): w = 1 under random targeting, `involvement_weight` for
/// high-involvement agents under involvement targeting, and under lookalike targeting
/// `lookalike_floor` + the share of adopted neighbours + the adoption rate of the
/// agent's segment.
#[inline]
pub(super) fn targeting_weight(
    s: &SocialMedia,
    high: bool,
    adopted_share: f64,
    segment_rate: &[f64; 2],
    map: f64,
) -> f64 {
    listening::mapped_weight(true_weight(s, high, adopted_share, segment_rate), map)
}

/// The targeting weight of a firm that knows its customers (map 1).
#[inline]
fn true_weight(s: &SocialMedia, high: bool, adopted_share: f64, segment_rate: &[f64; 2]) -> f64 {
    match s.targeting {
        Targeting::Random => 1.0,
        Targeting::Involvement => {
            if high {
                s.involvement_weight
            } else {
                1.0
            }
        }
        Targeting::Lookalike => s.lookalike_floor + adopted_share + segment_rate[high as usize],
    }
}

/// An agent's chance of being reached by `impressions` spread over agents in
/// proportion to their targeting weights: 1 − exp(−I·w/Σw).
#[inline]
pub(super) fn paid_reach(impressions: f64, weight: f64, total: f64) -> f64 {
    1.0 - (-impressions * weight / total).exp()
}

/// A follower's chance of seeing at least one post: 1 − exp(−posts·`organic_reach`).
pub(super) fn post_seen_chance(s: &SocialMedia) -> f64 {
    1.0 - (-s.posts_per_tick * s.organic_reach).exp()
}

/// The impulse's factor per tick: it halves every `half_life` ticks.
pub(super) fn impulse_decay(s: &SocialMedia) -> f32 {
    0.5f64.powf(1.0 / s.half_life) as f32
}

/// The persona mask a uniform draw `u` picks from an agent's cumulative mix.
#[inline]
pub(super) fn persona_mask(mix: &[f32; MAX_MASKS], masks: usize, u: f32) -> usize {
    mix[..masks]
        .iter()
        .position(|&cum| u < cum)
        .unwrap_or(masks - 1)
}

/// The persona masks of one tick. An agent's active mask is a pure function of the
/// tick, the agent and its mix, so it is drawn only where a message or an exposure
/// needs it (pass 3 and pass 4 alike), never stored, and never drawn at all when there
/// is one mask.
#[derive(Clone, Copy)]
pub(super) struct Personas<'a> {
    masks: &'a [Mask],
    /// Masks in use (1 to `MAX_MASKS`).
    count: usize,
    stream: crate::rng::StreamKey,
    /// Agents' first numbers, which the draws are keyed by.
    ids: FirstNumbers<'a>,
}

impl<'a> Personas<'a> {
    /// The masks of `market` at the tick of `draws`.
    pub(super) fn new(market: &'a Market, draws: &Draws<'a>) -> Self {
        let masks = &market.personas.masks;
        Personas {
            masks,
            count: masks.len().clamp(1, MAX_MASKS),
            stream: draws.key(Draw::Persona),
            ids: draws.ids(),
        }
    }

    /// The masks an agent's draw can pick: the first `count` (at least one).
    fn in_use(&self) -> &'a [Mask] {
        &self.masks[..self.count.min(self.masks.len())]
    }

    /// The least value any mask in use gives `channel`: every agent's mask gives the
    /// channel at least this, whichever mask its draw picks.
    pub(super) fn least(&self, value: impl Fn(&Mask) -> f64) -> f64 {
        self.in_use()
            .iter()
            .map(value)
            .fold(f64::INFINITY, f64::min)
    }

    /// Agent `i`'s active mask this tick, of cumulative mix `mix` ([`persona_mask`]
    /// on its `Persona` draw).
    #[inline]
    pub(super) fn of(&self, mix: &[f32; MAX_MASKS], i: usize) -> &'a Mask {
        let k = if self.count <= 1 {
            0
        } else {
            let u = self.stream.unit(self.ids.get(i) as u64);
            persona_mask(mix, self.count, u as f32)
        };
        &self.masks[k.min(self.masks.len() - 1)]
    }
}

/// Receptiveness to a channel: the mask's value scaled by susceptibility ψ,
/// min(r·(0.5 + ψ), 1).
#[inline]
pub(super) fn receptiveness(r: f64, susceptibility: f32) -> f64 {
    (r * (0.5 + susceptibility as f64)).min(1.0)
}

/// Wear-out: the n-th exposure weighs 1/(1 + `wear_out`·n).
#[inline]
pub(super) fn wear(s: &SocialMedia, exposures: u16) -> f64 {
    1.0 / (1.0 + s.wear_out * exposures as f64)
}

/// A paid (`slot` 0) or organic (`slot` 1) exposure of agent `j` of chunk `c` (agent
/// id `i`): awareness, a worn-out attitude impulse, perhaps a follow, and for a
/// prospect perhaps a click that converts. Returns 1 if the agent began to follow.
#[allow(clippy::too_many_arguments)]
#[inline]
fn social_exposure(
    c: &mut CustomersChunk,
    j: usize,
    s: &SocialMedia,
    recept: f64,
    source: Source,
    draws: &Draws,
    i: usize,
    slot: usize,
) -> u64 {
    c.flags[j] |= flag::AWARE | flag::TOUCHED;
    c.exposures[j] = c.exposures[j].saturating_add(1);
    let wear = wear(s, c.exposures[j]);
    c.impulse[j] = (c.impulse[j] as f64 + s.impulse * recept * wear).min(1.0) as f32;
    // Keyed by the agent's first number (`renumbering.rs`).
    let key = draws.ids().get(i) * 2 + slot;
    let mut followed = 0;
    if c.flags[j] & flag::FOLLOWER == 0 && draws.u_at(Draw::Follow, key) < s.follow * recept {
        c.flags[j] |= flag::FOLLOWER;
        followed = 1;
    }
    if c.status[j] != status::CUSTOMER {
        c.last_touch[j] = source as u8;
        if c.flags[j] & flag::IN_MARKET != 0
            && draws.u_at(Draw::Click, key) < s.click_through * recept * wear
            && draws.u_at(Draw::Convert, key) < s.conversion
        {
            c.flags[j] |= flag::CONVERTED;
        }
    }
    followed
}

/// The uniforms of one chunk's rare exposures below their chances, found by skips
/// ([`Draws::below`]) and walked in increasing order.
struct ChunkHits<'t> {
    need: Picks<'t>,
    /// One run per competitor slot (a slot with no competitor has none).
    rivals: [Picks<'t>; MAX_COMPETITORS],
    external: Picks<'t>,
    review: Picks<'t>,
}

/// The rare exposures of a tick for every agent, walked a chunk at a time
/// ([`Exposure::chunk_hits`]).
struct Hits<'d> {
    need: Skips<'d>,
    rivals: [Skips<'d>; MAX_COMPETITORS],
    external: Skips<'d>,
    review: Skips<'d>,
}

/// The exposures of one tick, worked out once for all agents.
struct Exposure<'a> {
    market: &'a Market,
    personas: Personas<'a>,
    social: Option<&'a SocialMedia>,
    plan: &'a Plan,
    decay: f32,
    post_seen: f64,
    review_read: f64,
    /// The share of readings that read a negative review.
    negative_read: f64,
    /// `attitude_shift` and `negative_shift` × a review's credibility.
    review_shift: f64,
    negative_review_shift: f64,
    incoming: &'a Csr,
    adopted: &'a [AtomicU32],
    segment_rate: [f64; 2],
    /// The firm's customer map this tick.
    map: f64,
    /// Paid reach at weight 1 and 3 (random and involvement targeting).
    reach_low: f64,
    reach_high: f64,
}

impl Exposure<'_> {
    /// Agent `i`'s chance of a paid impression under lookalike targeting.
    fn lookalike_reach(&self, s: &SocialMedia, i: usize, high: bool) -> f64 {
        let share = neighbour_share(self.adopted, self.incoming, i);
        let w = targeting_weight(s, high, share, &self.segment_rate, self.map);
        paid_reach(self.plan.impressions, w, self.plan.targeting_total)
    }

    /// Paid impressions and posts for agent `j` of chunk `c` (id `i`), counting posts
    /// seen and new followers into `tally`; its mask is drawn if one reaches it.
    #[inline]
    fn social(&self, c: &mut CustomersChunk, j: usize, i: usize, draws: &Draws, tally: &mut Tally) {
        let Some(s) = self.social else {
            return;
        };
        let (plan, susceptibility) = (self.plan, c.susceptibility[j]);
        let high = c.flags[j] & flag::HIGH_INVOLVEMENT != 0;
        if plan.impressions > 0.0 && plan.targeting_total > 0.0 {
            // Random and involvement targeting have one or two weights: their reach
            // is worked out once per tick.
            let reach = match s.targeting {
                Targeting::Random => self.reach_low,
                Targeting::Involvement if high => self.reach_high,
                Targeting::Involvement => self.reach_low,
                Targeting::Lookalike => self.lookalike_reach(s, i, high),
            };
            if draws.u(Draw::Paid, i) < reach {
                let r = receptiveness(self.personas.of(&c.mix[j], i).paid, susceptibility);
                tally.new_followers += social_exposure(c, j, s, r, Source::PaidSocial, draws, i, 0);
            }
        }
        if plan.posts && c.flags[j] & flag::FOLLOWER != 0 && draws.u(Draw::Post, i) < self.post_seen
        {
            let r = receptiveness(self.personas.of(&c.mix[j], i).organic, susceptibility);
            tally.new_followers += social_exposure(c, j, s, r, Source::OrganicSocial, draws, i, 1);
            tally.posts_seen += 1;
        }
    }

    /// The rare exposures of the tick's `n` agents, found by skips: a need arrives
    /// when U < `need_rate`, competitor k is heard of when U < its `awareness`,
    /// outside awareness when U < `external_awareness`, a review is read when U < the
    /// read chance (one U per decision and agent).
    fn hits<'d>(&self, draws: &'d Draws, n: usize) -> Hits<'d> {
        let rivals = &self.market.competitor;
        Hits {
            need: draws.skips(Draw::Need, 0, n, self.market.need_rate),
            rivals: std::array::from_fn(|k| {
                let p = rivals.get(k).map_or(0.0, |r| r.awareness);
                draws.skips(Draw::RivalAwareness, k as u64, n, p)
            }),
            external: draws.skips(Draw::External, 0, n, self.market.external_awareness),
            review: draws.skips(Draw::ReviewRead, 0, n, self.review_read),
        }
    }

    /// The rare exposures of the chunk of agents `start..start + len`.
    fn chunk_hits<'t>(hits: &'t Hits, start: usize, len: usize) -> ChunkHits<'t> {
        ChunkHits {
            need: hits.need.chunk(start, len),
            rivals: std::array::from_fn(|k| hits.rivals[k].chunk(start, len)),
            external: hits.external.chunk(start, len),
            review: hits.review.chunk(start, len),
        }
    }

    /// Agent `j` of chunk `c` reads a review this tick, on uniform draw `u` below the
    /// read chance: a negative one when u/chance (uniform given a reading) falls below
    /// the share of negative readings.
    #[inline]
    fn read_review(&self, c: &mut CustomersChunk, j: usize, i: usize, u: f64) {
        let m = self.personas.of(&c.mix[j], i);
        let r = receptiveness(m.review, c.susceptibility[j]);
        c.flags[j] |= flag::AWARE | flag::TOUCHED;
        let a = c.attitude[j] as f64;
        c.attitude[j] = if reviews::reads_negative(u / self.review_read, self.negative_read) {
            word_of_mouth::dissuaded(a, self.negative_review_shift * r)
        } else {
            word_of_mouth::persuaded(a, self.review_shift * r)
        };
        if c.status[j] != status::CUSTOMER {
            c.last_touch[j] = Source::Review as u8;
        }
    }

    /// Every exposure of chunk `c` this tick, in this order for each agent: a need
    /// may arrive outside the category, an agent in it may hear of competitors it
    /// does not know, outside awareness, the decay of the social-media impulse and
    /// paid impressions and posts (agent by agent, only with social media), then
    /// reviews read. The rare decisions walk their picks (only the agents whose
    /// uniform falls below the bound); each agent's decisions come in the same order
    /// as if every agent were visited in turn, so the result is the same.
    fn expose_chunk(
        &self,
        c: &mut CustomersChunk,
        (draws, hits): (&Draws, &Hits),
        tally: &mut Tally,
    ) {
        let mut hits = Self::chunk_hits(hits, c.start, c.flags.len());
        let start = c.start as u64;
        let walk = |units: &mut Picks, each: &mut dyn FnMut(usize, f64)| {
            let mut from = start;
            while let Some((i, u)) = units.next_from(from) {
                each((i - start) as usize, u);
                from = i + 1;
            }
        };
        let market = self.market;
        walk(&mut hits.need, &mut |j, u| {
            if c.flags[j] & flag::IN_MARKET == 0 && u < market.need_rate {
                c.flags[j] |= flag::IN_MARKET;
            }
        });
        for (k, rival) in market.competitor.iter().enumerate().take(MAX_COMPETITORS) {
            let bit = 1u8 << k;
            walk(&mut hits.rivals[k], &mut |j, u| {
                if c.flags[j] & flag::IN_MARKET != 0 && c.known[j] & bit == 0 && u < rival.awareness
                {
                    c.known[j] |= bit;
                }
            });
        }
        walk(&mut hits.external, &mut |j, u| {
            if c.flags[j] & flag::AWARE == 0 && u < market.external_awareness {
                c.flags[j] |= flag::AWARE | flag::TOUCHED;
                c.last_touch[j] = Source::External as u8;
            }
        });
        if self.social.is_some() {
            for j in 0..c.flags.len() {
                // Nearly everyone's impulse is 0: no write then.
                if c.impulse[j] != 0.0 {
                    c.impulse[j] *= self.decay;
                }
                self.social(c, j, c.start + j, draws, tally);
            }
        }
        walk(&mut hits.review, &mut |j, u| {
            if u < self.review_read {
                self.read_review(c, j, c.start + j, u);
            }
        });
    }
}

impl Marketing<'_> {
    /// Pass 3: persona mask, then paid impressions, posts to followers, reviews read
    /// by strangers and outside awareness.
    pub(super) fn expose(&mut self, plan: &Plan, draws: &Draws) -> Tally {
        let spec = self.spec;
        let market = &spec.market;
        let social = spec.strategy.social_media.as_ref();
        let n = self.agents.len().max(1) as f64;
        let review_cred = market.reviews.credibility;
        let w = &market.word_of_mouth;
        let total = plan.targeting_total.max(1e-300);
        let exposure = Exposure {
            market,
            personas: Personas::new(market, draws),
            social,
            plan,
            decay: social.map_or(0.0, impulse_decay),
            post_seen: social.map_or(0.0, post_seen_chance),
            review_read: reviews::review_read_chance(plan.review_reads, n),
            negative_read: plan.negative_reads / plan.review_reads.max(1e-300),
            review_shift: w.attitude_shift * review_cred,
            negative_review_shift: w.negative_shift * review_cred,
            incoming: self.network.incoming(),
            adopted: &self.adopted_neighbours,
            segment_rate: self.firm.segment_rate,
            map: self.firm.customer_map,
            reach_low: paid_reach(plan.impressions, 1.0, total),
            reach_high: paid_reach(
                plan.impressions,
                social.map_or(1.0, |s| {
                    listening::mapped_weight(s.involvement_weight, self.firm.customer_map)
                }),
                total,
            ),
        };
        let hits = exposure.hits(draws, self.agents.len());
        tally_chunks(&mut self.agents, |c, tally| {
            exposure.expose_chunk(c, (draws, &hits), tally)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targeting(targeting: Targeting) -> SocialMedia {
        SocialMedia {
            targeting,
            involvement_weight: 3.0,
            lookalike_floor: 0.1,
            ..SocialMedia::default()
        }
    }

    #[test]
    fn involvement_targeting_favours_the_involved_by_its_weight() {
        let rate = [0.0, 0.0];
        let t = targeting(Targeting::Involvement);
        assert_eq!(targeting_weight(&t, true, 0.0, &rate, 1.0), 3.0);
        assert_eq!(targeting_weight(&t, false, 0.0, &rate, 1.0), 1.0);
        let heavier = SocialMedia {
            involvement_weight: 5.0,
            ..t
        };
        assert_eq!(targeting_weight(&heavier, true, 0.0, &rate, 1.0), 5.0);
        let random = targeting(Targeting::Random);
        assert_eq!(targeting_weight(&random, true, 0.5, &rate, 1.0), 1.0);
    }

    #[test]
    fn lookalikes_of_customers_draw_more_impressions_above_the_floor() {
        let rate = [0.1, 0.3];
        let t = targeting(Targeting::Lookalike);
        assert!((targeting_weight(&t, true, 0.5, &rate, 1.0) - 0.9).abs() < 1e-12);
        assert!(
            targeting_weight(&t, false, 0.5, &rate, 1.0)
                < targeting_weight(&t, true, 0.5, &rate, 1.0)
        );
        assert_eq!(targeting_weight(&t, false, 0.0, &[0.0, 0.0], 1.0), 0.1);
        assert!(paid_reach(1000.0, 3.0, 1000.0) > paid_reach(1000.0, 1.0, 1000.0));
    }

    /// The rare exposures are drawn by skips, yet keep the monotone coupling of one
    /// uniform per agent: on the same seed, a higher outside-awareness or need rate
    /// only adds aware or in-market agents after a tick, across several chunks.
    #[test]
    fn raising_a_skipped_chance_only_adds_events() {
        let path = std::path::Path::new("scenarios/community.toml");
        let text = include_str!("../../../scenarios/community.toml");
        let mut scenario = crate::scenario::Scenario::from_str_at(text, path).unwrap();
        let n = 3 * super::super::CHUNK + 100;
        scenario.population.size = n;
        let crate::scenario::ModelSpec::Marketing(spec) = &scenario.model else {
            panic!("a marketing scenario")
        };
        let net = crate::network::Network::build(&scenario.network.spec, n, 5).unwrap();
        let after_one_tick = |external: f64, need: f64, bit: u8| -> Vec<bool> {
            let mut spec = (**spec).clone();
            spec.market.external_awareness = external;
            spec.market.need_rate = need;
            let mut m = Marketing::new(&net, &spec, 21, 0);
            m.step(1);
            m.agents.flags.iter().map(|f| f & bit != 0).collect()
        };
        for (low, high, bit) in [
            ((0.002, 0.001), (0.02, 0.001), flag::AWARE),
            ((0.002, 0.001), (0.002, 0.01), flag::IN_MARKET),
        ] {
            let fewer = after_one_tick(low.0, low.1, bit);
            let more = after_one_tick(high.0, high.1, bit);
            let (a, b) = (
                fewer.iter().filter(|&&x| x).count(),
                more.iter().filter(|&&x| x).count(),
            );
            assert!(a > 0 && b > a + 20, "{a} then {b} agents with flag {bit}");
            assert!(
                fewer.iter().zip(&more).all(|(&f, &m)| !f || m),
                "an agent with flag {bit} at the lower chance lost it at the higher"
            );
        }
    }

    #[test]
    fn repeated_exposures_wear_out() {
        let s = SocialMedia {
            wear_out: 0.5,
            ..SocialMedia::default()
        };
        assert_eq!(wear(&s, 0), 1.0);
        assert_eq!(wear(&s, 2), 0.5);
    }

    #[test]
    fn the_impulse_halves_every_half_life() {
        let s = SocialMedia {
            half_life: 1.0,
            ..SocialMedia::default()
        };
        assert_eq!(impulse_decay(&s), 0.5);
    }

    /// The least value is taken over the masks a draw can pick (the first `count`),
    /// not over masks past them.
    #[test]
    fn the_least_value_is_over_the_masks_in_use() {
        let mask = |community: f64| Mask {
            community,
            ..Mask::default()
        };
        let masks = [mask(0.7), mask(0.9), mask(0.2)];
        let stream = crate::rng::StreamKey::new(1, 0, 0, crate::rng::Purpose::Contact);
        let personas = |count| Personas {
            masks: &masks,
            count,
            stream,
            ids: Default::default(),
        };
        assert_eq!(personas(1).least(|m| m.community), 0.7);
        assert_eq!(personas(2).least(|m| m.community), 0.7);
        assert_eq!(personas(3).least(|m| m.community), 0.2);
        assert_eq!(personas(3).least(|m| m.review), Mask::default().review);
    }

    #[test]
    fn a_draw_picks_the_mask_whose_cumulative_share_it_falls_under() {
        let mut mix = [1.0; MAX_MASKS];
        mix[0] = 0.25;
        mix[1] = 0.75;
        assert_eq!(persona_mask(&mix, 3, 0.1), 0);
        assert_eq!(persona_mask(&mix, 3, 0.5), 1);
        assert_eq!(persona_mask(&mix, 3, 0.9), 2);
    }

    #[test]
    fn susceptible_agents_are_more_receptive_up_to_one() {
        assert_eq!(receptiveness(0.5, 0.5), 0.5);
        assert!(receptiveness(0.5, 0.9) > receptiveness(0.5, 0.1));
        assert_eq!(receptiveness(0.9, 1.0), 1.0);
    }
}
