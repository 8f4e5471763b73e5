//! Community, social capital, satisfaction and surveys (docs/MODEL.md §4.7.6, pass 6):
//! recruitment, conversation, contributions and the firm's responses, events,
//! co-creation ideas, advocates' social-capital rewards, the decay of social capital,
//! customers' satisfaction, the surveys that make the customers the firm asks
//! reviewers, and unasked reviews. The community's budget is in `firm.rs`, the
//! advocates' rules in `advocates.rs`, the review rules in `reviews.rs`.

use super::bits::{self, ones};
use super::census::Census;
use super::draws::{Draw, Draws};
use super::firm::Plan;
use super::record::Tally;
use super::reviews::{self, Solicited};
use super::{CHUNK, Marketing, advocates, neighbour_share};
use crate::network::Csr;
use crate::population::{CustomersChunk, flag, membership, role, status};
use crate::scenario::marketing::{Community, Events, ReviewStock, Satisfaction, SocialCapital};
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;
use std::sync::atomic::AtomicU32;

/// An agent's chance of joining: `recruitment`, times the campaign's multiplier,
/// times `involvement_recruitment` if involved, times `unaware_recruitment` if
/// unaware, times (1 + `peer_recruitment`·M/d).
#[inline]
pub(super) fn recruitment_chance(
    cm: &Community,
    campaign: f64,
    high: bool,
    aware: bool,
    share: f64,
) -> f64 {
    cm.recruitment
        * campaign
        * if high {
            cm.involvement_recruitment
        } else {
            1.0
        }
        * if aware { 1.0 } else { cm.unaware_recruitment }
        * (1.0 + cm.peer_recruitment * share)
}

/// The largest recruitment chance of a tick, for any agent: [`recruitment_chance`]
/// with each multiplier at its larger value and every neighbour a member. Candidates
/// have their uniforms below this bound found by skips (`draws.rs`).
pub(super) fn recruitment_bound(cm: &Community, campaign: f64) -> f64 {
    cm.recruitment
        * campaign
        * cm.involvement_recruitment.max(1.0)
        * cm.unaware_recruitment.max(1.0)
        * (1.0 + cm.peer_recruitment).max(1.0)
}

/// An engaged member's expected contributions this tick: `contribution`·(1 + aff) for
/// a contributor, times `super_user_factor` for a super-user, 0 for a lurker. It may
/// exceed 1: a super-user can post several times a day.
#[inline]
pub(super) fn contribution_rate(cm: &Community, role: u8, affiliation: f64) -> f64 {
    let factor = match role {
        role::SUPER_USER => cm.super_user_factor,
        role::CONTRIBUTOR => 1.0,
        _ => 0.0,
    };
    cm.contribution * factor * (1.0 + affiliation)
}

/// The Poisson(`mean`) count a uniform draw `u` gives by inversion of the CDF (at
/// most 1000): 0 when u < e^(−mean), and so on.
#[inline]
pub(super) fn poisson_count(mean: f64, u: f64) -> u32 {
    let mut p = (-mean).exp();
    let (mut cdf, mut k) = (p, 0u32);
    while u >= cdf && k < 1000 && p > 0.0 {
        k += 1;
        p *= mean / k as f64;
        cdf += p;
    }
    k
}

/// The Binomial(`n`, `p`) count a uniform draw `u` gives by inversion of the CDF.
#[inline]
pub(super) fn binomial_count(n: u32, p: f64, u: f64) -> u32 {
    if p >= 1.0 {
        return n;
    }
    if p <= 0.0 {
        return 0;
    }
    let odds = p / (1.0 - p);
    let mut q = (1.0 - p).powi(n as i32);
    let (mut cdf, mut k) = (q, 0u32);
    while u >= cdf && k < n {
        q *= odds * (n - k) as f64 / (k + 1) as f64;
        k += 1;
        cdf += q;
    }
    k
}

/// What the firm's answer to a contribution does to its author's affiliation:
/// +`response_affiliation` when answered, −`unanswered_affiliation` when not.
#[inline]
pub(super) fn affiliation_from_answer(sc: &SocialCapital, answered: bool) -> f64 {
    if answered {
        sc.response_affiliation
    } else {
        -sc.unanswered_affiliation
    }
}

/// What an event seat adds to affiliation: `affiliation` online, times
/// `physical_affiliation` at a physical event.
#[inline]
pub(super) fn event_affiliation(events: &Events) -> f64 {
    let boost = if events.physical {
        events.physical_affiliation
    } else {
        1.0
    };
    events.affiliation * boost
}

/// A member is active while its last contribution is at most `active_window` ticks old.
#[inline]
pub(super) fn membership_at(contributed: u32, t: u32, active_window: u32) -> u8 {
    if contributed > 0 && t - contributed <= active_window {
        membership::ACTIVE
    } else {
        membership::MEMBER
    }
}

/// The satisfaction a customer drifts towards: `baseline` + `quality`·(Q − Q₀) +
/// `bond`·aff.
#[inline]
pub(super) fn satisfaction_target(s: &Satisfaction, quality_effect: f64, affiliation: f64) -> f64 {
    s.baseline + quality_effect + s.bond * affiliation
}

/// One tick of satisfaction: s + `adjustment`·(target − s) + `noise`·z, z standard
/// normal (clamped to [0, 1] by the caller).
#[inline]
pub(super) fn satisfaction_step(s: &Satisfaction, satisfaction: f64, target: f64, z: f64) -> f64 {
    satisfaction + (s.adjustment * (target - satisfaction) + s.noise * z)
}

/// Counts a new review of sign `sign` (+1, −1; 0 is none) into the tally.
#[inline]
fn count_review(tally: &mut Tally, sign: i8) {
    tally.reviews_positive += (sign > 0) as u64;
    tally.reviews_negative += (sign < 0) as u64;
}

/// An agent's social capital and satisfaction while the pass works on them, unclamped.
struct Capital {
    reputation: f64,
    affiliation: f64,
    knowledge: f64,
    satisfaction: f64,
}

impl Capital {
    /// Social capital decays a share a tick.
    fn decayed(c: &CustomersChunk, j: usize, sc: &SocialCapital) -> Capital {
        Capital {
            reputation: c.reputation[j] as f64 * (1.0 - sc.reputation_decay),
            affiliation: c.affiliation[j] as f64 * (1.0 - sc.affiliation_decay),
            knowledge: c.knowledge[j] as f64 * (1.0 - sc.knowledge_decay),
            satisfaction: c.satisfaction[j] as f64,
        }
    }

    /// Stores it, each within [0, 1], and says whether the agent now holds social
    /// capital other than ±0. Most agents hold no social capital and no changed
    /// satisfaction: an unchanged value is not written again, which spares the memory
    /// traffic of writing back every agent's four values every tick.
    fn store(&self, c: &mut CustomersChunk, j: usize) -> bool {
        let set = |slot: &mut f32, value: f64| {
            let value = value.clamp(0.0, 1.0) as f32;
            if slot.to_bits() != value.to_bits() {
                *slot = value;
            }
        };
        set(&mut c.reputation[j], self.reputation);
        set(&mut c.affiliation[j], self.affiliation);
        set(&mut c.knowledge[j], self.knowledge);
        set(&mut c.satisfaction[j], self.satisfaction);
        holds(c, j)
    }
}

/// Whether agent `j` of chunk `c` holds social capital other than ±0.
#[inline]
fn holds(c: &CustomersChunk, j: usize) -> bool {
    let capital = c.reputation[j].to_bits() | c.affiliation[j].to_bits() | c.knowledge[j].to_bits();
    capital & 0x7fff_ffff != 0
}

/// The agents of chunk `c` holding social capital other than ±0, one bit each (agent
/// j in bit j % 64 of word j / 64), found by reading every agent's capital. Pass 6
/// keeps these bits as it changes capital (the only pass that does), so that a tick
/// reads only its holders' capital.
pub(super) fn capital_holders(c: &CustomersChunk) -> [u64; CHUNK / 64] {
    bits::of(c.flags.len(), |j| holds(c, j))
}

/// The community rules of one tick.
struct Gathering<'a> {
    sc: &'a SocialCapital,
    s: &'a Satisfaction,
    reviews: &'a ReviewStock,
    cm: Option<&'a Community>,
    plan: &'a Plan,
    t: u32,
    quality_effect: f64,
    incoming: &'a Csr,
    members: &'a [AtomicU32],
}

impl Gathering<'_> {
    /// The agents of chunk `c` with something to do this tick, one bit each (agent j
    /// in bit j % 64 of word j / 64), found without a branch: the capital holders
    /// `held` ([`capital_holders`]) and the agents below. Most have nothing: not a
    /// customer (no satisfaction to update), no social capital to decay (0 decays to
    /// 0, and stores unchanged), and no community rule that applies to it (not a
    /// member, not a rewarded advocate; recruitment candidates are added by the
    /// caller). Skipping them changes nothing, bit for bit, and spares reading their
    /// capital again; walking the bits spares a branch per agent that the processor
    /// cannot predict.
    fn busy(&self, c: &CustomersChunk, held: &[u64]) -> [u64; CHUNK / 64] {
        let community = self.cm.is_some();
        let advocates = community && self.plan.advocates;
        // Eight agents at a time, each switch a mask.
        let (community, advocates) = (bits::mask(community), bits::mask(advocates));
        let [mut busy] = bits::by_eight([c.status, c.membership, c.flags], |[s, m, f]| {
            [bits::equal(s, status::CUSTOMER)
                | (community & !bits::equal(m, membership::NONE))
                | (advocates & bits::with(f, flag::ADVOCATE))]
        });
        busy.iter_mut().zip(held).for_each(|(b, h)| *b |= h);
        busy
    }

    /// Agent `j` of chunk `c` (id `i`), not a member, whose `Recruit` uniform `u` is
    /// below [`recruitment_bound`], joins when u is below its own chance.
    #[inline]
    fn recruit(&self, cm: &Community, c: &mut CustomersChunk, j: usize, u: f64) -> bool {
        let i = c.start + j;
        let high = c.flags[j] & flag::HIGH_INVOLVEMENT != 0;
        let aware = c.flags[j] & flag::AWARE != 0;
        let share = neighbour_share(self.members, self.incoming, i);
        let chance = recruitment_chance(cm, self.plan.campaign, high, aware, share);
        if u < chance {
            c.membership[j] = membership::MEMBER;
            c.flags[j] |= flag::AWARE;
            true
        } else {
            false
        }
    }

    /// A member of an open community learns, converses, contributes, is answered,
    /// attends events, and is active or not; whether it attended an event.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    fn take_part(
        &self,
        cm: &Community,
        c: &mut CustomersChunk,
        j: usize,
        k: &mut Capital,
        draws: &Draws,
        tally: &mut Tally,
    ) -> bool {
        let (i, sc, plan) = (c.start + j, self.sc, self.plan);
        k.knowledge += sc.programme_knowledge;
        if plan.engage {
            k.affiliation += sc.conversation_affiliation;
            let rate = contribution_rate(cm, c.role[j], k.affiliation);
            // A lurker's rate is 0, and Poisson(0) is 0 whatever the draw: most
            // members are lurkers, and skip the draw and the exponential.
            let posts = if rate > 0.0 {
                poisson_count(rate, draws.u(Draw::Contribute, i))
            } else {
                0
            };
            if posts > 0 {
                c.contributed[j] = self.t;
                tally.contributions += posts as u64;
                if c.role[j] == role::SUPER_USER {
                    tally.super_user_contributions += posts as u64;
                }
                k.reputation += sc.contribution_reputation * posts as f64;
                if plan.cocreation {
                    let share = cm.cocreation.idea_share;
                    tally.ideas += binomial_count(posts, share, draws.u(Draw::Idea, i)) as u64;
                }
                let answer = cm.responsiveness * plan.answer_share;
                let answered = binomial_count(posts, answer, draws.u(Draw::Response, i));
                k.affiliation += affiliation_from_answer(sc, true) * answered as f64
                    + affiliation_from_answer(sc, false) * (posts - answered) as f64;
                k.reputation += sc.recognition_reputation * answered as f64;
                k.satisfaction += self.s.response * answered as f64;
                tally.answered += answered as u64;
            }
        }
        let attended = plan.event && draws.u(Draw::Event, i) < plan.event_seat;
        if attended {
            k.affiliation += event_affiliation(&cm.events);
        }
        c.membership[j] = membership_at(c.contributed[j], self.t, cm.active_window);
        attended
    }

    /// A customer's satisfaction drifts towards its target; surveyed customers the
    /// firm asks may post a review (and become reviewers for a tick), others may post
    /// one unasked.
    #[inline]
    fn satisfy(
        &self,
        c: &mut CustomersChunk,
        j: usize,
        k: &mut Capital,
        draws: &Draws,
        tally: &mut Tally,
    ) {
        let (i, s, cm, plan) = (c.start + j, self.s, self.cm, self.plan);
        let target = satisfaction_target(s, self.quality_effect, k.affiliation);
        let z: f64 = StandardNormal.sample(&mut draws.rng(Draw::Noise, i));
        k.satisfaction = satisfaction_step(s, k.satisfaction, target, z);
        let opinion = k.satisfaction.clamp(0.0, 1.0) as f32;
        if plan.survey
            && let Some(cm) = cm
            && draws.u(Draw::Survey, i) < cm.reviews.survey_share
        {
            tally.surveyed += 1;
            if plan.reviews {
                match reviews::solicited_review(&cm.reviews, opinion, draws.u(Draw::Accept, i)) {
                    Solicited::Posts(sign) => {
                        c.flags[j] |= flag::REVIEWER;
                        tally.reviews_posted += 1;
                        tally.solicited_negative += (sign < 0) as u64;
                        count_review(tally, sign);
                    }
                    Solicited::NotAsked => tally.not_asked += 1,
                    Solicited::Nothing => {}
                }
            }
        }
        if c.flags[j] & flag::REVIEWER == 0 {
            let u = draws.u(Draw::Unsolicited, i);
            count_review(tally, reviews::unsolicited_review(self.reviews, opinion, u));
        }
    }

    /// Pass 6 for agent `j` of chunk `c`, one with something to do ([`Gathering::busy`]
    /// or a recruitment `candidate`, with its `Recruit` uniform); whether it joined
    /// the community, whether it attended an event, and whether it holds social
    /// capital afterwards.
    #[inline]
    fn agent(
        &self,
        c: &mut CustomersChunk,
        j: usize,
        candidate: Option<f64>,
        draws: &Draws,
        tally: &mut Tally,
    ) -> (bool, bool, bool) {
        let plan = self.plan;
        let mut k = Capital::decayed(c, j, self.sc);
        let (mut joined, mut attended) = (false, false);
        if let Some(cm) = self.cm {
            if let Some(u) = candidate {
                joined = self.recruit(cm, c, j, u);
            }
            if c.membership[j] != membership::NONE && plan.community {
                attended = self.take_part(cm, c, j, &mut k, draws, tally);
            }
            if plan.advocates && c.flags[j] & flag::ADVOCATE != 0 {
                let g = advocates::social_capital_gain(&cm.advocates);
                k.reputation += g;
                k.affiliation += g;
                k.knowledge += g;
            }
        }
        if c.status[j] == status::CUSTOMER {
            self.satisfy(c, j, &mut k, draws, tally);
        }
        let holds = k.store(c, j);
        (joined, attended, holds)
    }
}

impl Marketing<'_> {
    /// Pass 6: recruitment, conversation, contributions and responses, events,
    /// co-creation ideas, advocate rewards, social capital, satisfaction and surveys.
    /// Afterwards new members are added to their neighbours' counts and an event's
    /// attendees, in id order, make ties (`event_ties.rs`). Returns the tick's tally
    /// and pass 7's census, taken of each chunk as it is finished (nothing later in
    /// the tick changes what the census reads).
    pub(super) fn community(&mut self, plan: &Plan, draws: &Draws, t: u32) -> (Tally, Census) {
        if self.capital_unknown {
            self.find_capital_holders();
        }
        let market = &self.spec.market;
        let s = &market.satisfaction;
        let rules = Gathering {
            sc: &market.social_capital,
            s,
            reviews: &market.reviews,
            cm: self.spec.strategy.community.as_ref(),
            plan,
            t,
            quality_effect: s.quality * (self.firm.quality - market.initial_quality),
            incoming: self.network.incoming(),
            members: &self.member_neighbours,
        };
        let bound = match rules.cm {
            Some(cm) if plan.recruit => recruitment_bound(cm, plan.campaign),
            _ => 0.0,
        };
        let recruitment = draws.skips(Draw::Recruit, 0, self.agents.len(), bound);
        let results: Vec<(Tally, Vec<u32>, Vec<u32>, Census)> = self
            .agents
            .chunks_mut(CHUNK)
            .into_par_iter()
            .zip(self.capital_held.par_chunks_mut(CHUNK / 64))
            .map(|(mut c, held)| {
                let mut tally = Tally::default();
                let (mut joined, mut attended) = (Vec::new(), Vec::new());
                // Last tick's reviewers are reviewers no more; most agents are not
                // reviewers: no write then.
                bits::clear_flag(c.flags, flag::REVIEWER);
                let mut busy = rules.busy(&c, held);
                // Non-members whose uniform, found by skips, is below the tick's
                // bound are recruitment candidates, in id order.
                let mut candidates = Vec::new();
                let mut recruits = recruitment.chunk(c.start, c.flags.len());
                let mut from = c.start as u64;
                while let Some((i, u)) = recruits.next_from(from) {
                    let j = i as usize - c.start;
                    if c.membership[j] == membership::NONE {
                        candidates.push((j, u));
                        busy[j / 64] |= 1 << (j % 64);
                    }
                    from = i + 1;
                }
                let mut candidates = candidates.into_iter().peekable();
                // Only busy agents change, so the holders after the pass are among them.
                let mut holders = [0u64; CHUNK / 64];
                for j in ones(0, &busy) {
                    let candidate = candidates.next_if(|&(k, _)| k == j).map(|(_, u)| u);
                    let (joins, attends, holds) =
                        rules.agent(&mut c, j, candidate, draws, &mut tally);
                    holders[j / 64] |= (holds as u64) << (j % 64);
                    if joins {
                        joined.push((c.start + j) as u32);
                    }
                    if attends {
                        attended.push((c.start + j) as u32);
                    }
                }
                held.copy_from_slice(&holders[..held.len()]);
                // The busy agents include every holder (`Gathering::busy`).
                let census = Census::of_chunk(&c, &busy);
                (tally, joined, attended, census)
            })
            .collect();
        let mut tally = results
            .iter()
            .fold(Tally::default(), |sum, part| sum.add(&part.0));
        let joined = results.iter().map(|r| &r.1[..]);
        self.push_lists(&self.member_neighbours, joined, true);
        if plan.event && self.event_ties.is_some() {
            let mut attendees: Vec<u32> =
                results.iter().flat_map(|r| r.2.iter().copied()).collect();
            // In order of first numbers (`renumbering.rs`): already so unless renumbered.
            let ids = draws.ids();
            if ids.renumbered() {
                attendees.par_sort_unstable_by_key(|&v| ids.get(v as usize));
            }
            tally.event_ties = self.form_event_ties(&attendees, draws);
        }
        (tally, Census::of_all(results.iter().map(|r| &r.3)))
    }

    /// Finds the capital holders ([`capital_holders`]) by reading every agent, when
    /// they are not known: at the first pass 6, and after the agents were changed
    /// from outside ([`Marketing::agents_mut`]).
    fn find_capital_holders(&mut self) {
        self.agents
            .chunks_mut(CHUNK)
            .into_par_iter()
            .zip(self.capital_held.par_chunks_mut(CHUNK / 64))
            .for_each(|(c, held)| held.copy_from_slice(&capital_holders(&c)[..held.len()]));
        self.capital_unknown = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The capital holders pass 6 keeps are, after every tick, the agents holding
    /// social capital, found by reading every agent; and a holder set from outside
    /// (`agents_mut`) is found before the next pass, so its capital decays.
    #[test]
    fn the_kept_capital_holders_are_the_agents_holding_capital() {
        let path = std::path::Path::new("scenarios/physical_events.toml");
        let text = include_str!("../../../scenarios/physical_events.toml");
        let mut scenario = crate::scenario::Scenario::from_str_at(text, path).unwrap();
        let n = 2 * CHUNK + 900;
        scenario.population.size = n;
        let crate::scenario::ModelSpec::Marketing(spec) = &scenario.model else {
            panic!("a marketing scenario")
        };
        let net = crate::network::Network::build(&scenario.network.spec, n, 5).unwrap();
        let mut m = Marketing::new(&net, spec, 7, 0);
        let found = |m: &mut Marketing| -> Vec<u64> {
            let chunks = m.agents.chunks_mut(CHUNK);
            chunks.iter().flat_map(capital_holders).collect()
        };
        let mut most = 0;
        for t in 1..=90 {
            m.step(t);
            let held = found(&mut m);
            assert_eq!(m.capital_held, held, "tick {t}");
            most = most.max(held.iter().map(|w| w.count_ones()).sum::<u32>());
        }
        assert!(most > 100, "{most} holders at most");
        // A prospect given capital from outside, not a member, not a customer.
        let v = (0..n)
            .find(|&v| {
                let a = m.agents();
                a.status[v] == status::PROSPECT
                    && a.membership[v] == membership::NONE
                    && a.reputation[v] == 0.0
            })
            .unwrap();
        m.agents_mut().reputation[v] = 0.5;
        m.step(91);
        let decayed = m.agents().reputation[v];
        assert!(decayed > 0.0 && decayed < 0.5, "{decayed}");
        let held = found(&mut m);
        assert_eq!(m.capital_held, held);
    }

    #[test]
    fn the_busy_bits_are_the_agents_with_something_to_do() {
        // Two chunks, the second short, so a partial word and a partial chunk occur.
        let n = CHUNK + 1000 + 37;
        let mut agents = super::super::random_agents(9, n);
        let (sc, s, reviews, cm) = (
            SocialCapital::default(),
            Satisfaction::default(),
            ReviewStock::default(),
            community(),
        );
        let incoming = Csr::undirected(n, &[]);
        for (with_community, advocates) in [(true, true), (true, false), (false, true)] {
            let plan = Plan {
                advocates,
                ..Plan::default()
            };
            let rules = Gathering {
                sc: &sc,
                s: &s,
                reviews: &reviews,
                cm: with_community.then_some(&cm),
                plan: &plan,
                t: 0,
                quality_effect: 0.0,
                incoming: &incoming,
                members: &[],
            };
            let mut busy_agents = 0;
            for c in agents.chunks_mut(CHUNK) {
                let busy = rules.busy(&c, &capital_holders(&c));
                for j in 0..CHUNK {
                    let bit = busy[j / 64] >> (j % 64) & 1 == 1;
                    let want = j < c.flags.len()
                        && (c.status[j] == status::CUSTOMER
                            || with_community && c.membership[j] != membership::NONE
                            || with_community && advocates && c.flags[j] & flag::ADVOCATE != 0
                            || c.reputation[j] != 0.0
                            || c.affiliation[j] != 0.0
                            || c.knowledge[j] != 0.0);
                    assert_eq!(bit, want, "agent {} of chunk {}", j, c.start);
                    busy_agents += bit as usize;
                }
            }
            // Idle agents occur, and so do busy ones.
            assert!(busy_agents > n / 4 && busy_agents < n, "{busy_agents}");
        }
    }

    fn community() -> Community {
        Community {
            recruitment: 0.01,
            involvement_recruitment: 4.0,
            unaware_recruitment: 0.25,
            peer_recruitment: 3.0,
            contribution: 0.1,
            active_window: 30,
            ..Community::default()
        }
    }

    #[test]
    fn involved_aware_agents_with_member_friends_join_more() {
        let cm = community();
        let base = recruitment_chance(&cm, 1.0, false, true, 0.0);
        assert!((base - 0.01).abs() < 1e-15);
        assert!((recruitment_chance(&cm, 1.0, true, true, 0.0) - 0.04).abs() < 1e-15);
        assert!((recruitment_chance(&cm, 1.0, false, false, 0.0) - 0.0025).abs() < 1e-15);
        assert!((recruitment_chance(&cm, 1.0, false, true, 1.0) - 0.04).abs() < 1e-15);
    }

    #[test]
    fn a_campaign_multiplies_recruitment() {
        let cm = community();
        assert!((recruitment_chance(&cm, 2.5, false, true, 0.0) - 0.025).abs() < 1e-15);
    }

    /// The bound is the largest chance any agent can have, and is reached: every
    /// combination of involvement, awareness and member share stays at or below it.
    #[test]
    fn no_agent_joins_above_the_recruitment_bound() {
        let cm = community();
        let bound = recruitment_bound(&cm, 2.0);
        let mut largest: f64 = 0.0;
        for high in [false, true] {
            for aware in [false, true] {
                for share in [0.0, 0.3, 1.0] {
                    largest = largest.max(recruitment_chance(&cm, 2.0, high, aware, share));
                }
            }
        }
        assert_eq!(largest, bound);
        let eager = Community {
            unaware_recruitment: 3.0,
            ..cm
        };
        assert!(
            recruitment_chance(&eager, 2.0, true, false, 1.0) <= recruitment_bound(&eager, 2.0)
        );
    }

    #[test]
    fn affiliated_members_contribute_more() {
        let cm = community();
        let c = role::CONTRIBUTOR;
        assert!(contribution_rate(&cm, c, 0.5) > contribution_rate(&cm, c, 0.0));
    }

    #[test]
    fn lurkers_never_contribute_and_super_users_contribute_by_their_factor() {
        let cm = Community {
            contribution: 0.01,
            super_user_factor: 10.0,
            ..community()
        };
        assert_eq!(contribution_rate(&cm, role::LURKER, 1.0), 0.0);
        assert!((contribution_rate(&cm, role::CONTRIBUTOR, 0.0) - 0.01).abs() < 1e-15);
        assert!((contribution_rate(&cm, role::SUPER_USER, 0.0) - 0.1).abs() < 1e-15);
        let busy = Community {
            contribution: 0.5,
            ..cm
        };
        // Not capped at one a tick: a busy super-user posts about ten times a day.
        assert_eq!(contribution_rate(&busy, role::SUPER_USER, 1.0), 10.0);
    }

    #[test]
    fn counts_invert_their_distributions() {
        // Poisson(2): P(0) = e^-2 ≈ 0.135, P(≤1) ≈ 0.406, P(≤2) ≈ 0.677.
        assert_eq!(poisson_count(2.0, 0.1), 0);
        assert_eq!(poisson_count(2.0, 0.2), 1);
        assert_eq!(poisson_count(2.0, 0.5), 2);
        assert_eq!(poisson_count(0.0, 0.999), 0);
        // The mean of the inverted counts over a fine grid of u is the mean.
        let grid = 100_000;
        let mean: f64 = (0..grid)
            .map(|k| poisson_count(3.0, (k as f64 + 0.5) / grid as f64) as f64)
            .sum::<f64>()
            / grid as f64;
        assert!((mean - 3.0).abs() < 1e-3, "{mean}");
        // Binomial(4, 0.5): P(0) = 1/16, P(≤1) = 5/16, P(≤2) = 11/16, P(≤3) = 15/16.
        assert_eq!(binomial_count(4, 0.5, 0.06), 0);
        assert_eq!(binomial_count(4, 0.5, 0.07), 1);
        assert_eq!(binomial_count(4, 0.5, 0.5), 2);
        assert_eq!(binomial_count(4, 0.5, 0.9), 3);
        assert_eq!(binomial_count(4, 0.5, 0.95), 4);
        assert_eq!(binomial_count(4, 0.0, 0.99), 0);
        assert_eq!(binomial_count(4, 1.0, 0.0), 4);
    }

    #[test]
    fn an_answer_bonds_and_silence_weakens() {
        let sc = SocialCapital {
            response_affiliation: 0.03,
            unanswered_affiliation: 0.01,
            ..SocialCapital::default()
        };
        assert_eq!(affiliation_from_answer(&sc, true), 0.03);
        assert_eq!(affiliation_from_answer(&sc, false), -0.01);
    }

    #[test]
    fn physical_events_bond_by_their_multiplier() {
        let online = Events {
            affiliation: 0.1,
            physical: false,
            physical_affiliation: 2.5,
            ..Events::default()
        };
        let physical = Events {
            physical: true,
            ..online.clone()
        };
        assert_eq!(event_affiliation(&online), 0.1);
        assert_eq!(event_affiliation(&physical), 0.25);
    }

    #[test]
    fn members_are_active_within_the_window_after_contributing() {
        assert_eq!(membership_at(0, 10, 30), membership::MEMBER);
        assert_eq!(membership_at(5, 35, 30), membership::ACTIVE);
        assert_eq!(membership_at(5, 36, 30), membership::MEMBER);
    }

    #[test]
    fn satisfaction_drifts_towards_its_target() {
        let s = Satisfaction {
            adjustment: 0.5,
            noise: 0.0,
            ..Satisfaction::default()
        };
        assert!((satisfaction_step(&s, 0.4, 0.8, 1.0) - 0.6).abs() < 1e-12);
        let bonded = satisfaction_target(&s, 0.0, 1.0);
        assert!(bonded >= satisfaction_target(&s, 0.0, 0.0));
    }
}
