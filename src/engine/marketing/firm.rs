//! The firm and its budget (docs/MODEL.md §4.7.1, pass 1): what the firm pays for
//! this tick and what it switches on, decided before any agent moves. Advocate
//! selection and bills are in `advocates.rs`, survey prepayment in `reviews.rs`.

use super::census::Census;
use super::draws::Draws;
use super::record::Tally;
use super::{Marketing, advocates, brand_reputation, listening, reviews, rewards};
use crate::population::Source;
use crate::scenario::marketing::{
    Action, Advocates, Cocreation, Community, Events, Reward, SocialMedia,
};

/// What the firm does in a tick, decided before the agents move.
#[derive(Clone, Copy, Default)]
pub(super) struct Plan {
    /// Paid impressions bought this tick.
    pub impressions: f64,
    /// Sum of the targeting weights of all agents (set by the talk pass).
    pub targeting_total: f64,
    pub posts: bool,
    /// The community is open: at least one manager is paid.
    pub community: bool,
    /// Community managers paid this tick.
    pub managers: u32,
    /// Chance that a contribution finds a manager free to answer it.
    pub answer_share: f64,
    /// The recruitment campaign's multiplier of recruitment.
    pub campaign: f64,
    pub recruit: bool,
    pub engage: bool,
    pub cocreation: bool,
    pub event: bool,
    /// The advocate programme runs: its bill is paid.
    pub advocates: bool,
    pub survey: bool,
    pub reviews: bool,
    /// Stranger readings of reviews this tick: the stock's and last tick's solicited
    /// reviews shown by the firm.
    pub review_reads: f64,
    /// The part of `review_reads` that reads a negative review.
    pub negative_reads: f64,
    /// Chance that a member gets a seat at this tick's event.
    pub event_seat: f64,
    /// Survey cost paid up front, settled after the survey.
    pub survey_prepaid: f64,
    /// Money spent in pass 1 (currency units), in spending order.
    pub cost: f64,
}

/// Firm-level state carried from tick to tick.
#[derive(Clone, Debug, Default)]
pub(super) struct Firm {
    /// Product quality Q in [0, 1].
    pub quality: f64,
    /// The customer map k in [0, 1]: what the firm knows of its customers
    /// (`listening.rs`).
    pub customer_map: f64,
    /// The community's reserve R (currency units), never negative.
    pub reserve: f64,
    /// Co-creation ideas contributed last tick.
    pub ideas: u64,
    /// Contributions to the community last tick.
    pub contributions: u64,
    /// Free community money set aside for extra seats at the next event.
    pub event_fund: f64,
    /// Free community money set aside for extra advocates' rewards.
    pub advocate_fund: f64,
    /// Money added to `advocate_fund` since the last selection, and over how many
    /// ticks: its rate decides how many extra advocates the next selection seats.
    pub advocate_accrued: f64,
    pub advocate_ticks: u32,
    /// Advocate seats: `count` plus the extra ones the last selection could pay.
    pub advocate_seats: u32,
    /// Solicited reviews posted last tick: positive, negative.
    pub solicited: (u64, u64),
    /// The review stock: positive and negative reviews, decayed (docs/MODEL.md §4.7.11).
    pub reviews_positive: f64,
    pub reviews_negative: f64,
    /// The brand's reputation R in [−1, 1] (docs/MODEL.md §4.7.12).
    pub brand_reputation: f64,
    /// Detractors surveyed but not asked to review, over the run.
    pub not_asked: u64,
    /// Members and customers at the end of last tick.
    pub members: u64,
    pub customers: u64,
    /// The advocates, in selection order.
    pub advocates: Vec<u32>,
    /// Adoption rate by segment (0 low, 1 high involvement) at the end of last tick.
    pub segment_rate: [f64; 2],
    pub cumulative_revenue: f64,
    /// Money budgeted so far: the social-media share every tick, the community's
    /// from its launch.
    pub budgeted: f64,
    pub cumulative_spend: f64,
    /// Cumulative cost and adopters by [`Source`] code.
    pub cost_by_source: [f64; Source::COUNT],
    pub adopters_by_source: [u64; Source::COUNT],
    /// Cumulative referrals, and the part made by advocates.
    pub referrals: u64,
    pub advocate_referrals: u64,
    /// Customers brought by advocates whose two-sided reward is still to be paid.
    pub receivers_owed: u64,
    /// Paid outside influencers (agent ids, most followers first), chosen once.
    pub influencers: Vec<u32>,
    /// Whether the influencers have been chosen.
    pub influencers_chosen: bool,
    /// The influencers who post (and are paid) this tick.
    pub posting: Vec<u32>,
}

impl Firm {
    /// Charges `amount` to `source` and to the tick's cost.
    fn charge(&mut self, amount: f64, source: Source, cost: &mut f64) {
        self.cost_by_source[source as usize] += amount;
        *cost += amount;
    }

    /// Pays `amount` from the reserve if it holds it (to 10⁻⁹): the reserve never goes
    /// negative, and an unaffordable action is skipped for the tick.
    pub(super) fn pay(&mut self, amount: f64, source: Source, cost: &mut f64) -> bool {
        if can_afford(self.reserve, amount) {
            self.reserve -= amount;
            self.charge(amount, source, cost);
            true
        } else {
            false
        }
    }
}

/// Whether a reserve covers an amount, with 10⁻⁹ of slack for rounding.
fn can_afford(reserve: f64, amount: f64) -> bool {
    reserve + 1e-9 >= amount
}

/// Managers needed to answer `contributions` at `capacity` each: ⌈contributions /
/// capacity⌉, at least 1.
pub(super) fn managers_needed(contributions: u64, capacity: f64) -> u32 {
    if capacity <= 0.0 {
        return 1;
    }
    ((contributions as f64 / capacity).ceil() as u32).max(1)
}

/// The chance a contribution is answered for lack of time: managers·capacity over the
/// contributions expected (last tick's), at most 1.
pub(super) fn answer_share(managers: u32, capacity: f64, contributions: u64) -> f64 {
    if contributions == 0 {
        1.0
    } else {
        (managers as f64 * capacity / contributions as f64).min(1.0)
    }
}

/// A recruitment campaign's multiplier of recruitment at `spend` per tick:
/// 1 + `campaign_lift`·(1 − e^(−spend/`campaign_scale`)), diminishing returns.
pub(super) fn campaign_multiplier(community: &Community, spend: f64) -> f64 {
    1.0 + community.campaign_lift * (1.0 - (-spend / community.campaign_scale).exp())
}

/// How free community money splits: (campaign, event seats, advocates) =
/// free·(1 − `event_share` − `advocate_share`, `event_share`, `advocate_share`).
pub(super) fn split_free(community: &Community, free: f64) -> (f64, f64, f64) {
    let events = free * community.event_share;
    let advocates = free * community.advocate_share;
    ((free - events - advocates).max(0.0), events, advocates)
}

/// Seats beyond `capacity` that an event fund buys at `seat_cost` each.
pub(super) fn extra_seats(events: &Events, fund: f64) -> f64 {
    fund / events.seat_cost
}

/// Advocate seats a selection fills: `count` plus the extra advocates that money
/// accruing at `rate` a tick pays at `reward_cost` each.
pub(super) fn advocate_seats(p: &Advocates, rate: f64) -> u32 {
    let extra = if p.reward_cost > 0.0 {
        (rate / p.reward_cost + 1e-9).floor() as u32
    } else {
        0
    };
    p.count.saturating_add(extra)
}

/// Paid impressions bought in a tick: what the budget buys at its cost per thousand,
/// at most `frequency_cap` per agent per week over `n` agents.
pub(super) fn impressions_bought(s: &SocialMedia, budget: f64, n: usize) -> f64 {
    impressions(budget, s.cpm).min(s.frequency_cap / 7.0 * n as f64)
}

/// Paid impressions a budget buys at a cost per thousand.
fn impressions(budget: f64, cpm: f64) -> f64 {
    budget / cpm * 1000.0
}

/// The quality gain g of last tick's ideas: `quality_gain` per idea per thousand
/// agents, at most 1.
fn cocreation_gain(cocreation: &Cocreation, ideas: u64, n: f64) -> f64 {
    let per_thousand = ideas as f64 / n * 1000.0;
    (cocreation.quality_gain * per_thousand).min(1.0)
}

/// Quality after a gain g: Q + g·(1 − Q), so it approaches 1 and never passes it.
fn improved_quality(quality: f64, gain: f64) -> f64 {
    quality + gain * (1.0 - quality)
}

/// An event is held every `interval` ticks.
fn event_due(events: &Events, t: u32) -> bool {
    t.is_multiple_of(events.interval.max(1))
}

/// A member's chance of a seat: `capacity` plus the extra seats over last tick's
/// members, at most 1, so that is the expected number of seats.
fn event_seat(events: &Events, extra: f64, members: u64) -> f64 {
    ((events.capacity as f64 + extra) / members.max(1) as f64).min(1.0)
}

impl Marketing<'_> {
    fn active(&self, action: Action, t: u32) -> bool {
        self.spec.active(action, t)
    }

    /// Pass 1: the firm's decisions for tick `t` and their cost.
    pub(super) fn plan(&mut self, t: u32, draws: &Draws) -> Plan {
        let mut plan = Plan::default();
        self.listen(t, &mut plan);
        self.firm.posting.clear();
        self.plan_social_media(t, draws, &mut plan);
        if let Some(community) = &self.spec.strategy.community
            && t >= community.launch
        {
            self.plan_community(community, t, &mut plan);
        }
        self.plan_review_reads(&mut plan);
        plan
    }

    /// Stranger readings of reviews this tick, all and negative: the stock's, and last
    /// tick's solicited reviews shown by the firm while its review programme runs.
    fn plan_review_reads(&self, plan: &mut Plan) {
        let (m, firm) = (&self.spec.market.reviews, &self.firm);
        let readers = match &self.spec.strategy.community {
            Some(c) if plan.reviews => c.reviews.readers,
            _ => 0.0,
        };
        let positive = reviews::stock_reads(m, firm.reviews_positive, readers, firm.solicited.0);
        plan.negative_reads =
            reviews::stock_reads(m, firm.reviews_negative, readers, firm.solicited.1);
        plan.review_reads = positive + plan.negative_reads;
    }

    /// Listening, when the `listen` action runs: the customer map grows and its cost
    /// is paid on top of the budget (attributed to no channel).
    fn listen(&mut self, t: u32, plan: &mut Plan) {
        if !self.active(Action::Listen, t) {
            return;
        }
        let l = &self.spec.strategy.listening;
        self.firm.customer_map = listening::learnt(l, self.firm.customer_map);
        self.firm.budgeted += l.cost;
        plan.cost += l.cost;
    }

    /// The social-media share of the budget pays this tick's influencer posts, then
    /// paid impressions; posts to followers are free.
    fn plan_social_media(&mut self, t: u32, draws: &Draws, plan: &mut Plan) {
        let strategy = &self.spec.strategy;
        let Some(social) = &strategy.social_media else {
            return;
        };
        if self.active(Action::Paid, t) {
            let budget = strategy.budget * strategy.social_share();
            self.firm.budgeted += budget;
            let fees = self.hire_influencers(&social.influencers, budget, draws);
            self.firm.charge(fees, Source::Influencer, &mut plan.cost);
            let budget = (budget - fees).max(0.0);
            plan.impressions = impressions_bought(social, budget, self.agents.len());
            let spend = plan.impressions * social.cpm / 1000.0;
            self.firm.charge(spend, Source::PaidSocial, &mut plan.cost);
        }
        plan.posts = self.active(Action::Posts, t) && social.posts_per_tick > 0.0;
    }

    /// The community's share goes to its reserve; managers, events, advocate rewards
    /// and surveys are paid from it, in that order, and what is left beyond the next
    /// event's and survey's cost buys a recruitment campaign.
    fn plan_community(&mut self, community: &Community, t: u32, plan: &mut Plan) {
        let strategy = &self.spec.strategy;
        let budget = strategy.budget * (1.0 - strategy.social_share());
        self.firm.reserve += budget;
        self.firm.budgeted += budget;
        plan.community = self.hire_managers(community, plan);
        if !plan.community {
            return;
        }
        plan.recruit = self.active(Action::Recruit, t);
        plan.engage = self.active(Action::Engage, t);
        plan.cocreation = self.active(Action::Cocreation, t);
        // Ideas from last tick's contributions improve the product.
        if plan.cocreation {
            let n = self.agents.len().max(1) as f64;
            let gain = cocreation_gain(&community.cocreation, self.firm.ideas, n);
            self.firm.quality = improved_quality(self.firm.quality, gain);
        }
        let events = &community.events;
        plan.event = self.active(Action::Events, t)
            && event_due(events, t)
            && self
                .firm
                .pay(events.cost, Source::Community, &mut plan.cost);
        if plan.event {
            let fund = std::mem::take(&mut self.firm.event_fund);
            self.firm.charge(fund, Source::Community, &mut plan.cost);
            plan.event_seat = event_seat(events, extra_seats(events, fund), self.firm.members);
        }
        plan.advocates = self.run_advocates(community, t, &mut plan.cost);
        let programme = &community.reviews;
        let prepaid = reviews::survey_prepayment(programme, self.firm.customers);
        plan.survey = self.active(Action::Surveys, t)
            && reviews::survey_due(programme, t)
            && self.firm.pay(prepaid, Source::Review, &mut plan.cost);
        if plan.survey {
            plan.survey_prepaid = prepaid;
        }
        plan.reviews = self.active(Action::Reviews, t);
        plan.campaign = 1.0;
        if plan.recruit {
            let mut holdback = 0.0;
            if events.interval > 0 {
                holdback += events.cost;
            }
            if programme.survey_interval > 0 {
                holdback += prepaid;
            }
            let free = (self.firm.reserve - holdback).max(0.0);
            let (spend, seats, advocates) = split_free(community, free);
            self.firm.reserve -= seats + advocates;
            self.firm.event_fund += seats;
            self.firm.advocate_fund += advocates;
            self.firm.advocate_accrued += advocates;
            self.firm.advocate_ticks += 1;
            if spend > 0.0 && self.firm.pay(spend, Source::Community, &mut plan.cost) {
                let lift = campaign_multiplier(community, spend);
                plan.campaign = listening::placed_campaign(lift, self.firm.customer_map);
            }
        }
    }

    /// Hires as many managers as last tick's contributions need and the reserve
    /// pays (at least one, or the community is closed this tick).
    fn hire_managers(&mut self, community: &Community, plan: &mut Plan) -> bool {
        let capacity = community.manager_capacity;
        let needed = managers_needed(self.firm.contributions, capacity);
        let affordable = if community.manager_cost > 0.0 {
            ((self.firm.reserve + 1e-9) / community.manager_cost).floor() as u32
        } else {
            needed
        };
        let managers = needed.min(affordable);
        if managers == 0 {
            return false;
        }
        let wage = managers as f64 * community.manager_cost;
        if !self.firm.pay(wage, Source::Community, &mut plan.cost) {
            return false;
        }
        plan.managers = managers;
        plan.answer_share = answer_share(managers, capacity, self.firm.contributions);
        true
    }

    /// (Re)selects the advocates when due and pays their bill; clears them when the
    /// programme is off. Whether the programme runs this tick.
    fn run_advocates(&mut self, community: &Community, t: u32, cost: &mut f64) -> bool {
        if !self.active(Action::Advocates, t) {
            if !self.firm.advocates.is_empty() {
                self.clear_advocates();
            }
            return false;
        }
        let programme = &community.advocates;
        let held = self.firm.advocates.len() as u64;
        let seats = self.firm.advocate_seats.max(programme.count);
        let since = t - community.launch;
        if advocates::selection_due(programme, seats, held, self.firm.customers, since) {
            let firm = &mut self.firm;
            let rate = firm.advocate_accrued / firm.advocate_ticks.max(1) as f64;
            firm.advocate_seats = advocate_seats(programme, rate);
            (firm.advocate_accrued, firm.advocate_ticks) = (0.0, 0);
            self.select_advocates(t);
        }
        let owed = self.firm.receivers_owed;
        let bill = advocates::bill(programme, self.firm.advocates.len())
            + rewards::receivers_bill(programme, owed);
        // The advocates' share of the free money pays first, the reserve the rest.
        let from_fund = bill.min(self.firm.advocate_fund);
        let rest = bill - from_fund;
        if !self.firm.pay(rest, Source::Advocate, cost) {
            return false;
        }
        self.firm.advocate_fund -= from_fund;
        self.firm.charge(from_fund, Source::Advocate, cost);
        self.firm.receivers_owed -= owed;
        true
    }

    /// After pass 6: keeps this tick's ideas and reviews for the next, adds its new
    /// reviews to the review stock, moves the brand's reputation toward the tick's
    /// signals, adds its adopters and referrals to the totals, and settles the prepaid
    /// survey budget, returning what the answers did not use to the reserve. Returns
    /// the tick's cost net of that refund.
    pub(super) fn book(&mut self, plan: &Plan, tally: &Tally) -> f64 {
        let firm = &mut self.firm;
        firm.ideas = tally.ideas;
        firm.contributions = tally.contributions;
        firm.solicited = (
            tally.reviews_posted - tally.solicited_negative,
            tally.solicited_negative,
        );
        firm.not_asked += tally.not_asked;
        let m = &self.spec.market;
        firm.reviews_positive =
            reviews::stock_after(&m.reviews, firm.reviews_positive, tally.reviews_positive);
        firm.reviews_negative =
            reviews::stock_after(&m.reviews, firm.reviews_negative, tally.reviews_negative);
        let signals = brand_reputation::Signals {
            reviews: (tally.reviews_positive, tally.reviews_negative),
            word_of_mouth: (tally.positive, tally.negative),
            contributions: tally.contributions,
            answered: tally.answered,
        };
        let signal = brand_reputation::signal(&m.brand_reputation, &signals);
        firm.brand_reputation =
            brand_reputation::updated(&m.brand_reputation, firm.brand_reputation, signal);
        let survey_cost = self
            .spec
            .strategy
            .community
            .as_ref()
            .map_or(0.0, |c| reviews::survey_cost(&c.reviews, tally.surveyed));
        let refund = reviews::survey_refund(plan.survey_prepaid, survey_cost);
        firm.reserve += refund;
        firm.cost_by_source[Source::Review as usize] -= refund;
        for (total, new) in firm.adopters_by_source.iter_mut().zip(tally.new_by_source) {
            *total += new;
        }
        firm.referrals += tally.referrals;
        firm.advocate_referrals += tally.advocate_referrals;
        if let Some(c) = &self.spec.strategy.community
            && c.advocates.reward == Reward::TwoSided
        {
            firm.receivers_owed += tally.new_by_source[Source::Advocate as usize];
        }
        plan.cost - refund
    }
}

impl Firm {
    /// Keeps what next tick's decisions read from this tick's census: members and
    /// customers, and the adoption rate of each segment.
    pub(super) fn observe(&mut self, census: &Census) {
        self.members = census.members;
        self.customers = census.customers;
        for s in 0..2 {
            self.segment_rate[s] =
                census.segment_customers[s] as f64 / census.segment_size[s].max(1) as f64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserve_never_goes_negative() {
        let mut firm = Firm {
            reserve: 10.0,
            ..Firm::default()
        };
        let mut cost = 0.0;
        assert!(firm.pay(6.0, Source::Community, &mut cost));
        assert!(!firm.pay(6.0, Source::Community, &mut cost));
        assert_eq!((firm.reserve, cost), (4.0, 6.0));
        assert_eq!(firm.cost_by_source[Source::Community as usize], 6.0);
        assert!(firm.pay(4.0 + 5e-10, Source::Advocate, &mut cost));
    }

    #[test]
    fn ideas_raise_quality_towards_one() {
        let cocreation = Cocreation {
            quality_gain: 0.01,
            ..Cocreation::default()
        };
        assert_eq!(cocreation_gain(&cocreation, 0, 1000.0), 0.0);
        assert_eq!(cocreation_gain(&cocreation, 50, 1000.0), 0.5);
        assert_eq!(cocreation_gain(&cocreation, 5000, 1000.0), 1.0);
        assert_eq!(improved_quality(0.6, 0.5), 0.8);
        assert_eq!(improved_quality(0.6, 1.0), 1.0);
    }

    #[test]
    fn capacity_is_the_expected_number_of_seats() {
        let events = Events {
            capacity: 200,
            interval: 30,
            ..Events::default()
        };
        assert_eq!(event_seat(&events, 0.0, 800), 0.25);
        assert_eq!(event_seat(&events, 0.0, 100), 1.0);
        assert_eq!(event_seat(&events, 0.0, 0), 1.0);
        assert_eq!(event_seat(&events, 200.0, 800), 0.5);
        assert!(event_due(&events, 60) && !event_due(&events, 61));
    }

    #[test]
    fn free_money_splits_between_campaign_seats_and_advocates() {
        let c = Community {
            event_share: 0.25,
            advocate_share: 0.5,
            ..Community::default()
        };
        assert_eq!(split_free(&c, 100.0), (25.0, 25.0, 50.0));
        assert_eq!(split_free(&Community::default(), 100.0), (100.0, 0.0, 0.0));
        let events = Events {
            seat_cost: 2.0,
            ..Events::default()
        };
        assert_eq!(extra_seats(&events, 50.0), 25.0);
    }

    #[test]
    fn money_accruing_for_advocates_pays_whole_extra_seats() {
        let p = Advocates {
            count: 10,
            reward_cost: 2.0,
            ..Advocates::default()
        };
        assert_eq!(advocate_seats(&p, 0.0), 10);
        assert_eq!(advocate_seats(&p, 5.0), 12);
        assert_eq!(advocate_seats(&p, 6.0), 13);
        let free = Advocates {
            reward_cost: 0.0,
            ..p
        };
        assert_eq!(advocate_seats(&free, 100.0), 10);
    }

    #[test]
    fn managers_are_hired_for_last_tick_s_contributions() {
        assert_eq!(managers_needed(0, 40.0), 1);
        assert_eq!(managers_needed(40, 40.0), 1);
        assert_eq!(managers_needed(41, 40.0), 2);
        assert_eq!(answer_share(1, 40.0, 160), 0.25);
        assert_eq!(answer_share(2, 40.0, 10), 1.0);
        assert_eq!(answer_share(1, 40.0, 0), 1.0);
    }

    #[test]
    fn campaign_money_has_diminishing_returns() {
        let c = Community {
            campaign_lift: 3.0,
            campaign_scale: 100.0,
            ..Community::default()
        };
        assert_eq!(campaign_multiplier(&c, 0.0), 1.0);
        let (m1, m2, m3) = (
            campaign_multiplier(&c, 100.0),
            campaign_multiplier(&c, 200.0),
            campaign_multiplier(&c, 300.0),
        );
        assert!((m1 - (1.0 + 3.0 * (1.0 - (-1f64).exp()))).abs() < 1e-12);
        assert!(m1 < m2 && m2 < m3 && m3 < 4.0);
        assert!(m2 - m1 > m3 - m2, "each extra 100 buys less");
    }

    #[test]
    fn a_budget_buys_impressions_per_thousand() {
        assert_eq!(impressions(12.0, 12.0), 1000.0);
        let s = SocialMedia {
            cpm: 10.0,
            frequency_cap: 0.7,
            ..SocialMedia::default()
        };
        // 100 a day buys 10,000 impressions; 1,000 agents capped at 0.1 a day take 100.
        assert!((impressions_bought(&s, 100.0, 1000) - 100.0).abs() < 1e-9);
        assert!((impressions_bought(&s, 0.5, 1000) - 50.0).abs() < 1e-9);
    }
}
