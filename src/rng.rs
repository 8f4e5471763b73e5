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

/// The successes of independent trials of chance `p` over a run of indices, found by
/// skipping the failures: the gap to the next success is geometric, so a run of n
/// indices costs about n·p draws instead of n. The successes are a pure function of
/// the stream and of the run's `block` key, whichever indices are asked about: asking
/// whether index i succeeded ([`Hits::hit`]) is the same trial as drawing
/// `unit() < p` for i alone, in law, and skipping the question for an index leaves
/// every other index's answer as it was. This is how a rare decision that every agent
/// faces at the same chance costs work proportional to the agents it picks.
#[derive(Clone, Debug)]
pub struct Hits {
    rng: AgentRng,
    /// ln(1 − p), negative; the gap to the next success is ⌊ln(1 − u)/ln(1 − p)⌋.
    log_q: f64,
    /// The next success (`end` when there is none left in the run).
    next: u64,
    end: u64,
    /// Every index succeeds (p ≥ 1): no draws at all.
    all: bool,
}

impl Hits {
    /// The successes of chance `p` among indices `start..end`, drawn from `key`'s
    /// generator for `block` (a number naming the run, unique within the stream).
    /// A chance of 0 or less (or NaN) gives none, 1 or more gives all.
    pub fn new(key: StreamKey, block: u64, start: u64, end: u64, p: f64) -> Self {
        let mut hits = Hits {
            rng: key.agent(block),
            log_q: (-p).ln_1p(),
            next: start,
            end,
            all: p >= 1.0,
        };
        if p.is_nan() || p <= 0.0 {
            hits.next = end;
        } else if !hits.all {
            hits.skip_from(start);
        }
        hits
    }

    /// Sets `next` to the first success at or after `from`.
    #[inline]
    fn skip_from(&mut self, from: u64) {
        // 1 − u is in (0, 1], so the logarithm is finite and ≤ 0 and the gap ≥ 0.
        let gap = (1.0 - self.rng.unit()).ln() / self.log_q;
        let room = self.end.saturating_sub(from) as f64;
        self.next = if gap < room {
            from + gap as u64
        } else {
            self.end
        };
    }

    /// Whether index `i` succeeded. Indices must be asked in increasing order; any
    /// may be left out.
    #[inline]
    pub fn hit(&mut self, i: u64) -> bool {
        if self.all {
            return i < self.end;
        }
        while self.next < i.min(self.end) {
            self.skip_from(self.next + 1);
        }
        if self.next == i && i < self.end {
            self.skip_from(i + 1);
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// Every index's success rate is p, successes are independent of their
    /// neighbours', and leaving indices out changes no other answer.
    #[test]
    fn hits_are_independent_trials_of_their_chance_whatever_is_asked() {
        let key = StreamKey::new(5, 0, 9, Purpose::Marketing);
        for p in [0.0005, 0.02, 0.3, 0.9] {
            let (blocks, len) = (4000u64, 4096u64);
            let (mut hits, mut pairs) = (0u64, 0u64);
            for b in 0..blocks {
                let mut h = Hits::new(key, b, b * len, (b + 1) * len, p);
                let mut last = false;
                for i in b * len..(b + 1) * len {
                    let now = h.hit(i);
                    hits += now as u64;
                    pairs += (now && last) as u64;
                    last = now;
                }
            }
            let n = (blocks * len) as f64;
            let sd = (n * p * (1.0 - p)).sqrt();
            assert!(
                (hits as f64 - n * p).abs() < 5.0 * sd,
                "p {p}: {hits} of {n}"
            );
            // Adjacent successes: (n − blocks)·p² expected.
            let m = (n - blocks as f64) * p * p;
            assert!(
                (pairs as f64 - m).abs() < 5.0 * m.sqrt() + 2.0,
                "p {p}: {pairs} pairs, {m}"
            );
        }
        // Asking only every third index gives the same answers there.
        let all: Vec<bool> = {
            let mut h = Hits::new(key, 3, 100, 5000, 0.05);
            (100..5000).map(|i| h.hit(i)).collect()
        };
        let mut h = Hits::new(key, 3, 100, 5000, 0.05);
        for i in (100..5000).step_by(3) {
            assert_eq!(h.hit(i), all[(i - 100) as usize], "index {i}");
        }
        assert!(all.iter().any(|&x| x), "some success in 4,900 trials at 5%");
        // A different block is a different draw.
        let mut other = Hits::new(key, 4, 100, 5000, 0.05);
        let second: Vec<bool> = (100..5000).map(|i| other.hit(i)).collect();
        assert_ne!(all, second);
    }

    #[test]
    fn hits_of_certain_and_impossible_chances_and_outside_the_run() {
        let key = StreamKey::new(1, 0, 1, Purpose::Marketing);
        for p in [1.0, 1.5] {
            let mut h = Hits::new(key, 0, 10, 20, p);
            assert!((10..20).all(|i| h.hit(i)));
            assert!(!h.hit(20));
        }
        for p in [0.0, -1.0, f64::NAN] {
            let mut h = Hits::new(key, 0, 10, 20, p);
            assert!((10..20).all(|i| !h.hit(i)));
        }
        let mut h = Hits::new(key, 0, 10, 20, 0.999_999);
        assert!(!h.hit(25), "nothing succeeds past the run's end");
    }
}
