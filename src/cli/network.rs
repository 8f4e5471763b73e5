//! `murmur network`: builds a scenario's network and exports it (docs/OUTPUTS.md,
//! "Network export"), in a results folder murmur claims like any other.

use std::path::Path;

use super::{CliError, NetworkArgs, parse_with, read, say};
use crate::experiment;
use crate::results::folder::{self, Claim};
use crate::results::{self, Kind, Manifest, Source, network};

/// `murmur network`: the first replicate's network of a scenario, with its
/// attributes, as edges.csv, nodes.csv and network.graphml.
pub(super) fn network_command(args: NetworkArgs) -> Result<(), CliError> {
    let bytes = read(&args.scenario)?;
    let (mut scenario, _) = parse_with(&args.scenario, &bytes, &args.set)?;
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("results").join(format!("network-{}", folder::slug(&scenario.name)))
    });
    let mut claim = Claim::new(&out, &[&args.scenario])?;
    let net = experiment::first_network(&mut scenario, &args.scenario)?;
    let bytes_needed = network::estimate_bytes(net.nodes() as u64, net.edges() as u64);
    crate::limits::check_disk(bytes_needed, &out)?;
    let source = Source::new(&args.scenario, &bytes);
    results::atomic_dir(&out, |dir| {
        network::write_network(dir, &net)?;
        let manifest = Manifest {
            scenario_file: Some(source.path.clone()),
            scenario_sha256: Some(source.sha256.clone()),
            scenario: serde_json::to_value(&scenario).unwrap_or_default(),
            seed: Some(scenario.seed.into()),
            network: Some(experiment::NetworkStats::of(&net)),
            ..Manifest::new(Kind::Network)
        };
        results::write_manifest(dir, &manifest)
    })?;
    claim.keep();
    say(format!(
        "{}: {} nodes, {} {} edges{}{}\nnetwork in {} ({}, {}, {})\n",
        scenario.name,
        net.nodes(),
        net.edges(),
        if net.directed() {
            "directed"
        } else {
            "undirected"
        },
        if net.weights.is_some() {
            ", weighted"
        } else {
            ""
        },
        net.community.as_ref().map_or(String::new(), |c| {
            let count = c.iter().max().map_or(0, |m| m + 1);
            format!(", {count} communities")
        }),
        out.display(),
        network::EDGES,
        network::NODES,
        network::GRAPHML,
    ))
}
