//! Compressed sparse row adjacency: the one graph representation the engine reads.

use rayon::prelude::*;

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

    /// Builds an undirected adjacency from edges given once each (either direction).
    pub fn undirected(nodes: usize, edges: &[(u32, u32)]) -> Csr {
        let arcs: Vec<u64> = edges
            .par_iter()
            .flat_map_iter(|&(u, v)| [pack(u, v), pack(v, u)])
            .collect();
        Csr::from_arcs(nodes, arcs)
    }

    /// The same arcs reversed: in-neighbours become out-neighbours.
    pub fn transpose(&self) -> Csr {
        let arcs: Vec<u64> = (0..self.nodes())
            .into_par_iter()
            .flat_map_iter(|v| {
                self.neighbours(v as u32)
                    .iter()
                    .map(move |&u| pack(u, v as u32))
            })
            .collect();
        Csr::from_arcs(self.nodes(), arcs)
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
