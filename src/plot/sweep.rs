//! The plots of a parameter sweep: adoption curves by value (one parameter), a heatmap
//! or scatter of the headline metric (two or more), and the metric against the first
//! parameter.

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
        figs.push(grid_or_scatter(m, &pts));
    }
    figs.push(summary(m, &pts));
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

fn metric_bar(pts: &Points) -> ColourBar {
    let means: Vec<f64> = pts
        .stats
        .iter()
        .map(Stat::mean)
        .filter(|v| v.is_finite())
        .collect();
    let lo = means.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = means.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (0.0, 1.0) };
    ColourBar {
        label: format!("mean {}", with_unit(&pts.metric)),
        lo,
        hi,
    }
}

/// The two-parameter chart: a heatmap when the points fill a grid of the first two
/// parameters' levels, else a scatter of the sampled points.
fn grid_or_scatter(m: &Manifest, pts: &Points) -> Figure {
    let (a, b) = (&pts.params[0], &pts.params[1]);
    let bar = metric_bar(pts);
    let mut cells: HashMap<(usize, usize), usize> = HashMap::new();
    for p in 0..pts.ids.len() {
        cells.insert((a.level(p), b.level(p)), p);
    }
    let on_grid = pts.params.len() == 2
        && cells.len() == pts.ids.len()
        && cells.len() == a.levels.len() * b.levels.len();
    if on_grid {
        heatmap(m, pts, &cells, bar)
    } else {
        scatter(m, pts, bar)
    }
}

/// The grid's cells coloured by the metric's mean, with the values written in when the
/// grid is small enough to read them.
fn heatmap(
    m: &Manifest,
    pts: &Points,
    cells: &HashMap<(usize, usize), usize>,
    bar: ColourBar,
) -> Figure {
    let (a, b) = (&pts.params[0], &pts.params[1]);
    let mut layers = heatmap_layers(pts, cells, &bar);
    // Keep a stable drawing order (the map's is not).
    layers.sort_by(|p, q| layer_key(p).total_cmp(&layer_key(q)));
    Figure {
        name: "sweep_heatmap",
        title: format!(
            "{}: mean {} over the grid ({} replicates per point)",
            m.name,
            pretty(&pts.metric),
            pts.replicates
        ),
        panels: vec![Panel {
            x: Axis::categories(a.key.clone(), &thin(&a.levels)),
            y: Axis::categories(b.key.clone(), &thin(&b.levels)),
            layers,
            weight: 1,
        }],
        legend_title: None,
        legend: Vec::new(),
        colour_bar: Some(bar),
    }
}

/// One rectangle per grid cell, and its value as a label on grids of at most 12 × 12.
fn heatmap_layers(
    pts: &Points,
    cells: &HashMap<(usize, usize), usize>,
    bar: &ColourBar,
) -> Vec<Layer> {
    let (nx, ny) = (pts.params[0].levels.len(), pts.params[1].levels.len());
    let mut layers = Vec::new();
    let write_values = nx <= 12 && ny <= 12;
    let text_size = if nx <= 8 && ny <= 8 { 14.0 } else { 11.0 };
    // Enough digits to tell the cells apart.
    let resolution = (bar.hi - bar.lo) / 20.0;
    for (&(i, j), &p) in cells {
        let v = pts.stats[p].mean();
        let c = if v.is_finite() {
            bar.colour(v)
        } else {
            (220, 220, 220)
        };
        let (x, y) = (i as f64, j as f64);
        layers.push(Layer::Rect {
            x0: x - 0.5,
            y0: y - 0.5,
            x1: x + 0.5,
            y1: y + 0.5,
            colour: c,
        });
        if write_values {
            layers.push(Layer::Label {
                x,
                y,
                text: value_label_at(v, resolution, bar.hi.abs().max(bar.lo.abs())),
                colour: if is_light(c) {
                    (0, 0, 0)
                } else {
                    (255, 255, 255)
                },
                size: text_size,
                halo: false,
            });
        }
    }
    layers
}

/// The sampled points on the first two parameters, coloured by the metric's mean.
fn scatter(m: &Manifest, pts: &Points, bar: ColourBar) -> Figure {
    let (a, b) = (&pts.params[0], &pts.params[1]);
    let mut layers = Vec::new();
    for p in 0..pts.ids.len() {
        let v = pts.stats[p].mean();
        layers.push(Layer::Points {
            pts: vec![(a.position(p), b.position(p))],
            colour: if v.is_finite() {
                bar.colour(v)
            } else {
                (200, 200, 200)
            },
            radius: 7,
        });
    }
    let others = if pts.params.len() > 2 {
        format!(", {} more parameters varied", pts.params.len() - 2)
    } else {
        String::new()
    };
    Figure {
        name: "sweep_scatter",
        title: format!(
            "{}: mean {} at each sampled point ({} replicates{others})",
            m.name,
            pretty(&pts.metric),
            pts.replicates
        ),
        panels: vec![Panel {
            x: a.axis(),
            y: b.axis(),
            layers,
            weight: 1,
        }],
        legend_title: None,
        legend: Vec::new(),
        colour_bar: Some(bar),
    }
}

fn layer_key(l: &Layer) -> f64 {
    match l {
        // Rectangles first (by position), labels after them.
        Layer::Rect { x0, y0, .. } => x0 * 1e4 + y0,
        Layer::Label { x, y, .. } => 1e9 + x * 1e4 + y,
        _ => 2e9,
    }
}

/// The sweep's summary chart: the metric's mean and 95% interval at each point along
/// the first parameter, one series per level of a second parameter on a small grid.
fn summary(m: &Manifest, pts: &Points) -> Figure {
    let a = &pts.params[0];
    let x_axis = a.axis();
    let span = x_axis.hi - x_axis.lo;
    let mut layers = Vec::new();
    let mut legend = Vec::new();
    let mut legend_title = None;
    let groups = summary_groups(pts);
    let n_groups = groups.len();
    let mut range = (f64::INFINITY, f64::NEG_INFINITY);
    for (gi, (level, members)) in groups.iter().enumerate() {
        let c = colour(gi);
        // Side-by-side offsets so intervals at the same x do not hide each other.
        let offset = if n_groups > 1 {
            (gi as f64 - (n_groups - 1) as f64 / 2.0) * span * 0.008
        } else {
            0.0
        };
        // Connect means along the parameter only on a grid (one value per x).
        let connect = level.is_some() || pts.params.len() == 1;
        let marks = Marks {
            colour: c,
            offset,
            span,
            connect,
        };
        group_layers(pts, members, &marks, &mut range, &mut layers);
        if let (Some(j), Some(b)) = (level, pts.params.get(1)) {
            legend.push(LegendEntry {
                swatch: Swatch::Point { colour: c },
                text: b.levels[*j].clone(),
            });
            legend_title = Some(b.key.clone());
        }
    }
    let (lo, hi) = padded_range(&pts.metric, range);
    Figure {
        name: "sweep_summary",
        title: format!(
            "{}: {} by {} (mean, {} replicates)",
            m.name,
            pretty(&pts.metric),
            a.key.rsplit('.').next().unwrap_or(&a.key),
            pts.replicates
        ),
        panels: vec![Panel {
            x: x_axis,
            y: Axis::linear(with_unit(&pts.metric), lo, hi, false),
            layers,
            weight: 1,
        }],
        legend_title,
        legend: summary_legend(legend),
        colour_bar: None,
    }
}

/// The summary's series: one per level of the second parameter (with its level) when
/// exactly two parameters vary and the second has at most 7 levels, else one of all
/// the points.
fn summary_groups(pts: &Points) -> Vec<(Option<usize>, Vec<usize>)> {
    match pts.params.get(1) {
        Some(b) if b.levels.len() <= 7 && pts.params.len() == 2 => (0..b.levels.len())
            .map(|j| {
                (
                    Some(j),
                    (0..pts.ids.len()).filter(|&p| b.level(p) == j).collect(),
                )
            })
            .collect(),
        _ => vec![(None, (0..pts.ids.len()).collect())],
    }
}

/// How one series of the summary is drawn.
struct Marks {
    /// The series' colour.
    colour: (u8, u8, u8),
    /// Its shift along x, so that series at the same x stay apart.
    offset: f64,
    /// The x axis's span, for the caps' width.
    span: f64,
    /// Whether the means are joined by a line.
    connect: bool,
}

/// One series of the summary: an error bar per point, the means as points (joined when
/// `marks.connect`), widening `range` to every finite mean and bound.
fn group_layers(
    pts: &Points,
    members: &[usize],
    marks: &Marks,
    range: &mut (f64, f64),
    layers: &mut Vec<Layer>,
) {
    let a = &pts.params[0];
    let c = marks.colour;
    let mut line = Vec::new();
    for &p in members {
        let (mean, (l, h)) = match pts.intervals[p] {
            Some(i) => (i.mean, i.bounds.unwrap_or((f64::NAN, f64::NAN))),
            None => (f64::NAN, (f64::NAN, f64::NAN)),
        };
        let x = a.position(p) + marks.offset;
        for v in [mean, l, h] {
            if v.is_finite() {
                range.0 = range.0.min(v);
                range.1 = range.1.max(v);
            }
        }
        layers.push(Layer::ErrorBar {
            x,
            lo: l,
            hi: h,
            colour: c,
            width: 2,
            cap: marks.span * 0.006,
        });
        line.push((x, mean));
    }
    line.sort_by(|p, q| p.0.total_cmp(&q.0));
    if marks.connect && line.len() > 1 {
        layers.push(Layer::Line {
            pts: line.clone(),
            colour: c,
            width: 1,
            dashed: false,
        });
    }
    layers.push(Layer::Points {
        pts: line,
        colour: c,
        radius: 4,
    });
}

/// The summary's legend: the series' levels and a grey interval swatch, or "mean" and
/// "95% interval" for a single series.
fn summary_legend(mut legend: Vec<LegendEntry>) -> Vec<LegendEntry> {
    if legend.is_empty() {
        return vec![
            LegendEntry {
                swatch: Swatch::Point { colour: colour(0) },
                text: "mean".into(),
            },
            LegendEntry {
                swatch: Swatch::Interval {
                    colour: colour(0),
                    width: 2,
                },
                text: "95% interval".into(),
            },
        ];
    }
    legend.push(LegendEntry {
        swatch: Swatch::Interval {
            colour: GREY,
            width: 2,
        },
        text: "95% interval".into(),
    });
    legend
}

/// The y range of the summary: the values' range (or [0, 1] when there is none)
/// padded by 5%; a share's axis stays within [0, 1] when its values do.
fn padded_range(metric: &str, (lo, hi): (f64, f64)) -> (f64, f64) {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (0.0, 1.0) };
    let pad = (hi - lo).max(hi.abs() * 0.01) * 0.05;
    if super::unit(metric).starts_with("share") {
        (
            if lo >= 0.0 {
                (lo - pad).max(0.0)
            } else {
                lo - pad
            },
            if hi <= 1.0 {
                (hi + pad).min(1.0)
            } else {
                hi + pad
            },
        )
    } else {
        (lo - pad, hi + pad)
    }
}
