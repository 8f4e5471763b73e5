//! The random decisions of a tick (docs/MODEL.md §3.4, §4.4 "Stochasticity"): each has
//! its own counter-based sub-stream keyed by (seed, replicate, tick, draw id, agent), so
//! a decision's numbers do not depend on which other decisions were drawn, nor on the
//! order agents are visited. Word-of-mouth contacts use a stream of their own
//! ([`crate::rng::Purpose::Contact`], keyed by arc), built in `word_of_mouth.rs`.
//!
//! The ids are numbered explicitly and are part of the output format: a new decision
//! gets the next free number at the end, so no existing stream ever shifts.

use crate::rng::{AgentRng, Purpose, StreamKey};

/// The per-tick decisions, each with its own random sub-stream. The number is the
/// sub-stream index and must never change (see `ids_are_pinned` below).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(usize)]
pub(super) enum Draw {
    /// Which persona mask is active (pass 3).
    Persona = 0,
    /// Outside awareness (pass 3).
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
    /// Reads a review as a stranger (pass 3).
    ReviewRead = 7,
    /// Talks this tick (pass 2).
    Talk = 8,
    /// An aware prospect buys (pass 5).
    Buy = 9,
    /// A customer churns (pass 5).
    Churn = 10,
    /// Joins the community (pass 6).
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
    /// A need for the product arrives for an agent outside the category (pass 3).
    Need = 19,
    /// Hears of competitor k, keyed 8i + k (pass 3).
    RivalAwareness = 20,
    /// A competitor's customer leaves it (pass 5).
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
pub(super) struct Draws([StreamKey; DRAWS]);

impl Draws {
    /// The sub-streams of tick `t` of a replicate.
    pub(super) fn new(seed: u64, replicate: u64, t: u32) -> Self {
        let key = StreamKey::new(seed, replicate, t as u64, Purpose::Marketing);
        Draws(std::array::from_fn(|d| key.child(d as u64)))
    }

    /// The uniform draw in [0, 1) of decision `d` for `agent` (or key).
    #[inline(always)]
    pub(super) fn u(&self, d: Draw, agent: usize) -> f64 {
        self.0[d as usize].unit(agent as u64)
    }

    /// The sub-stream of decision `d`, for a pass that keys it itself.
    #[inline(always)]
    pub(super) fn key(&self, d: Draw) -> StreamKey {
        self.0[d as usize]
    }

    /// The generator of decision `d` for `agent`, for draws beyond one uniform.
    #[inline(always)]
    pub(super) fn rng(&self, d: Draw, agent: usize) -> AgentRng {
        self.0[d as usize].agent(agent as u64)
    }
}

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

    #[test]
    fn a_draw_reads_its_own_sub_stream() {
        let draws = Draws::new(7, 1, 3);
        let key = StreamKey::new(7, 1, 3, Purpose::Marketing);
        for &d in ALL {
            assert_eq!(draws.u(d, 42), key.child(pinned(d) as u64).unit(42));
        }
    }
}
