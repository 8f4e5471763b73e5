//! Parameter sweeps declared in a scenario's `[sweep]` table: which keys vary, over
//! which values (a grid) or ranges (a Latin hypercube).

use super::Violation;
use super::keys;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How sweep points are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum SweepKind {
    /// Every combination of the listed values.
    #[default]
    Grid,
    /// `samples` points spread over the ranges by Latin hypercube sampling.
    LatinHypercube,
}

/// The `[sweep]` table as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSweep {
    pub kind: Option<SweepKind>,
    pub samples: Option<u32>,
    pub seed: Option<u64>,
    pub parameters: BTreeMap<String, toml::Value>,
}

/// A validated sweep.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepSpec {
    /// Grid or Latin hypercube.
    pub kind: SweepKind,
    /// Number of Latin-hypercube points (unused for a grid).
    pub samples: u32,
    /// Seed of the Latin-hypercube sampling.
    pub seed: u64,
    /// The swept keys, by dotted path, in the order of the file.
    pub parameters: Vec<SweepParameter>,
}

/// One swept key.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepParameter {
    /// Dotted key path, e.g. `strategy.community.advocates.count`.
    pub key: String,
    /// Its values (grid) or its `[low, high]` range (Latin hypercube).
    pub values: Vec<toml::Value>,
}

/// A problem with a sweep key, allowing what its catalogue entry allows.
fn violation(key: &str, problem: &str) -> Violation {
    let allowed = keys::find(key).map_or_else(String::new, keys::Key::allowed);
    Violation::new(key, problem, allowed)
}

impl SweepSpec {
    /// Validates the raw table.
    pub(super) fn resolve(
        raw: RawSweep,
        default_seed: u64,
        order: &[String],
    ) -> Result<SweepSpec, Violation> {
        let kind = raw.kind.unwrap_or_default();
        if raw.parameters.is_empty() {
            return Err(violation(
                "sweep.parameters",
                "the sweep varies no parameter",
            ));
        }
        let samples = match (kind, raw.samples) {
            (SweepKind::LatinHypercube, None | Some(0)) => {
                return Err(violation(
                    "sweep.samples",
                    "a Latin hypercube needs a number of samples",
                ));
            }
            (SweepKind::Grid, Some(_)) => {
                return Err(Violation::new(
                    "sweep.samples",
                    "samples only applies to kind = \"latin_hypercube\"",
                    "remove it, or set kind = \"latin_hypercube\"",
                ));
            }
            (_, s) => s.unwrap_or(0),
        };
        let mut parameters = Vec::new();
        // Keep the order in which the file lists the keys.
        let mut keys: Vec<&String> = raw.parameters.keys().collect();
        keys.sort_by_key(|k| order.iter().position(|o| o == *k).unwrap_or(usize::MAX));
        for key in keys {
            let value = &raw.parameters[key];
            let at = format!("sweep.parameters.{key}");
            let toml::Value::Array(values) = value else {
                return Err(Violation::new(
                    at,
                    "a swept parameter needs a list",
                    "a list of values (grid) or [low, high] (latin_hypercube)",
                ));
            };
            match kind {
                SweepKind::Grid if values.is_empty() => {
                    return Err(Violation::new(
                        at,
                        "the list of values is empty",
                        "one value or more",
                    ));
                }
                SweepKind::LatinHypercube => {
                    let bounds: Vec<f64> = values
                        .iter()
                        .filter_map(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
                        .collect();
                    if values.len() != 2 || bounds.len() != 2 || bounds[0] > bounds[1] {
                        return Err(Violation::new(
                            at,
                            "a Latin-hypercube parameter needs a [low, high] range",
                            "two numbers, low ≤ high (whole numbers give whole-number samples)",
                        ));
                    }
                }
                SweepKind::Grid => {}
            }
            parameters.push(SweepParameter {
                key: key.clone(),
                values: values.clone(),
            });
        }
        Ok(SweepSpec {
            kind,
            samples,
            seed: raw.seed.unwrap_or(default_seed),
            parameters,
        })
    }

    /// Number of points.
    pub fn points(&self) -> usize {
        match self.kind {
            SweepKind::Grid => self.parameters.iter().map(|p| p.values.len()).product(),
            SweepKind::LatinHypercube => self.samples as usize,
        }
    }
}
