//! The chart of `murmur sensitivity` (sensitivity.csv): for the headline metric, each
//! parameter's Sobol' first-order and total indices with their 95% intervals, or its
//! Morris μ* (with interval) beside σ, strongest first.

use super::data::Table;
use super::figure::{Axis, Figure, GREY, Layer, LegendEntry, Panel, Swatch, colour};
use super::{Manifest, PlotError};

/// Characters of bar labels the x axis holds side by side (about 7 px each
/// across the plot's 650 px).
const LABEL_ROOM: usize = 92;

/// Parameters shown, strongest first.
const SHOWN: usize = 12;

/// The sensitivity chart, or `None` when the file has no headline metric's rows.
pub(super) fn figure(t: &Table, m: &Manifest) -> Result<Option<Figure>, PlotError> {
    let metric_c = t.require("metric")?;
    let parameter_c = t.require("parameter")?;
    let sobol = t.col("total").is_some();
    // Per bar: its column and its interval's columns; the ranking column.
    let col = |c: &str| t.require(c);
    let bars: [(usize, Option<(usize, usize)>); 2] = if sobol {
        [
            (
                col("first_order")?,
                Some((col("first_order_low")?, col("first_order_high")?)),
            ),
            (col("total")?, Some((col("total_low")?, col("total_high")?))),
        ]
    } else {
        [
            (
                col("mu_star")?,
                Some((col("mu_star_low")?, col("mu_star_high")?)),
            ),
            (col("sigma")?, None),
        ]
    };
    let rank_c = if sobol { bars[1].0 } else { bars[0].0 };
    let Some(metric) = crate::sensitivity::HEADLINE
        .iter()
        .find(|h| (0..t.len()).any(|r| t.text(r, metric_c) == **h))
        .map(|h| h.to_string())
        .or_else(|| (t.len() > 0).then(|| t.text(0, metric_c).to_string()))
    else {
        return Ok(None);
    };
    let mut rows: Vec<usize> = (0..t.len())
        .filter(|&r| t.text(r, metric_c) == metric)
        .collect();
    let strength = |r: usize| t.num(r, rank_c).ok().flatten().unwrap_or(f64::NEG_INFINITY);
    rows.sort_by(|&x, &y| strength(y).total_cmp(&strength(x)));
    rows.truncate(SHOWN);
    if rows.is_empty() {
        return Ok(None);
    }
    // The last two parts of the path read best under a bar; when they would overlap
    // their neighbours, the last part, cut to fit (sensitivity.csv has the full keys).
    let fit = LABEL_ROOM / rows.len().max(1);
    let labels: Vec<String> = rows
        .iter()
        .map(|&r| {
            let p = t.text(r, parameter_c);
            let parts: Vec<&str> = p.rsplitn(3, '.').collect();
            let two = parts[..parts.len().min(2)]
                .iter()
                .rev()
                .copied()
                .collect::<Vec<_>>()
                .join(".");
            if two.chars().count() <= fit {
                return two;
            }
            let last: Vec<char> = parts[0].chars().collect();
            if last.len() <= fit {
                parts[0].to_string()
            } else {
                last[..fit.saturating_sub(1)].iter().collect::<String>() + "…"
            }
        })
        .collect();
    let mut layers = Vec::new();
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for (x, &r) in rows.iter().enumerate() {
        let x = x as f64;
        for (k, (col, bounds)) in bars.iter().enumerate() {
            let (col, offset, c) = (*col, if k == 0 { -0.2 } else { 0.2 }, colour(k));
            if let Some(v) = t.num(r, col)? {
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
            if let Some((l, h)) = bounds
                && let (Some(l), Some(h)) = (t.num(r, *l)?, t.num(r, *h)?)
            {
                layers.push(Layer::ErrorBar {
                    x: x + offset,
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
    }
    let (a_name, b_name, ylabel) = if sobol {
        ("first-order index", "total index", "share of variance")
    } else {
        (
            "μ* (mean |elementary effect|)",
            "σ",
            "effect per unit of the range",
        )
    };
    Ok(Some(Figure {
        name: "sensitivity",
        title: format!("{}: sensitivity of {}", m.name, metric.replace('_', " ")),
        panels: vec![Panel {
            x: Axis::categories("parameter", &labels),
            y: Axis::linear(ylabel, lo, hi, true),
            layers,
            weight: 1,
        }],
        legend_title: None,
        legend: vec![
            LegendEntry::fill(colour(0), 1.0, a_name),
            LegendEntry::fill(colour(1), 1.0, b_name),
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
