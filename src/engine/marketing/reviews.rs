//! Surveys and the review stock (docs/MODEL.md §4.7.1 "Surveys and reviews", §4.7.2
//! step 3, §4.7.3 "Reviews", §4.7.6 "Surveys", §4.7.11 "Review stock"): the firm
//! surveys a share of its customers and asks promoters, and under `ask = "all"`
//! detractors too, to post a review, which speaks for its author next tick; promoters
//! and detractors also post unasked. Every review joins the firm's decaying stock of
//! positive and negative reviews, which strangers read and whose rating and count
//! every prospect weighs. The surveys and unasked reviews happen in the community
//! pass, the review talk in the talk pass, the reading in the exposure pass, the
//! stock's update in `firm.rs` (booking) and its utility term in the purchase pass.

use super::record::{is_detractor, is_promoter};
use super::talk::Message;
use crate::population::Source;
use crate::scenario::marketing::{Ask, ReviewStock, Reviews};

/// What a surveyed customer does about a review.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Solicited {
    /// Posts a review: +1 positive (a promoter), −1 negative (a detractor).
    Posts(i8),
    /// A detractor the firm did not ask (`ask = "promoters"`).
    NotAsked,
    /// Not asked (a passive), or declined.
    Nothing,
}

/// A surveyed customer of satisfaction `s`: a promoter (NPS 9–10) is invited and a
/// detractor (0–6) too under `ask = "all"`; an invited customer posts with chance
/// `acceptance` (uniform draw `u`), with the sign of its opinion. Passives have
/// nothing to review (Anderson 1998: the indifferent talk least).
pub(super) fn solicited_review(p: &Reviews, satisfaction: f32, u: f64) -> Solicited {
    let sign = if is_promoter(satisfaction) {
        1
    } else if is_detractor(satisfaction) {
        if p.ask == Ask::Promoters {
            return Solicited::NotAsked;
        }
        -1
    } else {
        return Solicited::Nothing;
    };
    if u < p.acceptance {
        Solicited::Posts(sign)
    } else {
        Solicited::Nothing
    }
}

/// A customer's unasked review this tick, on uniform draw `u`: +1 for a promoter with
/// chance `unsolicited_positive`, −1 for a detractor with chance
/// `unsolicited_negative`, else 0 (Hu, Pavlou & Zhang 2009: those who review are the
/// very pleased and the very displeased).
pub(super) fn unsolicited_review(m: &ReviewStock, satisfaction: f32, u: f64) -> i8 {
    if is_promoter(satisfaction) && u < m.unsolicited_positive {
        1
    } else if is_detractor(satisfaction) && u < m.unsolicited_negative {
        -1
    } else {
        0
    }
}

/// The stock after a tick: `stock`·2^(−1/`half_life`) + `new`.
pub(super) fn stock_after(m: &ReviewStock, stock: f64, new: u64) -> f64 {
    stock * 0.5f64.powf(1.0 / m.half_life) + new as f64
}

/// The rating a site shows: the share of positive reviews in the stock, NaN without
/// reviews.
pub(super) fn rating(positive: f64, negative: f64) -> f64 {
    if positive + negative > 0.0 {
        positive / (positive + negative)
    } else {
        f64::NAN
    }
}

/// The rating prospects weigh: positive/(positive + `negative_weight`·negative), a
/// negative review outweighing `negative_weight` positive ones (Chevalier & Mayzlin
/// 2006); `neutral_rating` without reviews.
pub(super) fn weighed_rating(m: &ReviewStock, positive: f64, negative: f64) -> f64 {
    let weighed = positive + m.negative_weight * negative;
    if weighed > 0.0 {
        positive / weighed
    } else {
        m.neutral_rating
    }
}

/// The reviews' term in the brand's utility (Chevalier & Mayzlin 2006: rating and
/// count both matter): `rating_weight`·(weighed rating − `neutral_rating`)·(1 −
/// e^(−count/`count_scale`)), count = positive + negative.
pub(super) fn review_term(m: &ReviewStock, positive: f64, negative: f64) -> f64 {
    let count = positive + negative;
    let volume = 1.0 - (-count / m.count_scale).exp();
    m.rating_weight * (weighed_rating(m, positive, negative) - m.neutral_rating) * volume
}

/// Stranger readings this tick of one valence: the stock's reviews, `read_rate`
/// each, plus last tick's solicited reviews, `readers` each (the firm shows them).
pub(super) fn stock_reads(m: &ReviewStock, stock: f64, readers: f64, solicited: u64) -> f64 {
    stock * m.read_rate + solicited as f64 * readers
}

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

/// Whether a reading reads a negative review: a uniform `u` below the share of
/// negative readings.
#[inline]
pub(super) fn reads_negative(u: f64, negative_share: f64) -> bool {
    u < negative_share
}

/// An agent's chance of reading a review this tick when `reads` readings fall at random
/// on `n` agents: 1 − exp(−reads/n).
pub(super) fn review_read_chance(reads: f64, n: f64) -> f64 {
    1.0 - (-reads / n).exp()
}

/// A reviewer's message to its neighbours: the sign of its review (`sign`), on the
/// review channel, at `credibility`.
#[inline]
pub(super) fn review_message(p: Option<&Reviews>, sign: i8) -> Message {
    Message {
        sign,
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
        let m = ReviewStock {
            read_rate: 0.1,
            ..ReviewStock::default()
        };
        assert_eq!(stock_reads(&m, 100.0, 20.0, 3), 70.0);
        assert_eq!(
            review_read_chance(stock_reads(&m, 0.0, 20.0, 0), 1000.0),
            0.0
        );
        let few = review_read_chance(stock_reads(&m, 5.0, 20.0, 0), 1000.0);
        let many = review_read_chance(stock_reads(&m, 50.0, 20.0, 0), 1000.0);
        assert!(0.0 < few && few < many && many < 1.0);
        assert!(reads_negative(0.2, 0.25) && !reads_negative(0.25, 0.25));
    }

    #[test]
    fn asking_only_promoters_leaves_detractors_unasked() {
        let all = Reviews {
            acceptance: 0.3,
            ..Reviews::default()
        };
        let promoters = Reviews {
            ask: Ask::Promoters,
            ..all.clone()
        };
        assert_eq!(solicited_review(&all, 0.95, 0.1), Solicited::Posts(1));
        assert_eq!(solicited_review(&all, 0.5, 0.1), Solicited::Posts(-1));
        assert_eq!(solicited_review(&all, 0.5, 0.3), Solicited::Nothing);
        assert_eq!(solicited_review(&all, 0.75, 0.0), Solicited::Nothing);
        assert_eq!(solicited_review(&promoters, 0.95, 0.1), Solicited::Posts(1));
        assert_eq!(solicited_review(&promoters, 0.5, 0.1), Solicited::NotAsked);
        assert_eq!(solicited_review(&promoters, 0.5, 0.9), Solicited::NotAsked);
    }

    #[test]
    fn promoters_and_detractors_post_unasked_at_their_rates() {
        let m = ReviewStock {
            unsolicited_positive: 0.01,
            unsolicited_negative: 0.02,
            ..ReviewStock::default()
        };
        assert_eq!(unsolicited_review(&m, 0.95, 0.005), 1);
        assert_eq!(unsolicited_review(&m, 0.95, 0.015), 0);
        assert_eq!(unsolicited_review(&m, 0.3, 0.015), -1);
        assert_eq!(unsolicited_review(&m, 0.3, 0.02), 0);
        assert_eq!(unsolicited_review(&m, 0.75, 0.0), 0);
    }

    #[test]
    fn the_stock_halves_every_half_life() {
        let m = ReviewStock {
            half_life: 1.0,
            ..ReviewStock::default()
        };
        assert_eq!(stock_after(&m, 10.0, 3), 8.0);
        assert!(rating(0.0, 0.0).is_nan());
        assert_eq!(rating(3.0, 1.0), 0.75);
    }

    #[test]
    fn a_negative_review_outweighs_a_positive_one_and_count_matters() {
        let m = ReviewStock {
            rating_weight: 1.0,
            neutral_rating: 0.5,
            negative_weight: 2.0,
            count_scale: 50.0,
            ..ReviewStock::default()
        };
        assert_eq!(review_term(&m, 0.0, 0.0), 0.0);
        // Two positives per negative weigh as neutral.
        assert_eq!(weighed_rating(&m, 20.0, 10.0), 0.5);
        assert!(review_term(&m, 20.0, 10.0).abs() < 1e-15);
        // The same 3:1 rating counts more with more reviews.
        let few = review_term(&m, 3.0, 1.0);
        let many = review_term(&m, 300.0, 100.0);
        assert!(0.0 < few && few < many);
        assert!((many - 0.1).abs() < 1e-3);
        // One more negative review lowers the term more than one more positive raises it.
        let base = review_term(&m, 30.0, 10.0);
        assert!(base - review_term(&m, 30.0, 11.0) > review_term(&m, 31.0, 10.0) - base);
    }

    #[test]
    fn a_review_speaks_positively_on_its_own_channel() {
        let p = Reviews {
            credibility: 0.7,
            ..Reviews::default()
        };
        let m = review_message(Some(&p), 1);
        assert_eq!((m.sign, m.source), (1, Source::Review as u8));
        assert_eq!(review_message(Some(&p), -1).sign, -1);
        assert_eq!(m.credibility, 0.7f32);
    }
}
