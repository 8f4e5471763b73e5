//! Agent state, one flat array per field (struct of arrays).
//!
//! Fields are atomics so that tick phases running in parallel over agents can read
//! them and write their own agent's entry without locks; relaxed loads and stores
//! compile to plain memory operations. Writes that several agents may race on
//! (a neighbour count, first activation) use atomic adds and compare-exchange, whose
//! outcome does not depend on the order of the racing writes, so results stay
//! identical at any thread count.

use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

/// Marks an agent that has not adopted.
pub const NEVER: u32 = u32::MAX;

/// Who has adopted, when, and how many adopted neighbours each agent hears from.
pub struct Adoption {
    /// Tick at which each agent adopted, or [`NEVER`].
    pub tick: Vec<AtomicU32>,
    /// Number of adopted agents among each agent's in-neighbours.
    pub adopted_neighbours: Vec<AtomicU32>,
}

impl Adoption {
    /// A population of `n` agents, none adopted.
    pub fn new(n: usize) -> Self {
        Adoption {
            tick: (0..n).map(|_| AtomicU32::new(NEVER)).collect(),
            adopted_neighbours: (0..n).map(|_| AtomicU32::new(0)).collect(),
        }
    }

    /// Bytes of state per agent, for memory estimates.
    pub const BYTES_PER_AGENT: usize = 8;

    /// Number of agents.
    pub fn len(&self) -> usize {
        self.tick.len()
    }

    /// Whether the population is empty.
    pub fn is_empty(&self) -> bool {
        self.tick.is_empty()
    }

    /// Whether agent `v` had adopted before tick `t`.
    #[inline(always)]
    pub fn adopted_before(&self, v: u32, t: u32) -> bool {
        self.tick[v as usize].load(Relaxed) < t
    }

    /// Marks `v` as adopting at tick `t` unless it already has; true if this call did it.
    #[inline(always)]
    pub fn try_adopt(&self, v: u32, t: u32) -> bool {
        self.tick[v as usize]
            .compare_exchange(NEVER, t, Relaxed, Relaxed)
            .is_ok()
    }

    /// Number of adopted agents among `v`'s in-neighbours.
    #[inline(always)]
    pub fn neighbours_adopted(&self, v: u32) -> u32 {
        self.adopted_neighbours[v as usize].load(Relaxed)
    }
}
