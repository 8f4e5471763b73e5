//! Drawing a figure's parts: text wrapping, the layers of a panel, and a side
//! column (legend and colour bar).

use super::*;
use plotters::coord::Shift;

use plotters::style::text_anchor::{HPos, Pos, VPos};

pub(super) fn font(size: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, size).into_font())
}

/// The bold text style of a title, at `size` pixels.
pub(super) fn bold(size: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, size, FontStyle::Bold).into_font())
}

pub(super) fn text_width<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
) -> Result<u32, DrawError> {
    Ok(area.estimate_text_size(text, &font(size))?.0)
}

/// Breaks `text` into lines of at most `width` pixels at spaces, dots and underscores.
pub(super) fn wrap<DB: DrawingBackend>(
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

pub(super) fn segments(x: &[f64], ys: &[&[f64]]) -> Vec<Vec<usize>> {
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

pub(super) fn draw_layers<DB: DrawingBackend>(
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

/// Draws the side column: the legend (its title wrapped, then one swatch and text per
/// entry) from `top`, then the colour bar with its label and ticks below it.
pub(super) fn draw_side<DB: DrawingBackend>(
    fig: &Figure,
    side: &DrawingArea<DB, Shift>,
    top: i32,
    width: u32,
) -> Result<(), DrawError> {
    let text_style = font(LEGEND_SIZE).pos(Pos::new(HPos::Left, VPos::Center));
    let mut y = top;
    if let Some(title) = &fig.legend_title {
        for line in wrap(side, title, LEGEND_SIZE, width.saturating_sub(16))? {
            side.draw(&Text::new(line, (SIDE_LEFT, y + 8), text_style.clone()))?;
            y += 19;
        }
        y += 4;
    }
    for e in &fig.legend {
        let cy = y + 9;
        draw_swatch(side, &e.swatch, cy)?;
        side.draw(&Text::new(
            e.text.clone(),
            (SIDE_LEFT + 42, cy),
            text_style.clone(),
        ))?;
        y += 24;
    }
    if let Some(bar) = &fig.colour_bar {
        if !fig.legend.is_empty() {
            y += 12;
        }
        for line in wrap(side, &bar.label, LEGEND_SIZE, width.saturating_sub(16))? {
            side.draw(&Text::new(line, (SIDE_LEFT, y + 8), text_style.clone()))?;
            y += 19;
        }
        draw_colour_bar(side, bar, y + 6)?;
    }
    Ok(())
}

/// The side column's left edge, in pixels.
const SIDE_LEFT: i32 = 8;

/// A legend entry's swatch, centred on the row at `cy`.
fn draw_swatch<DB: DrawingBackend>(
    side: &DrawingArea<DB, Shift>,
    swatch: &Swatch,
    cy: i32,
) -> Result<(), DrawError> {
    let left = SIDE_LEFT;
    match swatch {
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
    Ok(())
}

/// The colour bar from `bar_top` down (at least 60, at most 340 pixels, leaving 70
/// below), the high end of the scale on top, with its ticks and labels beside it.
fn draw_colour_bar<DB: DrawingBackend>(
    side: &DrawingArea<DB, Shift>,
    bar: &ColourBar,
    bar_top: i32,
) -> Result<(), DrawError> {
    let left = SIDE_LEFT;
    let (_, side_h) = side.dim_in_pixel();
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
    Ok(())
}
