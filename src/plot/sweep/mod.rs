//! The plots of a parameter sweep: adoption curves by value (one parameter), a heatmap
//! or scatter of the headline metric (two or more), and the metric against the first
//! parameter.

mod grid;
mod summary;

use super::data::{self, Stat, Table};
use super::figure::{
    Axis, ColourBar, Figure, GREY, Layer, LegendEntry, Panel, Rgb, Swatch, colour, is_light,
    value_label_at, viridis,
};
use super::run::tick_axis;
use super::{Manifest, PlotError, pretty, replicates_note, with_unit};
use crate::metrics::Interval;
use std::collections::HashMap;
use std::path::Path;

/// One swept parameter: its key path and its value at each point.
struct Param {
    key: String,
    /// Value of each point (indexed like `Points::ids`), as written.
    values: Vec<String>,
    /// The same as numbers, when every value is one.
    numeric: Option<Vec<f64>>,
    /// Distinct values in order (ascending when numeric, else as first seen).
    levels: Vec<String>,
}

impl Param {
    fn new(key: String, values: Vec<String>) -> Param {
        let numeric: Option<Vec<f64>> = values
            .iter()
            .map(|v| v.parse::<f64>().ok().filter(|x| x.is_finite()))
            .collect();
        let mut levels: Vec<String> = Vec::new();
        for v in &values {
            if !levels.contains(v) {
                levels.push(v.clone());
            }
        }
        if numeric.is_some() {
            levels.sort_by(|a, b| {
                let (x, y) = (
                    a.parse::<f64>().unwrap_or(0.0),
                    b.parse::<f64>().unwrap_or(0.0),
                );
                x.total_cmp(&y)
            });
        }
        Param {
            key,
            values,
            numeric,
            levels,
        }
    }

    /// Position of point `p` on this parameter's axis: its value when numeric, else
    /// the index of its level.
    fn position(&self, p: usize) -> f64 {
        match &self.numeric {
            Some(v) => v[p],
            None => self.level(p) as f64,
        }
    }

    fn level(&self, p: usize) -> usize {
        self.levels
            .iter()
            .position(|l| *l == self.values[p])
            .unwrap_or(0)
    }

    /// An axis for positions of this parameter, padded so marks at the ends show whole.
    fn axis(&self) -> Axis {
        match &self.numeric {
            Some(v) => {
                let lo = v.iter().cloned().fold(f64::INFINITY, f64::min);
                let hi = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let pad = if hi > lo {
                    (hi - lo) * 0.05
                } else {
                    lo.abs().max(1.0) * 0.1
                };
                Axis::span(self.key.clone(), lo - pad, hi + pad)
            }
            None => Axis::categories(self.key.clone(), &thin(&self.levels)),
        }
    }
}

/// Category labels, every k-th kept when there are many.
fn thin(labels: &[String]) -> Vec<String> {
    let k = labels.len().div_ceil(14).max(1);
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| if i % k == 0 { l.clone() } else { String::new() })
        .collect()
}

/// The sweep's points (from summary.csv) with the headline metric's replicates.
struct Points {
    ids: Vec<String>,
    params: Vec<Param>,
    metric: String,
    stats: Vec<Stat>,
    /// Each point's mean with its bootstrap interval, as in the summary tables.
    intervals: Vec<Option<Interval>>,
    replicates: usize,
}

fn read_points(dir: &Path, m: &Manifest) -> Result<Points, PlotError> {
    let table = Table::read(&dir.join(crate::results::SUMMARY))?;
    let pc = table.require("point")?;
    let keys: Vec<String> = if m.parameters.is_empty() {
        let rc = table.require("replicate")?;
        table.headers[pc + 1..rc.max(pc + 1)].to_vec()
    } else {
        m.parameters.clone()
    };
    if keys.is_empty() {
        return Err(PlotError::Csv {
            path: table.path.clone(),
            line: Some(1),
            message: "no swept parameter columns between `point` and `replicate`".into(),
        });
    }
    let key_cols = keys
        .iter()
        .map(|k| table.require(k))
        .collect::<Result<Vec<_>, _>>()?;
    let metric = if table.has_values("cumulative_profit")? {
        "cumulative_profit"
    } else {
        "final_share"
    };
    let mc = table.require(metric)?;
    let mut ids: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut values: Vec<Vec<String>> = vec![Vec::new(); keys.len()];
    let mut samples: Vec<Vec<f64>> = Vec::new();
    for r in 0..table.len() {
        let id = table.text(r, pc).to_string();
        let p = *index.entry(id.clone()).or_insert_with(|| {
            ids.push(id);
            for (k, &c) in key_cols.iter().enumerate() {
                values[k].push(table.text(r, c).to_string());
            }
            samples.push(Vec::new());
            ids.len() - 1
        });
        if let Some(v) = table.num(r, mc)? {
            samples[p].push(v);
        }
    }
    if ids.is_empty() {
        return Err(PlotError::Csv {
            path: table.path.clone(),
            line: None,
            message: "the file has no rows".into(),
        });
    }
    // Points in numeric order of their ids where possible.
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by(
        |&a, &b| match (ids[a].parse::<f64>(), ids[b].parse::<f64>()) {
            (Ok(x), Ok(y)) => x.total_cmp(&y),
            _ => a.cmp(&b),
        },
    );
    let replicates = samples.iter().map(Vec::len).max().unwrap_or(0);
    Ok(Points {
        ids: order.iter().map(|&i| ids[i].clone()).collect(),
        params: keys
            .into_iter()
            .zip(values)
            .map(|(k, v)| Param::new(k, order.iter().map(|&i| v[i].clone()).collect()))
            .collect(),
        metric: metric.to_string(),
        stats: order.iter().map(|&i| Stat::of(&samples[i])).collect(),
        intervals: order.iter().map(|&i| Interval::of(&samples[i])).collect(),
        replicates,
    })
}

pub(super) fn figures(dir: &Path, m: &Manifest) -> Result<Vec<Figure>, PlotError> {
    let pts = read_points(dir, m)?;
    let mut figs = Vec::new();
    if pts.params.len() == 1 {
        figs.extend(lines(dir, m, &pts)?);
    } else {
        figs.push(grid::grid_or_scatter(m, &pts));
    }
    figs.push(summary::summary(m, &pts));
    Ok(figs)
}

/// Colours for `n` ordered values: the palette for few, viridis for many.
fn ordered_colours(n: usize) -> Vec<Rgb> {
    if n <= 7 {
        (0..n).map(colour).collect()
    } else {
        (0..n)
            .map(|i| viridis(0.92 * i as f64 / (n - 1) as f64))
            .collect()
    }
}

/// The one-parameter chart: each point's mean customers (or adopters) over time, one
/// line per point coloured by its swept value; `None` when the series has neither.
fn lines(dir: &Path, m: &Manifest, pts: &Points) -> Result<Option<Figure>, PlotError> {
    let series = data::read_series(
        &dir.join(crate::results::TIMESERIES),
        Some("point"),
        &["customers", "adopters"],
        m.ticks,
    )?;
    let col = if series.has("customers") {
        "customers"
    } else if series.has("adopters") {
        "adopters"
    } else {
        return Ok(None);
    };
    let param = &pts.params[0];
    let colours = ordered_colours(param.levels.len());
    let mut layers = Vec::new();
    let mut legend = Vec::new();
    let (mut lo, mut hi, mut ticks) = (0.0f64, 0.0f64, 0);
    for (p, id) in pts.ids.iter().enumerate() {
        let Some(g) = series.group(id) else { continue };
        let Some(stats) = series.column(g, col) else {
            continue;
        };
        let c = colours[param.level(p)];
        let line: Vec<(f64, f64)> = stats
            .iter()
            .enumerate()
            .map(|(t, s)| (t as f64, s.mean()))
            .collect();
        for &(_, v) in &line {
            if v.is_finite() {
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
        ticks = ticks.max(stats.len());
        layers.push(Layer::Line {
            pts: line,
            colour: c,
            width: 2,
            dashed: false,
        });
        legend.push((
            param.level(p),
            LegendEntry::line(c, param.values[p].clone()),
        ));
    }
    if layers.is_empty() {
        return Ok(None);
    }
    let legend = level_legend(legend);
    Ok(Some(Figure {
        name: "sweep_lines",
        title: format!(
            "{}: {col} over time by swept value ({})",
            m.name,
            replicates_note(series.replicates)
        ),
        panels: vec![Panel {
            x: tick_axis(ticks),
            y: Axis::linear(format!("{col} (agents)"), lo, hi, true),
            layers,
            weight: 1,
        }],
        legend_title: Some(param.key.clone()),
        legend,
        colour_bar: None,
    }))
}

/// The lines' legend: one entry per level of the swept value, in level order; at most
/// about 16, keeping every k-th and the last when there are more (colours run in
/// order, so the scale still reads).
fn level_legend(mut legend: Vec<(usize, LegendEntry)>) -> Vec<LegendEntry> {
    legend.sort_by_key(|e| e.0);
    legend.dedup_by_key(|e| e.0);
    let legend: Vec<LegendEntry> = legend.into_iter().map(|e| e.1).collect();
    if legend.len() <= 16 {
        return legend;
    }
    let k = legend.len().div_ceil(16);
    let last = legend.len() - 1;
    legend
        .into_iter()
        .enumerate()
        .filter(|(i, _)| i % k == 0 || *i == last)
        .map(|e| e.1)
        .collect()
}
