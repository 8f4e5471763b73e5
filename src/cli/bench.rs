//! `murmur bench`: the benchmark set (`src/bench.rs`) at a chosen scale, its
//! `bench.json` in a results folder murmur claims like any other.

use super::{BenchArgs, CascadeModel, CliError, say};
use crate::bench::Cascade;
use crate::experiment::{self, RunError, RunOptions};
use crate::network::Network;
use crate::results::folder::Claim;
use crate::results::{self, OutputError};
use crate::scenario::Scenario;
use std::path::Path;

/// `murmur bench`: the benchmark set at the chosen scale, refused before it allocates
/// when the network and states would not fit in memory; bench.json in a claimed
/// results folder.
pub(super) fn bench_command(args: BenchArgs) -> Result<(), CliError> {
    let threads = args.threads.map(usize::from);
    experiment::check_threads(threads)?;
    // Sized as a run of the community strategy on the benchmark's network.
    let mut scenario = Scenario::from_str_at(
        include_str!("../../scenarios/community.toml"),
        Path::new("scenarios/community.toml"),
    )?;
    scenario.population.size = args.agents;
    scenario.network.spec = crate::scenario::NetworkSpec::BarabasiAlbert { m: 5 };
    // A given edge list is read first: its size is the benchmark's.
    let network = match &args.network {
        Some(path) => {
            let spec = crate::scenario::NetworkSpec::EdgeList {
                path: path.clone(),
                directed: false,
                weights: false,
                nodes: None,
            };
            let net = Network::build(&spec, 0, 42).map_err(|source| CliError::BenchNetwork {
                path: path.clone(),
                source,
            })?;
            scenario.population.size = net.nodes();
            scenario.network.spec = spec;
            Some(net)
        }
        None => None,
    };
    scenario.replicates = 1;
    let cores = threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    experiment::check_memory(&scenario, cores, &RunOptions::default())?;
    let out = args.out.clone().unwrap_or_else(|| {
        Path::new("results").join(format!("bench-{}", scenario.population.size))
    });
    let mut claim = Claim::new(&out, &[])?;
    let options = crate::bench::BenchOptions {
        agents: args.agents,
        repeats: args.repeats as usize,
        cascades: args.cascades,
        cascade: match args.cascade {
            CascadeModel::Ic => Cascade::IndependentCascade {
                probability: args.probability,
            },
            CascadeModel::Lt => Cascade::LinearThreshold,
        },
        cascades_only: args.cascades_only,
    };
    let started = std::time::Instant::now();
    let report = experiment::with_pool(threads, |_| match &network {
        Some(net) => Ok::<_, RunError>(crate::bench::run_on(net, None, &options)),
        None => Ok(crate::bench::run(&options)),
    })?;
    results::atomic_dir(&out, |dir| {
        let path = dir.join("bench.json");
        let json = serde_json::to_string_pretty(&report).unwrap_or_default() + "\n";
        std::fs::write(&path, json).map_err(|e| OutputError::from_io(&path, e))?;
        let manifest = results::Manifest {
            threads: Some(report.threads),
            wall_seconds: Some(started.elapsed().as_secs_f64()),
            ..results::Manifest::new(results::Kind::Bench)
        };
        results::write_manifest(dir, &manifest)
    })?;
    claim.keep();
    say(crate::bench::table(&report))?;
    say(format!("results in {}\n", out.display()))?;
    Ok(())
}
