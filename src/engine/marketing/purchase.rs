//! Choice, repeat purchase, churn and forgetting (docs/MODEL.md §4.7.5, pass 5): a
//! non-customer in the product category chooses, by multinomial logit, between the
//! brand (if aware of it, or because an ad or post converted it), the competitors it
//! knows and buying nothing; customers buy again each purchase period and churn at a
//! hazard that falls with satisfaction and community membership; competitors'
//! customers leave them at their own hazard; churners may be won back; non-customers
//! not reached this tick forget. Neighbour counts are updated after the pass. A
//! member's purchase amount is set by `social_dollars`, the churn hazard's contagion
//! factor by `contagion`.

mod groups;

use super::bits::{by_eight, ones};
use super::draws::{Draw, Draws, Picks};
use super::record::Tally;
use super::{CHUNK, Marketing, brand_reputation, neighbour_share, reviews};
use super::{contagion, social_dollars};
use crate::network::Csr;
use crate::population::{CustomersChunk, MAX_COMPETITORS, NEVER, Source, flag, membership, status};
use crate::scenario::marketing::{
    Competitor, Forgetting, Market, Purchase, Retention, Satisfaction,
};
use groups::{Groups, forgetful};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

/// What a prospect brings to the purchase decision.
pub(super) struct Prospect {
    /// Attitude plus social-media impulse.
    pub leaning: f32,
    /// Share of in-neighbours who are customers.
    pub adopted_share: f64,
    pub high_involvement: bool,
    pub member: bool,
    /// What every prospect reads of the brand this tick: the review stock's term
    /// plus the brand reputation's (`reviews::review_term` +
    /// `brand_reputation::reputation_term`).
    pub standing: f64,
}

/// The brand's utility for an aware prospect: `intercept` + `attitude`·(a + η) +
/// `peer`·(`high_involvement_peer` if involved)·A/d + `member`·[member] −
/// `price`·price + standing (reviews and the brand's reputation). Against no
/// purchase alone (utility 0), its logistic is the chance to buy.
#[inline]
pub(super) fn brand_utility(p: &Purchase, price: f64, x: &Prospect) -> f64 {
    p.intercept
        + p.attitude * x.leaning as f64
        + peer_term(p, x.high_involvement, x.adopted_share)
        + p.member * x.member as u8 as f64
        - p.price * price
        + x.standing
}

/// A peer term: `peer`·(`high_involvement_peer` if involved)·`share`, the networked
/// consumption gain. The brand's uses the share of in-neighbours who are its
/// customers (A/d); the competitors' the share who buy from any competitor (R/d),
/// an approximation when there are several.
#[inline]
pub(super) fn peer_term(p: &Purchase, high_involvement: bool, share: f64) -> f64 {
    let weight = if high_involvement {
        p.high_involvement_peer
    } else {
        1.0
    };
    p.peer * weight * share
}

/// A competitor's utility before its peer term: `intercept` + `appeal` − `price`·its
/// price.
#[inline]
pub(super) fn rival_utility(p: &Purchase, rival: &Competitor) -> f64 {
    p.intercept + rival.appeal - p.price * rival.price
}

/// What a prospect chooses this tick.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Choice {
    /// Buys nothing.
    Nothing,
    /// Buys the brand; `peers`: would not have, on the same draw, without the peer term.
    Brand { peers: bool },
    /// Buys competitor k.
    Rival(usize),
}

/// A multinomial-logit choice (McFadden 1974) between the brand (if known, utility
/// `brand` with and `brand_without_peers` without its peer term), the known
/// competitors (`rivals`: utility or None when unknown) and buying nothing (utility
/// 0), on one uniform draw `u`. The brand comes first on the draw, so the same `u`
/// tells whether the peer term made the difference.
#[inline]
pub(super) fn choose(brand: Option<(f64, f64)>, rivals: &[Option<f64>], u: f64) -> Choice {
    debug_assert!(rivals.len() <= MAX_COMPETITORS);
    // Each known competitor's weight e^v, computed once for the sum and the pick.
    let mut weights = [None; MAX_COMPETITORS];
    for (w, v) in weights.iter_mut().zip(rivals) {
        *w = v.map(f64::exp);
    }
    let weights = &weights[..rivals.len().min(MAX_COMPETITORS)];
    let rival_weight: f64 = weights.iter().flatten().sum();
    if let Some((with, without)) = brand {
        let total = 1.0 + rival_weight;
        let p = with.exp() / (total + with.exp());
        if u < p {
            let p0 = without.exp() / (total + without.exp());
            return Choice::Brand { peers: u >= p0 };
        }
        return pick_rival(weights, (u - p) / (1.0 - p), 1.0 + rival_weight);
    }
    pick_rival(weights, u, 1.0 + rival_weight)
}

/// Which competitor (or nothing) a uniform draw `u` picks, each with its weight
/// (e^v, None when unknown) out of `total` (1 for nothing).
#[inline]
fn pick_rival(weights: &[Option<f64>], u: f64, total: f64) -> Choice {
    let mut acc = 0.0;
    for (k, w) in weights.iter().enumerate() {
        if let Some(w) = w {
            acc += w / total;
            if u < acc {
                return Choice::Rival(k);
            }
        }
    }
    Choice::Nothing
}

/// A new customer's satisfaction: `baseline` + `quality`·(Q − Q₀) + `bond`·aff, in
/// [0, 1].
#[inline]
pub(super) fn first_satisfaction(s: &Satisfaction, quality_effect: f64, affiliation: f32) -> f32 {
    (s.baseline + quality_effect + s.bond * affiliation as f64).clamp(0.0, 1.0) as f32
}

/// A customer's daily churn hazard: `churn`·(1 − s)/(1 − `reference_satisfaction`),
/// times `member_factor` for members and `active_factor` for active members.
#[inline]
pub(super) fn churn_hazard(r: &Retention, satisfaction: f32, member: u8) -> f64 {
    let factor = match member {
        membership::ACTIVE => r.active_factor,
        membership::MEMBER => r.member_factor,
        _ => 1.0,
    };
    let scale = 1.0 / (1.0 - r.reference_satisfaction);
    r.churn * scale * (1.0 - satisfaction as f64).max(0.0) * factor
}

/// A churner's attitude: what its experience left, 2s − 1 for satisfaction s.
#[inline]
pub(super) fn attitude_after_churn(satisfaction: f32) -> f32 {
    (2.0 * satisfaction - 1.0).clamp(-1.0, 1.0)
}

/// The chance per tick of forgetting something with half-life h ticks: 1 − 2^(−1/h),
/// so half is forgotten after h ticks without reinforcement; 0 when h is 0 (never).
#[inline]
pub(super) fn forget_chance(half_life: f64) -> f64 {
    if half_life > 0.0 {
        1.0 - 0.5f64.powf(1.0 / half_life)
    } else {
        0.0
    }
}

/// The half-life of awareness last reached through `source`.
pub(super) fn awareness_half_life(f: &Forgetting, source: Source) -> f64 {
    match source {
        Source::External | Source::Peers => f.external,
        Source::PaidSocial => f.paid_social,
        Source::OrganicSocial | Source::Influencer => f.organic_social,
        Source::WordOfMouth => f.word_of_mouth,
        Source::Community | Source::Advocate => f.community,
        Source::Review => f.review,
    }
}

/// The margin of one purchase at list price at tick t, discounted to tick 0 at
/// `discount_rate` a year (365 ticks): price·margin·(1 + rate)^(−t/365). A member's
/// purchase is worth (1 + uplift) times as much (`social_dollars`).
pub(super) fn discounted_margin(market: &Market, t: u32) -> f64 {
    let discount = (1.0 + market.discount_rate).powf(-(t as f64) / 365.0);
    market.price * market.margin * discount
}

/// What one chunk's purchase pass changed, beyond its own agents' state.
#[derive(Default)]
struct Changes {
    tally: Tally,
    adopted: Vec<u32>,
    churned: Vec<u32>,
    left_community: Vec<u32>,
    /// Agents who began or stopped buying from a competitor.
    joined_rival: Vec<u32>,
    left_rival: Vec<u32>,
}

/// The purchase rules of one tick.
struct Purchasing<'a> {
    market: &'a Market,
    t: u32,
    quality_effect: f64,
    /// The discounted margin of a purchase this tick, as the f32 added to CLV.
    clv: f32,
    incoming: &'a Csr,
    adopted: &'a [AtomicU32],
    /// R_v: in-neighbours who buy from a competitor.
    rival_adopted: &'a [AtomicU32],
    /// M_v: in-neighbours who are members.
    members: &'a [AtomicU32],
    /// Whether contagion acts, and its exposure's decay factor per tick.
    contagion: bool,
    exposure_decay: f32,
    referrals: &'a [AtomicU32],
    /// Each competitor's utility before its peer term.
    rivals: [f64; MAX_COMPETITORS],
    /// How many competitors the market has (at most `MAX_COMPETITORS`).
    competitors: usize,
    /// The chance of forgetting awareness from each source this tick.
    forget: [f64; Source::COUNT],
    /// A non-customer's attitude factor in a tick without reinforcement.
    attitude_fade: f32,
    /// The review stock's and the brand reputation's term in the brand's utility.
    standing: f64,
}

impl Purchasing<'_> {
    /// A purchase: at price for a non-member, at price·(1 + uplift) for a member
    /// (social dollars); revenue and discounted margin.
    #[inline]
    /// The revenue's sums do not depend on the order of their adds
    /// ([`super::exact_sum::ExactSum`]), so neither on the order the agents' rules
    /// run in nor on how the agents are numbered.
    fn pay(&self, c: &mut CustomersChunk, j: usize, tally: &mut Tally) {
        let member = c.membership[j] != membership::NONE;
        let share = if member {
            neighbour_share(self.members, self.incoming, c.start + j)
        } else {
            0.0
        };
        let factor =
            1.0 + social_dollars::uplift(&self.market.social_dollars, member, c.role[j], share);
        let amount = self.market.price * factor;
        c.revenue[j] += amount as f32;
        c.clv[j] += self.clv * factor as f32;
        tally.revenue.add(amount);
        if member {
            tally.member_revenue.add(amount);
        }
    }

    /// Counts agent `j` of chunk `c` as a customer this tick (a customer-day), for the
    /// `social_dollars` figure.
    #[inline]
    fn count_day(c: &CustomersChunk, j: usize, tally: &mut Tally) {
        tally.customer_days += 1;
        tally.member_days += (c.membership[j] != membership::NONE) as u64;
    }

    /// The known competitors' utilities (None where unknown), each with the peer
    /// term `peer`, in the first [`Purchasing::competitors`] slots; the slots past
    /// them are None and not read.
    #[inline]
    fn known_rivals(&self, known: u8, peer: f64) -> [Option<f64>; MAX_COMPETITORS] {
        let mut rivals = [None; MAX_COMPETITORS];
        for (k, r) in rivals.iter_mut().enumerate().take(self.competitors) {
            *r = (known & (1 << k) != 0).then(|| self.rivals[k] + peer);
        }
        rivals
    }

    /// A non-customer in the category, agent `j` of chunk `c`, perhaps buys the brand
    /// (if aware of it, or converted by a click) or a competitor it knows; `KNOWS`:
    /// whether it knows any competitor.
    #[inline]
    fn prospect<const KNOWS: bool>(
        &self,
        c: &mut CustomersChunk,
        j: usize,
        draws: &Draws,
        out: &mut Changes,
    ) {
        let (i, market) = (c.start + j, self.market);
        let converted = c.flags[j] & flag::CONVERTED != 0;
        let high = c.flags[j] & flag::HIGH_INVOLVEMENT != 0;
        debug_assert_eq!(KNOWS, c.known[j] != 0);
        let rivals = if !KNOWS {
            [None; MAX_COMPETITORS]
        } else {
            let share = neighbour_share(self.rival_adopted, self.incoming, i);
            self.known_rivals(c.known[j], peer_term(&market.purchase, high, share))
        };
        let choice = if converted {
            Choice::Brand { peers: false }
        } else {
            let brand = (c.flags[j] & flag::AWARE != 0).then(|| {
                let prospect = Prospect {
                    leaning: c.attitude[j] + c.impulse[j],
                    adopted_share: neighbour_share(self.adopted, self.incoming, i),
                    high_involvement: high,
                    member: c.membership[j] != membership::NONE,
                    standing: self.standing,
                };
                let with = brand_utility(&market.purchase, market.price, &prospect);
                let peers = peer_term(&market.purchase, high, prospect.adopted_share);
                (with, with - peers)
            });
            if brand.is_none() && rivals.iter().all(Option::is_none) {
                return;
            }
            // Only the market's competitors: choose's loops then run over them alone
            // (the other slots are None, and would add and pick nothing).
            choose(brand, &rivals[..self.competitors], draws.u(Draw::Buy, i))
        };
        match choice {
            Choice::Nothing => {}
            Choice::Brand { peers } => self.buy(c, j, peers, out),
            Choice::Rival(k) => {
                if c.adopted[j] != NEVER {
                    out.tally.lost_to_competitor += 1;
                }
                c.status[j] = status::RIVAL;
                c.rival[j] = k as u8 + 1;
                out.joined_rival.push(i as u32);
            }
        }
    }

    /// Agent `j` of chunk `c` buys the brand: a first adoption, credited to its last
    /// touch (to `peers` when that was outside awareness and the peer term decided),
    /// or a customer won back.
    #[inline]
    fn buy(&self, c: &mut CustomersChunk, j: usize, peers: bool, out: &mut Changes) {
        let (i, market) = (c.start + j, self.market);
        let first = c.adopted[j] == NEVER;
        c.status[j] = status::CUSTOMER;
        c.flags[j] |= flag::AWARE;
        c.next_purchase[j] = self.t + market.purchase_period;
        Self::count_day(c, j, &mut out.tally);
        self.pay(c, j, &mut out.tally);
        c.satisfaction[j] =
            first_satisfaction(&market.satisfaction, self.quality_effect, c.affiliation[j]);
        out.adopted.push(i as u32);
        if !first {
            out.tally.won_back += 1;
            return;
        }
        let touch = Source::from_code(c.last_touch[j]);
        let source = if peers && touch == Source::External {
            Source::Peers
        } else {
            touch
        };
        c.adopted[j] = self.t;
        c.source[j] = source as u8;
        out.tally.new_by_source[source as usize] += 1;
        out.tally.follower_adoptions += (c.flags[j] & flag::FOLLOWER != 0) as u64;
        if source.is_referral() && c.informant[j] != NEVER {
            self.referrals[c.informant[j] as usize].fetch_add(1, Relaxed);
        }
    }

    /// A customer, agent `j` of chunk `c`, buys again when due and perhaps churns.
    #[inline]
    fn customer(&self, c: &mut CustomersChunk, j: usize, draws: &Draws, out: &mut Changes) {
        let i = c.start + j;
        Self::count_day(c, j, &mut out.tally);
        if self.t >= c.next_purchase[j] {
            c.next_purchase[j] += self.market.purchase_period;
            self.pay(c, j, &mut out.tally);
        }
        let hazard = churn_hazard(&self.market.retention, c.satisfaction[j], c.membership[j]);
        let factor = contagion::contagion_factor(&self.market.contagion, c.exposure[j]);
        let u = draws.u(Draw::Churn, i);
        if u < hazard * factor {
            out.tally.contagious_churns += (u >= hazard) as u64;
            c.status[j] = status::CHURNED;
            c.attitude[j] = attitude_after_churn(c.satisfaction[j]);
            if c.lost[j] == NEVER {
                c.lost[j] = self.t;
            }
            c.flags[j] &= !(flag::ADVOCATE | flag::REVIEWER);
            out.tally.churns += 1;
            out.churned.push(i as u32);
            if c.membership[j] != membership::NONE {
                c.membership[j] = membership::NONE;
                out.left_community.push(i as u32);
            }
        }
    }

    /// A competitor's customer, agent `j` of chunk `c`, perhaps leaves it, or switches
    /// to the brand when a click converted it.
    #[inline]
    fn rival_customer(
        &self,
        c: &mut CustomersChunk,
        j: usize,
        rival_churn: &mut Picks,
        out: &mut Changes,
    ) {
        let i = c.start + j;
        if c.flags[j] & flag::CONVERTED != 0 {
            out.left_rival.push(i as u32);
            self.buy(c, j, false, out);
            return;
        }
        let last = self.market.competitor.len() - 1;
        let rival = &self.market.competitor[(c.rival[j] as usize).saturating_sub(1).min(last)];
        if rival_churn.below(i as u64, rival.churn) {
            out.left_rival.push(i as u32);
            c.status[j] = if c.adopted[j] == NEVER {
                status::PROSPECT
            } else {
                status::CHURNED
            };
        }
    }

    /// The non-customers of chunk `c` not reached this tick forget the brand with the
    /// half-life of their last touch, and their attitudes fade toward 0; then every
    /// agent's marks of this tick (reached, converted) are cleared.
    fn forget(&self, c: &mut CustomersChunk, draws: &Draws) {
        // A select the compiler vectorises. 0 times the fade is 0 (of the same sign),
        // so fading every such attitude, 0 or not, leaves the zeros as they were.
        let fade = self.attitude_fade;
        for ((a, &s), &f) in c.attitude.iter_mut().zip(&c.status[..]).zip(&c.flags[..]) {
            let fades = (s != status::CUSTOMER) & (f & flag::TOUCHED == 0);
            *a = if fades { *a * fade } else { *a };
        }
        let [forgetful] = by_eight([c.status, c.flags], |[s, f]| forgetful(s, f));
        for j in ones(0, &forgetful) {
            if draws.u(Draw::Forget, c.start + j) < self.forget[c.last_touch[j] as usize] {
                c.flags[j] &= !flag::AWARE;
            }
        }
        for f in c.flags.iter_mut() {
            *f &= !(flag::CONVERTED | flag::TOUCHED);
        }
    }

    /// Pass 5 for the agents of chunk `c`. They are first sorted, without a branch,
    /// into customers, competitors' customers and prospects ([`Groups`], a bit per
    /// agent in each group), and each group is walked by a loop of its own: in one
    /// loop, the switch on each agent's status is a branch the processor cannot
    /// predict (cachegrind's branch simulation put 52% of a `community.toml` run's
    /// mispredictions on it). Each agent's rules still run in the same order
    /// (defections, taken in for the whole chunk first by [`contagion::take_in`],
    /// its status's rule, forgetting, flags cleared),
    /// none reads what another agent's rules write in this pass, the competitor-churn
    /// skips are still asked in id order, and the revenue's sums do not depend on the
    /// order of their adds: the results are the same to the last bit.
    fn chunk(
        &self,
        c: &mut CustomersChunk,
        draws: &Draws,
        rival_churn: &mut Picks,
        out: &mut Changes,
    ) {
        let groups = Groups::of(c);
        for j in ones(0, &groups.customers) {
            self.customer(c, j, draws, out);
        }
        for j in ones(0, &groups.rivals) {
            self.rival_customer(c, j, rival_churn, out);
        }
        for j in ones(0, &groups.knowing) {
            self.prospect::<true>(c, j, draws, out);
        }
        for j in ones(0, &groups.unknowing) {
            self.prospect::<false>(c, j, draws, out);
        }
        self.forget(c, draws);
    }
}

impl Marketing<'_> {
    /// Pass 5: prospects in the category choose between the brand, the competitors
    /// they know and nothing; customers buy again each purchase period or churn;
    /// competitors' customers may leave them; non-customers not reached forget.
    /// Afterwards adopters are added to and churners removed from their neighbours'
    /// counts, and advocates who churned leave the programme.
    pub(super) fn purchase(&mut self, draws: &Draws, t: u32) -> Tally {
        let market = &self.spec.market;
        let s = &market.satisfaction;
        let f = &market.forgetting;
        let mut rivals = [0.0; MAX_COMPETITORS];
        for (k, rival) in market.competitor.iter().enumerate().take(MAX_COMPETITORS) {
            rivals[k] = rival_utility(&market.purchase, rival);
        }
        let rules = Purchasing {
            market,
            t,
            quality_effect: s.quality * (self.firm.quality - market.initial_quality),
            clv: discounted_margin(market, t) as f32,
            incoming: self.network.incoming(),
            adopted: &self.adopted_neighbours,
            rival_adopted: &self.rival_neighbours,
            members: &self.member_neighbours,
            contagion: contagion::active(&market.contagion),
            exposure_decay: contagion::exposure_decay(&market.contagion),
            referrals: &self.referrals,
            rivals,
            competitors: market.competitor.len().min(MAX_COMPETITORS),
            forget: Source::ALL.map(|s| forget_chance(awareness_half_life(f, s))),
            attitude_fade: (1.0 - forget_chance(f.attitude)) as f32,
            standing: reviews::review_term(
                &market.reviews,
                self.firm.reviews_positive,
                self.firm.reviews_negative,
            ) + brand_reputation::reputation_term(
                &market.brand_reputation,
                self.firm.brand_reputation,
            ),
        };
        let contagious = rules.contagion;
        // A competitor's customer leaves it when its uniform, found by skips below the
        // largest competitor churn (`draws.rs`), is below its competitor's `churn`.
        // Forgetting keeps one draw per agent who faces it: few do (aware, not
        // reached, not customers) at chances up to 13% a tick, so skips over all
        // agents at that bound would cost more.
        let rival_churn = market
            .competitor
            .iter()
            .fold(0.0, |m: f64, r| m.max(r.churn));
        let rival_churn = draws.skips(Draw::RivalChurn, 0, self.agents.len(), rival_churn);
        let results: Vec<Changes> = self
            .agents
            .chunks_mut(CHUNK)
            .into_par_iter()
            .zip(self.defected_neighbours.par_chunks_mut(CHUNK))
            .map(|(mut c, fresh)| {
                let mut out = Changes::default();
                let len = c.flags.len();
                // Each agent first takes in its in-neighbours who churned last tick.
                if contagious {
                    contagion::take_in(c.exposure, fresh, rules.exposure_decay);
                }
                let mut leaves = rival_churn.chunk(c.start, len);
                rules.chunk(&mut c, draws, &mut leaves, &mut out);
                out
            })
            .collect();
        let tally = results
            .iter()
            .fold(Tally::default(), |sum, part| sum.add(&part.tally));
        let lists = |list: fn(&Changes) -> &Vec<u32>| results.iter().map(move |p| &list(p)[..]);
        self.push_lists(&self.adopted_neighbours, lists(|p| &p.adopted), true);
        self.push_lists(&self.adopted_neighbours, lists(|p| &p.churned), false);
        if contagious {
            self.push_lists(&self.defected_neighbours, lists(|p| &p.churned), true);
        }
        self.push_lists(&self.member_neighbours, lists(|p| &p.left_community), false);
        self.push_lists(&self.rival_neighbours, lists(|p| &p.joined_rival), true);
        self.push_lists(&self.rival_neighbours, lists(|p| &p.left_rival), false);
        self.firm.cumulative_revenue += tally.revenue.value();
        // Advocates who churned leave the programme.
        let flags = &self.agents.flags;
        self.firm
            .advocates
            .retain(|&a| flags[a as usize] & flag::ADVOCATE != 0);
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_churn_less() {
        let r = Retention {
            churn: 0.01,
            member_factor: 0.5,
            active_factor: 0.25,
            reference_satisfaction: 0.5,
        };
        let none = churn_hazard(&r, 0.5, membership::NONE);
        let member = churn_hazard(&r, 0.5, membership::MEMBER);
        let active = churn_hazard(&r, 0.5, membership::ACTIVE);
        assert!((none - 0.01).abs() < 1e-15);
        assert!(active < member && member < none);
    }

    #[test]
    fn satisfied_customers_churn_less_and_the_fully_satisfied_never() {
        let r = Retention::default();
        assert!(churn_hazard(&r, 0.9, membership::NONE) < churn_hazard(&r, 0.3, membership::NONE));
        assert_eq!(churn_hazard(&r, 1.0, membership::NONE), 0.0);
    }

    fn prospect(leaning: f32, adopted_share: f64, high_involvement: bool) -> Prospect {
        Prospect {
            leaning,
            adopted_share,
            high_involvement,
            member: false,
            standing: 0.0,
        }
    }

    #[test]
    fn the_hazard_is_churn_at_the_reference_satisfaction() {
        let r = Retention {
            churn: 0.01,
            reference_satisfaction: 0.75,
            ..Retention::default()
        };
        assert!((churn_hazard(&r, 0.75, membership::NONE) - 0.01).abs() < 1e-12);
        assert!((churn_hazard(&r, 0.5, membership::NONE) - 0.02).abs() < 1e-12);
    }

    /// The chance that `choose` picks the brand, estimated on a fine grid of draws.
    fn brand_chance(brand: Option<(f64, f64)>, rivals: &[Option<f64>]) -> f64 {
        let n = 100_000;
        let hits = (0..n)
            .filter(|&k| {
                matches!(
                    choose(brand, rivals, (k as f64 + 0.5) / n as f64),
                    Choice::Brand { .. }
                )
            })
            .count();
        hits as f64 / n as f64
    }

    fn logistic(x: f64) -> f64 {
        1.0 / (1.0 + (-x).exp())
    }

    #[test]
    fn liking_and_adopted_peers_raise_the_brand_s_utility() {
        let p = Purchase::default();
        let base = brand_utility(&p, 1.0, &prospect(0.0, 0.0, false));
        assert!(brand_utility(&p, 1.0, &prospect(0.5, 0.0, false)) > base);
        assert!(brand_utility(&p, 1.0, &prospect(0.0, 0.5, false)) > base);
        assert!(brand_utility(&p, 2.0, &prospect(0.0, 0.0, false)) < base);
    }

    #[test]
    fn involved_prospects_weigh_peers_by_their_factor() {
        let p = Purchase {
            peer: 1.0,
            high_involvement_peer: 2.0,
            ..Purchase::default()
        };
        let high = peer_term(&p, true, 0.5);
        let low = peer_term(&p, false, 1.0);
        assert!((high - low).abs() < 1e-15);
    }

    #[test]
    fn without_competitors_the_choice_is_the_logistic_of_the_brand_s_utility() {
        let v = -1.0;
        let p = brand_chance(Some((v, v)), &[None, None]);
        assert!((p - logistic(v)).abs() < 1e-4, "{p}");
    }

    #[test]
    fn a_known_competitor_takes_its_logit_share() {
        // Brand utility 0, competitor 0, nothing 0: a third each.
        let rivals = [Some(0.0)];
        assert!((brand_chance(Some((0.0, 0.0)), &rivals) - 1.0 / 3.0).abs() < 1e-4);
        let n = 30_000;
        let rival = (0..n)
            .filter(|&k| {
                choose(Some((0.0, 0.0)), &rivals, (k as f64 + 0.5) / n as f64) == Choice::Rival(0)
            })
            .count() as f64
            / n as f64;
        assert!((rival - 1.0 / 3.0).abs() < 1e-4, "{rival}");
        // Unaware of the brand: competitor against nothing, a half each.
        assert_eq!(choose(None, &rivals, 0.49), Choice::Rival(0));
        assert_eq!(choose(None, &rivals, 0.51), Choice::Nothing);
        // An unknown competitor takes nothing.
        assert_eq!(choose(None, &[None], 0.0), Choice::Nothing);
    }

    #[test]
    fn the_peer_term_is_credited_only_for_draws_it_decided() {
        // With the peer term the brand's chance is logistic(0) = 0.5, without it
        // logistic(−1) ≈ 0.269: draws in between are the peers' adoptions.
        let (with, without) = (0.0, -1.0);
        assert_eq!(
            choose(Some((with, without)), &[], 0.1),
            Choice::Brand { peers: false }
        );
        assert_eq!(
            choose(Some((with, without)), &[], 0.4),
            Choice::Brand { peers: true }
        );
        assert_eq!(choose(Some((with, without)), &[], 0.6), Choice::Nothing);
    }

    #[test]
    fn a_churner_s_attitude_is_its_experience() {
        assert_eq!(attitude_after_churn(0.25), -0.5);
        assert_eq!(attitude_after_churn(1.0), 1.0);
    }

    #[test]
    fn awareness_halves_after_its_half_life_and_zero_means_never() {
        let q = forget_chance(21.0);
        assert!(((1.0 - q).powi(21) - 0.5).abs() < 1e-12);
        assert_eq!(forget_chance(0.0), 0.0);
        let f = Forgetting::default();
        assert_eq!(awareness_half_life(&f, Source::PaidSocial), f.paid_social);
        assert_eq!(awareness_half_life(&f, Source::Advocate), f.community);
    }

    #[test]
    fn later_purchases_are_worth_less_today() {
        let market = Market {
            price: 10.0,
            margin: 0.5,
            discount_rate: 0.1,
            ..Market::default()
        };
        assert_eq!(discounted_margin(&market, 0), 5.0);
        assert!((discounted_margin(&market, 365) - 5.0 / 1.1).abs() < 1e-12);
    }
}
