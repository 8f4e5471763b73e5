//! petgraph's visit traits for [`Csr`], so petgraph's algorithms (breadth- and
//! depth-first search, connected components, PageRank, …) run on a network's
//! adjacency in place, without copying it into a petgraph graph.
//!
//! A `&Csr` is a directed graph: node ids are the agents' `u32` ids, an edge is an
//! arc `(from, to)` of a row, and edges carry no weight (`()`). An undirected network
//! stores each edge as two arcs, so algorithms that follow arcs (`Bfs`, `Dfs`) walk
//! it as undirected; `connected_components` unions both ends of every arc and so
//! counts weakly connected components of a directed network. Use `&network.out` for
//! whom agents reach and `network.incoming()` for whom they hear from.
//!
//! Costs: neighbours are a slice of the row (O(1) to start, sorted ascending), node
//! ids index directly (`NodeCompactIndexable`) and visit maps are a
//! [`FixedBitSet`] of N bits. petgraph's `page_rank` takes O(iterations · N · arcs)
//! time, so it fits small networks only (README, "Graph algorithms").

use super::Csr;
use ::petgraph::Directed;
use ::petgraph::visit::{
    Data, EdgeCount, GraphBase, GraphProp, IntoEdgeReferences, IntoEdges, IntoNeighbors,
    IntoNodeIdentifiers, NodeCompactIndexable, NodeCount, NodeIndexable, Visitable,
};
use fixedbitset::FixedBitSet;
use std::iter::{Copied, Map, Repeat, Zip};
use std::ops::Range;
use std::slice::Iter;

/// An arc of a [`Csr`] as petgraph sees it: (from, to, weight).
pub type ArcRef<'a> = (u32, u32, &'a ());

/// The weight every arc carries: none.
const NO_WEIGHT: &() = &();

impl GraphBase for Csr {
    /// An arc, named by its ends (rows hold no duplicates, so the pair is unique).
    type EdgeId = (u32, u32);
    /// An agent id, 0..nodes.
    type NodeId = u32;
}

impl Data for Csr {
    type NodeWeight = ();
    type EdgeWeight = ();
}

impl GraphProp for Csr {
    type EdgeType = Directed;
}

impl NodeCount for Csr {
    fn node_count(&self) -> usize {
        self.nodes()
    }
}

impl EdgeCount for Csr {
    /// Stored arcs: twice the edge count of an undirected network.
    fn edge_count(&self) -> usize {
        self.arcs()
    }
}

impl NodeIndexable for Csr {
    fn node_bound(&self) -> usize {
        self.nodes()
    }
    fn to_index(&self, a: u32) -> usize {
        a as usize
    }
    fn from_index(&self, i: usize) -> u32 {
        i as u32
    }
}

impl NodeCompactIndexable for Csr {}

impl Visitable for Csr {
    type Map = FixedBitSet;
    fn visit_map(&self) -> FixedBitSet {
        FixedBitSet::with_capacity(self.nodes())
    }
    fn reset_map(&self, map: &mut FixedBitSet) {
        map.clear();
        map.grow(self.nodes());
    }
}

impl<'a> IntoNeighbors for &'a Csr {
    type Neighbors = Copied<Iter<'a, u32>>;
    /// The row of `a`, ascending.
    fn neighbors(self, a: u32) -> Self::Neighbors {
        self.neighbours(a).iter().copied()
    }
}

impl IntoNodeIdentifiers for &Csr {
    type NodeIdentifiers = Range<u32>;
    fn node_identifiers(self) -> Range<u32> {
        0..self.nodes() as u32
    }
}

/// The arcs of one row as petgraph edge references.
pub type RowArcs<'a> = Map<Zip<Repeat<u32>, Iter<'a, u32>>, fn((u32, &u32)) -> ArcRef<'a>>;

/// A row's arcs: (from, to) for each `to` in the row of `from`.
fn row_arcs(csr: &Csr, from: u32) -> RowArcs<'_> {
    std::iter::repeat(from)
        .zip(csr.neighbours(from).iter())
        .map(|(from, &to)| (from, to, NO_WEIGHT))
}

impl<'a> IntoEdges for &'a Csr {
    type Edges = RowArcs<'a>;
    fn edges(self, a: u32) -> RowArcs<'a> {
        row_arcs(self, a)
    }
}

/// Every arc, row after row.
pub type AllArcs<'a> = std::iter::FlatMap<
    Zip<Range<u32>, Repeat<&'a Csr>>,
    RowArcs<'a>,
    fn((u32, &'a Csr)) -> RowArcs<'a>,
>;

impl<'a> IntoEdgeReferences for &'a Csr {
    type EdgeRef = ArcRef<'a>;
    type EdgeReferences = AllArcs<'a>;
    fn edge_references(self) -> AllArcs<'a> {
        (0..self.nodes() as u32)
            .zip(std::iter::repeat(self))
            .flat_map(|(from, csr)| row_arcs(csr, from))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::petgraph::algo::{connected_components, page_rank};
    use ::petgraph::visit::{Bfs, Dfs};

    /// Two components: a path 0–1–2–3 with a chord 1–3, and an edge 4–5; 6 is alone.
    ///
    /// ```text
    /// 0 — 1 — 2      4 — 5      6
    ///      \  |
    ///        3
    /// ```
    fn small() -> Csr {
        Csr::undirected(7, &[(0, 1), (1, 2), (2, 3), (1, 3), (4, 5)])
    }

    fn bfs_order(g: &Csr, start: u32) -> Vec<u32> {
        let mut bfs = Bfs::new(g, start);
        std::iter::from_fn(|| bfs.next(g)).collect()
    }

    #[test]
    fn bfs_visits_by_distance_then_ascending_id() {
        // From 0: 1 at distance 1; 2 and 3 at distance 2, in row order of 1.
        assert_eq!(bfs_order(&small(), 0), [0, 1, 2, 3]);
        // From 3: its row is [1, 2]; then 1's unvisited neighbour 0.
        assert_eq!(bfs_order(&small(), 3), [3, 1, 2, 0]);
        assert_eq!(bfs_order(&small(), 6), [6]);
    }

    #[test]
    fn dfs_reaches_the_same_component() {
        let g = small();
        let mut dfs = Dfs::new(&g, 4);
        let reached: Vec<u32> = std::iter::from_fn(|| dfs.next(&g)).collect();
        assert_eq!(reached, [4, 5]);
    }

    #[test]
    fn connected_components_counts_isolated_agents_too() {
        assert_eq!(connected_components(&small()), 3);
        assert_eq!(connected_components(&Csr::undirected(3, &[])), 3);
        assert_eq!(connected_components(&Csr::default()), 0);
    }

    #[test]
    fn edge_references_list_every_arc_in_row_order() {
        let g = Csr::undirected(3, &[(0, 1), (1, 2)]);
        let arcs: Vec<(u32, u32)> = g.edge_references().map(|(a, b, _)| (a, b)).collect();
        assert_eq!(arcs, [(0, 1), (1, 0), (1, 2), (2, 1)]);
        assert_eq!(g.edge_count(), 4);
    }

    #[test]
    fn page_rank_ranks_a_star_s_centre_first_and_a_cycle_evenly() {
        let star = Csr::undirected(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]);
        let ranks = page_rank(&star, 0.85_f64, 50);
        assert!((ranks.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{ranks:?}");
        for leaf in &ranks[1..] {
            assert!(
                ranks[0] > *leaf && (leaf - ranks[1]).abs() < 1e-12,
                "{ranks:?}"
            );
        }
        let cycle = Csr::undirected(4, &[(0, 1), (1, 2), (2, 3), (3, 0)]);
        for r in page_rank(&cycle, 0.85_f64, 50) {
            assert!((r - 0.25).abs() < 1e-12, "{r}");
        }
    }

    #[test]
    fn shipped_ego_facebook_is_one_component() {
        // data/README.md: 4,039 people, 88,234 friendships, one connected component.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data")
            .join("facebook_combined.txt.gz");
        let network = crate::network::read_edge_list(&path, false).expect("shipped data");
        assert_eq!((network.nodes(), network.edges()), (4_039, 88_234));
        assert_eq!(connected_components(&network.out), 1);
        assert_eq!(bfs_order(&network.out, 0).len(), 4_039);
    }
}
