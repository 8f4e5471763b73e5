//! The `cohorts` plot of a run: the survival of each monthly acquisition cohort by
//! age, from cohorts.csv (docs/OUTPUTS.md), averaged over replicates.

use super::data::Table;
use super::figure::{Axis, Figure, Layer, LegendEntry, Panel, viridis};
use super::{Manifest, PlotError, replicates_note};
use crate::results::COHORTS_COLUMNS;
use std::collections::BTreeMap;
use std::path::Path;

/// Most cohorts drawn, so the lines stay apart.
const MOST_COHORTS: usize = 12;

/// The cohorts drawn of `count` (0..count): all of them up to [`MOST_COHORTS`], else
/// every k-th from cohort 0 with k the smallest step that keeps at most that many.
fn drawn(count: usize) -> Vec<usize> {
    let step = count.div_ceil(MOST_COHORTS).max(1);
    (0..count).step_by(step).collect()
}

/// Mean survival share over replicates of each cohort at each age, by cohort then age
/// (replicates whose cohort is empty leave the mean out).
type Curves = BTreeMap<u32, Ages>;

/// One cohort's sum of shares and number of replicates with a share, by age.
type Ages = BTreeMap<u32, (f64, usize)>;

/// The curves of cohorts.csv and its number of replicates.
fn curves(t: &Table) -> Result<(Curves, usize), PlotError> {
    let [replicate, cohort, age, _, _, share] = COHORTS_COLUMNS.map(|c| t.require(c));
    let (replicate, cohort, age, share) = (replicate?, cohort?, age?, share?);
    let mut out: Curves = BTreeMap::new();
    let mut replicates = std::collections::BTreeSet::new();
    for r in 0..t.len() {
        replicates.insert(t.text(r, replicate).to_string());
        let (Some(c), Some(a)) = (t.num(r, cohort)?, t.num(r, age)?) else {
            continue;
        };
        let slot = out
            .entry(c as u32)
            .or_default()
            .entry(a as u32)
            .or_insert((0.0, 0));
        if let Some(s) = t.num(r, share)? {
            slot.0 += s;
            slot.1 += 1;
        }
    }
    Ok((out, replicates.len()))
}

/// The cohorts figure, when the folder has cohorts.csv with a cohort observed past
/// age 0.
pub(super) fn figure(dir: &Path, m: &Manifest) -> Result<Option<Figure>, PlotError> {
    let path = dir.join(crate::results::COHORTS);
    if !path.is_file() {
        return Ok(None);
    }
    let (curves, replicates) = curves(&Table::read(&path)?)?;
    let cohorts: Vec<(&u32, &Ages)> = curves.iter().collect();
    let oldest = cohorts
        .iter()
        .flat_map(|(_, ages)| ages.keys())
        .max()
        .copied()
        .unwrap_or(0);
    if oldest == 0 {
        return Ok(None);
    }
    let chosen = drawn(cohorts.len());
    let mut layers = Vec::new();
    let mut legend = Vec::new();
    for (k, &i) in chosen.iter().enumerate() {
        let (cohort, ages) = cohorts[i];
        // Viridis from dark (oldest cohort) to green, leaving out the pale yellow end.
        let colour = viridis(0.85 * k as f64 / (chosen.len().max(2) - 1) as f64);
        let pts: Vec<(f64, f64)> = ages
            .iter()
            .map(|(&age, &(sum, n))| {
                let mean = if n == 0 { f64::NAN } else { sum / n as f64 };
                (age as f64, mean)
            })
            .collect();
        let start = cohort * 30;
        layers.push(Layer::Line {
            pts: pts.clone(),
            colour,
            width: 2,
            dashed: false,
        });
        if pts.len() == 1 {
            layers.push(Layer::Points {
                pts,
                colour,
                radius: 3,
            });
        }
        legend.push(LegendEntry::line(
            colour,
            format!("month {cohort} (days {start}–{})", start + 29),
        ));
    }
    let legend_title = if chosen.len() < cohorts.len() {
        format!(
            "acquired in (every {} months)",
            chosen.get(1).copied().unwrap_or(1)
        )
    } else {
        "acquired in".to_string()
    };
    Ok(Some(Figure {
        name: "cohorts",
        title: format!(
            "{}: retention by month of acquisition ({})",
            m.name,
            replicates_note(replicates),
        ),
        panels: vec![Panel {
            x: Axis::span("age (days since first purchase)", 0.0, oldest as f64),
            y: Axis::linear("share of the cohort not yet lost", 0.0, 1.0, true),
            layers,
            weight: 1,
        }],
        legend_title: Some(legend_title),
        legend,
        colour_bar: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_twelve_cohorts_are_drawn_every_kth_from_the_first() {
        assert_eq!(drawn(5), vec![0, 1, 2, 3, 4]);
        assert_eq!(drawn(12).len(), 12);
        assert_eq!(drawn(13), vec![0, 2, 4, 6, 8, 10, 12]);
        assert_eq!(drawn(25), (0..25).step_by(3).collect::<Vec<_>>());
        assert!(drawn(0).is_empty());
    }
}
