//! The chart of a comparison's robustness check (`compare --uncertain`): for the first
//! challenger and the headline metric, its lead over the baseline in every draw against
//! the uncertain parameters it depends on most, so the region where the ranking flips
//! is visible. Read from `robustness_parameters.csv`, `uncertain_draws.csv` and
//! `uncertain_outcomes.csv`.

use super::PlotError;
use super::data::Table;
use super::figure::{Axis, Figure, Layer, LegendEntry, Panel, Swatch, colour};
use crate::results::{ROBUSTNESS_PARAMETERS, UNCERTAIN_DRAWS, UNCERTAIN_OUTCOMES};
use std::path::Path;

/// Parameters shown: the strongest dependences.
const SHOWN: usize = 3;

/// The robustness chart, or `None` when the folder has no robustness check.
pub(super) fn figure(dir: &Path) -> Result<Option<Figure>, PlotError> {
    let path = dir.join(ROBUSTNESS_PARAMETERS);
    if !path.is_file() {
        return Ok(None);
    }
    let deps = Table::read(&path)?;
    let draws = Table::read(&dir.join(UNCERTAIN_DRAWS))?;
    let outcomes = Table::read(&dir.join(UNCERTAIN_OUTCOMES))?;
    let [metric_c, scenario_c, baseline_c, parameter_c, rho_c] = [
        "metric",
        "scenario",
        "baseline",
        "parameter",
        "rank_correlation",
    ]
    .map(|c| deps.require(c));
    let (metric_c, scenario_c, baseline_c, parameter_c, rho_c) =
        (metric_c?, scenario_c?, baseline_c?, parameter_c?, rho_c?);
    if deps.len() == 0 {
        return Ok(None);
    }
    // The first challenger's first headline metric, as the file lists them.
    let (metric, scenario, baseline) = (
        deps.text(0, metric_c).to_string(),
        deps.text(0, scenario_c).to_string(),
        deps.text(0, baseline_c).to_string(),
    );
    let rows: Vec<usize> = (0..deps.len())
        .filter(|&r| deps.text(r, metric_c) == metric && deps.text(r, scenario_c) == scenario)
        .take(SHOWN)
        .collect();
    // The challenger's lead per draw (positive: it wins), oriented as the file's
    // rank correlations are.
    let [draw_c, out_scenario_c] = ["draw", "scenario"].map(|c| outcomes.require(c));
    let (draw_c, out_scenario_c) = (draw_c?, out_scenario_c?);
    let value_c = outcomes.require(&metric)?;
    let n = draws.len();
    let mut own = vec![f64::NAN; n];
    let mut base = vec![f64::NAN; n];
    for r in 0..outcomes.len() {
        let Some(d) = outcomes
            .num(r, draw_c)?
            .map(|d| d as usize)
            .filter(|&d| d < n)
        else {
            continue;
        };
        let v = outcomes.num(r, value_c)?.unwrap_or(f64::NAN);
        let who = outcomes.text(r, out_scenario_c);
        if who == scenario {
            own[d] = v;
        } else if who == baseline {
            base[d] = v;
        }
    }
    let lower = crate::robustness::Better::of(&metric) == crate::robustness::Better::Lower;
    let lead: Vec<f64> = own
        .iter()
        .zip(&base)
        .map(|(a, b)| if lower { b - a } else { a - b })
        .collect();
    let (lo, hi) = lead
        .iter()
        .filter(|v| v.is_finite())
        .fold((0.0f64, 0.0f64), |(l, h), &v| (l.min(v), h.max(v)));
    // Short: three panels share the height (the title says whose lead).
    let lead_label = match super::unit(&metric) {
        "" => "lead".to_string(),
        u => format!("lead ({u})"),
    };
    // Room below the lowest point, and above the points for each panel's label.
    let lo = lo - 0.05 * (hi - lo).max(1.0);
    let top = hi + 0.25 * (hi - lo).max(1.0);
    let [low_c, high_c] = ["low", "high"].map(|c| deps.require(c));
    let (low_c, high_c) = (low_c?, high_c?);
    let mut panels = Vec::new();
    for &r in &rows {
        let parameter = deps.text(r, parameter_c);
        let column = draws.require(parameter)?;
        let rho = deps.num(r, rho_c)?.unwrap_or(f64::NAN);
        let (Some(low), Some(high)) = (deps.num(r, low_c)?, deps.num(r, high_c)?) else {
            continue;
        };
        // Each parameter on its own range, so the panels share one x axis.
        let position = |x: f64| {
            if high > low {
                (x - low) / (high - low)
            } else {
                0.5
            }
        };
        let mut wins = Vec::new();
        let mut losses = Vec::new();
        for (d, &y) in lead.iter().enumerate() {
            let Some(x) = draws.num(d, column)? else {
                continue;
            };
            if !y.is_finite() {
                continue;
            }
            if y > 0.0 { &mut wins } else { &mut losses }.push((position(x), y));
        }
        panels.push(Panel {
            x: Axis::linear(
                "where the draw lies in each parameter's range (0 = low, 1 = high)",
                0.0,
                1.0,
                true,
            ),
            y: Axis::linear(&lead_label, lo, top, true),
            layers: vec![
                Layer::Label {
                    x: 0.5,
                    y: hi + 0.14 * (hi - lo).max(1.0),
                    text: format!(
                        "{parameter}: {}–{}, rank correlation {rho:.2}",
                        crate::metrics::number(low),
                        crate::metrics::number(high)
                    ),
                    colour: (0, 0, 0),
                    size: 14.0,
                    halo: true,
                },
                Layer::HLine {
                    y: 0.0,
                    colour: super::figure::GREY,
                },
                Layer::Points {
                    pts: wins,
                    colour: colour(0),
                    radius: 4,
                },
                Layer::Points {
                    pts: losses,
                    colour: colour(1),
                    radius: 4,
                },
            ],
            weight: 1,
        });
    }
    if panels.is_empty() {
        return Ok(None);
    }
    let words = metric.replace('_', " ");
    Ok(Some(Figure {
        name: "robustness",
        title: format!(
            "{scenario}'s lead over {baseline} in {words}, per uncertain draw ({n} draws)"
        ),
        panels,
        legend_title: None,
        legend: vec![
            LegendEntry {
                swatch: Swatch::Point { colour: colour(0) },
                text: format!("{scenario} wins"),
            },
            LegendEntry {
                swatch: Swatch::Point { colour: colour(1) },
                text: format!("{baseline} wins or ties"),
            },
        ],
        colour_bar: None,
    }))
}
