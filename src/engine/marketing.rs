//! The marketing model (shared/DESIGN.md §2–§4, docs/MODEL.md §4): a firm runs social
//! media and/or community management; customers hear, talk, buy, stay or churn.
//!
//! A tick runs these passes, each one parallel sweep over the agents:
//! 1. firm actions (scalar decisions: budget, quality, events, advocate selection);
//! 2. talk signals: who talks this tick, how credibly, on which channel (from t−1);
//! 3. persona and exposure: active mask, paid impressions, posts, reviews read by strangers;
//! 4. word of mouth: each agent pulls the messages of its talking in-neighbours;
//! 5. purchase, repeat purchase and churn;
//! 6. community, satisfaction and social capital, surveys;
//! 7. metrics.
//!
//! Each decision draws from its own counter-based sub-stream keyed by (seed,
//! replicate, tick, decision, agent) — contacts by (…, arc) — so results are identical
//! at any thread count and two strategies share their random numbers (common random
//! numbers) wherever their agents are in the same situation.

use crate::metrics::{AgentTable, Column, Series};
use crate::network::{Network, sampled_betweenness};
use crate::population::{
    Customers, CustomersChunk, MAX_MASKS, NEVER, Source, flag, membership, status,
};
use crate::rng::{AgentRng, Purpose, StreamKey};
use crate::scenario::marketing::{Action, AdvocateScore, MarketingSpec, Reward, Targeting};
use rand_distr::{Beta, Distribution, Gamma, Normal, StandardNormal};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

/// Agents per parallel work item.
const CHUNK: usize = 4096;

/// The per-tick decisions, each with its own random sub-stream.
#[derive(Clone, Copy)]
#[repr(usize)]
enum Draw {
    Persona,
    External,
    Paid,
    Follow,
    Click,
    Convert,
    Post,
    ReviewRead,
    Talk,
    Buy,
    Churn,
    Recruit,
    Contribute,
    Idea,
    Response,
    Event,
    Noise,
    Survey,
    Accept,
}

const DRAWS: usize = Draw::Accept as usize + 1;

/// The random sub-streams of one tick.
struct Draws([StreamKey; DRAWS]);

impl Draws {
    fn new(seed: u64, replicate: u64, t: u32) -> Self {
        let key = StreamKey::new(seed, replicate, t as u64, Purpose::Marketing);
        Draws(std::array::from_fn(|d| key.child(d as u64)))
    }

    #[inline(always)]
    fn u(&self, d: Draw, agent: usize) -> f64 {
        self.0[d as usize].unit(agent as u64)
    }

    #[inline(always)]
    fn rng(&self, d: Draw, agent: usize) -> AgentRng {
        self.0[d as usize].agent(agent as u64)
    }
}

/// How many paid impressions an agent draws relative to others: 1 under random
/// targeting, 3 for high-involvement agents under involvement targeting, and under
/// lookalike targeting 0.1 + the share of adopted neighbours + the adoption rate of
/// the agent's segment.
fn targeting_weight(
    targeting: Option<Targeting>,
    high: bool,
    adopted_share: f64,
    segment_rate: &[f64; 2],
) -> f64 {
    match targeting {
        None | Some(Targeting::Random) => 1.0,
        Some(Targeting::Involvement) => {
            if high {
                3.0
            } else {
                1.0
            }
        }
        Some(Targeting::Lookalike) => 0.1 + adopted_share + segment_rate[high as usize],
    }
}

/// What an agent says this tick: its neighbours read the whole record at once.
#[derive(Clone, Copy, Default)]
struct Message {
    /// Credibility of the talker.
    credibility: f32,
    /// +1 positive, −1 negative, 0 silent.
    sign: i8,
    /// [`Source`] code of the channel the message travels on.
    source: u8,
}

/// Channels of receptiveness, in mask order.
#[derive(Clone, Copy)]
#[repr(usize)]
enum Channel {
    Paid = 0,
    Organic = 1,
    WordOfMouth = 2,
    Community = 3,
    Review = 4,
}

/// The channel through which a message of a given source is received.
fn channel_of(source: u8) -> Channel {
    match Source::from_code(source) {
        Source::PaidSocial => Channel::Paid,
        Source::OrganicSocial => Channel::Organic,
        Source::Community | Source::Advocate => Channel::Community,
        Source::Review => Channel::Review,
        Source::WordOfMouth | Source::External => Channel::WordOfMouth,
    }
}

/// What the firm does in a tick, decided before the agents move.
#[derive(Clone, Copy, Default)]
struct Plan {
    impressions: f64,
    targeting_total: f64,
    posts: bool,
    community: bool,
    recruit: bool,
    engage: bool,
    cocreation: bool,
    event: bool,
    advocates: bool,
    survey: bool,
    reviews: bool,
    /// Reviews posted last tick, each read by `readers` strangers.
    review_reads: f64,
    /// Chance that a member gets a seat at this tick's event.
    event_seat: f64,
    /// Survey cost paid up front, settled after the survey.
    survey_prepaid: f64,
}

/// Firm-level state carried from tick to tick.
#[derive(Clone, Debug, Default)]
struct Firm {
    quality: f64,
    reserve: f64,
    ideas: u64,
    reviews: u64,
    members: u64,
    customers: u64,
    advocates: Vec<u32>,
    segment_rate: [f64; 2],
    cumulative_revenue: f64,
    cumulative_cost: f64,
    cost_by_source: [f64; 7],
    adopters_by_source: [u64; 7],
    referrals: u64,
    advocate_referrals: u64,
}

/// Sums over a chunk of agents, combined in chunk order so totals are exact and
/// thread-count independent.
#[derive(Clone, Copy, Default)]
struct Tally {
    new_by_source: [u64; 7],
    revenue: f64,
    positive: u64,
    negative: u64,
    referrals: u64,
    advocate_referrals: u64,
    posts_seen: u64,
    reviews_posted: u64,
    surveyed: u64,
    ideas: u64,
    targeting: f64,
}

impl Tally {
    fn add(mut self, o: &Tally) -> Tally {
        for (a, b) in self.new_by_source.iter_mut().zip(o.new_by_source) {
            *a += b;
        }
        self.revenue += o.revenue;
        self.positive += o.positive;
        self.negative += o.negative;
        self.referrals += o.referrals;
        self.advocate_referrals += o.advocate_referrals;
        self.posts_seen += o.posts_seen;
        self.reviews_posted += o.reviews_posted;
        self.surveyed += o.surveyed;
        self.ideas += o.ideas;
        self.targeting += o.targeting;
        self
    }
}

/// What one chunk's purchase pass changed, beyond its own agents' state.
struct Changes {
    tally: Tally,
    adopted: Vec<u32>,
    churned: Vec<u32>,
    left_community: Vec<u32>,
}

/// Counts and means over all agents at the end of a tick.
#[derive(Clone, Copy, Default)]
struct Census {
    aware: u64,
    customers: u64,
    churned: u64,
    followers: u64,
    members: u64,
    active: u64,
    promoters: u64,
    detractors: u64,
    satisfaction: f64,
    reputation: f64,
    affiliation: f64,
    knowledge: f64,
    segment_customers: [u64; 2],
    segment_size: [u64; 2],
}

impl Census {
    fn add(mut self, o: &Census) -> Census {
        self.aware += o.aware;
        self.customers += o.customers;
        self.churned += o.churned;
        self.followers += o.followers;
        self.members += o.members;
        self.active += o.active;
        self.promoters += o.promoters;
        self.detractors += o.detractors;
        self.satisfaction += o.satisfaction;
        self.reputation += o.reputation;
        self.affiliation += o.affiliation;
        self.knowledge += o.knowledge;
        for s in 0..2 {
            self.segment_customers[s] += o.segment_customers[s];
            self.segment_size[s] += o.segment_size[s];
        }
        self
    }
}

/// Names of the per-tick columns the marketing model adds to timeseries.csv.
pub const COLUMNS: [&str; 31] = [
    "aware",
    "customers",
    "churned",
    "new_external",
    "new_paid_social",
    "new_organic_social",
    "new_word_of_mouth",
    "new_community",
    "new_advocate",
    "new_review",
    "followers",
    "members",
    "active_members",
    "advocates",
    "share_of_voice",
    "nps",
    "satisfaction",
    "reputation",
    "affiliation",
    "knowledge",
    "quality",
    "revenue",
    "cost",
    "cumulative_revenue",
    "cumulative_cost",
    "cumulative_profit",
    "roi",
    "positive_messages",
    "negative_messages",
    "referrals",
    "reviews",
];

/// The cumulative cost (currency units) below which `roi` is not defined: a ratio over
/// less than a millionth of a currency unit says nothing (docs/MODEL.md §4.4).
pub const MIN_ROI_COST: f64 = 1e-6;

/// A per-agent f32 as a CSV cell: empty when not finite.
fn cell32(x: f32) -> String {
    if x.is_finite() {
        x.to_string()
    } else {
        String::new()
    }
}

/// Columns of the agents.csv table (`--agents`), one text cell per agent each.
pub const AGENT_COLUMNS: [&str; 18] = [
    "agent",
    "label",
    "degree",
    "community",
    "segment",
    "status",
    "membership",
    "advocate",
    "clv",
    "revenue",
    "referred_customers",
    "referral_value",
    "reputation",
    "affiliation",
    "knowledge",
    "nps_score",
    "adoption_tick",
    "adoption_source",
];

/// NPS score 0–10 of a satisfaction in [0, 1].
#[inline]
pub fn nps_score(satisfaction: f32) -> u8 {
    (satisfaction.clamp(0.0, 1.0) * 10.0).round() as u8
}

/// Logistic function.
#[inline]
fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// One replicate of the marketing model.
pub struct Marketing<'a> {
    network: &'a Network,
    spec: &'a MarketingSpec,
    seed: u64,
    replicate: u64,
    agents: Customers,
    /// Each agent's message this tick, read by its neighbours in one memory access.
    talk: Vec<Message>,
    adopted_neighbours: Vec<AtomicU32>,
    member_neighbours: Vec<AtomicU32>,
    referrals: Vec<AtomicU32>,
    firm: Firm,
    betweenness: Option<Vec<f32>>,
    /// Per-tick records, one inner Vec per column of [`COLUMNS`].
    record: Vec<Vec<f64>>,
}

impl<'a> Marketing<'a> {
    /// A replicate at tick 0: traits drawn, nobody aware.
    pub fn new(network: &'a Network, spec: &'a MarketingSpec, seed: u64, replicate: u64) -> Self {
        let n = network.nodes();
        let mut agents = Customers::new(n);
        let market = &spec.market;
        let masks = market.personas.masks.len().clamp(1, MAX_MASKS);
        let key = StreamKey::new(seed, replicate, 0, Purpose::Traits);
        let beta = Beta::new(2.0, 2.0).expect("valid Beta");
        let gamma = Gamma::new(market.personas.concentration, 1.0).expect("checked concentration");
        let attitude = Normal::new(0.0, 0.2).expect("valid Normal");
        agents.chunks_mut(CHUNK).into_par_iter().for_each(|c| {
            for j in 0..c.flags.len() {
                let i = (c.start + j) as u64;
                let mut rng = key.agent(i);
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
            }
        });
        let firm = Firm {
            quality: market.initial_quality,
            ..Firm::default()
        };
        let mut model = Marketing {
            network,
            spec,
            seed,
            replicate,
            agents,
            talk: vec![Message::default(); n],
            adopted_neighbours: (0..n).map(|_| AtomicU32::new(0)).collect(),
            member_neighbours: (0..n).map(|_| AtomicU32::new(0)).collect(),
            referrals: (0..n).map(|_| AtomicU32::new(0)).collect(),
            firm,
            betweenness: None,
            record: vec![Vec::new(); COLUMNS.len()],
        };
        let census = model.census();
        model.record_tick(&census, &Tally::default(), 0.0);
        model
    }

    /// Bytes of state per agent, for memory estimates.
    pub const BYTES_PER_AGENT: usize =
        Customers::BYTES_PER_AGENT + std::mem::size_of::<Message>() + 3 * 4;

    fn active(&self, action: Action, t: u32) -> bool {
        self.spec.active(action, t)
    }

    /// Step 1: the firm's decisions for tick `t` and their costs.
    fn plan(&mut self, t: u32) -> (Plan, f64) {
        let spec = self.spec;
        let n = self.agents.len().max(1) as f64;
        let share = spec.strategy.social_share();
        let mut plan = Plan::default();
        let mut cost = 0.0;
        if let Some(sm) = &spec.strategy.social_media {
            if self.active(Action::Paid, t) {
                let budget = spec.strategy.budget * share;
                plan.impressions = budget / sm.cpm * 1000.0;
                cost += budget;
                self.firm.cost_by_source[Source::PaidSocial as usize] += budget;
            }
            plan.posts = self.active(Action::Posts, t) && sm.posts_per_tick > 0.0;
        }
        if let Some(cm) = &spec.strategy.community
            && t >= cm.launch
        {
            self.firm.reserve += spec.strategy.budget * (1.0 - share);
            let mut spend = |amount: f64, source: Source, firm: &mut Firm| -> bool {
                if firm.reserve + 1e-9 >= amount {
                    firm.reserve -= amount;
                    firm.cost_by_source[source as usize] += amount;
                    cost += amount;
                    true
                } else {
                    false
                }
            };
            plan.community = spend(cm.manager_cost, Source::Community, &mut self.firm);
            if plan.community {
                plan.recruit = self.active(Action::Recruit, t);
                plan.engage = self.active(Action::Engage, t);
                plan.cocreation = self.active(Action::Cocreation, t);
                // Ideas from last tick's contributions improve the product.
                if plan.cocreation {
                    let per_thousand = self.firm.ideas as f64 / n * 1000.0;
                    let gain = (cm.cocreation.quality_gain * per_thousand).min(1.0);
                    self.firm.quality += gain * (1.0 - self.firm.quality);
                }
                plan.event = self.active(Action::Events, t)
                    && t.is_multiple_of(cm.events.interval.max(1))
                    && spend(cm.events.cost, Source::Community, &mut self.firm);
                if plan.event {
                    plan.event_seat =
                        (cm.events.capacity as f64 / self.firm.members.max(1) as f64).min(1.0);
                }
                if self.active(Action::Advocates, t) {
                    // Seats left vacant (at launch there are few customers to choose
                    // from; advocates churn) are refilled once a tenth of them are
                    // empty and there are customers to fill them.
                    let (seats, held) =
                        (cm.advocates.count as u64, self.firm.advocates.len() as u64);
                    let vacant = seats - held.min(seats);
                    let fill = vacant > 0
                        && self.firm.customers > held
                        && (held == 0 || vacant * 10 >= seats);
                    if fill || (t - cm.launch).is_multiple_of(cm.advocates.reselect.max(1)) {
                        self.select_advocates();
                    }
                    let bill = self.firm.advocates.len() as f64 * cm.advocates.reward_cost;
                    plan.advocates = spend(bill, Source::Advocate, &mut self.firm);
                } else if !self.firm.advocates.is_empty() {
                    self.clear_advocates();
                }
                // Surveys are paid up front for the expected number of answers and
                // the unused part refunded, so the reserve never goes negative.
                let expected =
                    cm.reviews.survey_share * self.firm.customers as f64 * cm.reviews.survey_cost;
                plan.survey = self.active(Action::Surveys, t)
                    && t.is_multiple_of(cm.reviews.survey_interval.max(1))
                    && spend(expected, Source::Review, &mut self.firm);
                if plan.survey {
                    plan.survey_prepaid = expected;
                }
                plan.reviews = self.active(Action::Reviews, t);
                plan.review_reads = self.firm.reviews as f64 * cm.reviews.readers;
            }
        }
        (plan, cost)
    }

    fn clear_advocates(&mut self) {
        for &a in &self.firm.advocates {
            self.agents.flags[a as usize] &= !flag::ADVOCATE;
        }
        self.firm.advocates.clear();
    }

    /// Chooses the advocates among current customers by the programme's score.
    fn select_advocates(&mut self) {
        self.clear_advocates();
        let Some(cm) = &self.spec.strategy.community else {
            return;
        };
        let programme = &cm.advocates;
        if programme.score == AdvocateScore::Betweenness && self.betweenness.is_none() {
            self.betweenness = Some(sampled_betweenness(
                &self.network.out,
                programme.betweenness_samples,
                self.seed,
            ));
        }
        let agents = &self.agents;
        let out = &self.network.out;
        let between = self.betweenness.as_deref();
        let score = |v: usize| -> f64 {
            match programme.score {
                AdvocateScore::Degree => out.degree(v as u32) as f64,
                AdvocateScore::Betweenness => between.map_or(0.0, |b| b[v] as f64),
                AdvocateScore::SocialCapital => {
                    (agents.reputation[v] + agents.affiliation[v] + agents.knowledge[v]) as f64
                }
                AdvocateScore::Promoter => {
                    nps_score(agents.satisfaction[v]) as f64 * 1e6 + out.degree(v as u32) as f64
                }
            }
        };
        let mut candidates: Vec<(f64, u32)> = (0..agents.len())
            .into_par_iter()
            .filter(|&v| agents.status[v] == status::CUSTOMER)
            .map(|v| (score(v), v as u32))
            .collect();
        let k = (programme.count as usize).min(candidates.len());
        let order = |a: &(f64, u32), b: &(f64, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
        if k > 0 && k < candidates.len() {
            candidates.select_nth_unstable_by(k - 1, order);
        }
        candidates.truncate(k);
        candidates.sort_unstable_by(order);
        self.firm.advocates = candidates.into_iter().map(|(_, v)| v).collect();
        for &a in &self.firm.advocates {
            self.agents.flags[a as usize] |= flag::ADVOCATE;
        }
    }

    /// Advances to tick `t` and returns its new adopters.
    pub fn step(&mut self, t: u32) -> u32 {
        let (mut plan, cost) = self.plan(t);
        let draws = Draws::new(self.seed, self.replicate, t);
        let targeting = self.talk_signals(&plan, &draws);
        plan.targeting_total = targeting;
        let exposure = self.expose(&plan, &draws);
        let contacts = self.word_of_mouth(t);
        let purchases = self.purchase(&draws, t);
        let community = self.community(&plan, &draws, t);
        let tally = exposure.add(&contacts).add(&purchases).add(&community);
        self.firm.ideas = tally.ideas;
        self.firm.reviews = tally.reviews_posted;
        let survey_cost = self
            .spec
            .strategy
            .community
            .as_ref()
            .map_or(0.0, |c| c.reviews.survey_cost)
            * tally.surveyed as f64;
        // Settle the prepaid survey budget: refund what the answers did not use.
        let refund = (plan.survey_prepaid - survey_cost).max(0.0);
        self.firm.reserve += refund;
        self.firm.cost_by_source[Source::Review as usize] -= refund;
        let cost = cost - refund;
        for (total, new) in self
            .firm
            .adopters_by_source
            .iter_mut()
            .zip(tally.new_by_source)
        {
            *total += new;
        }
        self.firm.referrals += tally.referrals;
        self.firm.advocate_referrals += tally.advocate_referrals;
        let census = self.census();
        self.firm.members = census.members;
        self.firm.customers = census.customers;
        for s in 0..2 {
            self.firm.segment_rate[s] =
                census.segment_customers[s] as f64 / census.segment_size[s].max(1) as f64;
        }
        self.record_tick(&census, &tally, cost);
        tally.new_by_source.iter().sum::<u64>() as u32
    }

    /// Step 2: who talks this tick, with what credibility and on which channel, from
    /// the state at the end of the previous tick. Also sums the targeting weights.
    fn talk_signals(&mut self, plan: &Plan, draws: &Draws) -> f64 {
        let spec = self.spec;
        let w = &spec.market.word_of_mouth;
        let cm = spec.strategy.community.as_ref();
        let reviews = cm.map(|c| &c.reviews);
        let programme = cm.map(|c| &c.advocates);
        let agents = &self.agents;
        let targeting = spec.strategy.social_media.as_ref().map(|s| s.targeting);
        let (incoming, adopted) = (self.network.incoming(), &self.adopted_neighbours);
        let segment_rate = self.firm.segment_rate;
        let sums: Vec<f64> = self
            .talk
            .par_chunks_mut(CHUNK)
            .enumerate()
            .map(|(c, talk)| {
                let mut weight_sum = 0.0;
                for (j, message) in talk.iter_mut().enumerate() {
                    let i = c * CHUNK + j;
                    let flags = agents.flags[i];
                    let st = agents.status[i];
                    let high = flags & flag::HIGH_INVOLVEMENT != 0;
                    let share = if targeting == Some(Targeting::Lookalike) {
                        let d = incoming.degree(i as u32).max(1) as f64;
                        adopted[i].load(Relaxed) as f64 / d
                    } else {
                        0.0
                    };
                    weight_sum += targeting_weight(targeting, high, share, &segment_rate);
                    *message = Message::default();
                    if st == status::CHURNED {
                        continue;
                    }
                    let rep = agents.reputation[i] as f64;
                    let knowledge = agents.knowledge[i] as f64;
                    let mut credibility = (w.credibility
                        + w.reputation_credibility * rep
                        + w.knowledge_credibility * knowledge)
                        .min(1.0);
                    if flags & flag::REVIEWER != 0 && plan.reviews {
                        *message = Message {
                            sign: 1,
                            source: Source::Review as u8,
                            credibility: reviews.map_or(0.0, |r| r.credibility) as f32,
                        };
                        continue;
                    }
                    let member = agents.membership[i] != membership::NONE && plan.engage;
                    let advocate = flags & flag::ADVOCATE != 0 && plan.advocates;
                    if st != status::CUSTOMER && !member {
                        continue;
                    }
                    let sat = agents.satisfaction[i] as f64;
                    let detractor = st == status::CUSTOMER && nps_score(sat as f32) <= 6;
                    let u = draws.u(Draw::Talk, i);
                    if detractor {
                        if u < w.negative_talk_rate {
                            *message = Message {
                                sign: -1,
                                source: Source::WordOfMouth as u8,
                                credibility: credibility as f32,
                            };
                        }
                        continue;
                    }
                    if st != status::CUSTOMER && agents.attitude[i] <= 0.0 {
                        continue;
                    }
                    let mut rate = w.talk_rate
                        * (1.0 + w.satisfaction_talk * (sat - 0.5).max(0.0))
                        * (1.0 + w.reputation_talk * rep);
                    let mut src = Source::WordOfMouth;
                    if member {
                        rate *= w.member_talk;
                        src = Source::Community;
                    }
                    if advocate && let Some(p) = programme {
                        rate *= p.talk;
                        src = Source::Advocate;
                        if p.reward == Reward::Cash {
                            rate *= p.cash_talk;
                            credibility *= p.cash_credibility;
                        }
                    }
                    if u < rate.min(1.0) {
                        *message = Message {
                            sign: 1,
                            source: src as u8,
                            credibility: credibility as f32,
                        };
                    }
                }
                weight_sum
            })
            .collect();
        sums.iter().sum()
    }

    /// Step 3: persona mask, then paid impressions, posts to followers, reviews read
    /// by strangers and outside awareness.
    fn expose(&mut self, plan: &Plan, draws: &Draws) -> Tally {
        let spec = self.spec;
        let market = &spec.market;
        let masks = &market.personas.masks;
        let mask_count = masks.len().clamp(1, MAX_MASKS);
        let sm = spec.strategy.social_media.as_ref();
        let decay = sm.map_or(0.0, |s| 0.5f64.powf(1.0 / s.half_life)) as f32;
        let n = self.agents.len().max(1) as f64;
        let review_read = 1.0 - (-plan.review_reads / n).exp();
        let review_cred = spec
            .strategy
            .community
            .as_ref()
            .map_or(0.0, |c| c.reviews.credibility);
        let post_seen = sm.map_or(0.0, |s| 1.0 - (-s.posts_per_tick * s.organic_reach).exp());
        let shift = market.word_of_mouth.attitude_shift;
        let (incoming, adopted) = (self.network.incoming(), &self.adopted_neighbours);
        let segment_rate = self.firm.segment_rate;
        let reach = |w: f64| 1.0 - (-plan.impressions * w / plan.targeting_total.max(1e-300)).exp();
        let (reach_low, reach_high) = (reach(1.0), reach(3.0));
        let tallies: Vec<Tally> = self
            .agents
            .chunks_mut(CHUNK)
            .into_par_iter()
            .map(|mut c| {
                let mut tally = Tally::default();
                for j in 0..c.flags.len() {
                    let i = c.start + j;
                    let u = draws.u(Draw::Persona, i) as f32;
                    let mask = c.mix[j][..mask_count]
                        .iter()
                        .position(|&cum| u < cum)
                        .unwrap_or(mask_count - 1);
                    c.mask[j] = mask as u8;
                    if c.status[j] == status::CHURNED {
                        continue;
                    }
                    let m = &masks[mask.min(masks.len() - 1)];
                    let scale = 0.5 + c.susceptibility[j] as f64;
                    let recept = |r: f64| (r * scale).min(1.0);
                    c.impulse[j] *= decay;
                    if c.flags[j] & flag::AWARE == 0
                        && draws.u(Draw::External, i) < market.external_awareness
                    {
                        c.flags[j] |= flag::AWARE;
                    }
                    if let Some(sm) = sm {
                        let high = c.flags[j] & flag::HIGH_INVOLVEMENT != 0;
                        if plan.impressions > 0.0 && plan.targeting_total > 0.0 {
                            // Random and involvement targeting have one or two weights:
                            // their reach is worked out once per tick.
                            let reach = match sm.targeting {
                                Targeting::Random => reach_low,
                                Targeting::Involvement if high => reach_high,
                                Targeting::Involvement => reach_low,
                                Targeting::Lookalike => {
                                    let d = incoming.degree(i as u32).max(1) as f64;
                                    let share = adopted[i].load(Relaxed) as f64 / d;
                                    let w = targeting_weight(
                                        Some(Targeting::Lookalike),
                                        high,
                                        share,
                                        &segment_rate,
                                    );
                                    1.0 - (-plan.impressions * w / plan.targeting_total).exp()
                                }
                            };
                            if draws.u(Draw::Paid, i) < reach {
                                social_exposure(
                                    &mut c,
                                    j,
                                    sm,
                                    recept(m.paid),
                                    Source::PaidSocial,
                                    draws,
                                    i,
                                    0,
                                );
                            }
                        }
                        if plan.posts
                            && c.flags[j] & flag::FOLLOWER != 0
                            && draws.u(Draw::Post, i) < post_seen
                        {
                            tally.posts_seen += 1;
                            social_exposure(
                                &mut c,
                                j,
                                sm,
                                recept(m.organic),
                                Source::OrganicSocial,
                                draws,
                                i,
                                1,
                            );
                        }
                    }
                    if review_read > 0.0 && draws.u(Draw::ReviewRead, i) < review_read {
                        let r = recept(m.review);
                        c.flags[j] |= flag::AWARE;
                        let a = c.attitude[j] as f64;
                        c.attitude[j] =
                            (a + shift * review_cred * r * (1.0 - a)).clamp(-1.0, 1.0) as f32;
                        if c.status[j] == status::PROSPECT {
                            c.last_touch[j] = Source::Review as u8;
                        }
                    }
                }
                tally
            })
            .collect();
        tallies.iter().fold(Tally::default(), |a, b| a.add(b))
    }

    /// Step 4: every agent hears the messages of its talking in-neighbours. A message
    /// reaches it with probability reach · tie strength · receptiveness, and shifts its
    /// attitude in proportion to the sender's credibility.
    fn word_of_mouth(&mut self, t: u32) -> Tally {
        let w = &self.spec.market.word_of_mouth;
        let masks = &self.spec.market.personas.masks;
        let incoming = self.network.incoming();
        let labels = self.network.community.as_deref();
        let talk = &self.talk;
        let contact = StreamKey::new(self.seed, self.replicate, t as u64, Purpose::Contact);
        let tallies: Vec<Tally> = self
            .agents
            .chunks_mut(CHUNK)
            .into_par_iter()
            .map(|c| {
                let mut tally = Tally::default();
                for j in 0..c.flags.len() {
                    let v = c.start + j;
                    if c.status[j] == status::CHURNED {
                        continue;
                    }
                    let m = &masks[(c.mask[j] as usize).min(masks.len() - 1)];
                    let scale = 0.5 + c.susceptibility[j] as f64;
                    let first = incoming.offsets[v];
                    for (k, &u) in incoming.neighbours(v as u32).iter().enumerate() {
                        let u = u as usize;
                        let message = talk[u];
                        if message.sign == 0 {
                            continue;
                        }
                        let tie = match labels {
                            Some(l) if l[u] != l[v] => w.weak_tie,
                            _ => 1.0,
                        };
                        let r = match channel_of(message.source) {
                            Channel::Community => m.community,
                            Channel::Review => m.review,
                            _ => m.word_of_mouth,
                        };
                        let p = w.reach * tie * (r * scale).min(1.0);
                        if contact.unit(first + k as u64) >= p {
                            continue;
                        }
                        c.flags[j] |= flag::AWARE;
                        let a = c.attitude[j] as f64;
                        let credibility = message.credibility as f64;
                        if message.sign > 0 {
                            tally.positive += 1;
                            c.attitude[j] = (a + w.attitude_shift * credibility * (1.0 - a))
                                .clamp(-1.0, 1.0)
                                as f32;
                            // A recommendation to someone who has not bought is a referral.
                            if c.status[j] == status::PROSPECT {
                                // Reviews are not referrals: their adoptions count apart.
                                if Source::from_code(message.source).is_referral() {
                                    tally.referrals += 1;
                                }
                                if message.source == Source::Advocate as u8 {
                                    tally.advocate_referrals += 1;
                                }
                                c.last_touch[j] = message.source;
                                c.informant[j] = u as u32;
                            }
                        } else {
                            tally.negative += 1;
                            c.attitude[j] = (a - w.negative_shift * credibility * (1.0 + a))
                                .clamp(-1.0, 1.0)
                                as f32;
                        }
                    }
                }
                tally
            })
            .collect();
        tallies.iter().fold(Tally::default(), |a, b| a.add(b))
    }

    /// Step 5: aware prospects buy with a logistic probability (or because an ad or post
    /// converted them); customers buy again each purchase period or churn.
    fn purchase(&mut self, draws: &Draws, t: u32) -> Tally {
        let market = &self.spec.market;
        let p = &market.purchase;
        let retention = &market.retention;
        let s = &market.satisfaction;
        let quality_effect = s.quality * (self.firm.quality - market.initial_quality);
        let margin_value = market.price * market.margin;
        let discount = (1.0 + market.discount_rate).powf(-(t as f64) / 365.0);
        let incoming = self.network.incoming();
        let (adopted, members, referrals) = (
            &self.adopted_neighbours,
            &self.member_neighbours,
            &self.referrals,
        );
        let results: Vec<Changes> = self
            .agents
            .chunks_mut(CHUNK)
            .into_par_iter()
            .map(|c| {
                let mut tally = Tally::default();
                let (mut joined, mut left, mut left_members) = (Vec::new(), Vec::new(), Vec::new());
                for j in 0..c.flags.len() {
                    let i = c.start + j;
                    match c.status[j] {
                        status::PROSPECT if c.flags[j] & flag::AWARE != 0 => {
                            let converted = c.flags[j] & flag::CONVERTED != 0;
                            c.flags[j] &= !flag::CONVERTED;
                            let buys = converted || {
                                let d = incoming.degree(i as u32);
                                let share = if d == 0 {
                                    0.0
                                } else {
                                    adopted[i].load(Relaxed) as f64 / d as f64
                                };
                                let high = c.flags[j] & flag::HIGH_INVOLVEMENT != 0;
                                let peer =
                                    p.peer * if high { p.high_involvement_peer } else { 1.0 };
                                let member = (c.membership[j] != membership::NONE) as u8 as f64;
                                let x = p.intercept
                                    + p.attitude * (c.attitude[j] + c.impulse[j]) as f64
                                    + peer * share
                                    + p.member * member
                                    - p.price * market.price;
                                draws.u(Draw::Buy, i) < logistic(x)
                            };
                            if buys {
                                let source = Source::from_code(c.last_touch[j]);
                                c.status[j] = status::CUSTOMER;
                                c.adopted[j] = t;
                                c.source[j] = source as u8;
                                c.next_purchase[j] = t + market.purchase_period;
                                c.revenue[j] += market.price as f32;
                                c.clv[j] += (margin_value * discount) as f32;
                                tally.revenue += market.price;
                                c.satisfaction[j] = (s.baseline
                                    + quality_effect
                                    + s.bond * c.affiliation[j] as f64)
                                    .clamp(0.0, 1.0)
                                    as f32;
                                tally.new_by_source[source as usize] += 1;
                                if source.is_referral() && c.informant[j] != NEVER {
                                    referrals[c.informant[j] as usize].fetch_add(1, Relaxed);
                                }
                                joined.push(i as u32);
                            }
                        }
                        status::CUSTOMER => {
                            c.flags[j] &= !flag::CONVERTED;
                            if t >= c.next_purchase[j] {
                                c.next_purchase[j] += market.purchase_period;
                                c.revenue[j] += market.price as f32;
                                c.clv[j] += (margin_value * discount) as f32;
                                tally.revenue += market.price;
                            }
                            let factor = match c.membership[j] {
                                membership::ACTIVE => retention.active_factor,
                                membership::MEMBER => retention.member_factor,
                                _ => 1.0,
                            };
                            let hazard = retention.churn
                                * 2.0
                                * (1.0 - c.satisfaction[j] as f64).max(0.0)
                                * factor;
                            if draws.u(Draw::Churn, i) < hazard {
                                c.status[j] = status::CHURNED;
                                c.flags[j] &= !(flag::ADVOCATE | flag::REVIEWER);
                                left.push(i as u32);
                                if c.membership[j] != membership::NONE {
                                    c.membership[j] = membership::NONE;
                                    left_members.push(i as u32);
                                }
                            }
                        }
                        _ => c.flags[j] &= !flag::CONVERTED,
                    }
                }
                Changes {
                    tally,
                    adopted: joined,
                    churned: left,
                    left_community: left_members,
                }
            })
            .collect();
        let mut tally = Tally::default();
        for part in &results {
            tally = tally.add(&part.tally);
            self.push(adopted, &part.adopted, true);
            self.push(adopted, &part.churned, false);
            self.push(members, &part.left_community, false);
        }
        self.firm.cumulative_revenue += tally.revenue;
        // Advocates who churned leave the programme.
        let flags = &self.agents.flags;
        self.firm
            .advocates
            .retain(|&a| flags[a as usize] & flag::ADVOCATE != 0);
        tally
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

    /// Step 6: recruitment, conversation, contributions and responses, events,
    /// co-creation ideas, advocate rewards, social capital, satisfaction and surveys.
    fn community(&mut self, plan: &Plan, draws: &Draws, t: u32) -> Tally {
        let market = &self.spec.market;
        let sc = &market.social_capital;
        let s = &market.satisfaction;
        let cm = self.spec.strategy.community.as_ref();
        let quality_effect = s.quality * (self.firm.quality - market.initial_quality);
        let incoming = self.network.incoming();
        let members = &self.member_neighbours;
        let noise = s.noise;
        let results: Vec<(Tally, Vec<u32>)> = self
            .agents
            .chunks_mut(CHUNK)
            .into_par_iter()
            .map(|c| {
                let mut tally = Tally::default();
                let mut joined = Vec::new();
                for j in 0..c.flags.len() {
                    let i = c.start + j;
                    c.flags[j] &= !flag::REVIEWER;
                    if c.status[j] == status::CHURNED {
                        continue;
                    }
                    let mut reputation = c.reputation[j] as f64 * (1.0 - sc.reputation_decay);
                    let mut affiliation = c.affiliation[j] as f64 * (1.0 - sc.affiliation_decay);
                    let mut knowledge = c.knowledge[j] as f64 * (1.0 - sc.knowledge_decay);
                    let mut satisfaction = c.satisfaction[j] as f64;
                    if let Some(cm) = cm {
                        let high = c.flags[j] & flag::HIGH_INVOLVEMENT != 0;
                        if plan.recruit && c.membership[j] == membership::NONE {
                            let d = incoming.degree(i as u32).max(1) as f64;
                            let share = members[i].load(Relaxed) as f64 / d;
                            let aware = c.flags[j] & flag::AWARE != 0;
                            let p = cm.recruitment
                                * if high {
                                    cm.involvement_recruitment
                                } else {
                                    1.0
                                }
                                * if aware { 1.0 } else { cm.unaware_recruitment }
                                * (1.0 + cm.peer_recruitment * share);
                            if draws.u(Draw::Recruit, i) < p {
                                c.membership[j] = membership::MEMBER;
                                c.flags[j] |= flag::AWARE;
                                joined.push(i as u32);
                            }
                        }
                        if c.membership[j] != membership::NONE && plan.community {
                            knowledge += sc.programme_knowledge;
                            if plan.engage {
                                affiliation += sc.conversation_affiliation;
                                let p = cm.contribution * (1.0 + affiliation);
                                if draws.u(Draw::Contribute, i) < p {
                                    c.contributed[j] = t;
                                    reputation += sc.contribution_reputation;
                                    if plan.cocreation
                                        && draws.u(Draw::Idea, i) < cm.cocreation.idea_share
                                    {
                                        tally.ideas += 1;
                                    }
                                    if draws.u(Draw::Response, i) < cm.responsiveness {
                                        affiliation += sc.response_affiliation;
                                        reputation += sc.recognition_reputation;
                                        satisfaction += s.response;
                                    }
                                }
                            }
                            if plan.event && draws.u(Draw::Event, i) < plan.event_seat {
                                let boost = if cm.events.physical { 2.0 } else { 1.0 };
                                affiliation += cm.events.affiliation * boost;
                            }
                            let recent =
                                c.contributed[j] > 0 && t - c.contributed[j] <= cm.active_window;
                            c.membership[j] = if recent {
                                membership::ACTIVE
                            } else {
                                membership::MEMBER
                            };
                        }
                        if plan.advocates
                            && c.flags[j] & flag::ADVOCATE != 0
                            && cm.advocates.reward == Reward::SocialCapital
                        {
                            let g = cm.advocates.social_capital_gain;
                            reputation += g;
                            affiliation += g;
                            knowledge += g;
                        }
                    }
                    if c.status[j] == status::CUSTOMER {
                        let target = s.baseline + quality_effect + s.bond * affiliation;
                        let z: f64 = StandardNormal.sample(&mut draws.rng(Draw::Noise, i));
                        satisfaction += s.adjustment * (target - satisfaction) + noise * z;
                        if plan.survey
                            && draws.u(Draw::Survey, i) < cm.map_or(0.0, |c| c.reviews.survey_share)
                        {
                            tally.surveyed += 1;
                            if plan.reviews
                                && nps_score(satisfaction as f32) >= 9
                                && draws.u(Draw::Accept, i)
                                    < cm.map_or(0.0, |c| c.reviews.acceptance)
                            {
                                c.flags[j] |= flag::REVIEWER;
                                tally.reviews_posted += 1;
                            }
                        }
                    }
                    c.reputation[j] = reputation.clamp(0.0, 1.0) as f32;
                    c.affiliation[j] = affiliation.clamp(0.0, 1.0) as f32;
                    c.knowledge[j] = knowledge.clamp(0.0, 1.0) as f32;
                    c.satisfaction[j] = satisfaction.clamp(0.0, 1.0) as f32;
                }
                (tally, joined)
            })
            .collect();
        let mut tally = Tally::default();
        for (part, joined) in &results {
            tally = tally.add(part);
            self.push(members, joined, true);
        }
        tally
    }

    /// Step 7: counts and means over all agents.
    fn census(&self) -> Census {
        let a = &self.agents;
        let parts: Vec<Census> = (0..a.len().div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let mut k = Census::default();
                for i in c * CHUNK..((c + 1) * CHUNK).min(a.len()) {
                    let flags = a.flags[i];
                    let high = (flags & flag::HIGH_INVOLVEMENT != 0) as usize;
                    k.segment_size[high] += 1;
                    k.aware += (flags & flag::AWARE != 0) as u64;
                    k.followers += (flags & flag::FOLLOWER != 0) as u64;
                    k.members += (a.membership[i] != membership::NONE) as u64;
                    k.active += (a.membership[i] == membership::ACTIVE) as u64;
                    k.reputation += a.reputation[i] as f64;
                    k.affiliation += a.affiliation[i] as f64;
                    k.knowledge += a.knowledge[i] as f64;
                    match a.status[i] {
                        status::CUSTOMER => {
                            k.customers += 1;
                            k.segment_customers[high] += 1;
                            k.satisfaction += a.satisfaction[i] as f64;
                            let score = nps_score(a.satisfaction[i]);
                            k.promoters += (score >= 9) as u64;
                            k.detractors += (score <= 6) as u64;
                        }
                        status::CHURNED => k.churned += 1,
                        _ => {}
                    }
                }
                k
            })
            .collect();
        parts.iter().fold(Census::default(), |a, b| a.add(b))
    }

    fn record_tick(&mut self, k: &Census, tally: &Tally, cost: f64) {
        let n = self.agents.len().max(1) as f64;
        self.firm.cumulative_cost += cost;
        let firm = &self.firm;
        let margin = self.spec.market.margin;
        let profit = firm.cumulative_revenue * margin - firm.cumulative_cost;
        // A ratio over (almost) nothing is not defined: an empty cell, never `inf`.
        let roi = if firm.cumulative_cost >= MIN_ROI_COST {
            Some(profit / firm.cumulative_cost)
                .filter(|r| r.is_finite())
                .unwrap_or(f64::NAN)
        } else {
            f64::NAN
        };
        let customers = k.customers.max(1) as f64;
        let brand =
            (tally.positive + tally.negative + tally.posts_seen + tally.reviews_posted) as f64;
        let competitor = self.spec.market.competitor_mentions * n;
        let nps = if k.customers == 0 {
            f64::NAN
        } else {
            (k.promoters as f64 - k.detractors as f64) / customers * 100.0
        };
        let values: [f64; 31] = [
            k.aware as f64,
            k.customers as f64,
            k.churned as f64,
            tally.new_by_source[0] as f64,
            tally.new_by_source[1] as f64,
            tally.new_by_source[2] as f64,
            tally.new_by_source[3] as f64,
            tally.new_by_source[4] as f64,
            tally.new_by_source[5] as f64,
            tally.new_by_source[6] as f64,
            k.followers as f64,
            k.members as f64,
            k.active as f64,
            firm.advocates.len() as f64,
            if brand + competitor > 0.0 {
                brand / (brand + competitor)
            } else {
                0.0
            },
            nps,
            if k.customers == 0 {
                f64::NAN
            } else {
                k.satisfaction / customers
            },
            k.reputation / n,
            k.affiliation / n,
            k.knowledge / n,
            firm.quality,
            tally.revenue,
            cost,
            firm.cumulative_revenue,
            firm.cumulative_cost,
            profit,
            roi,
            tally.positive as f64,
            tally.negative as f64,
            tally.referrals as f64,
            tally.reviews_posted as f64,
        ];
        for (column, v) in self.record.iter_mut().zip(values) {
            column.push(v);
        }
    }

    /// The finished replicate: its per-tick columns, per-replicate figures and, when
    /// asked, the final per-agent table.
    pub fn finish(self, with_agents: bool, with_outcomes: bool) -> Series {
        let ticks = self.record[0].len().saturating_sub(1) as u32;
        let mut series = Series::new(ticks);
        let new_total: Vec<u32> = (0..=ticks as usize)
            .map(|t| (3..10).map(|c| self.record[c][t]).sum::<f64>() as u32)
            .collect();
        series.new_adopters = new_total;
        let a = &self.agents;
        let n = a.len();
        let ever: Vec<usize> = (0..n).filter(|&i| a.adopted[i] != NEVER).collect();
        let mut referral_value = vec![0f64; n];
        for &i in &ever {
            if Source::from_code(a.source[i]).is_referral() && a.informant[i] != NEVER {
                referral_value[a.informant[i] as usize] += a.clv[i] as f64;
            }
        }
        let mean = |f: &dyn Fn(usize) -> f64| -> f64 {
            if ever.is_empty() {
                f64::NAN
            } else {
                ever.iter().map(|&i| f(i)).sum::<f64>() / ever.len() as f64
            }
        };
        let customers = *self.record[1].last().unwrap_or(&0.0);
        let firm = &self.firm;
        let cpa = |s: Source| {
            let adopters = firm.adopters_by_source[s as usize];
            if adopters == 0 || firm.cost_by_source[s as usize] == 0.0 {
                f64::NAN
            } else {
                firm.cost_by_source[s as usize] / adopters as f64
            }
        };
        let referral_adopters: u64 = Source::ALL
            .iter()
            .filter(|s| s.is_referral())
            .map(|&s| firm.adopters_by_source[s as usize])
            .sum();
        let ratio = |a: u64, b: u64| {
            if b == 0 {
                f64::NAN
            } else {
                a as f64 / b as f64
            }
        };
        series.figures = vec![
            ("final_customers", customers),
            ("ever_adopted", ever.len() as f64),
            (
                "retention",
                if ever.is_empty() {
                    f64::NAN
                } else {
                    customers / ever.len() as f64
                },
            ),
            ("clv_mean", mean(&|i| a.clv[i] as f64)),
            ("referral_value_mean", mean(&|i| referral_value[i])),
            (
                "top_decile_overlap",
                top_decile_overlap(&ever, &|i| a.clv[i] as f64, &|i| referral_value[i]),
            ),
            ("cumulative_profit", *self.record[25].last().unwrap_or(&0.0)),
            ("roi", *self.record[26].last().unwrap_or(&f64::NAN)),
            ("cpa_paid_social", cpa(Source::PaidSocial)),
            ("cpa_community", cpa(Source::Community)),
            ("cpa_advocate", cpa(Source::Advocate)),
            ("cpa_review", cpa(Source::Review)),
            (
                "wom_adoptions_per_referral",
                ratio(referral_adopters, firm.referrals),
            ),
            (
                "advocate_adoptions_per_referral",
                ratio(
                    firm.adopters_by_source[Source::Advocate as usize],
                    firm.advocate_referrals,
                ),
            ),
            ("final_quality", firm.quality),
        ];
        if with_agents {
            series.agents = Some(self.agent_table(&referral_value));
        }
        if with_outcomes {
            series.outcomes = (0..n).map(|i| (a.adopted[i], a.clv[i])).collect();
        }
        series.columns = COLUMNS
            .iter()
            .zip(self.record)
            .map(|(&name, values)| Column { name, values })
            .collect();
        series
    }

    fn agent_table(&self, referral_value: &[f64]) -> AgentTable {
        let a = &self.agents;
        let net = self.network;
        let names = AGENT_COLUMNS.to_vec();
        let rows = (0..a.len())
            .map(|i| {
                vec![
                    i.to_string(),
                    net.labels.as_ref().map_or(i as u64, |l| l[i]).to_string(),
                    net.out.degree(i as u32).to_string(),
                    net.community
                        .as_ref()
                        .map_or(String::new(), |c| c[i].to_string()),
                    if a.flags[i] & flag::HIGH_INVOLVEMENT != 0 {
                        "high"
                    } else {
                        "low"
                    }
                    .into(),
                    ["prospect", "customer", "churned"][a.status[i].min(2) as usize].into(),
                    ["none", "member", "active"][a.membership[i].min(2) as usize].into(),
                    (a.flags[i] & flag::ADVOCATE != 0).to_string(),
                    cell32(a.clv[i]),
                    cell32(a.revenue[i]),
                    self.referrals[i].load(Relaxed).to_string(),
                    crate::output::number(referral_value[i]),
                    cell32(a.reputation[i]),
                    cell32(a.affiliation[i]),
                    cell32(a.knowledge[i]),
                    if a.status[i] == status::PROSPECT {
                        String::new()
                    } else {
                        nps_score(a.satisfaction[i]).to_string()
                    },
                    if a.adopted[i] == NEVER {
                        String::new()
                    } else {
                        a.adopted[i].to_string()
                    },
                    if a.adopted[i] == NEVER {
                        String::new()
                    } else {
                        Source::from_code(a.source[i]).name().to_string()
                    },
                ]
            })
            .collect();
        AgentTable { names, rows }
    }

    /// Read access to the agents, for tests of single mechanisms.
    pub fn agents(&self) -> &Customers {
        &self.agents
    }

    /// Write access to the agents, for tests that set up a situation.
    pub fn agents_mut(&mut self) -> &mut Customers {
        &mut self.agents
    }

    /// Current product quality.
    pub fn quality(&self) -> f64 {
        self.firm.quality
    }

    /// The recorded value of a column at the last recorded tick.
    pub fn last(&self, column: &str) -> Option<f64> {
        let k = COLUMNS.iter().position(|&c| c == column)?;
        self.record[k].last().copied()
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
        let d = self.network.incoming().degree(v).max(1) as f64;
        self.adopted_neighbours[v as usize].load(Relaxed) as f64 / d
    }

    /// This tick's talk decision of `v`: +1 positive, −1 negative, 0 silent, with its
    /// credibility (valid after a step).
    pub fn talk_of(&self, v: u32) -> (i8, f32) {
        let m = self.talk[v as usize];
        (m.sign, m.credibility)
    }
}

/// A paid (`slot` 0) or organic (`slot` 1) exposure of agent `j` of chunk `c` (agent
/// id `i`): awareness, a worn-out attitude impulse, perhaps a follow, and for a
/// prospect perhaps a click that converts.
#[allow(clippy::too_many_arguments)]
#[inline]
fn social_exposure(
    c: &mut CustomersChunk,
    j: usize,
    sm: &crate::scenario::marketing::SocialMedia,
    recept: f64,
    source: Source,
    draws: &Draws,
    i: usize,
    slot: usize,
) {
    c.flags[j] |= flag::AWARE;
    c.exposures[j] = c.exposures[j].saturating_add(1);
    let wear = 1.0 / (1.0 + sm.wear_out * c.exposures[j] as f64);
    c.impulse[j] = (c.impulse[j] as f64 + sm.impulse * recept * wear).min(1.0) as f32;
    let key = i * 2 + slot;
    if c.flags[j] & flag::FOLLOWER == 0 && draws.u(Draw::Follow, key) < sm.follow * recept {
        c.flags[j] |= flag::FOLLOWER;
    }
    if c.status[j] == status::PROSPECT {
        c.last_touch[j] = source as u8;
        if draws.u(Draw::Click, key) < sm.click_through * recept * wear
            && draws.u(Draw::Convert, key) < sm.conversion
        {
            c.flags[j] |= flag::CONVERTED;
        }
    }
}

/// The share of the top decile by `a` that is also in the top decile by `b`.
fn top_decile_overlap(ever: &[usize], a: &dyn Fn(usize) -> f64, b: &dyn Fn(usize) -> f64) -> f64 {
    let k = ever.len() / 10;
    if k == 0 {
        return f64::NAN;
    }
    let top = |f: &dyn Fn(usize) -> f64| -> Vec<usize> {
        let mut v: Vec<(f64, usize)> = ever.iter().map(|&i| (f(i), i)).collect();
        v.sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        let mut ids: Vec<usize> = v[..k].iter().map(|x| x.1).collect();
        ids.sort_unstable();
        ids
    };
    let (ta, tb) = (top(a), top(b));
    let shared = ta.iter().filter(|i| tb.binary_search(i).is_ok()).count();
    shared as f64 / k as f64
}
