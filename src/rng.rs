//! Counter-based random numbers keyed by (seed, replicate, tick, purpose, agent).
//!
//! Every random draw in murmur is a pure function of its key, never of a shared
//! generator's position. That is what makes outputs bit-identical at any thread
//! count, lets phases run in any order over any chunking, and gives common random
//! numbers across strategies: the same agent in the same tick for the same purpose
//! sees the same numbers whatever else differs between two scenarios.
//!
//! A [`StreamKey`] names one (seed, replicate, tick, purpose) stream; [`StreamKey::agent`]
//! opens the small per-agent generator [`AgentRng`] (a SplitMix64 sequence started
//! at a hash of the full key), and [`StreamKey::unit`] is the one-draw fast path.

use rand::rand_core::{Infallible, TryRng};

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// The SplitMix64 output function: a strong 64-bit bijective mixer.
#[inline(always)]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Folds one more counter into a running hash.
#[inline(always)]
fn combine(h: u64, v: u64) -> u64 {
    mix64(
        h ^ mix64(v.wrapping_add(GOLDEN))
            .wrapping_add(h << 6)
            .wrapping_add(h >> 2),
    )
}

/// What a draw is for. Distinct purposes give independent streams, so adding a
/// new random decision never shifts the numbers an existing one sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Random graph generation.
    Network = 1,
    /// Choice of seed (initially active) agents.
    Seeding = 2,
    /// Per-agent thresholds of the linear threshold model.
    Threshold = 3,
    /// Bass adoption draws.
    BassAdoption = 4,
    /// Independent-cascade activation attempts along edges.
    Cascade = 5,
    /// Agents' traits drawn once per replicate in the marketing model.
    Traits = 6,
    /// The marketing model's per-tick decisions (one sub-stream per decision).
    Marketing = 7,
    /// Word-of-mouth contacts along ties (keyed by arc).
    Contact = 8,
    /// Pivot choice of sampled betweenness centrality.
    Centrality = 9,
    /// Latin-hypercube sampling of sweep points.
    Sweep = 10,
    /// Bootstrap resamples of confidence intervals across replicates.
    Bootstrap = 11,
    /// Saltelli designs of global sensitivity analysis and their bootstrap.
    Sensitivity = 12,
    /// ABC-SMC proposals, perturbations and predictive draws of a calibration.
    Calibration = 13,
}

/// One independent stream: (seed, replicate, tick, purpose).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamKey(u64);

impl StreamKey {
    /// The stream for a purpose at a tick of a replicate. Use tick 0 for draws made
    /// once per replicate (thresholds, seeds) and replicate 0 for draws shared by all
    /// replicates (a network generated once per scenario).
    #[inline]
    pub fn new(seed: u64, replicate: u64, tick: u64, purpose: Purpose) -> Self {
        let h = combine(0x6D75_726D_7572_0001, seed);
        let h = combine(h, replicate);
        let h = combine(h, tick);
        StreamKey(combine(h, purpose as u64))
    }

    /// A sub-stream, for purposes that need a second counter (an edge slot, a community).
    #[inline]
    pub fn child(self, index: u64) -> Self {
        StreamKey(combine(self.0, index ^ 0xA5A5_A5A5_0000_0000))
    }

    /// The generator of one agent (or any indexed item) in this stream.
    #[inline(always)]
    pub fn agent(self, agent: u64) -> AgentRng {
        AgentRng {
            state: combine(self.0, agent),
        }
    }

    /// The first uniform draw in [0, 1) of an agent's generator, without building it.
    #[inline(always)]
    pub fn unit(self, agent: u64) -> f64 {
        self.agent(agent).unit()
    }
}

/// A small, fast generator for the draws of one agent within one stream.
/// Implements `rand`'s traits, so `rand_distr` distributions work with it.
#[derive(Clone, Debug)]
pub struct AgentRng {
    state: u64,
}

impl AgentRng {
    /// The next 64 random bits.
    #[inline(always)]
    pub fn bits(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix64(self.state)
    }

    /// A uniform draw in [0, 1) with 53 bits of precision.
    #[inline(always)]
    pub fn unit(&mut self) -> f64 {
        (self.bits() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform integer in [0, n) (Lemire's multiply-shift; bias below 2^-32 for n < 2^32).
    #[inline(always)]
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.bits() as u128 * n as u128) >> 64) as u64
    }

    /// `k` distinct integers from [0, n) (all of them when k ≥ n), ascending, by
    /// Floyd's algorithm: O(k) draws whatever n is.
    pub fn sample_distinct(&mut self, n: u64, k: u64) -> Vec<u64> {
        let k = k.min(n);
        let mut set = std::collections::BTreeSet::new();
        for j in n - k..n {
            let t = self.below(j + 1);
            if !set.insert(t) {
                set.insert(j);
            }
        }
        set.into_iter().collect()
    }

    /// True with probability `p`.
    #[inline(always)]
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

impl TryRng for AgentRng {
    type Error = Infallible;

    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.bits() >> 32) as u32)
    }

    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.bits())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.bits().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

/// Shells of [`UnitsBelow`]: shell k holds the uniforms in [2^-(k+1), 2^-k), and one
/// more, the bottom, holds [0, 2^-SHELLS).
const SHELLS: usize = 24;

/// 2^-n, exactly, built from its exponent bits: `0.5f64.powi(n)` gives the same
/// value through a library call whose loop the processor mispredicts.
#[inline(always)]
fn half_to(n: usize) -> f64 {
    debug_assert!(n < 1023);
    f64::from_bits((1023 - n as u64) << 52)
}

/// Each shell's ln(1 − chance), its chance given that U is not in a deeper shell:
/// 2^-(k+1)/(1 − 2^-(k+1)) for shell k (1 for shell 0, so −∞: it picks every index
/// not in a deeper shell), 2^-SHELLS for the bottom.
static SHELL_LOG_Q: std::sync::LazyLock<[f64; SHELLS + 1]> = std::sync::LazyLock::new(|| {
    std::array::from_fn(|k| {
        let chance = if k == SHELLS {
            half_to(SHELLS)
        } else {
            let share = half_to(k + 1);
            share / (1.0 - share)
        };
        (-chance).ln_1p()
    })
});

/// The uniforms U_i of a run of indices that fall below a bound, found by skips: U_i
/// is a pure function of (stream, block, i), uniform on [0, 1) and independent across
/// indices, like `unit()` drawn for each index, but only those below the bound are
/// ever drawn, so a run of n indices costs about n·bound work, not n.
///
/// A decision "U_i < p" then happens with chance p, and because U_i does not depend on
/// the bound, two runs that ask with different bounds (two strategies, two ticks) see
/// the same U_i: raising an agent's chance only adds events (a monotone coupling),
/// exactly as with one uniform per agent.
///
/// How: U's binary shells [2^-(k+1), 2^-k) are found shell by shell, each by
/// geometric skips at its chance given that U is not in a deeper
/// one, 2^-(k+1)/(1 − 2^-(k+1)); an index belongs to the deepest shell that picks
/// it, and its value within the shell is one more uniform. Only the shells below the
/// bound are drawn.
#[derive(Clone, Debug)]
pub struct UnitsBelow {
    /// Each shell's next pick (`end` when none is left): shell k at index k, the
    /// bottom at index SHELLS.
    next: [u64; SHELLS + 1],
    /// Each shell's generator of gaps (only those from `top` on are used).
    rng: [AgentRng; SHELLS + 1],
    /// The shallowest shell drawn: every U_i below 2^-top is found.
    top: usize,
    /// The first index any drawn shell picks.
    first: u64,
    end: u64,
    /// The uniforms within a shell.
    within: StreamKey,
}

impl UnitsBelow {
    /// The uniforms below `bound` of indices `start..end`, drawn from `key`'s
    /// generators for `block` (a number naming the run, unique within the stream). A
    /// bound of 0 or less (or NaN) finds none; 1 or more finds every index.
    pub fn new(key: StreamKey, block: u64, start: u64, end: u64, bound: f64) -> Self {
        let mut top = 0;
        while top < SHELLS && half_to(top + 1) >= bound {
            top += 1;
        }
        let none = bound.is_nan() || bound <= 0.0;
        let mut units = UnitsBelow {
            next: [end; SHELLS + 1],
            rng: std::array::from_fn(|k| {
                let key = if k < top { key } else { key.child(k as u64) };
                key.agent(block)
            }),
            top,
            first: end,
            end,
            within: key.child(u64::MAX),
        };
        if !none {
            for k in top..=SHELLS {
                units.skip(k, start);
            }
            units.first = units.next[top..].iter().copied().min().unwrap_or(end);
        }
        units
    }

    /// Sets shell `k`'s next pick to the first at or after `from`.
    #[inline]
    fn skip(&mut self, k: usize, from: u64) {
        // 1 − u is in (0, 1], so the logarithm is finite and ≤ 0 and the gap ≥ 0
        // (0 for shell 0, whose ln(1 − chance) is −∞).
        let gap = (1.0 - self.rng[k].unit()).ln() / SHELL_LOG_Q[k];
        let room = self.end.saturating_sub(from) as f64;
        self.next[k] = if gap < room {
            from + gap as u64
        } else {
            self.end
        };
    }

    /// U_i when it is below 2^-top (so always when it is below the bound), otherwise
    /// `None`. Indices must be asked in increasing order; any may be left out.
    #[inline(always)]
    pub fn get(&mut self, i: u64) -> Option<f64> {
        if i < self.first || i >= self.end {
            return None;
        }
        self.found(i)
    }

    /// [`UnitsBelow::get`] for an index at or past the first pick: advances every drawn
    /// shell past `i` and returns U_i if a shell picks it.
    #[inline(never)]
    fn found(&mut self, i: u64) -> Option<f64> {
        let mut deepest = None;
        let mut first = self.end;
        for k in self.top..=SHELLS {
            while self.next[k] < i {
                self.skip(k, self.next[k] + 1);
            }
            if self.next[k] == i {
                deepest = Some(k);
                self.skip(k, i + 1);
            }
            first = first.min(self.next[k]);
        }
        self.first = first;
        let k = deepest?;
        let u = self.within.unit(i);
        Some(if k == SHELLS {
            half_to(SHELLS) * u
        } else {
            half_to(k + 1) * (1.0 + u)
        })
    }

    /// The first index at or after `from` whose U is below 2^-top, with its U: a
    /// run's picks walked in order, rather than each index asked. Mixed with
    /// [`UnitsBelow::get`], indices must still come in increasing order.
    pub fn next_from(&mut self, from: u64) -> Option<(u64, f64)> {
        let mut i = from.max(self.first);
        while i < self.end {
            if let Some(u) = self.get(i) {
                return Some((i, u));
            }
            // `get` has moved the first pick past i.
            i = self.first.max(i + 1);
        }
        None
    }

    /// Whether U_i < `p`, for a chance `p` no larger than the bound.
    #[inline(always)]
    pub fn below(&mut self, i: u64, p: f64) -> bool {
        self.get(i).is_some_and(|u| u < p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_to_is_a_power_of_a_half() {
        for n in 0..=SHELLS + 40 {
            assert_eq!(half_to(n), 0.5f64.powi(n as i32), "n = {n}");
        }
    }

    #[test]
    fn same_key_same_numbers_and_keys_differ() {
        let a = StreamKey::new(7, 0, 3, Purpose::BassAdoption);
        let b = StreamKey::new(7, 0, 3, Purpose::BassAdoption);
        assert_eq!(a.unit(11), b.unit(11));
        for other in [
            StreamKey::new(8, 0, 3, Purpose::BassAdoption),
            StreamKey::new(7, 1, 3, Purpose::BassAdoption),
            StreamKey::new(7, 0, 4, Purpose::BassAdoption),
            StreamKey::new(7, 0, 3, Purpose::Cascade),
        ] {
            assert_ne!(a, other);
            assert_ne!(a.unit(11), other.unit(11));
        }
        assert_ne!(a.unit(11), a.unit(12));
    }

    #[test]
    fn uniform_draws_have_the_right_moments() {
        let key = StreamKey::new(1, 2, 3, Purpose::Network);
        let n = 200_000;
        let (mut sum, mut sq) = (0.0, 0.0);
        for i in 0..n {
            let u = key.unit(i);
            assert!((0.0..1.0).contains(&u));
            sum += u;
            sq += u * u;
        }
        let mean = sum / n as f64;
        let var = sq / n as f64 - mean * mean;
        assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
        assert!((var - 1.0 / 12.0).abs() < 0.002, "var {var}");
    }

    #[test]
    fn sample_distinct_gives_k_distinct_values_in_range() {
        let mut rng = StreamKey::new(4, 0, 0, Purpose::Seeding).agent(0);
        let s = rng.sample_distinct(1000, 50);
        assert_eq!(s.len(), 50);
        assert!(s.windows(2).all(|w| w[0] < w[1]) && s[49] < 1000);
        assert_eq!(rng.sample_distinct(5, 9), vec![0, 1, 2, 3, 4]);
        // Every value is reachable: over many draws of 1 of 3, each appears.
        let mut seen = [false; 3];
        for i in 0..60 {
            seen[StreamKey::new(i, 0, 0, Purpose::Seeding)
                .agent(0)
                .sample_distinct(3, 1)[0] as usize] = true;
        }
        assert_eq!(seen, [true; 3]);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = StreamKey::new(3, 0, 0, Purpose::Seeding).agent(0);
        let mut seen = [0u32; 7];
        for _ in 0..7000 {
            let x = rng.below(7) as usize;
            seen[x] += 1;
        }
        assert!(seen.iter().all(|&c| (800..1200).contains(&c)), "{seen:?}");
    }

    /// Over 16M indices in blocks, U_i < p happens at rate p for bounds in several
    /// shells (and at the bottom's edge), adjacent indices are independent, and the
    /// uniforms found below the bound are uniform there.
    #[test]
    fn units_below_a_bound_are_independent_uniforms() {
        let key = StreamKey::new(5, 0, 9, Purpose::Marketing);
        for bound in [0.0005, 0.02, 0.3, 0.9, 1.0] {
            let (blocks, len) = (4000u64, 4096u64);
            let (mut hits, mut pairs, mut sum) = (0u64, 0u64, 0.0);
            for b in 0..blocks {
                let mut units = UnitsBelow::new(key, b, b * len, (b + 1) * len, bound);
                let mut last = false;
                for i in b * len..(b + 1) * len {
                    let u = units.get(i).filter(|&u| u < bound);
                    let now = u.is_some();
                    sum += u.unwrap_or(0.0);
                    hits += now as u64;
                    pairs += (now && last) as u64;
                    last = now;
                }
            }
            let n = (blocks * len) as f64;
            let p = bound.min(1.0);
            let sd = (n * p * (1.0 - p)).sqrt().max(1.0);
            assert!(
                (hits as f64 - n * p).abs() < 5.0 * sd,
                "{bound}: {hits} of {n}"
            );
            // Adjacent successes: (n − blocks)·p² expected.
            let m = (n - blocks as f64) * p * p;
            let pair_sd = 5.0 * (m * (1.0 - p * p)).sqrt() + 2.0;
            assert!(
                (pairs as f64 - m).abs() < pair_sd,
                "{bound}: {pairs} pairs, {m}"
            );
            // Given U < p, U is uniform on [0, p): mean p/2, sd p/√12 per value.
            let mean = sum / hits as f64;
            let mean_sd = p / 12f64.sqrt() / (hits as f64).sqrt();
            assert!(
                (mean - p / 2.0).abs() < 5.0 * mean_sd,
                "{bound}: mean {mean}"
            );
        }
    }

    /// U_i does not depend on the bound: with bound 1 every index shows its U_i, and a
    /// smaller bound shows the same value exactly where U_i falls in its drawn shells
    /// (always where U_i is below the bound). Asking only some indices changes none.
    #[test]
    fn units_below_do_not_depend_on_the_bound_or_on_what_is_asked() {
        let key = StreamKey::new(2, 1, 4, Purpose::Marketing);
        let (start, end) = (8192u64, 8192 + 50_000);
        let all: Vec<f64> = {
            let mut units = UnitsBelow::new(key, 2, start, end, 1.0);
            (start..end).map(|i| units.get(i).unwrap()).collect()
        };
        assert!(all.iter().all(|&u| (0.0..1.0).contains(&u)));
        for (bound, top) in [
            (0.5, 0.5),
            (0.3, 0.5),
            (0.02, 1.0 / 32.0),
            (1e-3, 1.0 / 512.0),
        ] {
            let mut units = UnitsBelow::new(key, 2, start, end, bound);
            let mut seen = 0;
            for i in start..end {
                let u = all[(i - start) as usize];
                let expected = (u < top).then_some(u);
                assert_eq!(units.get(i), expected, "bound {bound}, index {i}");
                seen += expected.is_some() as u32;
            }
            assert!(seen > 0, "bound {bound}: something below it in 50,000");
            // Every third index alone: the same answers there.
            let mut units = UnitsBelow::new(key, 2, start, end, bound);
            for i in (start..end).step_by(3) {
                let u = all[(i - start) as usize];
                assert_eq!(units.get(i), (u < top).then_some(u), "every third, {i}");
            }
        }
        // A different block is a different draw.
        let mut other = UnitsBelow::new(key, 3, start, end, 1.0);
        let second: Vec<f64> = (start..end).map(|i| other.get(i).unwrap()).collect();
        assert_ne!(all, second);
    }

    /// Walking the picks gives exactly the indices (and values) that asking every
    /// index finds.
    #[test]
    fn walking_the_picks_finds_what_asking_each_index_finds() {
        let key = StreamKey::new(4, 0, 2, Purpose::Marketing);
        for bound in [1e-3, 0.05, 0.4, 1.0] {
            let asked: Vec<(u64, f64)> = {
                let mut units = UnitsBelow::new(key, 7, 100, 20_000, bound);
                (100..20_000)
                    .filter_map(|i| units.get(i).map(|u| (i, u)))
                    .collect()
            };
            let mut walked = Vec::new();
            let mut units = UnitsBelow::new(key, 7, 100, 20_000, bound);
            let mut from = 0;
            while let Some((i, u)) = units.next_from(from) {
                walked.push((i, u));
                from = i + 1;
            }
            assert!(!asked.is_empty(), "bound {bound}");
            assert_eq!(walked, asked, "bound {bound}");
        }
    }

    #[test]
    fn units_below_nothing_and_outside_the_run() {
        let key = StreamKey::new(1, 0, 1, Purpose::Marketing);
        for bound in [0.0, -1.0, f64::NAN] {
            let mut units = UnitsBelow::new(key, 0, 10, 20, bound);
            assert!((10..20).all(|i| units.get(i).is_none()));
        }
        let mut units = UnitsBelow::new(key, 0, 10, 20, 1.0);
        assert!((10..20).all(|i| units.below(i, 1.0)));
        assert_eq!(units.get(25), None, "nothing past the run's end");
    }
}
