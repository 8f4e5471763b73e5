//! Global sensitivity analysis (`murmur sensitivity`, issue 12, item 1; docs/MODEL.md
//! §4.16): Sobol' indices by Saltelli's sampling scheme and Jansen's estimators
//! (Saltelli et al. 2010, "Variance based sensitivity analysis of model output",
//! Computer Physics Communications 181, Table 2 (b) and (f)), with percentile-bootstrap
//! 95% intervals over the base samples, or Morris (1991) elementary effects with
//! Campolongo, Cariboni & Saltelli's (2007) μ* for cheap screening. Every point runs
//! the scenario with its own seed and replicates: common random numbers across the
//! sample, so a parameter no mechanism reads changes nothing, exactly.
//!
//! The design lives on the unit hypercube: a caller maps each coordinate onto its
//! parameter's range. Base matrices A and B (N × k) come from counter-based streams
//! keyed by the seed, so a design is the same at any thread count; the N·(k + 2) points
//! to evaluate are A's rows, B's rows, then for each parameter i the rows of A_B^(i)
//! (A with column i taken from B).

use crate::rng::{Purpose, StreamKey};

mod slices;
mod study;
pub use slices::{
    RUNS, SLICE, Schedule, SensitivityError, analyse_scheduled, is_slice, journal_of, merge,
    scenario_hash, write_slice,
};
pub use study::{Analysis, HEADLINE, Means, Plan, run_points, table, write_csvs};

/// Bootstrap resamples of the indices' intervals.
pub const RESAMPLES: usize = 1000;

/// A Saltelli design: base matrices A and B on the unit hypercube.
#[derive(Clone, Debug, PartialEq)]
pub struct Design {
    /// Parameters (columns).
    pub k: usize,
    /// Base sample size N (rows of A and B).
    pub n: usize,
    /// A, row by row.
    pub a: Vec<Vec<f64>>,
    /// B, row by row.
    pub b: Vec<Vec<f64>>,
}

impl Design {
    /// A design of `n` base samples of `k` parameters from `seed`.
    pub fn new(k: usize, n: usize, seed: u64) -> Design {
        let key = StreamKey::new(seed, 0, 0, Purpose::Sensitivity);
        let matrix = |which: u64| -> Vec<Vec<f64>> {
            let m = key.child(which);
            (0..n as u64)
                .map(|row| {
                    let mut rng = m.agent(row);
                    (0..k).map(|_| rng.unit()).collect()
                })
                .collect()
        };
        Design {
            k,
            n,
            a: matrix(0),
            b: matrix(1),
        }
    }

    /// The N·(k + 2) points to evaluate, in order: A, B, then A_B^(i) for i = 0..k.
    pub fn points(&self) -> Vec<Vec<f64>> {
        let mut out = Vec::with_capacity(self.n * (self.k + 2));
        out.extend(self.a.iter().cloned());
        out.extend(self.b.iter().cloned());
        for i in 0..self.k {
            out.extend(self.a.iter().zip(&self.b).map(|(a, b)| {
                let mut row = a.clone();
                row[i] = b[i];
                row
            }));
        }
        out
    }
}

/// An index estimate with its 95% percentile-bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The estimate on the full sample.
    pub value: f64,
    /// Lower bound of the 95% interval.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

impl Estimate {
    /// `value` with the 2.5% and 97.5% percentiles of its bootstrap resamples `boot`.
    fn of(value: f64, mut boot: Vec<f64>) -> Estimate {
        boot.sort_by(f64::total_cmp);
        let at =
            |q: f64| boot[((q * (boot.len() - 1) as f64).round() as usize).min(boot.len() - 1)];
        Estimate {
            value,
            low: at(0.025),
            high: at(0.975),
        }
    }
}

/// First-order and total Sobol' indices of each parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Indices {
    /// S_i: the share of the output's variance due to parameter i alone.
    pub first_order: Vec<Estimate>,
    /// S_Ti: the share due to parameter i with all its interactions.
    pub total: Vec<Estimate>,
}

/// Jansen's estimators on the rows `rows` (indices into the base samples) of the
/// evaluations `f` laid out as [`Design::points`]: per parameter (S_i, S_Ti), with
/// V the variance of f(A) and f(B) pooled,
/// S_i = (V − Σ (f(B) − f(A_B^i))² / 2N) / V and S_Ti = Σ (f(A) − f(A_B^i))² / 2N / V.
fn jansen(f: &[f64], k: usize, n: usize, rows: &[usize]) -> Vec<(f64, f64)> {
    let m = rows.len() as f64;
    let (fa, fb) = (&f[..n], &f[n..2 * n]);
    let pooled = rows.iter().flat_map(|&j| [fa[j], fb[j]]);
    let mean = pooled.clone().sum::<f64>() / (2.0 * m);
    let v = pooled.map(|x| (x - mean) * (x - mean)).sum::<f64>() / (2.0 * m - 1.0);
    (0..k)
        .map(|i| {
            let fab = &f[(2 + i) * n..(3 + i) * n];
            let (mut first, mut total) = (0.0, 0.0);
            for &j in rows {
                first += (fb[j] - fab[j]).powi(2);
                total += (fa[j] - fab[j]).powi(2);
            }
            if v > 0.0 {
                ((v - first / (2.0 * m)) / v, total / (2.0 * m) / v)
            } else {
                (0.0, 0.0)
            }
        })
        .collect()
}

/// Sobol' indices from the evaluations `f` of a design's points (in the order of
/// [`Design::points`]), with percentile-bootstrap intervals over the base samples
/// (resampled with replacement, [`RESAMPLES`] times, from `seed`'s streams).
pub fn sobol(design: &Design, f: &[f64], seed: u64) -> Indices {
    let (k, n) = (design.k, design.n);
    assert_eq!(
        f.len(),
        n * (k + 2),
        "one evaluation per point of the design"
    );
    let all: Vec<usize> = (0..n).collect();
    let point = jansen(f, k, n, &all);
    let key = StreamKey::new(seed, 0, 0, Purpose::Sensitivity).child(2);
    let boot: Vec<Vec<(f64, f64)>> = (0..RESAMPLES as u64)
        .map(|b| {
            let mut rng = key.agent(b);
            let rows: Vec<usize> = (0..n).map(|_| rng.below(n as u64) as usize).collect();
            jansen(f, k, n, &rows)
        })
        .collect();
    let interval = |i: usize, pick: fn(&(f64, f64)) -> f64| {
        Estimate::of(pick(&point[i]), boot.iter().map(|r| pick(&r[i])).collect())
    };
    Indices {
        first_order: (0..k).map(|i| interval(i, |x| x.0)).collect(),
        total: (0..k).map(|i| interval(i, |x| x.1)).collect(),
    }
}

/// A Morris design (Morris 1991): `r` trajectories on a `p`-level grid, each a base
/// point in the grid's lower part and k steps of Δ = p / (2(p − 1)), one parameter at a
/// time in a random order. Rows: trajectory t's points are rows t·(k + 1) .. (t+1)·(k + 1).
pub struct MorrisDesign {
    /// Parameters.
    pub k: usize,
    /// Trajectories.
    pub r: usize,
    /// The step.
    pub delta: f64,
    /// The points, trajectory by trajectory.
    pub points: Vec<Vec<f64>>,
    /// Per trajectory, the parameter changed at each step.
    pub order: Vec<Vec<usize>>,
}

impl MorrisDesign {
    /// `r` trajectories of `k` parameters on `p` levels from `seed`.
    pub fn new(k: usize, r: usize, p: u32, seed: u64) -> MorrisDesign {
        let key = StreamKey::new(seed, 0, 0, Purpose::Sensitivity).child(3);
        let step = 1.0 / f64::from(p - 1);
        let delta = f64::from(p) / (2.0 * f64::from(p - 1));
        // Base levels x with x + Δ ≤ 1.
        let bases = (0..p)
            .filter(|&l| f64::from(l) * step + delta <= 1.0 + 1e-12)
            .count() as u64;
        let mut points = Vec::with_capacity(r * (k + 1));
        let mut order = Vec::with_capacity(r);
        for t in 0..r as u64 {
            let mut rng = key.agent(t);
            let mut x: Vec<f64> = (0..k).map(|_| rng.below(bases) as f64 * step).collect();
            let mut perm: Vec<usize> = (0..k).collect();
            for i in (1..k).rev() {
                perm.swap(i, rng.below(i as u64 + 1) as usize);
            }
            points.push(x.clone());
            for &i in &perm {
                x[i] += delta;
                points.push(x.clone());
            }
            order.push(perm);
        }
        MorrisDesign {
            k,
            r,
            delta,
            points,
            order,
        }
    }
}

/// Morris measures of one parameter: μ* (mean absolute elementary effect, with its
/// bootstrap interval over trajectories), σ and μ, in output units per unit of the
/// parameter's range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Morris {
    /// μ*: mean |EE| (Campolongo et al. 2007).
    pub mu_star: Estimate,
    /// σ: standard deviation of EE (non-linearity and interactions).
    pub sigma: f64,
    /// μ: mean EE (its sign: the direction of the effect).
    pub mu: f64,
}

/// The Morris measures from evaluations `f` of a design's points.
pub fn morris(design: &MorrisDesign, f: &[f64], seed: u64) -> Vec<Morris> {
    let (k, r) = (design.k, design.r);
    // effects[i][t]: parameter i's elementary effect in trajectory t.
    let mut effects = vec![vec![0.0; r]; k];
    for (t, order) in design.order.iter().enumerate() {
        for (step, &i) in order.iter().enumerate() {
            let at = t * (k + 1) + step;
            effects[i][t] = (f[at + 1] - f[at]) / design.delta;
        }
    }
    let key = StreamKey::new(seed, 0, 0, Purpose::Sensitivity).child(4);
    effects
        .iter()
        .map(|ee| {
            let n = ee.len() as f64;
            let mu = ee.iter().sum::<f64>() / n;
            let abs_mean = |rows: &mut dyn Iterator<Item = usize>| {
                let v: Vec<f64> = rows.map(|j| ee[j].abs()).collect();
                v.iter().sum::<f64>() / v.len() as f64
            };
            let mu_star = abs_mean(&mut (0..ee.len()));
            let sigma = if ee.len() > 1 {
                (ee.iter().map(|e| (e - mu) * (e - mu)).sum::<f64>() / (n - 1.0)).sqrt()
            } else {
                0.0
            };
            let boot: Vec<f64> = (0..RESAMPLES as u64)
                .map(|b| {
                    let mut rng = key.agent(b);
                    abs_mean(&mut (0..ee.len()).map(|_| rng.below(ee.len() as u64) as usize))
                })
                .collect();
            Morris {
                mu_star: Estimate::of(mu_star, boot),
                sigma,
                mu,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// Ishigami & Homma (1990) with a = 7, b = 0.1 on [−π, π]³.
    fn ishigami(u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|u| -PI + 2.0 * PI * u).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    #[test]
    fn the_estimators_reproduce_the_ishigami_functions_analytic_indices() {
        // Analytic: V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2; V1 = (1 + bπ⁴/5)²/2; V2 = a²/8;
        // V3 = 0; V13 = b²π⁸(1/18 − 1/50) (Saltelli et al. 2008, Global Sensitivity
        // Analysis: The Primer, section 2.7).
        let (a, b) = (7.0f64, 0.1f64);
        let v = a * a / 8.0 + b * PI.powi(4) / 5.0 + b * b * PI.powi(8) / 18.0 + 0.5;
        let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let s = [v1 / v, v2 / v, 0.0];
        let st = [(v1 + v13) / v, v2 / v, v13 / v];
        assert!((s[0] - 0.314).abs() < 1e-3 && (s[1] - 0.442).abs() < 1e-3);
        assert!((st[2] - 0.244).abs() < 1e-3);
        let design = Design::new(3, 8192, 11);
        let f: Vec<f64> = design.points().iter().map(|p| ishigami(p)).collect();
        let idx = sobol(&design, &f, 11);
        for i in 0..3 {
            for (e, truth, what) in [(idx.first_order[i], s[i], "S"), (idx.total[i], st[i], "ST")] {
                assert!(
                    e.low <= truth && truth <= e.high,
                    "{what}{} = {} [{}, {}], analytic {truth}",
                    i + 1,
                    e.value,
                    e.low,
                    e.high
                );
                assert!(
                    (e.value - truth).abs() < 0.03,
                    "{what}{}: {}",
                    i + 1,
                    e.value
                );
            }
        }
    }

    #[test]
    fn a_parameter_the_function_ignores_gets_zero_total_index_exactly() {
        // f reads only the first coordinate: A_B^(1) evaluates exactly as A.
        let design = Design::new(2, 256, 3);
        let f: Vec<f64> = design.points().iter().map(|p| p[0] * p[0]).collect();
        let idx = sobol(&design, &f, 3);
        assert_eq!(idx.total[1].value, 0.0);
        assert_eq!((idx.total[1].low, idx.total[1].high), (0.0, 0.0));
        assert!(idx.total[0].value > 0.9);
    }

    #[test]
    fn a_design_is_its_seeds_and_lays_out_n_times_k_plus_two_points() {
        let d = Design::new(4, 10, 5);
        assert_eq!(d, Design::new(4, 10, 5));
        assert_ne!(d, Design::new(4, 10, 6));
        let p = d.points();
        assert_eq!(p.len(), 60);
        // Row 3 of A_B^(2): A's row 3 with B's column 2.
        let row = &p[(2 + 2) * 10 + 3];
        assert_eq!(row[2], d.b[3][2]);
        assert_eq!(row[0], d.a[3][0]);
    }
}
