//! `manifest.json`: what a results folder is and how it was made (docs/OUTPUTS.md).
//! One type for every kind of folder, written by runs, comparisons and sweeps; the
//! ownership fields (`murmur_format`, `files`, `folders`) are added by
//! [`super::folder::seal`] when the folder is sealed; the folder layer reads and
//! rewrites them through [`super::folder::Seal`], with the same names and types.

use super::Source;
use super::folder::Entry;
use crate::experiment::NetworkStats;
use serde::{Deserialize, Deserializer, Serialize};
use std::path::PathBuf;

/// Which command wrote a folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `murmur run` of a scenario without `[sweep]`.
    Run,
    /// `murmur run` of a scenario with `[sweep]`, or `murmur merge`.
    Sweep,
    /// `murmur compare`.
    Compare,
    /// `murmur network`: a network's export, without a run.
    Network,
    /// `murmur bench`: the benchmark set's `bench.json`.
    Bench,
}

/// How the murmur that wrote a folder was built and where it ran: enough to tell two
/// folders' code and machine apart when their numbers differ.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Build {
    /// The git commit murmur was built from (`unknown` outside a repository).
    pub git_commit: String,
    /// The compiler's `rustc --version`.
    pub rustc: String,
    /// Cargo's build profile (`release` or `debug`).
    pub profile: String,
    /// The host CPU's model name (from /proc/cpuinfo where there is one).
    pub cpu: String,
    /// Logical cores the host offers (threads used are `threads`).
    pub cores: usize,
    /// Operating system and architecture.
    pub os: String,
}

impl Build {
    /// This build, on this host.
    pub fn here() -> Build {
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|t| {
                t.lines()
                    .find(|l| l.starts_with("model name"))
                    .and_then(|l| l.split_once(':'))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_else(|| "unknown".into());
        Build {
            git_commit: env!("MURMUR_GIT_COMMIT").to_string(),
            rustc: env!("MURMUR_RUSTC").to_string(),
            profile: env!("MURMUR_PROFILE").to_string(),
            cpu,
            cores: std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
            os: format!("{} {}", std::env::consts::OS, std::env::consts::ARCH),
        }
    }
}

/// A results folder's manifest. Fields a kind does not have are `None` and left out
/// of the file; the order of the fields is the order in the file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// Which command wrote the folder.
    pub kind: Kind,
    /// The murmur version that wrote it.
    #[serde(default)]
    pub murmur_version: String,
    /// How murmur was built and the host it ran on; absent in folders written before
    /// it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<Build>,
    /// Compared scenario names, in order (compare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenarios: Option<Vec<String>>,
    /// The baseline's name (compare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// Every compared scenario file with its SHA-256 (compare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_files: Option<Vec<Source>>,
    /// The scenario file (run, sweep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_file: Option<PathBuf>,
    /// SHA-256 of the scenario file's bytes, hex (run, sweep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_sha256: Option<String>,
    /// The resolved scenario, every default filled in (the baseline's for compare, the
    /// first point's for sweep).
    #[serde(default)]
    pub scenario: serde_json::Value,
    /// The `[sweep]` table, resolved (sweep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sweep: Option<serde_json::Value>,
    /// The swept key paths, in column order (sweep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<String>>,
    /// The number of points in the whole sweep (sweep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<usize>,
    /// Each point's resolved-scenario SHA-256, in point order (sweep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_sha256: Option<Vec<String>>,
    /// The indices of the points finished (sweep).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_points: Option<Vec<usize>>,
    /// The slice this folder holds, `K/N`, or `null` for the whole sweep (sweep).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub shard: Option<Option<String>>,
    /// The replicates this folder holds, `[first, end)`, when it is one slice of a run
    /// split with `--shard` (run); `murmur merge` joins slices that cover `[0,
    /// replicates)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_replicates: Option<[u32; 2]>,
    /// The seed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<serde_json::Value>,
    /// Replicates per scenario or point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicates: Option<serde_json::Value>,
    /// Worker threads used (run, compare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threads: Option<usize>,
    /// Wall-clock seconds (run, compare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall_seconds: Option<f64>,
    /// The network (run, compare).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkStats>,
    /// A comparison's robustness check (`--uncertain`): its number of draws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertain_draws: Option<u32>,
    /// The robustness check's summary sentences, one per challenger: who wins on the
    /// headline metric, how often, and what it depends on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub robustness: Option<Vec<String>>,
    /// The results-folder format version, added when sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub murmur_format: Option<u64>,
    /// Every file murmur wrote in the folder, added when sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<Entry>>,
    /// Folders of sealed folders (a sweep's `points`), added when sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folders: Option<Vec<String>>,
}

/// A key that is present, even as `null`, is `Some`.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

impl Manifest {
    /// A manifest of `kind` with every kind-specific field empty.
    pub fn new(kind: Kind) -> Self {
        Manifest {
            kind,
            murmur_version: env!("CARGO_PKG_VERSION").to_string(),
            build: Some(Build::here()),
            scenarios: None,
            baseline: None,
            scenario_files: None,
            scenario_file: None,
            scenario_sha256: None,
            scenario: serde_json::Value::Null,
            sweep: None,
            parameters: None,
            points: None,
            point_sha256: None,
            finished_points: None,
            shard: None,
            shard_replicates: None,
            seed: None,
            replicates: None,
            threads: None,
            wall_seconds: None,
            network: None,
            uncertain_draws: None,
            robustness: None,
            murmur_format: None,
            files: None,
            folders: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_written() {
        let mut m = Manifest::new(Kind::Sweep);
        m.shard = Some(None);
        m.points = Some(3);
        let text = serde_json::to_string(&m).unwrap();
        assert!(text.contains("\"shard\":null"), "{text}");
        let back: Manifest = serde_json::from_str(&text).unwrap();
        assert_eq!(back.shard, Some(None));
        assert_eq!(back.points, Some(3));
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }
}
