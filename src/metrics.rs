//! Per-tick metrics of one replicate, per-replicate summaries, and means with 95%
//! confidence intervals across replicates.

use serde::Serialize;

/// The time series of one replicate: new adopters at each tick 0..=ticks (tick 0 is
/// the initial state, e.g. a cascade's seeds), any further per-tick metrics a model
/// records, and its per-replicate figures.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Series {
    /// New adopters at each tick.
    pub new_adopters: Vec<u32>,
    /// Further per-tick metrics, in output column order.
    pub columns: Vec<Column>,
    /// Further per-replicate figures, in output column order (NaN: not defined).
    pub figures: Vec<(&'static str, f64)>,
    /// Final per-agent records, when asked for.
    pub agents: Option<AgentTable>,
    /// Each agent's adoption tick (or `population::NEVER`) and CLV, when asked for.
    pub outcomes: Vec<(u32, f32)>,
}

/// One named per-tick metric.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Column name in timeseries.csv.
    pub name: &'static str,
    /// Value at each tick 0..=ticks.
    pub values: Vec<f64>,
}

/// Final state of every agent: named columns of one value per agent.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct AgentTable {
    /// Column names.
    pub names: Vec<&'static str>,
    /// One row per agent, one text cell per column.
    pub rows: Vec<Vec<String>>,
}

impl Series {
    /// An empty series for ticks 0..=ticks.
    pub fn new(ticks: u32) -> Self {
        Series {
            new_adopters: vec![0; ticks as usize + 1],
            ..Series::default()
        }
    }

    /// The values of a named column, if recorded.
    pub fn column(&self, name: &str) -> Option<&[f64]> {
        self.columns
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.values.as_slice())
    }

    /// A named per-replicate figure, if recorded.
    pub fn figure(&self, name: &str) -> Option<f64> {
        self.figures.iter().find(|f| f.0 == name).map(|f| f.1)
    }

    /// Records the new adopters of tick `t`.
    pub fn record(&mut self, t: u32, new_adopters: u32) {
        self.new_adopters[t as usize] = new_adopters;
    }

    /// Cumulative adopters at each tick.
    pub fn adopters(&self) -> Vec<u64> {
        self.new_adopters
            .iter()
            .scan(0u64, |total, &n| {
                *total += n as u64;
                Some(*total)
            })
            .collect()
    }
}

/// The headline figures of one replicate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Adopters at the last tick.
    pub final_adopters: u64,
    /// Final adopters as a share of the population.
    pub final_share: f64,
    /// First tick with the most new adopters (ticks ≥ 1; tick 0 holds only seeds).
    pub peak_tick: u32,
    /// New adopters at the peak tick.
    pub peak_new_adopters: u32,
    /// First tick at which at least half the population had adopted, if any.
    pub half_tick: Option<u32>,
}

impl Summary {
    /// Summarises a series of a population of `population` agents.
    pub fn of(series: &Series, population: usize) -> Summary {
        let adopters = series.adopters();
        let final_adopters = *adopters.last().unwrap_or(&0);
        let (peak_tick, peak_new_adopters) =
            series
                .new_adopters
                .iter()
                .enumerate()
                .skip(1)
                .fold(
                    (0, 0),
                    |best, (t, &n)| {
                        if n > best.1 { (t as u32, n) } else { best }
                    },
                );
        let half = (population as u64).div_ceil(2);
        Summary {
            final_adopters,
            final_share: final_adopters as f64 / population.max(1) as f64,
            peak_tick,
            peak_new_adopters,
            half_tick: adopters.iter().position(|&a| a >= half).map(|t| t as u32),
        }
    }
}

/// A mean with its 95% confidence interval (Student's t) across replicates.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    /// Sample mean.
    pub mean: f64,
    /// Lower bound of the 95% interval.
    pub low: f64,
    /// Upper bound of the 95% interval.
    pub high: f64,
    /// Number of values.
    pub n: usize,
}

impl Interval {
    /// The mean of `values` with its 95% interval; the interval collapses to the mean
    /// for a single value. `None` for no values.
    pub fn of(values: &[f64]) -> Option<Interval> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let half = if n < 2 {
            0.0
        } else {
            let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            t_975(n - 1) * (var / n as f64).sqrt()
        };
        Some(Interval {
            mean,
            low: mean - half,
            high: mean + half,
            n,
        })
    }
}

/// The 97.5% quantile of Student's t distribution with `df` degrees of freedom.
pub fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => TABLE[df - 1],
        _ => {
            // Cornish–Fisher expansion around the normal quantile; error < 1e-4 for df > 30.
            let z: f64 = 1.959_964;
            let d = df as f64;
            z + (z.powi(3) + z) / (4.0 * d)
                + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * d * d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_finds_final_peak_and_half() {
        let mut s = Series::new(4);
        for (t, n) in [(0, 1), (1, 2), (2, 5), (3, 5), (4, 1)] {
            s.record(t, n);
        }
        assert_eq!(s.adopters(), vec![1, 3, 8, 13, 14]);
        let sum = Summary::of(&s, 20);
        assert_eq!(sum.final_adopters, 14);
        assert_eq!(sum.peak_tick, 2);
        assert_eq!(sum.peak_new_adopters, 5);
        assert_eq!(sum.half_tick, Some(3));
        assert_eq!(Summary::of(&s, 40).half_tick, None);
    }

    #[test]
    fn interval_matches_hand_computation() {
        let i = Interval::of(&[1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!(i.mean, 2.5);
        let half = 3.182 * (1.666_666_666_666_666_7f64 / 4.0).sqrt();
        assert!((i.high - 2.5 - half).abs() < 1e-12);
        assert_eq!(Interval::of(&[5.0]).unwrap().low, 5.0);
        assert!(Interval::of(&[]).is_none());
        assert!((t_975(40) - 2.021).abs() < 1e-3);
        assert!((t_975(1000) - 1.962).abs() < 1e-3);
    }
}
