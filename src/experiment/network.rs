//! The network a run uses: built from its scenario (or read, with its population size
//! settled and a node file's attributes checked against the model), and the facts about
//! it a results folder records.

use super::{RunError, RunOptions, check_memory};
use crate::network::{Network, NetworkError};
use crate::scenario::{NetworkSpec, Scenario, ScenarioError};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Facts about the network a run used.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NetworkStats {
    /// Number of agents.
    pub nodes: usize,
    /// Number of edges (undirected pairs, or arcs when directed).
    pub edges: usize,
    /// Mean out-degree.
    pub mean_degree: f64,
    /// Whether ties are directed.
    pub directed: bool,
    /// Number of agents with each out-degree, as (degree, count) in ascending degree.
    #[serde(skip)]
    pub degrees: Vec<(u32, u64)>,
}

impl NetworkStats {
    /// The statistics of `network`.
    pub fn of(network: &Network) -> Self {
        NetworkStats {
            nodes: network.nodes(),
            edges: network.edges(),
            mean_degree: network.mean_degree(),
            directed: network.directed(),
            degrees: degree_histogram(network),
        }
    }
}

/// How many agents have each out-degree, in ascending degree (degrees with no agent
/// left out). Counted in parallel over blocks of [`DEGREE_BLOCK`] agents, each into a
/// table of the degrees below [`DENSE_DEGREES`] and a map of the rarer ones above, so
/// that a hub of any degree costs one map entry, not a table as long as its degree.
pub fn degree_histogram(network: &Network) -> Vec<(u32, u64)> {
    use rayon::prelude::*;
    use std::collections::BTreeMap;
    let (out, nodes) = (&network.out, network.nodes());
    let none = || (vec![0u64; DENSE_DEGREES], BTreeMap::<u32, u64>::new());
    let block = |b: usize| {
        let (mut dense, mut sparse) = none();
        for v in b * DEGREE_BLOCK..((b + 1) * DEGREE_BLOCK).min(nodes) {
            let d = out.degree(v as u32);
            match dense.get_mut(d as usize) {
                Some(count) => *count += 1,
                None => *sparse.entry(d).or_default() += 1,
            }
        }
        (dense, sparse)
    };
    let (dense, sparse) = (0..nodes.div_ceil(DEGREE_BLOCK))
        .into_par_iter()
        .map(block)
        .reduce(none, |(mut dense, mut sparse), (more, rare)| {
            dense.iter_mut().zip(more).for_each(|(a, b)| *a += b);
            rare.into_iter()
                .for_each(|(d, c)| *sparse.entry(d).or_default() += c);
            (dense, sparse)
        });
    let low = dense.into_iter().enumerate().map(|(d, c)| (d as u32, c));
    low.filter(|&(_, c)| c > 0).chain(sparse).collect()
}

/// Degrees below this are counted in a table (8 KB per block of agents), the rest in
/// a map.
const DENSE_DEGREES: usize = 1024;

/// Agents per block of the parallel degree count.
const DEGREE_BLOCK: usize = 1 << 16;

/// Builds the network of a scenario, turning edge-list problems into scenario errors
/// that name the scenario key they came from.
pub fn build_network(scenario: &Scenario, file: &Path, seed: u64) -> Result<Network, RunError> {
    Network::build(&scenario.network.spec, scenario.population.size, seed).map_err(|e| match e {
        NetworkError::EdgeList(e) => ScenarioError::new(file, e.to_string())
            .at_key("network.path")
            .into(),
        NetworkError::NodeFile(e) => ScenarioError::new(file, e.to_string())
            .at_key("network.nodes")
            .into(),
    })
}

/// `network` with its agents renumbered in the scenario's `network.order` for cache
/// locality, as the replicates run on it; unchanged without the key. The results are
/// the same either way: the engines key their streams by each agent's first number
/// ([`Network::original`]). Exports (`murmur network`) use the network as built.
pub fn in_run_order(scenario: &Scenario, network: Network) -> Network {
    match scenario.network.order {
        None => network,
        Some(order) => crate::network::renumber(&network, &order.of(&network.out)),
    }
}

/// [`build_network`], then [`in_run_order`]: the network a replicate runs on.
pub fn build_run_network(scenario: &Scenario, file: &Path, seed: u64) -> Result<Network, RunError> {
    Ok(in_run_order(scenario, build_network(scenario, file, seed)?))
}

/// Reads an edge list (the only network whose size comes from a file) so the
/// scenario's population size is known, and checks what depends on it.
pub fn settle_population(
    scenario: &mut Scenario,
    file: &Path,
) -> Result<Option<Network>, RunError> {
    if !matches!(scenario.network.spec, NetworkSpec::EdgeList { .. }) {
        return Ok(None);
    }
    let network = build_network(scenario, file, scenario.seed)?;
    let n = network.nodes();
    let declared = scenario.population.size;
    if declared != 0 && declared != n {
        return Err(ScenarioError::new(
            file,
            format!("population.size is {declared} but the edge list has {n} distinct agents"),
        )
        .at_key("population.size")
        .allowing(format!("{n}, or leave population.size out for edge lists"))
        .into());
    }
    scenario.population.size = n;
    if let crate::scenario::ModelSpec::IndependentCascade { seeds, .. }
    | crate::scenario::ModelSpec::LinearThreshold { seeds, .. } = scenario.model
        && seeds as usize > n
    {
        return Err(ScenarioError::new(
            file,
            format!("{seeds} seeds cannot be chosen from the edge list's {n} agents"),
        )
        .at_key("model.seeds")
        .allowing(format!("a whole number from 1 to {n}"))
        .into());
    }
    if let Some(attributes) = &network.attributes {
        check_node_attributes(scenario, &network, attributes, file)?;
    }
    Ok(Some(network))
}

/// The network a run of `scenario` uses for its first replicate, with the population
/// size settled (edge lists) and checked to fit in memory: the network `murmur network`
/// exports.
pub fn first_network(scenario: &mut Scenario, file: &Path) -> Result<Network, RunError> {
    if let Some(network) = settle_population(scenario, file)? {
        return Ok(network);
    }
    check_memory(scenario, 1, &RunOptions::default())?;
    let seed = if scenario.network.per_replicate {
        // As `run_in_pool` draws replicate 0's own network.
        crate::rng::mix64(scenario.seed ^ crate::rng::mix64(1))
    } else {
        scenario.seed
    };
    build_network(scenario, file, seed)
}

/// Checks what a node file gives against the model: the classic models read only
/// `community`; the marketing model needs a persona mask of each persona name and a
/// competitor for the `competitor` status.
fn check_node_attributes(
    scenario: &Scenario,
    network: &Network,
    attributes: &crate::network::NodeAttributes,
    file: &Path,
) -> Result<(), RunError> {
    let path = attributes.path.display();
    let refuse = |problem: String, allowed: String| -> RunError {
        ScenarioError::new(file, problem)
            .at_key("network.nodes")
            .allowing(allowed)
            .into()
    };
    let crate::scenario::ModelSpec::Marketing(spec) = &scenario.model else {
        if let Some(column) = attributes.columns.iter().find(|c| *c != "community") {
            return Err(refuse(
                format!(
                    "node file \"{path}\" has a `{column}` column, which only the marketing model reads"
                ),
                "a node file with `id` and `community` columns only, for the classic models".into(),
            ));
        }
        return Ok(());
    };
    let masks = &spec.market.personas.masks;
    let names = || {
        masks
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some((name, line)) = attributes
        .personas
        .iter()
        .find(|(name, _)| !masks.iter().any(|m| &m.name == name))
    {
        return Err(refuse(
            format!(
                "node file \"{path}\", line {line}, column persona: found \"{name}\", which is not a persona mask of market.personas"
            ),
            format!(
                "one of {}, or an empty cell to draw the persona mix",
                names()
            ),
        ));
    }
    let competitor = Some(crate::network::InitialStatus::Competitor);
    if spec.market.competitor.is_empty()
        && let Some(i) = attributes.status.iter().position(|s| *s == competitor)
    {
        let id = network.labels.as_ref().map_or(i as u64, |l| l[i]);
        return Err(refuse(
            format!(
                "node file \"{path}\" makes node {id} a competitor's customer, but the market has no [[market.competitor]]"
            ),
            "unaware, aware or customer, or a [[market.competitor]] table".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::Csr;

    /// The parallel count is the one-agent-at-a-time count, over several blocks of
    /// agents: for degrees in the table, for hubs above it (two of equal degree in
    /// different blocks, whose maps are merged, and a third), for agents of degree 0,
    /// and for an empty network.
    #[test]
    fn the_degree_histogram_counts_every_agent_once_by_its_degree() {
        let reference = |net: &Network| {
            let mut counts = std::collections::BTreeMap::<u32, u64>::new();
            for v in 0..net.nodes() as u32 {
                *counts.entry(net.out.degree(v)).or_default() += 1;
            }
            counts.into_iter().collect::<Vec<_>>()
        };
        let n = 2 * DEGREE_BLOCK + 7;
        let ba = crate::network::barabasi_albert(n, 3, 7);
        // Hubs of 2000 leaves in blocks 0 and 1 and of 1500 in block 2; the rest of
        // the agents have no tie.
        let (second, third) = (DEGREE_BLOCK as u32 + 5, 2 * DEGREE_BLOCK as u32 + 1);
        let mut edges: Vec<(u32, u32)> = (1..2001).map(|v| (0, v)).collect();
        edges.extend((1..2001).map(|v| (second, second + v)));
        edges.extend((10..1510).map(|v| (third, v + 3000)));
        let hubs = Network::undirected(Csr::undirected(n, &edges));
        let empty = Network::undirected(Csr::undirected(0, &[]));
        for net in [&ba, &hubs, &empty] {
            assert_eq!(degree_histogram(net), reference(net));
        }
        let h = degree_histogram(&hubs);
        let leaves = 2000 + 2000 + 1500;
        assert_eq!(
            h,
            [
                (0, (n - leaves - 3) as u64),
                (1, leaves as u64),
                (1500, 1),
                (2000, 2)
            ]
        );
    }
}
