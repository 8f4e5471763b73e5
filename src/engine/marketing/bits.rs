//! Which agents of a chunk a rule applies to, as one bit per agent (agent j in bit
//! j % 64 of word j / 64), found without a branch, and walked in id order with one
//! branch per agent marked rather than one per agent: a loop over every agent that
//! switches on each one's state is a branch the processor cannot predict. Used by
//! talk, word of mouth, purchase and community (docs/MODEL.md §4.3).

use super::CHUNK;

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

/// Bits of a chunk's agents (agent j in bit j % 64 of word j / 64) in each of `G`
/// groups, found without a branch from `B` byte columns of equal length (one byte per
/// agent: a status, flags, membership, known competitors): `lanes` gives, for eight
/// agents' bytes of each column read as one 8-byte word (agent k in byte k), the
/// eight agents' bit in each group (agent k in bit k). A chunk's tail of fewer than
/// eight agents is read one agent at a time (its other bytes 0).
pub(super) fn by_eight<const B: usize, const G: usize>(
    columns: [&[u8]; B],
    lanes: impl Fn([u64; B]) -> [u8; G],
) -> [[u64; CHUNK / 64]; G] {
    let len = columns[0].len();
    debug_assert!(columns.iter().all(|c| c.len() == len) && len <= CHUNK);
    let mut groups = [[0u64; CHUNK / 64]; G];
    let mut set = |j: usize, bits: [u8; G], count: usize| {
        let (w, at) = (j / 64, j % 64);
        let keep = (1u64 << count) - 1;
        for (words, b) in groups.iter_mut().zip(bits) {
            words[w] |= (b as u64 & keep) << at;
        }
    };
    let whole = len / 8 * 8;
    for j in (0..whole).step_by(8) {
        set(j, lanes(columns.map(|c| word_at(c, j))), 8);
    }
    for j in whole..len {
        set(j, lanes(columns.map(|c| c[j] as u64)), 1);
    }
    groups
}

/// A byte of all ones when `on`, else 0: a rule's switch as a mask over eight agents'
/// bits, so that a SWAR test stays without a branch.
#[inline]
pub(super) fn mask(on: bool) -> u8 {
    0u8.wrapping_sub(on as u8)
}

/// Clears the flag `bit` (a single bit) in every byte of `flags`, eight bytes at a
/// time. Most agents do not have it: a word without it is read but not written,
/// which spares the memory traffic of writing back every agent's flags.
pub(super) fn clear_flag(flags: &mut [u8], bit: u8) {
    let mask = ONES * bit as u64;
    let mut words = flags.chunks_exact_mut(8);
    for w in &mut words {
        let word = u64::from_le_bytes((&*w).try_into().expect("eight bytes"));
        if word & mask != 0 {
            w.copy_from_slice(&(word & !mask).to_le_bytes());
        }
    }
    for f in words.into_remainder() {
        *f &= !bit;
    }
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

/// A word with 1 in every byte: times a byte value, that value in every byte.
pub(super) const ONES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `bytes` that is `value`, exactly.
#[inline]
pub(super) fn equal_bytes(bytes: u64, value: u8) -> u64 {
    zero_bytes(bytes ^ (ONES * value as u64))
}

/// Bit k set where byte k of `bytes` is `value`.
#[inline]
pub(super) fn equal(bytes: u64, value: u8) -> u8 {
    gather(equal_bytes(bytes, value))
}

/// Bit k set where byte k of `flags` has the flag `bit` (a single bit).
#[inline]
pub(super) fn with(flags: u64, bit: u8) -> u8 {
    gather((flags << (7 - bit.trailing_zeros())) & 0x8080_8080_8080_8080)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearing_a_flag_by_words_clears_it_in_every_byte_and_only_it() {
        use crate::rng::{Purpose, StreamKey};
        let key = StreamKey::new(9, 0, 0, Purpose::Traits);
        // 4099 bytes: whole words and a tail of three.
        let bytes: Vec<u8> = (0..4099).map(|i| key.agent(i).bits() as u8).collect();
        for bit in [1u8, 4, 0x80] {
            let mut cleared = bytes.clone();
            clear_flag(&mut cleared, bit);
            let want: Vec<u8> = bytes.iter().map(|b| b & !bit).collect();
            assert_eq!(cleared, want, "flag {bit:#x}");
            assert!(bytes.iter().any(|b| b & bit != 0));
        }
    }
}
