//! Sums over agents that do not depend on the order the agents are added in, so that
//! a run on renumbered agents (`network.order`, `renumbering.rs`) records the same
//! sums, bit for bit, as the run it renumbers; a plain f64 sum rounds after each add
//! and so depends on the order.
//!
//! Each value is truncated toward zero to a multiple of 2^-40 and added exactly as an
//! integer; the total is rounded to f64 once, when read. A value of at least 2^-12 in
//! magnitude (an f32 of at least 2^-16) is already such a multiple and is added
//! exactly; a smaller one loses less than 2^-40 ≈ 9.1e-13. Values of 2^60 or more in
//! magnitude, infinities and NaN are added apart in f64 (a NaN or an infinity gives
//! the same total in any order).

/// An order-independent sum of f64 values (see the module's comment).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct ExactSum {
    /// The sum of the values in units of 2^-40.
    units: i128,
    /// The sum of the values too large, or not finite, to count in units.
    apart: f64,
}

/// Units per 1.
const SCALE: f64 = (1u64 << 40) as f64;

/// Values of at most this many units are converted through i64 (one instruction).
const FAST: f64 = 9.223_372_036_854_775e18; // 2^63

/// Values of this many units or more are summed apart: below it, 2^27 of them fit in
/// the i128 of units.
const LARGE: f64 = 1.267_650_600_228_229_4e30; // 2^100

impl ExactSum {
    /// Adds `x`.
    #[inline(always)]
    pub(super) fn add(&mut self, x: f64) {
        let y = x * SCALE;
        if y.abs() < FAST {
            self.units += y as i64 as i128;
        } else if y.abs() < LARGE {
            self.units += y as i128;
        } else {
            self.apart += x;
        }
    }

    /// This sum and `other`'s.
    #[inline]
    pub(super) fn plus(self, other: ExactSum) -> ExactSum {
        ExactSum {
            units: self.units + other.units,
            apart: self.apart + other.apart,
        }
    }

    /// The sum, rounded to the nearest f64.
    pub(super) fn value(self) -> f64 {
        self.units as f64 / SCALE + self.apart
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{Purpose, StreamKey};

    fn of(values: impl IntoIterator<Item = f64>) -> ExactSum {
        let mut s = ExactSum::default();
        values.into_iter().for_each(|x| s.add(x));
        s
    }

    /// 100,000 values of mixed signs and magnitudes (f32 values in [0, 1], prices,
    /// tiny decayed values) give the same bits in their order, reversed and split
    /// into pieces summed apart, where a plain f64 sum does not.
    #[test]
    fn the_sum_is_the_same_in_any_order() {
        let mut rng = StreamKey::new(4, 0, 0, Purpose::Traits).agent(0);
        let values: Vec<f64> = (0..100_000)
            .map(|i| match i % 4 {
                0 => rng.unit() as f32 as f64,
                1 => (rng.unit() * 200.0).round() / 100.0 * 49.99,
                2 => -rng.unit() * 1e3,
                _ => rng.unit() * 1e-9,
            })
            .collect();
        let forward = of(values.iter().copied());
        let reversed = of(values.iter().rev().copied());
        let pieces = values
            .chunks(777)
            .rev()
            .map(|c| of(c.iter().copied()))
            .fold(ExactSum::default(), ExactSum::plus);
        assert_eq!(forward, reversed);
        assert_eq!(forward, pieces);
        assert_eq!(forward.value().to_bits(), pieces.value().to_bits());
        let plain = |v: &mut dyn Iterator<Item = f64>| v.sum::<f64>();
        assert_ne!(
            plain(&mut values.iter().copied()).to_bits(),
            plain(&mut values.iter().rev().copied()).to_bits(),
            "a plain sum that happens not to depend on the order proves nothing"
        );
        // Close to the plain sum, whose rounding errors are larger than the 2^-40 or
        // less each value loses here.
        let exact = forward.value();
        let sum = plain(&mut values.iter().copied());
        assert!((exact - sum).abs() < 1e-12 * sum.abs(), "{exact} {sum}");
    }

    /// Values that are multiples of 2^-40 add exactly; smaller ones are truncated
    /// toward zero; large ones, infinities and NaN are summed apart.
    #[test]
    fn units_large_values_and_nan() {
        assert_eq!(of([0.5, 0.25, -0.125]).value(), 0.625);
        assert_eq!(of([0.1f32 as f64; 10]).value(), 10.0 * (0.1f32 as f64));
        assert_eq!(of([1e-13, 1e-13, 1e-13]).value(), 0.0);
        assert_eq!(of([-1e-13]).value(), 0.0);
        assert_eq!(of([1e7, 1.5]).value(), 10_000_001.5);
        assert_eq!(of([1e25, 1.0]).value(), 1e25 + 1.0);
        assert_eq!(of([1e40, 1.0]).value(), 1e40);
        assert!(of([1.0, f64::NAN]).value().is_nan());
        assert_eq!(of([1.0, f64::INFINITY]).value(), f64::INFINITY);
        assert_eq!(ExactSum::default().value().to_bits(), 0f64.to_bits());
    }
}
