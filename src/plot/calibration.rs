//! The chart of `murmur calibrate` (fit.csv): per fitted column, one panel with the
//! observations as points, the calibrated scenario's mean series as a line and the
//! 95% band of the posterior-predictive runs behind them.

use super::data::Table;
use super::figure::{Axis, Figure, Layer, LegendEntry, Panel, Swatch, colour};
use super::{Manifest, PlotError};

/// The fit chart, or `None` when the file has no rows.
pub(super) fn figure(t: &Table, m: &Manifest) -> Result<Option<Figure>, PlotError> {
    let (tick_c, column_c) = (t.require("tick")?, t.require("column")?);
    let (obs_c, fit_c) = (t.require("observed")?, t.require("fitted")?);
    let (low_c, high_c) = (t.require("low")?, t.require("high")?);
    let mut names: Vec<String> = Vec::new();
    for r in 0..t.len() {
        let c = t.text(r, column_c);
        if !names.iter().any(|n| n == c) {
            names.push(c.to_string());
        }
    }
    if names.is_empty() {
        return Ok(None);
    }
    let value = |r: usize, c: usize| t.num(r, c).map(|v| v.unwrap_or(f64::NAN));
    let mut panels = Vec::new();
    let mut last_tick = 0.0f64;
    for name in &names {
        let rows: Vec<usize> = (0..t.len())
            .filter(|&r| t.text(r, column_c) == name)
            .collect();
        let (mut x, mut fitted, mut low, mut high, mut observed) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for &r in &rows {
            let tick = value(r, tick_c)?;
            x.push(tick);
            fitted.push(value(r, fit_c)?);
            low.push(value(r, low_c)?);
            high.push(value(r, high_c)?);
            let o = value(r, obs_c)?;
            if o.is_finite() {
                observed.push((tick, o));
            }
            last_tick = last_tick.max(tick);
        }
        let all = fitted
            .iter()
            .chain(&low)
            .chain(&high)
            .chain(observed.iter().map(|(_, y)| y))
            .copied()
            .filter(|v| v.is_finite());
        let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
        let layers = vec![
            Layer::Band {
                x: x.clone(),
                lo: low,
                hi: high,
                colour: colour(0),
                opacity: 0.25,
            },
            Layer::Line {
                pts: x.iter().copied().zip(fitted).collect(),
                colour: colour(0),
                width: 2,
                dashed: false,
            },
            Layer::Points {
                pts: observed,
                colour: colour(1),
                radius: 4,
            },
        ];
        panels.push(Panel {
            x: Axis::linear("tick", 0.0, last_tick, true),
            y: Axis::linear(name.replace('_', " "), lo, hi, true),
            layers,
            weight: 1,
        });
    }
    for p in &mut panels {
        p.x = Axis::linear("tick", 0.0, last_tick, true);
    }
    Ok(Some(Figure {
        name: "fit",
        title: format!("{}: observed against the calibrated model", m.name),
        panels,
        legend_title: None,
        legend: vec![
            LegendEntry {
                swatch: Swatch::Point { colour: colour(1) },
                text: "observed".into(),
            },
            LegendEntry::line(colour(0), "calibrated (posterior mean)"),
            LegendEntry::fill(colour(0), 0.25, "95% posterior-predictive band"),
        ],
        colour_bar: None,
    }))
}
