//! Counterfactual attribution of a marketing scenario's effect to its channels (issue
//! 11, item 1; docs/MODEL.md §4.12): every coalition of the channels the strategy uses
//! is run on common random numbers, the empty coalition being the same market with
//! marketing off, and each channel gets its Shapley value (Shapley 1953) of the
//! incremental customers and profit, replicate by replicate, beside its leave-one-out
//! effect and its last-touch count. Exact over all 2^k coalitions; k ≤ 6.
//!
//! This layer runs experiments and computes; it writes nothing.

use crate::experiment::{self, RunError, RunOptions, RunOutcome};
use crate::metrics::Interval;
use crate::scenario::marketing::{Channel, MarketingSpec};
use crate::scenario::{ModelSpec, Scenario, ScenarioError};
use std::path::Path;

/// One channel's attribution: means over replicates with their 95% intervals.
#[derive(Clone, Debug)]
pub struct ChannelShare {
    /// The channel.
    pub channel: Channel,
    /// Shapley value of the incremental customers at the horizon.
    pub shapley_customers: Interval,
    /// Shapley value of the incremental cumulative profit at the horizon.
    pub shapley_profit: Interval,
    /// Customers lost when the channel alone is removed from the full strategy.
    pub leave_one_out_customers: Interval,
    /// First adoptions credited to the channel by last touch in the full run.
    pub last_touch_customers: Interval,
}

/// The attribution of a scenario: per channel, and the total incremental effect of the
/// full strategy against no marketing, which the Shapley values sum to in every
/// replicate.
#[derive(Clone, Debug)]
pub struct Attribution {
    /// The channels the strategy uses, in [`Channel::ALL`] order.
    pub channels: Vec<ChannelShare>,
    /// Incremental customers of the full strategy against no marketing.
    pub total_customers: Interval,
    /// Incremental cumulative profit of the full strategy against no marketing.
    pub total_profit: Interval,
    /// Per replicate, per coalition (bit i set: channel i on), (customers, profit).
    pub values: Vec<Vec<(f64, f64)>>,
    /// The run of the full strategy (every channel on), as `murmur run` would run it.
    pub full: RunOutcome,
}

/// Most channels attributed exactly (2^6 = 64 coalitions).
pub const MAX_CHANNELS: usize = 6;

// Every channel there is fits the exact computation, so no strategy needs a sampled
// Shapley estimate (docs/MODEL.md §4.12); adding a seventh channel fails the build here.
const _: () = assert!(Channel::ALL.len() <= MAX_CHANNELS);

/// The Shapley value of player `i` of a `n`-player game given by `value[coalition]`
/// (bit j of the coalition: player j in): Σ over coalitions S without i of
/// |S|!·(n − |S| − 1)!/n! · (v(S ∪ {i}) − v(S)).
pub fn shapley(value: &[f64], n: usize, i: usize) -> f64 {
    let factorial = |k: usize| (1..=k).map(|x| x as f64).product::<f64>();
    let total = factorial(n);
    (0..1usize << n)
        .filter(|s| s & (1 << i) == 0)
        .map(|s| {
            let size = s.count_ones() as usize;
            let weight = factorial(size) * factorial(n - size - 1) / total;
            weight * (value[s | (1 << i)] - value[s])
        })
        .sum()
}

/// The marketing spec of a coalition: the scenario's strategy with only the channels
/// in `on` (bit i: `channels[i]`), or marketing off for the empty coalition.
fn coalition(spec: &MarketingSpec, channels: &[Channel], on: usize) -> MarketingSpec {
    if on == 0 {
        return spec.without_marketing();
    }
    let off: Vec<Channel> = channels
        .iter()
        .enumerate()
        .filter(|(i, _)| on & (1 << i) == 0)
        .map(|(_, &c)| c)
        .collect();
    spec.without_channels(&off)
}

/// Final customers and cumulative profit of every replicate of a run.
fn outcomes(o: &RunOutcome) -> Vec<(f64, f64)> {
    o.series
        .iter()
        .map(|s| {
            (
                s.figure("final_customers").unwrap_or(f64::NAN),
                s.figure("cumulative_profit").unwrap_or(f64::NAN),
            )
        })
        .collect()
}

/// Attributes `scenario` (a marketing scenario read from `file`) to its channels: runs
/// every coalition with the scenario's seed and replicates (common random numbers) and
/// computes the Shapley values, leave-one-out effects and last-touch counts.
pub fn attribute(
    scenario: &Scenario,
    file: &Path,
    options: &RunOptions,
) -> Result<Attribution, RunError> {
    let ModelSpec::Marketing(spec) = &scenario.model else {
        return Err(RunError::Scenario(Box::new(ScenarioError::new(
            file,
            "attribution needs a marketing scenario (`[model] kind = \"marketing\"`)",
        ))));
    };
    let channels = spec.channels();
    if channels.len() > MAX_CHANNELS {
        return Err(RunError::Scenario(Box::new(ScenarioError::new(
            file,
            format!(
                "attribution is exact for at most {MAX_CHANNELS} channels; the strategy uses {}",
                channels.len()
            ),
        ))));
    }
    let n = channels.len();
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::with_capacity(1 << n);
    let mut full = None;
    for on in 0..1usize << n {
        let mut s = scenario.clone();
        let mut c = coalition(spec, &channels, on);
        // Only the full strategy's run keeps the scenario's own baseline (its summary
        // then has the incremental figures); the empty coalition is that baseline.
        c.strategy.baseline &= on == (1 << n) - 1;
        s.model = ModelSpec::Marketing(Box::new(c));
        let o = experiment::run(s, file, options)?;
        runs.push(outcomes(&o));
        if on == (1 << n) - 1 {
            full = Some(o);
        }
    }
    let full = full.expect("the full coalition ran");
    let replicates = runs[0].len();
    // values[r][coalition] = the coalition's outcome minus no marketing's, replicate r.
    let values: Vec<Vec<(f64, f64)>> = (0..replicates)
        .map(|r| {
            (0..1usize << n)
                .map(|s| (runs[s][r].0 - runs[0][r].0, runs[s][r].1 - runs[0][r].1))
                .collect()
        })
        .collect();
    let interval = |v: Vec<f64>| {
        Interval::of(&v).unwrap_or(Interval {
            mean: f64::NAN,
            bounds: None,
            n: 0,
        })
    };
    let all = (1usize << n) - 1;
    let shares = channels
        .iter()
        .enumerate()
        .map(|(i, &channel)| {
            let per = |pick: fn(&(f64, f64)) -> f64| -> Vec<f64> {
                values
                    .iter()
                    .map(|v| shapley(&v.iter().map(pick).collect::<Vec<_>>(), n, i))
                    .collect()
            };
            let loo = values
                .iter()
                .map(|v| v[all].0 - v[all & !(1 << i)].0)
                .collect();
            let last_touch = full
                .series
                .iter()
                .map(|s| {
                    channel
                        .source_columns()
                        .iter()
                        .filter_map(|c| s.column(c))
                        .map(|c| c.iter().sum::<f64>())
                        .sum()
                })
                .collect();
            ChannelShare {
                channel,
                shapley_customers: interval(per(|x| x.0)),
                shapley_profit: interval(per(|x| x.1)),
                leave_one_out_customers: interval(loo),
                last_touch_customers: interval(last_touch),
            }
        })
        .collect();
    Ok(Attribution {
        channels: shares,
        total_customers: interval(values.iter().map(|v| v[all].0).collect()),
        total_profit: interval(values.iter().map(|v| v[all].1).collect()),
        values,
        full,
    })
}

/// The attribution as a text table, for the end of the command.
pub fn table(a: &Attribution) -> String {
    let show = |i: &Interval| match i.bounds {
        Some((l, h)) => format!("{:.0} [{:.0}, {:.0}]", i.mean, l, h),
        None => format!("{:.0}", i.mean),
    };
    let mut out = format!(
        "{:<16} {:>26} {:>36} {:>14} {:>12}\n",
        "channel", "shapley customers", "shapley profit", "leave-one-out", "last touch"
    );
    for c in &a.channels {
        out.push_str(&format!(
            "{:<16} {:>26} {:>36} {:>14.0} {:>12.0}\n",
            c.channel.name(),
            show(&c.shapley_customers),
            show(&c.shapley_profit),
            c.leave_one_out_customers.mean,
            c.last_touch_customers.mean
        ));
    }
    out.push_str(&format!(
        "{:<16} {:>26} {:>36}\n",
        "total",
        show(&a.total_customers),
        show(&a.total_profit)
    ));
    out
}

/// Writes `attribution.csv` into `dir` (docs/OUTPUTS.md): one row per channel and a
/// last row `total`, the columns [`crate::results::ATTRIBUTION_COLUMNS`].
pub fn write_csv(dir: &Path, a: &Attribution) -> Result<(), crate::results::OutputError> {
    write_rows(dir, &[(None, a)])
}

/// Writes a comparison's `attribution.csv` into `dir`: each scenario's rows (its
/// channels, then `total`) with the scenario's name in a last column, `scenario`.
pub fn write_compared_csv(
    dir: &Path,
    attributions: &[(String, Attribution)],
) -> Result<(), crate::results::OutputError> {
    let labelled: Vec<(Option<&str>, &Attribution)> = attributions
        .iter()
        .map(|(name, a)| (Some(name.as_str()), a))
        .collect();
    write_rows(dir, &labelled)
}

/// The rows of `attribution.csv`, with a `scenario` column when labelled.
fn write_rows(
    dir: &Path,
    attributions: &[(Option<&str>, &Attribution)],
) -> Result<(), crate::results::OutputError> {
    use crate::results::{ATTRIBUTION, ATTRIBUTION_COLUMNS};
    let mut header: Vec<&str> = ATTRIBUTION_COLUMNS.to_vec();
    if attributions.iter().any(|(label, _)| label.is_some()) {
        header.push("scenario");
    }
    let num = |x: f64| {
        if x.is_finite() {
            x.to_string()
        } else {
            String::new()
        }
    };
    // A mean and its interval as three cells.
    let cells = |i: &Interval| {
        let (low, high) = i.bounds.map_or((f64::NAN, f64::NAN), |b| b);
        [num(i.mean), num(low), num(high)]
    };
    let mut rows = Vec::new();
    for (label, a) in attributions {
        let shares = a.channels.iter().map(|c| {
            (
                c.channel.name(),
                &c.shapley_customers,
                &c.shapley_profit,
                [
                    num(c.leave_one_out_customers.mean),
                    num(c.last_touch_customers.mean),
                ],
            )
        });
        let total = (
            "total",
            &a.total_customers,
            &a.total_profit,
            [String::new(), String::new()],
        );
        for (name, customers, profit, counts) in shares.chain([total]) {
            let mut row = vec![name.to_string()];
            row.extend(cells(customers));
            row.extend(cells(profit));
            row.extend(counts);
            row.extend(label.map(str::to_string));
            rows.push(row);
        }
    }
    crate::results::write_table(&dir.join(ATTRIBUTION), &header, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapley_values_of_a_known_game() {
        // Glove game: players 0 and 1 hold left gloves, 2 a right one; a pair is worth 1.
        let v: Vec<f64> = (0..8usize)
            .map(|s| {
                let left = (s & 1 != 0) || (s & 2 != 0);
                let right = s & 4 != 0;
                (left && right) as u8 as f64
            })
            .collect();
        let phi: Vec<f64> = (0..3).map(|i| shapley(&v, 3, i)).collect();
        assert!((phi[0] - 1.0 / 6.0).abs() < 1e-12);
        assert!((phi[1] - 1.0 / 6.0).abs() < 1e-12);
        assert!((phi[2] - 2.0 / 3.0).abs() < 1e-12);
        assert!((phi.iter().sum::<f64>() - v[7]).abs() < 1e-12);
    }

    #[test]
    fn one_player_gets_the_whole_value_and_a_null_player_nothing() {
        assert_eq!(shapley(&[0.0, 5.0], 1, 0), 5.0);
        // Player 1 adds nothing anywhere.
        let v = [0.0, 3.0, 0.0, 3.0];
        assert_eq!(shapley(&v, 2, 1), 0.0);
        assert_eq!(shapley(&v, 2, 0), 3.0);
    }
}
