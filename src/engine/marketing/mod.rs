//! The marketing model (docs/MODEL.md §4): a firm runs social media and/or community
//! management; customers hear, talk, buy, stay or churn.
//!
//! This module holds the state of one replicate ([`Marketing`]) and the tick
//! ([`Marketing::step`]), one line per pass in the order of MODEL.md §4.3. Each pass
//! is one fused, chunked sweep over the agents' arrays, in the module of its
//! mechanism, and calls that mechanism's rules, small named functions tested beside
//! them:
//!
//! | pass | module | rules of |
//! | --- | --- | --- |
//! | 1 firm actions | `firm` | budget, reserve, events, co-creation quality |
//! | 1 firm actions | `listening` | the customer map, targeting and campaign placement |
//! | 2 talk signals | `talk` | credibility and talk rate |
//! | 3 persona and exposure | `exposure` | targeting, reach, wear-out, masks |
//! | 4 word of mouth | `word_of_mouth` | channels, ties, attitude shifts, referrals |
//! | 5 purchase and churn | `purchase` | buying chance, churn hazard, CLV |
//! | | `purchase::groups` | which of a chunk's agents each purchase rule applies to |
//! | | `contagion` | exposure to defecting neighbours, its hazard factor |
//! | | `social_dollars` | members' purchase amount |
//! | 6 community | `community` | recruitment, contributions, events, satisfaction |
//! | 7 census and record | `census`, `record` | census (of each chunk in pass 6), tallies, the columns of a tick |
//!
//! Mechanisms that act in several passes keep their rules in their own modules:
//! `advocates` (selection, bill, talk and social-capital rewards), `rewards` (what
//! cash and two-sided rewards do over weak and strong ties), `influencers` (paid
//! outside influencers: chosen and paid in pass 1, heard in pass 4), `reviews`
//! (surveys, unasked reviews, review talk, the review stock and its reading and
//! rating), `brand_reputation` (the brand's reputation, a firm-level stock fed by
//! reviews, word of mouth and the community's responsiveness) and `event_ties` (ties
//! among an event's attendees, made after pass 6 and heard in pass 4). `draws`
//! numbers the random decisions; `figures`
//! turns a finished replicate into its outputs.
//!
//! Each decision draws from its own counter-based sub-stream keyed by (seed,
//! replicate, tick, decision, agent) — contacts by (…, arc) — so results are identical
//! at any thread count and two strategies share their random numbers (common random
//! numbers) wherever their agents are in the same situation.

mod advocates;
mod attributes;
mod bits;
mod brand_reputation;
mod census;
mod clock;
mod cohorts;
mod community;
mod contagion;
mod diagnosis;
mod draws;
mod event_ties;
mod exact_sum;
mod exposure;
mod figures;
mod firm;
mod influencers;
mod listening;
mod purchase;
mod record;
mod renumbering;
mod reviews;
mod rewards;
mod social_dollars;
mod talk;
mod value;
mod word_of_mouth;

pub use clock::{Pass, PassTimes};
pub use cohorts::rows as cohort_rows;
pub use diagnosis::diagnosis_sentence;
pub use figures::{AGENT_COLUMNS, Baseline};
pub use record::{COLUMNS, MIN_ROI_COST, SOURCE_COLUMNS, nps_score};

use crate::network::FirstNumbers;
use crate::network::{Csr, InitialStatus, Network, NodeAttributes};
use crate::population::{Customers, MAX_COMPETITORS, MAX_MASKS, flag, membership, role, status};
use crate::rng::{Purpose, StreamKey};
use crate::scenario::marketing::MarketingSpec;
use clock::{NoClock, PassClock};
use draws::Draws;
use firm::Firm;
use rand_distr::{Beta, Distribution, Gamma, Normal};
use rayon::prelude::*;
use record::{Books, Tally, TickRecord};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::Relaxed};
use talk::Message;

/// Agents per parallel work item.
const CHUNK: usize = 4096;

/// One fused, chunked sweep over the agents: `each` decides for agent `j` of a chunk,
/// counting into the chunk's tally; the chunks' tallies are summed in chunk order, so
/// the result does not depend on the thread count.
fn tally_agents(
    agents: &mut Customers,
    each: impl Fn(&mut crate::population::CustomersChunk<'_>, usize, &mut Tally) + Sync,
) -> Tally {
    tally_chunks(agents, |c, tally| {
        for j in 0..c.flags.len() {
            each(c, j, tally);
        }
    })
}

/// [`tally_agents`] for a pass that works a chunk at a time: `each` does chunk `c`,
/// counting into its tally; the tallies are summed in chunk order.
fn tally_chunks(
    agents: &mut Customers,
    each: impl Fn(&mut crate::population::CustomersChunk<'_>, &mut Tally) + Sync,
) -> Tally {
    let tallies: Vec<Tally> = agents
        .chunks_mut(CHUNK)
        .into_par_iter()
        .map(|mut c| {
            let mut tally = Tally::default();
            each(&mut c, &mut tally);
            tally
        })
        .collect();
    Tally::sum(&tallies)
}

/// The share of agent `i`'s in-neighbours counted in `counts` (customers A or members
/// M): counts[i]/max(d_i, 1), as of the end of the previous pass that updated them.
#[inline]
fn neighbour_share(counts: &[AtomicU32], incoming: &Csr, i: usize) -> f64 {
    let d = incoming.degree(i as u32).max(1) as f64;
    counts[i].load(Relaxed) as f64 / d
}

/// Agents in random states, for tests of the passes' bit sets: every status, any
/// flags, memberships, satisfaction, attitudes in {−1, 0, 1}, and social capital
/// mostly 0, sometimes −0, sometimes held.
#[cfg(test)]
fn random_agents(seed: u64, n: usize) -> crate::population::Customers {
    use crate::rng::{Purpose, StreamKey};
    let key = StreamKey::new(seed, 0, 0, Purpose::Traits);
    let mut a = crate::population::Customers::new(n);
    let capital = |bits: u64| match bits % 8 {
        0 => 0.25,
        1 => -0.0,
        _ => 0.0,
    };
    for i in 0..n {
        let b = key.agent(i as u64).bits();
        a.status[i] = (b % 4) as u8;
        a.flags[i] = (b >> 8) as u8;
        a.membership[i] = ((b >> 16) % 3) as u8 * ((b >> 18) % 2) as u8;
        a.satisfaction[i] = ((b >> 20) % 1000) as f32 / 999.0;
        a.reputation[i] = capital(b >> 30);
        a.affiliation[i] = capital(b >> 34);
        a.knowledge[i] = capital(b >> 38);
        a.attitude[i] = ((b >> 42) % 3) as f32 - 1.0;
    }
    a
}

/// One replicate of the marketing model.
pub struct Marketing<'a> {
    network: &'a Network,
    spec: &'a MarketingSpec,
    seed: u64,
    replicate: u64,
    agents: Customers,
    /// Each talker's message this tick, read by its neighbours in one memory access;
    /// a silent agent's entry is stale and never read (see `talking`).
    talk: Vec<Message>,
    /// A_v: in-neighbours who are customers.
    adopted_neighbours: Vec<AtomicU32>,
    /// R_v: in-neighbours who buy from a competitor.
    rival_neighbours: Vec<AtomicU32>,
    /// M_v: in-neighbours who are members.
    member_neighbours: Vec<AtomicU32>,
    /// In-neighbours who churned last tick (churn contagion), reset as read.
    defected_neighbours: Vec<AtomicU32>,
    /// Customers each agent referred.
    referrals: Vec<AtomicU32>,
    /// Whether a talker may reach the agent this tick (pass 4 when few talk), one bit
    /// per agent (bit `v % 64` of word `v / 64`), reset as read.
    heard: Vec<AtomicU64>,
    /// The agents holding social capital other than ±0, one bit per agent, kept by
    /// pass 6 (the only pass that changes capital; `community::capital_holders`).
    capital_held: Vec<u64>,
    /// Whether `capital_held` must be found again before pass 6 uses it: at the
    /// start, and after the agents were changed from outside.
    capital_unknown: bool,
    /// Who talks this tick, one bit per agent: set in pass 2 with the messages, read
    /// in pass 4 before any message.
    talking: Vec<u64>,
    /// The talkers' messages and labels gathered apart when few talk (pass 4).
    talkers: word_of_mouth::Talkers,
    /// Pass 4 pushes when the talkers' arcs times this are fewer than all arcs.
    push_below: u64,
    firm: Firm,
    /// Weak ties made at events, when the strategy's events make them.
    event_ties: Option<event_ties::EventTies>,
    /// Sampled betweenness, computed when an advocate programme first needs it.
    betweenness: Option<Vec<f32>>,
    /// The network's largest arc weight, when it is weighted (word of mouth divides
    /// each arc's weight by it).
    max_weight: Option<f64>,
    /// One record per tick, from tick 0.
    records: Vec<TickRecord>,
    /// When the agents were renumbered, where each agent's row of in-arcs began in
    /// the network as built: word of mouth keys its contacts by those positions
    /// ([`renumbering::arc_keys`]).
    arc_keys: Option<Vec<u64>>,
}

impl<'a> Marketing<'a> {
    /// A replicate at tick 0: traits drawn, nobody aware.
    pub fn new(network: &'a Network, spec: &'a MarketingSpec, seed: u64, replicate: u64) -> Self {
        let n = network.nodes();
        let mut agents = Customers::new(n);
        let attributes = network.attributes.as_ref();
        let ids = network.first_numbers();
        draw_traits(&mut agents, spec, attributes, (seed, replicate, ids));
        let (customers, members, rivals) =
            initial_state(&mut agents, spec, attributes, (seed, replicate, ids));
        let firm = Firm {
            quality: spec.market.initial_quality,
            customer_map: spec.strategy.listening.initial_map,
            ..Firm::default()
        };
        // Words of the one-bit-per-agent sets, whole chunks of them.
        let words = n.div_ceil(CHUNK) * (CHUNK / 64);
        let mut model = Marketing {
            network,
            spec,
            seed,
            replicate,
            agents,
            talk: vec![Message::default(); n],
            adopted_neighbours: (0..n).map(|_| AtomicU32::new(0)).collect(),
            rival_neighbours: (0..n).map(|_| AtomicU32::new(0)).collect(),
            member_neighbours: (0..n).map(|_| AtomicU32::new(0)).collect(),
            defected_neighbours: (0..n).map(|_| AtomicU32::new(0)).collect(),
            referrals: (0..n).map(|_| AtomicU32::new(0)).collect(),
            heard: (0..words).map(|_| AtomicU64::new(0)).collect(),
            talking: vec![0; words],
            capital_held: vec![0; words],
            capital_unknown: true,
            talkers: word_of_mouth::Talkers::default(),
            push_below: word_of_mouth::PUSH_BELOW,
            firm,
            event_ties: event_ties::creates_ties(spec).then(|| {
                let max = spec
                    .strategy
                    .community
                    .as_ref()
                    .map_or(0, |c| c.events.max_ties);
                event_ties::EventTies::new(n, max as usize)
            }),
            betweenness: None,
            max_weight: network.max_weight().map(f64::from),
            records: Vec::new(),
            arc_keys: renumbering::arc_keys(network),
        };
        model.push(&model.adopted_neighbours, &customers, true);
        model.push(&model.member_neighbours, &members, true);
        model.push(&model.rival_neighbours, &rivals, true);
        let census = model.census();
        model.firm.observe(&census);
        model.record_tick(&census, &Tally::default(), 0.0);
        model
    }

    /// Bytes of state per agent of every replicate, for memory estimates.
    pub const BYTES_PER_AGENT: usize = Customers::BYTES_PER_AGENT
        + std::mem::size_of::<Message>()
        + 5 * 4
        // The `heard`, `talking` and `capital_held` bits, an eighth of a byte each,
        // rounded up.
        + 1
        + word_of_mouth::Talkers::BYTES_PER_AGENT;

    /// Bytes of state per agent of a replicate of `spec`: [`Self::BYTES_PER_AGENT`]
    /// plus the event-tie overlay when its events make ties (4·`max_ties`).
    pub fn bytes_per_agent(spec: &MarketingSpec) -> usize {
        Self::BYTES_PER_AGENT + event_ties::EventTies::bytes_per_agent(spec)
    }

    /// Advances to tick `t` and returns its new adopters.
    pub fn step(&mut self, t: u32) -> u32 {
        self.step_with(t, &mut NoClock)
    }

    /// [`Marketing::step`], adding each pass's wall time to `times` (for `murmur
    /// bench`'s breakdown by pass); the tick's results are the same.
    pub fn step_timed(&mut self, t: u32, times: &mut PassTimes) -> u32 {
        times.start();
        self.step_with(t, times)
    }

    /// The tick, its passes in the order of MODEL.md §4.3, each timed by `clock`.
    fn step_with(&mut self, t: u32, clock: &mut impl PassClock) -> u32 {
        let draws = Draws::new(self.seed, self.replicate, t).keyed_by(self.network.first_numbers());
        let mut plan = self.plan(t, &draws);
        clock.lap(Pass::Firm);
        plan.targeting_total = self.talk_signals(&plan, &draws);
        clock.lap(Pass::Talk);
        let exposure = self.expose(&plan, &draws);
        clock.lap(Pass::Exposure);
        let contacts = self.word_of_mouth(&draws, t);
        clock.lap(Pass::WordOfMouth);
        let purchases = self.purchase(&draws, t);
        clock.lap(Pass::Purchase);
        let (community, census) = self.community(&plan, &draws, t);
        clock.lap(Pass::Community);
        let tally = exposure.add(&contacts).add(&purchases).add(&community);
        let cost = self.book(&plan, &tally);
        self.firm.observe(&census);
        self.record_tick(&census, &tally, cost);
        clock.lap(Pass::Record);
        tally.new_by_source.iter().sum::<u64>() as u32
    }

    /// Runs replicate `replicate` of `spec` with marketing off
    /// ([`MarketingSpec::without_marketing`]) for `ticks` ticks on the same network and
    /// random numbers, and returns how it ended: the baseline of the `incremental_*`
    /// figures. `on_tick` is called after every tick, for progress reporting.
    pub fn baseline(
        network: &Network,
        spec: &MarketingSpec,
        seed: u64,
        replicate: u64,
        ticks: u32,
        on_tick: &(dyn Fn() + Sync),
    ) -> Baseline {
        let off = spec.without_marketing();
        Marketing::stepped(network, &off, seed, replicate, ticks, on_tick).ending()
    }

    /// Replicate `replicate` of `spec` stepped through ticks 1 to `ticks`, `on_tick`
    /// called after every tick, for progress reporting.
    pub fn stepped(
        network: &'a Network,
        spec: &'a MarketingSpec,
        seed: u64,
        replicate: u64,
        ticks: u32,
        on_tick: &(dyn Fn() + Sync),
    ) -> Self {
        let mut m = Marketing::new(network, spec, seed, replicate);
        for t in 1..=ticks {
            m.step(t);
            on_tick();
        }
        m
    }

    /// Pass 7's record: adds the tick's spend to the books and stores the row.
    fn record_tick(&mut self, census: &census::Census, tally: &Tally, spend: f64) {
        self.firm.cumulative_spend += spend;
        let firm = &self.firm;
        let books = Books {
            quality: firm.quality,
            customer_map: firm.customer_map,
            previous_prospect_followers: self.records.last().map_or(0.0, |r| r.prospect_followers),
            advocates: firm.advocates.len(),
            spend,
            unspent: (firm.budgeted - firm.cumulative_spend).max(0.0),
            cumulative_revenue: firm.cumulative_revenue,
            cumulative_spend: firm.cumulative_spend,
            margin: self.spec.market.margin,
            reviews_positive: firm.reviews_positive,
            reviews_negative: firm.reviews_negative,
            brand_reputation: firm.brand_reputation,
            competitor_mentions: self.spec.market.competitor_mentions,
        };
        let row = TickRecord::new(census, tally, &books, self.agents.len());
        self.records.push(row);
    }

    /// Adds (or removes) the agents of `changed` to their out-neighbours' counts.
    fn push(&self, counts: &[AtomicU32], changed: &[u32], add: bool) {
        let out = &self.network.out;
        changed.par_iter().with_min_len(64).for_each(|&u| {
            for &v in out.neighbours(u) {
                if add {
                    counts[v as usize].fetch_add(1, Relaxed);
                } else {
                    counts[v as usize].fetch_sub(1, Relaxed);
                }
            }
        });
    }

    /// [`Marketing::push`] for the agents of several lists (one per chunk of a pass)
    /// at once: one parallel sweep over the lists instead of one per list, and none
    /// when every list is empty. Counts are sums, so the order does not matter.
    fn push_lists<'l>(
        &self,
        counts: &[AtomicU32],
        lists: impl Iterator<Item = &'l [u32]>,
        add: bool,
    ) {
        let lists: Vec<&[u32]> = lists.filter(|l| !l.is_empty()).collect();
        if lists.is_empty() {
            return;
        }
        let out = &self.network.out;
        lists.par_iter().for_each(|list| {
            for &u in *list {
                for &v in out.neighbours(u) {
                    if add {
                        counts[v as usize].fetch_add(1, Relaxed);
                    } else {
                        counts[v as usize].fetch_sub(1, Relaxed);
                    }
                }
            }
        });
    }

    /// Read access to the agents, for tests of single mechanisms.
    pub fn agents(&self) -> &Customers {
        &self.agents
    }

    /// Write access to the agents, for tests that set up a situation. What is kept
    /// about them (who holds social capital) is found again before it is next used.
    pub fn agents_mut(&mut self) -> &mut Customers {
        self.capital_unknown = true;
        &mut self.agents
    }

    /// Current product quality.
    pub fn quality(&self) -> f64 {
        self.firm.quality
    }

    /// The recorded value of a column at the last recorded tick.
    pub fn last(&self, column: &str) -> Option<f64> {
        record::value(self.records.last()?, column)
    }

    /// Marks `agents` as customers adopted at tick 0 (for tests and warm starts),
    /// updating their neighbours' counts.
    pub fn make_customers(&mut self, agents: &[u32]) {
        let s = &self.spec.market.satisfaction;
        for &i in agents {
            let i = i as usize;
            self.agents.status[i] = status::CUSTOMER;
            self.agents.flags[i] |= flag::AWARE;
            self.agents.adopted[i] = 0;
            self.agents.next_purchase[i] = self.spec.market.purchase_period;
            self.agents.satisfaction[i] = s.baseline as f32;
        }
        self.push(&self.adopted_neighbours, agents, true);
    }

    /// Makes `agents` customers of competitor `k` in the category (for tests),
    /// updating their neighbours' counts.
    pub fn make_competitor_customers(&mut self, agents: &[u32], k: usize) {
        for &i in agents {
            let i = i as usize;
            self.agents.status[i] = status::RIVAL;
            self.agents.rival[i] = k as u8 + 1;
            self.agents.known[i] |= 1 << k;
            self.agents.flags[i] |= flag::IN_MARKET;
        }
        self.push(&self.rival_neighbours, agents, true);
    }

    /// Makes `agents` community members, updating their neighbours' counts.
    pub fn make_members(&mut self, agents: &[u32]) {
        for &i in agents {
            self.agents.membership[i as usize] = membership::MEMBER;
            self.agents.flags[i as usize] |= flag::AWARE;
        }
        self.push(&self.member_neighbours, agents, true);
    }

    /// The share of `v`'s in-neighbours who are customers.
    pub fn adopted_share(&self, v: u32) -> f64 {
        neighbour_share(
            &self.adopted_neighbours,
            self.network.incoming(),
            v as usize,
        )
    }

    /// This tick's talk decision of `v`: +1 positive, −1 negative, 0 silent, with its
    /// credibility (valid after a step).
    pub fn talk_of(&self, v: u32) -> (i8, f32) {
        if !word_of_mouth::talks(&self.talking, v as usize) {
            return (0, 0.0);
        }
        let m = self.talk[v as usize];
        (m.sign, m.credibility)
    }
}

/// Draws who is in the product category at tick 0 (`potential`), each agent's
/// participation role should it join the community (`contributor_share`,
/// `super_user_share`; drawn under every strategy, so strategies share them), and who
/// buys what at tick 0: the brand (`initial_customers`, of whom `initial_members` are
/// members, with purchase days spread over one period) or a competitor (its
/// `initial_share`). Returns the initial customers, members and competitors'
/// customers, in id order.
fn initial_state(
    agents: &mut Customers,
    spec: &MarketingSpec,
    attributes: Option<&NodeAttributes>,
    (seed, replicate, ids): (u64, u64, FirstNumbers),
) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let market = &spec.market;
    let defaults = crate::scenario::marketing::Community::default();
    let community = spec.strategy.community.as_ref().unwrap_or(&defaults);
    let roles = (community.contributor_share, community.super_user_share);
    let key = StreamKey::new(seed, replicate, 0, Purpose::Traits).child(1);
    let period = market.purchase_period.max(1);
    let baseline = market.satisfaction.baseline as f32;
    let parts: Vec<[Vec<u32>; 3]> = agents
        .chunks_mut(CHUNK)
        .into_par_iter()
        .map(|c| {
            let [mut customers, mut members, mut rivals] = [Vec::new(), Vec::new(), Vec::new()];
            for j in 0..c.flags.len() {
                let i = c.start + j;
                let mut rng = key.agent(ids.get(i) as u64);
                let (in_market, role_draw, held, joined, day) =
                    (rng.unit(), rng.unit(), rng.unit(), rng.unit(), rng.unit());
                c.role[j] = participation_role(roles.0, roles.1, role_draw);
                let (status, member) = attributes::given_state(attributes, i);
                if status == Some(InitialStatus::Aware) {
                    c.flags[j] |= flag::AWARE;
                }
                let holds = initial_holding(market, status, in_market < market.potential, held);
                let brand = holds == Some(Holding::Brand);
                if member.unwrap_or(brand && joined < market.initial_members) {
                    c.membership[j] = membership::MEMBER;
                    c.flags[j] |= flag::AWARE;
                    members.push(i as u32);
                }
                let Some(holds) = holds else { continue };
                c.flags[j] |= flag::IN_MARKET;
                match holds {
                    Holding::Brand => {
                        c.status[j] = status::CUSTOMER;
                        c.flags[j] |= flag::AWARE;
                        c.adopted[j] = 0;
                        c.next_purchase[j] = 1 + (day * period as f64) as u32 % period;
                        c.satisfaction[j] = baseline;
                        customers.push(i as u32);
                    }
                    Holding::Rival(k) => {
                        c.status[j] = status::RIVAL;
                        c.rival[j] = k as u8 + 1;
                        c.known[j] |= 1 << k;
                        rivals.push(i as u32);
                    }
                    Holding::Nothing => {}
                }
            }
            [customers, members, rivals]
        })
        .collect();
    let joined = |k: usize| parts.iter().flat_map(|p| p[k].iter().copied()).collect();
    (joined(0), joined(1), joined(2))
}

/// What an agent holds at tick 0, or `None` when it is outside the category: a node
/// file's customer is the brand's and its competitor the first competitor's, both in
/// the category; its unaware or aware prospect holds nothing (in the category if
/// `in_market`, as drawn); without a status the draw `held` decides ([`holding`]).
fn initial_holding(
    market: &crate::scenario::marketing::Market,
    given: Option<InitialStatus>,
    in_market: bool,
    held: f64,
) -> Option<Holding> {
    match given {
        Some(InitialStatus::Customer) => Some(Holding::Brand),
        Some(InitialStatus::Competitor) => Some(Holding::Rival(0)),
        Some(InitialStatus::Unaware | InitialStatus::Aware) => {
            in_market.then_some(Holding::Nothing)
        }
        None => in_market.then(|| holding(market, held)),
    }
}

/// What an agent in the category buys at tick 0.
#[derive(Debug, PartialEq, Clone, Copy)]
enum Holding {
    Nothing,
    Brand,
    Rival(usize),
}

/// What a uniform draw `u` makes an agent in the category hold at tick 0: the brand
/// with chance `initial_customers`, then competitor k with its `initial_share`.
fn holding(market: &crate::scenario::marketing::Market, u: f64) -> Holding {
    let mut acc = market.initial_customers;
    if u < acc {
        return Holding::Brand;
    }
    for (k, rival) in market.competitor.iter().enumerate().take(MAX_COMPETITORS) {
        acc += rival.initial_share;
        if u < acc {
            return Holding::Rival(k);
        }
    }
    Holding::Nothing
}

/// The participation role a uniform draw `u` gives: super-user below
/// `super_user_share`, contributor below that plus `contributor_share`, else lurker.
fn participation_role(contributor_share: f64, super_user_share: f64, u: f64) -> u8 {
    if u < super_user_share {
        role::SUPER_USER
    } else if u < super_user_share + contributor_share {
        role::CONTRIBUTOR
    } else {
        role::LURKER
    }
}

/// Draws every agent's fixed traits (docs/MODEL.md §4.5): involvement segment,
/// susceptibility ψ ~ Beta(2, 2), initial attitude ~ N(0, 0.2) within [−1, 1], and a
/// persona mix from a symmetric Dirichlet of `concentration`, stored cumulatively.
fn draw_traits(
    agents: &mut Customers,
    spec: &MarketingSpec,
    attributes: Option<&NodeAttributes>,
    (seed, replicate, ids): (u64, u64, FirstNumbers),
) {
    let personas = attributes.map(|a| attributes::persona_masks(a, &spec.market.personas.masks));
    let market = &spec.market;
    let masks = market.personas.masks.len().clamp(1, MAX_MASKS);
    let key = StreamKey::new(seed, replicate, 0, Purpose::Traits);
    let beta = Beta::new(2.0, 2.0).expect("valid Beta");
    let gamma = Gamma::new(market.personas.concentration, 1.0).expect("checked concentration");
    let attitude = Normal::new(0.0, 0.2).expect("valid Normal");
    agents.chunks_mut(CHUNK).into_par_iter().for_each(|mut c| {
        for j in 0..c.flags.len() {
            let i = c.start + j;
            let mut rng = key.agent(ids.get(i) as u64);
            if rng.unit() < market.high_involvement_share {
                c.flags[j] |= flag::HIGH_INVOLVEMENT;
            }
            c.susceptibility[j] = beta.sample(&mut rng) as f32;
            c.attitude[j] = (attitude.sample(&mut rng) as f32).clamp(-1.0, 1.0);
            let mut weights = [0f64; MAX_MASKS];
            let mut sum = 0.0;
            for w in weights.iter_mut().take(masks) {
                *w = gamma.sample(&mut rng).max(1e-12);
                sum += *w;
            }
            let mut acc = 0.0;
            for (k, w) in weights.iter().enumerate() {
                acc += if k < masks { w / sum } else { 0.0 };
                c.mix[j][k] = if k + 1 >= masks { 1.0 } else { acc as f32 };
            }
            if let (Some(a), Some(p)) = (attributes, &personas) {
                attributes::set_traits(&mut c, j, a, p);
            }
        }
    });
}
