//! Shared by the tick benchmarks: the network sizes and the Barabási–Albert networks
//! they run on (m = 5, seed 42; mean degree ≈ 10, so about 10·n arcs), each built once
//! per size, outside the timed code.
//!
//! Reading the results: `csr_neighbour_sum` (benches/csr.rs) is the ceiling a
//! pull-style word-of-mouth tick cannot beat, since it touches every arc once with
//! nothing else to do. The design target is for the word-of-mouth step to be within 2×
//! of it, i.e. `bass_tick` (benches/classic.rs) time at most twice `csr_neighbour_sum`
//! time (its edges/s at least half) for the same n; `marketing_tick`
//! (benches/marketing.rs) says how far a whole marketing tick is from it.

use murmur::network::{Network, barabasi_albert};
use std::time::Instant;

/// Network sizes benchmarked.
pub const SIZES: [usize; 2] = [100_000, 1_000_000];

/// The Barabási–Albert network of `n` agents (m = 5, seed 42), with its size and
/// build time on stderr.
pub fn network(n: usize) -> Network {
    let start = Instant::now();
    let net = barabasi_albert(n, 5, 42);
    eprintln!(
        "BA n = {n}, m = 5: {} arcs, built in {:.2?}",
        net.out.arcs(),
        start.elapsed()
    );
    net
}
