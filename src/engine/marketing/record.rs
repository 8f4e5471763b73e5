//! What a tick leaves behind (docs/MODEL.md §4.3 pass 7, §4.4 "Observation"): the
//! per-chunk [`Tally`] of events, the end-of-tick [`Census`] of all agents, and the
//! [`TickRecord`] they make, one row of timeseries.csv. Every column is named once,
//! in [`FIELDS`], with the field it reads; [`COLUMNS`] and [`SOURCE_COLUMNS`] are the
//! lists other layers import. Per-replicate figures are in `figures.rs`.

use super::bits::{self, ones};
use super::community::capital_holders;
use super::{CHUNK, Marketing, diagnosis};
use crate::population::{CustomersChunk, Source, flag, membership, status};
use rayon::prelude::*;

/// The cumulative cost (currency units) below which `roi` is not defined: a ratio over
/// less than a millionth of a currency unit says nothing (docs/MODEL.md §4.4).
pub const MIN_ROI_COST: f64 = 1e-6;

/// NPS score 0–10 of a satisfaction in [0, 1].
#[inline]
pub fn nps_score(satisfaction: f32) -> u8 {
    (satisfaction.clamp(0.0, 1.0) * 10.0).round() as u8
}

/// A promoter scores 9 or 10.
#[inline]
pub(super) fn is_promoter(satisfaction: f32) -> bool {
    nps_score(satisfaction) >= 9
}

/// A detractor scores 0 to 6.
#[inline]
pub(super) fn is_detractor(satisfaction: f32) -> bool {
    nps_score(satisfaction) <= 6
}

/// Sums over a chunk of agents, combined in chunk order so totals are exact and
/// thread-count independent.
#[derive(Clone, Copy, Default)]
pub(super) struct Tally {
    /// New customers by [`Source`] code.
    pub new_by_source: [u64; Source::COUNT],
    /// Revenue (currency units) of first and repeat purchases.
    pub revenue: f64,
    /// Positive messages received.
    pub positive: u64,
    /// Negative messages received.
    pub negative: u64,
    /// Recommendations by peers received by prospects.
    pub referrals: u64,
    /// The part of `referrals` made by advocates.
    pub advocate_referrals: u64,
    /// Posts seen by followers.
    pub posts_seen: u64,
    /// Solicited reviews posted.
    pub reviews_posted: u64,
    /// The negative part of `reviews_posted`.
    pub solicited_negative: u64,
    /// New reviews, solicited and unasked: positive and negative.
    pub reviews_positive: u64,
    pub reviews_negative: u64,
    /// Detractors surveyed but not asked to review (`ask = "promoters"`).
    pub not_asked: u64,
    /// Customers surveyed.
    pub surveyed: u64,
    /// Co-creation ideas contributed.
    pub ideas: u64,
    /// Sum of paid-targeting weights.
    pub targeting: f64,
    /// Customers who churned.
    pub churns: u64,
    /// Former customers who bought the brand again.
    pub won_back: u64,
    /// Former customers who bought a competitor.
    pub lost_to_competitor: u64,
    /// Contributions to the community.
    pub contributions: u64,
    /// Contributions the firm answered.
    pub answered: u64,
    /// Contributions by super-users (participation inequality, Van Mierlo 2014).
    pub super_user_contributions: u64,
    /// Churns that the same draw would not have made without contagion.
    pub contagious_churns: u64,
    /// The part of `revenue` paid by community members.
    pub member_revenue: f64,
    /// Agents who were customers during the purchase pass (customer-days).
    pub customer_days: u64,
    /// The part of `customer_days` of community members.
    pub member_days: u64,
    /// Weak ties made among an event's attendees.
    pub event_ties: u64,
    /// Agents who began to follow the brand.
    pub new_followers: u64,
    /// First adoptions by agents who follow the brand when they buy.
    pub follower_adoptions: u64,
}

impl Tally {
    /// The sum of two tallies (`self` first, so float sums keep their order).
    pub fn add(mut self, o: &Tally) -> Tally {
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
        self.solicited_negative += o.solicited_negative;
        self.reviews_positive += o.reviews_positive;
        self.reviews_negative += o.reviews_negative;
        self.not_asked += o.not_asked;
        self.surveyed += o.surveyed;
        self.ideas += o.ideas;
        self.targeting += o.targeting;
        self.churns += o.churns;
        self.won_back += o.won_back;
        self.lost_to_competitor += o.lost_to_competitor;
        self.contributions += o.contributions;
        self.answered += o.answered;
        self.super_user_contributions += o.super_user_contributions;
        self.contagious_churns += o.contagious_churns;
        self.member_revenue += o.member_revenue;
        self.customer_days += o.customer_days;
        self.member_days += o.member_days;
        self.event_ties += o.event_ties;
        self.new_followers += o.new_followers;
        self.follower_adoptions += o.follower_adoptions;
        self
    }

    /// The sum of chunk tallies, in chunk order.
    pub fn sum<'t>(parts: impl IntoIterator<Item = &'t Tally>) -> Tally {
        parts.into_iter().fold(Tally::default(), |a, b| a.add(b))
    }
}

/// Counts and means over all agents at the end of a tick.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Census {
    pub aware: u64,
    pub customers: u64,
    pub churned: u64,
    /// Agents buying from a competitor.
    pub rivals: u64,
    /// Agents in the product category.
    pub in_market: u64,
    pub followers: u64,
    /// Followers who are not customers: the audience still to convert.
    pub prospect_followers: u64,
    pub members: u64,
    pub active: u64,
    pub promoters: u64,
    pub detractors: u64,
    /// Sum over customers.
    pub satisfaction: f64,
    /// Sums over all agents.
    pub reputation: f64,
    pub affiliation: f64,
    pub knowledge: f64,
    /// Customers and agents by segment (0 low, 1 high involvement).
    pub segment_customers: [u64; 2],
    pub segment_size: [u64; 2],
}

impl Census {
    fn add(mut self, o: &Census) -> Census {
        self.aware += o.aware;
        self.customers += o.customers;
        self.churned += o.churned;
        self.rivals += o.rivals;
        self.in_market += o.in_market;
        self.followers += o.followers;
        self.prospect_followers += o.prospect_followers;
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

/// The sum of a word's eight bytes.
#[inline]
fn lane_sum(word: u64) -> u64 {
    // Pairs of bytes into four 16-bit lanes (each at most 510), then the lanes
    // summed into the top 16 bits by one multiplication.
    const EVEN: u64 = 0x00FF_00FF_00FF_00FF;
    let pairs = (word & EVEN) + ((word >> 8) & EVEN);
    pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48
}

/// Eight bytes of `bytes` from `at` as one word (byte k in bits 8k..8k + 8), the
/// bytes past the end as 0.
#[inline]
fn eight(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().expect("eight bytes")),
        None => {
            let mut b = [0u8; 8];
            b[..bytes.len() - at].copy_from_slice(&bytes[at..]);
            u64::from_le_bytes(b)
        }
    }
}

impl Census {
    /// The agents of chunk `c` the census's sums read (one bit each, agent j in bit
    /// j % 64 of word j / 64): the brand's customers and every agent holding social
    /// capital other than ±0. Pass 6's busy agents include them all.
    pub(super) fn holders(c: &CustomersChunk) -> [u64; CHUNK / 64] {
        let mut held = capital_holders(c);
        let customers = bits::of(c.flags.len(), |j| c.status[j] == status::CUSTOMER);
        held.iter_mut().zip(customers).for_each(|(h, c)| *h |= c);
        held
    }

    /// The census's counts of a chunk's agents, from their `flags`, `membership` and
    /// `status` bytes, eight agents at a time in one word each. Each count keeps a
    /// byte per lane, 1 where the agent counts: a flag's bit moved to the lane's
    /// lowest bit, or a state's test ([`bits::zero_bytes`], its top bit moved
    /// down). The lanes are added up every 255 words, before a byte can overflow
    /// (no `popcnt` needed, which a generic x86-64 build lacks). Bytes past the end
    /// read as 0: no flag, not a member, a prospect, so they count nowhere.
    fn counts_of(flags: &[u8], membership: &[u8], status: &[u8]) -> Census {
        const ONES: u64 = 0x0101_0101_0101_0101;
        let is = |word: u64, value: u8| bits::zero_bytes(word ^ (ONES * value as u64)) >> 7;
        let flag = |word: u64, bit: u8| (word >> bit.trailing_zeros()) & ONES;
        let mut totals = [0u64; 9];
        let len = flags.len();
        for block in (0..len).step_by(8 * 255) {
            let mut lanes = [0u64; 9];
            for at in (block..len.min(block + 8 * 255)).step_by(8) {
                let (f, m, s) = (eight(flags, at), eight(membership, at), eight(status, at));
                let follows = flag(f, flag::FOLLOWER);
                let counts = [
                    flag(f, flag::HIGH_INVOLVEMENT),
                    flag(f, flag::AWARE),
                    flag(f, flag::IN_MARKET),
                    follows,
                    is(m, membership::NONE) ^ ONES,
                    is(m, membership::ACTIVE),
                    is(s, status::CHURNED),
                    is(s, status::RIVAL),
                    follows & (is(s, status::CUSTOMER) ^ ONES),
                ];
                lanes.iter_mut().zip(counts).for_each(|(l, c)| *l += c);
            }
            totals
                .iter_mut()
                .zip(lanes)
                .for_each(|(t, l)| *t += lane_sum(l));
        }
        let [
            high,
            aware,
            in_market,
            followers,
            members,
            active,
            churned,
            rivals,
            prospect_followers,
        ] = totals;
        Census {
            aware,
            in_market,
            followers,
            prospect_followers,
            members,
            active,
            churned,
            rivals,
            segment_size: [flags.len() as u64 - high, high],
            ..Census::default()
        }
    }

    /// Counts and sums over the agents of chunk `c`, in id order. Pass 6 takes it of
    /// each chunk as it finishes the chunk (no later pass of the tick changes what it
    /// reads), which spares a sweep over every agent; [`Census::of_all`] sums the
    /// chunks in order, so the result does not depend on the thread count.
    ///
    /// The sums of social capital and satisfaction walk only the agents marked in
    /// `held`, which must include every [`Census::holders`] agent. The others are
    /// not customers and hold ±0, and a sum that starts at +0 is left as it was, bit
    /// for bit, by adding ±0: skipping them changes nothing, and spares a chain of
    /// dependent adds over every agent.
    pub(super) fn of_chunk(c: &CustomersChunk, held: &[u64; CHUNK / 64]) -> Census {
        let flags = &c.flags[..];
        let mut k = Census::counts_of(flags, c.membership, c.status);
        // The sums add the same values in the same order as a sweep over every agent
        // would, so they are the same to the last bit. They wait on each add in turn;
        // the check for the brand's customers runs in their shadow.
        let (mut reputation, mut affiliation, mut knowledge) = (0.0, 0.0, 0.0);
        for j in ones(0, held) {
            let f = flags[j];
            reputation += c.reputation[j] as f64;
            affiliation += c.affiliation[j] as f64;
            knowledge += c.knowledge[j] as f64;
            if c.status[j] == status::CUSTOMER {
                let high = (f & flag::HIGH_INVOLVEMENT != 0) as usize;
                k.customers += 1;
                k.segment_customers[high] += 1;
                k.satisfaction += c.satisfaction[j] as f64;
                k.promoters += is_promoter(c.satisfaction[j]) as u64;
                k.detractors += is_detractor(c.satisfaction[j]) as u64;
            }
        }
        (k.reputation, k.affiliation, k.knowledge) = (reputation, affiliation, knowledge);
        k
    }

    /// The chunks' censuses summed in chunk order.
    pub(super) fn of_all<'a>(parts: impl Iterator<Item = &'a Census>) -> Census {
        parts.fold(Census::default(), |a, b| a.add(b))
    }
}

impl Marketing<'_> {
    /// Pass 7's census of every agent, taken on its own (at tick 0; pass 6 takes it
    /// of each chunk as it goes).
    pub(super) fn census(&mut self) -> Census {
        let parts: Vec<Census> = self
            .agents
            .chunks_mut(CHUNK)
            .into_par_iter()
            .map(|c| Census::of_chunk(&c, &Census::holders(&c)))
            .collect();
        Census::of_all(parts.iter())
    }
}

/// One row of the marketing columns of timeseries.csv: the state at the end of a tick
/// and what happened during it. Money in currency units; NaN where not defined.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct TickRecord {
    pub aware: f64,
    pub customers: f64,
    pub churned: f64,
    pub churns: f64,
    pub competitor_customers: f64,
    pub lost_to_competitor: f64,
    pub won_back: f64,
    pub in_market: f64,
    /// New customers by [`Source`] code.
    pub new_by_source: [f64; Source::COUNT],
    pub followers: f64,
    pub new_followers: f64,
    /// First adoptions by followers (`diagnosis.rs`).
    pub follower_adoptions: f64,
    /// Followers who are not customers at the end of the tick.
    pub prospect_followers: f64,
    /// Follower adoptions over the previous tick's prospect followers; NaN without any.
    pub follower_conversion: f64,
    /// Community and advocate adoptions over all new customers; NaN without any.
    pub community_share: f64,
    pub members: f64,
    pub active_members: f64,
    pub advocates: f64,
    pub share_of_voice: f64,
    pub nps: f64,
    pub satisfaction: f64,
    pub reputation: f64,
    pub affiliation: f64,
    pub knowledge: f64,
    pub quality: f64,
    /// The firm's customer map (`listening.rs`).
    pub customer_map: f64,
    pub revenue: f64,
    pub spend: f64,
    pub unspent: f64,
    pub cumulative_revenue: f64,
    pub cumulative_spend: f64,
    pub cumulative_profit: f64,
    pub roi: f64,
    pub positive_messages: f64,
    pub negative_messages: f64,
    pub referrals: f64,
    pub reviews: f64,
    pub contributions: f64,
    pub answered: f64,
    pub super_user_contributions: f64,
    pub contagious_churns: f64,
    pub member_revenue: f64,
    /// Customer-days and member customer-days of the purchase pass (not columns; read
    /// by the `social_dollars` figure).
    pub customer_days: f64,
    pub member_days: f64,
    pub event_ties: f64,
    /// The review stock, decayed: positive and negative reviews.
    pub reviews_positive: f64,
    pub reviews_negative: f64,
    /// Share of positive reviews in the stock, NaN without reviews.
    pub rating: f64,
    /// Detractors surveyed this tick but not asked to review.
    pub not_asked: f64,
    /// The brand's reputation R in [−1, 1].
    pub brand_reputation: f64,
}

/// The firm's figures a record reads, after the tick's cost is added.
pub(super) struct Books {
    pub quality: f64,
    pub customer_map: f64,
    /// Prospect followers at the end of the previous tick.
    pub previous_prospect_followers: f64,
    pub advocates: usize,
    pub spend: f64,
    /// Money budgeted so far and not spent.
    pub unspent: f64,
    pub cumulative_revenue: f64,
    pub cumulative_spend: f64,
    pub margin: f64,
    /// Competitor mentions per agent and tick.
    pub competitor_mentions: f64,
    /// The review stock at the end of the tick.
    pub reviews_positive: f64,
    pub reviews_negative: f64,
    /// The brand's reputation at the end of the tick.
    pub brand_reputation: f64,
}

/// Profit over cost, or NaN below [`MIN_ROI_COST`]: a ratio over (almost) nothing is
/// not defined, an empty cell, never `inf`.
pub(super) fn roi(profit: f64, cumulative_cost: f64) -> f64 {
    if cumulative_cost >= MIN_ROI_COST {
        Some(profit / cumulative_cost)
            .filter(|r| r.is_finite())
            .unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

/// Brand messages over brand and competitor messages, 0 when nobody speaks.
pub(super) fn share_of_voice(brand: f64, competitor: f64) -> f64 {
    if brand + competitor > 0.0 {
        brand / (brand + competitor)
    } else {
        0.0
    }
}

/// Net promoter score in [−100, 100], NaN without customers.
pub(super) fn nps(promoters: u64, detractors: u64, customers: u64) -> f64 {
    if customers == 0 {
        f64::NAN
    } else {
        (promoters as f64 - detractors as f64) / customers.max(1) as f64 * 100.0
    }
}

impl TickRecord {
    /// The record of a tick over `n` agents.
    pub fn new(k: &Census, tally: &Tally, books: &Books, n: usize) -> TickRecord {
        let n = n.max(1) as f64;
        let profit = books.cumulative_revenue * books.margin - books.cumulative_spend;
        let brand =
            (tally.positive + tally.negative + tally.posts_seen + tally.reviews_posted) as f64;
        TickRecord {
            aware: k.aware as f64,
            customers: k.customers as f64,
            churned: k.churned as f64,
            churns: tally.churns as f64,
            competitor_customers: k.rivals as f64,
            lost_to_competitor: tally.lost_to_competitor as f64,
            won_back: tally.won_back as f64,
            in_market: k.in_market as f64,
            new_by_source: tally.new_by_source.map(|x| x as f64),
            followers: k.followers as f64,
            new_followers: tally.new_followers as f64,
            follower_adoptions: tally.follower_adoptions as f64,
            prospect_followers: k.prospect_followers as f64,
            follower_conversion: diagnosis::conversion(
                tally.follower_adoptions as f64,
                books.previous_prospect_followers,
            ),
            community_share: diagnosis::community_share(&tally.new_by_source),
            members: k.members as f64,
            active_members: k.active as f64,
            advocates: books.advocates as f64,
            share_of_voice: share_of_voice(brand, books.competitor_mentions * n),
            nps: nps(k.promoters, k.detractors, k.customers),
            satisfaction: if k.customers == 0 {
                f64::NAN
            } else {
                k.satisfaction / k.customers.max(1) as f64
            },
            reputation: k.reputation / n,
            affiliation: k.affiliation / n,
            knowledge: k.knowledge / n,
            quality: books.quality,
            customer_map: books.customer_map,
            revenue: tally.revenue,
            spend: books.spend,
            unspent: books.unspent,
            cumulative_revenue: books.cumulative_revenue,
            cumulative_spend: books.cumulative_spend,
            cumulative_profit: profit,
            roi: roi(profit, books.cumulative_spend),
            positive_messages: tally.positive as f64,
            negative_messages: tally.negative as f64,
            referrals: tally.referrals as f64,
            reviews: tally.reviews_posted as f64,
            contributions: tally.contributions as f64,
            answered: tally.answered as f64,
            super_user_contributions: tally.super_user_contributions as f64,
            contagious_churns: tally.contagious_churns as f64,
            member_revenue: tally.member_revenue,
            customer_days: tally.customer_days as f64,
            member_days: tally.member_days as f64,
            event_ties: tally.event_ties as f64,
            reviews_positive: books.reviews_positive,
            reviews_negative: books.reviews_negative,
            rating: super::reviews::rating(books.reviews_positive, books.reviews_negative),
            not_asked: tally.not_asked as f64,
            brand_reputation: books.brand_reputation,
        }
    }

    /// New customers from every source.
    pub fn new_customers(&self) -> f64 {
        self.new_by_source.iter().sum()
    }
}

/// A column of timeseries.csv and the field of [`TickRecord`] it shows.
pub(super) type Field = (&'static str, fn(&TickRecord) -> f64);

/// The `new_*` columns, in [`Source`] code order: `SOURCE_COLUMNS[s as usize]` counts
/// the adoptions from source `s`.
pub const SOURCE_COLUMNS: [&str; Source::COUNT] = [
    "new_external",
    "new_paid_social",
    "new_organic_social",
    "new_word_of_mouth",
    "new_community",
    "new_advocate",
    "new_review",
    "new_peers",
    "new_influencer",
];

/// The count of adoptions from source `s` in a record.
const fn new_from(s: Source) -> fn(&TickRecord) -> f64 {
    match s {
        Source::External => |r| r.new_by_source[Source::External as usize],
        Source::PaidSocial => |r| r.new_by_source[Source::PaidSocial as usize],
        Source::OrganicSocial => |r| r.new_by_source[Source::OrganicSocial as usize],
        Source::WordOfMouth => |r| r.new_by_source[Source::WordOfMouth as usize],
        Source::Community => |r| r.new_by_source[Source::Community as usize],
        Source::Advocate => |r| r.new_by_source[Source::Advocate as usize],
        Source::Review => |r| r.new_by_source[Source::Review as usize],
        Source::Peers => |r| r.new_by_source[Source::Peers as usize],
        Source::Influencer => |r| r.new_by_source[Source::Influencer as usize],
    }
}

/// A `new_*` column.
const fn source_field(s: Source) -> Field {
    (SOURCE_COLUMNS[s as usize], new_from(s))
}

/// Every marketing column of timeseries.csv, in output order, with what it shows.
pub(super) const FIELDS: &[Field] = &[
    ("aware", |r| r.aware),
    ("in_market", |r| r.in_market),
    ("customers", |r| r.customers),
    ("churned", |r| r.churned),
    ("churns", |r| r.churns),
    ("competitor_customers", |r| r.competitor_customers),
    ("lost_to_competitor", |r| r.lost_to_competitor),
    ("won_back", |r| r.won_back),
    ("contagious_churns", |r| r.contagious_churns),
    source_field(Source::External),
    source_field(Source::PaidSocial),
    source_field(Source::OrganicSocial),
    source_field(Source::WordOfMouth),
    source_field(Source::Community),
    source_field(Source::Advocate),
    source_field(Source::Review),
    source_field(Source::Peers),
    source_field(Source::Influencer),
    ("followers", |r| r.followers),
    ("new_followers", |r| r.new_followers),
    ("follower_conversion", |r| r.follower_conversion),
    ("community_share", |r| r.community_share),
    ("members", |r| r.members),
    ("active_members", |r| r.active_members),
    ("advocates", |r| r.advocates),
    ("share_of_voice", |r| r.share_of_voice),
    ("nps", |r| r.nps),
    ("satisfaction", |r| r.satisfaction),
    ("reputation", |r| r.reputation),
    ("affiliation", |r| r.affiliation),
    ("knowledge", |r| r.knowledge),
    ("quality", |r| r.quality),
    ("customer_map", |r| r.customer_map),
    ("revenue", |r| r.revenue),
    ("member_revenue", |r| r.member_revenue),
    ("spend", |r| r.spend),
    ("unspent", |r| r.unspent),
    ("cumulative_revenue", |r| r.cumulative_revenue),
    ("cumulative_spend", |r| r.cumulative_spend),
    ("cumulative_profit", |r| r.cumulative_profit),
    ("roi", |r| r.roi),
    ("positive_messages", |r| r.positive_messages),
    ("negative_messages", |r| r.negative_messages),
    ("referrals", |r| r.referrals),
    ("reviews", |r| r.reviews),
    ("contributions", |r| r.contributions),
    ("answered", |r| r.answered),
    ("super_user_contributions", |r| r.super_user_contributions),
    ("event_ties", |r| r.event_ties),
    ("reviews_positive", |r| r.reviews_positive),
    ("reviews_negative", |r| r.reviews_negative),
    ("rating", |r| r.rating),
    ("not_asked", |r| r.not_asked),
    ("brand_reputation", |r| r.brand_reputation),
];

/// Names of the per-tick columns the marketing model adds to timeseries.csv, in
/// output order (the names of `FIELDS`).
pub const COLUMNS: [&str; FIELDS.len()] = {
    let mut names = [""; FIELDS.len()];
    let mut k = 0;
    while k < FIELDS.len() {
        names[k] = FIELDS[k].0;
        k += 1;
    }
    names
};

/// The value of the column named `column` in a record.
pub(super) fn value(record: &TickRecord, column: &str) -> Option<f64> {
    FIELDS
        .iter()
        .find(|(name, _)| *name == column)
        .map(|(_, get)| get(record))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::Customers;

    #[test]
    fn source_columns_follow_source_codes() {
        for s in Source::ALL {
            assert_eq!(SOURCE_COLUMNS[s as usize], format!("new_{}", s.name()));
        }
    }

    #[test]
    fn every_column_has_one_name_and_reads_its_own_field() {
        let mut names = COLUMNS.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), COLUMNS.len());
        let mut r = TickRecord {
            new_by_source: [10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0],
            roi: 0.5,
            ..TickRecord::default()
        };
        r.cumulative_profit = 7.0;
        assert_eq!(value(&r, "new_advocate"), Some(15.0));
        assert_eq!(value(&r, "roi"), Some(0.5));
        assert_eq!(value(&r, "cumulative_profit"), Some(7.0));
        assert_eq!(value(&r, "no_such_column"), None);
        assert_eq!(r.new_customers(), 126.0);
    }

    #[test]
    fn roi_is_undefined_below_the_minimum_cost() {
        assert!(roi(5.0, MIN_ROI_COST / 2.0).is_nan());
        assert_eq!(roi(5.0, 10.0), 0.5);
    }

    #[test]
    fn nps_counts_promoters_minus_detractors_per_customer() {
        assert!(nps(0, 0, 0).is_nan());
        assert_eq!(nps(3, 1, 4), 50.0);
        assert_eq!(nps_score(0.86), 9);
        assert!(is_promoter(0.9) && !is_promoter(0.84));
        assert!(is_detractor(0.64) && !is_detractor(0.66));
    }

    #[test]
    fn silence_gives_no_share_of_voice() {
        assert_eq!(share_of_voice(0.0, 0.0), 0.0);
        assert_eq!(share_of_voice(1.0, 3.0), 0.25);
    }

    /// The census of agents `range` as a plain sweep takes it, agent by agent.
    fn reference(a: &Customers, range: std::ops::Range<usize>) -> Census {
        let mut k = Census::default();
        for i in range {
            let flags = a.flags[i];
            let high = (flags & flag::HIGH_INVOLVEMENT != 0) as usize;
            k.segment_size[high] += 1;
            k.aware += (flags & flag::AWARE != 0) as u64;
            k.in_market += (flags & flag::IN_MARKET != 0) as u64;
            let follows = flags & flag::FOLLOWER != 0;
            k.followers += follows as u64;
            k.prospect_followers += (follows && a.status[i] != status::CUSTOMER) as u64;
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
                    k.promoters += is_promoter(a.satisfaction[i]) as u64;
                    k.detractors += is_detractor(a.satisfaction[i]) as u64;
                }
                status::CHURNED => k.churned += 1,
                status::RIVAL => k.rivals += 1,
                _ => {}
            }
        }
        k
    }

    #[test]
    fn the_census_of_a_chunk_equals_a_plain_sweep_to_the_bit() {
        // Chunks summed in order, as before this census was rewritten for speed.
        // Several chunks and a short last one, not a multiple of eight agents; every
        // flag, status and membership mixed, values of every size (so that the order
        // of the sums shows).
        let n = 3 * CHUNK + 1003;
        let mut a = Customers::new(n);
        for i in 0..n {
            let h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
            a.flags[i] = h as u8;
            a.status[i] = (h >> 8) as u8 % 4;
            a.membership[i] = (h >> 10) as u8 % 3;
            // Full 24-bit mantissas over thirty binades: f64 sums of these round, so
            // their order shows in the last bits.
            let x = ((h & 0xFF_FFFF) as f32 / (1u64 << 24) as f32) * 0.5f32.powi((h % 30) as i32);
            a.reputation[i] = if i % 3 == 0 { 0.0 } else { x };
            a.affiliation[i] = x * x;
            a.knowledge[i] = if i % 7 == 0 { x / 3.0 } else { 0.0 };
            a.satisfaction[i] = ((h >> 4) % 11) as f32 / 10.0;
        }
        let sweeps: Vec<Census> = (0..n.div_ceil(CHUNK))
            .map(|c| reference(&a, c * CHUNK..((c + 1) * CHUNK).min(n)))
            .collect();
        let one = Census::of_all(sweeps.iter());
        let chunks = a.chunks_mut(CHUNK);
        // Summed over the holders alone, and over every agent of the chunk.
        let census = |held: &dyn Fn(&CustomersChunk) -> [u64; CHUNK / 64]| {
            let parts: Vec<Census> = chunks
                .iter()
                .map(|c| Census::of_chunk(c, &held(c)))
                .collect();
            format!("{:?}", Census::of_all(parts.iter()))
        };
        assert_eq!(census(&Census::holders), format!("{one:?}"));
        assert_eq!(
            census(&|c| bits::of(c.flags.len(), |_| true)),
            format!("{one:?}")
        );
        // A holder left out is missed: the bits decide what is summed.
        let missing_one = |c: &CustomersChunk| {
            let mut held = Census::holders(c);
            held[0] &= held[0] - 1;
            held
        };
        assert_ne!(census(&missing_one), format!("{one:?}"));
        assert!(one.customers > 0 && one.active > 0 && one.prospect_followers > 0);
        assert!(one.segment_customers[1] > 0 && one.promoters > 0 && one.detractors > 0);
    }
}
