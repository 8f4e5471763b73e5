//! The plots of a comparison: each scenario's curves on shared axes, and the paired
//! differences from the baseline.

use super::data::{self, Series, Table};
use super::figure::{Axis, Figure, GREY, Layer, LegendEntry, Panel, Rgb, Swatch, colour};
use super::run::{band_entry, extent, line_band, tick_axis};
use super::{Manifest, PlotError, pretty, replicates_note};
use std::path::Path;

pub(super) fn figures(dir: &Path, m: &Manifest) -> Result<Vec<Figure>, PlotError> {
    let series = data::read_series(
        &dir.join(crate::results::TIMESERIES),
        Some("scenario"),
        &["customers", "adopters", "cumulative_profit"],
        m.ticks,
    )?;
    // Scenarios in the manifest's order, then any others the file has.
    let mut order: Vec<String> = m
        .scenarios
        .iter()
        .filter(|s| series.group(s).is_some())
        .cloned()
        .collect();
    for g in &series.groups {
        if !order.contains(g) {
            order.push(g.clone());
        }
    }
    let baseline = m
        .baseline
        .clone()
        .or_else(|| m.scenarios.first().cloned())
        .unwrap_or_else(|| order[0].clone());
    let mut figs = Vec::new();
    let adoption_col = if series.has("customers") {
        Some(("customers", "customers (agents)", "customers over time"))
    } else if series.has("adopters") {
        Some(("adopters", "adopters (agents)", "adopters over time"))
    } else {
        None
    };
    if let Some((col, ylabel, what)) = adoption_col {
        figs.push(curves(
            &series,
            &order,
            &baseline,
            col,
            "compare_adoption",
            ylabel,
            what,
        ));
    }
    if series.has("cumulative_profit") {
        figs.push(curves(
            &series,
            &order,
            &baseline,
            "cumulative_profit",
            "compare_profit",
            "cumulative profit (currency)",
            "cumulative profit",
        ));
    }
    let diff = dir.join(crate::results::DIFFERENCES);
    figs.extend(differences(&Table::read(&diff)?, &order, &baseline)?);
    figs.extend(super::robustness::figure(dir)?);
    let attribution = dir.join(crate::results::ATTRIBUTION);
    if attribution.is_file() {
        figs.extend(super::attribution::compared_figure(
            &Table::read(&attribution)?,
            &order,
        )?);
    }
    Ok(figs)
}

fn scenario_label(name: &str, baseline: &str) -> String {
    if name == baseline {
        format!("{name} (baseline)")
    } else {
        name.to_string()
    }
}

fn curves(
    s: &Series,
    order: &[String],
    baseline: &str,
    col: &str,
    name: &'static str,
    ylabel: &str,
    what: &str,
) -> Figure {
    let mut layers = Vec::new();
    let mut legend = Vec::new();
    let mut cols = Vec::new();
    let mut ticks = 0;
    for (i, scenario) in order.iter().enumerate() {
        let Some(stats) = s.group(scenario).and_then(|g| s.column(g, col)) else {
            continue;
        };
        layers.extend(line_band(stats, colour(i), false));
        legend.push(LegendEntry::line(
            colour(i),
            scenario_label(scenario, baseline),
        ));
        cols.push(stats);
        ticks = ticks.max(stats.len());
    }
    legend.push(band_entry(s.replicates));
    let ext = extent(cols);
    Figure {
        name,
        title: format!(
            "{what}: {} scenarios ({})",
            order.len(),
            replicates_note(s.replicates)
        ),
        panels: vec![Panel {
            x: tick_axis(ticks),
            y: Axis::linear(ylabel, ext.0, ext.1, true),
            layers,
            weight: 1,
        }],
        legend_title: None,
        legend,
        colour_bar: None,
    }
}

const HEADLINE: [&str; 4] = [
    "final_customers",
    "churn_hazard",
    "cumulative_profit",
    "clv_projected",
];
const CLASSIC: [&str; 4] = [
    "final_adopters",
    "peak_tick",
    "half_tick",
    "peak_new_adopters",
];

/// One row of differences.csv, as percentages of the baseline mean.
struct Row {
    scenario: String,
    metric: String,
    mean: f64,
    low: f64,
    high: f64,
    unpaired: Option<(f64, f64)>,
}

/// The differences chart: each scenario's paired difference from the baseline (with its
/// unpaired interval beside it) as a percentage of the baseline mean, per headline
/// metric; `None` when differences.csv has none of them.
fn differences(t: &Table, order: &[String], baseline: &str) -> Result<Option<Figure>, PlotError> {
    let rows = difference_rows(t)?;
    let metrics = difference_metrics(&rows);
    if metrics.is_empty() {
        return Ok(None);
    }
    let scenarios = compared_scenarios(&rows, order, baseline);
    let k = scenarios.len().max(1) as f64;
    let slot = 0.84 / k;
    let Marks {
        mut layers,
        mut legend,
        labels,
        lo,
        hi,
    } = difference_marks(&rows, &scenarios, &metrics, order, slot);
    push_interval_legend(&mut legend);
    // Only when each slot is wide enough for its label (the plot is ~700 px wide).
    let slot_px = 700.0 * slot / metrics.len() as f64;
    let hi = if slot_px < 44.0 {
        hi
    } else {
        label_differences(labels, (lo, hi), &mut layers)
    };
    let pad = (hi - lo).max(1.0) * 0.04;
    let names: Vec<String> = metrics.iter().map(|m| pretty(m)).collect();
    Ok(Some(Figure {
        name: "compare_differences",
        title: format!("Difference from the baseline “{baseline}”, as % of its mean"),
        panels: vec![Panel {
            x: Axis::categories("summary metric", &names),
            y: Axis::linear(
                "difference from baseline (% of baseline mean)",
                lo - pad,
                hi + pad,
                true,
            ),
            layers,
            weight: 1,
        }],
        legend_title: Some("scenario − baseline".into()),
        legend,
        colour_bar: None,
    }))
}

/// The metrics the chart shows: the marketing headline ones with a defined mean, else
/// the classic ones.
fn difference_metrics(rows: &[Row]) -> Vec<&'static str> {
    let has = |metric: &str| {
        rows.iter()
            .any(|r| r.metric == metric && r.mean.is_finite())
    };
    let metrics: Vec<&str> = HEADLINE.iter().copied().filter(|x| has(x)).collect();
    if metrics.is_empty() {
        CLASSIC.iter().copied().filter(|x| has(x)).collect()
    } else {
        metrics
    }
}

/// The scenarios after the baseline, in the comparison's order, then any others in the
/// order of the rows.
fn compared_scenarios<'a>(rows: &'a [Row], order: &'a [String], baseline: &str) -> Vec<&'a str> {
    let mut scenarios: Vec<&str> = order
        .iter()
        .map(String::as_str)
        .filter(|s| *s != baseline && rows.iter().any(|r| r.scenario == *s))
        .collect();
    for r in rows {
        if r.scenario != baseline && !scenarios.contains(&r.scenario.as_str()) {
            scenarios.push(&r.scenario);
        }
    }
    scenarios
}

/// The two interval swatches that end the legend: paired (thick), unpaired (thin).
fn push_interval_legend(legend: &mut Vec<LegendEntry>) {
    legend.push(LegendEntry {
        swatch: Swatch::Interval {
            colour: GREY,
            width: 3,
        },
        text: "paired 95% interval".into(),
    });
    legend.push(LegendEntry {
        swatch: Swatch::Interval {
            colour: GREY,
            width: 1,
        },
        text: "unpaired 95% interval".into(),
    });
}

/// Writes each paired difference above its interval; returns the top of the y range
/// widened to hold the labels.
fn label_differences(
    labels: Vec<(f64, f64, f64, Rgb)>,
    (lo, mut hi): (f64, f64),
    layers: &mut Vec<Layer>,
) -> f64 {
    let lift = (hi - lo).max(1.0) * 0.035;
    for (x, top, mean, c) in labels {
        if mean.is_finite() {
            layers.push(Layer::Label {
                x,
                y: top + lift,
                text: percent(mean),
                colour: c,
                size: 11.0,
                halo: true,
            });
            hi = hi.max(top + 2.0 * lift);
        }
    }
    hi
}

/// The rows of differences.csv, as percentages of the baseline mean (rows whose
/// baseline mean is zero are left out: no percentage of nothing).
fn difference_rows(t: &Table) -> Result<Vec<Row>, PlotError> {
    let sc = t.require("scenario")?;
    let mc = t.require("metric")?;
    let bc = t.require("baseline_mean")?;
    let dc = t.require("difference")?;
    let lc = t.require("low")?;
    let hc = t.require("high")?;
    let (ulc, uhc) = (t.col("unpaired_low"), t.col("unpaired_high"));
    let mut rows = Vec::new();
    for r in 0..t.len() {
        let Some(base) = t.num(r, bc)? else { continue };
        if base == 0.0 {
            continue; // no percentage of nothing
        }
        let pct = |v: Option<f64>| v.map_or(f64::NAN, |v| 100.0 * v / base.abs());
        let unpaired = match (ulc, uhc) {
            (Some(a), Some(b)) => match (t.num(r, a)?, t.num(r, b)?) {
                (Some(a), Some(b)) => Some((pct(Some(a)), pct(Some(b)))),
                _ => None,
            },
            _ => None,
        };
        rows.push(Row {
            scenario: t.text(r, sc).to_string(),
            metric: t.text(r, mc).to_string(),
            mean: pct(t.num(r, dc)?),
            low: pct(t.num(r, lc)?),
            high: pct(t.num(r, hc)?),
            unpaired,
        });
    }
    Ok(rows)
}

/// What the differences chart draws before its labels are placed: layers, legend
/// entries, a label per paired difference (x, top, mean, colour) and the y range.
struct Marks {
    layers: Vec<Layer>,
    legend: Vec<LegendEntry>,
    labels: Vec<(f64, f64, f64, Rgb)>,
    lo: f64,
    hi: f64,
}

/// One point with its paired interval (and, thinner, its unpaired one) per scenario
/// and metric, scenarios side by side within each metric's slot.
fn difference_marks(
    rows: &[Row],
    scenarios: &[&str],
    metrics: &[&str],
    order: &[String],
    slot: f64,
) -> Marks {
    let mut layers = vec![Layer::HLine {
        y: 0.0,
        colour: (60, 60, 60),
    }];
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    let mut legend = Vec::new();
    let mut labels = Vec::new();
    for (j, scenario) in scenarios.iter().enumerate() {
        let c = colour(order.iter().position(|o| o == scenario).unwrap_or(j + 1));
        legend.push(LegendEntry {
            swatch: Swatch::Point { colour: c },
            text: scenario.to_string(),
        });
        for (i, metric) in metrics.iter().enumerate() {
            let Some(row) = rows
                .iter()
                .find(|r| r.scenario == *scenario && r.metric == *metric)
            else {
                continue;
            };
            let x = i as f64 - 0.42 + slot * (j as f64 + 0.5);
            let cap = (slot * 0.18).min(0.06);
            if let Some((ul, uh)) = row.unpaired {
                layers.push(Layer::ErrorBar {
                    x: x + slot * 0.22,
                    lo: ul,
                    hi: uh,
                    colour: c,
                    width: 1,
                    cap: cap * 0.6,
                });
                for v in [ul, uh] {
                    if v.is_finite() {
                        lo = lo.min(v);
                        hi = hi.max(v);
                    }
                }
            }
            layers.push(Layer::ErrorBar {
                x,
                lo: row.low,
                hi: row.high,
                colour: c,
                width: 3,
                cap,
            });
            layers.push(Layer::Points {
                pts: vec![(x, row.mean)],
                colour: c,
                radius: 3,
            });
            labels.push((x, row.high.max(row.mean), row.mean, c));
            for v in [row.mean, row.low, row.high] {
                if v.is_finite() {
                    lo = lo.min(v);
                    hi = hi.max(v);
                }
            }
        }
    }
    Marks {
        layers,
        legend,
        labels,
        lo,
        hi,
    }
}

/// A signed percentage with sensible precision ("+213%", "-0.4%").
fn percent(v: f64) -> String {
    let a = v.abs();
    let body = if a >= 10.0 {
        format!("{a:.0}")
    } else if a >= 1.0 {
        format!("{a:.1}")
    } else {
        format!("{a:.2}")
    };
    let sign = if body.chars().all(|c| c == '0' || c == '.') {
        ""
    } else if v < 0.0 {
        "−"
    } else {
        "+"
    };
    format!("{sign}{body}%")
}
