//! Compressed sparse row adjacency: the one graph representation the engine reads.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::Relaxed};

use rayon::prelude::*;

/// Nodes per task when rows are sorted and compacted.
const ROW_CHUNK: usize = 4096;

/// Adjacency in compressed sparse row form: the neighbours of node `v` are
/// `targets[offsets[v]..offsets[v + 1]]`, sorted ascending, without duplicates
/// or self-loops. u32 node ids keep the edge array at 4 bytes an edge; u64 offsets
/// allow more than 4 billion edges.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Csr {
    /// Start of each node's row in `targets`; length is nodes + 1.
    pub offsets: Vec<u64>,
    /// Neighbour ids, row after row.
    pub targets: Vec<u32>,
}

/// Packs an arc (from, to) into one u64 so that sorting arcs sorts by source then target.
#[inline(always)]
pub fn pack(from: u32, to: u32) -> u64 {
    ((from as u64) << 32) | to as u64
}

impl Csr {
    /// Builds the adjacency of `nodes` nodes from packed arcs (see [`pack`]).
    /// Sorting makes the result independent of the arcs' order, hence of how a
    /// parallel generator produced them; self-loops and repeated arcs are dropped.
    pub fn from_arcs(nodes: usize, mut arcs: Vec<u64>) -> Csr {
        arcs.par_sort_unstable();
        arcs.dedup();
        arcs.retain(|&a| (a >> 32) as u32 != a as u32);
        let mut offsets = vec![0u64; nodes + 1];
        for &a in &arcs {
            offsets[(a >> 32) as usize + 1] += 1;
        }
        for v in 0..nodes {
            offsets[v + 1] += offsets[v];
        }
        let targets: Vec<u32> = arcs.par_iter().map(|&a| a as u32).collect();
        Csr { offsets, targets }
    }

    /// Builds the adjacency of `nodes` nodes from the arcs (from, to) that `arcs_of(i)`
    /// yields for each item `i` in `0..items`, by count then scatter: a first pass
    /// counts each node's arcs, a second recomputes the arcs and scatters their targets
    /// into place, then each row is sorted, its repeats and self-loops dropped, and the
    /// rows compacted in place. `arcs_of` must yield the same arcs each time it is called
    /// with the same item. The result equals [`Csr::from_arcs`] of the same arcs, in any
    /// order, while holding no more than the offsets (8 bytes a node), one u32 per
    /// arc yielded, and each running job's buckets (the arcs of at most
    /// `JOB_ITEMS` items). Both passes sort a job's arcs into buckets by range of
    /// nodes and apply each bucket under its range's lock (`Ranges`).
    pub fn from_arc_fn<F, I>(nodes: usize, items: u64, arcs_of: F) -> Csr
    where
        F: Fn(u64) -> I + Sync,
        I: IntoIterator<Item = (u32, u32)>,
    {
        let counter = ArcCounter::new(nodes);
        counter.count(items, &arcs_of);
        let scatter = counter.into_scatter();
        scatter.scatter(items, &arcs_of);
        scatter.finish()
    }

    /// Builds an undirected adjacency from edges given once each (either direction).
    pub fn undirected(nodes: usize, edges: &[(u32, u32)]) -> Csr {
        Csr::from_arc_fn(nodes, edges.len() as u64, |i| {
            let (u, v) = edges[i as usize];
            [(u, v), (v, u)]
        })
    }

    /// The same arcs reversed: in-neighbours become out-neighbours.
    pub fn transpose(&self) -> Csr {
        Csr::from_arc_fn(self.nodes(), self.nodes() as u64, |v| {
            self.neighbours(v as u32)
                .iter()
                .map(move |&u| (u, v as u32))
        })
    }

    /// Builds the adjacency of `nodes` nodes from packed arcs with a weight each, and
    /// the weights aligned with the result's `targets`. Like [`Csr::from_arcs`], the
    /// result does not depend on the arcs' order; self-loops are dropped and a repeated
    /// arc keeps the largest of its weights (a tie's strength, not a count).
    pub fn from_weighted_arcs(nodes: usize, mut arcs: Vec<(u64, f32)>) -> (Csr, Vec<f32>) {
        arcs.par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        arcs.dedup_by_key(|a| a.0);
        arcs.retain(|&(a, _)| (a >> 32) as u32 != a as u32);
        let weights = arcs.par_iter().map(|&(_, w)| w).collect();
        let packed = arcs.into_par_iter().map(|(a, _)| a).collect();
        (Csr::from_arcs(nodes, packed), weights)
    }

    /// The same arcs reversed, with `weights` (aligned with `targets`) carried over to
    /// the reversed arcs: [`Csr::transpose`] for a weighted adjacency.
    pub fn transpose_weighted(&self, weights: &[f32]) -> (Csr, Vec<f32>) {
        let arcs: Vec<(u64, f32)> = (0..self.nodes())
            .into_par_iter()
            .flat_map_iter(|v| {
                let first = self.offsets[v] as usize;
                self.neighbours(v as u32)
                    .iter()
                    .enumerate()
                    .map(move |(k, &u)| (pack(u, v as u32), weights[first + k]))
            })
            .collect();
        Csr::from_weighted_arcs(self.nodes(), arcs)
    }

    /// Number of nodes.
    #[inline]
    pub fn nodes(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Number of stored arcs (twice the edge count for an undirected graph).
    #[inline]
    pub fn arcs(&self) -> usize {
        self.targets.len()
    }

    /// Neighbours of `v`, sorted ascending.
    #[inline(always)]
    pub fn neighbours(&self, v: u32) -> &[u32] {
        let v = v as usize;
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// Number of neighbours of `v`.
    #[inline(always)]
    pub fn degree(&self, v: u32) -> u32 {
        let v = v as usize;
        (self.offsets[v + 1] - self.offsets[v]) as u32
    }

    /// Bytes held by this adjacency.
    pub fn bytes(&self) -> usize {
        self.offsets.len() * 8 + self.targets.len() * 4
    }
}

/// Builds the adjacency of `nodes` nodes from blocks of id pairs: each pair (u, v) is
/// the arc u→v, and also v→u when `both_ways`. Like [`Csr::from_arc_fn`] it counts then
/// scatters, but the nodes are cut into a few ranges per thread and one task fills
/// each range, reading every pair and writing only its own rows: no write is shared or
/// atomic, which matters when arcs are cheap to read and scattering is all the work.
/// The result equals [`Csr::from_arcs`] of the same arcs.
pub(super) fn from_pair_blocks(nodes: usize, blocks: &[Vec<[u32; 2]>], both_ways: bool) -> Csr {
    /// Calls `f` on each arc (from, to) of the blocks whose source lies in lo..hi.
    fn visit<F: FnMut(usize, u32)>(
        blocks: &[Vec<[u32; 2]>],
        both_ways: bool,
        lo: usize,
        hi: usize,
        mut f: F,
    ) {
        let span = (hi - lo) as u32;
        let lo = lo as u32;
        for pairs in blocks {
            for &[u, v] in pairs {
                if u.wrapping_sub(lo) < span {
                    f(u as usize, v);
                }
                if both_ways && v.wrapping_sub(lo) < span {
                    f(v as usize, u);
                }
            }
        }
    }
    let ranges = 4 * rayon::current_num_threads();
    let mut offsets = vec![0u64; nodes + 1];
    let per_range = nodes.div_ceil(ranges).max(1);
    offsets[..nodes]
        .par_chunks_mut(per_range)
        .enumerate()
        .for_each(|(r, counts)| {
            let lo = r * per_range;
            visit(blocks, both_ways, lo, lo + counts.len(), |u, _| {
                counts[u - lo] += 1
            });
        });
    let mut total = 0u64;
    for o in offsets.iter_mut() {
        let count = *o;
        *o = total;
        total += count;
    }
    // Ranges of about equal arcs: node bounds, then each range's rows of targets.
    let mut bounds = vec![0usize];
    for r in 1..ranges as u64 {
        let at = offsets.partition_point(|&o| o < total * r / ranges as u64);
        if at > *bounds.last().unwrap_or(&0) && at < nodes {
            bounds.push(at);
        }
    }
    bounds.push(nodes);
    let mut targets = vec![0u32; total as usize];
    let mut tasks = Vec::with_capacity(bounds.len());
    let (mut rest_offsets, mut rest_targets) = (&mut offsets[..nodes], &mut targets[..]);
    for w in bounds.windows(2) {
        let (cursors, tail) = rest_offsets.split_at_mut(w[1] - w[0]);
        let end = tail.first().copied().unwrap_or(total);
        rest_offsets = tail;
        let span = cursors.first().map_or(0, |&start| end - start);
        let (rows, tail) = rest_targets.split_at_mut(span as usize);
        rest_targets = tail;
        tasks.push((w[0], cursors, rows));
    }
    tasks.into_par_iter().for_each(|(lo, cursors, rows)| {
        let base = cursors.first().copied().unwrap_or(0);
        let hi = lo + cursors.len();
        visit(blocks, both_ways, lo, hi, |u, v| {
            let at = &mut cursors[u - lo];
            rows[(*at - base) as usize] = v;
            *at += 1;
        });
    });
    // Each cursor now sits at its row's end, the next row's start.
    offsets.copy_within(0..nodes, 1);
    offsets[0] = 0;
    tidy_rows(&mut offsets, &mut targets);
    Csr { offsets, targets }
}

/// Items a counting or scattering job takes, when there are enough: its buckets hold
/// the arcs of this many items (512 KiB for two arcs an item).
const JOB_ITEMS: u64 = 1 << 15;

/// The nodes cut into at most [`RANGES`] ranges of consecutive ids, each with a lock:
/// a job sorts the arcs it generates into one bucket per range, then takes each
/// range's lock in turn and applies that bucket with plain loads and stores. A job's
/// random updates stay within one range at a time (one sixty-fourth of the counts,
/// cursors and targets, so fewer cache and TLB misses), and no two workers write the
/// same cache line at once: atomic adds from both cores into the same arrays passed
/// the lines to and fro, and cost a lock cycle each even on one core.
struct Ranges {
    shift: u32,
    locks: Vec<std::sync::Mutex<()>>,
}

/// At most this many ranges.
const RANGES: usize = 64;

impl Ranges {
    /// Ranges over `nodes` ids: a power of two of them each, at most [`RANGES`].
    fn of(nodes: usize) -> Ranges {
        let per = nodes.div_ceil(RANGES).max(1).next_power_of_two();
        let shift = per.trailing_zeros();
        let count = (nodes >> shift) + 1;
        Ranges {
            shift,
            locks: (0..count).map(|_| std::sync::Mutex::new(())).collect(),
        }
    }

    /// How many ranges.
    fn count(&self) -> usize {
        self.locks.len()
    }

    /// The range holding node `u`.
    #[inline(always)]
    fn of_node(&self, u: u32) -> usize {
        (u >> self.shift) as usize
    }

    /// Generates the arcs of items `0..items` in parallel jobs of up to [`JOB_ITEMS`]
    /// items (at least 64 jobs when there are enough), each job sorting what `entry`
    /// makes of its arcs into buckets by the range of the arc's source, then calling
    /// `apply` on each bucket while holding its range's lock. A job starts at a range
    /// that depends on its number, so that workers start apart; a worker keeps its
    /// buckets' capacity for its next job.
    fn apply_by_range<F, I, T, E, A>(&self, items: u64, arcs_of: &F, entry: E, apply: A)
    where
        F: Fn(u64) -> I + Sync,
        I: IntoIterator<Item = (u32, u32)>,
        T: Send,
        E: Fn(u32, u32) -> T + Sync,
        A: Fn(&[T]) + Sync,
    {
        let per = (items / 64).clamp(1, JOB_ITEMS);
        let new_buckets = || {
            (0..self.count())
                .map(|_| Vec::new())
                .collect::<Vec<Vec<T>>>()
        };
        (0..items.div_ceil(per))
            .into_par_iter()
            .for_each_init(new_buckets, |buckets, job| {
                for i in job * per..((job + 1) * per).min(items) {
                    for (u, v) in arcs_of(i) {
                        buckets[self.of_node(u)].push(entry(u, v));
                    }
                }
                let n = buckets.len();
                for k in 0..n {
                    let r = (job as usize + k) % n;
                    if buckets[r].is_empty() {
                        continue;
                    }
                    let held = self.locks[r].lock().unwrap_or_else(|e| e.into_inner());
                    apply(&buckets[r]);
                    drop(held);
                    buckets[r].clear();
                }
            });
    }
}

/// The first pass of [`Csr::from_arc_fn`]: counts each node's arcs, over any number of
/// calls to [`ArcCounter::count`].
struct ArcCounter {
    counts: Vec<AtomicU64>,
}

impl ArcCounter {
    /// No arc counted yet, for `nodes` nodes.
    fn new(nodes: usize) -> ArcCounter {
        ArcCounter {
            counts: (0..=nodes)
                .into_par_iter()
                .map(|_| AtomicU64::new(0))
                .collect(),
        }
    }

    /// Counts the arcs of items `0..items`, in parallel.
    fn count<F, I>(&self, items: u64, arcs_of: &F)
    where
        F: Fn(u64) -> I + Sync,
        I: IntoIterator<Item = (u32, u32)>,
    {
        // Each range's counts are written by the job holding its lock alone.
        Ranges::of(self.counts.len()).apply_by_range(
            items,
            arcs_of,
            |u, _| u,
            |sources| {
                for &u in sources {
                    let c = &self.counts[u as usize];
                    c.store(c.load(Relaxed) + 1, Relaxed);
                }
            },
        );
    }

    /// Ready to scatter the arcs counted: one u32 slot for each.
    fn into_scatter(self) -> ArcScatter {
        // Exclusive prefix sum: each node's first slot, then its cursor while scattering.
        let nodes = self.counts.len() - 1;
        let mut total = 0u64;
        let cursors: Vec<AtomicU64> = self
            .counts
            .into_iter()
            .map(|c| {
                let start = total;
                total += c.into_inner();
                AtomicU64::new(start)
            })
            .collect();
        let targets = (0..total as usize)
            .into_par_iter()
            .map(|_| AtomicU32::new(0))
            .collect();
        ArcScatter {
            nodes,
            cursors,
            targets,
        }
    }
}

/// The second pass of [`Csr::from_arc_fn`]: places each counted arc's target in its
/// row, over any number of calls to [`ArcScatter::scatter`] that together yield
/// exactly the arcs counted.
struct ArcScatter {
    nodes: usize,
    cursors: Vec<AtomicU64>,
    targets: Vec<AtomicU32>,
}

impl ArcScatter {
    /// Scatters the arcs of items `0..items`, in parallel.
    fn scatter<F, I>(&self, items: u64, arcs_of: &F)
    where
        F: Fn(u64) -> I + Sync,
        I: IntoIterator<Item = (u32, u32)>,
    {
        // Each range's cursors, and so its rows' slots, are written by the job holding
        // its lock alone.
        Ranges::of(self.nodes + 1).apply_by_range(
            items,
            arcs_of,
            |u, v| (u, v),
            |arcs| {
                for &(u, v) in arcs {
                    let cursor = &self.cursors[u as usize];
                    let at = cursor.load(Relaxed);
                    cursor.store(at + 1, Relaxed);
                    self.targets[at as usize].store(v, Relaxed);
                }
            },
        );
    }

    /// The adjacency: rows sorted, repeats and self-loops dropped, compacted.
    fn finish(self) -> Csr {
        let nodes = self.nodes;
        // Each cursor now sits at its row's end, the next row's start. Both arrays are
        // converted in place (same layout), never copied.
        let mut offsets: Vec<u64> = self
            .cursors
            .into_iter()
            .map(AtomicU64::into_inner)
            .collect();
        offsets.copy_within(0..nodes, 1);
        offsets[0] = 0;
        let mut targets: Vec<u32> = self
            .targets
            .into_iter()
            .map(AtomicU32::into_inner)
            .collect();
        tidy_rows(&mut offsets, &mut targets);
        Csr { offsets, targets }
    }
}

/// Sorts each row of a freshly scattered adjacency, drops its repeats and self-loops,
/// and compacts the rows in place, fixing `offsets` and shrinking `targets` to fit.
/// Rows are tidied in parallel chunks of [`ROW_CHUNK`] nodes, each compacted within its
/// own span; the spans then move down into place one after another.
fn tidy_rows(offsets: &mut [u64], targets: &mut Vec<u32>) {
    let nodes = offsets.len() - 1;
    let spans: Vec<(u64, u64)> = (0..nodes)
        .step_by(ROW_CHUNK)
        .map(|a| (offsets[a], offsets[(a + ROW_CHUNK).min(nodes)]))
        .collect();
    let mut pieces = Vec::with_capacity(spans.len());
    let mut rest = &mut targets[..];
    for &(start, end) in &spans {
        let (piece, tail) = rest.split_at_mut((end - start) as usize);
        pieces.push(piece);
        rest = tail;
    }
    // Each chunk rewrites its offsets relative to its span and returns how many it kept.
    let kept: Vec<u64> = offsets[..nodes]
        .par_chunks_mut(ROW_CHUNK)
        .zip(pieces)
        .enumerate()
        .map(|(c, (starts, rows))| {
            let first = starts[0];
            let mut w = 0usize;
            for i in 0..starts.len() {
                let s = (starts[i] - first) as usize;
                let e = starts
                    .get(i + 1)
                    .map_or(rows.len(), |&e| (e - first) as usize);
                let v = (c * ROW_CHUNK + i) as u32;
                rows[s..e].sort_unstable();
                starts[i] = w as u64;
                let mut last = None;
                // w ≤ k throughout: every earlier row kept at most what it held.
                for k in s..e {
                    let t = rows[k];
                    if t != v && last != Some(t) {
                        rows[w] = t;
                        w += 1;
                        last = Some(t);
                    }
                }
            }
            w as u64
        })
        .collect();
    let mut bases = Vec::with_capacity(spans.len());
    let mut total = 0u64;
    for (&(start, _), &k) in spans.iter().zip(&kept) {
        let (from, to) = (start as usize, total as usize);
        targets.copy_within(from..from + k as usize, to);
        bases.push(total);
        total += k;
    }
    offsets[..nodes]
        .par_chunks_mut(ROW_CHUNK)
        .zip(bases)
        .for_each(|(starts, base)| starts.iter_mut().for_each(|s| *s += base));
    offsets[nodes] = total;
    targets.truncate(total as usize);
    targets.shrink_to_fit();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_sorted_rows_without_loops_or_duplicates() {
        let g = Csr::undirected(4, &[(0, 1), (1, 0), (2, 1), (3, 3), (0, 2)]);
        assert_eq!(g.neighbours(0), &[1, 2]);
        assert_eq!(g.neighbours(1), &[0, 2]);
        assert_eq!(g.neighbours(2), &[0, 1]);
        assert_eq!(g.neighbours(3), &[] as &[u32]);
        assert_eq!(g.arcs(), 6);
        assert_eq!(g.degree(0), 2);
    }

    #[test]
    fn count_then_scatter_equals_sorting_packed_arcs() {
        // Random arcs with repeats, self-loops, empty rows and a hub spanning chunks.
        let mut state = 12345u64;
        let mut next = |bound: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % bound
        };
        for nodes in [0usize, 1, 7, 5_000, 20_000] {
            if nodes == 0 {
                let g = Csr::from_arc_fn(0, 0, |_| std::iter::empty());
                assert_eq!(g, Csr::from_arcs(0, Vec::new()));
                continue;
            }
            let n = nodes as u64;
            let arcs: Vec<(u32, u32)> = (0..nodes * 6)
                .map(|i| {
                    let u = if i % 5 == 0 { 0 } else { next(n) };
                    let v = if i % 11 == 0 { u } else { next(n / 2 + 1) };
                    (u as u32, v as u32)
                })
                .collect();
            let packed = arcs.iter().map(|&(u, v)| pack(u, v)).collect();
            let reference = Csr::from_arcs(nodes, packed);
            // Items of three arcs each, so an item yields several rows' arcs.
            let fast = Csr::from_arc_fn(nodes, arcs.len().div_ceil(3) as u64, |i| {
                arcs[i as usize * 3..(i as usize * 3 + 3).min(arcs.len())]
                    .iter()
                    .copied()
            });
            assert_eq!(fast, reference, "{nodes} nodes");
            assert_eq!(fast.targets.capacity(), fast.targets.len());
            let blocks: Vec<Vec<[u32; 2]>> = arcs
                .chunks(1_000)
                .map(|c| c.iter().map(|&(u, v)| [u, v]).collect())
                .collect();
            assert_eq!(from_pair_blocks(nodes, &blocks, false), reference);
            let g = Csr::undirected(nodes, &arcs);
            assert_eq!(from_pair_blocks(nodes, &blocks, true), g);
            let both = arcs.iter().flat_map(|&(u, v)| [pack(u, v), pack(v, u)]);
            assert_eq!(g, Csr::from_arcs(nodes, both.collect()));
            assert_eq!(
                reference.transpose(),
                Csr::from_arcs(nodes, arcs.iter().map(|&(u, v)| pack(v, u)).collect())
            );
        }
    }

    #[test]
    fn transpose_reverses_arcs() {
        let g = Csr::from_arcs(3, vec![pack(0, 1), pack(0, 2), pack(2, 1)]);
        let t = g.transpose();
        assert_eq!(t.neighbours(1), &[0, 2]);
        assert_eq!(t.neighbours(2), &[0]);
        assert_eq!(t.neighbours(0), &[] as &[u32]);
        assert_eq!(t.transpose(), g);
    }

    #[test]
    fn weighted_arcs_keep_the_largest_weight_of_a_repeated_arc() {
        let arcs = vec![
            (pack(0, 2), 0.5),
            (pack(0, 1), 2.0),
            (pack(0, 2), 3.0),
            (pack(1, 1), 9.0),
        ];
        let (g, w) = Csr::from_weighted_arcs(3, arcs);
        assert_eq!(g.neighbours(0), &[1, 2]);
        assert_eq!(g.neighbours(1), &[] as &[u32]);
        assert_eq!(w, vec![2.0, 3.0]);
        let (t, tw) = g.transpose_weighted(&w);
        assert_eq!(t.neighbours(1), &[0]);
        assert_eq!(t.neighbours(2), &[0]);
        assert_eq!(tw, vec![2.0, 3.0]);
    }
}
