//! Orders of the agents for cache locality (issue 13, item 4), and a network renumbered
//! in such an order. A classic-model run renumbers its network when the scenario sets
//! `network.order` (`experiment::in_run_order`); `murmur bench` times the neighbour sum
//! and the word-of-mouth pass in each order beside the network's own, so a user can see
//! what renumbering would buy on their graph.
//!
//! - [`Order::Bfs`]: breadth-first from the highest-degree agent not yet ordered,
//!   neighbours in id order, so a hub and its neighbours get nearby numbers.
//! - [`Order::Rcm`]: reverse Cuthill–McKee (Cuthill & McKee 1969; George 1971):
//!   breadth-first from a lowest-degree agent, neighbours by ascending degree (ties by
//!   id), the whole order reversed; it narrows the adjacency's bandwidth.
//!
//! Both are deterministic and take O(n + arcs) time and n bytes of marks beside the
//! order itself (the per-level sort of RCM is over one agent's new neighbours).

use super::{Csr, Network};
use rayon::prelude::*;

pub use crate::scenario::Order;

impl Order {
    /// Both orders, as `murmur bench` reports them.
    pub const ALL: [Order; 2] = [Order::Bfs, Order::Rcm];

    /// The order's name in `murmur bench`'s output.
    pub fn name(self) -> &'static str {
        match self {
            Order::Bfs => "bfs",
            Order::Rcm => "rcm",
        }
    }

    /// The agents of `csr` in this order: `order[new] = old`, a permutation of 0..n.
    /// Each connected component is ordered whole, from its start agent (see the
    /// module's comment), before the next.
    pub fn of(self, csr: &Csr) -> Vec<u32> {
        let n = csr.nodes();
        let mut starts: Vec<u32> = (0..n as u32).collect();
        match self {
            // Highest degree first, ties by id.
            Order::Bfs => {
                starts.par_sort_unstable_by_key(|&v| (std::cmp::Reverse(csr.degree(v)), v))
            }
            // Lowest degree first, ties by id: a peripheral start.
            Order::Rcm => starts.par_sort_unstable_by_key(|&v| (csr.degree(v), v)),
        }
        let mut seen = vec![false; n];
        let mut order = Vec::with_capacity(n);
        let mut level: Vec<u32> = Vec::new();
        for s in starts {
            if seen[s as usize] {
                continue;
            }
            seen[s as usize] = true;
            let mut head = order.len();
            order.push(s);
            while head < order.len() {
                let v = order[head];
                head += 1;
                level.clear();
                level.extend(
                    csr.neighbours(v)
                        .iter()
                        .copied()
                        .filter(|&u| !std::mem::replace(&mut seen[u as usize], true)),
                );
                if self == Order::Rcm {
                    level.sort_by_key(|&u| (csr.degree(u), u));
                }
                order.extend_from_slice(&level);
            }
        }
        if self == Order::Rcm {
            order.reverse();
        }
        order
    }
}

/// `csr` with agent `order[new]` renumbered `new`: row `new` holds old row
/// `order[new]`'s targets renumbered, in the old row's order (sorted by old number, so
/// a draw per arc in row order meets the same arcs in the same order), with their
/// `weights` (aligned with the targets) moved alongside.
fn permute_csr(
    csr: &Csr,
    order: &[u32],
    rank: &[u32],
    weights: Option<&[f32]>,
) -> (Csr, Option<Vec<f32>>) {
    let mut offsets = Vec::with_capacity(order.len() + 1);
    offsets.push(0u64);
    let mut end = 0u64;
    offsets.extend(order.iter().map(|&old| {
        end += u64::from(csr.degree(old));
        end
    }));
    // Blocks of rows fill disjoint stretches of the new arrays in parallel.
    let blocks: Vec<usize> = (0..order.len())
        .step_by(ROWS_PER_BLOCK)
        .chain([order.len()])
        .collect();
    let mut targets = vec![0u32; csr.arcs()];
    let mut moved = weights.map(|_| vec![0f32; csr.arcs()]);
    let mut target_parts = Vec::with_capacity(blocks.len());
    let mut weight_parts = Vec::with_capacity(blocks.len());
    let (mut rest, mut rest_w) = (&mut targets[..], moved.as_deref_mut());
    for w in blocks.windows(2) {
        let len = (offsets[w[1]] - offsets[w[0]]) as usize;
        let (part, tail) = std::mem::take(&mut rest).split_at_mut(len);
        rest = tail;
        target_parts.push(part);
        weight_parts.push(rest_w.take().map(|r| {
            let (part, tail) = r.split_at_mut(len);
            rest_w = Some(tail);
            part
        }));
    }
    target_parts
        .into_par_iter()
        .zip(weight_parts)
        .zip(blocks.par_windows(2))
        .for_each(|((out, mut out_w), w)| {
            let mut at = 0;
            for &old in &order[w[0]..w[1]] {
                let row =
                    csr.offsets[old as usize] as usize..csr.offsets[old as usize + 1] as usize;
                let len = row.len();
                for (t, &o) in out[at..at + len].iter_mut().zip(&csr.targets[row.clone()]) {
                    *t = rank[o as usize];
                }
                if let (Some(out_w), Some(w)) = (out_w.as_deref_mut(), weights) {
                    out_w[at..at + len].copy_from_slice(&w[row]);
                }
                at += len;
            }
        });
    (Csr { offsets, targets }, moved)
}

/// Rows a parallel block of [`permute_csr`] renumbers.
const ROWS_PER_BLOCK: usize = 1 << 14;

/// `net` with its agents renumbered so that agent `order[new]` becomes `new`
/// (`order` a permutation, as [`Order::of`] gives): both adjacencies, their weights,
/// communities, labels and node attributes move with their agents, and
/// [`Network::renumbered`] records the old numbers (composed with an earlier
/// renumbering's, so they are always the first numbers). The graph is the same up to
/// the renaming. It holds both networks while it works.
pub fn renumber(net: &Network, order: &[u32]) -> Network {
    let n = net.nodes();
    assert_eq!(order.len(), n, "an order names every agent once");
    let mut rank = vec![u32::MAX; n];
    for (new, &old) in order.iter().enumerate() {
        rank[old as usize] = new as u32;
    }
    assert!(
        rank.iter().all(|&r| r != u32::MAX),
        "an order names every agent once"
    );
    let (out, weights) = permute_csr(&net.out, order, &rank, net.weights.as_deref());
    let (incoming, incoming_weights) = match &net.incoming {
        Some(csr) => {
            let (c, w) = permute_csr(csr, order, &rank, net.incoming_weights.as_deref());
            (Some(c), w)
        }
        None => (None, None),
    };
    let attributes = net.attributes.as_ref().map(|a| super::NodeAttributes {
        listed: take(&a.listed, order),
        involvement: take(&a.involvement, order),
        persona: take(&a.persona, order),
        status: take(&a.status, order),
        member: take(&a.member, order),
        ..a.clone()
    });
    Network {
        out,
        incoming,
        community: net.community.as_deref().map(|c| take(c, order)),
        labels: net.labels.as_deref().map(|l| take(l, order)),
        weights,
        incoming_weights,
        attributes,
        renumbered: Some(first_numbers(net, order, rank)),
    }
}

/// A per-agent vector `v` in `order`: entry `new` is `v[order[new]]`.
fn take<T: Clone + Send + Sync>(v: &[T], order: &[u32]) -> Vec<T> {
    order.par_iter().map(|&o| v[o as usize].clone()).collect()
}

/// The first numbers of the agents of `net` renumbered in `order`, whose inverse is
/// `rank` (`rank[old]` is the new number of agent `old` of `net`). On a network not
/// renumbered before, `rank` is already the map from first numbers and is kept.
fn first_numbers(net: &Network, order: &[u32], rank: Vec<u32>) -> super::Renumbering {
    let Some(before) = &net.renumbered else {
        return super::Renumbering {
            original: order.to_vec(),
            rank,
        };
    };
    let original: Vec<u32> = order
        .par_iter()
        .map(|&o| before.original[o as usize])
        .collect();
    let mut first_rank = vec![0u32; original.len()];
    for (new, &first) in original.iter().enumerate() {
        first_rank[first as usize] = new as u32;
    }
    super::Renumbering {
        original,
        rank: first_rank,
    }
}

/// The adjacency's bandwidth: the largest |u − v| over its arcs (0 with no arcs).
pub fn bandwidth(csr: &Csr) -> u32 {
    (0..csr.nodes() as u32)
        .flat_map(|v| csr.neighbours(v).iter().map(move |&u| u.abs_diff(v)))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{barabasi_albert, erdos_renyi};

    /// A path 0–1–…–(n−1) with its agents numbered by `name`.
    fn path(n: u32, name: impl Fn(u32) -> u32) -> Network {
        let edges: Vec<(u32, u32)> = (1..n).map(|v| (name(v - 1), name(v))).collect();
        Network::undirected(Csr::undirected(n as usize, &edges))
    }

    /// The arcs of `net` as (old, old) pairs, read through `order`.
    fn arcs_in_old_ids(net: &Network, order: &[u32]) -> Vec<(u32, u32)> {
        let mut arcs: Vec<(u32, u32)> = (0..net.nodes() as u32)
            .flat_map(|v| {
                net.out
                    .neighbours(v)
                    .iter()
                    .map(move |&u| (order[v as usize], order[u as usize]))
            })
            .collect();
        arcs.sort_unstable();
        arcs
    }

    /// The out-neighbours of `v` in first numbers, sorted.
    fn arcs_of(net: &Network, v: u32) -> Vec<u32> {
        let mut a: Vec<u32> = net
            .out
            .neighbours(v)
            .iter()
            .map(|&u| net.original(u))
            .collect();
        a.sort_unstable();
        a
    }

    #[test]
    fn every_order_is_a_permutation_and_renumbering_keeps_the_graph() {
        // The 40k-agent graph spans several of `permute_csr`'s parallel blocks.
        for net in [
            barabasi_albert(2_000, 3, 5),
            erdos_renyi(2_000, 1.5, 9),
            barabasi_albert(40_000, 2, 7),
        ] {
            let identity: Vec<u32> = (0..net.nodes() as u32).collect();
            for order in Order::ALL {
                let o = order.of(&net.out);
                let mut sorted = o.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, identity, "{order:?}");
                let renumbered = renumber(&net, &o);
                assert_eq!(
                    arcs_in_old_ids(&renumbered, &o),
                    arcs_in_old_ids(&net, &identity)
                );
                for v in 0..net.nodes() as u32 {
                    let old = o[v as usize];
                    assert_eq!(renumbered.original(v), old);
                    assert_eq!(renumbered.renumbered_from(old), v);
                    // Each row keeps its old order.
                    let back: Vec<u32> = renumbered
                        .out
                        .neighbours(v)
                        .iter()
                        .map(|&u| renumbered.original(u))
                        .collect();
                    assert_eq!(back, net.out.neighbours(old));
                }
                // Renumbering again composes: the first numbers are kept.
                let twice = renumber(&renumbered, &Order::Rcm.of(&renumbered.out));
                for v in 0..net.nodes() as u32 {
                    let first = twice.original(v);
                    assert_eq!(
                        arcs_of(&twice, v),
                        arcs_of(&net, first),
                        "agent {v}, first numbered {first}"
                    );
                }
            }
        }
    }

    #[test]
    fn rcm_gives_a_scrambled_path_bandwidth_one() {
        // 0–1–…–999 numbered by a multiplicative scramble (7919 is prime to 1000).
        let n = 1000;
        let net = path(n, |v| (v * 7919) % n);
        assert!(bandwidth(&net.out) > 100);
        let renumbered = renumber(&net, &Order::Rcm.of(&net.out));
        assert_eq!(bandwidth(&renumbered.out), 1);
    }

    #[test]
    fn bfs_starts_at_the_hub_and_numbers_its_neighbours_next() {
        // A star: hub 7 of 10 agents, numbered last of its edges' ends.
        let edges: Vec<(u32, u32)> = (0..10).filter(|&v| v != 7).map(|v| (v, 7)).collect();
        let net = Network::undirected(Csr::undirected(10, &edges));
        let o = Order::Bfs.of(&net.out);
        assert_eq!(o[0], 7);
        assert_eq!(&o[1..], &[0, 1, 2, 3, 4, 5, 6, 8, 9]);
    }

    #[test]
    fn weights_communities_and_labels_move_with_their_agents() {
        // A directed, weighted triangle 0→1 (0.5), 1→2 (2.0), 2→0 (3.0).
        let out = Csr {
            offsets: vec![0, 1, 2, 3],
            targets: vec![1, 2, 0],
        };
        let incoming = out.transpose();
        let net = Network {
            weights: Some(vec![0.5, 2.0, 3.0]),
            incoming_weights: Some(vec![3.0, 0.5, 2.0]),
            out,
            incoming: Some(incoming),
            community: Some(vec![10, 11, 12]),
            labels: Some(vec![100, 101, 102]),
            attributes: None,
            renumbered: None,
        };
        let r = renumber(&net, &[2, 0, 1]);
        // Old 2 is new 0: its arc to old 0 (new 1) weighs 3.0.
        assert_eq!(r.out.neighbours(0), &[1]);
        assert_eq!(r.weights.as_ref().unwrap()[0], 3.0);
        // New 0 hears from old 1 (new 2) with weight 2.0.
        assert_eq!(r.incoming().neighbours(0), &[2]);
        assert_eq!(r.incoming_weights().unwrap()[0], 2.0);
        assert_eq!(r.community, Some(vec![12, 10, 11]));
        assert_eq!(r.labels, Some(vec![102, 100, 101]));
    }
}
