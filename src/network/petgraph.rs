//! petgraph's visit traits for [`Csr`] and [`Network`], so petgraph's algorithms (breadth-
//! and depth-first search, components, PageRank, …) run on a network's adjacency
//! in place, without copying it into a petgraph graph.
//!
//! A `&Csr` is a directed graph: node ids are the agents' `u32` ids, an edge is an
//! arc `(from, to)` of a row, and edges carry no weight (`()`). An undirected network
//! stores each edge as two arcs, so algorithms that follow arcs (`Bfs`, `Dfs`) walk
//! it as undirected; `connected_components` unions both ends of every arc and so
//! counts weakly connected components of a directed network.
//!
//! A `&Network` is the same graph as `&network.out` and adds `IntoNeighborsDirected`:
//! outgoing neighbours are whom an agent reaches (`out`), incoming ones whom it hears
//! from (`incoming()`, the transpose kept for directed networks), so algorithms that walk
//! arcs backwards (`kosaraju_scc`, `Reversed`) run without building a transpose.
//!
//! Costs: neighbours are a slice of the row (O(1) to start, sorted ascending), node
//! ids index directly (`NodeCompactIndexable`) and visit maps are a
//! [`FixedBitSet`] of N bits. petgraph's `page_rank` takes O(iterations · N · arcs)
//! time, so it fits small networks only (README, "Graph algorithms").

use super::{Csr, Network};
use ::petgraph::visit::{
    Data, EdgeCount, GraphBase, GraphProp, IntoEdgeReferences, IntoEdges, IntoNeighbors,
    IntoNeighborsDirected, IntoNodeIdentifiers, NodeCompactIndexable, NodeCount, NodeIndexable,
    Visitable,
};
use ::petgraph::{Directed, Direction};
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

impl GraphBase for Network {
    type EdgeId = (u32, u32);
    type NodeId = u32;
}

impl Data for Network {
    type NodeWeight = ();
    type EdgeWeight = ();
}

impl GraphProp for Network {
    type EdgeType = Directed;
}

impl NodeCompactIndexable for Network {}

impl Visitable for Network {
    type Map = FixedBitSet;
    fn visit_map(&self) -> FixedBitSet {
        self.out.visit_map()
    }
    fn reset_map(&self, map: &mut FixedBitSet) {
        self.out.reset_map(map);
    }
}

impl NodeCount for Network {
    fn node_count(&self) -> usize {
        self.nodes()
    }
}

impl EdgeCount for Network {
    /// Stored arcs of `out`: twice the edge count of an undirected network.
    fn edge_count(&self) -> usize {
        self.out.arcs()
    }
}

impl NodeIndexable for Network {
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

impl<'a> IntoNeighbors for &'a Network {
    type Neighbors = Copied<Iter<'a, u32>>;
    /// Whom `a` reaches: its row of `out`.
    fn neighbors(self, a: u32) -> Self::Neighbors {
        self.out.neighbors(a)
    }
}

impl<'a> IntoNeighborsDirected for &'a Network {
    type NeighborsDirected = Copied<Iter<'a, u32>>;
    /// Outgoing: whom `a` reaches; incoming: whom `a` hears from. Both ascending.
    fn neighbors_directed(self, a: u32, d: Direction) -> Self::NeighborsDirected {
        match d {
            Direction::Outgoing => self.out.neighbors(a),
            Direction::Incoming => self.incoming().neighbors(a),
        }
    }
}

impl IntoNodeIdentifiers for &Network {
    type NodeIdentifiers = Range<u32>;
    fn node_identifiers(self) -> Range<u32> {
        self.out.node_identifiers()
    }
}

impl<'a> IntoEdges for &'a Network {
    type Edges = RowArcs<'a>;
    fn edges(self, a: u32) -> RowArcs<'a> {
        self.out.edges(a)
    }
}

impl<'a> IntoEdgeReferences for &'a Network {
    type EdgeRef = ArcRef<'a>;
    type EdgeReferences = AllArcs<'a>;
    fn edge_references(self) -> AllArcs<'a> {
        self.out.edge_references()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::pack;
    use ::petgraph::algo::{connected_components, kosaraju_scc, page_rank, tarjan_scc};
    use ::petgraph::visit::{Bfs, Dfs, Reversed};

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
        let network = crate::network::read_edge_list(&path, false, false).expect("shipped data");
        assert_eq!((network.nodes(), network.edges()), (4_039, 88_234));
        assert_eq!(connected_components(&network.out), 1);
        assert_eq!(bfs_order(&network.out, 0).len(), 4_039);
    }

    /// 0 → 1 → 2 → 0 is a cycle and 2 → 3 leaves it; 3 reaches nobody.
    fn directed() -> Network {
        let out = Csr::from_arcs(
            4,
            [(0, 1), (1, 2), (2, 0), (2, 3)]
                .map(|(a, b)| pack(a, b))
                .to_vec(),
        );
        Network {
            incoming: Some(out.transpose()),
            out,
            ..Network::default()
        }
    }

    #[test]
    fn a_network_s_incoming_neighbours_are_whom_it_hears_from() {
        let g = directed();
        let hears = |v| {
            g.neighbors_directed(v, Direction::Incoming)
                .collect::<Vec<u32>>()
        };
        assert_eq!(hears(0), [2]);
        assert_eq!(hears(3), [2]);
        let reaches: Vec<u32> = g.neighbors_directed(2, Direction::Outgoing).collect();
        assert_eq!(reaches, [0, 3]);
        // Undirected: incoming is the out row itself.
        let undirected = Network::undirected(small());
        let hears: Vec<u32> = undirected
            .neighbors_directed(1, Direction::Incoming)
            .collect();
        assert_eq!(hears, [0, 2, 3]);
    }

    #[test]
    fn a_cycle_is_one_strong_component_and_its_exit_another() {
        let g = directed();
        let mut sccs = kosaraju_scc(&g);
        for c in &mut sccs {
            c.sort_unstable();
        }
        sccs.sort();
        assert_eq!(sccs, [vec![0, 1, 2], vec![3]]);
        assert_eq!(tarjan_scc(&g).len(), 2);
        // Weakly, it is one component.
        assert_eq!(connected_components(&g), 1);
    }

    #[test]
    fn bfs_on_the_reversed_network_finds_who_reaches_an_agent() {
        let g = directed();
        let mut bfs = Bfs::new(Reversed(&g), 3);
        let reached: Vec<u32> = std::iter::from_fn(|| bfs.next(Reversed(&g))).collect();
        // 3 hears from 2, 2 from 1, 1 from 0.
        assert_eq!(reached, [3, 2, 1, 0]);
    }
}
