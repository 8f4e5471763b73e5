//! Per-tick metrics of one replicate, per-replicate summaries, and means with 95%
//! confidence intervals across replicates.

use crate::rng::{AgentRng, Purpose, StreamKey};
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
    pub outcomes: Vec<Outcome>,
    /// Survival of each monthly acquisition cohort by age (the marketing model's
    /// cohorts.csv), in cohort then age order; empty for other models.
    pub cohorts: Vec<Cohort>,
}

/// How many customers of one acquisition cohort were still customers at one age: a
/// row of cohorts.csv (docs/OUTPUTS.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cohort {
    /// Acquisition month m: first adopted in ticks [30m, 30m + 30).
    pub cohort: u32,
    /// Age d in ticks since acquisition (a multiple of 30).
    pub age: u32,
    /// Customers in the cohort.
    pub size: u64,
    /// Of them, those who had not churned before age d.
    pub surviving: u64,
}

impl Cohort {
    /// surviving / size, the survival S_m(d); NaN for an empty cohort.
    pub fn share(&self) -> f64 {
        if self.size == 0 {
            f64::NAN
        } else {
            self.surviving as f64 / self.size as f64
        }
    }
}

/// One agent's outcome at the horizon, for a comparison's expansion and acceleration.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// First adoption tick of the brand, or `population::NEVER`.
    pub adopted: u32,
    /// Realised discounted margin (CLV).
    pub clv: f32,
    /// Bought from a competitor at some tick.
    pub rival: bool,
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

/// Resamples of the bootstrap behind every [`Interval`].
pub const BOOTSTRAP_RESAMPLES: usize = 2000;

/// The fixed seed of the bootstrap's counter-based random numbers: the same values
/// always give the same interval, whatever the thread count or call order.
pub const BOOTSTRAP_SEED: u64 = 0x6D75_726D_7572_B007;

/// A mean across replicates with its 95% confidence interval: the expanded
/// percentile bootstrap of the mean (Hesterberg 2015, "What teachers should know about
/// the bootstrap", The American Statistician 69(4), §5; docs/OUTPUTS.md, "Means and
/// intervals").
///
/// The interval is read from the means of [`BOOTSTRAP_RESAMPLES`] resamples (with
/// replacement) of the values, at the percentiles α′ and 1 − α′ with
/// α′ = Φ(−√(n/(n−1))·t₀.₉₇₅,ₙ₋₁): the plain 2.5th and 97.5th percentiles for many
/// replicates, widened for few, where the plain percentile bootstrap is too narrow
/// (it ignores the n/(n−1) variance bias and the t distribution's heavier tails); with
/// n ≤ 4 it is the whole range of the resample means. Every resample
/// mean lies between the smallest and the largest value, so the interval does too, and
/// hence within whatever range the quantity can take (a share in [0, 1], a count ≥ 0).
/// Unlike a t-interval it needs no normality, so it stays honest when replicates are
/// skewed or fall into two humps (cascades that die and cascades that take off).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    /// Sample mean.
    pub mean: f64,
    /// Lower and upper bounds of the 95% interval; `None` for a single value, which
    /// carries no information about spread.
    pub bounds: Option<(f64, f64)>,
    /// Number of (finite) values.
    pub n: usize,
}

impl Interval {
    /// The mean of the finite `values` with its 95% interval (no interval for a single
    /// value). `None` when no value is finite.
    pub fn of(values: &[f64]) -> Option<Interval> {
        Interval::of_columns(&[values]).remove(0)
    }

    /// [`Interval::of`] of each column, computed together: columns with the same number
    /// of finite values share one set of resample indices (they depend only on that
    /// number), so a results table of many metrics draws them once. Each interval is
    /// bit for bit the one its column gets alone (a test checks it against one
    /// [`bootstrap_means`] per column).
    pub fn of_columns<V: AsRef<[f64]> + Sync>(columns: &[V]) -> Vec<Option<Interval>> {
        let finite: Vec<Vec<f64>> = columns
            .iter()
            .map(|c| {
                c.as_ref()
                    .iter()
                    .copied()
                    .filter(|v| v.is_finite())
                    .collect()
            })
            .collect();
        let mut sizes: Vec<usize> = finite.iter().map(Vec::len).filter(|&n| n > 1).collect();
        sizes.sort_unstable();
        sizes.dedup();
        let mut means: Vec<Option<Vec<f64>>> = vec![None; finite.len()];
        for n in sizes {
            let group: Vec<usize> = (0..finite.len())
                .filter(|&c| finite[c].len() == n)
                .collect();
            let samples: Vec<&[f64]> = group.iter().map(|&c| &finite[c][..]).collect();
            for (c, m) in group
                .into_iter()
                .zip(bootstrap_means_of(&samples, bootstrap_key(0)))
            {
                means[c] = Some(m);
            }
        }
        finite
            .iter()
            .zip(means)
            .map(|(values, means)| Interval::from_means(values, means))
            .collect()
    }

    /// The interval of the finite `values` given their bootstrap resample means
    /// (`None` for fewer than two values).
    fn from_means(values: &[f64], means: Option<Vec<f64>>) -> Option<Interval> {
        let n = values.len();
        if n == 0 {
            return None;
        }
        let (lo, hi) = range(values);
        let mean = (values.iter().sum::<f64>() / n as f64).clamp(lo, hi);
        let bounds = means.map(|means| {
            let (l, h) = percentiles(means, n);
            (l.clamp(lo, hi), h.clamp(lo, hi))
        });
        Some(Interval { mean, bounds, n })
    }

    /// The difference of the means of `a` and `b` (finite values only) with the 95%
    /// interval it would have if the two samples were independent: the percentile
    /// bootstrap of mean(a*) − mean(b*), each resampled on its own. No interval unless
    /// both have two values or more; `None` when either has none.
    pub fn unpaired_difference(a: &[f64], b: &[f64]) -> Option<Interval> {
        let finite = |v: &[f64]| v.iter().copied().filter(|x| x.is_finite()).collect();
        let (a, b): (Vec<f64>, Vec<f64>) = (finite(a), finite(b));
        if a.is_empty() || b.is_empty() {
            return None;
        }
        let ((a_lo, a_hi), (b_lo, b_hi)) = (range(&a), range(&b));
        let (lo, hi) = (a_lo - b_hi, a_hi - b_lo);
        let mean_of = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let mean = (mean_of(&a) - mean_of(&b)).clamp(lo, hi);
        let bounds = (a.len() > 1 && b.len() > 1).then(|| {
            let (ka, kb) = (bootstrap_key(1), bootstrap_key(2));
            let diffs = (0..BOOTSTRAP_RESAMPLES as u64)
                .map(|i| resample_mean(&a, &mut ka.agent(i)) - resample_mean(&b, &mut kb.agent(i)))
                .collect();
            let (l, h) = percentiles(diffs, a.len().min(b.len()));
            (l.clamp(lo, hi), h.clamp(lo, hi))
        });
        Some(Interval {
            mean,
            bounds,
            n: a.len().min(b.len()),
        })
    }

    /// The interval with its mean and bounds clamped to [`lo`, `hi`], for a quantity
    /// with a declared range (a share in [0, 1], a count ≥ 0).
    pub fn within(self, lo: f64, hi: f64) -> Interval {
        Interval {
            mean: self.mean.clamp(lo, hi),
            bounds: self.bounds.map(|(l, h)| (l.clamp(lo, hi), h.clamp(lo, hi))),
            n: self.n,
        }
    }

    /// The lower bound, if there is an interval.
    pub fn low(&self) -> Option<f64> {
        self.bounds.map(|b| b.0)
    }

    /// The upper bound, if there is an interval.
    pub fn high(&self) -> Option<f64> {
        self.bounds.map(|b| b.1)
    }

    /// "[low, high]" with `digits` decimals, or "—" when there is no interval.
    pub fn bounds_text(&self, digits: usize) -> String {
        match self.bounds {
            Some((l, h)) => format!("[{l:.digits$}, {h:.digits$}]"),
            None => "—".to_string(),
        }
    }
}

/// The smallest and largest of some finite values.
fn range(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

/// The bootstrap's random stream `which` (0: one sample; 1 and 2: the two samples of
/// an unpaired difference). Resample `b` draws from its item `b`.
fn bootstrap_key(which: u64) -> StreamKey {
    StreamKey::new(BOOTSTRAP_SEED, 0, 0, Purpose::Bootstrap).child(which)
}

/// Resamples worked through together by [`bootstrap_means`]: their sums are
/// independent, so interleaving them hides the latency of each one's chain of adds.
const LANES: usize = 4;
const _: () = assert!(BOOTSTRAP_RESAMPLES.is_multiple_of(LANES));

/// Draws (resamples × values) from which [`bootstrap_means`] spreads its blocks of
/// resamples over the worker threads.
const PARALLEL_DRAWS: usize = 1 << 18;

/// The means of the [`BOOTSTRAP_RESAMPLES`] resamples of `values` (not empty), resample
/// `b` drawn from item `b` of `key`: bit for bit what [`resample_mean`] gives for each,
/// in order (each sum adds its draws in the same order, from −0.0 as `f64`'s `Sum`
/// does), [`LANES`] resamples at a time and blocks of them in parallel when large.
fn bootstrap_means(values: &[f64], key: StreamKey) -> Vec<f64> {
    use rayon::prelude::*;
    let n = values.len() as u64;
    let block = |i: usize| -> [f64; LANES] {
        let mut rngs: [AgentRng; LANES] =
            std::array::from_fn(|l| key.agent((i * LANES + l) as u64));
        let mut sums = [-0.0f64; LANES];
        for _ in 0..n {
            for (sum, rng) in sums.iter_mut().zip(rngs.iter_mut()) {
                *sum += values[rng.below(n) as usize];
            }
        }
        sums.map(|sum| sum / n as f64)
    };
    let blocks = BOOTSTRAP_RESAMPLES / LANES;
    if values.len() * BOOTSTRAP_RESAMPLES >= PARALLEL_DRAWS {
        (0..blocks)
            .into_par_iter()
            .with_min_len(8)
            .flat_map_iter(block)
            .collect()
    } else {
        (0..blocks).flat_map(block).collect()
    }
}

/// [`bootstrap_means`] of several samples of the same length (not empty) at once:
/// each resample's indices are drawn once and read from every sample, so each
/// sample's means are bit for bit its own [`bootstrap_means`].
fn bootstrap_means_of(samples: &[&[f64]], key: StreamKey) -> Vec<Vec<f64>> {
    use rayon::prelude::*;
    if let [one] = samples {
        return vec![bootstrap_means(one, key)];
    }
    let n = samples[0].len() as u64;
    debug_assert!(samples.iter().all(|s| s.len() as u64 == n));
    let block = |i: usize| -> Vec<[f64; LANES]> {
        let mut rngs: [AgentRng; LANES] =
            std::array::from_fn(|l| key.agent((i * LANES + l) as u64));
        let mut sums = vec![[-0.0f64; LANES]; samples.len()];
        for _ in 0..n {
            let picks: [usize; LANES] = std::array::from_fn(|l| rngs[l].below(n) as usize);
            for (sum, values) in sums.iter_mut().zip(samples) {
                for (s, &k) in sum.iter_mut().zip(&picks) {
                    *s += values[k];
                }
            }
        }
        sums.into_iter()
            .map(|s| s.map(|sum| sum / n as f64))
            .collect()
    };
    let blocks = BOOTSTRAP_RESAMPLES / LANES;
    let per_block: Vec<Vec<[f64; LANES]>> =
        if samples.len() * n as usize * BOOTSTRAP_RESAMPLES >= PARALLEL_DRAWS {
            (0..blocks)
                .into_par_iter()
                .with_min_len(8)
                .map(block)
                .collect()
        } else {
            (0..blocks).map(block).collect()
        };
    (0..samples.len())
        .map(|c| per_block.iter().flat_map(|b| b[c]).collect())
        .collect()
}

/// The mean of one resample of `values` with replacement.
fn resample_mean(values: &[f64], rng: &mut AgentRng) -> f64 {
    let n = values.len() as u64;
    (0..n).map(|_| values[rng.below(n) as usize]).sum::<f64>() / n as f64
}

/// The expanded percentiles α′ and 1 − α′ of the bootstrap statistics of a sample of
/// `n` values (see [`Interval`]): the k-th smallest and k-th largest, k = ⌊B·α′⌋ ≥ 1.
/// With B = 2000 and many replicates, the 50th smallest and the 50th largest.
fn percentiles(mut stats: Vec<f64>, n: usize) -> (f64, f64) {
    let k = ((stats.len() as f64 * expanded_tail(n)).floor() as usize).max(1);
    let last = stats.len() - 1;
    let lo = *stats.select_nth_unstable_by(k - 1, f64::total_cmp).1;
    let hi = *stats.select_nth_unstable_by(last + 1 - k, f64::total_cmp).1;
    (lo, hi)
}

/// α′ = Φ(−√(n/(n−1))·t₀.₉₇₅,ₙ₋₁), the tail of the expanded percentile bootstrap for
/// `n` values (Hesterberg 2015, §5); tends to 0.025 as n grows.
pub fn expanded_tail(n: usize) -> f64 {
    if n < 2 {
        return 0.0;
    }
    let nf = n as f64;
    normal_tail((nf / (nf - 1.0)).sqrt() * t_975(n - 1))
}

/// The upper tail 1 − Φ(z) of the standard normal distribution, z ≥ 0, by Abramowitz
/// and Stegun 7.1.26 (absolute error below 1.5·10⁻⁷: far finer than 1/B).
fn normal_tail(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    0.5 * poly * (-x * x).exp()
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

/// A number as a CSV cell: shortest round-trip form (in exponent form, `1e-320`, when
/// its magnitude is below 10⁻⁹ or from 10¹⁶ up, rather than hundreds of digits);
/// empty when undefined (NaN) or not finite, so `inf` and `NaN` never reach a CSV.
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        String::new()
    } else if x != 0.0 && (x.abs() < 1e-9 || x.abs() >= 1e16) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn intervals_of_columns_together_are_each_column_alone_bit_for_bit() {
        // Columns of equal and different lengths, with values that are not finite
        // (dropped, so a column joins the group of its finite count), a single value,
        // none, and a group large enough to run in parallel.
        let mut rng = StreamKey::new(9, 0, 0, Purpose::Bootstrap).agent(3);
        let mut column = |n: usize| -> Vec<f64> { (0..n).map(|_| rng.unit() * 100.0).collect() };
        let mut with_gaps = column(12);
        with_gaps.extend([f64::NAN, f64::INFINITY, 4.0]);
        let columns = vec![
            column(12),
            column(13),
            with_gaps,
            column(13),
            vec![f64::NAN],
            vec![2.5],
            vec![],
            column(12),
            column(400),
            column(400),
            column(400),
        ];
        let together = Interval::of_columns(&columns);
        assert_eq!(together.len(), columns.len());
        let bits = |i: &Option<Interval>| {
            i.map(|i| {
                (
                    i.mean.to_bits(),
                    i.bounds.map(|(l, h)| (l.to_bits(), h.to_bits())),
                    i.n,
                )
            })
        };
        // Each column alone: its finite values, their own resample means.
        let alone = |column: &[f64]| {
            let values: Vec<f64> = column.iter().copied().filter(|v| v.is_finite()).collect();
            let means = (values.len() > 1).then(|| bootstrap_means(&values, bootstrap_key(0)));
            Interval::from_means(&values, means)
        };
        for (c, (column, got)) in columns.iter().zip(&together).enumerate() {
            assert_eq!(bits(got), bits(&alone(column)), "column {c}");
        }
        assert!(together[0].unwrap().bounds.is_some());
        assert!(together[4].is_none() && together[6].is_none());
        assert!(together[5].unwrap().bounds.is_none());
    }

    #[test]
    fn interleaved_bootstrap_means_are_the_plain_ones_bit_for_bit() {
        // Signed zeros, repeats, magnitudes that round, sizes on both sides of the
        // parallel threshold.
        let mut samples: Vec<Vec<f64>> = vec![
            vec![-0.0],
            vec![-0.0, -0.0, -0.0],
            vec![0.0, -0.0],
            vec![1e16, 1.0, -1e16, 3.5],
        ];
        let mut rng = StreamKey::new(5, 0, 0, Purpose::Bootstrap).agent(1);
        for n in [2usize, 7, 131, 200] {
            samples.push((0..n).map(|_| rng.unit() * 1e3 - 300.0).collect());
        }
        for values in samples {
            let key = bootstrap_key(0);
            let plain: Vec<u64> = (0..BOOTSTRAP_RESAMPLES as u64)
                .map(|b| resample_mean(&values, &mut key.agent(b)).to_bits())
                .collect();
            let fast: Vec<u64> = bootstrap_means(&values, key)
                .iter()
                .map(|m| m.to_bits())
                .collect();
            assert_eq!(plain, fast, "values {:?}", &values[..values.len().min(4)]);
        }
    }

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
    fn the_expanded_tail_widens_few_replicates_and_tends_to_2_5_percent() {
        assert!((normal_tail(1.959_964) - 0.025).abs() < 1e-6);
        assert!((normal_tail(0.0) - 0.5).abs() < 1e-6);
        // α′ for n = 5, 10, 20, 40, from Python's math.erfc and the same t quantiles.
        for (n, want) in [
            (5, 0.000_956),
            (10, 0.008_554),
            (20, 0.015_882),
            (40, 0.020_242),
        ] {
            let got = expanded_tail(n);
            assert!((got - want).abs() < 2e-4, "n = {n}: {got} vs {want}");
        }
        assert!(expanded_tail(1000) > 0.0245 && expanded_tail(1000) < 0.025);
        assert!(expanded_tail(4) * (BOOTSTRAP_RESAMPLES as f64) < 1.0);
    }

    /// Coverage of the true mean over many small normal samples: the expanded interval
    /// holds it about 95% of the time where the plain percentile bootstrap (88% at
    /// n = 5) does not.
    #[test]
    fn five_replicates_cover_the_true_mean_about_95_percent_of_the_time() {
        let key = StreamKey::new(11, 0, 0, Purpose::Bootstrap).child(99);
        let trials = 1000;
        let covered = (0..trials)
            .filter(|&t| {
                let mut rng = key.agent(t);
                let sample: Vec<f64> = (0..5)
                    .map(|_| {
                        // Box–Muller.
                        let (u, v) = (1.0 - rng.unit(), rng.unit());
                        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
                    })
                    .collect();
                let (lo, hi) = Interval::of(&sample).unwrap().bounds.unwrap();
                lo <= 0.0 && 0.0 <= hi
            })
            .count();
        let coverage = covered as f64 / trials as f64;
        assert!((0.925..=0.975).contains(&coverage), "coverage {coverage}");
    }

    #[test]
    fn t_quantiles_match_tables() {
        assert!((t_975(3) - 3.182).abs() < 1e-9);
        assert!((t_975(40) - 2.021).abs() < 1e-3);
        assert!((t_975(1000) - 1.962).abs() < 1e-3);
    }

    #[test]
    fn one_value_has_a_mean_and_no_interval() {
        let i = Interval::of(&[5.0]).unwrap();
        assert_eq!((i.mean, i.bounds, i.n), (5.0, None, 1));
        assert_eq!(i.bounds_text(2), "—");
        assert!(Interval::of(&[]).is_none());
        assert!(Interval::of(&[f64::NAN, f64::INFINITY]).is_none());
        // Non-finite values are left out, and what remains is one value.
        assert_eq!(Interval::of(&[f64::NAN, 3.0]).unwrap().bounds, None);
        assert_eq!(
            Interval::unpaired_difference(&[1.0], &[0.0, 2.0])
                .unwrap()
                .bounds,
            None
        );
    }

    #[test]
    fn interval_lies_within_the_data_even_when_two_humped() {
        // Eight cascades that died (1 or 2 adopters) and two that took off: a
        // t-interval would reach below zero here.
        let v = [1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 2.0, 900.0, 950.0];
        let i = Interval::of(&v).unwrap();
        let (lo, hi) = i.bounds.unwrap();
        assert!((1.0..=950.0).contains(&lo) && (1.0..=950.0).contains(&hi));
        assert!(lo <= i.mean && i.mean <= hi, "{i:?}");
        let t_low = i.mean
            - t_975(9) * {
                let var = v.iter().map(|x| (x - i.mean).powi(2)).sum::<f64>() / 9.0;
                (var / 10.0).sqrt()
            };
        assert!(t_low < 0.0, "the example should defeat a t-interval");
        // Shares stay within [0, 1], constant values give a zero-width interval.
        let s = Interval::of(&[0.0, 0.0, 1.0, 1.0, 1.0])
            .unwrap()
            .bounds
            .unwrap();
        assert!(s.0 >= 0.0 && s.1 <= 1.0 && s.0 < s.1);
        let c = Interval::of(&[0.1; 7]).unwrap();
        assert_eq!((c.mean, c.bounds), (0.1, Some((0.1, 0.1))));
    }

    #[test]
    fn interval_is_deterministic_and_roughly_right_for_normal_data() {
        let v: Vec<f64> = (0..40).map(|i| ((i * 37) % 40) as f64).collect();
        assert_eq!(Interval::of(&v), Interval::of(&v));
        // Order of the values does not matter for the mean, and the bootstrap interval
        // is close to the t-interval for well-behaved data.
        let i = Interval::of(&v).unwrap();
        let (lo, hi) = i.bounds.unwrap();
        let half =
            t_975(39) * (v.iter().map(|x| (x - 19.5).powi(2)).sum::<f64>() / 39.0 / 40.0).sqrt();
        assert!((i.mean - 19.5).abs() < 1e-12);
        assert!(
            ((hi - lo) / (2.0 * half) - 1.0).abs() < 0.15,
            "{lo} {hi} {half}"
        );
    }

    #[test]
    fn unpaired_difference_and_within() {
        let a = [10.0, 12.0, 11.0, 13.0];
        let b = [1.0, 2.0, 3.0, 2.0];
        let d = Interval::unpaired_difference(&a, &b).unwrap();
        assert_eq!(d.mean, 11.5 - 2.0);
        let (lo, hi) = d.bounds.unwrap();
        assert!(
            7.0 <= lo && lo <= d.mean && d.mean <= hi && hi <= 12.0,
            "{d:?}"
        );
        assert_eq!(d, Interval::unpaired_difference(&a, &b).unwrap());
        let w = Interval::of(&[-1.0, 0.5, 2.0]).unwrap().within(0.0, 1.0);
        assert!(w.mean <= 1.0 && w.low().unwrap() >= 0.0 && w.high().unwrap() <= 1.0);
    }
}
