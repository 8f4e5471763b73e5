//! The file-facing form of a scenario: one field per TOML key, so serde rejects
//! unknown keys and values of the wrong sort with the key's path. What each key
//! accepts is described in [`keys`](super::keys); `resolve` turns this form into the
//! validated [`Scenario`](super::Scenario).

use super::Seeding;
use super::calibration::RawCalibration;
use super::keys::{MODEL_KINDS, NETWORK_KINDS};
use super::marketing::{Market, Phase, Strategy};
use super::optimise::RawOptimise;
use super::sensitivity::RawSensitivity;
use super::sweep::RawSweep;
use super::uncertainty::RawUncertainty;
use serde::Deserialize;

/// A whole scenario file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScenario {
    pub name: Option<String>,
    pub ticks: u32,
    pub seed: Option<u64>,
    pub replicates: Option<u32>,
    pub population: Option<RawPopulation>,
    pub network: RawNetwork,
    pub model: RawModel,
    pub market: Option<Market>,
    pub strategy: Option<Strategy>,
    pub phase: Option<Vec<Phase>>,
    pub sweep: Option<RawSweep>,
    pub uncertainty: Option<RawUncertainty>,
    pub sensitivity: Option<RawSensitivity>,
    pub calibration: Option<RawCalibration>,
    pub optimise: Option<RawOptimise>,
}

/// `[population]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPopulation {
    pub size: Option<u64>,
}

/// In the order of [`NETWORK_KINDS`].
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub(super) enum NetworkKind {
    Complete,
    ErdosRenyi,
    WattsStrogatz,
    BarabasiAlbert,
    Communities,
    EdgeList,
}

/// `[network]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNetwork {
    pub kind: NetworkKind,
    pub per_replicate: Option<bool>,
    pub order: Option<RawOrder>,
    pub mean_degree: Option<f64>,
    pub k: Option<u32>,
    pub rewire: Option<f64>,
    pub m: Option<u32>,
    pub count: Option<u32>,
    pub mixing: Option<f64>,
    pub size_distribution: Option<SizeDistribution>,
    pub size_exponent: Option<f64>,
    pub path: Option<String>,
    pub directed: Option<bool>,
    pub weights: Option<bool>,
    pub nodes: Option<String>,
}

/// The values of `network.order`.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(super) enum RawOrder {
    None,
    Bfs,
    Rcm,
}

/// The values of `network.size_distribution`.
#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub(super) enum SizeDistribution {
    Equal,
    PowerLaw,
}

/// In the order of [`MODEL_KINDS`].
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub(super) enum ModelKind {
    Bass,
    IndependentCascade,
    LinearThreshold,
    Marketing,
}

/// `[model]` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawModel {
    pub kind: ModelKind,
    pub p: Option<f64>,
    pub q: Option<f64>,
    pub probability: Option<f64>,
    pub seeds: Option<u32>,
    pub seeding: Option<Seeding>,
}

impl NetworkKind {
    /// The name a scenario file uses.
    pub(super) fn name(self) -> &'static str {
        NETWORK_KINDS[self as usize].0
    }
}

impl ModelKind {
    /// The name a scenario file uses.
    pub(super) fn name(self) -> &'static str {
        MODEL_KINDS[self as usize].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::keys::{CLASSIC_TABLES, expectation, join, keys_of, names_of};

    const MINIMAL: &str = "ticks = 3\n[population]\nsize = 10\n[network]\nkind = \"complete\"\n\
                           [model]\nkind = \"independent_cascade\"\nprobability = 0.5\n";

    #[test]
    fn kind_names_match_the_serde_names() {
        #[derive(Deserialize)]
        struct One<T> {
            v: T,
        }
        for (i, (name, _)) in NETWORK_KINDS.iter().enumerate() {
            let k: One<NetworkKind> = toml::from_str(&format!("v = \"{name}\"")).unwrap();
            assert_eq!((k.v as usize, k.v.name()), (i, *name));
        }
        for (i, (name, _)) in MODEL_KINDS.iter().enumerate() {
            let k: One<ModelKind> = toml::from_str(&format!("v = \"{name}\"")).unwrap();
            assert_eq!((k.v as usize, k.v.name()), (i, *name));
        }
        for name in names_of("model.seeding").unwrap() {
            assert!(toml::from_str::<One<Seeding>>(&format!("v = \"{name}\"")).is_ok());
        }
        for name in names_of("network.size_distribution").unwrap() {
            assert!(toml::from_str::<One<SizeDistribution>>(&format!("v = \"{name}\"")).is_ok());
        }
    }

    #[test]
    fn catalogue_tables_match_the_raw_structs_and_every_key_has_an_expectation() {
        for table in CLASSIC_TABLES {
            let keys = keys_of(table);
            // serde lists a table's fields in its unknown-field message.
            let text = if table.is_empty() {
                format!("zzz = 1\n{MINIMAL}")
            } else {
                MINIMAL.replace(&format!("[{table}]\n"), &format!("[{table}]\nzzz = 1\n"))
            };
            let doc = toml::de::Deserializer::parse(&text).unwrap();
            let message = serde_path_to_error::deserialize::<_, RawScenario>(doc)
                .err()
                .unwrap()
                .inner()
                .message()
                .to_string();
            let listed: Vec<&str> = message.split('`').skip(3).step_by(2).collect();
            assert_eq!(listed, keys, "{message}");
            for key in &keys {
                assert!(expectation(&join(table, key)).is_some(), "{table}.{key}");
            }
        }
    }
}
