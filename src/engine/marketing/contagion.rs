//! Churn contagion (docs/MODEL.md §4.7.8; Nitzan & Libai 2011): a customer whose
//! in-neighbours defected recently churns more. Each agent carries an exposure e,
//! which each tick decays by 2^(−1/`half_life`) and adds the number of its
//! in-neighbours who churned in the previous tick; its churn hazard is multiplied by
//! 1 + `effect`·e. One defecting neighbour last tick raises the hazard by `effect`
//! (×1.8 at the default), half as much `half_life` ticks later.
//!
//! Every churn counts as a defection when it happens, a lapse later won back too (the
//! neighbours see the customer leave, not whether it will return); a win-back does not
//! undo the exposure it caused. The purchase pass (`purchase.rs`) reads and resets the
//! counts, applies the factor and pushes the tick's churners along their out-arcs
//! (cost proportional to the churners' degrees); the hazard itself is
//! `purchase::churn_hazard`.

use crate::scenario::marketing::Contagion;
use std::sync::atomic::AtomicU32;

/// Exposure below which it is set to 0, so that decay ends: its effect on the hazard
/// is then below `effect`·10⁻⁴.
const NEGLIGIBLE: f32 = 1e-4;

/// The factor that keeps a share of exposure per tick: 2^(−1/h) for half-life h > 0
/// ticks, so exposure halves in h ticks without new defections.
#[inline]
pub(super) fn exposure_decay(c: &Contagion) -> f32 {
    0.5f64.powf(1.0 / c.half_life.max(1e-9)) as f32
}

/// This tick's exposure: e·`decay` + `fresh`, the in-neighbours who churned last
/// tick; 0 once it falls below 10⁻⁴.
#[inline]
pub(super) fn exposure_after(exposure: f32, decay: f32, fresh: u32) -> f32 {
    let e = exposure * decay + fresh as f32;
    if e < NEGLIGIBLE { 0.0 } else { e }
}

/// Every agent of a run of agents takes in its in-neighbours who churned last tick,
/// `fresh` (its counter, reset as read): [`exposure_after`] with `decay`. Eight
/// agents at a time, in loops the compiler vectorises; a block of eight with no
/// exposure and nothing fresh (most of them) is read but not written, since
/// [`exposure_after`] leaves 0 at 0.
pub(super) fn take_in(exposure: &mut [f32], fresh: &mut [AtomicU32], decay: f32) {
    let take = |e: &mut [f32], f: &mut [AtomicU32]| {
        let held = e.iter().fold(0, |any, e| any | e.to_bits() & 0x7fff_ffff);
        if f.iter_mut().fold(held, |any, f| any | *f.get_mut()) == 0 {
            return;
        }
        for (e, f) in e.iter_mut().zip(f) {
            let f = std::mem::take(f.get_mut());
            // An agent with neither keeps its value as it is (±0).
            if f != 0 || *e != 0.0 {
                *e = exposure_after(*e, decay, f);
            }
        }
    };
    let mut fresh8 = fresh.chunks_exact_mut(8);
    let mut exposure8 = exposure.chunks_exact_mut(8);
    for (e, f) in (&mut exposure8).zip(&mut fresh8) {
        take(e, f);
    }
    take(exposure8.into_remainder(), fresh8.into_remainder());
}

/// The churn-hazard multiplier of exposure e: 1 + `effect`·e.
#[inline]
pub(super) fn contagion_factor(c: &Contagion, exposure: f32) -> f64 {
    1.0 + c.effect * exposure as f64
}

/// Whether contagion acts at all: `effect` > 0. Without it no exposure is kept and no
/// churner is pushed to its neighbours.
#[inline]
pub(super) fn active(c: &Contagion) -> bool {
    c.effect > 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_fresh_defecting_neighbour_raises_the_hazard_by_the_effect_exactly() {
        let c = Contagion::default();
        let e = exposure_after(0.0, exposure_decay(&c), 1);
        assert_eq!(e, 1.0);
        assert_eq!(contagion_factor(&c, e), 1.8);
        assert_eq!(contagion_factor(&c, 0.0), 1.0);
        // Two neighbours at once count twice.
        assert_eq!(
            contagion_factor(&c, exposure_after(0.0, 0.5, 2)),
            1.0 + 2.0 * 0.8
        );
    }

    #[test]
    fn exposure_halves_after_its_half_life() {
        let c = Contagion {
            effect: 0.8,
            half_life: 30.0,
        };
        let decay = exposure_decay(&c);
        let mut e = exposure_after(0.0, decay, 1);
        for _ in 0..30 {
            e = exposure_after(e, decay, 0);
        }
        assert!((e - 0.5).abs() < 1e-5, "{e}");
        assert!((contagion_factor(&c, e) - 1.4).abs() < 1e-5);
    }

    /// Taken in eight at a time, each agent's exposure is its own [`exposure_after`],
    /// and every counter is reset: blocks with nothing, with something, and a short
    /// last block.
    #[test]
    fn exposures_taken_in_by_blocks_are_each_agents_own() {
        let n = 8 * 40 + 5;
        let old: Vec<f32> = (0..n)
            .map(|i| match i % 23 {
                0 => 3.5,
                1 => 1e-4,
                2 => -0.0,
                _ if i < 8 * 20 => 0.0,
                _ => (i % 7) as f32 * 0.25,
            })
            .collect();
        let counts: Vec<u32> = (0..n)
            .map(|i| (i % 31 == 4) as u32 * (i as u32 % 3 + 1))
            .collect();
        let mut exposure = old.clone();
        let mut fresh: Vec<AtomicU32> = counts.iter().map(|&c| AtomicU32::new(c)).collect();
        take_in(&mut exposure, &mut fresh, 0.75);
        for i in 0..n {
            let want = if old[i] == 0.0 && counts[i] == 0 {
                old[i]
            } else {
                exposure_after(old[i], 0.75, counts[i])
            };
            assert_eq!(exposure[i].to_bits(), want.to_bits(), "agent {i}");
            assert_eq!(*fresh[i].get_mut(), 0, "agent {i}");
        }
        assert!(exposure.iter().filter(|&&e| e > 1.0).count() > 5);
    }

    #[test]
    fn negligible_exposure_ends() {
        assert_eq!(exposure_after(1e-4, 0.5, 0), 0.0);
        assert_eq!(exposure_after(0.0, 0.5, 0), 0.0);
        assert!(!active(&Contagion {
            effect: 0.0,
            ..Contagion::default()
        }));
        assert!(active(&Contagion::default()));
    }
}
