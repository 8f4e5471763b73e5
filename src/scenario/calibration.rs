//! The `[calibration]` table of `murmur calibrate` (docs/MODEL.md §4.17): the observed
//! data file, the columns to fit, the parameters with their uniform priors, and the
//! settings of approximate Bayesian computation by sequential Monte Carlo (ABC-SMC).
//! The data file itself is read by the command ([`crate::calibration`]), which knows
//! the model's time-series columns.

use super::Violation;
use super::uncertainty::UncertainParameter;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the posterior is approximated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Population Monte Carlo ABC (Beaumont et al. 2009; Toni et al. 2009).
    #[default]
    AbcSmc,
}

impl Method {
    /// The name the table uses.
    pub fn name(self) -> &'static str {
        match self {
            Method::AbcSmc => "abc_smc",
        }
    }
}

/// The `[calibration]` table as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCalibration {
    pub data: Option<String>,
    pub fit: Option<Vec<String>>,
    pub method: Option<Method>,
    pub particles: Option<u32>,
    pub generations: Option<u32>,
    pub quantile: Option<f64>,
    pub min_acceptance: Option<f64>,
    pub replicates: Option<u32>,
    pub seed: Option<u64>,
    pub parameters: Option<BTreeMap<String, toml::Value>>,
}

/// A validated `[calibration]` table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalibrationSpec {
    /// The observed data file as written (relative to the scenario file's folder);
    /// `--data` overrides it.
    pub data: Option<String>,
    /// The columns to fit; empty means every time-series column of the data file.
    pub fit: Vec<String>,
    /// The method (only ABC-SMC for now).
    pub method: Method,
    /// Accepted particles per generation (N).
    pub particles: u32,
    /// Generations after the prior's (generation 0).
    pub generations: u32,
    /// Each generation's tolerance is this quantile of the previous one's distances.
    pub quantile: f64,
    /// A generation whose acceptance rate falls below this is the last.
    pub min_acceptance: f64,
    /// Replicates per particle, whose mean series is compared with the data.
    pub replicates: u32,
    /// Seed of the proposals, perturbations and predictive draws (every simulation
    /// keeps the scenario's seed: common random numbers).
    pub seed: u64,
    /// The fitted parameters with their uniform priors, in the file's order.
    pub parameters: Vec<UncertainParameter>,
}

/// Default particles per generation (Toni et al. 2009 use 1,000; 200 keeps a
/// calibration to minutes; an assumption).
pub const PARTICLES: u32 = 200;
/// Default generations after the prior's (an assumption; Toni et al. 2009 use 5).
pub const GENERATIONS: u32 = 6;
/// Default tolerance quantile (Beaumont et al. 2009 and Del Moral, Doucet & Jasra 2012
/// use the median of the previous distances).
pub const QUANTILE: f64 = 0.5;
/// Default minimum acceptance rate (an assumption: below 2% a generation costs fifty
/// simulations per particle).
pub const MIN_ACCEPTANCE: f64 = 0.02;
/// Default replicates per particle (an assumption: common random numbers make one
/// replicate the same realisation at every parameter value).
pub const REPLICATES: u32 = 1;

impl CalibrationSpec {
    /// Validates the raw table; `order` lists the parameter keys as the file does.
    pub(super) fn resolve(
        raw: RawCalibration,
        default_seed: u64,
        order: &[String],
    ) -> Result<CalibrationSpec, Violation> {
        let whole = |key: &str, v: Option<u32>, min: u32, words: &str| match v {
            Some(x) if x < min => Err(Violation::new(
                format!("calibration.{key}"),
                format!("{x} is too few"),
                words.to_string(),
            )),
            _ => Ok(()),
        };
        whole(
            "particles",
            raw.particles,
            2,
            "a whole number of particles, 2 or more (hundreds for a posterior)",
        )?;
        whole(
            "generations",
            raw.generations,
            1,
            "a whole number of generations, 1 or more",
        )?;
        whole(
            "replicates",
            raw.replicates,
            1,
            "a whole number of replicates per particle, 1 or more",
        )?;
        if raw.quantile.is_some_and(|q| !(q > 0.0 && q < 1.0)) {
            return Err(Violation::new(
                "calibration.quantile",
                "the tolerance quantile must lie strictly between 0 and 1",
                "a number in (0, 1), e.g. 0.5",
            ));
        }
        if raw.min_acceptance.is_some_and(|q| !(0.0..1.0).contains(&q)) {
            return Err(Violation::new(
                "calibration.min_acceptance",
                "the minimum acceptance rate must lie in [0, 1)",
                "a number in [0, 1), e.g. 0.02",
            ));
        }
        if raw.parameters.as_ref().is_none_or(BTreeMap::is_empty) {
            return Err(Violation::new(
                "calibration.parameters",
                "a calibration needs at least one parameter to fit",
                "\"key.path\" = [low, high] entries, e.g. \"model.p\" = [0.0005, 0.02]",
            ));
        }
        if raw.fit.as_ref().is_some_and(Vec::is_empty) {
            return Err(Violation::new(
                "calibration.fit",
                "no column to fit",
                "a list of the data file's column names, e.g. [\"customers\"], or leave it out to fit them all",
            ));
        }
        // The parameters read and check exactly as an [uncertainty] table's do.
        let parameters =
            super::uncertainty::parameters_of("calibration", raw.parameters, default_seed, order)?;
        Ok(CalibrationSpec {
            data: raw.data,
            fit: raw.fit.unwrap_or_default(),
            method: raw.method.unwrap_or_default(),
            particles: raw.particles.unwrap_or(PARTICLES),
            generations: raw.generations.unwrap_or(GENERATIONS),
            quantile: raw.quantile.unwrap_or(QUANTILE),
            min_acceptance: raw.min_acceptance.unwrap_or(MIN_ACCEPTANCE),
            replicates: raw.replicates.unwrap_or(REPLICATES),
            seed: raw.seed.unwrap_or(default_seed),
            parameters,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(parameters: &[(&str, [f64; 2])]) -> RawCalibration {
        RawCalibration {
            data: Some("d.csv".into()),
            fit: None,
            method: None,
            particles: None,
            generations: None,
            quantile: None,
            min_acceptance: None,
            replicates: None,
            seed: None,
            parameters: Some(
                parameters
                    .iter()
                    .map(|(k, r)| {
                        (
                            k.to_string(),
                            toml::Value::Array(vec![r[0].into(), r[1].into()]),
                        )
                    })
                    .collect(),
            ),
        }
    }

    #[test]
    fn defaults_fill_in_and_ranges_check_like_an_uncertainty_tables() {
        let ok = CalibrationSpec::resolve(raw(&[("model.p", [0.001, 0.01])]), 9, &[]).unwrap();
        assert_eq!(
            (ok.particles, ok.generations, ok.seed),
            (PARTICLES, GENERATIONS, 9)
        );
        assert_eq!(ok.parameters[0].key, "model.p");
        let e = CalibrationSpec::resolve(raw(&[("model.p", [0.01, 0.001])]), 1, &[]).unwrap_err();
        assert_eq!(e.key, "calibration.parameters.model.p");
        assert!(e.allowed.contains("low ≤ high"), "{}", e.allowed);
        let e = CalibrationSpec::resolve(raw(&[]), 1, &[]).unwrap_err();
        assert_eq!(e.key, "calibration.parameters");
        let mut bad = raw(&[("model.p", [0.001, 0.01])]);
        bad.quantile = Some(1.0);
        let e = CalibrationSpec::resolve(bad, 1, &[]).unwrap_err();
        assert_eq!(e.key, "calibration.quantile");
    }
}
