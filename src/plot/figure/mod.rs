//! A small description of a chart (panels of layers, a legend, a colour scale) and one
//! renderer that draws it on any plotters backend, so PNG and SVG come from the same
//! code.

use plotters::coord::Shift;

use plotters::prelude::*;

mod axis;
mod colour;
mod draw;

pub use axis::*;
pub use colour::*;
use draw::*;

/// The font family every text uses (registered from the embedded DejaVu Sans).
pub const FONT: &str = "sans-serif";
/// Pixel size of every chart.
pub const SIZE: (u32, u32) = (1000, 600);

const TITLE_SIZE: f64 = 22.0;
/// The smallest a title is shrunk to so that it fits the chart's width.
const MIN_TITLE_SIZE: f64 = 12.0;
/// Pixels kept clear at each end of a title.
const TITLE_MARGIN: u32 = 8;
const DESC_SIZE: f64 = 16.0;
const LABEL_SIZE: f64 = 14.0;
const LEGEND_SIZE: f64 = 14.0;

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

/// The font size of `title`: [`TITLE_SIZE`], or smaller, down to [`MIN_TITLE_SIZE`],
/// as much as it takes for the bold title to fit in `width` pixels (a long title,
/// such as a degree distribution's with its counts, would otherwise run off both
/// sides of the chart).
fn title_size<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    width: u32,
) -> Result<f64, DrawError> {
    let mut size = TITLE_SIZE;
    while size > MIN_TITLE_SIZE {
        if root.estimate_text_size(title, &bold(size))?.0 <= width {
            break;
        }
        size -= 1.0;
    }
    Ok(size)
}

/// Draws `fig` on `root`: the title, the panels stacked in the main column (sharing
/// one y-label width so they line up) and the legend and colour scale in a side column.
pub fn render<DB: DrawingBackend>(
    fig: &Figure,
    root: &DrawingArea<DB, Shift>,
) -> Result<(), DrawError> {
    root.fill(&WHITE)?;
    let (w, _) = root.dim_in_pixel();
    let size = title_size(root, &fig.title, w.saturating_sub(2 * TITLE_MARGIN))?;
    let body = root.margin(8, 0, 0, 0).titled(&fig.title, bold(size))?;
    let side_w = side_width(fig, root)?;
    let (main, side) = body.split_horizontally(w - side_w);
    let y_area = y_label_width(fig, root)? + 42;

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
        // A panel whose x axis differs from the one below it labels its own.
        let own_x = fig
            .panels
            .get(i + 1)
            .is_some_and(|below| !same_x(&below.x, &panel.x));
        let place = Place {
            first: i == 0,
            x_labels: last || own_x,
            side: side_w > 0,
            y_area,
        };
        let top = draw_panel(&area, panel, &place)?;
        plot_top.get_or_insert(top);
    }

    if side_w > 0 {
        let (_, side_ys) = side.get_pixel_range();
        let top = plot_top.unwrap_or(side_ys.start) - side_ys.start + 4;
        draw_side(fig, &side, top.max(0), side_w)?;
    }
    root.present()?;
    Ok(())
}

/// The width of the side column that holds the legend and colour scale (never over
/// the data): wide enough for their text, between 140 and 300 pixels; 0 without them.
fn side_width<DB: DrawingBackend>(
    fig: &Figure,
    root: &DrawingArea<DB, Shift>,
) -> Result<u32, DrawError> {
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
    Ok(if side_w > 0 {
        side_w.clamp(140, 300)
    } else {
        0
    })
}

/// The widest y tick label of any panel, so that stacked panels line up.
fn y_label_width<DB: DrawingBackend>(
    fig: &Figure,
    root: &DrawingArea<DB, Shift>,
) -> Result<u32, DrawError> {
    let mut y_labels = 0u32;
    for p in &fig.panels {
        for (_, l) in &p.y.ticks {
            y_labels = y_labels.max(text_width(root, l, LABEL_SIZE)?);
        }
    }
    Ok(y_labels)
}

/// Whether two panels' x axes are the same axis (so only the lower one is labelled).
fn same_x(a: &Axis, b: &Axis) -> bool {
    a.label == b.label && a.lo == b.lo && a.hi == b.hi
}

/// Where a panel sits in the stack, which decides its margins and x labels.
struct Place {
    /// The top panel.
    first: bool,
    /// Whether it labels its x axis: the bottom panel, and one whose x axis differs
    /// from the panel's below it.
    x_labels: bool,
    /// Whether a side column follows.
    side: bool,
    /// The width of the y-label area, common to every panel.
    y_area: u32,
}

/// Draws one panel (mesh, axis labels, layers) in `area`; returns the top pixel of its
/// plotting area.
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    place: &Place,
) -> Result<i32, DrawError> {
    let last = place.x_labels;
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_top(if place.first { 12 } else { 10 })
        .margin_right(if place.side { 10 } else { 25 })
        .margin_left(6)
        .margin_bottom(if last { 6 } else { 0 })
        .x_label_area_size(if last { 52 } else { 6 })
        .y_label_area_size(place.y_area);
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
    Ok(ys.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A short title keeps the full size; a long one shrinks until it fits the width
    /// (and no further); one too long for any size stops at the smallest.
    #[test]
    fn a_title_shrinks_to_fit_the_chart_and_no_further() {
        crate::plot::register_fonts().unwrap();
        let mut buffer = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
        let root = BitMapBackend::with_buffer(&mut buffer, SIZE).into_drawing_area();
        let width = SIZE.0 - 2 * TITLE_MARGIN;
        let fits = |title: &str, size: f64| {
            root.estimate_text_size(title, &bold(size)).unwrap().0 <= width
        };
        assert_eq!(
            title_size(&root, "community: customers over time", width).unwrap(),
            TITLE_SIZE
        );
        let long = "community: degree distribution (1,000,000 agents, mean degree 10.00, 59 isolated, not shown)";
        assert!(
            !fits(long, TITLE_SIZE),
            "the long title overflows at full size"
        );
        let size = title_size(&root, long, width).unwrap();
        assert!((MIN_TITLE_SIZE..TITLE_SIZE).contains(&size));
        assert!(fits(long, size), "{size} fits");
        assert!(!fits(long, size + 1.0), "{size} is the largest that fits");
        let endless = long.repeat(4);
        assert_eq!(title_size(&root, &endless, width).unwrap(), MIN_TITLE_SIZE);
    }

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
