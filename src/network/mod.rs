//! Customer networks: generators, edge-list import and the CSR adjacency the engine reads.

mod centrality;
mod csr;
mod edge_list;
mod generate;
mod nodes;
mod order;
mod petgraph;

pub use centrality::{sampled_betweenness, sampled_betweenness_in};
pub use csr::{Csr, pack};
pub use edge_list::{EdgeListError, read_edge_list};
pub use generate::{barabasi_albert, communities, complete, erdos_renyi, watts_strogatz};
pub use nodes::{
    InitialStatus, NODE_COLUMNS, NodeAttributes, NodeFileError, STATUSES, read_node_file,
};
pub use order::{Order, bandwidth, renumber};

use rayon::prelude::*;

use std::path::Path;

use crate::scenario::NetworkSpec;

/// A network of `nodes()` agents. Undirected graphs store each edge in both rows of
/// `out`; directed graphs also keep the reverse adjacency in `incoming`.
#[derive(Clone, Debug, Default)]
pub struct Network {
    /// Whom each agent reaches: its talk and activation targets.
    pub out: Csr,
    /// For a directed graph, whom each agent hears from; `None` when undirected.
    pub incoming: Option<Csr>,
    /// Community of each agent, for generators and imports that have one.
    pub community: Option<Vec<u32>>,
    /// Original id of each agent, for imported edge lists (ids are remapped to 0..n).
    pub labels: Option<Vec<u64>>,
    /// Weight (tie strength) of each arc of `out`, aligned with `out.targets`, for
    /// edge lists read with `weights = true`: finite, 0 or more, in the file's units.
    pub weights: Option<Vec<f32>>,
    /// Weight of each arc of `incoming`, aligned with its `targets`, for a directed
    /// weighted network (an undirected one reads `weights` for both).
    pub incoming_weights: Option<Vec<f32>>,
    /// Node attributes from a node file (`network.nodes`), whose `community` column,
    /// if any, is already in `community`.
    pub attributes: Option<NodeAttributes>,
    /// How the agents were renumbered for locality (`network.order`), when they were:
    /// random streams are keyed by the number each agent had before, so results do not
    /// change.
    pub renumbered: Option<Renumbering>,
}

/// The agents' numbers before a renumbering ([`renumber`]) and after.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Renumbering {
    /// `original[new]`: agent `new`'s number before.
    pub original: Vec<u32>,
    /// `rank[old]`: the new number of the agent numbered `old` before.
    pub rank: Vec<u32>,
}

impl Network {
    /// The agents' first numbers: the numbers they had before any renumbering, which
    /// their random streams are keyed by.
    #[inline(always)]
    pub fn first_numbers(&self) -> FirstNumbers<'_> {
        let r = self.renumbered.as_ref();
        FirstNumbers {
            original: r.map(|r| &r.original[..]),
            rank: r.map(|r| &r.rank[..]),
        }
    }

    /// The number agent `v` had before any renumbering: what its random streams are
    /// keyed by.
    #[inline(always)]
    pub fn original(&self, v: u32) -> u32 {
        self.first_numbers().get(v as usize) as u32
    }

    /// The agent numbered `old` before any renumbering.
    #[inline(always)]
    pub fn renumbered_from(&self, old: u32) -> u32 {
        self.first_numbers().now(old as usize) as u32
    }
}

/// A network's map between its agents' present numbers and their first numbers
/// ([`Network::first_numbers`]), small enough to copy into every pass that keys
/// draws by agent: the identity when the network was not renumbered.
#[derive(Clone, Copy, Debug, Default)]
pub struct FirstNumbers<'a> {
    /// `original[i]`: agent `i`'s first number.
    original: Option<&'a [u32]>,
    /// The inverse: the present number of the agent first numbered `i`.
    rank: Option<&'a [u32]>,
}

impl FirstNumbers<'_> {
    /// Agent `i`'s first number.
    #[inline(always)]
    pub fn get(self, i: usize) -> usize {
        match self.original {
            Some(o) => o[i] as usize,
            None => i,
        }
    }

    /// The present number of the agent first numbered `first`.
    #[inline(always)]
    pub fn now(self, first: usize) -> usize {
        match self.rank {
            Some(r) => r[first] as usize,
            None => first,
        }
    }

    /// Whether the agents were renumbered.
    pub fn renumbered(self) -> bool {
        self.original.is_some()
    }
}

/// Why a network could not be built.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    /// The edge-list file could not be read or parsed.
    #[error(transparent)]
    EdgeList(#[from] EdgeListError),
    /// The node file could not be read or joined.
    #[error(transparent)]
    NodeFile(#[from] NodeFileError),
}

impl Network {
    /// An undirected network from its adjacency.
    pub fn undirected(out: Csr) -> Network {
        Network {
            out,
            ..Network::default()
        }
    }

    /// Number of agents.
    pub fn nodes(&self) -> usize {
        self.out.nodes()
    }

    /// Whether ties have a direction.
    pub fn directed(&self) -> bool {
        self.incoming.is_some()
    }

    /// Whom each agent hears from (the out-adjacency itself when undirected).
    pub fn incoming(&self) -> &Csr {
        self.incoming.as_ref().unwrap_or(&self.out)
    }

    /// The weights of the arcs of [`Network::incoming`], aligned with its `targets`, or
    /// `None` for an unweighted network.
    pub fn incoming_weights(&self) -> Option<&[f32]> {
        if self.directed() {
            self.incoming_weights.as_deref()
        } else {
            self.weights.as_deref()
        }
    }

    /// The largest arc weight (0 when every weight is 0), or `None` when unweighted.
    pub fn max_weight(&self) -> Option<f32> {
        let weights = self.weights.as_ref()?;
        Some(weights.par_iter().copied().reduce(|| 0.0, f32::max))
    }

    /// Number of edges: arcs for a directed graph, undirected pairs otherwise.
    pub fn edges(&self) -> usize {
        if self.directed() {
            self.out.arcs()
        } else {
            self.out.arcs() / 2
        }
    }

    /// Mean number of out-neighbours per agent.
    pub fn mean_degree(&self) -> f64 {
        self.out.arcs() as f64 / self.nodes().max(1) as f64
    }

    /// Bytes held by the network.
    pub fn bytes(&self) -> usize {
        self.out.bytes()
            + self.incoming.as_ref().map_or(0, Csr::bytes)
            + self.community.as_ref().map_or(0, |c| c.len() * 4)
            + self.labels.as_ref().map_or(0, |l| l.len() * 8)
            + self.weights.as_ref().map_or(0, |w| w.len() * 4)
            + self.incoming_weights.as_ref().map_or(0, |w| w.len() * 4)
            + self.attributes.as_ref().map_or(0, NodeAttributes::bytes)
    }

    /// Expected number of stored arcs of the network a spec describes (for an edge
    /// list, an upper bound from the file's size), for memory estimates.
    pub fn estimate_arcs(spec: &NetworkSpec, nodes: usize) -> u64 {
        let n = nodes as f64;
        let arcs = match spec {
            NetworkSpec::Complete => n * (n - 1.0),
            NetworkSpec::ErdosRenyi { mean_degree }
            | NetworkSpec::Communities { mean_degree, .. } => n * mean_degree,
            NetworkSpec::WattsStrogatz { k, .. } => n * *k as f64,
            NetworkSpec::BarabasiAlbert { m } => 2.0 * n * *m as f64,
            NetworkSpec::EdgeList { path, .. } => {
                // Each line "u v\n" takes at least 4 bytes; gzip rarely beats 4:1.
                let bytes = std::fs::metadata(path).map_or(0, |m| m.len()) as f64;
                let gz = path.extension().is_some_and(|e| e == "gz");
                bytes / 2.0 * if gz { 4.0 } else { 1.0 }
            }
        };
        arcs as u64
    }

    /// Estimated peak bytes while building the network a spec describes, saturating
    /// at `u64::MAX` rather than wrapping around. A generated network is counted then
    /// scattered ([`Csr::from_arc_fn`]): its offsets (8 bytes a node) and one u32 for
    /// every arc generated, repeats included, which is all the finished adjacency
    /// holds. An edge list also holds its labels (8 bytes a node) and, while scattering,
    /// its u32 id pairs (4 bytes an undirected arc, 8 a directed one, whose
    /// reverse adjacency then doubles the arcs held); weighted arcs are sorted as padded
    /// (u64, f32) pairs beside the weights and packed arcs.
    pub fn estimate_build_bytes(spec: &NetworkSpec, nodes: usize) -> u64 {
        // In u128, so no network can wrap the figure around; saturates at u64::MAX.
        let arcs = u128::from(Network::estimate_arcs(spec, nodes));
        let nodes = nodes as u128;
        let (per_arc, per_node) = match spec {
            NetworkSpec::EdgeList {
                directed, weights, ..
            } => match (*directed, *weights) {
                (false, false) => (8, 16),
                (true, false) => (12, 24),
                (false, true) => (28, 16),
                (true, true) => (36, 24),
            },
            // The community of each node.
            NetworkSpec::Communities { .. } => (4, 12),
            _ => (4, 8),
        };
        u64::try_from(arcs * per_arc + nodes * per_node).unwrap_or(u64::MAX)
    }

    /// Builds the network a scenario describes, with `nodes` agents (ignored for
    /// edge lists, whose size is the file's) from the random stream of `seed`.
    pub fn build(spec: &NetworkSpec, nodes: usize, seed: u64) -> Result<Network, NetworkError> {
        Ok(match spec {
            NetworkSpec::Complete => complete(nodes),
            NetworkSpec::ErdosRenyi { mean_degree } => erdos_renyi(nodes, *mean_degree, seed),
            NetworkSpec::WattsStrogatz { k, rewire } => watts_strogatz(nodes, *k, *rewire, seed),
            NetworkSpec::BarabasiAlbert { m } => barabasi_albert(nodes, *m, seed),
            NetworkSpec::Communities {
                count,
                mean_degree,
                mixing,
                sizes,
            } => communities(nodes, *count, *mean_degree, *mixing, sizes, seed),
            NetworkSpec::EdgeList {
                path,
                directed,
                weights,
                nodes,
            } => {
                let network = read_edge_list(path, *directed, *weights)?;
                match nodes {
                    Some(nodes) => network.with_node_file(nodes)?,
                    None => network,
                }
            }
        })
    }

    /// This network with the node file at `path` joined by original id: its
    /// communities, if the file has them, replace the network's.
    pub fn with_node_file(self, path: &Path) -> Result<Network, NodeFileError> {
        let labels = self.labels.as_deref().unwrap_or_default();
        let (attributes, community) = read_node_file(path, labels)?;
        Ok(Network {
            community: community.or(self.community),
            attributes: Some(attributes),
            ..self
        })
    }
}
