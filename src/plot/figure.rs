//! A small description of a chart (panels of layers, a legend, a colour scale) and one
//! renderer that draws it on any plotters backend, so PNG and SVG come from the same
//! code.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

/// The font family every text uses (registered from the embedded DejaVu Sans).
pub const FONT: &str = "sans-serif";
/// Pixel size of every chart.
pub const SIZE: (u32, u32) = (1000, 600);

const TITLE_SIZE: f64 = 22.0;
const DESC_SIZE: f64 = 16.0;
const LABEL_SIZE: f64 = 14.0;
const LEGEND_SIZE: f64 = 14.0;

/// An sRGB colour.
pub type Rgb = (u8, u8, u8);

/// Okabe & Ito's colour-blind-safe palette, ordered for lines on white (yellow last).
pub const PALETTE: [Rgb; 8] = [
    (0, 114, 178),   // blue
    (230, 159, 0),   // orange
    (0, 158, 115),   // bluish green
    (213, 94, 0),    // vermillion
    (204, 121, 167), // reddish purple
    (86, 180, 233),  // sky blue
    (0, 0, 0),       // black
    (240, 228, 66),  // yellow
];

/// The palette colour for series `i` (cycling).
pub fn colour(i: usize) -> Rgb {
    PALETTE[i % PALETTE.len()]
}

pub const GREY: Rgb = (110, 110, 110);

/// Viridis (perceptually uniform, colour-blind safe) at `t` in [0, 1].
pub fn viridis(t: f64) -> Rgb {
    const STOPS: [Rgb; 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (STOPS.len() - 1) as f64;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |p: u8, q: u8| (f64::from(p) + f * (f64::from(q) - f64::from(p))).round() as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Whether dark text reads better than white on `c`.
pub fn is_light(c: Rgb) -> bool {
    0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2) > 140.0
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

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
fn decimals_for(step: f64) -> usize {
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

    fn label_at(&self, v: f64) -> String {
        let tol = (self.hi - self.lo).abs() * 1e-9;
        self.ticks
            .iter()
            .find(|(t, _)| (t - v).abs() <= tol)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    }
}

/// Something drawn in a panel, in data coordinates.
#[derive(Clone, Debug)]
pub enum Layer {
    /// A polyline; non-finite y values break it.
    Line {
        pts: Vec<(f64, f64)>,
        colour: Rgb,
        width: u32,
        dashed: bool,
    },
    /// A filled region between two curves; non-finite values break it.
    Band {
        x: Vec<f64>,
        lo: Vec<f64>,
        hi: Vec<f64>,
        colour: Rgb,
        opacity: f64,
    },
    /// Filled circles.
    Points {
        pts: Vec<(f64, f64)>,
        colour: Rgb,
        radius: u32,
    },
    /// A vertical interval with caps `cap` wide (in x units) on each side.
    ErrorBar {
        x: f64,
        lo: f64,
        hi: f64,
        colour: Rgb,
        width: u32,
        cap: f64,
    },
    /// A filled rectangle.
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        colour: Rgb,
    },
    /// Text centred on a point, optionally with a white halo so lines behind it do
    /// not cross it.
    Label {
        x: f64,
        y: f64,
        text: String,
        colour: Rgb,
        size: f64,
        halo: bool,
    },
    /// A dashed horizontal reference line across the panel.
    HLine { y: f64, colour: Rgb },
}

/// One plotting panel.
#[derive(Clone, Debug)]
pub struct Panel {
    pub x: Axis,
    pub y: Axis,
    pub layers: Vec<Layer>,
    /// Relative height among the figure's panels.
    pub weight: u32,
}

/// What a legend entry shows beside its text.
#[derive(Clone, Debug)]
pub enum Swatch {
    Line {
        colour: Rgb,
        width: u32,
        dashed: bool,
    },
    Fill {
        colour: Rgb,
        opacity: f64,
    },
    Point {
        colour: Rgb,
    },
    /// A vertical interval (error bar) of the given stroke width.
    Interval {
        colour: Rgb,
        width: u32,
    },
}

#[derive(Clone, Debug)]
pub struct LegendEntry {
    pub swatch: Swatch,
    pub text: String,
}

impl LegendEntry {
    pub fn line(colour: Rgb, text: impl Into<String>) -> Self {
        LegendEntry {
            swatch: Swatch::Line {
                colour,
                width: 2,
                dashed: false,
            },
            text: text.into(),
        }
    }
    pub fn fill(colour: Rgb, opacity: f64, text: impl Into<String>) -> Self {
        LegendEntry {
            swatch: Swatch::Fill { colour, opacity },
            text: text.into(),
        }
    }
}

/// A continuous colour scale (viridis) from `lo` to `hi`.
#[derive(Clone, Debug)]
pub struct ColourBar {
    pub label: String,
    pub lo: f64,
    pub hi: f64,
}

impl ColourBar {
    /// The colour of `v` on this scale.
    pub fn colour(&self, v: f64) -> Rgb {
        if self.hi > self.lo {
            viridis((v - self.lo) / (self.hi - self.lo))
        } else {
            viridis(0.5)
        }
    }
}

/// A whole chart.
#[derive(Clone, Debug)]
pub struct Figure {
    /// File stem (`adoption` → adoption.png, adoption.svg).
    pub name: &'static str,
    pub title: String,
    /// Panels top to bottom, sharing the x axis (only the bottom one is labelled).
    pub panels: Vec<Panel>,
    pub legend_title: Option<String>,
    pub legend: Vec<LegendEntry>,
    pub colour_bar: Option<ColourBar>,
}

/// A drawing failure, as text (the backends' error types differ).
#[derive(Debug)]
pub struct DrawError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}

fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font())
}

fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
) -> Result<u32, DrawError> {
    Ok(area.estimate_text_size(text, &font(size))?.0)
}

/// Breaks `text` into lines of at most `width` pixels at spaces, dots and underscores.
fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    width: u32,
) -> Result<Vec<String>, DrawError> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut word = String::new();
    let flush_word = |line: &mut String, word: &mut String, lines: &mut Vec<String>| {
        let candidate = format!("{line}{word}");
        if !line.is_empty() && text_width(area, candidate.trim_end(), size)? > width {
            lines.push(line.trim_end().to_string());
            *line = word.clone();
        } else {
            *line = candidate;
        }
        word.clear();
        Ok::<(), DrawError>(())
    };
    for ch in text.chars() {
        word.push(ch);
        if ch == ' ' || ch == '.' || ch == '_' {
            flush_word(&mut line, &mut word, &mut lines)?;
        }
    }
    flush_word(&mut line, &mut word, &mut lines)?;
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
    Ok(lines)
}

/// A linear f64 coordinate whose tick marks (bold mesh lines) and minor marks (light
/// ones) are exactly the axis's own.
#[derive(Clone)]
struct Ticked {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
    minor: Vec<f64>,
}

impl Ticked {
    fn of(axis: &Axis) -> Ticked {
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

type Coord = Cartesian2d<Ticked, Ticked>;

/// Draws `fig` on `root`.
pub fn render<DB: DrawingBackend>(
    fig: &Figure,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), DrawError> {
    root.fill(&WHITE)?;
    let (w, _) = root.dim_in_pixel();
    let title_style = TextStyle::from((FONT, TITLE_SIZE, FontStyle::Bold).into_font());
    let body = root.margin(8, 0, 0, 0).titled(&fig.title, title_style)?;

    // The side column: legend and colour scale, never over the data.
    let mut side_w = 0u32;
    for e in &fig.legend {
        side_w = side_w.max(text_width(root, &e.text, LEGEND_SIZE)? + 64);
    }
    if let Some(t) = &fig.legend_title {
        side_w = side_w.max((text_width(root, t, LEGEND_SIZE)? + 20).min(240));
    }
    if let Some(bar) = &fig.colour_bar {
        let mut labels = 0;
        for (_, l) in &colour_bar_axis(bar).ticks {
            labels = labels.max(text_width(root, l, LABEL_SIZE)?);
        }
        side_w = side_w.max(labels + 70).max(150);
    }
    let side_w = if side_w > 0 {
        side_w.clamp(140, 300)
    } else {
        0
    };
    let (main, side) = body.split_horizontally(w - side_w);

    // A common y-label column so stacked panels line up.
    let mut y_labels = 0u32;
    for p in &fig.panels {
        for (_, l) in &p.y.ticks {
            y_labels = y_labels.max(text_width(root, l, LABEL_SIZE)?);
        }
    }
    let y_area = y_labels + 42;

    let total: u32 = fig
        .panels
        .iter()
        .map(|p| p.weight.max(1))
        .sum::<u32>()
        .max(1);
    let (_, main_h) = main.dim_in_pixel();
    let mut rest = main.clone();
    let mut plot_top: Option<i32> = None;
    let n = fig.panels.len();
    for (i, panel) in fig.panels.iter().enumerate() {
        let last = i + 1 == n;
        let area = if last {
            rest.clone()
        } else {
            let h = main_h * panel.weight.max(1) / total;
            let (a, b) = rest.split_vertically(h);
            rest = b;
            a
        };
        let mut builder = ChartBuilder::on(&area);
        builder
            .margin_top(if i == 0 { 12 } else { 10 })
            .margin_right(if side_w > 0 { 10 } else { 25 })
            .margin_left(6)
            .margin_bottom(if last { 6 } else { 0 })
            .x_label_area_size(if last { 52 } else { 6 })
            .y_label_area_size(y_area);
        let mut chart = builder.build_cartesian_2d(Ticked::of(&panel.x), Ticked::of(&panel.y))?;
        let fx = |v: &f64| {
            if last {
                panel.x.label_at(*v)
            } else {
                String::new()
            }
        };
        let fy = |v: &f64| panel.y.label_at(*v);
        let mut mesh = chart.configure_mesh();
        mesh.x_label_formatter(&fx)
            .y_label_formatter(&fy)
            .y_desc(panel.y.label.as_str())
            .label_style(font(LABEL_SIZE))
            .axis_desc_style(font(DESC_SIZE))
            .bold_line_style(RGBColor(222, 222, 222))
            .light_line_style(RGBColor(240, 240, 240))
            .axis_style(RGBColor(60, 60, 60));
        if last {
            mesh.x_desc(panel.x.label.as_str());
        }
        mesh.draw()?;
        draw_layers(&mut chart, panel)?;
        let (_, ys) = chart.plotting_area().get_pixel_range();
        if plot_top.is_none() {
            plot_top = Some(ys.start);
        }
    }

    if side_w > 0 {
        let (_, side_ys) = side.get_pixel_range();
        let top = plot_top.unwrap_or(side_ys.start) - side_ys.start + 4;
        draw_side(fig, &side, top.max(0), side_w)?;
    }
    root.present()?;
    Ok(())
}

fn segments(x: &[f64], ys: &[&[f64]]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for (i, xi) in x.iter().enumerate() {
        if xi.is_finite() && ys.iter().all(|y| y.get(i).is_some_and(|v| v.is_finite())) {
            cur.push(i);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn draw_layers<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Coord>,
    panel: &Panel,
) -> Result<(), DrawError> {
    for layer in &panel.layers {
        match layer {
            Layer::Line {
                pts,
                colour,
                width,
                dashed,
            } => {
                let xs: Vec<f64> = pts.iter().map(|p| p.0).collect();
                let ys: Vec<f64> = pts.iter().map(|p| p.1).collect();
                let style = rgb(*colour).stroke_width(*width);
                for seg in segments(&xs, &[&ys]) {
                    let line: Vec<(f64, f64)> = seg.iter().map(|&i| pts[i]).collect();
                    if line.len() == 1 {
                        chart.draw_series(std::iter::once(Circle::new(
                            line[0],
                            *width + 1,
                            rgb(*colour).filled(),
                        )))?;
                    } else if *dashed {
                        chart.draw_series(DashedLineSeries::new(line, 8, 5, style))?;
                    } else {
                        chart.draw_series(LineSeries::new(line, style))?;
                    }
                }
            }
            Layer::Band {
                x,
                lo,
                hi,
                colour,
                opacity,
            } => {
                for seg in segments(x, &[lo, hi]) {
                    let mut poly: Vec<(f64, f64)> = seg.iter().map(|&i| (x[i], hi[i])).collect();
                    poly.extend(seg.iter().rev().map(|&i| (x[i], lo[i])));
                    chart.draw_series(std::iter::once(Polygon::new(
                        poly,
                        rgb(*colour).mix(*opacity).filled(),
                    )))?;
                }
            }
            Layer::Points {
                pts,
                colour,
                radius,
            } => {
                chart.draw_series(
                    pts.iter()
                        .filter(|p| p.0.is_finite() && p.1.is_finite())
                        .map(|&p| Circle::new(p, *radius, rgb(*colour).filled())),
                )?;
                chart.draw_series(
                    pts.iter()
                        .filter(|p| p.0.is_finite() && p.1.is_finite())
                        .map(|&p| Circle::new(p, *radius, WHITE.stroke_width(1))),
                )?;
            }
            Layer::ErrorBar {
                x,
                lo,
                hi,
                colour,
                width,
                cap,
            } => {
                if !(x.is_finite() && lo.is_finite() && hi.is_finite()) {
                    continue;
                }
                let style = rgb(*colour).stroke_width(*width);
                chart.draw_series([
                    PathElement::new(vec![(*x, *lo), (*x, *hi)], style),
                    PathElement::new(vec![(x - cap, *lo), (x + cap, *lo)], style),
                    PathElement::new(vec![(x - cap, *hi), (x + cap, *hi)], style),
                ])?;
            }
            Layer::Rect {
                x0,
                y0,
                x1,
                y1,
                colour,
            } => {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(*x0, *y0), (*x1, *y1)],
                    rgb(*colour).filled(),
                )))?;
            }
            Layer::Label {
                x,
                y,
                text,
                colour,
                size,
                halo,
            } => {
                let anchor = Pos::new(HPos::Center, VPos::Center);
                let (px, py) = chart.backend_coord(&(*x, *y));
                if *halo {
                    let white = font(*size).color(&WHITE).pos(anchor);
                    let area = chart.plotting_area().strip_coord_spec();
                    let (xs, ys) = area.get_pixel_range();
                    let (ax, ay) = (px - xs.start, py - ys.start);
                    for (dx, dy) in [(-1, 0), (1, 0), (0, -1), (0, 1), (-1, -1), (1, 1)] {
                        area.draw(&Text::new(text.clone(), (ax + dx, ay + dy), white.clone()))?;
                    }
                }
                let c = rgb(*colour);
                let style = font(*size).color(&c).pos(anchor);
                chart.draw_series(std::iter::once(Text::new(text.clone(), (*x, *y), style)))?;
            }
            Layer::HLine { y, colour } => {
                chart.draw_series(DashedLineSeries::new(
                    vec![(panel.x.lo, *y), (panel.x.hi, *y)],
                    6,
                    4,
                    rgb(*colour).stroke_width(1),
                ))?;
            }
        }
    }
    Ok(())
}

fn colour_bar_axis(bar: &ColourBar) -> Axis {
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
const MAX_TICKS: f64 = 100.0;

/// Labelled multiples of `step` within [lo, hi]. A span too wide for its step (one
/// that overflows, or bounds that are not finite) gets its two ends alone, so no
/// axis can ask for more than [`MAX_TICKS`] marks.
fn labelled_ticks(lo: f64, hi: f64, step: f64) -> Vec<(f64, String)> {
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

fn draw_side<DB: DrawingBackend>(
    fig: &Figure,
    side: &DrawingArea<DB, Shift>,
    top: i32,
    width: u32,
) -> Result<(), DrawError> {
    let left = 8;
    let mut y = top;
    let text_style = font(LEGEND_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
    let (_, side_h) = side.dim_in_pixel();
    if let Some(title) = &fig.legend_title {
        for line in wrap(side, title, LEGEND_SIZE, width.saturating_sub(16))? {
            side.draw(&Text::new(line, (left, y + 8), text_style.clone()))?;
            y += 19;
        }
        y += 4;
    }
    for e in &fig.legend {
        let cy = y + 9;
        match &e.swatch {
            Swatch::Line {
                colour,
                width,
                dashed,
            } => {
                let style = rgb(*colour).stroke_width(*width + 1);
                if *dashed {
                    for k in 0..3 {
                        let x0 = left + k * 12;
                        side.draw(&PathElement::new(vec![(x0, cy), (x0 + 8, cy)], style))?;
                    }
                } else {
                    side.draw(&PathElement::new(vec![(left, cy), (left + 32, cy)], style))?;
                }
            }
            Swatch::Fill { colour, opacity } => {
                side.draw(&Rectangle::new(
                    [(left, cy - 7), (left + 32, cy + 7)],
                    rgb(*colour).mix(*opacity).filled(),
                ))?;
            }
            Swatch::Point { colour } => {
                side.draw(&Circle::new((left + 16, cy), 5, rgb(*colour).filled()))?;
            }
            Swatch::Interval { colour, width } => {
                let style = rgb(*colour).stroke_width(*width);
                side.draw(&PathElement::new(
                    vec![(left + 16, cy - 8), (left + 16, cy + 8)],
                    style,
                ))?;
                side.draw(&PathElement::new(
                    vec![(left + 11, cy - 8), (left + 21, cy - 8)],
                    style,
                ))?;
                side.draw(&PathElement::new(
                    vec![(left + 11, cy + 8), (left + 21, cy + 8)],
                    style,
                ))?;
            }
        }
        side.draw(&Text::new(
            e.text.clone(),
            (left + 42, cy),
            text_style.clone(),
        ))?;
        y += 24;
    }
    if let Some(bar) = &fig.colour_bar {
        if !fig.legend.is_empty() {
            y += 12;
        }
        for line in wrap(side, &bar.label, LEGEND_SIZE, width.saturating_sub(16))? {
            side.draw(&Text::new(line, (left, y + 8), text_style.clone()))?;
            y += 19;
        }
        y += 6;
        let bar_top = y;
        let bar_bottom = (side_h as i32 - 70).max(bar_top + 60).min(bar_top + 340);
        let axis = colour_bar_axis(bar);
        let steps = (bar_bottom - bar_top).max(1);
        for k in 0..steps {
            // top is the high end of the scale
            let t = 1.0 - f64::from(k) / f64::from(steps - 1).max(1.0);
            let c = viridis(t);
            side.draw(&Rectangle::new(
                [(left, bar_top + k), (left + 24, bar_top + k + 1)],
                rgb(c).filled(),
            ))?;
        }
        side.draw(&Rectangle::new(
            [(left, bar_top), (left + 24, bar_bottom)],
            RGBColor(60, 60, 60).stroke_width(1),
        ))?;
        let label_style = font(LABEL_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
        for (v, l) in &axis.ticks {
            let f = (v - axis.lo) / (axis.hi - axis.lo);
            let py = bar_bottom - (f * f64::from(bar_bottom - bar_top)).round() as i32;
            side.draw(&PathElement::new(
                vec![(left + 24, py), (left + 30, py)],
                RGBColor(60, 60, 60).stroke_width(1),
            ))?;
            side.draw(&Text::new(l.clone(), (left + 34, py), label_style.clone()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_numbers() {
        assert_eq!(nice_step(0.13), 0.2);
        assert_eq!(nice_step(23.0), 25.0);
        assert_eq!(nice_step(600.0), 1000.0);
        assert_eq!(tick_label(2_500_000.0, 500_000.0, 3e6), "2.5M");
        assert_eq!(tick_label(12_500.0, 2500.0, 2e4), "12,500");
        assert_eq!(tick_label(0.25, 0.05, 1.0), "0.25");
        assert_eq!(tick_label(-0.0, 0.05, 1.0), "0");
        assert_eq!(tick_label(0.0, 1e6, 3e6), "0");
        assert_eq!(value_label(2_993_018.0), "2.99M");
        assert_eq!(value_label(0.5882), "0.588");
        assert_eq!(value_label(-1234.4), "-1,234");
        // Cells 3.00M..3.02M need more than three figures.
        assert_eq!(value_label_at(3_011_234.0, 400.0, 3_011_234.0), "3,011,234");
        assert_eq!(value_label_at(3_011_234.0, 40_000.0, 3_011_234.0), "3.01M");
        assert_eq!(value_label_at(0.61234, 0.002, 0.7), "0.612");
        // Smaller cells of a chart whose largest value is in millions read in millions.
        assert_eq!(value_label_at(385_224.0, 40_000.0, 1_240_000.0), "0.39M");
    }

    #[test]
    fn linear_axis_covers_data_with_whole_ticks() {
        let a = Axis::linear("y", 3.0, 97.0, true);
        assert!(a.lo <= 0.0 && a.hi >= 97.0);
        assert!(a.ticks.len() >= 4 && a.ticks.len() <= 12);
        let l = Axis::log10("x", 1.0, 1000.0);
        assert!(l.ticks.iter().any(|t| t.1 == "1") && l.ticks.iter().any(|t| t.1 == "1,000"));
        let single = Axis::log10("x", 1999.0, 1999.0);
        assert!(single.ticks.len() >= 2 && single.lo < 1999f64.log10());
    }
}
