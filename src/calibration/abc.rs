//! Approximate Bayesian computation by sequential Monte Carlo (population Monte Carlo
//! ABC: Beaumont, Cornuet, Marin & Robert 2009, Biometrika 96; Toni, Welch, Strelkowa,
//! Ipsen & Stumpf 2009, J R Soc Interface 6), on uniform priors, for any simulator that
//! turns a batch of parameter vectors into distances. docs/MODEL.md §4.17.
//!
//! Generation 0 draws N particles from the prior and keeps them all. Generation t ≥ 1
//! has tolerance ε_t, the `quantile` of generation t − 1's distances; it proposes by
//! picking a particle of t − 1 by weight and moving it with a Gaussian kernel of twice
//! the weighted variance of each parameter (Beaumont et al. 2009), redrawing a move
//! that leaves the prior's box, and keeps the first N proposals (in index order) whose
//! distance is at most ε_t. Weights are w_i ∝ π(θ_i) / Σ_j w_j K(θ_i | θ_j), with π
//! constant on the box. Proposals are evaluated in batches of N, so which of them are
//! kept depends only on the seed, not on threads.

use crate::rng::{AgentRng, Purpose, StreamKey};

/// The settings of a run of ABC-SMC.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Particles per generation (N).
    pub particles: usize,
    /// Generations after the prior's.
    pub generations: usize,
    /// Tolerance quantile of the previous generation's distances.
    pub quantile: f64,
    /// A generation accepting less than this share of its proposals is the last.
    pub min_acceptance: f64,
    /// Seed of the proposals and perturbations.
    pub seed: u64,
}

/// One generation's figures (a row of `calibration_generations.csv`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Generation {
    /// Tolerance ε (infinite for the prior's generation).
    pub tolerance: f64,
    /// Proposals simulated until N were kept (or the cap was reached).
    pub proposals: u64,
    /// Proposals kept.
    pub accepted: usize,
    /// accepted / proposals.
    pub acceptance: f64,
    /// Effective sample size 1 / Σ w² of the weights.
    pub ess: f64,
}

/// A weighted population of particles.
#[derive(Clone, Debug, PartialEq)]
pub struct Population {
    /// `values[i][d]`: particle i's value of parameter d.
    pub values: Vec<Vec<f64>>,
    /// Normalised weights.
    pub weights: Vec<f64>,
    /// Each particle's distance.
    pub distances: Vec<f64>,
}

/// The final population and every generation's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The last complete generation's particles.
    pub population: Population,
    /// Generation 0 first.
    pub generations: Vec<Generation>,
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut AgentRng) -> f64 {
    let u1 = 1.0 - rng.unit();
    let u2 = rng.unit();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// The index picked by a uniform draw `u` from normalised `weights`.
fn pick(weights: &[f64], u: f64) -> usize {
    let mut acc = 0.0;
    for (i, w) in weights.iter().enumerate() {
        acc += w;
        if u < acc {
            return i;
        }
    }
    weights.len() - 1
}

/// The `q` quantile of `values` (nearest rank on the sorted values).
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v[((q * (v.len() - 1) as f64).round() as usize).min(v.len() - 1)]
}

/// The `q` quantile of `values` under normalised `weights` (the smallest value whose
/// cumulative weight reaches q).
pub fn weighted_quantile(values: &[f64], weights: &[f64], q: f64) -> f64 {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut acc = 0.0;
    for &i in &order {
        acc += weights[i];
        if acc >= q - 1e-12 {
            return values[i];
        }
    }
    values[order[order.len() - 1]]
}

/// The weighted mean and variance of parameter `d`.
pub fn weighted_moments(p: &Population, d: usize) -> (f64, f64) {
    let mean: f64 = p.values.iter().zip(&p.weights).map(|(v, w)| w * v[d]).sum();
    let var = p
        .values
        .iter()
        .zip(&p.weights)
        .map(|(v, w)| w * (v[d] - mean).powi(2))
        .sum();
    (mean, var)
}

/// Runs ABC-SMC over the box `priors` ([low, high] per parameter). `simulate(g, first,
/// batch)` returns one distance per parameter vector of a batch of generation `g`
/// whose first proposal is number `first` of the generation, in order (a non-finite
/// distance is never accepted after generation 0).
pub fn run<E>(
    priors: &[(f64, f64)],
    settings: &Settings,
    mut simulate: impl FnMut(usize, u64, &[Vec<f64>]) -> Result<Vec<f64>, E>,
) -> Result<Outcome, E> {
    let n = settings.particles;
    let k = priors.len();
    let stream = |g: usize| StreamKey::new(settings.seed, g as u64, 0, Purpose::Calibration);
    // Generation 0: the prior.
    let values: Vec<Vec<f64>> = (0..n as u64)
        .map(|i| {
            let mut rng = stream(0).agent(i);
            priors
                .iter()
                .map(|&(lo, hi)| lo + rng.unit() * (hi - lo))
                .collect()
        })
        .collect();
    let distances = simulate(0, 0, &values)?;
    let mut population = Population {
        values,
        weights: vec![1.0 / n as f64; n],
        distances,
    };
    let mut generations = vec![Generation {
        tolerance: f64::INFINITY,
        proposals: n as u64,
        accepted: n,
        acceptance: 1.0,
        ess: n as f64,
    }];
    let cap = if settings.min_acceptance > 0.0 {
        (n as f64 / settings.min_acceptance).ceil() as u64
    } else {
        n as u64 * 1000
    };
    for g in 1..=settings.generations {
        let finite: Vec<f64> = population
            .distances
            .iter()
            .copied()
            .filter(|d| d.is_finite())
            .collect();
        if finite.is_empty() {
            break;
        }
        let tolerance = quantile(&finite, settings.quantile);
        let sigma: Vec<f64> = (0..k)
            .map(|d| {
                let var = 2.0 * weighted_moments(&population, d).1;
                let floor = 1e-9 * (priors[d].1 - priors[d].0);
                var.sqrt().max(floor)
            })
            .collect();
        let (mut kept, mut kept_d, mut proposals) = (Vec::new(), Vec::new(), 0u64);
        let mut batch_no = 0u64;
        while kept.len() < n && proposals < cap {
            let batch: Vec<Vec<f64>> = (0..n as u64)
                .map(|j| {
                    let mut rng = stream(g).agent(batch_no * n as u64 + j);
                    propose(&population, priors, &sigma, &mut rng)
                })
                .collect();
            let d = simulate(g, batch_no * n as u64, &batch)?;
            batch_no += 1;
            for (theta, dist) in batch.into_iter().zip(d) {
                proposals += 1;
                if dist <= tolerance {
                    kept.push(theta);
                    kept_d.push(dist);
                    if kept.len() == n {
                        break;
                    }
                }
                if proposals >= cap {
                    break;
                }
            }
        }
        let acceptance = kept.len() as f64 / proposals as f64;
        if kept.len() < n {
            // The cap stops an incomplete generation: the previous one is the result.
            generations.push(Generation {
                tolerance,
                proposals,
                accepted: kept.len(),
                acceptance,
                ess: f64::NAN,
            });
            break;
        }
        let weights = weights_of(&kept, &population, &sigma);
        let ess = 1.0 / weights.iter().map(|w| w * w).sum::<f64>();
        population = Population {
            values: kept,
            weights,
            distances: kept_d,
        };
        generations.push(Generation {
            tolerance,
            proposals,
            accepted: n,
            acceptance,
            ess,
        });
        if acceptance < settings.min_acceptance {
            break;
        }
    }
    Ok(Outcome {
        population,
        generations,
    })
}

/// A proposal: a particle of `from` picked by weight, moved by the Gaussian kernel,
/// redrawn until inside the prior's box (after 1,000 tries, clamped into it).
fn propose(
    from: &Population,
    priors: &[(f64, f64)],
    sigma: &[f64],
    rng: &mut AgentRng,
) -> Vec<f64> {
    for _ in 0..1000 {
        let base = &from.values[pick(&from.weights, rng.unit())];
        let theta: Vec<f64> = base
            .iter()
            .zip(sigma)
            .map(|(x, s)| x + s * normal(rng))
            .collect();
        if theta
            .iter()
            .zip(priors)
            .all(|(x, (lo, hi))| (lo..=hi).contains(&x))
        {
            return theta;
        }
    }
    let base = &from.values[pick(&from.weights, rng.unit())];
    base.iter()
        .zip(priors)
        .map(|(x, &(lo, hi))| x.clamp(lo, hi))
        .collect()
}

/// Importance weights of `kept` against the previous population `from`:
/// w_i ∝ 1 / Σ_j w_j Π_d φ((θ_id − θ_jd) / σ_d), computed in logs, normalised.
fn weights_of(kept: &[Vec<f64>], from: &Population, sigma: &[f64]) -> Vec<f64> {
    let logs: Vec<f64> = kept
        .iter()
        .map(|theta| {
            let terms: Vec<f64> = from
                .values
                .iter()
                .zip(&from.weights)
                .map(|(v, w)| {
                    let z: f64 = theta
                        .iter()
                        .zip(v)
                        .zip(sigma)
                        .map(|((a, b), s)| ((a - b) / s).powi(2))
                        .sum();
                    w.ln() - 0.5 * z
                })
                .collect();
            let m = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            -(m + terms.iter().map(|t| (t - m).exp()).sum::<f64>().ln())
        })
        .collect();
    let m = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let raw: Vec<f64> = logs.iter().map(|l| (l - m).exp()).collect();
    let total: f64 = raw.iter().sum();
    raw.iter().map(|w| w / total).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The mean μ of 20 points drawn from N(μ = 0.3, 0.1²), on a uniform prior [0, 1]:
    /// the posterior is about N(0.3, (0.1/√20)²) and ABC-SMC with a shrinking
    /// tolerance recovers it.
    #[test]
    fn abc_smc_recovers_the_mean_of_a_normal_sample() {
        let mut rng = StreamKey::new(5, 0, 0, Purpose::Calibration).agent(999);
        let data: Vec<f64> = (0..20).map(|_| 0.3 + 0.1 * normal(&mut rng)).collect();
        let observed = data.iter().sum::<f64>() / 20.0;
        let settings = Settings {
            particles: 300,
            generations: 8,
            quantile: 0.5,
            min_acceptance: 0.01,
            seed: 3,
        };
        // Simulated sample mean with its own noise, keyed by the parameter's bits.
        let out = run(&[(0.0, 1.0)], &settings, |_, _, batch| {
            Ok::<_, ()>(
                batch
                    .iter()
                    .map(|t| {
                        let mut r =
                            StreamKey::new(t[0].to_bits(), 0, 0, Purpose::Calibration).agent(0);
                        let m = t[0] + 0.1 / 20f64.sqrt() * normal(&mut r);
                        (m - observed).abs()
                    })
                    .collect(),
            )
        })
        .unwrap();
        let p = &out.population;
        let (mean, var) = weighted_moments(p, 0);
        assert!((mean - observed).abs() < 0.02, "{mean} vs {observed}");
        // The posterior sd is 0.1/√20 ≈ 0.022 (a tolerance above 0 widens it a little).
        assert!(var.sqrt() > 0.012 && var.sqrt() < 0.05, "{}", var.sqrt());
        assert!((p.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert_eq!(out.generations[0].acceptance, 1.0);
        let t: Vec<f64> = out.generations.iter().map(|g| g.tolerance).collect();
        assert!(t.windows(2).all(|w| w[1] <= w[0]), "{t:?}");
    }

    #[test]
    fn weighted_quantiles_follow_the_weights() {
        let v = [1.0, 2.0, 3.0];
        assert_eq!(weighted_quantile(&v, &[0.1, 0.1, 0.8], 0.5), 3.0);
        assert_eq!(weighted_quantile(&v, &[0.6, 0.2, 0.2], 0.5), 1.0);
        assert_eq!(quantile(&[4.0, 1.0, 3.0, 2.0, 5.0], 0.5), 3.0);
    }
}
