//! The headline metric over two or more swept parameters: a heatmap on a grid, a
//! scatter otherwise, coloured by the metric.

use super::*;

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
pub(super) fn grid_or_scatter(m: &Manifest, pts: &Points) -> Figure {
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
