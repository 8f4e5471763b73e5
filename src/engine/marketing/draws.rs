//! The random decisions of a tick (docs/MODEL.md §3.4, §4.4 "Stochasticity"): each has
//! its own counter-based sub-stream keyed by (seed, replicate, tick, draw id, agent), so
//! a decision's numbers do not depend on which other decisions were drawn, nor on the
//! order agents are visited. Word-of-mouth contacts use a stream of their own
//! ([`crate::rng::Purpose::Contact`], keyed by arc), built in `word_of_mouth.rs`.
//!
//! The ids are numbered explicitly and are part of the output format: a new decision
//! gets the next free number at the end, so no existing stream ever shifts.
//!
//! Rare decisions whose chance has a known bound for the tick (outside awareness,
//! need arrival, hearing of a competitor, reading a review, recruitment, competitor
//! churn) are not drawn agent by agent: the uniforms below the bound in a
//! chunk of [`super::CHUNK`] agents are found by geometric skips ([`Draws::below`],
//! [`crate::rng::UnitsBelow`]), and the decision is still "U < chance". A chunk's
//! uniforms are keyed by its first agent and the chunks are fixed, so the results do
//! not depend on the thread count; an agent's uniform depends neither on the bound
//! nor on which other agents were asked, so strategies keep their common random
//! numbers and raising a chance only adds events.

use super::CHUNK;
use crate::network::FirstNumbers;
use crate::rng::{AgentRng, Purpose, StreamKey, UnitsBelow};
use rayon::prelude::*;

/// The per-tick decisions, each with its own random sub-stream. The number is the
/// sub-stream index and must never change (see `ids_are_pinned` below).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub(super) enum Draw {
    /// Which persona mask is active (pass 3).
    Persona = 0,
    /// Outside awareness, by skips (pass 3).
    External = 1,
    /// Reached by paid impressions (pass 3).
    Paid = 2,
    /// Follows after a paid (key 2i) or organic (key 2i + 1) exposure (pass 3).
    Follow = 3,
    /// Clicks after an exposure, keyed like `Follow` (pass 3).
    Click = 4,
    /// A click converts, keyed like `Follow` (pass 3).
    Convert = 5,
    /// Sees a post (pass 3).
    Post = 6,
    /// Reads a review as a stranger, by skips; the reader's uniform over the read
    /// chance picks a negative review or not (pass 3).
    ReviewRead = 7,
    /// Talks this tick (pass 2).
    Talk = 8,
    /// An aware prospect buys (pass 5).
    Buy = 9,
    /// A customer churns (pass 5).
    Churn = 10,
    /// Joins the community, by skips below the tick's bound (pass 6).
    Recruit = 11,
    /// A member contributes (pass 6).
    Contribute = 12,
    /// A contribution is a co-creation idea (pass 6).
    Idea = 13,
    /// The firm responds to a contribution (pass 6).
    Response = 14,
    /// Gets a seat at an event (pass 6).
    Event = 15,
    /// Satisfaction noise, a standard normal (pass 6).
    Noise = 16,
    /// Is surveyed (pass 6).
    Survey = 17,
    /// A surveyed promoter accepts to post a review (pass 6).
    Accept = 18,
    /// A need for the product arrives for an agent outside the category, by skips
    /// (pass 3).
    Need = 19,
    /// Hears of competitor k, by skips, one run per k (pass 3).
    RivalAwareness = 20,
    /// A competitor's customer leaves it, by skips below the largest churn (pass 5).
    RivalChurn = 21,
    /// A non-customer not reached this tick forgets the brand (pass 5).
    Forget = 22,
    /// A customer posts a review unasked (pass 6).
    Unsolicited = 23,
    /// A customer's random score when advocates are chosen at random (pass 1).
    AdvocatePick = 24,
    /// A paid influencer posts this tick (pass 1).
    InfluencerPost = 25,
    /// The partners an event's attendee starts ties with (pass 6).
    EventTie = 26,
    /// A message reaches its receiver over an event tie, keyed by the receiver's slot
    /// v·`max_ties` + k (pass 4).
    EventContact = 27,
}

/// Number of sub-streams: one more than the largest id.
const DRAWS: usize = Draw::EventContact as usize + 1;

/// The random sub-streams of one tick.
pub(super) struct Draws<'a> {
    keys: [StreamKey; DRAWS],
    /// Agents' first numbers, which their draws are keyed by (`renumbering.rs`).
    ids: FirstNumbers<'a>,
}

impl<'a> Draws<'a> {
    /// The sub-streams of tick `t` of a replicate, keyed by agents' present numbers
    /// until [`Draws::keyed_by`] says otherwise.
    pub(super) fn new(seed: u64, replicate: u64, t: u32) -> Self {
        let key = StreamKey::new(seed, replicate, t as u64, Purpose::Marketing);
        Draws {
            keys: std::array::from_fn(|d| key.child(d as u64)),
            ids: FirstNumbers::default(),
        }
    }

    /// These draws keyed by the agents' first numbers `ids`.
    pub(super) fn keyed_by(self, ids: FirstNumbers<'a>) -> Self {
        Draws { ids, ..self }
    }

    /// The agents' first numbers, which the draws are keyed by.
    #[inline(always)]
    pub(super) fn ids(&self) -> FirstNumbers<'a> {
        self.ids
    }

    /// Agent `agent`'s uniform for decision `d`, keyed by its first number.
    #[inline(always)]
    pub(super) fn u(&self, d: Draw, agent: usize) -> f64 {
        self.keys[d as usize].unit(self.ids.get(agent) as u64)
    }

    /// The uniform of decision `d` at `key`, a number the caller made from agents'
    /// first numbers (as [`Draws::ids`] gives them).
    #[inline(always)]
    pub(super) fn u_at(&self, d: Draw, key: usize) -> f64 {
        self.keys[d as usize].unit(key as u64)
    }

    /// The sub-stream of decision `d`, for a pass that keys it itself.
    #[inline(always)]
    pub(super) fn key(&self, d: Draw) -> StreamKey {
        self.keys[d as usize]
    }

    /// Agent `agent`'s generator for decision `d`, keyed by its first number.
    #[inline(always)]
    pub(super) fn rng(&self, d: Draw, agent: usize) -> AgentRng {
        self.keys[d as usize].agent(self.ids.get(agent) as u64)
    }

    /// Decision `d`'s uniforms U_i below `bound` for the agents `start..start + len`
    /// (one chunk of first numbers), found by skips ([`UnitsBelow`]): a chunk costs
    /// about len·bound work, not len. An agent's U_i does not depend on the bound, so
    /// "U_i < its chance" is the decision at that chance for any chance up to the
    /// bound. `sub` tells apart runs of one decision (competitor k). The skips read
    /// children of `d`'s sub-stream, keyed by the chunk's first agent, so they never
    /// meet its per-agent uniforms and do not depend on the thread count. Passes walk
    /// them through [`Draws::skips`], which also serves renumbered agents.
    pub(super) fn below(
        &self,
        d: Draw,
        sub: u64,
        start: usize,
        len: usize,
        bound: f64,
    ) -> UnitsBelow {
        let (start, end) = (start as u64, (start + len) as u64);
        UnitsBelow::new(
            self.keys[d as usize].child(SKIPS + sub),
            start,
            start,
            end,
            bound,
        )
    }

    /// The uniforms below `bound` of decision `d` (run `sub` of it) for this tick's
    /// `n` agents, to be walked a chunk at a time ([`Skips::chunk`]). Skips find them
    /// over chunks of the agents' first numbers, so when the agents were renumbered
    /// they are found here, over the first numbers' chunks, and listed by the chunk of
    /// their present numbers (about n·bound of them, bucketed by a counting sort and
    /// each chunk's sorted); otherwise each chunk finds its own as it is walked.
    pub(super) fn skips(&self, d: Draw, sub: u64, n: usize, bound: f64) -> Skips<'_> {
        let listed = self.ids.renumbered().then(|| {
            let chunks = n.div_ceil(CHUNK);
            // A bound of 0 or less, or NaN, finds none ([`UnitsBelow::new`]).
            if bound.is_nan() || bound <= 0.0 {
                return Listed {
                    picks: Vec::new(),
                    starts: vec![0; chunks + 1],
                };
            }
            let find = |c: usize| {
                let start = c * CHUNK;
                let mut units = self.below(d, sub, start, CHUNK.min(n - start), bound);
                let mut picks = Vec::new();
                let mut from = start as u64;
                while let Some((first, u)) = units.next_from(from) {
                    picks.push((self.ids.now(first as usize) as u64, u));
                    from = first + 1;
                }
                picks
            };
            let found: Vec<Vec<(u64, f64)>> = (0..chunks).into_par_iter().map(find).collect();
            let mut starts = vec![0usize; chunks + 1];
            for &(i, _) in found.iter().flatten() {
                starts[i as usize / CHUNK + 1] += 1;
            }
            for c in 1..starts.len() {
                starts[c] += starts[c - 1];
            }
            let total = starts[chunks];
            let mut picks = vec![(0u64, 0f64); total];
            let mut at = starts.clone();
            for &(i, u) in found.iter().flatten() {
                let c = i as usize / CHUNK;
                picks[at[c]] = (i, u);
                at[c] += 1;
            }
            let mut buckets = Vec::with_capacity(starts.len() - 1);
            let mut rest = &mut picks[..];
            for w in starts.windows(2) {
                let (bucket, tail) = std::mem::take(&mut rest).split_at_mut(w[1] - w[0]);
                buckets.push(bucket);
                rest = tail;
            }
            let sort = |b: &mut [(u64, f64)]| b.sort_unstable_by_key(|&(i, _)| i);
            // A few thousand picks (the usual rare decision) are sorted on this thread:
            // handing them to the pool and back would cost more than the sorts.
            if total >= PARALLEL_PICKS {
                buckets.into_par_iter().for_each(sort);
            } else {
                buckets.into_iter().for_each(sort);
            }
            Listed { picks, starts }
        });
        Skips {
            draws: self,
            d,
            sub,
            bound,
            listed,
        }
    }
}

/// Picks from which [`Draws::skips`] sorts a decision's chunks in parallel.
const PARALLEL_PICKS: usize = 1 << 16;

/// The picks of a decision when the agents were renumbered: each chunk's (by present
/// number) in increasing order, chunk c's at `picks[starts[c]..starts[c + 1]]`.
struct Listed {
    picks: Vec<(u64, f64)>,
    starts: Vec<usize>,
}

/// The uniforms below a bound of one decision for every agent of a tick
/// ([`Draws::skips`]).
pub(super) struct Skips<'d> {
    draws: &'d Draws<'d>,
    d: Draw,
    sub: u64,
    bound: f64,
    /// When the agents were renumbered: the picks, by present number.
    listed: Option<Listed>,
}

impl Skips<'_> {
    /// The picks of the agents `start..start + len`, a chunk (`start` a multiple of
    /// [`CHUNK`]), in increasing order.
    pub(super) fn chunk(&self, start: usize, len: usize) -> Picks<'_> {
        match &self.listed {
            None => Picks::Found(self.draws.below(self.d, self.sub, start, len, self.bound)),
            Some(Listed { picks, starts }) => {
                debug_assert!(start.is_multiple_of(CHUNK) && len <= CHUNK);
                let c = start / CHUNK;
                Picks::Listed(&picks[starts[c]..starts[c + 1]])
            }
        }
    }
}

/// A chunk's uniforms below a bound, walked in increasing agent order: found by skips
/// as they are asked for, or listed beforehand ([`Skips`]). The same agents get the
/// same uniforms either way.
// A chunk's walk holds one on its stack for each decision: boxing the run to shrink
// the listed variant would allocate per chunk and decision.
#[allow(clippy::large_enum_variant)]
pub(super) enum Picks<'a> {
    /// Found by skips as they are asked for (the agents keep their first numbers).
    Found(UnitsBelow),
    /// Listed beforehand by present number, the rest still to walk.
    Listed(&'a [(u64, f64)]),
}

impl Picks<'_> {
    /// The first agent at or after `from` with a uniform below the bound, with its
    /// uniform ([`UnitsBelow::next_from`]).
    #[inline]
    pub(super) fn next_from(&mut self, from: u64) -> Option<(u64, f64)> {
        match self {
            Picks::Found(units) => units.next_from(from),
            Picks::Listed(rest) => {
                let skip = rest.partition_point(|&(i, _)| i < from);
                let (&first, tail) = rest[skip..].split_first()?;
                *rest = tail;
                Some(first)
            }
        }
    }

    /// Whether agent `i`'s uniform is below `p`, for a chance no larger than the
    /// bound; agents must be asked in increasing order ([`UnitsBelow::below`]).
    #[inline(always)]
    pub(super) fn below(&mut self, i: u64, p: f64) -> bool {
        match self {
            Picks::Found(units) => units.below(i, p),
            Picks::Listed(rest) => {
                while let Some((&(k, u), tail)) = rest.split_first() {
                    if k > i {
                        return false;
                    }
                    *rest = tail;
                    if k == i {
                        return u < p;
                    }
                }
                false
            }
        }
    }
}

/// The first child index of the sub-streams of skips ([`Draws::below`]); per-agent
/// uniforms of the same decision read the decision's own sub-stream.
const SKIPS: u64 = 1 << 32;

#[cfg(test)]
mod tests {
    use super::*;

    /// The pinned number of every draw. The match is exhaustive, so a new draw does
    /// not compile until it is given its number here.
    fn pinned(d: Draw) -> usize {
        match d {
            Draw::Persona => 0,
            Draw::External => 1,
            Draw::Paid => 2,
            Draw::Follow => 3,
            Draw::Click => 4,
            Draw::Convert => 5,
            Draw::Post => 6,
            Draw::ReviewRead => 7,
            Draw::Talk => 8,
            Draw::Buy => 9,
            Draw::Churn => 10,
            Draw::Recruit => 11,
            Draw::Contribute => 12,
            Draw::Idea => 13,
            Draw::Response => 14,
            Draw::Event => 15,
            Draw::Noise => 16,
            Draw::Survey => 17,
            Draw::Accept => 18,
            Draw::Need => 19,
            Draw::RivalAwareness => 20,
            Draw::RivalChurn => 21,
            Draw::Forget => 22,
            Draw::Unsolicited => 23,
            Draw::AdvocatePick => 24,
            Draw::InfluencerPost => 25,
            Draw::EventTie => 26,
            Draw::EventContact => 27,
        }
    }

    const ALL: &[Draw] = &[
        Draw::Persona,
        Draw::External,
        Draw::Paid,
        Draw::Follow,
        Draw::Click,
        Draw::Convert,
        Draw::Post,
        Draw::ReviewRead,
        Draw::Talk,
        Draw::Buy,
        Draw::Churn,
        Draw::Recruit,
        Draw::Contribute,
        Draw::Idea,
        Draw::Response,
        Draw::Event,
        Draw::Noise,
        Draw::Survey,
        Draw::Accept,
        Draw::Need,
        Draw::RivalAwareness,
        Draw::RivalChurn,
        Draw::Forget,
        Draw::Unsolicited,
        Draw::AdvocatePick,
        Draw::InfluencerPost,
        Draw::EventTie,
        Draw::EventContact,
    ];

    #[test]
    fn ids_are_pinned() {
        for &d in ALL {
            assert_eq!(d as usize, pinned(d), "{d:?} changed its number");
        }
    }

    #[test]
    fn ids_are_dense_and_distinct() {
        let mut ids: Vec<usize> = ALL.iter().map(|&d| d as usize).collect();
        ids.sort_unstable();
        assert_eq!(ids, (0..DRAWS).collect::<Vec<_>>());
    }

    /// A chunk's uniforms below a bound keep each agent at its own chance: half the
    /// agents at chance 0.01, half at 0.04, under a bound of 0.05, over 4M agents.
    #[test]
    fn units_below_a_bound_decide_each_agent_at_its_own_chance() {
        let draws = Draws::new(11, 0, 5);
        let (n, chunk) = (1usize << 22, 4096);
        let mut kept = [0u64; 2];
        for start in (0..n).step_by(chunk) {
            let mut units = draws.below(Draw::Recruit, 0, start, chunk, 0.05);
            for i in start..start + chunk {
                let chance = if i % 2 == 0 { 0.01 } else { 0.04 };
                kept[i % 2] += units.below(i as u64, chance) as u64;
            }
        }
        for (k, p) in [(0, 0.01), (1, 0.04)] {
            let trials = (n / 2) as f64;
            let sd = (trials * p * (1.0 - p)).sqrt();
            let dev = (kept[k] as f64 - trials * p).abs();
            assert!(dev < 5.0 * sd, "chance {p}: {} of {trials}", kept[k]);
        }
    }

    /// Another decision, or another run of one decision, draws other uniforms, and
    /// none of them is a per-agent uniform of the decision.
    #[test]
    fn runs_of_skips_are_their_own_streams() {
        let draws = Draws::new(3, 2, 9);
        let units = |d, sub| {
            let mut u = draws.below(d, sub, 8192, 4096, 1.0);
            (8192..12288u64)
                .map(|i| u.get(i).unwrap())
                .collect::<Vec<f64>>()
        };
        let first = units(Draw::External, 0);
        assert_ne!(first, units(Draw::External, 1));
        assert_ne!(first, units(Draw::Need, 0));
        let own: Vec<f64> = (8192..12288).map(|i| draws.u(Draw::External, i)).collect();
        assert!(first.iter().zip(&own).all(|(a, b)| a != b));
    }

    #[test]
    fn a_draw_reads_its_own_sub_stream() {
        let draws = Draws::new(7, 1, 3);
        let key = StreamKey::new(7, 1, 3, Purpose::Marketing);
        for &d in ALL {
            assert_eq!(draws.u(d, 42), key.child(pinned(d) as u64).unit(42));
        }
    }
}
