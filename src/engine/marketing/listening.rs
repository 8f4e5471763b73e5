//! Listening and the customer map (docs/MODEL.md §4.7.13): Weber's first step. While
//! the `listen` action runs (pass 1) the firm learns its customer map k in [0, 1] —
//! who its customers are (personas, involvement) and where they talk. The map sharpens
//! paid targeting (passes 2 and 3, `exposure.rs`) and places recruitment campaigns
//! (pass 1, `firm.rs`); a firm with k = 0 targets and recruits as if blind. The stock
//! lives in the firm (`firm.rs`); what targeting and recruitment are is left to their
//! own modules.

use crate::scenario::marketing::Listening;

/// The customer map after one tick of listening: k + `rate`·(1 − k), within [0, 1]
/// (each tick maps a share `rate` of what is still unknown).
pub(super) fn learnt(l: &Listening, map: f64) -> f64 {
    (map + l.rate * (1.0 - map)).clamp(0.0, 1.0)
}

/// A paid-targeting weight w as a firm with customer map k applies it: w^k. The
/// firm's preference between two agents is the true one raised to k: 1 for everyone
/// (random targeting) at k = 0, w (the targeting the scenario names) at k = 1.
#[inline]
pub(super) fn mapped_weight(weight: f64, map: f64) -> f64 {
    if map >= 1.0 || weight == 1.0 {
        weight
    } else if map <= 0.0 {
        1.0
    } else {
        weight.powf(map)
    }
}

/// A recruitment campaign's multiplier m as a firm with customer map k places it:
/// 1 + k·(m − 1). Knowing where its customers talk, the firm reaches them; blind, its
/// campaign money is spent where nobody who would join is listening.
#[inline]
pub(super) fn placed_campaign(multiplier: f64, map: f64) -> f64 {
    1.0 + map.clamp(0.0, 1.0) * (multiplier - 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listening_maps_a_share_of_what_is_unknown() {
        let l = Listening {
            rate: 0.1,
            ..Listening::default()
        };
        assert!((learnt(&l, 0.0) - 0.1).abs() < 1e-15);
        assert!((learnt(&l, 0.5) - 0.55).abs() < 1e-15);
        assert_eq!(learnt(&l, 1.0), 1.0);
        let mut k = 0.0;
        for _ in 0..22 {
            k = learnt(&l, k);
        }
        // 1 − 0.9²² ≈ 0.902: ninety per cent of the map in 22 ticks at rate 0.1.
        assert!((k - (1.0 - 0.9f64.powi(22))).abs() < 1e-12);
    }

    #[test]
    fn a_blind_firm_targets_at_random_and_a_mapped_one_by_the_weight() {
        assert_eq!(mapped_weight(3.0, 0.0), 1.0);
        assert_eq!(mapped_weight(0.2, 0.0), 1.0);
        assert_eq!(mapped_weight(3.0, 1.0), 3.0);
        assert!((mapped_weight(9.0, 0.5) - 3.0).abs() < 1e-12);
        assert!(mapped_weight(3.0, 0.3) < mapped_weight(3.0, 0.6));
        // Weights below 1 (lookalike) are lifted toward 1 alike.
        assert!(mapped_weight(0.2, 0.3) > mapped_weight(0.2, 0.6));
    }

    #[test]
    fn a_blind_firm_s_campaign_adds_nothing() {
        assert_eq!(placed_campaign(4.0, 0.0), 1.0);
        assert_eq!(placed_campaign(4.0, 1.0), 4.0);
        assert_eq!(placed_campaign(4.0, 0.5), 2.5);
        assert_eq!(placed_campaign(1.0, 0.5), 1.0);
    }
}
