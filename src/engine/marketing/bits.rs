//! Which agents of a chunk a rule applies to, as one bit per agent (agent j in bit
//! j % 64 of word j / 64), found without a branch, and walked in id order with one
//! branch per agent marked rather than one per agent: a loop over every agent that
//! switches on each one's state is a branch the processor cannot predict. Used by
//! talk, word of mouth, purchase and community (docs/MODEL.md §4.3).

use super::CHUNK;
use crate::population::CustomersChunk;

/// The positions of the set bits of `words` (bit k of word w is position 64w + k),
/// plus `base`, in increasing order: the agents a bit set marks, walked a word at a
/// time with one branch per agent marked rather than one per agent.
#[inline]
pub(super) fn ones(base: usize, words: &[u64]) -> impl Iterator<Item = usize> + '_ {
    words.iter().enumerate().flat_map(move |(w, &word)| {
        let at = base + w * 64;
        let mut rest = word;
        std::iter::from_fn(move || {
            (rest != 0).then(|| {
                let b = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                at + b
            })
        })
    })
}

/// The bits of the agents `0..len` of a chunk for which `marked` holds, built a word
/// at a time without a branch (`marked` should itself be branch-free: `&` and `|` of
/// comparisons).
#[inline]
pub(super) fn of(len: usize, marked: impl Fn(usize) -> bool) -> [u64; CHUNK / 64] {
    let mut words = [0u64; CHUNK / 64];
    for (w, word) in words.iter_mut().enumerate().take(len.div_ceil(64)) {
        let (start, end) = (w * 64, (w * 64 + 64).min(len));
        let mut bits = 0u64;
        for j in start..end {
            bits |= (marked(j) as u64) << (j - start);
        }
        *word = bits;
    }
    words
}

/// Bits of the agents of chunk `c` (agent j in bit j % 64 of word j / 64) in each of
/// `G` groups, found without a branch: `lanes` gives, for eight agents' statuses,
/// flags and known competitors read as one 8-byte word each (agent k in byte k), the
/// eight agents' bit in each group (agent k in bit k). A chunk's tail of fewer than
/// eight agents is read one agent at a time.
pub(super) fn by_eight<const G: usize>(
    c: &CustomersChunk,
    lanes: impl Fn(u64, u64, u64) -> [u8; G],
) -> [[u64; CHUNK / 64]; G] {
    let mut groups = [[0u64; CHUNK / 64]; G];
    let mut set = |j: usize, bits: [u8; G], count: usize| {
        let (w, at) = (j / 64, j % 64);
        let keep = (1u64 << count) - 1;
        for (words, b) in groups.iter_mut().zip(bits) {
            words[w] |= (b as u64 & keep) << at;
        }
    };
    let whole = c.status.len() / 8 * 8;
    for j in (0..whole).step_by(8) {
        let (s, f, k) = (
            word_at(c.status, j),
            word_at(c.flags, j),
            word_at(c.known, j),
        );
        set(j, lanes(s, f, k), 8);
    }
    for j in whole..c.status.len() {
        let (s, f, k) = (c.status[j], c.flags[j], c.known[j]);
        set(j, lanes(s as u64, f as u64, k as u64), 1);
    }
    groups
}

/// The sum of a word's eight bytes.
#[inline]
pub(super) fn lane_sum(word: u64) -> u64 {
    // Pairs of bytes into four 16-bit lanes (each at most 510), then the lanes
    // summed into the top 16 bits by one multiplication.
    const EVEN: u64 = 0x00FF_00FF_00FF_00FF;
    let pairs = (word & EVEN) + ((word >> 8) & EVEN);
    pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48
}

/// Eight bytes of `bytes` from `at` as one word (byte k in bits 8k..8k + 8), the
/// bytes past the end as 0.
#[inline]
pub(super) fn word_at(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().expect("eight bytes")),
        None => {
            let mut b = [0u8; 8];
            b[..bytes.len() - at].copy_from_slice(&bytes[at..]);
            u64::from_le_bytes(b)
        }
    }
}

/// The high bit of each byte of `x` that is 0, exactly (no borrow crosses bytes).
#[inline]
pub(super) fn zero_bytes(x: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    !(((x & !HIGH) + !HIGH) | x) & HIGH
}

/// The bytes' high bits gathered into one byte: bit 8k + 7 moves to bit k.
#[inline]
pub(super) fn gather(high: u64) -> u8 {
    (high.wrapping_mul(0x0002_0408_1020_4081) >> 56) as u8
}

/// Bit k set where byte k of `bytes` is `value`.
#[inline]
pub(super) fn equal(bytes: u64, value: u8) -> u8 {
    gather(zero_bytes(bytes ^ (0x0101_0101_0101_0101 * value as u64)))
}

/// Bit k set where byte k of `flags` has the flag `bit` (a single bit).
#[inline]
pub(super) fn with(flags: u64, bit: u8) -> u8 {
    gather((flags << (7 - bit.trailing_zeros())) & 0x8080_8080_8080_8080)
}
