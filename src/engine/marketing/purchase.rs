//! Purchase, repeat purchase and churn (docs/MODEL.md §4.7.5, pass 5): aware prospects
//! buy with a logistic probability (or because an ad or post converted them); customers
//! buy again each purchase period, and churn at a hazard that falls with satisfaction
//! and community membership. Neighbour counts are updated after the pass.

use super::draws::{Draw, Draws};
use super::record::Tally;
use super::{CHUNK, Marketing, neighbour_share};
use crate::network::Csr;
use crate::population::{CustomersChunk, NEVER, Source, flag, membership, status};
use crate::scenario::marketing::{Market, Purchase, Retention, Satisfaction};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

/// Logistic function.
#[inline]
fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// What a prospect brings to the purchase decision.
pub(super) struct Prospect {
    /// Attitude plus social-media impulse.
    pub leaning: f32,
    /// Share of in-neighbours who are customers.
    pub adopted_share: f64,
    pub high_involvement: bool,
    pub member: bool,
}

/// An aware prospect's chance of buying: logistic(`intercept` + `attitude`·(a + η) +
/// `peer`·(`high_involvement_peer` if involved)·A/d + `member`·[member] −
/// `price`·price).
#[inline]
pub(super) fn buy_chance(p: &Purchase, price: f64, x: &Prospect) -> f64 {
    let peer = p.peer
        * if x.high_involvement {
            p.high_involvement_peer
        } else {
            1.0
        };
    let member = x.member as u8 as f64;
    logistic(
        p.intercept + p.attitude * x.leaning as f64 + peer * x.adopted_share + p.member * member
            - p.price * price,
    )
}

/// A new customer's satisfaction: `baseline` + `quality`·(Q − Q₀) + `bond`·aff, in
/// [0, 1].
#[inline]
pub(super) fn first_satisfaction(s: &Satisfaction, quality_effect: f64, affiliation: f32) -> f32 {
    (s.baseline + quality_effect + s.bond * affiliation as f64).clamp(0.0, 1.0) as f32
}

/// A customer's daily churn hazard: `churn`·2·(1 − s), times `member_factor` for
/// members and `active_factor` for active members.
#[inline]
pub(super) fn churn_hazard(r: &Retention, satisfaction: f32, member: u8) -> f64 {
    let factor = match member {
        membership::ACTIVE => r.active_factor,
        membership::MEMBER => r.member_factor,
        _ => 1.0,
    };
    r.churn * 2.0 * (1.0 - satisfaction as f64).max(0.0) * factor
}

/// The margin of one purchase at tick t, discounted to tick 0 at `discount_rate` a
/// year (365 ticks): price·margin·(1 + rate)^(−t/365).
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
    referrals: &'a [AtomicU32],
}

impl Purchasing<'_> {
    /// A purchase at price: revenue and discounted margin.
    #[inline]
    fn pay(&self, c: &mut CustomersChunk, j: usize, tally: &mut Tally) {
        c.revenue[j] += self.market.price as f32;
        c.clv[j] += self.clv;
        tally.revenue += self.market.price;
    }

    /// An aware prospect, agent `j` of chunk `c`, perhaps buys.
    #[inline]
    fn prospect(&self, c: &mut CustomersChunk, j: usize, draws: &Draws, out: &mut Changes) {
        let (i, market) = (c.start + j, self.market);
        let converted = c.flags[j] & flag::CONVERTED != 0;
        c.flags[j] &= !flag::CONVERTED;
        let buys = converted || {
            let prospect = Prospect {
                leaning: c.attitude[j] + c.impulse[j],
                adopted_share: neighbour_share(self.adopted, self.incoming, i),
                high_involvement: c.flags[j] & flag::HIGH_INVOLVEMENT != 0,
                member: c.membership[j] != membership::NONE,
            };
            draws.u(Draw::Buy, i) < buy_chance(&market.purchase, market.price, &prospect)
        };
        if !buys {
            return;
        }
        let source = Source::from_code(c.last_touch[j]);
        c.status[j] = status::CUSTOMER;
        c.adopted[j] = self.t;
        c.source[j] = source as u8;
        c.next_purchase[j] = self.t + market.purchase_period;
        self.pay(c, j, &mut out.tally);
        c.satisfaction[j] =
            first_satisfaction(&market.satisfaction, self.quality_effect, c.affiliation[j]);
        out.tally.new_by_source[source as usize] += 1;
        if source.is_referral() && c.informant[j] != NEVER {
            self.referrals[c.informant[j] as usize].fetch_add(1, Relaxed);
        }
        out.adopted.push(i as u32);
    }

    /// A customer, agent `j` of chunk `c`, buys again when due and perhaps churns.
    #[inline]
    fn customer(&self, c: &mut CustomersChunk, j: usize, draws: &Draws, out: &mut Changes) {
        let i = c.start + j;
        c.flags[j] &= !flag::CONVERTED;
        if self.t >= c.next_purchase[j] {
            c.next_purchase[j] += self.market.purchase_period;
            self.pay(c, j, &mut out.tally);
        }
        let hazard = churn_hazard(&self.market.retention, c.satisfaction[j], c.membership[j]);
        if draws.u(Draw::Churn, i) < hazard {
            c.status[j] = status::CHURNED;
            c.flags[j] &= !(flag::ADVOCATE | flag::REVIEWER);
            out.churned.push(i as u32);
            if c.membership[j] != membership::NONE {
                c.membership[j] = membership::NONE;
                out.left_community.push(i as u32);
            }
        }
    }
}

impl Marketing<'_> {
    /// Pass 5: aware prospects buy; customers buy again each purchase period or churn.
    /// Afterwards adopters are added to and churners removed from their neighbours'
    /// counts, and advocates who churned leave the programme.
    pub(super) fn purchase(&mut self, draws: &Draws, t: u32) -> Tally {
        let market = &self.spec.market;
        let s = &market.satisfaction;
        let rules = Purchasing {
            market,
            t,
            quality_effect: s.quality * (self.firm.quality - market.initial_quality),
            clv: discounted_margin(market, t) as f32,
            incoming: self.network.incoming(),
            adopted: &self.adopted_neighbours,
            referrals: &self.referrals,
        };
        let results: Vec<Changes> = self
            .agents
            .chunks_mut(CHUNK)
            .into_par_iter()
            .map(|mut c| {
                let mut out = Changes::default();
                for j in 0..c.flags.len() {
                    match c.status[j] {
                        status::PROSPECT if c.flags[j] & flag::AWARE != 0 => {
                            rules.prospect(&mut c, j, draws, &mut out)
                        }
                        status::CUSTOMER => rules.customer(&mut c, j, draws, &mut out),
                        _ => c.flags[j] &= !flag::CONVERTED,
                    }
                }
                out
            })
            .collect();
        let mut tally = Tally::default();
        for part in &results {
            tally = tally.add(&part.tally);
            self.push(&self.adopted_neighbours, &part.adopted, true);
            self.push(&self.adopted_neighbours, &part.churned, false);
            self.push(&self.member_neighbours, &part.left_community, false);
        }
        self.firm.cumulative_revenue += tally.revenue;
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
        }
    }

    #[test]
    fn liking_and_adopted_peers_raise_the_chance_to_buy() {
        let p = Purchase::default();
        let base = buy_chance(&p, 1.0, &prospect(0.0, 0.0, false));
        assert!(buy_chance(&p, 1.0, &prospect(0.5, 0.0, false)) > base);
        assert!(buy_chance(&p, 1.0, &prospect(0.0, 0.5, false)) > base);
        assert!(buy_chance(&p, 2.0, &prospect(0.0, 0.0, false)) <= base);
    }

    #[test]
    fn involved_prospects_weigh_peers_by_their_factor() {
        let p = Purchase {
            peer: 1.0,
            high_involvement_peer: 2.0,
            ..Purchase::default()
        };
        let high = buy_chance(&p, 1.0, &prospect(0.0, 0.5, true));
        let low = buy_chance(&p, 1.0, &prospect(0.0, 1.0, false));
        assert!((high - low).abs() < 1e-15);
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
