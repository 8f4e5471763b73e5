//! The file-facing form of a scenario, one field per TOML key, and its resolution
//! into the validated [`Scenario`].

use super::error::closest;
use super::{
    CommunitySizes, ModelSpec, NetworkSection, NetworkSpec, Population, Scenario, ScenarioError,
    Seeding,
};
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    name: Option<String>,
    ticks: u32,
    seed: Option<u64>,
    replicates: Option<u32>,
    population: Option<RawPopulation>,
    network: RawNetwork,
    model: RawModel,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPopulation {
    size: Option<u64>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
enum NetworkKind {
    Complete,
    ErdosRenyi,
    WattsStrogatz,
    BarabasiAlbert,
    Communities,
    EdgeList,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNetwork {
    kind: NetworkKind,
    per_replicate: Option<bool>,
    mean_degree: Option<f64>,
    k: Option<u32>,
    rewire: Option<f64>,
    m: Option<u32>,
    count: Option<u32>,
    mixing: Option<f64>,
    size_distribution: Option<SizeDistribution>,
    size_exponent: Option<f64>,
    path: Option<String>,
    directed: Option<bool>,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum SizeDistribution {
    Equal,
    PowerLaw,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
enum ModelKind {
    Bass,
    IndependentCascade,
    LinearThreshold,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModel {
    kind: ModelKind,
    p: Option<f64>,
    q: Option<f64>,
    probability: Option<f64>,
    seeds: Option<u32>,
    seeding: Option<Seeding>,
}

/// Parses and resolves scenario text.
pub(super) fn parse(text: &str, file: &Path) -> Result<Scenario, ScenarioError> {
    let spans = Spans::new(text);
    let doc = toml::de::Deserializer::parse(text)
        .map_err(|e| ScenarioError::new(file, e.message()).at_line(spans.line_of(e.span())))?;
    let raw: RawScenario =
        serde_path_to_error::deserialize(doc).map_err(|e| serde_error(e, file, &spans))?;
    Resolver {
        file,
        spans: &spans,
    }
    .resolve(raw)
}

/// Turns a serde error into a scenario error naming the key, line, allowed values
/// and, for an unknown key or value, the closest valid one.
fn serde_error(
    e: serde_path_to_error::Error<toml::de::Error>,
    file: &Path,
    spans: &Spans,
) -> ScenarioError {
    let key = e.path().to_string();
    let inner = e.inner();
    let message = inner.message().trim().to_string();
    let line = spans
        .line_of(inner.span())
        .or_else(|| spans.line_of_key(&key));
    let key = (key != "." && !key.is_empty()).then_some(key);
    let mut err = ScenarioError::new(file, &message).at_line(line);
    if let Some(k) = &key {
        err = err.at_key(k.clone());
    }
    // serde phrases these as "unknown field `x`, expected one of `a`, `b`" (or
    // "expected `a`"), and likewise "unknown variant"; split that into its parts.
    for (prefix, what) in [("unknown field `", "key"), ("unknown variant `", "value")] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let given = rest.split('`').next().unwrap_or_default();
            let allowed: Vec<&str> = rest
                .split_once("expected")
                .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
                .unwrap_or_default();
            err.problem = format!("unknown {what} `{given}`");
            if !allowed.is_empty() {
                err = err
                    .allowing(allowed.join(", "))
                    .suggesting(given, allowed.iter().copied());
            }
            if what == "key" && err.key.is_none() {
                err.key = Some(given.to_string());
            }
            return err;
        }
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        let full = match &key {
            Some(k) => format!("{k}.{field}"),
            None => field.to_string(),
        };
        err.problem = format!("required key `{full}` is missing");
        err.key = Some(full);
        return err;
    }
    err.problem = friendly_types(&message);
    err
}

/// Rewrites Rust type names in serde messages into words a scenario author knows.
fn friendly_types(message: &str) -> String {
    message
        .replace(
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        )
        .replace("expected u64", "expected a non-negative whole number")
        .replace("expected f64", "expected a number")
        .replace("expected a boolean", "expected true or false")
}

/// Maps byte offsets and key paths of the scenario text to line numbers.
struct Spans<'t> {
    text: &'t str,
    table: Option<toml::Spanned<toml::de::DeTable<'t>>>,
}

impl<'t> Spans<'t> {
    fn new(text: &'t str) -> Self {
        Spans {
            text,
            table: toml::de::DeTable::parse(text).ok(),
        }
    }

    fn line_of(&self, span: Option<std::ops::Range<usize>>) -> Option<usize> {
        let start = span?.start.min(self.text.len());
        Some(self.text[..start].matches('\n').count() + 1)
    }

    /// The line of a dotted key path such as `network.mean_degree`.
    fn line_of_key(&self, path: &str) -> Option<usize> {
        let mut table = self.table.as_ref()?.get_ref();
        let mut span = None;
        for part in path.split('.') {
            let (key, value) = table.get_key_value(part)?;
            span = Some(key.span());
            if let toml::de::DeValue::Table(t) = value.get_ref() {
                table = t;
            }
        }
        self.line_of(span)
    }
}

/// Resolves the raw form into a [`Scenario`], checking every range.
struct Resolver<'a> {
    file: &'a Path,
    spans: &'a Spans<'a>,
}

impl Resolver<'_> {
    fn error(&self, key: &str, problem: impl Into<String>, allowed: &str) -> ScenarioError {
        ScenarioError::new(self.file, problem)
            .at_key(key)
            .at_line(self.spans.line_of_key(key))
            .allowing(allowed)
    }

    fn missing(&self, key: &str, allowed: &str) -> ScenarioError {
        let table = key.rsplit_once('.').map_or("", |(t, _)| t);
        ScenarioError::new(self.file, format!("required key `{key}` is missing"))
            .at_key(key)
            .at_line(self.spans.line_of_key(table))
            .allowing(allowed)
    }

    fn required<T>(&self, value: Option<T>, key: &str, allowed: &str) -> Result<T, ScenarioError> {
        value.ok_or_else(|| self.missing(key, allowed))
    }

    fn probability(&self, value: f64, key: &str) -> Result<f64, ScenarioError> {
        if (0.0..=1.0).contains(&value) {
            Ok(value)
        } else {
            Err(self.error(
                key,
                format!("{value} is not a probability"),
                "a number from 0 to 1",
            ))
        }
    }

    /// Rejects keys that were given but do not belong to the chosen kind.
    fn only(
        &self,
        table: &str,
        kind: &str,
        given: &[(&str, bool)],
        allowed: &[&str],
    ) -> Result<(), ScenarioError> {
        if let Some((name, _)) = given
            .iter()
            .find(|(name, present)| *present && !allowed.contains(name))
        {
            let key = format!("{table}.{name}");
            let mut err = self.error(
                &key,
                format!("`{name}` does not apply to {table} kind = \"{kind}\""),
                &format!("for {kind}: kind, {}", allowed.join(", ")),
            );
            err.suggestion = closest(name, allowed.iter().copied()).map(str::to_owned);
            return Err(err);
        }
        Ok(())
    }

    fn resolve(&self, raw: RawScenario) -> Result<Scenario, ScenarioError> {
        let name = match raw.name {
            Some(n) if n.trim().is_empty() => {
                return Err(self.error("name", "the name is empty", "a non-empty string"));
            }
            Some(n) => n,
            None => self
                .file
                .file_stem()
                .map_or("scenario".into(), |s| s.to_string_lossy().into_owned()),
        };
        if raw.ticks == 0 {
            return Err(self.error("ticks", "ticks must be at least 1", "a whole number ≥ 1"));
        }
        let replicates = raw.replicates.unwrap_or(1);
        if replicates == 0 {
            return Err(self.error(
                "replicates",
                "replicates must be at least 1",
                "a whole number ≥ 1",
            ));
        }
        let size_given = raw.population.and_then(|p| p.size);
        let network = self.network(raw.network)?;
        // An edge list's size is the file's; it is filled in once the file is read.
        let size = match (&network.spec, size_given) {
            (NetworkSpec::EdgeList { .. }, s) => s.unwrap_or(0) as usize,
            (_, Some(0)) => {
                return Err(self.error(
                    "population.size",
                    "the population is empty",
                    "a whole number ≥ 1",
                ));
            }
            (_, Some(s)) if s > u32::MAX as u64 => {
                return Err(self.error(
                    "population.size",
                    format!("{s} agents is more than agent ids can hold"),
                    "at most 4294967295",
                ));
            }
            (_, Some(s)) => s as usize,
            (_, None) => return Err(self.missing("population.size", "a whole number ≥ 1")),
        };
        self.check_network_fits(&network.spec, size)?;
        let model = self.model(raw.model, size)?;
        Ok(Scenario {
            name,
            ticks: raw.ticks,
            seed: raw.seed.unwrap_or(1),
            replicates,
            population: Population { size },
            network,
            model,
        })
    }

    fn network(&self, n: RawNetwork) -> Result<NetworkSection, ScenarioError> {
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
        ];
        let (kind, allowed): (&str, &[&str]) = match n.kind {
            NetworkKind::Complete => ("complete", &[]),
            NetworkKind::ErdosRenyi => ("erdos_renyi", &["mean_degree"]),
            NetworkKind::WattsStrogatz => ("watts_strogatz", &["k", "rewire"]),
            NetworkKind::BarabasiAlbert => ("barabasi_albert", &["m"]),
            NetworkKind::Communities => (
                "communities",
                &[
                    "count",
                    "mean_degree",
                    "mixing",
                    "size_distribution",
                    "size_exponent",
                ],
            ),
            NetworkKind::EdgeList => ("edge_list", &["path", "directed"]),
        };
        self.only("network", kind, &given, allowed)?;
        let mean_degree = |s: &Self| -> Result<f64, ScenarioError> {
            let d = s.required(n.mean_degree, "network.mean_degree", "a number ≥ 0")?;
            if !(d.is_finite() && d >= 0.0) {
                return Err(s.error(
                    "network.mean_degree",
                    format!("mean degree {d} is negative or not finite"),
                    "a number ≥ 0 and below the population size",
                ));
            }
            Ok(d)
        };
        let spec = match n.kind {
            NetworkKind::Complete => NetworkSpec::Complete,
            NetworkKind::ErdosRenyi => NetworkSpec::ErdosRenyi {
                mean_degree: mean_degree(self)?,
            },
            NetworkKind::WattsStrogatz => {
                let k = self.required(n.k, "network.k", "an even whole number ≥ 2")?;
                if k < 2 || k % 2 == 1 {
                    return Err(self.error(
                        "network.k",
                        format!("k = {k} is not an even number of ring neighbours"),
                        "an even whole number ≥ 2 and below the population size",
                    ));
                }
                let rewire = self.required(n.rewire, "network.rewire", "a number from 0 to 1")?;
                NetworkSpec::WattsStrogatz {
                    k,
                    rewire: self.probability(rewire, "network.rewire")?,
                }
            }
            NetworkKind::BarabasiAlbert => {
                let m = self.required(n.m, "network.m", "a whole number ≥ 1")?;
                if m == 0 {
                    return Err(self.error(
                        "network.m",
                        "m = 0 adds no ties",
                        "a whole number ≥ 1 and below the population size",
                    ));
                }
                NetworkSpec::BarabasiAlbert { m }
            }
            NetworkKind::Communities => {
                let count = self.required(n.count, "network.count", "a whole number ≥ 1")?;
                if count == 0 {
                    return Err(self.error(
                        "network.count",
                        "there must be at least one community",
                        "a whole number from 1 to the population size",
                    ));
                }
                let mixing = self.required(n.mixing, "network.mixing", "a number from 0 to 1")?;
                let sizes = match n.size_distribution.unwrap_or(SizeDistribution::Equal) {
                    SizeDistribution::Equal => {
                        if n.size_exponent.is_some() {
                            return Err(self.error(
                                "network.size_exponent",
                                "size_exponent only applies with size_distribution = \"power_law\"",
                                "remove it, or set size_distribution = \"power_law\"",
                            ));
                        }
                        CommunitySizes::Equal
                    }
                    SizeDistribution::PowerLaw => {
                        let exponent = n.size_exponent.unwrap_or(2.0);
                        if !(exponent > 1.0 && exponent.is_finite()) {
                            return Err(self.error(
                                "network.size_exponent",
                                format!("exponent {exponent} gives no proper size distribution"),
                                "a number > 1 (LFR benchmarks use 1 to 2; default 2)",
                            ));
                        }
                        CommunitySizes::PowerLaw { exponent }
                    }
                };
                NetworkSpec::Communities {
                    count,
                    mean_degree: mean_degree(self)?,
                    mixing: self.probability(mixing, "network.mixing")?,
                    sizes,
                }
            }
            NetworkKind::EdgeList => {
                let path = self.required(n.path.clone(), "network.path", "a file path")?;
                let base = self.file.parent().unwrap_or(Path::new(""));
                let resolved = base.join(&path);
                if !resolved.is_file() {
                    return Err(self.error(
                        "network.path",
                        format!(
                            "edge-list file {} does not exist (paths are relative to the scenario file's folder)",
                            resolved.display()
                        ),
                        "the path of a readable SNAP-style edge list, optionally .gz",
                    ));
                }
                NetworkSpec::EdgeList {
                    path: resolved,
                    directed: n.directed.unwrap_or(false),
                }
            }
        };
        Ok(NetworkSection {
            spec,
            per_replicate: n.per_replicate.unwrap_or(false),
        })
    }

    /// Checks the network's parameters against the population size.
    fn check_network_fits(&self, spec: &NetworkSpec, size: usize) -> Result<(), ScenarioError> {
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

    fn model(&self, m: RawModel, size: usize) -> Result<ModelSpec, ScenarioError> {
        let given = [
            ("p", m.p.is_some()),
            ("q", m.q.is_some()),
            ("probability", m.probability.is_some()),
            ("seeds", m.seeds.is_some()),
            ("seeding", m.seeding.is_some()),
        ];
        let (kind, allowed): (&str, &[&str]) = match m.kind {
            ModelKind::Bass => ("bass", &["p", "q"]),
            ModelKind::IndependentCascade => {
                ("independent_cascade", &["probability", "seeds", "seeding"])
            }
            ModelKind::LinearThreshold => ("linear_threshold", &["seeds", "seeding"]),
        };
        self.only("model", kind, &given, allowed)?;
        let seeds = || -> Result<u32, ScenarioError> {
            let seeds = m.seeds.unwrap_or(1);
            // An edge list's size is not known yet; the engine checks it once read.
            if seeds == 0 || (size > 0 && seeds as usize > size) {
                return Err(self.error(
                    "model.seeds",
                    format!("{seeds} seeds cannot be chosen from {size} agents"),
                    "a whole number from 1 to the population size",
                ));
            }
            Ok(seeds)
        };
        Ok(match m.kind {
            ModelKind::Bass => {
                let p = self.required(m.p, "model.p", "a number from 0 to 1")?;
                let q = self.required(m.q, "model.q", "a number from 0 to 1")?;
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
                let probability =
                    self.required(m.probability, "model.probability", "a number from 0 to 1")?;
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
        })
    }
}
