//! The headline metric against the first swept parameter, one line per value of the
//! second.

use super::*;

/// The sweep's summary chart: the metric's mean and 95% interval at each point along
/// the first parameter, one series per level of a second parameter on a small grid.
pub(super) fn summary(m: &Manifest, pts: &Points) -> Figure {
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
    if crate::plot::unit(metric).starts_with("share") {
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
