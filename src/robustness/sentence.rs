//! The robustness check in words: who wins on the headline metric, how often, what it
//! depends on (beyond a family-wise threshold), and where the lead changes hands.

use super::{HEADLINE, Robustness};

/// The rank correlation beyond which one of `k` parameters' dependence is reported as
/// real at `n` draws: the two-sided 5% normal critical value with a Bonferroni
/// correction, z(1 − 0.025/k)/√(n − 1) (the null distribution of Spearman's ρ is about
/// normal with variance 1/(n − 1)). Infinite with fewer than 3 draws.
pub fn critical_correlation(n: usize, k: usize) -> f64 {
    if n < 3 || k == 0 {
        return f64::INFINITY;
    }
    normal_quantile(1.0 - 0.025 / k as f64) / ((n - 1) as f64).sqrt()
}

/// The fewest draws at which even a perfect rank correlation with one of `k`
/// parameters passes [`critical_correlation`].
pub fn fewest_draws(k: usize) -> usize {
    (3..)
        .find(|&n| critical_correlation(n, k) < 1.0)
        .unwrap_or(3)
}

/// The standard normal quantile of `p` in (0.5, 1): Abramowitz & Stegun 26.2.23
/// (absolute error below 4.5·10⁻⁴), enough for a reporting threshold.
fn normal_quantile(p: f64) -> f64 {
    let t = (-2.0 * (1.0 - p).ln()).sqrt();
    t - (2.515517 + 0.802853 * t + 0.010328 * t * t)
        / (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
}

/// A metric's name in words: `cumulative_profit` → "cumulative profit".
fn words(metric: &str) -> String {
    metric.replace('_', " ")
}

/// The summary sentences: for each challenger, who wins on the headline metric, how
/// often, what it depends on, and where the lead in profit changes hands.
pub fn sentences(r: &Robustness) -> Vec<String> {
    let Some(headline) = HEADLINE.iter().find(|h| r.metrics.iter().any(|m| m == *h)) else {
        return Vec::new();
    };
    let base = &r.scenarios[0];
    let mut out = Vec::new();
    for (s, name) in r.scenarios.iter().enumerate().skip(1) {
        let Some(row) = r
            .rows
            .iter()
            .find(|x| x.scenario == *name && x.metric == *headline)
        else {
            continue;
        };
        let p = row.p_beats_baseline;
        let (winner, loser, share) = if p >= 0.5 {
            (name, base, p)
        } else {
            (base, name, 1.0 - p)
        };
        let mut text = if p == 0.5 {
            format!(
                "{name} and {base} tie on {}: each wins half of {} draws",
                words(headline),
                row.draws
            )
        } else {
            format!(
                "{winner} beats {loser} on {} in {:.0}% of {} draws",
                words(headline),
                share * 100.0,
                row.draws
            )
        };
        text += &format!(
            " ({} uncertain parameters, a new network each)",
            r.parameters.len()
        );
        let strongest = r
            .dependences
            .iter()
            .find(|d| d.scenario == *name && d.metric == *headline);
        let critical = critical_correlation(row.draws, r.parameters.len());
        let pct = |x: f64| {
            if x.is_finite() {
                format!("{:.0}%", x * 100.0)
            } else {
                "no draws".into()
            }
        };
        match strongest {
            Some(d) if d.rank_correlation.abs() > critical => {
                let flips = (d.p_beats_low - 0.5) * (d.p_beats_high - 0.5) < 0.0;
                text += &format!(
                    "; {} {} ({name} wins {} of draws in the lower half of {}–{}, {} in the upper half)",
                    if flips {
                        "the ranking flips with"
                    } else {
                        "it depends most on"
                    },
                    d.parameter,
                    pct(d.p_beats_low),
                    d.low,
                    d.high,
                    pct(d.p_beats_high)
                );
            }
            Some(_) if critical >= 1.0 => {
                text += &format!(
                    "; too few draws to say what it depends on ({} parameters need more than {} draws)",
                    r.parameters.len(),
                    fewest_draws(r.parameters.len())
                );
            }
            Some(d) => {
                text += &format!(
                    "; no uncertain parameter moves it beyond chance at {} draws (strongest: {}, rank correlation {:.2}, below the {:.2} a family-wise 5% test needs)",
                    row.draws, d.parameter, d.rank_correlation, critical
                );
            }
            None => {}
        }
        let mut days: Vec<u32> = r.crossovers[s].iter().flatten().copied().collect();
        if !days.is_empty() {
            days.sort_unstable();
            text += &format!(
                "; the lead in cumulative profit changes hands at day {} (median of the {} draws where it does)",
                days[days.len() / 2],
                days.len()
            );
        }
        text.push('.');
        out.push(text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reporting_threshold_is_the_bonferroni_normal_critical_value() {
        // z(0.975) = 1.960 and z(1 − 0.025/10) = 2.807.
        assert!((normal_quantile(0.975) - 1.960).abs() < 1e-3);
        assert!((critical_correlation(101, 10) - 2.807 / 10.0).abs() < 1e-3);
        assert_eq!(critical_correlation(2, 5), f64::INFINITY);
        // 78 parameters: z = 3.42, so ρ = 1 passes from n − 1 > 11.7.
        assert_eq!(fewest_draws(78), 13);
    }
}
