//! The plots of one run: time series over replicates and the degree distribution.

use super::data::{self, Series, Stat, Table};
use super::figure::{Axis, Figure, GREY, Layer, LegendEntry, Panel, Rgb, colour, thousands};
use super::{Manifest, PlotError, replicates_note};
use crate::results::SOURCE_COLUMNS;
use std::path::Path;

/// Opacity of 95% bands.
pub(super) const BAND: f64 = 0.22;

/// The x axis of every time-series chart.
pub(super) fn tick_axis(ticks: usize) -> Axis {
    Axis::span("day (tick)", 0.0, ticks.saturating_sub(1).max(1) as f64)
}

/// The band (95% interval of the mean) and the mean line of one column.
pub(super) fn line_band(stats: &[Stat], colour: Rgb, dashed: bool) -> [Layer; 2] {
    let x: Vec<f64> = (0..stats.len()).map(|t| t as f64).collect();
    let (mut mean, mut lo, mut hi) = (Vec::new(), Vec::new(), Vec::new());
    for s in stats {
        let (m, l, h) = s.interval();
        mean.push(m);
        lo.push(l);
        hi.push(h);
    }
    band_and_line(x, mean, lo, hi, colour, dashed)
}

/// A shaded band from `lo` to `hi` under the line of `mean`, all over `x`.
pub(super) fn band_and_line(
    x: Vec<f64>,
    mean: Vec<f64>,
    lo: Vec<f64>,
    hi: Vec<f64>,
    colour: Rgb,
    dashed: bool,
) -> [Layer; 2] {
    [
        Layer::Band {
            x: x.clone(),
            lo,
            hi,
            colour,
            opacity: BAND,
        },
        Layer::Line {
            pts: x.into_iter().zip(mean).collect(),
            colour,
            width: 2,
            dashed,
        },
    ]
}

/// Like [`line_band`] for a per-day flow, each point the mean of the last 7 days
/// (band bounds averaged likewise), so daily noise does not hide the level.
fn weekly_mean(stats: &[Stat], colour: Rgb) -> [Layer; 2] {
    let smooth = |f: &dyn Fn(&Stat) -> f64| -> Vec<f64> {
        let v: Vec<f64> = stats.iter().map(f).collect();
        (0..v.len())
            .map(|t| {
                let w = &v[t.saturating_sub(6)..=t];
                let ok: Vec<f64> = w.iter().copied().filter(|x| x.is_finite()).collect();
                if ok.is_empty() {
                    f64::NAN
                } else {
                    ok.iter().sum::<f64>() / ok.len() as f64
                }
            })
            .collect()
    };
    let mean = smooth(&|s| s.interval().0);
    let lo = smooth(&|s| s.interval().1);
    let hi = smooth(&|s| s.interval().2);
    let x: Vec<f64> = (0..stats.len()).map(|t| t as f64).collect();
    band_and_line(x, mean, lo, hi, colour, false)
}

/// The smallest and largest bound of the columns' 95% intervals.
pub(super) fn extent<'a>(cols: impl IntoIterator<Item = &'a [Stat]>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for col in cols {
        for s in col {
            let (m, l, h) = s.interval();
            for v in [m, l, h] {
                if v.is_finite() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
        }
    }
    if lo > hi { (0.0, 1.0) } else { (lo, hi) }
}

/// The legend entry for bands.
pub(super) fn band_entry(replicates: usize) -> LegendEntry {
    LegendEntry::fill(
        GREY,
        BAND * 1.6,
        if replicates > 1 {
            "95% interval of the mean"
        } else {
            "95% interval (needs 2+ reps)"
        },
    )
}

/// The marketing columns the run plots draw besides `customers` and the `new_*`
/// columns, each one of `results::MARKETING_COLUMNS` (the engine names them; a unit
/// test checks).
const DRAWN: [&str; 11] = [
    "followers",
    "members",
    "active_members",
    "nps",
    "satisfaction",
    "reputation",
    "affiliation",
    "knowledge",
    "revenue",
    "spend",
    "cumulative_profit",
];

/// The time-series columns the run plots use, in the order they are read (a row's
/// first bad cell is the one reported): `adopters` (every model), `customers`, the
/// sources ([`SOURCE_COLUMNS`]) and [`DRAWN`].
fn wanted() -> Vec<&'static str> {
    let mut names = vec!["adopters", "customers"];
    names.extend(SOURCE_COLUMNS);
    names.extend(DRAWN);
    names
}

/// A source column's legend label: the source's name in words (`new_word_of_mouth`
/// → `word of mouth`).
pub(super) fn source_label(column: &str) -> String {
    column.trim_start_matches("new_").replace('_', " ")
}

pub(super) fn figures(dir: &Path, m: &Manifest) -> Result<Vec<Figure>, PlotError> {
    let series = data::read_series(
        &dir.join(crate::results::TIMESERIES),
        None,
        &wanted(),
        m.ticks,
    )?;
    let mut figs = Vec::new();
    figs.extend(adoption(&series, m));
    figs.extend(sources(&series, m));
    figs.extend(money(&series, m));
    figs.extend(lines(
        &series,
        "audience",
        format!("{}: audience and community", m.name),
        "agents",
        &[
            ("followers", "followers"),
            ("members", "members"),
            ("active_members", "active members"),
        ],
    ));
    figs.extend(satisfaction(&series, m));
    figs.extend(lines(
        &series,
        "social_capital",
        format!("{}: social capital", m.name),
        "mean over agents (index, 0–1)",
        &[
            ("reputation", "reputation"),
            ("affiliation", "affiliation"),
            ("knowledge", "knowledge"),
        ],
    ));
    figs.extend(super::cohorts::figure(dir, m)?);
    let degrees = dir.join(crate::results::DEGREES);
    if degrees.is_file() {
        figs.extend(degree_plot(&Table::read(&degrees)?, m)?);
    }
    let attribution = dir.join(crate::results::ATTRIBUTION);
    if attribution.is_file() {
        figs.extend(super::attribution::figure(&Table::read(&attribution)?, m)?);
    }
    let sensitivity = dir.join(crate::results::SENSITIVITY);
    if sensitivity.is_file() {
        figs.extend(super::sensitivity::figure(&Table::read(&sensitivity)?, m)?);
    }
    let fit = dir.join(crate::results::FIT);
    if fit.is_file() {
        figs.extend(super::calibration::figure(&Table::read(&fit)?, m)?);
    }
    figs.extend(super::optimise::response_curves(dir, m)?);
    figs.extend(super::optimise::plan_timeline(dir, m)?);
    Ok(figs)
}

fn adoption(s: &Series, m: &Manifest) -> Option<Figure> {
    let reps = s.replicates;
    let customers = s.column(0, "customers");
    let adopters = s.column(0, "adopters");
    let mut layers = Vec::new();
    let mut legend = Vec::new();
    let (what, ylabel, ticks, ext) = match (customers, adopters) {
        (Some(c), a) => {
            layers.extend(line_band(c, colour(0), false));
            legend.push(LegendEntry::line(colour(0), "customers"));
            if let Some(a) = a {
                layers.extend(line_band(a, colour(1), true));
                legend.push(LegendEntry {
                    swatch: super::figure::Swatch::Line {
                        colour: colour(1),
                        width: 2,
                        dashed: true,
                    },
                    text: "ever adopted".into(),
                });
            }
            let ext = extent([Some(c), a].into_iter().flatten());
            ("customers", "customers (agents)", c.len(), ext)
        }
        (None, Some(a)) => {
            layers.extend(line_band(a, colour(0), false));
            legend.push(LegendEntry::line(colour(0), "adopters"));
            ("adopters", "adopters (agents)", a.len(), extent([a]))
        }
        (None, None) => return None,
    };
    legend.push(band_entry(reps));
    Some(Figure {
        name: "adoption",
        title: format!("{}: {what} over time ({})", m.name, replicates_note(reps)),
        panels: vec![Panel {
            x: tick_axis(ticks),
            y: Axis::linear(ylabel, ext.0, ext.1, true),
            layers,
            weight: 1,
        }],
        legend_title: None,
        legend,
        colour_bar: None,
    })
}

/// Colours for the nine sources (Okabe–Ito, yellow included: areas are large; black
/// for influencers).
const SOURCE_COLOURS: [Rgb; SOURCE_COLUMNS.len()] = [
    (153, 153, 153), // external: grey
    (0, 114, 178),   // paid social: blue
    (86, 180, 233),  // organic social: sky blue
    (230, 159, 0),   // word of mouth: orange
    (0, 158, 115),   // community: bluish green
    (204, 121, 167), // advocate: reddish purple
    (213, 94, 0),    // review: vermillion
    (240, 228, 66),  // peers: yellow
    (0, 0, 0),       // influencer: black
];

fn sources(s: &Series, m: &Manifest) -> Option<Figure> {
    let cols: Vec<(usize, String, &[Stat])> = SOURCE_COLUMNS
        .into_iter()
        .enumerate()
        .filter_map(|(i, column)| s.column(0, column).map(|st| (i, source_label(column), st)))
        // A source that brought no adopter in any replicate has no area: no legend entry.
        .filter(|(_, _, st)| st.iter().any(|s| s.n > 0 && s.mean() > 0.0))
        .collect();
    if cols.is_empty() {
        return None;
    }
    let ticks = cols[0].2.len();
    let x: Vec<f64> = (0..ticks).map(|t| t as f64).collect();
    let mut base = vec![0.0; ticks];
    let mut layers = Vec::new();
    let mut legend = Vec::new();
    for (i, label, st) in &cols {
        let means: Vec<f64> = st
            .iter()
            .map(|s| if s.n > 0 { s.mean() } else { 0.0 })
            .collect();
        // 7-day moving sum (trailing), so daily noise does not hide the mix.
        let mut window = 0.0;
        let mut sum = Vec::with_capacity(ticks);
        for t in 0..ticks {
            window += means[t];
            if t >= 7 {
                window -= means[t - 7];
            }
            sum.push(window.max(0.0));
        }
        let hi: Vec<f64> = base.iter().zip(&sum).map(|(b, v)| b + v).collect();
        layers.push(Layer::Band {
            x: x.clone(),
            lo: base.clone(),
            hi: hi.clone(),
            colour: SOURCE_COLOURS[*i],
            opacity: 0.9,
        });
        legend.push(LegendEntry::fill(SOURCE_COLOURS[*i], 0.9, label.as_str()));
        base = hi;
    }
    legend.reverse(); // top of the stack first
    let top = base.iter().cloned().fold(0.0, f64::max);
    Some(Figure {
        name: "sources",
        title: format!(
            "{}: new customers by source ({})",
            m.name,
            replicates_note(s.replicates)
        ),
        panels: vec![Panel {
            x: tick_axis(ticks),
            y: Axis::linear("new customers per 7 days (agents)", 0.0, top, true),
            layers,
            weight: 1,
        }],
        legend_title: Some("source (stacked)".into()),
        legend,
        colour_bar: None,
    })
}

fn money(s: &Series, m: &Manifest) -> Option<Figure> {
    let mut panels = Vec::new();
    let mut legend = Vec::new();
    let mut ticks = 0;
    // Revenue and spend each get their own axis: spend is often a hundredth of revenue,
    // and on revenue's axis it would lie flat on zero.
    for (column, c, label, ylabel) in [
        (
            "revenue",
            colour(2),
            "revenue per day (7-day mean)",
            "revenue per day",
        ),
        (
            "spend",
            colour(3),
            "spend per day (7-day mean)",
            "spend per day",
        ),
    ] {
        if let Some(col) = s.column(0, column) {
            let smooth = weekly_mean(col, c);
            let (mut lo, mut hi) = (0.0f64, 0.0f64);
            for l in &smooth {
                if let Layer::Band { lo: a, hi: b, .. } = l {
                    for v in a.iter().chain(b).filter(|v| v.is_finite()) {
                        lo = lo.min(*v);
                        hi = hi.max(*v);
                    }
                }
            }
            legend.push(LegendEntry::line(c, label));
            ticks = col.len();
            panels.push(Panel {
                x: tick_axis(ticks),
                y: Axis::linear(ylabel, lo, hi, true),
                layers: smooth.to_vec(),
                weight: 1,
            });
        }
    }
    if let Some(p) = s.column(0, "cumulative_profit") {
        ticks = p.len();
        legend.push(LegendEntry::line(colour(0), "cumulative profit"));
        let ext = extent([p]);
        panels.push(Panel {
            x: tick_axis(ticks),
            y: Axis::linear("cumulative profit", ext.0, ext.1, true),
            layers: line_band(p, colour(0), false).to_vec(),
            weight: 1,
        });
    }
    stacked(
        "money",
        format!("{}: revenue, spend and profit (currency)", m.name),
        panels,
        legend,
        ticks,
        s.replicates,
    )
}

/// A figure of panels stacked over one shared day axis of `ticks` ticks, or none when
/// no panel had data.
fn stacked(
    name: &'static str,
    title: String,
    mut panels: Vec<Panel>,
    mut legend: Vec<LegendEntry>,
    ticks: usize,
    replicates: usize,
) -> Option<Figure> {
    if panels.is_empty() {
        return None;
    }
    for p in &mut panels {
        p.x = tick_axis(ticks);
    }
    legend.push(band_entry(replicates));
    Some(Figure {
        name,
        title: format!("{title} ({})", replicates_note(replicates)),
        panels,
        legend_title: None,
        legend,
        colour_bar: None,
    })
}

/// Several columns on one panel, each a mean line with its band.
fn lines(
    s: &Series,
    name: &'static str,
    title: String,
    ylabel: &str,
    cols: &[(&str, &str)],
) -> Option<Figure> {
    let present: Vec<(&[Stat], &str)> = cols
        .iter()
        .filter_map(|(c, label)| s.column(0, c).map(|st| (st, *label)))
        .collect();
    if present.is_empty() {
        return None;
    }
    let mut layers = Vec::new();
    let mut legend = Vec::new();
    for (i, (st, label)) in present.iter().enumerate() {
        layers.extend(line_band(st, colour(i), false));
        legend.push(LegendEntry::line(colour(i), *label));
    }
    legend.push(band_entry(s.replicates));
    let ext = extent(present.iter().map(|p| p.0));
    Some(Figure {
        name,
        title: format!("{title} ({})", replicates_note(s.replicates)),
        panels: vec![Panel {
            x: tick_axis(present[0].0.len()),
            y: Axis::linear(ylabel, ext.0, ext.1, true),
            layers,
            weight: 1,
        }],
        legend_title: None,
        legend,
        colour_bar: None,
    })
}

fn satisfaction(s: &Series, m: &Manifest) -> Option<Figure> {
    let mut panels = Vec::new();
    let mut legend = Vec::new();
    let mut ticks = 0;
    if let Some(nps) = s.column(0, "nps") {
        let ext = extent([nps]);
        ticks = nps.len();
        legend.push(LegendEntry::line(colour(0), "NPS"));
        panels.push(Panel {
            x: tick_axis(ticks),
            y: Axis::linear("NPS (−100 to 100)", ext.0, ext.1, true),
            layers: line_band(nps, colour(0), false).to_vec(),
            weight: 1,
        });
    }
    if let Some(sat) = s.column(0, "satisfaction") {
        ticks = sat.len();
        legend.push(LegendEntry::line(colour(1), "mean satisfaction"));
        panels.push(Panel {
            x: tick_axis(ticks),
            // The whole scale, so a run's satisfaction reads against its bounds.
            y: Axis::linear("satisfaction (0–1)", 0.0, 1.0, false),
            layers: line_band(sat, colour(1), false).to_vec(),
            weight: 1,
        });
    }
    stacked(
        "satisfaction",
        format!("{}: NPS and satisfaction of customers", m.name),
        panels,
        legend,
        ticks,
        s.replicates,
    )
}

fn degree_plot(t: &Table, m: &Manifest) -> Result<Option<Figure>, PlotError> {
    let dc = t.require("degree")?;
    let ac = t.require("agents")?;
    let mut pts = Vec::new();
    for r in 0..t.len() {
        if let (Some(d), Some(a)) = (t.num(r, dc)?, t.num(r, ac)?)
            && d > 0.0
            && a > 0.0
        {
            pts.push((d, a));
        }
    }
    if pts.is_empty() {
        return Ok(None);
    }
    let fold = |f: fn(f64, f64) -> f64, init: f64, g: fn(&(f64, f64)) -> f64| {
        pts.iter().map(g).fold(init, f)
    };
    let (dmin, dmax) = (
        fold(f64::min, f64::INFINITY, |p| p.0),
        fold(f64::max, 0.0, |p| p.0),
    );
    let (amin, amax) = (
        fold(f64::min, f64::INFINITY, |p| p.1),
        fold(f64::max, 0.0, |p| p.1),
    );
    let zero_degree = {
        let mut z = 0.0;
        for r in 0..t.len() {
            if t.num(r, dc)? == Some(0.0) {
                z += t.num(r, ac)?.unwrap_or(0.0);
            }
        }
        z
    };
    let mut detail = Vec::new();
    if let Some(n) = m.nodes {
        detail.push(format!("{} agents", thousands(n as f64, 0)));
    }
    if let Some(d) = m.mean_degree {
        detail.push(format!("mean degree {}", super::figure::value_label(d)));
    }
    if zero_degree > 0.0 {
        detail.push(format!("{} isolated, not shown", thousands(zero_degree, 0)));
    }
    let title = if detail.is_empty() {
        format!("{}: degree distribution", m.name)
    } else {
        format!("{}: degree distribution ({})", m.name, detail.join(", "))
    };
    Ok(Some(Figure {
        name: "degrees",
        title,
        panels: vec![Panel {
            x: Axis::log10("degree (ties per agent, log scale)", dmin, dmax),
            y: Axis::log10("agents with that degree (log scale)", amin, amax),
            layers: vec![Layer::Points {
                pts: pts.iter().map(|(d, a)| (d.log10(), a.log10())).collect(),
                colour: colour(0),
                radius: 4,
            }],
            weight: 1,
        }],
        legend_title: None,
        legend: Vec::new(),
        colour_bar: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::MARKETING_COLUMNS as COLUMNS;

    #[test]
    fn every_wanted_column_but_adopters_is_an_engine_column() {
        let wanted = wanted();
        for name in &wanted[1..] {
            assert!(COLUMNS.contains(name), "{name}");
        }
        assert_eq!(wanted.len(), 2 + SOURCE_COLUMNS.len() + DRAWN.len());
    }

    #[test]
    fn source_labels_are_source_names_in_words() {
        let labels = SOURCE_COLUMNS.map(source_label);
        assert_eq!(
            labels,
            [
                "external",
                "paid social",
                "organic social",
                "word of mouth",
                "community",
                "advocate",
                "review",
                "peers",
                "influencer"
            ]
        );
    }
}
