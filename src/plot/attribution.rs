//! The chart of `murmur attribute` (attribution.csv): per channel, its Shapley share
//! of the incremental customers beside the customers last touch credits it.

use super::data::Table;
use super::figure::{Axis, Figure, GREY, Layer, LegendEntry, Panel, Swatch, colour};
use super::run::source_label;
use super::{Manifest, PlotError};

/// `murmur attribute`'s chart: per channel, its Shapley share of the incremental
/// customers (with its 95% interval) beside the customers last touch credits it.
pub(super) fn figure(t: &Table, m: &Manifest) -> Result<Option<Figure>, PlotError> {
    let [channel, shapley, low, high, last] = [
        "channel",
        "shapley_customers",
        "shapley_customers_low",
        "shapley_customers_high",
        "last_touch_customers",
    ]
    .map(|c| t.require(c));
    let (channel, shapley, low, high, last) = (channel?, shapley?, low?, high?, last?);
    let mut names = Vec::new();
    let mut layers = Vec::new();
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for r in 0..t.len() {
        let name = t.text(r, channel);
        if name == "total" {
            continue;
        }
        let x = names.len() as f64;
        names.push(source_label(&format!("new_{name}")));
        for (value, offset, c) in [
            (t.num(r, shapley)?, -0.2, colour(0)),
            (t.num(r, last)?, 0.2, colour(1)),
        ] {
            if let Some(v) = value {
                layers.push(Layer::Rect {
                    x0: x + offset - 0.18,
                    y0: 0.0,
                    x1: x + offset + 0.18,
                    y1: v,
                    colour: c,
                });
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        if let (Some(l), Some(h)) = (t.num(r, low)?, t.num(r, high)?) {
            layers.push(Layer::ErrorBar {
                x: x - 0.2,
                lo: l,
                hi: h,
                colour: GREY,
                width: 2,
                cap: 0.06,
            });
            lo = lo.min(l);
            hi = hi.max(h);
        }
    }
    if names.is_empty() {
        return Ok(None);
    }
    Ok(Some(Figure {
        name: "attribution",
        title: format!("{}: where the customers came from", m.name),
        panels: vec![Panel {
            x: Axis::categories("channel", &names),
            y: Axis::linear("incremental customers (agents)", lo, hi, true),
            layers,
            weight: 1,
        }],
        legend_title: None,
        legend: vec![
            LegendEntry::fill(colour(0), 1.0, "Shapley share (counterfactual)"),
            LegendEntry::fill(colour(1), 1.0, "last touch"),
            LegendEntry {
                swatch: Swatch::Interval {
                    colour: GREY,
                    width: 2,
                },
                text: "95% interval".into(),
            },
        ],
        colour_bar: None,
    }))
}

/// A comparison's attribution chart (`compare --attribute`): per channel, each
/// scenario's Shapley share of its incremental customers with its 95% interval, the
/// scenarios side by side in the comparison's order.
pub(super) fn compared_figure(t: &Table, order: &[String]) -> Result<Option<Figure>, PlotError> {
    let [channel, shapley, low, high, scenario] = [
        "channel",
        "shapley_customers",
        "shapley_customers_low",
        "shapley_customers_high",
        "scenario",
    ]
    .map(|c| t.require(c));
    let (channel, shapley, low, high, scenario) = (channel?, shapley?, low?, high?, scenario?);
    let mut channels: Vec<String> = Vec::new();
    let mut scenarios: Vec<String> = order.to_vec();
    for r in 0..t.len() {
        let c = t.text(r, channel);
        if c != "total" && !channels.iter().any(|x| x == c) {
            channels.push(c.to_string());
        }
        let s = t.text(r, scenario);
        if !scenarios.iter().any(|x| x == s) {
            scenarios.push(s.to_string());
        }
    }
    // Only scenarios that have rows, in the comparison's order.
    scenarios.retain(|s| (0..t.len()).any(|r| t.text(r, scenario) == s));
    if channels.is_empty() || scenarios.is_empty() {
        return Ok(None);
    }
    let width = 0.8 / scenarios.len() as f64;
    let mut layers = Vec::new();
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for r in 0..t.len() {
        let Some(x) = channels.iter().position(|c| c == t.text(r, channel)) else {
            continue;
        };
        let Some(k) = scenarios.iter().position(|s| s == t.text(r, scenario)) else {
            continue;
        };
        let centre = x as f64 - 0.4 + width * (k as f64 + 0.5);
        if let Some(v) = t.num(r, shapley)? {
            layers.push(Layer::Rect {
                x0: centre - 0.45 * width,
                y0: 0.0,
                x1: centre + 0.45 * width,
                y1: v,
                colour: colour(k),
            });
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if let (Some(l), Some(h)) = (t.num(r, low)?, t.num(r, high)?) {
            layers.push(Layer::ErrorBar {
                x: centre,
                lo: l,
                hi: h,
                colour: GREY,
                width: 2,
                cap: 0.15 * width,
            });
            lo = lo.min(l);
            hi = hi.max(h);
        }
    }
    let names: Vec<String> = channels
        .iter()
        .map(|c| source_label(&format!("new_{c}")))
        .collect();
    let mut legend: Vec<LegendEntry> = scenarios
        .iter()
        .enumerate()
        .map(|(k, s)| LegendEntry::fill(colour(k), 1.0, s.clone()))
        .collect();
    legend.push(LegendEntry {
        swatch: Swatch::Interval {
            colour: GREY,
            width: 2,
        },
        text: "95% interval".into(),
    });
    Ok(Some(Figure {
        name: "attribution",
        title: "where each plan's customers came from (Shapley shares)".to_string(),
        panels: vec![Panel {
            x: Axis::categories("channel", &names),
            y: Axis::linear("incremental customers (agents)", lo, hi, true),
            layers,
            weight: 1,
        }],
        legend_title: None,
        legend,
        colour_bar: None,
    }))
}
