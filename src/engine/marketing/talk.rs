//! Talk signals (docs/MODEL.md §4.7.2, pass 2): who talks this tick, with which sign,
//! credibility and source, decided from the state at the end of t−1 so receivers in
//! pass 4 read fixed decisions. Reviewers' talk is in `reviews.rs`, advocates' in
//! `advocates.rs` (their reward, carried by the message, acts per tie in `rewards.rs`),
//! influencers' sponsored posts in `influencers.rs`; the pass also sums paid-targeting
//! weights for `exposure.rs`.

use super::bits::{self, ones};
use super::draws::{Draw, Draws};
use super::exact_sum::ExactSum;
use super::firm::Plan;
use super::record::is_detractor;
use super::{CHUNK, Marketing, advocates, exposure, neighbour_share, reviews, rewards};
use crate::population::{Customers, Source, flag, membership, status};
use crate::scenario::marketing::{Advocates, Reviews, Targeting, WordOfMouth};
use rayon::prelude::*;

/// What an agent says this tick: its neighbours read the whole record at once.
#[derive(Clone, Copy, Default)]
pub(super) struct Message {
    /// Credibility of the talker.
    pub credibility: f32,
    /// +1 positive, −1 negative, 0 silent.
    pub sign: i8,
    /// [`Source`] code of the channel the message travels on.
    pub source: u8,
    /// The reward behind it (`rewards::kind`): its effect depends on each tie.
    pub reward: u8,
}

impl Message {
    fn new(sign: i8, source: Source, credibility: f64) -> Message {
        Message {
            sign,
            source: source as u8,
            credibility: credibility as f32,
            reward: rewards::kind::NONE,
        }
    }

    /// A paid influencer's sponsored post (`influencers.rs`), of `credibility`.
    pub(super) fn sponsored(credibility: f64) -> Message {
        Message::new(1, Source::Influencer, credibility)
    }
}

/// A talker's credibility: min(`credibility` + `reputation_credibility`·rep +
/// `knowledge_credibility`·know, 1). Respected and knowledgeable customers are believed
/// more.
#[inline]
pub(super) fn credibility(w: &WordOfMouth, reputation: f64, knowledge: f64) -> f64 {
    (w.credibility + w.reputation_credibility * reputation + w.knowledge_credibility * knowledge)
        .min(1.0)
}

/// A satisfied customer's chance of talking positively (before community and advocate
/// factors): `talk_rate`·(1 + `satisfaction_talk`·max(s − 0.5, 0))·(1 +
/// `reputation_talk`·rep).
#[inline]
pub(super) fn talk_rate(w: &WordOfMouth, satisfaction: f64, reputation: f64) -> f64 {
    w.talk_rate
        * (1.0 + w.satisfaction_talk * (satisfaction - 0.5).max(0.0))
        * (1.0 + w.reputation_talk * reputation)
}

/// The rules of talk for one tick.
struct Talk<'a> {
    w: &'a WordOfMouth,
    reviews: Option<&'a Reviews>,
    advocates: Option<&'a Advocates>,
    plan: &'a Plan,
}

impl Talk<'_> {
    /// The agents `start..start + len` who may talk this tick, one bit each (agent
    /// start + j in bit j % 64 of word j / 64), found without a branch: those not
    /// churned who are customers, members of an engaged community, or reviewers while
    /// reviews are asked for. Every other agent's [`Talk::message`] is silence, and
    /// walking only the bits spares a branch per agent that the processor cannot
    /// predict.
    fn may_talk(&self, a: &Customers, start: usize, len: usize) -> [u64; CHUNK / 64] {
        // Eight agents at a time, each switch a mask.
        let (engage, reviews) = (bits::mask(self.plan.engage), bits::mask(self.plan.reviews));
        let range = start..start + len;
        let columns = [
            &a.status[range.clone()],
            &a.membership[range.clone()],
            &a.flags[range],
        ];
        let [may] = bits::by_eight(columns, |[s, m, f]| {
            [!bits::equal(s, status::CHURNED)
                & (bits::equal(s, status::CUSTOMER)
                    | (engage & !bits::equal(m, membership::NONE))
                    | (reviews & bits::with(f, flag::REVIEWER)))]
        });
        may
    }

    /// The message of agent `i`, from its state at the end of last tick.
    #[inline]
    fn message(&self, a: &Customers, i: usize, draws: &Draws) -> Message {
        let (w, plan) = (self.w, self.plan);
        let (flags, st) = (a.flags[i], a.status[i]);
        if st == status::CHURNED {
            return Message::default();
        }
        if flags & flag::REVIEWER != 0 && plan.reviews {
            let sign = if is_detractor(a.satisfaction[i]) {
                -1
            } else {
                1
            };
            return reviews::review_message(self.reviews, sign);
        }
        let member = a.membership[i] != membership::NONE && plan.engage;
        if st != status::CUSTOMER && !member {
            return Message::default();
        }
        let rep = a.reputation[i] as f64;
        let credibility = credibility(w, rep, a.knowledge[i] as f64);
        let sat = a.satisfaction[i] as f64;
        let u = draws.u(Draw::Talk, i);
        if st == status::CUSTOMER && is_detractor(sat as f32) {
            return if u < w.negative_talk_rate {
                Message::new(-1, Source::WordOfMouth, credibility)
            } else {
                Message::default()
            };
        }
        if st != status::CUSTOMER && a.attitude[i] <= 0.0 {
            return Message::default();
        }
        let mut talk = advocates::TalkEffect {
            rate: talk_rate(w, sat, rep),
            credibility,
            reward: rewards::kind::NONE,
        };
        let mut source = Source::WordOfMouth;
        if member {
            talk.rate *= w.member_talk;
            source = Source::Community;
        }
        if flags & flag::ADVOCATE != 0
            && plan.advocates
            && let Some(p) = self.advocates
        {
            talk = advocates::talk_effect(p, talk.rate, talk.credibility);
            source = Source::Advocate;
        }
        if u < talk.rate.min(1.0) {
            Message {
                reward: talk.reward,
                ..Message::new(1, source, talk.credibility)
            }
        } else {
            Message::default()
        }
    }
}

impl Marketing<'_> {
    /// Pass 2: who talks this tick, with what credibility and on which channel, from
    /// the state at the end of the previous tick. Also sums the targeting weights.
    pub(super) fn talk_signals(&mut self, plan: &Plan, draws: &Draws) -> f64 {
        let spec = self.spec;
        let community = spec.strategy.community.as_ref();
        let rules = Talk {
            w: &spec.market.word_of_mouth,
            reviews: community.map(|c| &c.reviews),
            advocates: community.map(|c| &c.advocates),
            plan,
        };
        let agents = &self.agents;
        let social = spec.strategy.social_media.as_ref();
        let targeting = social.map(|s| s.targeting);
        let (incoming, adopted) = (self.network.incoming(), &self.adopted_neighbours);
        let (segment_rate, map) = (self.firm.segment_rate, self.firm.customer_map);
        // Only talkers' messages are written, with their bits in `talking` (cleared
        // first); a silent agent's stale message is neither read nor written
        // (receivers test the bit first), so a tick touches the message array only
        // where someone talks.
        let sums: Vec<ExactSum> = self
            .talk
            .par_chunks_mut(CHUNK)
            .zip(self.talking.par_chunks_mut(CHUNK / 64))
            .enumerate()
            .map(|(c, (talk, bits))| {
                bits.fill(0);
                for j in ones(0, &rules.may_talk(agents, c * CHUNK, talk.len())) {
                    let said = rules.message(agents, c * CHUNK + j, draws);
                    if said.sign != 0 {
                        talk[j] = said;
                        bits[j / 64] |= 1 << (j % 64);
                    }
                }
                let mut weight_sum = ExactSum::default();
                let Some(social) = social else {
                    // Each agent weighs 1.
                    weight_sum.add(talk.len() as f64);
                    return weight_sum;
                };
                for j in 0..talk.len() {
                    let i = c * CHUNK + j;
                    let high = agents.flags[i] & flag::HIGH_INVOLVEMENT != 0;
                    let share = if targeting == Some(Targeting::Lookalike) {
                        neighbour_share(adopted, incoming, i)
                    } else {
                        0.0
                    };
                    weight_sum.add(exposure::targeting_weight(
                        social,
                        high,
                        share,
                        &segment_rate,
                        map,
                    ));
                }
                weight_sum
            })
            .collect();
        self.sponsored_posts();
        // The sum does not depend on the order of its adds, so neither on how the
        // agents are numbered ([`ExactSum`]).
        sums.into_iter()
            .fold(ExactSum::default(), ExactSum::plus)
            .value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w() -> WordOfMouth {
        WordOfMouth {
            credibility: 0.5,
            reputation_credibility: 0.3,
            knowledge_credibility: 0.2,
            talk_rate: 0.1,
            satisfaction_talk: 2.0,
            reputation_talk: 1.0,
            ..WordOfMouth::default()
        }
    }

    #[test]
    fn only_agents_who_may_talk_can_say_anything() {
        use crate::scenario::marketing::{Advocates, Reviews};
        let n = CHUNK + 500 + 3;
        let a = super::super::random_agents(11, n);
        // A talk rate of 1, so that nearly everyone who may talk does.
        let w = WordOfMouth {
            talk_rate: 1.0,
            negative_talk_rate: 1.0,
            ..WordOfMouth::default()
        };
        let (reviews, advocates) = (Reviews::default(), Advocates::default());
        let draws = Draws::new(3, 0, 1);
        for (engage, asked) in [(true, true), (false, false), (true, false)] {
            let plan = Plan {
                engage,
                reviews: asked,
                advocates: true,
                ..Plan::default()
            };
            let talk = Talk {
                w: &w,
                reviews: Some(&reviews),
                advocates: Some(&advocates),
                plan: &plan,
            };
            let (mut may, mut say) = (0, 0);
            for start in (0..n).step_by(CHUNK) {
                let len = CHUNK.min(n - start);
                let bits = talk.may_talk(&a, start, len);
                for j in 0..CHUNK {
                    let bit = bits[j / 64] >> (j % 64) & 1 == 1;
                    if j >= len {
                        assert!(!bit);
                        continue;
                    }
                    let i = start + j;
                    let said = talk.message(&a, i, &draws).sign != 0;
                    let st = a.status[i];
                    let want = st != status::CHURNED
                        && (st == status::CUSTOMER
                            || engage && a.membership[i] != membership::NONE
                            || asked && a.flags[i] & flag::REVIEWER != 0);
                    assert_eq!(bit, want, "agent {i}");
                    assert!(bit || !said, "agent {i} talks without its bit");
                    (may, say) = (may + bit as usize, say + said as usize);
                }
            }
            // Many may talk, most of them do, and many may not.
            assert!(
                may > n / 5 && may < n * 4 / 5 && say > may / 2,
                "{may} {say}"
            );
        }
    }

    #[test]
    fn a_message_stays_eight_bytes() {
        assert_eq!(std::mem::size_of::<Message>(), 8);
    }

    #[test]
    fn respected_and_knowledgeable_talkers_are_believed_more() {
        let w = w();
        assert_eq!(credibility(&w, 0.0, 0.0), 0.5);
        assert!(credibility(&w, 0.5, 0.5) > credibility(&w, 0.0, 0.0));
        assert_eq!(credibility(&w, 1.0, 1.0), 1.0);
    }

    #[test]
    fn only_satisfaction_above_half_raises_talk() {
        let w = w();
        assert_eq!(talk_rate(&w, 0.2, 0.0), talk_rate(&w, 0.5, 0.0));
        assert!((talk_rate(&w, 1.0, 0.0) - 0.2).abs() < 1e-12);
        assert!((talk_rate(&w, 0.5, 1.0) - 0.2).abs() < 1e-12);
    }
}
