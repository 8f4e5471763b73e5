//! Axes: nice steps, tick marks and their labels, and the plotters coordinate that
//! draws exactly those marks.

use super::ColourBar;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use std::ops::Range;

/// One axis: its label, its plotted range, and its tick marks with their labels. Log
/// axes hold log10 of the data; the builders transform their points.
#[derive(Clone, Debug)]
pub struct Axis {
    pub label: String,
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<(f64, String)>,
    pub minor: Vec<f64>,
}

/// A "nice" step (1, 2, 2.5 or 5 times a power of ten) of at least `raw`.
pub fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * mag >= raw * (1.0 - 1e-9) {
            return m * mag;
        }
    }
    10.0 * mag
}

/// The fewest decimals that write multiples of `step` exactly.
pub(super) fn decimals_for(step: f64) -> usize {
    let step = step.abs();
    if !(step.is_finite() && step > 0.0) {
        return 0;
    }
    (0..7)
        .find(|&d| {
            let s = step * 10f64.powi(d as i32);
            (s - s.round()).abs() < 1e-6 * s.max(1.0)
        })
        .unwrap_or(6)
}

pub fn thousands(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    let zero = s.chars().all(|c| c == '0' || c == '.');
    if v < 0.0 && !zero {
        format!("-{out}")
    } else {
        out
    }
}

/// A tick label for `v` on an axis with ticks `step` apart and values up to `maxabs`.
pub fn tick_label(v: f64, step: f64, maxabs: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else if maxabs >= 1e6 {
        let d = decimals_for(step / 1e6).min(3);
        format!("{}M", thousands(v / 1e6, d))
    } else {
        thousands(v, decimals_for(step).min(6))
    }
}

/// A value written with about three significant figures, for cells and annotations.
pub fn value_label(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let a = v.abs();
    if a >= 1e6 {
        format!("{}M", thousands(v / 1e6, 2))
    } else if a >= 1000.0 {
        thousands(v, 0)
    } else if a >= 100.0 {
        thousands(v, 1)
    } else if a >= 1.0 {
        thousands(v, 2)
    } else if a == 0.0 {
        "0".to_string()
    } else {
        let d = (2 - a.log10().floor() as i32).clamp(3, 8) as usize;
        thousands(v, d)
    }
}

/// A value written precisely enough to tell apart values `resolution` apart (cells of
/// a heatmap whose values differ little), in one style for every value up to
/// `largest` in size, so cells of one chart read alike.
pub fn value_label_at(v: f64, resolution: f64, largest: f64) -> String {
    if !(resolution.is_finite() && resolution > 0.0 && v.is_finite()) {
        return value_label(v);
    }
    let decimals = |r: f64| (-(r.log10().floor())).clamp(0.0, 6.0) as usize;
    let a = largest.abs().max(v.abs());
    if a >= 1e6 && resolution >= 1e4 {
        format!("{}M", thousands(v / 1e6, decimals(resolution / 1e6)))
    } else if a >= 100.0 && resolution >= 1.0 {
        thousands(v, 0)
    } else {
        thousands(v, decimals(resolution).max(if a < 1.0 { 2 } else { 0 }))
    }
}

impl Axis {
    /// A linear axis covering [min, max] (and 0 when `zero`), widened to whole ticks.
    pub fn linear(label: impl Into<String>, min: f64, max: f64, zero: bool) -> Axis {
        let (mut min, mut max) = if min.is_finite() && max.is_finite() {
            (min, max)
        } else {
            (0.0, 1.0)
        };
        if zero {
            min = min.min(0.0);
            max = max.max(0.0);
        }
        if max - min <= f64::EPSILON * max.abs().max(1.0) {
            let pad = if max.abs() > 0.0 {
                max.abs() * 0.1
            } else {
                1.0
            };
            if zero && min >= 0.0 {
                max += pad;
            } else {
                min -= pad;
                max += pad;
            }
        }
        // A sliver below (above) zero, under half a percent of the span, is not worth a
        // whole extra tick: the curve would leave the area by under a pixel.
        let span = max - min;
        if min < 0.0 && max > 0.0 && -min < 0.005 * span {
            min = 0.0;
        }
        if max > 0.0 && min < 0.0 && max < 0.005 * span {
            max = 0.0;
        }
        let step = nice_step((max - min) / 6.0);
        // Likewise a sliver past a tick mark does not open a whole new tick.
        let tol = 0.004 * (max - min) / step;
        let lo = (min / step + tol.max(1e-9)).floor() * step;
        let hi = (max / step - tol.max(1e-9)).ceil() * step;
        Axis::with_ticks(label, lo, hi, step)
    }

    /// A linear axis on exactly [lo, hi] with nice ticks inside.
    pub fn span(label: impl Into<String>, lo: f64, hi: f64) -> Axis {
        let hi = if hi > lo { hi } else { lo + 1.0 };
        let step = nice_step((hi - lo) / 8.0);
        Axis::with_ticks(label, lo, hi, step)
    }

    fn with_ticks(label: impl Into<String>, lo: f64, hi: f64, step: f64) -> Axis {
        let ticks = labelled_ticks(lo, hi, step);
        Axis {
            label: label.into(),
            lo,
            hi,
            ticks,
            minor: Vec::new(),
        }
    }

    /// A log10 axis for data in [min, max] (both > 0); points must be given as log10.
    pub fn log10(label: impl Into<String>, min: f64, max: f64) -> Axis {
        let (l0, l1) = if min > 0.0 && max >= min {
            (min.log10(), max.log10())
        } else {
            (0.0, 1.0)
        };
        let pad = if l1 - l0 < 0.3 {
            0.5
        } else {
            ((l1 - l0) * 0.06).max(0.15)
        };
        let (lo, hi) = (l0 - pad, l1 + pad);
        let in_range = |v: f64| v >= lo - 1e-12 && v <= hi + 1e-12;
        let decade = |mults: &[f64]| -> Vec<f64> {
            let mut out = Vec::new();
            for k in (lo.floor() as i32)..=(hi.ceil() as i32) {
                for &m in mults {
                    let v = (m * 10f64.powi(k)).log10();
                    if in_range(v) {
                        out.push(v);
                    }
                }
            }
            out
        };
        let mut major = decade(&[1.0]);
        if major.len() < 2 {
            major = decade(&[1.0, 2.0, 5.0]);
        }
        if major.len() < 2 {
            major = decade(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
        }
        let minor = decade(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
            .into_iter()
            .filter(|v| !major.iter().any(|m| (m - v).abs() < 1e-9))
            .collect();
        let ticks = major
            .into_iter()
            .map(|l| {
                let v = 10f64.powf(l);
                let label = if v >= 1.0 {
                    thousands(v.round(), 0)
                } else {
                    let d = (-l).ceil().max(0.0) as usize;
                    thousands(v, d)
                };
                (l, label)
            })
            .collect();
        Axis {
            label: label.into(),
            lo,
            hi,
            ticks,
            minor,
        }
    }

    /// Categories at 0, 1, ..., n-1, labelled with `names`.
    pub fn categories(label: impl Into<String>, names: &[String]) -> Axis {
        Axis {
            label: label.into(),
            lo: -0.5,
            hi: names.len().max(1) as f64 - 0.5,
            ticks: names
                .iter()
                .enumerate()
                .map(|(i, n)| (i as f64, n.clone()))
                .collect(),
            minor: Vec::new(),
        }
    }

    pub(super) fn label_at(&self, v: f64) -> String {
        let tol = (self.hi - self.lo).abs() * 1e-9;
        self.ticks
            .iter()
            .find(|(t, _)| (t - v).abs() <= tol)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    }
}

/// A linear f64 coordinate whose tick marks (bold mesh lines) and minor marks (light
/// ones) are exactly the axis's own.
#[derive(Clone)]
pub(super) struct Ticked {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
    minor: Vec<f64>,
}

impl Ticked {
    pub(super) fn of(axis: &Axis) -> Ticked {
        Ticked {
            lo: axis.lo,
            hi: axis.hi,
            ticks: axis.ticks.iter().map(|t| t.0).collect(),
            minor: axis.minor.clone(),
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let f = (v - self.lo) / (self.hi - self.lo);
        limit.0 + (f * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.minor.clone()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

pub(super) type Coord = Cartesian2d<Ticked, Ticked>;

pub(super) fn colour_bar_axis(bar: &ColourBar) -> Axis {
    let (lo, hi) = if bar.hi > bar.lo {
        (bar.lo, bar.hi)
    } else {
        (bar.lo - 1.0, bar.lo + 1.0)
    };
    let step = nice_step((hi - lo) / 5.0);
    Axis {
        label: bar.label.clone(),
        lo,
        hi,
        ticks: labelled_ticks(lo, hi, step),
        minor: Vec::new(),
    }
}

/// The most tick marks an axis draws.
pub(super) const MAX_TICKS: f64 = 100.0;

/// Labelled multiples of `step` within [lo, hi]. A span too wide for its step (one
/// that overflows, or bounds that are not finite) gets its two ends alone, so no
/// axis can ask for more than [`MAX_TICKS`] marks.
pub(super) fn labelled_ticks(lo: f64, hi: f64, step: f64) -> Vec<(f64, String)> {
    let maxabs = lo.abs().max(hi.abs());
    let first = (lo / step - 1e-9).ceil();
    let last = (hi / step + 1e-9).floor();
    let count = last - first;
    let bounded =
        step > 0.0 && first.is_finite() && last.is_finite() && (0.0..=MAX_TICKS).contains(&count);
    if !bounded {
        let mut ends: Vec<f64> = [lo, hi].into_iter().filter(|v| v.is_finite()).collect();
        ends.dedup();
        return ends.into_iter().map(|v| (v, value_label(v))).collect();
    }
    (first as i64..=last as i64)
        .map(|k| {
            let v = k as f64 * step;
            (v, tick_label(v, step, maxabs))
        })
        .collect()
}
