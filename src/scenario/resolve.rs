//! Resolution of the file-facing form ([`raw`](super::raw)) into the validated
//! [`Scenario`]: defaults filled in, every range checked against the catalogue in
//! `keys`, keys that do not apply to the chosen kind refused. Messages for text that
//! does not parse are `diagnose`'s.

use super::Violation;
use super::calibration::{CalibrationSpec, RawCalibration};
use super::diagnose::{allowed_for, serde_error, syntax_error};
use super::error::closest;
use super::keys::{self, MODEL_KINDS, Value, parent, quoted_names};
use super::marketing::{Market, MarketingSpec, Phase, Strategy};
use super::optimise::{Context, OptimiseSpec, RawOptimise};
use super::raw::{ModelKind, RawModel, RawScenario};
use super::sensitivity::{RawSensitivity, SensitivitySpec};
use super::spans::Spans;
use super::sweep::{RawSweep, SweepSpec};
use super::uncertainty::{RawUncertainty, UncertaintySpec};
use super::{ModelSpec, NetworkSpec, Population, Scenario, ScenarioError, Seeding};
use std::path::Path;

mod network;

/// Parses and resolves scenario text.
pub(super) fn parse(text: &str, file: &Path) -> Result<Scenario, ScenarioError> {
    let spans = Spans::new(text);
    let doc = toml::de::Deserializer::parse(text).map_err(|e| syntax_error(&e, file, &spans))?;
    let raw: RawScenario =
        serde_path_to_error::deserialize(doc).map_err(|e| serde_error(&e, file, &spans))?;
    Resolver {
        file,
        spans: &spans,
    }
    .resolve(raw)
}

/// Resolves the raw form into a [`Scenario`], checking every range.
struct Resolver<'a> {
    file: &'a Path,
    spans: &'a Spans<'a>,
}

impl Resolver<'_> {
    fn error(&self, key: &str, problem: impl Into<String>, allowed: &str) -> ScenarioError {
        ScenarioError::new(self.file, problem)
            .with_key(key)
            .at_line(self.spans.line_of_key(key))
            .allowing(allowed)
    }

    /// A required key that is absent; the line is that of its table, if present.
    fn missing(&self, key: &str) -> ScenarioError {
        ScenarioError::new(self.file, format!("required key `{key}` is missing"))
            .with_key(key)
            .at_line(self.spans.line_of_key(parent(key)))
            .allowing(allowed_for(key))
    }

    fn required<T>(&self, value: Option<T>, key: &str) -> Result<T, ScenarioError> {
        value.ok_or_else(|| self.missing(key))
    }

    /// A probability key's value, checked against its range in the catalogue.
    fn probability(&self, value: f64, key: &str) -> Result<f64, ScenarioError> {
        let entry = keys::find(key).unwrap_or_else(|| panic!("{key} is not in the catalogue"));
        let Value::Number { lo, hi } = entry.value else {
            panic!("{key} is not a number in the catalogue");
        };
        if (lo..=hi).contains(&value) {
            Ok(value)
        } else {
            Err(self.error(
                key,
                format!("{value} is not a probability"),
                &entry.allowed(),
            ))
        }
    }

    /// Rejects keys that were given but do not belong to the chosen kind.
    fn only(
        &self,
        table: &str,
        kind: &str,
        given: &[(&str, bool)],
        kinds: &[(&str, &[&str])],
        common: &[&str],
    ) -> Result<(), ScenarioError> {
        let takes = |k: &str, name: &str| {
            common.contains(&name)
                || kinds
                    .iter()
                    .any(|(n, keys)| *n == k && keys.contains(&name))
        };
        let Some((name, _)) = given
            .iter()
            .find(|(name, present)| *present && !takes(kind, name))
        else {
            return Ok(());
        };
        let key = format!("{table}.{name}");
        let users: Vec<&str> = kinds
            .iter()
            .filter(|(k, _)| takes(k, name))
            .map(|(k, _)| *k)
            .collect();
        let mut allowed: Vec<&str> = common.to_vec();
        allowed.extend(
            kinds
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(&[][..], |k| k.1),
        );
        let mut err = self.error(
            &key,
            format!(
                "`{name}` does not apply to {table} kind = \"{kind}\" (it is a setting of kind = {})",
                quoted_names(users)
            ),
            &format!("for kind = \"{kind}\": {}", allowed.join(", ")),
        );
        err.suggestion = closest(name, allowed.iter().copied()).map(str::to_owned);
        Err(err)
    }

    fn resolve(&self, raw: RawScenario) -> Result<Scenario, ScenarioError> {
        let name = self.name(raw.name)?;
        if raw.ticks == 0 {
            return Err(self.error("ticks", "ticks must be at least 1", &allowed_for("ticks")));
        }
        let replicates = raw.replicates.unwrap_or(1);
        if replicates == 0 {
            return Err(self.error(
                "replicates",
                "replicates must be at least 1",
                &allowed_for("replicates"),
            ));
        }
        let size_given = match raw.population.and_then(|p| p.size) {
            Some(0) => {
                return Err(self.error(
                    "population.size",
                    "the population is empty (size = 0)",
                    &allowed_for("population.size"),
                ));
            }
            Some(s) if s > u64::from(u32::MAX) => {
                return Err(self.error(
                    "population.size",
                    format!("{s} agents is more than agent ids can hold"),
                    &allowed_for("population.size"),
                ));
            }
            s => s,
        };
        let network = self.network(raw.network)?;
        // An edge list's size is the file's; it is filled in once the file is read
        // (0 until then), and a size given here must match it.
        let size = match (&network.spec, size_given) {
            (NetworkSpec::EdgeList { .. }, s) => s.unwrap_or(0) as usize,
            (_, Some(s)) => s as usize,
            (_, None) => return Err(self.missing("population.size")),
        };
        self.check_network_fits(&network.spec, size)?;
        let mut model = self.model(raw.model, size)?;
        self.marketing(&mut model, raw.market, raw.strategy, raw.phase, raw.ticks)?;
        let sweep = self.sweep(raw.sweep, raw.seed.unwrap_or(1))?;
        let uncertainty = self.uncertainty(raw.uncertainty, raw.seed.unwrap_or(1))?;
        let sensitivity = self.sensitivity(raw.sensitivity, raw.seed.unwrap_or(1))?;
        let calibration = self.calibration(raw.calibration, raw.seed.unwrap_or(1))?;
        let optimise = self.optimise(raw.optimise, &model, raw.ticks)?;
        Ok(Scenario {
            sweep,
            uncertainty,
            sensitivity,
            calibration,
            optimise,
            set: Vec::new(),
            name,
            ticks: raw.ticks,
            seed: raw.seed.unwrap_or(1),
            replicates,
            population: Population { size },
            network,
            model,
        })
    }

    /// The scenario's name: as given, on one line, or the file's stem.
    fn name(&self, given: Option<String>) -> Result<String, ScenarioError> {
        Ok(match given {
            Some(n) if n.trim().is_empty() => {
                return Err(self.error("name", "the name is empty", &allowed_for("name")));
            }
            Some(n) if n.chars().any(char::is_control) => {
                return Err(self.error(
                    "name",
                    "the name contains a line break or other control character",
                    "text on one line, in quotes",
                ));
            }
            Some(n) => n,
            None => self
                .file
                .file_stem()
                .map_or("scenario".into(), |s| s.to_string_lossy().into_owned()),
        })
    }

    /// Fills the marketing model's tables in and checks them; refuses them for
    /// another model.
    fn marketing(
        &self,
        model: &mut ModelSpec,
        market: Option<Market>,
        strategy: Option<Strategy>,
        phase: Option<Vec<Phase>>,
        ticks: u32,
    ) -> Result<(), ScenarioError> {
        let marketing_tables = [
            ("market", market.is_some()),
            ("strategy", strategy.is_some()),
            ("phase", phase.is_some()),
        ];
        if let ModelSpec::Marketing(spec) = model {
            spec.market = market.unwrap_or_default();
            spec.strategy = strategy.unwrap_or_default();
            spec.phases = phase.unwrap_or_default();
            if let Some(v) = spec.check(ticks) {
                return Err(self.error(&v.key, v.problem, &v.allowed));
            }
        } else if let Some((table, _)) = marketing_tables.iter().find(|(_, given)| *given) {
            return Err(self.error(
                table,
                format!("[{table}] only applies to the marketing model"),
                "model kind = \"marketing\", or remove the table",
            ));
        }
        Ok(())
    }

    /// A problem with a key of the table `table` (`[sweep]`, `[uncertainty]`, ...): at
    /// the key's line, or the table's when the key is not written there.
    fn table_violation(&self, v: Violation, table: &str) -> ScenarioError {
        let mut e = self.error(&v.key, v.problem, &v.allowed);
        if e.line.is_none() {
            e.line = self.spans.line_of_key(table);
        }
        e
    }

    /// The sweep, if the file declares one; `seed` is the scenario's.
    fn sweep(&self, raw: Option<RawSweep>, seed: u64) -> Result<Option<SweepSpec>, ScenarioError> {
        Ok(match raw {
            None => None,
            Some(sw) => {
                // The swept keys in the order the file lists them.
                let order: Vec<String> = self.spans.keys_of("sweep.parameters").unwrap_or_default();
                Some(
                    SweepSpec::resolve(sw, seed, &order)
                        .map_err(|v| self.table_violation(v, "sweep"))?,
                )
            }
        })
    }

    /// The `[uncertainty]` table, if the file declares one; `seed` is the scenario's.
    fn uncertainty(
        &self,
        raw: Option<RawUncertainty>,
        seed: u64,
    ) -> Result<Option<UncertaintySpec>, ScenarioError> {
        let Some(raw) = raw else { return Ok(None) };
        let order: Vec<String> = self
            .spans
            .keys_of("uncertainty.parameters")
            .unwrap_or_default();
        UncertaintySpec::resolve(raw, seed, &order)
            .map(Some)
            .map_err(|v| self.table_violation(v, "uncertainty"))
    }

    /// The `[sensitivity]` table, if the file declares one; `seed` is the scenario's.
    fn sensitivity(
        &self,
        raw: Option<RawSensitivity>,
        seed: u64,
    ) -> Result<Option<SensitivitySpec>, ScenarioError> {
        let Some(raw) = raw else { return Ok(None) };
        let order: Vec<String> = self
            .spans
            .keys_of("sensitivity.parameters")
            .unwrap_or_default();
        SensitivitySpec::resolve(raw, seed, &order)
            .map(Some)
            .map_err(|v| self.table_violation(v, "sensitivity"))
    }

    /// The `[calibration]` table, if the file declares one; `seed` is the scenario's.
    fn calibration(
        &self,
        raw: Option<RawCalibration>,
        seed: u64,
    ) -> Result<Option<CalibrationSpec>, ScenarioError> {
        let Some(raw) = raw else { return Ok(None) };
        let order: Vec<String> = self
            .spans
            .keys_of("calibration.parameters")
            .unwrap_or_default();
        CalibrationSpec::resolve(raw, seed, &order)
            .map(Some)
            .map_err(|v| self.table_violation(v, "calibration"))
    }

    /// The `[optimise]` table, if the file declares one: only for the marketing model.
    fn optimise(
        &self,
        raw: Option<RawOptimise>,
        model: &ModelSpec,
        ticks: u32,
    ) -> Result<Option<OptimiseSpec>, ScenarioError> {
        let Some(raw) = raw else {
            return Ok(None);
        };
        let ModelSpec::Marketing(spec) = model else {
            return Err(self.error(
                "optimise",
                "[optimise] only applies to the marketing model",
                "model kind = \"marketing\", or remove the table",
            ));
        };
        let s = &spec.strategy;
        let context = Context {
            ticks,
            budget: s.budget,
            share: s.social_share(),
            both: s.social_media.is_some() && s.community.is_some(),
            phases: !spec.phases.is_empty(),
        };
        OptimiseSpec::resolve(raw, &context)
            .map(Some)
            .map_err(|v| self.table_violation(v, "optimise"))
    }

    fn model(&self, m: RawModel, size: usize) -> Result<ModelSpec, ScenarioError> {
        let given = [
            ("p", m.p.is_some()),
            ("q", m.q.is_some()),
            ("probability", m.probability.is_some()),
            ("seeds", m.seeds.is_some()),
            ("seeding", m.seeding.is_some()),
        ];
        self.only("model", m.kind.name(), &given, &MODEL_KINDS, &["kind"])?;
        let seeds = || -> Result<u32, ScenarioError> {
            let seeds = m.seeds.unwrap_or(1);
            // An edge list's size is not known yet; it is checked once the file is read.
            if seeds == 0 || (size > 0 && seeds as usize > size) {
                return Err(self.error(
                    "model.seeds",
                    format!("{seeds} seeds cannot be chosen from {size} agents"),
                    &allowed_for("model.seeds"),
                ));
            }
            Ok(seeds)
        };
        Ok(match m.kind {
            ModelKind::Bass => {
                let p = self.required(m.p, "model.p")?;
                let q = self.required(m.q, "model.q")?;
                let (p, q) = (
                    self.probability(p, "model.p")?,
                    self.probability(q, "model.q")?,
                );
                if p + q > 1.0 {
                    return Err(self.error(
                        "model.q",
                        format!(
                            "p + q = {} exceeds 1, so the adoption probability could too",
                            p + q
                        ),
                        "p and q from 0 to 1 with p + q ≤ 1",
                    ));
                }
                ModelSpec::Bass { p, q }
            }
            ModelKind::IndependentCascade => {
                let probability = self.required(m.probability, "model.probability")?;
                ModelSpec::IndependentCascade {
                    probability: self.probability(probability, "model.probability")?,
                    seeds: seeds()?,
                    seeding: m.seeding.unwrap_or(Seeding::Random),
                }
            }
            ModelKind::LinearThreshold => ModelSpec::LinearThreshold {
                seeds: seeds()?,
                seeding: m.seeding.unwrap_or(Seeding::Random),
            },
            ModelKind::Marketing => ModelSpec::Marketing(Box::new(MarketingSpec {
                market: Market::default(),
                strategy: Strategy::default(),
                phases: Vec::new(),
            })),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "ticks = 3\n[population]\nsize = 10\n[network]\nkind = \"complete\"\n\
                           [model]\nkind = \"independent_cascade\"\nprobability = 0.5\n";

    fn parse_at(text: &str) -> Result<Scenario, ScenarioError> {
        parse(text, Path::new("some/dir/launch.toml"))
    }

    #[test]
    fn defaults_are_filled_in() {
        let s = parse_at(MINIMAL).unwrap();
        assert_eq!(s.name, "launch");
        assert_eq!(s.seed, 1);
        assert_eq!(s.replicates, 1);
        assert!(!s.network.per_replicate);
        assert_eq!(
            s.model,
            ModelSpec::IndependentCascade {
                probability: 0.5,
                seeds: 1,
                seeding: Seeding::Random
            }
        );
    }
}
