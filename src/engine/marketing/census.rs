//! The census (docs/MODEL.md §4.3, pass 7): counts and sums over every agent at the
//! end of a tick, which the tick's record (`record.rs`) and the firm's observations
//! read. Pass 6 takes it of each chunk as it finishes the chunk; it reads the agents a
//! word of eight at a time for its counts, and only the holders of social capital and
//! the customers for its sums.

use super::bits::{self, ones};
use super::community::capital_holders;
use super::exact_sum::ExactSum;
use super::record::{is_detractor, is_promoter};
use super::{CHUNK, Marketing};
use crate::population::{CustomersChunk, flag, membership, status};
use rayon::prelude::*;

/// Counts and means over all agents at the end of a tick.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Census {
    pub aware: u64,
    pub customers: u64,
    pub churned: u64,
    /// Agents buying from a competitor.
    pub rivals: u64,
    /// Agents in the product category.
    pub in_market: u64,
    pub followers: u64,
    /// Followers who are not customers: the audience still to convert.
    pub prospect_followers: u64,
    pub members: u64,
    pub active: u64,
    pub promoters: u64,
    pub detractors: u64,
    /// Sum over customers, in any order ([`ExactSum`]).
    pub satisfaction: ExactSum,
    /// Sums over all agents, in any order.
    pub reputation: ExactSum,
    pub affiliation: ExactSum,
    pub knowledge: ExactSum,
    /// Customers and agents by segment (0 low, 1 high involvement).
    pub segment_customers: [u64; 2],
    pub segment_size: [u64; 2],
}

impl Census {
    fn add(mut self, o: &Census) -> Census {
        self.aware += o.aware;
        self.customers += o.customers;
        self.churned += o.churned;
        self.rivals += o.rivals;
        self.in_market += o.in_market;
        self.followers += o.followers;
        self.prospect_followers += o.prospect_followers;
        self.members += o.members;
        self.active += o.active;
        self.promoters += o.promoters;
        self.detractors += o.detractors;
        self.satisfaction = self.satisfaction.plus(o.satisfaction);
        self.reputation = self.reputation.plus(o.reputation);
        self.affiliation = self.affiliation.plus(o.affiliation);
        self.knowledge = self.knowledge.plus(o.knowledge);
        for s in 0..2 {
            self.segment_customers[s] += o.segment_customers[s];
            self.segment_size[s] += o.segment_size[s];
        }
        self
    }
}

impl Census {
    /// The agents of chunk `c` the census's sums read (one bit each, agent j in bit
    /// j % 64 of word j / 64): the brand's customers and every agent holding social
    /// capital other than ±0. Pass 6's busy agents include them all.
    pub(super) fn holders(c: &CustomersChunk) -> [u64; CHUNK / 64] {
        let mut held = capital_holders(c);
        let customers = bits::of(c.flags.len(), |j| c.status[j] == status::CUSTOMER);
        held.iter_mut().zip(customers).for_each(|(h, c)| *h |= c);
        held
    }

    /// The census's counts of a chunk's agents, from their `flags`, `membership` and
    /// `status` bytes, eight agents at a time in one word each. Each count keeps a
    /// byte per lane, 1 where the agent counts: a flag's bit moved to the lane's
    /// lowest bit, or a state's test ([`bits::equal_bytes`], its top bit moved
    /// down). The lanes are added up every 255 words, before a byte can overflow
    /// (no `popcnt` needed, which a generic x86-64 build lacks). Bytes past the end
    /// read as 0: no flag, not a member, a prospect, so they count nowhere.
    fn counts_of(flags: &[u8], membership: &[u8], status: &[u8]) -> Census {
        use bits::ONES;
        let is = |word: u64, value: u8| bits::equal_bytes(word, value) >> 7;
        let flag = |word: u64, bit: u8| (word >> bit.trailing_zeros()) & ONES;
        let mut totals = [0u64; 9];
        let len = flags.len();
        for block in (0..len).step_by(8 * 255) {
            let mut lanes = [0u64; 9];
            for at in (block..len.min(block + 8 * 255)).step_by(8) {
                let (f, m, s) = (
                    bits::word_at(flags, at),
                    bits::word_at(membership, at),
                    bits::word_at(status, at),
                );
                let follows = flag(f, flag::FOLLOWER);
                let counts = [
                    flag(f, flag::HIGH_INVOLVEMENT),
                    flag(f, flag::AWARE),
                    flag(f, flag::IN_MARKET),
                    follows,
                    is(m, membership::NONE) ^ ONES,
                    is(m, membership::ACTIVE),
                    is(s, status::CHURNED),
                    is(s, status::RIVAL),
                    follows & (is(s, status::CUSTOMER) ^ ONES),
                ];
                lanes.iter_mut().zip(counts).for_each(|(l, c)| *l += c);
            }
            totals
                .iter_mut()
                .zip(lanes)
                .for_each(|(t, l)| *t += bits::lane_sum(l));
        }
        let [
            high,
            aware,
            in_market,
            followers,
            members,
            active,
            churned,
            rivals,
            prospect_followers,
        ] = totals;
        Census {
            aware,
            in_market,
            followers,
            prospect_followers,
            members,
            active,
            churned,
            rivals,
            segment_size: [flags.len() as u64 - high, high],
            ..Census::default()
        }
    }

    /// Counts and sums over the agents of chunk `c`, in id order. Pass 6 takes it of
    /// each chunk as it finishes the chunk (no later pass of the tick changes what it
    /// reads), which spares a sweep over every agent; [`Census::of_all`] sums the
    /// chunks in order, so the result does not depend on the thread count.
    ///
    /// The sums of social capital and satisfaction walk only the agents marked in
    /// `held`, which must include every [`Census::holders`] agent. The others are
    /// not customers and hold ±0, and a sum that starts at +0 is left as it was, bit
    /// for bit, by adding ±0: skipping them changes nothing, and spares a chain of
    /// dependent adds over every agent.
    pub(super) fn of_chunk(c: &CustomersChunk, held: &[u64; CHUNK / 64]) -> Census {
        let flags = &c.flags[..];
        let mut k = Census::counts_of(flags, c.membership, c.status);
        // The sums do not depend on the order of their adds ([`ExactSum`]).
        let mut sums = [ExactSum::default(); 3];
        for j in ones(0, held) {
            let f = flags[j];
            sums[0].add(c.reputation[j] as f64);
            sums[1].add(c.affiliation[j] as f64);
            sums[2].add(c.knowledge[j] as f64);
            if c.status[j] == status::CUSTOMER {
                let high = (f & flag::HIGH_INVOLVEMENT != 0) as usize;
                k.customers += 1;
                k.segment_customers[high] += 1;
                k.satisfaction.add(c.satisfaction[j] as f64);
                k.promoters += is_promoter(c.satisfaction[j]) as u64;
                k.detractors += is_detractor(c.satisfaction[j]) as u64;
            }
        }
        [k.reputation, k.affiliation, k.knowledge] = sums;
        k
    }

    /// The chunks' censuses summed in chunk order.
    pub(super) fn of_all<'a>(parts: impl Iterator<Item = &'a Census>) -> Census {
        parts.fold(Census::default(), |a, b| a.add(b))
    }
}

impl Marketing<'_> {
    /// Pass 7's census of every agent, taken on its own (at tick 0; pass 6 takes it
    /// of each chunk as it goes).
    pub(super) fn census(&mut self) -> Census {
        let parts: Vec<Census> = self
            .agents
            .chunks_mut(CHUNK)
            .into_par_iter()
            .map(|c| Census::of_chunk(&c, &Census::holders(&c)))
            .collect();
        Census::of_all(parts.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::Customers;

    /// The census of agents `range` as a plain sweep takes it, agent by agent.
    fn reference(a: &Customers, range: std::ops::Range<usize>) -> Census {
        let mut k = Census::default();
        for i in range {
            let flags = a.flags[i];
            let high = (flags & flag::HIGH_INVOLVEMENT != 0) as usize;
            k.segment_size[high] += 1;
            k.aware += (flags & flag::AWARE != 0) as u64;
            k.in_market += (flags & flag::IN_MARKET != 0) as u64;
            let follows = flags & flag::FOLLOWER != 0;
            k.followers += follows as u64;
            k.prospect_followers += (follows && a.status[i] != status::CUSTOMER) as u64;
            k.members += (a.membership[i] != membership::NONE) as u64;
            k.active += (a.membership[i] == membership::ACTIVE) as u64;
            k.reputation.add(a.reputation[i] as f64);
            k.affiliation.add(a.affiliation[i] as f64);
            k.knowledge.add(a.knowledge[i] as f64);
            match a.status[i] {
                status::CUSTOMER => {
                    k.customers += 1;
                    k.segment_customers[high] += 1;
                    k.satisfaction.add(a.satisfaction[i] as f64);
                    k.promoters += is_promoter(a.satisfaction[i]) as u64;
                    k.detractors += is_detractor(a.satisfaction[i]) as u64;
                }
                status::CHURNED => k.churned += 1,
                status::RIVAL => k.rivals += 1,
                _ => {}
            }
        }
        k
    }

    #[test]
    fn the_census_of_a_chunk_equals_a_plain_sweep_to_the_bit() {
        // Chunks summed in order, as before this census was rewritten for speed.
        // Several chunks and a short last one, not a multiple of eight agents; every
        // flag, status and membership mixed, values of every size (some below 2^-12,
        // which the exact sums truncate).
        let n = 3 * CHUNK + 1003;
        let mut a = Customers::new(n);
        for i in 0..n {
            let h = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
            a.flags[i] = h as u8;
            a.status[i] = (h >> 8) as u8 % 4;
            a.membership[i] = (h >> 10) as u8 % 3;
            // Full 24-bit mantissas over thirty binades.
            let x = ((h & 0xFF_FFFF) as f32 / (1u64 << 24) as f32) * 0.5f32.powi((h % 30) as i32);
            a.reputation[i] = if i % 3 == 0 { 0.0 } else { x };
            a.affiliation[i] = x * x;
            a.knowledge[i] = if i % 7 == 0 { x / 3.0 } else { 0.0 };
            a.satisfaction[i] = ((h >> 4) % 11) as f32 / 10.0;
        }
        let sweeps: Vec<Census> = (0..n.div_ceil(CHUNK))
            .map(|c| reference(&a, c * CHUNK..((c + 1) * CHUNK).min(n)))
            .collect();
        let one = Census::of_all(sweeps.iter());
        let chunks = a.chunks_mut(CHUNK);
        // Summed over the holders alone, and over every agent of the chunk.
        let census = |held: &dyn Fn(&CustomersChunk) -> [u64; CHUNK / 64]| {
            let parts: Vec<Census> = chunks
                .iter()
                .map(|c| Census::of_chunk(c, &held(c)))
                .collect();
            format!("{:?}", Census::of_all(parts.iter()))
        };
        assert_eq!(census(&Census::holders), format!("{one:?}"));
        assert_eq!(
            census(&|c| bits::of(c.flags.len(), |_| true)),
            format!("{one:?}")
        );
        // A holder left out is missed: the bits decide what is summed.
        let missing_one = |c: &CustomersChunk| {
            let mut held = Census::holders(c);
            held[0] &= held[0] - 1;
            held
        };
        assert_ne!(census(&missing_one), format!("{one:?}"));
        assert!(one.customers > 0 && one.active > 0 && one.prospect_followers > 0);
        assert!(one.segment_customers[1] > 0 && one.promoters > 0 && one.detractors > 0);
    }
}
