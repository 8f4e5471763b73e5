//! What a tick leaves behind (docs/MODEL.md §4.3 pass 7, §4.4 "Observation"): the
//! per-chunk [`Tally`] of events, the end-of-tick [`Census`] of all agents, and the
//! [`TickRecord`] they make, one row of timeseries.csv. Every column is named once,
//! in [`FIELDS`], with the field it reads; [`COLUMNS`] and [`SOURCE_COLUMNS`] are the
//! lists other layers import. Per-replicate figures are in `figures.rs`.

use super::census::Census;
use super::diagnosis;
use super::exact_sum::ExactSum;
use crate::population::Source;

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

/// Counts and sums over a chunk of agents, combined in chunk order; the sums do not
/// depend on the order of their adds ([`ExactSum`]), so totals do not depend on the
/// thread count nor on how the agents are numbered.
#[derive(Clone, Copy, Default)]
pub(super) struct Tally {
    /// New customers by [`Source`] code.
    pub new_by_source: [u64; Source::COUNT],
    /// Revenue (currency units) of first and repeat purchases.
    pub revenue: ExactSum,
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
    pub member_revenue: ExactSum,
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
    /// The sum of two tallies.
    pub fn add(mut self, o: &Tally) -> Tally {
        for (a, b) in self.new_by_source.iter_mut().zip(o.new_by_source) {
            *a += b;
        }
        self.revenue = self.revenue.plus(o.revenue);
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
        self.churns += o.churns;
        self.won_back += o.won_back;
        self.lost_to_competitor += o.lost_to_competitor;
        self.contributions += o.contributions;
        self.answered += o.answered;
        self.super_user_contributions += o.super_user_contributions;
        self.contagious_churns += o.contagious_churns;
        self.member_revenue = self.member_revenue.plus(o.member_revenue);
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
                k.satisfaction.value() / k.customers.max(1) as f64
            },
            reputation: k.reputation.value() / n,
            affiliation: k.affiliation.value() / n,
            knowledge: k.knowledge.value() / n,
            quality: books.quality,
            customer_map: books.customer_map,
            revenue: tally.revenue.value(),
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
            member_revenue: tally.member_revenue.value(),
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
}
