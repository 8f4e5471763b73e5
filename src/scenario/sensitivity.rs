//! The `[sensitivity]` table of `murmur sensitivity` (docs/MODEL.md §4.16): the method
//! (Sobol' indices or Morris screening), the base sample size, and the parameters with
//! their ranges; without parameters, the key catalogue's plausible ranges (the
//! defaults of a robustness check, [`super::uncertainty::default_parameters`]).

use super::Violation;
use super::uncertainty::UncertainParameter;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How sensitivity is estimated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Sobol' first-order and total indices (Saltelli sampling, Jansen estimators);
    /// N·(k + 2) runs.
    #[default]
    Sobol,
    /// Morris elementary effects (μ*, σ) for cheap screening; N·(k + 1) runs.
    Morris,
}

impl Method {
    /// The name the table uses.
    pub fn name(self) -> &'static str {
        match self {
            Method::Sobol => "sobol",
            Method::Morris => "morris",
        }
    }
}

/// The `[sensitivity]` table as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSensitivity {
    pub method: Option<Method>,
    pub samples: Option<u32>,
    pub levels: Option<u32>,
    pub seed: Option<u64>,
    pub parameters: Option<BTreeMap<String, toml::Value>>,
}

/// A validated `[sensitivity]` table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SensitivitySpec {
    /// Sobol' or Morris.
    pub method: Method,
    /// Base sample size N (Sobol') or number of trajectories r (Morris).
    pub samples: u32,
    /// Levels of the Morris grid (p).
    pub levels: u32,
    /// Seed of the design (the runs keep the scenario's seed: common random numbers).
    pub seed: u64,
    /// The parameters, in the file's order; empty means the defaults.
    pub parameters: Vec<UncertainParameter>,
}

/// Default base sample size.
pub const SAMPLES: u32 = 64;
/// Default Morris levels.
pub const LEVELS: u32 = 4;

impl SensitivitySpec {
    /// Validates the raw table; `order` lists the parameter keys as the file does.
    pub(super) fn resolve(
        raw: RawSensitivity,
        default_seed: u64,
        order: &[String],
    ) -> Result<SensitivitySpec, Violation> {
        if raw.samples == Some(0) {
            return Err(Violation::new(
                "sensitivity.samples",
                "zero samples",
                "a whole number of base samples, 1 or more (Sobol' indices need tens to hundreds)",
            ));
        }
        if raw.levels.is_some_and(|l| l < 2 || l % 2 == 1) {
            return Err(Violation::new(
                "sensitivity.levels",
                "Morris levels must be an even number, 2 or more",
                "an even whole number, e.g. 4",
            ));
        }
        // The parameters read and check exactly as an [uncertainty] table's do.
        let parameters =
            super::uncertainty::parameters_of("sensitivity", raw.parameters, default_seed, order)?;
        Ok(SensitivitySpec {
            method: raw.method.unwrap_or_default(),
            samples: raw.samples.unwrap_or(SAMPLES),
            levels: raw.levels.unwrap_or(LEVELS),
            seed: raw.seed.unwrap_or(default_seed),
            parameters,
        })
    }

    /// The parameters analysed: the table's, or the defaults when it names none.
    pub fn parameters_or_default(&self) -> Vec<UncertainParameter> {
        if self.parameters.is_empty() {
            super::uncertainty::default_parameters()
        } else {
            self.parameters.clone()
        }
    }
}

impl Default for SensitivitySpec {
    /// Sobol' with the default sample size, over the default parameters.
    fn default() -> Self {
        SensitivitySpec {
            method: Method::Sobol,
            samples: SAMPLES,
            levels: LEVELS,
            seed: 1,
            parameters: Vec::new(),
        }
    }
}
