//! Centrality measures used to pick influential agents.

use super::Csr;
use crate::rng::{Purpose, StreamKey};
use rayon::prelude::*;

/// Pivots processed together; fixed so that the sum's order, hence every bit of the
/// result, does not depend on the thread count.
const PIVOT_BATCH: usize = 8;

/// Betweenness centrality estimated from `samples` uniformly chosen pivots (Brandes
/// 2001, with the pivot sampling of Brandes & Pich 2007), scaled to the full sum over
/// all sources. Exact when `samples` ≥ the number of nodes. Unweighted ties; the
/// adjacency is read as given (use an undirected one for undirected graphs).
pub fn sampled_betweenness(graph: &Csr, samples: u32, seed: u64) -> Vec<f32> {
    sampled_betweenness_in(graph, samples, seed, None)
}

/// [`sampled_betweenness`] of a graph whose nodes were renumbered (each row keeping
/// its order): `rank[first]` is the present number of the node first numbered
/// `first`. The pivots are drawn as first numbers and taken in the same order, so the
/// result is the same, bit for bit, as on the graph before it was renumbered.
pub fn sampled_betweenness_in(
    graph: &Csr,
    samples: u32,
    seed: u64,
    rank: Option<&[u32]>,
) -> Vec<f32> {
    let n = graph.nodes();
    let mut total = vec![0f64; n];
    if n == 0 {
        return Vec::new();
    }
    let pivots: Vec<u32> = if samples as usize >= n {
        (0..n as u32).collect()
    } else {
        StreamKey::new(seed, 0, 0, Purpose::Centrality)
            .agent(0)
            .sample_distinct(n as u64, samples as u64)
            .into_iter()
            .map(|v| v as u32)
            .collect()
    };
    let pivots: Vec<u32> = match rank {
        Some(rank) => pivots.iter().map(|&p| rank[p as usize]).collect(),
        None => pivots,
    };
    let scale = n as f64 / pivots.len() as f64;
    for batch in pivots.chunks(PIVOT_BATCH) {
        let parts: Vec<Vec<f64>> = batch.par_iter().map(|&s| dependencies(graph, s)).collect();
        total.par_iter_mut().enumerate().for_each(|(v, t)| {
            for part in &parts {
                *t += part[v];
            }
        });
    }
    total.into_iter().map(|b| (b * scale) as f32).collect()
}

/// Brandes' single-source dependencies δ_s(v) by breadth-first search from `s`.
fn dependencies(graph: &Csr, s: u32) -> Vec<f64> {
    let n = graph.nodes();
    let mut dist = vec![u32::MAX; n];
    let mut sigma = vec![0f64; n];
    let mut delta = vec![0f64; n];
    let mut order: Vec<u32> = Vec::with_capacity(n);
    dist[s as usize] = 0;
    sigma[s as usize] = 1.0;
    order.push(s);
    let mut head = 0;
    while head < order.len() {
        let v = order[head];
        head += 1;
        let dv = dist[v as usize];
        for &w in graph.neighbours(v) {
            let w = w as usize;
            if dist[w] == u32::MAX {
                dist[w] = dv + 1;
                order.push(w as u32);
            }
            if dist[w] == dv + 1 {
                sigma[w] += sigma[v as usize];
            }
        }
    }
    for &w in order.iter().rev() {
        let w = w as usize;
        for &v in graph.neighbours(w as u32) {
            let v = v as usize;
            if dist[v] != u32::MAX && dist[v] + 1 == dist[w] {
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
            }
        }
    }
    delta[s as usize] = 0.0;
    delta
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_and_star_have_textbook_betweenness() {
        // Path 0-1-2-3-4: ordered-pair betweenness of node k is 2·k·(4 − k).
        let path = Csr::undirected(5, &[(0, 1), (1, 2), (2, 3), (3, 4)]);
        let b = sampled_betweenness(&path, 100, 1);
        assert_eq!(b, vec![0.0, 6.0, 8.0, 6.0, 0.0]);
        // Star: the centre lies on every path between the 4 leaves: 4·3 ordered pairs.
        let star = Csr::undirected(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]);
        let b = sampled_betweenness(&star, 5, 1);
        assert_eq!(b, vec![12.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn sampling_ranks_the_bridge_first_and_is_thread_independent() {
        // Two cliques joined through node 10.
        let mut edges = Vec::new();
        for a in 0..10u32 {
            for b in a + 1..10 {
                edges.push((a, b));
                edges.push((a + 11, b + 11));
            }
        }
        edges.push((0, 10));
        edges.push((10, 11));
        let g = Csr::undirected(21, &edges);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let two = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let b1 = one.install(|| sampled_betweenness(&g, 12, 9));
        let b2 = two.install(|| sampled_betweenness(&g, 12, 9));
        assert_eq!(b1, b2);
        // The three bridge nodes lead: exactly 10 (200), then 0 and 11 (198 each).
        let top = (0..21).max_by(|&a, &b| b1[a].total_cmp(&b1[b])).unwrap();
        assert!([0, 10, 11].contains(&top), "{b1:?}");
        let exact = sampled_betweenness(&g, 21, 9);
        assert_eq!(
            (exact[10], exact[0], exact[11], exact[5]),
            (200.0, 198.0, 198.0, 0.0)
        );
    }

    /// On a renumbered graph, with the renumbering's ranks, every node's betweenness
    /// is the same bits as on the graph as built, sampled and exact; without the
    /// ranks the sampled pivots are other nodes and the values differ.
    #[test]
    fn a_renumbered_graph_has_the_same_betweenness_by_first_number() {
        let net = crate::network::Network::build(
            &crate::scenario::NetworkSpec::BarabasiAlbert { m: 3 },
            3000,
            4,
        )
        .unwrap();
        let order = crate::network::Order::Rcm.of(&net.out);
        let renumbered = crate::network::renumber(&net, &order);
        let rank = &renumbered.renumbered.as_ref().unwrap().rank;
        for samples in [50, 3000] {
            let before = sampled_betweenness(&net.out, samples, 9);
            let after = sampled_betweenness_in(&renumbered.out, samples, 9, Some(rank));
            for (first, &b) in before.iter().enumerate() {
                assert_eq!(
                    b.to_bits(),
                    after[rank[first] as usize].to_bits(),
                    "{first}"
                );
            }
        }
        let unranked = sampled_betweenness(&renumbered.out, 50, 9);
        let before = sampled_betweenness(&net.out, 50, 9);
        assert!((0..3000).any(|f| unranked[rank[f] as usize] != before[f]));
    }
}
