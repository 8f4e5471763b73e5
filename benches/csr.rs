//! The memory-bandwidth ceiling of a tick on the CSR adjacency (src/network/csr.rs),
//! on the networks of `common`. Run with `cargo bench --bench csr`.
//!
//! - `csr_neighbour_sum/{n}`: for every node in parallel (rayon, chunks of 4096 nodes,
//!   as the engine), sum a u32 per-node array over the node's out-neighbours and write
//!   the sum to an output array. Every arc is read once and costs one dependent, mostly
//!   random, 4-byte load. Throughput: all arcs.
//!
//! The other tick benchmarks (benches/classic.rs, benches/marketing.rs) are read
//! against it.

mod common;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use murmur::bench::neighbour_sum;
use std::hint::black_box;
use std::time::Duration;

/// `csr_neighbour_sum/{n}` for each size.
fn benches(c: &mut Criterion) {
    for n in common::SIZES {
        let net = common::network(n);
        let arcs = net.out.arcs() as u64;
        let mut g = c.benchmark_group("csr_neighbour_sum");
        g.sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(3))
            .throughput(Throughput::Elements(arcs));
        let values: Vec<u32> = (0..n as u32).map(|v| v % 7).collect();
        let mut out = vec![0u32; n];
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                neighbour_sum(&net, black_box(&values), &mut out);
                black_box(&out);
            })
        });
        g.finish();
    }
}

criterion_group!(csr, benches);
criterion_main!(csr);
