//! Resolution of the `[network]` table: the keys each kind takes, each in range, the
//! input files it names, and whether the network fits the population (MODEL.md §3.3).

use super::Resolver;
use crate::scenario::ScenarioError;
use crate::scenario::diagnose::allowed_for;
use crate::scenario::keys::{NETWORK_COMMON, NETWORK_KINDS};
use crate::scenario::raw::{NetworkKind, RawNetwork, RawOrder, SizeDistribution};
use crate::scenario::{CommunitySizes, NetworkSection, NetworkSpec, Order};
use std::path::{Path, PathBuf};

impl Resolver<'_> {
    /// The `[network]` table: only the keys its kind takes, each in range (MODEL.md §3.3).
    pub(super) fn network(&self, n: RawNetwork) -> Result<NetworkSection, ScenarioError> {
        self.network_keys(&n)?;
        let spec = match n.kind {
            NetworkKind::Complete => NetworkSpec::Complete,
            NetworkKind::ErdosRenyi => NetworkSpec::ErdosRenyi {
                mean_degree: self.mean_degree(n.mean_degree)?,
            },
            NetworkKind::WattsStrogatz => self.watts_strogatz(&n)?,
            NetworkKind::BarabasiAlbert => self.barabasi_albert(&n)?,
            NetworkKind::Communities => self.communities(&n)?,
            NetworkKind::EdgeList => self.edge_list(&n)?,
        };
        Ok(NetworkSection {
            spec,
            per_replicate: n.per_replicate.unwrap_or(false),
            order: match n.order {
                None | Some(RawOrder::None) => None,
                Some(RawOrder::Bfs) => Some(Order::Bfs),
                Some(RawOrder::Rcm) => Some(Order::Rcm),
            },
        })
    }

    /// Refuses a `[network]` key its kind does not take.
    fn network_keys(&self, n: &RawNetwork) -> Result<(), ScenarioError> {
        let given = [
            ("mean_degree", n.mean_degree.is_some()),
            ("k", n.k.is_some()),
            ("rewire", n.rewire.is_some()),
            ("m", n.m.is_some()),
            ("count", n.count.is_some()),
            ("mixing", n.mixing.is_some()),
            ("size_distribution", n.size_distribution.is_some()),
            ("size_exponent", n.size_exponent.is_some()),
            ("path", n.path.is_some()),
            ("directed", n.directed.is_some()),
            ("weights", n.weights.is_some()),
            ("nodes", n.nodes.is_some()),
        ];
        self.only(
            "network",
            n.kind.name(),
            &given,
            &NETWORK_KINDS,
            NETWORK_COMMON,
        )
    }

    /// `mean_degree`, required: finite and ≥ 0.
    fn mean_degree(&self, given: Option<f64>) -> Result<f64, ScenarioError> {
        let d = self.required(given, "network.mean_degree")?;
        if !(d.is_finite() && d >= 0.0) {
            return Err(self.error(
                "network.mean_degree",
                format!("mean degree {d} is negative or not finite"),
                &allowed_for("network.mean_degree"),
            ));
        }
        Ok(d)
    }

    /// A small world: `k` even ring neighbours (≥ 2), each tie rewired with probability
    /// `rewire`.
    fn watts_strogatz(&self, n: &RawNetwork) -> Result<NetworkSpec, ScenarioError> {
        let k = self.required(n.k, "network.k")?;
        if k < 2 || k % 2 == 1 {
            return Err(self.error(
                "network.k",
                format!("k = {k} is not an even number of ring neighbours"),
                &allowed_for("network.k"),
            ));
        }
        let rewire = self.required(n.rewire, "network.rewire")?;
        Ok(NetworkSpec::WattsStrogatz {
            k,
            rewire: self.probability(rewire, "network.rewire")?,
        })
    }

    /// Preferential attachment: each newcomer brings `m` ≥ 1 ties.
    fn barabasi_albert(&self, n: &RawNetwork) -> Result<NetworkSpec, ScenarioError> {
        let m = self.required(n.m, "network.m")?;
        if m == 0 {
            return Err(self.error("network.m", "m = 0 adds no ties", &allowed_for("network.m")));
        }
        Ok(NetworkSpec::BarabasiAlbert { m })
    }

    /// Planted communities: `count` ≥ 1 of them, a share `mixing` of ties between
    /// them, and their sizes.
    fn communities(&self, n: &RawNetwork) -> Result<NetworkSpec, ScenarioError> {
        let count = self.required(n.count, "network.count")?;
        if count == 0 {
            return Err(self.error(
                "network.count",
                "there must be at least one community",
                &allowed_for("network.count"),
            ));
        }
        let mixing = self.required(n.mixing, "network.mixing")?;
        let sizes = self.community_sizes(n)?;
        Ok(NetworkSpec::Communities {
            count,
            mean_degree: self.mean_degree(n.mean_degree)?,
            mixing: self.probability(mixing, "network.mixing")?,
            sizes,
        })
    }

    /// How planted community sizes are distributed; `size_exponent` only with a power law.
    fn community_sizes(&self, n: &RawNetwork) -> Result<CommunitySizes, ScenarioError> {
        match n.size_distribution.unwrap_or(SizeDistribution::Equal) {
            SizeDistribution::Equal => {
                if n.size_exponent.is_some() {
                    return Err(self.error(
                        "network.size_exponent",
                        "size_exponent only applies with size_distribution = \"power_law\"",
                        "remove it, or set size_distribution = \"power_law\"",
                    ));
                }
                Ok(CommunitySizes::Equal)
            }
            SizeDistribution::PowerLaw => {
                let exponent = n.size_exponent.unwrap_or(2.0);
                if !(exponent > 1.0 && exponent.is_finite()) {
                    return Err(self.error(
                        "network.size_exponent",
                        format!("exponent {exponent} gives no proper size distribution"),
                        "a number above 1 (LFR benchmarks use 1 to 2; default 2)",
                    ));
                }
                Ok(CommunitySizes::PowerLaw { exponent })
            }
        }
    }

    /// An edge-list network: its path, and its node file's if any, relative to the
    /// scenario file's folder, must name files.
    fn edge_list(&self, n: &RawNetwork) -> Result<NetworkSpec, ScenarioError> {
        let path = self.required(n.path.clone(), "network.path")?;
        let path = self.input_file(&path, "network.path", "edge-list")?;
        let nodes = match &n.nodes {
            Some(nodes) => Some(self.input_file(nodes, "network.nodes", "node")?),
            None => None,
        };
        Ok(NetworkSpec::EdgeList {
            path,
            directed: n.directed.unwrap_or(false),
            weights: n.weights.unwrap_or(false),
            nodes,
        })
    }

    /// The file `path` names, relative to the scenario file's folder, or an error at
    /// `key` when it is empty, a folder or missing; `what` names the file's kind.
    fn input_file(&self, path: &str, key: &str, what: &str) -> Result<PathBuf, ScenarioError> {
        let base = self.file.parent().unwrap_or(Path::new(""));
        let resolved = base.join(path);
        let problem = if path.trim().is_empty() {
            format!("the {what} path is empty")
        } else if resolved.is_dir() {
            let article = if what.starts_with('e') { "an" } else { "a" };
            format!(
                "{} is a folder, not {article} {what} file",
                resolved.display()
            )
        } else if !resolved.is_file() {
            format!(
                "{what} file {} does not exist (paths are relative to the scenario file's folder)",
                resolved.display()
            )
        } else {
            return Ok(resolved);
        };
        let allowed = if key == "network.path" {
            "the path of a readable SNAP-style edge list, optionally .gz"
        } else {
            "the path of a readable node CSV with a header row and an `id` column"
        };
        Err(self.error(key, problem, allowed))
    }

    /// Checks the network's parameters against the population size.
    pub(super) fn check_network_fits(
        &self,
        spec: &NetworkSpec,
        size: usize,
    ) -> Result<(), ScenarioError> {
        let n = size as f64;
        match spec {
            NetworkSpec::ErdosRenyi { mean_degree }
            | NetworkSpec::Communities { mean_degree, .. }
                if *mean_degree >= n =>
            {
                Err(self.error(
                    "network.mean_degree",
                    format!("mean degree {mean_degree} is not below the population size {size}"),
                    &format!("a number from 0 to below {size}"),
                ))
            }
            NetworkSpec::WattsStrogatz { k, .. } if *k as usize >= size => Err(self.error(
                "network.k",
                format!("k = {k} is not below the population size {size}"),
                &format!("an even whole number from 2 to below {size}"),
            )),
            NetworkSpec::BarabasiAlbert { m } if *m as usize >= size => Err(self.error(
                "network.m",
                format!("m = {m} is not below the population size {size}"),
                &format!("a whole number from 1 to below {size}"),
            )),
            NetworkSpec::Communities { count, .. } if *count as usize > size => Err(self.error(
                "network.count",
                format!("{count} communities cannot be formed from {size} agents"),
                &format!("a whole number from 1 to {size}"),
            )),
            _ => Ok(()),
        }
    }
}
