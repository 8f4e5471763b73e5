//! The audience-growth versus conversion diagnosis (docs/MODEL.md §4.7.14): social-media
//! marketing grows an audience (followers) fast, community management converts and
//! retains. From a replicate's records this module works out the follower funnel —
//! new followers, follower conversion, the community's share of adoptions — and says
//! which of the two, growing the audience or converting it, limits the scenario. It
//! only reads records (`record.rs`); the per-tick counts are made in passes 3 and 5.

use super::record::TickRecord;
use crate::population::Source;

/// Which stage of the follower funnel limits a scenario: its code in summary.csv's
/// `diagnosis` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// The audience grows too slowly: followers convert at least as fast as they arrive,
    /// or there is no audience. Code +1.
    Audience,
    /// The audience converts too slowly: followers buy no more readily than agents who
    /// do not follow, or the audience grows faster than it converts. Code −1.
    Conversion,
}

impl Verdict {
    /// The number in summary.csv: +1 audience growth, −1 conversion.
    pub(super) fn code(self) -> f64 {
        match self {
            Verdict::Audience => 1.0,
            Verdict::Conversion => -1.0,
        }
    }
}

/// The sentence a `diagnosis` code stands for, `None` for any other number.
pub fn diagnosis_sentence(code: f64) -> Option<&'static str> {
    if code == 1.0 {
        Some(
            "audience growth is the bottleneck: followers convert at least as fast as new \
             ones arrive (or there is no audience), so the audience, not its conversion, \
             limits adoption",
        )
    } else if code == -1.0 {
        Some(
            "conversion is the bottleneck: the audience grows faster than it converts, or \
             followers buy no more readily than agents who do not follow",
        )
    } else {
        None
    }
}

/// Follower adoptions over the audience that could convert (prospect followers at the
/// end of the previous tick): a per-tick conversion rate, NaN without an audience.
pub(super) fn conversion(adoptions: f64, audience: f64) -> f64 {
    if audience > 0.0 {
        adoptions / audience
    } else {
        f64::NAN
    }
}

/// The community's share of new customers: (community + advocate adoptions) / all
/// adoptions, NaN without adoptions.
pub(super) fn community_share(new_by_source: &[u64; Source::COUNT]) -> f64 {
    let all: u64 = new_by_source.iter().sum();
    let community =
        new_by_source[Source::Community as usize] + new_by_source[Source::Advocate as usize];
    if all > 0 {
        community as f64 / all as f64
    } else {
        f64::NAN
    }
}

/// A replicate's follower funnel, summed over a span of ticks. Exposures are
/// agent-ticks: the agents who could convert at the end of each previous tick.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Funnel {
    /// Agents who began to follow.
    pub new_followers: f64,
    /// First adoptions by followers.
    pub follower_adoptions: f64,
    /// Σ prospect followers at t − 1.
    pub follower_exposure: f64,
    /// First adoptions by agents who do not follow.
    pub other_adoptions: f64,
    /// Σ agents neither customers nor followers at t − 1.
    pub other_exposure: f64,
}

impl Funnel {
    /// The funnel of ticks `from`..=T of a replicate's records over `n` agents (record
    /// 0 is tick 0; `from` ≥ 1).
    pub(super) fn of(records: &[TickRecord], n: usize, from: usize) -> Funnel {
        let mut f = Funnel::default();
        let start = from.max(1) - 1;
        for w in records.get(start..).unwrap_or_default().windows(2) {
            let (before, r) = (&w[0], &w[1]);
            f.new_followers += r.new_followers;
            f.follower_adoptions += r.follower_adoptions;
            f.follower_exposure += before.prospect_followers;
            f.other_adoptions += r.new_customers() - r.follower_adoptions;
            f.other_exposure += n as f64 - before.customers - before.prospect_followers;
        }
        f
    }

    /// The funnel of the settled half of a run of T ticks: ticks ⌊T/2⌋ + 1 to T. The
    /// first half holds the launch, when an audience that starts empty must grow
    /// faster than it converts whatever the strategy; the diagnosis judges the state
    /// the scenario settles into.
    pub(super) fn settled(records: &[TickRecord], n: usize) -> Funnel {
        let ticks = records.len().saturating_sub(1);
        Funnel::of(records, n, ticks / 2 + 1)
    }

    /// Follower conversion: follower adoptions per prospect-follower tick.
    pub(super) fn follower_conversion(&self) -> f64 {
        conversion(self.follower_adoptions, self.follower_exposure)
    }

    /// Conversion of agents who do not follow, per agent-tick; NaN without any.
    pub(super) fn other_conversion(&self) -> f64 {
        conversion(self.other_adoptions, self.other_exposure)
    }

    /// Follower conversion over the conversion of those who do not follow; NaN when
    /// either is undefined or the latter is 0.
    pub(super) fn follower_lift(&self) -> f64 {
        let other = self.other_conversion();
        if other > 0.0 {
            self.follower_conversion() / other
        } else {
            f64::NAN
        }
    }
}

/// The rule (docs/MODEL.md §4.7.14), on the settled half of a run, in order:
/// 1. no audience ever (no prospect-follower ticks): audience growth;
/// 2. followers convert no better than agents who do not follow (follower conversion
///    ≤ the others'): conversion — the audience adds nothing;
/// 3. more new followers than follower adoptions over the run: conversion — the
///    audience piles up unconverted; otherwise (as many or fewer): audience growth —
///    it is drained as fast as it grows.
///
/// The thresholds are the two natural balance points (lift 1, inflow = outflow), no
/// calibrated number.
pub(super) fn diagnosis(f: &Funnel) -> Verdict {
    if f.follower_exposure <= 0.0 {
        return Verdict::Audience;
    }
    let other = f.other_conversion();
    let other = if other.is_nan() { 0.0 } else { other };
    if f.follower_conversion() <= other {
        return Verdict::Conversion;
    }
    if f.new_followers > f.follower_adoptions {
        Verdict::Conversion
    } else {
        Verdict::Audience
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn funnel(new_followers: f64, follower_adoptions: f64, other_adoptions: f64) -> Funnel {
        Funnel {
            new_followers,
            follower_adoptions,
            follower_exposure: 1000.0,
            other_adoptions,
            other_exposure: 10_000.0,
        }
    }

    #[test]
    fn an_audience_growing_faster_than_it_converts_lacks_conversion() {
        // Followers convert at 0.05 a tick, others at 0.001, but 500 follow for 50 buys.
        let f = funnel(500.0, 50.0, 10.0);
        assert!((f.follower_lift() - 50.0).abs() < 1e-12);
        assert_eq!(diagnosis(&f), Verdict::Conversion);
    }

    #[test]
    fn a_static_audience_that_converts_lacks_growth() {
        let f = funnel(20.0, 50.0, 10.0);
        assert_eq!(diagnosis(&f), Verdict::Audience);
    }

    #[test]
    fn the_boundary_of_inflow_and_outflow_is_audience_growth() {
        assert_eq!(diagnosis(&funnel(50.0, 50.0, 10.0)), Verdict::Audience);
        assert_eq!(
            diagnosis(&funnel(50.0 + 1e-9, 50.0, 10.0)),
            Verdict::Conversion
        );
    }

    #[test]
    fn followers_who_convert_no_better_than_others_lack_conversion() {
        // 10 of 1,000 followers and 100 of 10,000 others: a lift of exactly 1.
        let f = funnel(0.0, 10.0, 100.0);
        assert!((f.follower_lift() - 1.0).abs() < 1e-12);
        assert_eq!(diagnosis(&f), Verdict::Conversion);
        assert_eq!(
            diagnosis(&funnel(0.0, 10.0 + 1e-9, 100.0)),
            Verdict::Audience
        );
    }

    #[test]
    fn without_an_audience_growth_is_the_bottleneck() {
        let none = Funnel {
            other_adoptions: 100.0,
            other_exposure: 10_000.0,
            ..Funnel::default()
        };
        assert_eq!(diagnosis(&none), Verdict::Audience);
        assert!(none.follower_conversion().is_nan());
    }

    #[test]
    fn the_funnel_sums_each_tick_against_the_one_before() {
        let r = |customers, prospect_followers, new_followers, follower_adoptions, all| {
            let mut new_by_source = [0.0; Source::COUNT];
            new_by_source[Source::External as usize] = all;
            TickRecord {
                customers,
                prospect_followers,
                new_followers,
                follower_adoptions,
                new_by_source,
                ..TickRecord::default()
            }
        };
        let records = [
            r(0.0, 10.0, 0.0, 0.0, 0.0),
            r(5.0, 20.0, 12.0, 2.0, 5.0),
            r(9.0, 25.0, 6.0, 1.0, 4.0),
        ];
        let f = Funnel::of(&records, 100, 1);
        assert_eq!(
            f,
            Funnel {
                new_followers: 18.0,
                follower_adoptions: 3.0,
                follower_exposure: 30.0,
                other_adoptions: 6.0,
                other_exposure: 90.0 + 75.0,
            }
        );
        assert_eq!(f.follower_conversion(), 0.1);
        // T = 2: the settled half is tick 2 alone, measured against tick 1.
        let late = Funnel::settled(&records, 100);
        assert_eq!(late, Funnel::of(&records, 100, 2));
        assert_eq!(
            late,
            Funnel {
                new_followers: 6.0,
                follower_adoptions: 1.0,
                follower_exposure: 20.0,
                other_adoptions: 3.0,
                other_exposure: 75.0,
            }
        );
    }

    #[test]
    fn the_community_share_counts_community_and_advocate_adoptions() {
        let mut by = [0u64; Source::COUNT];
        assert!(community_share(&by).is_nan());
        by[Source::Community as usize] = 2;
        by[Source::Advocate as usize] = 1;
        by[Source::PaidSocial as usize] = 9;
        assert_eq!(community_share(&by), 0.25);
    }

    #[test]
    fn each_code_has_its_sentence() {
        assert!(
            diagnosis_sentence(Verdict::Audience.code())
                .unwrap()
                .starts_with("audience")
        );
        assert!(
            diagnosis_sentence(Verdict::Conversion.code())
                .unwrap()
                .starts_with("conversion")
        );
        assert_eq!(diagnosis_sentence(0.0), None);
    }
}
