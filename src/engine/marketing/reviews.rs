//! Surveys and promoter reviews (docs/MODEL.md §4.7.1 "Surveys and reviews", §4.7.2
//! step 3, §4.7.3 "Reviews", §4.7.6 "Surveys"): the firm surveys a share of its
//! customers; promoters among them may post a review, which speaks for them next tick
//! and is read by strangers. The surveys run in the community pass, the review talk in
//! the talk pass and the reading in the exposure pass.

use super::talk::Message;
use crate::population::Source;
use crate::scenario::marketing::Reviews;

/// A survey runs every `survey_interval` ticks.
pub(super) fn survey_due(p: &Reviews, t: u32) -> bool {
    t.is_multiple_of(p.survey_interval.max(1))
}

/// The survey's expected cost, paid up front so the reserve never goes negative:
/// `survey_share` × customers at t−1 × `survey_cost`.
pub(super) fn survey_prepayment(p: &Reviews, customers: u64) -> f64 {
    p.survey_share * customers as f64 * p.survey_cost
}

/// The survey's actual cost: `survey_cost` per customer surveyed.
pub(super) fn survey_cost(p: &Reviews, surveyed: u64) -> f64 {
    p.survey_cost * surveyed as f64
}

/// What returns to the reserve when the survey is settled: the unused prepayment.
pub(super) fn survey_refund(prepaid: f64, cost: f64) -> f64 {
    (prepaid - cost).max(0.0)
}

/// Stranger readings of last tick's reviews: `readers` per review.
pub(super) fn review_reads(p: &Reviews, reviews: u64) -> f64 {
    reviews as f64 * p.readers
}

/// An agent's chance of reading a review this tick when `reads` readings fall at random
/// on `n` agents: 1 − exp(−reads/n).
pub(super) fn review_read_chance(reads: f64, n: f64) -> f64 {
    1.0 - (-reads / n).exp()
}

/// A reviewer's message: positive, on the review channel, at `credibility`.
#[inline]
pub(super) fn review_message(p: Option<&Reviews>) -> Message {
    Message {
        sign: 1,
        source: Source::Review as u8,
        credibility: p.map_or(0.0, |r| r.credibility) as f32,
        ..Message::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unused_survey_money_is_refunded() {
        let p = Reviews {
            survey_share: 0.2,
            survey_cost: 0.5,
            ..Reviews::default()
        };
        let prepaid = survey_prepayment(&p, 1000);
        assert_eq!(prepaid, 100.0);
        assert_eq!(survey_refund(prepaid, survey_cost(&p, 180)), 10.0);
        assert_eq!(survey_refund(prepaid, survey_cost(&p, 220)), 0.0);
    }

    #[test]
    fn surveys_run_on_their_interval() {
        let p = Reviews {
            survey_interval: 30,
            ..Reviews::default()
        };
        assert!(survey_due(&p, 60) && !survey_due(&p, 59));
        let every_tick = Reviews {
            survey_interval: 0,
            ..Reviews::default()
        };
        assert!(survey_due(&every_tick, 7));
    }

    #[test]
    fn more_reviews_reach_more_strangers() {
        let p = Reviews {
            readers: 20.0,
            ..Reviews::default()
        };
        assert_eq!(review_read_chance(review_reads(&p, 0), 1000.0), 0.0);
        let few = review_read_chance(review_reads(&p, 5), 1000.0);
        let many = review_read_chance(review_reads(&p, 50), 1000.0);
        assert!(0.0 < few && few < many && many < 1.0);
    }

    #[test]
    fn a_review_speaks_positively_on_its_own_channel() {
        let p = Reviews {
            credibility: 0.7,
            ..Reviews::default()
        };
        let m = review_message(Some(&p));
        assert_eq!((m.sign, m.source), (1, Source::Review as u8));
        assert_eq!(m.credibility, 0.7f32);
    }
}
