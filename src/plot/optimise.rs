//! The charts of `murmur optimise`: `response_curves` (curves.csv: per channel, the
//! incremental objective against the channel's spend or level, its 95% interval, the
//! scenario's own level marked and each step's marginal ROI written above it) and
//! `plan_timeline` (plan_timeline.csv: the best and runner-up plans' incremental
//! customers and spend per day).

use super::data::Table;
use super::figure::{Axis, Figure, GREY, Layer, LegendEntry, Panel, Swatch, colour};
use super::run::{BAND, band_and_line, tick_axis};
use super::{Manifest, PlotError};
use std::path::Path;

/// The rows of one channel in curves.csv: (x, mean, low, high, marginal ROI, current).
type Points = Vec<(f64, f64, f64, f64, Option<f64>, bool)>;

/// Whether the objective (from candidates.csv) counts customers rather than money.
fn counts_customers(dir: &Path) -> Result<bool, PlotError> {
    let path = dir.join(crate::results::CANDIDATES);
    if !path.is_file() {
        return Ok(false);
    }
    let t = Table::read(&path)?;
    let col = t.require("objective")?;
    Ok(t.len() > 0 && t.text(0, col).ends_with("customers"))
}

/// The x axis label and the way a level reads, per channel.
fn channel_axis(channel: &str) -> &'static str {
    match channel {
        "paid_social" => "paid social: money per day",
        "community" => "community: money per day",
        "advocates" => "advocates (programme seats)",
        "reviews" => "reviews: NPS survey every … days",
        _ => "level",
    }
}

/// `response_curves`: one panel per channel of curves.csv.
pub(super) fn response_curves(dir: &Path, m: &Manifest) -> Result<Option<Figure>, PlotError> {
    let path = dir.join(crate::results::CURVES);
    if !path.is_file() {
        return Ok(None);
    }
    let t = Table::read(&path)?;
    let customers = counts_customers(dir)?;
    let what = if customers {
        "incremental_customers"
    } else {
        "incremental_profit"
    };
    let [channel, level, spend, mean, low, high, roi, current] = [
        "channel",
        "level",
        "spend_per_day",
        what,
        &format!("{what}_low"),
        &format!("{what}_high"),
        "marginal_roi",
        "current",
    ]
    .map(|c| t.require(c));
    let (channel, level, spend, mean, low, high, roi, current) =
        (channel?, level?, spend?, mean?, low?, high?, roi?, current?);
    let mut channels: Vec<(String, Points)> = Vec::new();
    for r in 0..t.len() {
        let name = t.text(r, channel).to_string();
        let by_money = matches!(name.as_str(), "paid_social" | "community");
        let x = if by_money {
            t.num(r, spend)?
        } else {
            t.num(r, level)?
        };
        let (Some(x), Some(y)) = (x, t.num(r, mean)?) else {
            continue;
        };
        let lo = t.num(r, low)?.unwrap_or(y);
        let hi = t.num(r, high)?.unwrap_or(y);
        let point = (x, y, lo, hi, t.num(r, roi)?, t.text(r, current) == "1");
        match channels.iter_mut().find(|(c, _)| *c == name) {
            Some((_, pts)) => pts.push(point),
            None => channels.push((name, vec![point])),
        }
    }
    if channels.is_empty() {
        return Ok(None);
    }
    let ylabel = if customers {
        "incr. customers"
    } else {
        "incr. profit"
    };
    let panels = channels
        .iter()
        .enumerate()
        .map(|(i, (name, pts))| curve_panel(name, pts, i, ylabel))
        .collect();
    let y_name = if customers {
        "incremental customers"
    } else {
        "incremental profit"
    };
    Ok(Some(Figure {
        name: "response_curves",
        title: format!("{}: response curves against no marketing", m.name),
        panels,
        legend_title: None,
        legend: vec![
            LegendEntry::line(GREY, format!("mean {y_name}")),
            LegendEntry::fill(GREY, BAND, "95% interval"),
            LegendEntry {
                swatch: Swatch::Point { colour: (0, 0, 0) },
                text: "the scenario's level".into(),
            },
            LegendEntry {
                swatch: Swatch::Fill {
                    colour: (255, 255, 255),
                    opacity: 0.0,
                },
                text: "labels: marginal ROI".into(),
            },
        ],
        colour_bar: None,
    }))
}

/// One channel's panel: its curve with its band, the current level, and the marginal
/// ROI of each step written above the point it leads to.
fn curve_panel(name: &str, pts: &Points, i: usize, ylabel: &str) -> Panel {
    let c = colour(i);
    let reviews = name == "reviews";
    // Survey intervals are drawn as evenly spaced categories (off, 90, 30, 7 days).
    let xs: Vec<f64> = if reviews {
        (0..pts.len()).map(|k| k as f64).collect()
    } else {
        pts.iter().map(|p| p.0).collect()
    };
    let lo = pts.iter().map(|p| p.2).fold(f64::INFINITY, f64::min);
    let hi = pts.iter().map(|p| p.3).fold(f64::NEG_INFINITY, f64::max);
    let mut y = Axis::linear(ylabel, lo, hi + 0.18 * (hi - lo).abs().max(1.0), true);
    // A short panel holds about four labelled ticks.
    let every = y.ticks.len().div_ceil(4).max(1);
    y.ticks = y.ticks.into_iter().step_by(every).collect();
    let x = if reviews {
        let names: Vec<String> = pts
            .iter()
            .map(|p| {
                if p.0 > 0.0 {
                    format!("{:.0}", p.0)
                } else {
                    "off".into()
                }
            })
            .collect();
        Axis::categories(channel_axis(name), &names)
    } else {
        let (x0, x1) = (xs[0], xs[xs.len() - 1]);
        let pad = 0.04 * (x1 - x0).max(1.0);
        Axis::span(channel_axis(name), x0 - pad, x1 + pad)
    };
    let mut layers = band_and_line(
        xs.clone(),
        pts.iter().map(|p| p.1).collect(),
        pts.iter().map(|p| p.2).collect(),
        pts.iter().map(|p| p.3).collect(),
        c,
        false,
    )
    .to_vec();
    layers.push(Layer::Points {
        pts: xs.iter().zip(pts).map(|(x, p)| (*x, p.1)).collect(),
        colour: c,
        radius: 3,
    });
    for (x, p) in xs.iter().zip(pts) {
        if p.5 {
            layers.push(Layer::Points {
                pts: vec![(*x, p.1)],
                colour: (0, 0, 0),
                radius: 6,
            });
        }
        if let Some(r) = p.4 {
            layers.push(Layer::Label {
                x: *x,
                y: p.3 + 0.09 * (y.hi - y.lo),
                text: format!("{r:.2}"),
                colour: (40, 40, 40),
                size: 12.0,
                halo: true,
            });
        }
    }
    Panel {
        x,
        y,
        layers,
        weight: 1,
    }
}

/// `plan_timeline`: the best and runner-up plans' mean incremental customers (95%
/// intervals) over the days, with the best plan of each other timing searched (so the
/// carry-over after a burst shows), and their mean spend per day below.
pub(super) fn plan_timeline(dir: &Path, m: &Manifest) -> Result<Option<Figure>, PlotError> {
    let path = dir.join(crate::results::PLAN_TIMELINE);
    if !path.is_file() {
        return Ok(None);
    }
    let t = Table::read(&path)?;
    let [plan, candidate, tick, mean, low, high, spend] = [
        "plan",
        "candidate",
        "tick",
        "incremental_customers",
        "incremental_customers_low",
        "incremental_customers_high",
        "spend",
    ]
    .map(|c| t.require(c));
    let (plan, candidate, tick, mean, low, high, spend) =
        (plan?, candidate?, tick?, mean?, low?, high?, spend?);
    // Per plan: its candidate and its rows (tick, mean, low, high, spend).
    let mut plans: Vec<(String, String, Vec<[f64; 5]>)> = Vec::new();
    for r in 0..t.len() {
        let name = t.text(r, plan).to_string();
        let Some(tk) = t.num(r, tick)? else { continue };
        let y = t.num(r, mean)?.unwrap_or(f64::NAN);
        let row = [
            tk,
            y,
            t.num(r, low)?.unwrap_or(y),
            t.num(r, high)?.unwrap_or(y),
            t.num(r, spend)?.unwrap_or(f64::NAN),
        ];
        match plans.iter_mut().find(|(p, _, _)| *p == name) {
            Some((_, _, rows)) => rows.push(row),
            None => plans.push((name, t.text(r, candidate).to_string(), vec![row])),
        }
    }
    if plans.is_empty() {
        return Ok(None);
    }
    let describe = plan_words(dir)?;
    let ticks = plans
        .iter()
        .flat_map(|p| p.2.iter().map(|r| r[0]))
        .fold(0.0, f64::max) as usize
        + 1;
    let (mut top, mut bottom, mut legend) = (Vec::new(), Vec::new(), Vec::new());
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    let (mut spend_lo, mut spend_hi) = (0.0f64, 0.0f64);
    for (i, (name, cand, rows)) in plans.iter().enumerate() {
        let c = colour(i);
        let col = |k: usize| rows.iter().map(|r| r[k]).collect::<Vec<f64>>();
        lo = rows.iter().map(|r| r[2]).fold(lo, f64::min);
        hi = rows.iter().map(|r| r[3]).fold(hi, f64::max);
        let spend = weekly(&col(4));
        spend_lo = spend.iter().copied().fold(spend_lo, f64::min);
        spend_hi = spend.iter().copied().fold(spend_hi, f64::max);
        top.extend(band_and_line(col(0), col(1), col(2), col(3), c, false));
        bottom.push(Layer::Line {
            pts: col(0).into_iter().zip(spend).collect(),
            colour: c,
            width: 2,
            dashed: false,
        });
        let label = match name.as_str() {
            "best" => "best".to_string(),
            "runner_up" => "2nd".to_string(),
            other => other.replace('_', " "),
        };
        let words = describe
            .iter()
            .find(|(k, _)| k == cand)
            .map_or(String::new(), |(_, w)| format!(": {w}"));
        legend.push(LegendEntry::line(c, format!("{label}{words}")));
    }
    Ok(Some(Figure {
        name: "plan_timeline",
        title: format!("{}: the best plans over time", m.name),
        panels: vec![
            Panel {
                x: tick_axis(ticks),
                y: Axis::linear("incremental customers", lo, hi, true),
                layers: top,
                weight: 2,
            },
            Panel {
                x: tick_axis(ticks),
                y: Axis::linear("spend per day (7-day mean)", spend_lo, spend_hi, true),
                layers: bottom,
                weight: 1,
            },
        ],
        legend_title: Some("plan".into()),
        legend,
        colour_bar: None,
    }))
}

/// The mean of each day and the six before it (fewer at the start), so events and
/// survey days do not hide the level of spend.
fn weekly(values: &[f64]) -> Vec<f64> {
    (0..values.len())
        .map(|t| {
            let window = &values[t.saturating_sub(6)..=t];
            window.iter().sum::<f64>() / window.len() as f64
        })
        .collect()
}

/// Each candidate's plan in a few words (`150/day, 25% SM, burst`: SM for social
/// media), from
/// candidates.csv.
fn plan_words(dir: &Path) -> Result<Vec<(String, String)>, PlotError> {
    let path = dir.join(crate::results::CANDIDATES);
    if !path.is_file() {
        return Ok(Vec::new());
    }
    let t = Table::read(&path)?;
    let [c, budget, share, timing] =
        ["candidate", "budget", "social_media_share", "timing"].map(|n| t.require(n));
    let (c, budget, share, timing) = (c?, budget?, share?, timing?);
    let mut out = Vec::new();
    for r in 0..t.len() {
        let b = t.num(r, budget)?.unwrap_or(f64::NAN);
        let s = t.num(r, share)?.unwrap_or(f64::NAN);
        out.push((
            t.text(r, c).to_string(),
            format!(
                "{b:.0}/day, {:.0}% SM, {}",
                s * 100.0,
                t.text(r, timing).replace('_', "-")
            ),
        ));
    }
    Ok(out)
}
