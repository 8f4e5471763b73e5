//! The brand's reputation (docs/MODEL.md §4.7.12): a firm-level stock R in [−1, 1]
//! that every tick moves toward the valence of what the market heard of the brand —
//! new reviews, word of mouth, and the community's responsiveness — and forgets at a
//! half-life; it shifts every prospect's utility by `weight`·R. It is the brand's,
//! not an agent's: agents' social-capital `reputation` is in `community.rs`. The
//! stock is updated when the tick is booked (`firm.rs`), read in the purchase pass.

use crate::scenario::marketing::BrandReputation;

/// What the market heard of the brand in one tick, counted in the tallies.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Signals {
    /// New positive and negative reviews.
    pub reviews: (u64, u64),
    /// Positive and negative word-of-mouth messages received.
    pub word_of_mouth: (u64, u64),
    /// Contributions to the community and how many the firm answered.
    pub contributions: u64,
    pub answered: u64,
}

/// The valence of `positive` and `negative` counts: (p − n)/(p + n) in [−1, 1], None
/// when there are none.
pub(super) fn valence(positive: u64, negative: u64) -> Option<f64> {
    let total = positive + negative;
    (total > 0).then(|| (positive as f64 - negative as f64) / total as f64)
}

/// The community's responsiveness as a valence: 2·answered/contributions − 1, so a
/// community answered in full says +1 and one left unanswered −1; None without
/// contributions.
pub(super) fn responsiveness(contributions: u64, answered: u64) -> Option<f64> {
    (contributions > 0)
        .then(|| 2.0 * answered.min(contributions) as f64 / contributions as f64 - 1.0)
}

/// A tick's signal: the mean of the valences present, weighted by `reviews`,
/// `word_of_mouth` and `community`; None when no weighted signal is present.
pub(super) fn signal(p: &BrandReputation, s: &Signals) -> Option<f64> {
    let parts = [
        (p.reviews, valence(s.reviews.0, s.reviews.1)),
        (
            p.word_of_mouth,
            valence(s.word_of_mouth.0, s.word_of_mouth.1),
        ),
        (p.community, responsiveness(s.contributions, s.answered)),
    ];
    let (mut sum, mut weight) = (0.0, 0.0);
    for (w, v) in parts {
        if let Some(v) = v {
            sum += w * v;
            weight += w;
        }
    }
    (weight > 0.0).then(|| sum / weight)
}

/// The stock after a tick: d·R + (1 − d)·signal with d = 2^(−1/`half_life`), or d·R
/// without a signal (silence is forgotten toward 0). Stays in [−1, 1].
pub(super) fn updated(p: &BrandReputation, r: f64, signal: Option<f64>) -> f64 {
    let d = 0.5f64.powf(1.0 / p.half_life);
    (d * r + (1.0 - d) * signal.unwrap_or(0.0)).clamp(-1.0, 1.0)
}

/// The reputation's term in the brand's utility: `weight`·R.
pub(super) fn reputation_term(p: &BrandReputation, r: f64) -> f64 {
    p.weight * r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> BrandReputation {
        BrandReputation {
            half_life: 1.0,
            weight: 0.5,
            reviews: 1.0,
            word_of_mouth: 1.0,
            community: 2.0,
        }
    }

    #[test]
    fn valence_is_the_balance_of_positive_over_all() {
        assert_eq!(valence(0, 0), None);
        assert_eq!(valence(3, 1), Some(0.5));
        assert_eq!(valence(0, 4), Some(-1.0));
        assert_eq!(responsiveness(0, 0), None);
        assert_eq!(responsiveness(10, 10), Some(1.0));
        assert_eq!(responsiveness(10, 0), Some(-1.0));
        assert_eq!(responsiveness(4, 1), Some(-0.5));
    }

    #[test]
    fn the_signal_weighs_the_valences_present() {
        let p = p();
        assert_eq!(signal(&p, &Signals::default()), None);
        let heard = Signals {
            word_of_mouth: (3, 1),
            ..Signals::default()
        };
        assert_eq!(signal(&p, &heard), Some(0.5));
        // Word of mouth +0.5 (weight 1), an unanswered community −1 (weight 2).
        let ignored = Signals {
            contributions: 8,
            answered: 0,
            ..heard
        };
        assert_eq!(signal(&p, &ignored), Some((0.5 - 2.0) / 3.0));
        let reviews = Signals {
            reviews: (0, 2),
            ..heard
        };
        assert_eq!(signal(&p, &reviews), Some(-0.25));
    }

    #[test]
    fn the_stock_moves_halfway_to_the_signal_each_half_life_and_stays_bounded() {
        let p = p();
        assert_eq!(updated(&p, 0.0, Some(1.0)), 0.5);
        assert_eq!(updated(&p, 0.5, None), 0.25);
        assert_eq!(updated(&p, -1.0, Some(-1.0)), -1.0);
        assert_eq!(reputation_term(&p, -0.4), -0.2);
    }
}
