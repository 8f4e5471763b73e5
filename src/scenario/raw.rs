//! The file-facing form of a scenario, one field per TOML key, and its resolution
//! into the validated [`Scenario`].
//!
//! Every problem becomes a [`ScenarioError`] naming the key and its line, saying in
//! plain words what the key accepts (never a Rust type name) and, for a misspelt key
//! or value, the closest valid one.

use super::error::closest;
use super::marketing::{Market, MarketingSpec, Phase, Strategy};
use super::sweep::{RawSweep, SweepSpec};
use super::{
    CommunitySizes, ModelSpec, NetworkSection, NetworkSpec, Population, Scenario, ScenarioError,
    Seeding,
};
use serde::Deserialize;
use serde_path_to_error::Segment;
use std::path::Path;
use toml::de::{DeTable, DeValue};

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
    market: Option<Market>,
    strategy: Option<Strategy>,
    phase: Option<Vec<Phase>>,
    sweep: Option<RawSweep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPopulation {
    size: Option<u64>,
}

/// In the order of [`NETWORK_KINDS`].
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

/// In the order of [`MODEL_KINDS`].
#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
enum ModelKind {
    Bass,
    IndependentCascade,
    LinearThreshold,
    Marketing,
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

/// Each network kind and the keys it takes besides [`NETWORK_COMMON`].
const NETWORK_KINDS: [(&str, &[&str]); 6] = [
    ("complete", &[]),
    ("erdos_renyi", &["mean_degree"]),
    ("watts_strogatz", &["k", "rewire"]),
    ("barabasi_albert", &["m"]),
    (
        "communities",
        &[
            "count",
            "mean_degree",
            "mixing",
            "size_distribution",
            "size_exponent",
        ],
    ),
    ("edge_list", &["path", "directed"]),
];

/// The `[network]` keys every kind takes.
const NETWORK_COMMON: &[&str] = &["kind", "per_replicate"];

/// Each model kind and the keys it takes besides `kind`.
const MODEL_KINDS: [(&str, &[&str]); 4] = [
    ("bass", &["p", "q"]),
    ("independent_cascade", &["probability", "seeds", "seeding"]),
    ("linear_threshold", &["seeds", "seeding"]),
    ("marketing", &[]),
];

/// The values of `model.seeding`.
const SEEDINGS: &[&str] = &["random", "degree"];

/// The values of `network.size_distribution`.
const SIZE_DISTRIBUTIONS: &[&str] = &["equal", "power_law"];

/// Every key of every table (`""` is the top level), to point a key written in the
/// wrong table to the right one.
const TABLES: [(&str, &[&str]); 4] = [
    (
        "",
        &[
            "name",
            "ticks",
            "seed",
            "replicates",
            "population",
            "network",
            "model",
            "market",
            "strategy",
            "phase",
            "sweep",
        ],
    ),
    ("population", &["size"]),
    (
        "network",
        &[
            "kind",
            "per_replicate",
            "mean_degree",
            "k",
            "rewire",
            "m",
            "count",
            "mixing",
            "size_distribution",
            "size_exponent",
            "path",
            "directed",
        ],
    ),
    (
        "model",
        &["kind", "p", "q", "probability", "seeds", "seeding"],
    ),
];

impl NetworkKind {
    fn name(self) -> &'static str {
        NETWORK_KINDS[self as usize].0
    }
}

impl ModelKind {
    fn name(self) -> &'static str {
        MODEL_KINDS[self as usize].0
    }
}

/// What sort of TOML value a key takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Shape {
    Whole,
    Number,
    Bool,
    Text,
    Name,
    Table,
}

/// `"a", "b" or "c"`.
fn quoted_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("\"{n}\"")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// The names allowed for a key whose value is one of a fixed set of names.
fn names_of(key: &str) -> Option<Vec<&'static str>> {
    Some(match key {
        "network.kind" => NETWORK_KINDS.iter().map(|k| k.0).collect(),
        "model.kind" => MODEL_KINDS.iter().map(|k| k.0).collect(),
        "model.seeding" => SEEDINGS.to_vec(),
        "network.size_distribution" => SIZE_DISTRIBUTIONS.to_vec(),
        _ => return None,
    })
}

/// What a key takes: the sort of value and, in words, the values allowed.
fn expectation(key: &str) -> Option<(Shape, String)> {
    use Shape::{Bool, Name, Number, Table, Text, Whole};
    const PROBABILITY: &str = "a number from 0 to 1";
    if let Some(names) = names_of(key) {
        return Some((Name, quoted_names(names)));
    }
    let (shape, words): (Shape, &str) = match key {
        "name" => (Text, "text in quotes, e.g. name = \"launch\""),
        "ticks" | "replicates" | "population.size" => {
            (Whole, "a whole number from 1 to 4294967295")
        }
        "seed" => (Whole, "a whole number from 0 to 18446744073709551615"),
        "population" => (
            Table,
            "a [population] table with size = the number of agents",
        ),
        "network" => {
            let kinds = quoted_names(NETWORK_KINDS.iter().map(|k| k.0));
            return Some((Table, format!("a [network] table with kind = {kinds}")));
        }
        "model" => {
            let kinds = quoted_names(MODEL_KINDS.iter().map(|k| k.0));
            return Some((Table, format!("a [model] table with kind = {kinds}")));
        }
        "market" => (
            Table,
            "a [market] table of product and customer parameters (model kind = \"marketing\")",
        ),
        "strategy" => (
            Table,
            "a [strategy] table with [strategy.social_media] and/or [strategy.community]",
        ),
        "phase" => (Table, "[[phase]] entries with start, end and actions"),
        "sweep" => (
            Table,
            "a [sweep] table with kind, samples, seed and [sweep.parameters]",
        ),
        "network.per_replicate" | "network.directed" => (Bool, "true or false"),
        "network.mean_degree" => (Number, "a number from 0 to below the population size"),
        "network.k" => (
            Whole,
            "an even whole number from 2 to below the population size",
        ),
        "network.m" => (Whole, "a whole number from 1 to below the population size"),
        "network.count" => (Whole, "a whole number from 1 to the population size"),
        "network.rewire" | "network.mixing" | "model.p" | "model.q" | "model.probability" => {
            (Number, PROBABILITY)
        }
        "network.size_exponent" => (Number, "a number above 1 (default 2)"),
        "network.path" => (
            Text,
            "the path of an edge-list file in quotes, relative to the scenario file's folder",
        ),
        "model.seeds" => (Whole, "a whole number from 1 to the population size"),
        _ => return None,
    };
    Some((shape, words.to_string()))
}

/// The expectation's words, or a bare fallback for a key without one.
fn allowed_for(key: &str) -> String {
    expectation(key).map_or_else(|| "see the scenario documentation".into(), |(_, w)| w)
}

/// A key's last part: `mean_degree` of `network.mean_degree`.
fn leaf(key: &str) -> &str {
    key.rsplit_once('.').map_or(key, |(_, l)| l)
}

/// The table holding a key: `network` of `network.mean_degree`, `""` at the top.
fn parent(key: &str) -> &str {
    key.rsplit_once('.').map_or("", |(t, _)| t)
}

/// Joins a table and a key into a dotted path.
fn join(table: &str, key: &str) -> String {
    if table.is_empty() {
        key.to_string()
    } else {
        format!("{table}.{key}")
    }
}

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

/// The line of `key` in the scenario `text`, if the text is TOML and holds the key.
pub(super) fn line_of_key(text: &str, key: &str) -> Option<usize> {
    Spans::new(text).line_of_key(key)
}

/// Turns a TOML syntax error into a scenario error naming the line and, where the
/// line reads as `key = ...`, the key.
fn syntax_error(e: &toml::de::Error, file: &Path, spans: &Spans) -> ScenarioError {
    let line = spans.line_of(e.span());
    let message = e.message().trim().trim_end_matches('.');
    let mut err = ScenarioError::new(file, message).at_line(line);
    let key = line.and_then(|l| spans.key_on_line(l));
    if let Some(k) = &key {
        err = err.with_key(k.clone());
    }
    let line_text = line
        .and_then(|l| spans.text.lines().nth(l - 1))
        .map(|t| excerpt(t.trim()))
        .unwrap_or_default();
    let found = e.span().and_then(|s| spans.text.get(s)).unwrap_or_default();
    if message == "duplicate key" {
        let what = match &key {
            Some(k) if line_text.starts_with('[') => format!("the table [{k}]"),
            Some(k) => format!("`{k}`"),
            None => format!("`{found}`"),
        };
        err.problem = format!("{what} is given more than once");
        return err.allowing("each key, and each [table], at most once per file");
    }
    if message.starts_with("string values must be quoted") && !found.is_empty() {
        err.problem = format!("the text `{found}` must be in quotes");
        err = err.allowing("text values in double quotes, e.g. kind = \"bass\"");
        if let Some((lhs, _)) = line_text.split_once('=') {
            err.suggestion = Some(format!("{} = \"{found}\"", lhs.trim()));
        }
        return err;
    }
    err.problem = if line_text.is_empty() {
        format!("the file is not valid TOML ({message})")
    } else {
        format!("`{line_text}` is not valid TOML ({message})")
    };
    err.allowing(
        "one `key = value` per line under its [table], numbers bare and text in \
         double quotes, e.g. ticks = 100 or kind = \"bass\"",
    )
}

/// A line cut to about 80 characters for quoting in a message.
fn excerpt(text: &str) -> String {
    if text.chars().count() <= 80 {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(77).collect();
        cut.push_str("...");
        cut
    }
}

/// Turns a serde error into a scenario error naming the key, line, allowed values
/// and, for an unknown key or value, the closest valid one.
fn serde_error(
    e: &serde_path_to_error::Error<toml::de::Error>,
    file: &Path,
    spans: &Spans,
) -> ScenarioError {
    // The dotted path of the key, list entries by their index (`phase.2.actions`);
    // enum variants are not keys.
    let mut parts = Vec::new();
    for segment in e.path().iter() {
        match segment {
            Segment::Map { key } => parts.push(key.clone()),
            Segment::Seq { index } => parts.push(index.to_string()),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    // A list where one table was wanted (`network = [...]`): the key is what is wrong.
    if matches!(e.path().iter().next_back(), Some(Segment::Seq { .. }))
        && parts.len() > 1
        && matches!(
            expectation(&parts[..parts.len() - 1].join(".")),
            Some((Shape::Table, _))
        )
    {
        parts.pop();
    }
    let key = parts.join(".");
    let inner = e.inner();
    let message = inner.message().trim();
    let line = spans
        .line_of(inner.span())
        .or_else(|| spans.line_of_key(&key));
    let err = ScenarioError::new(file, message).at_line(line);

    if let Some(rest) = message.strip_prefix("unknown field `") {
        let given = rest.split('`').next().unwrap_or_default();
        let key = if leaf(&key) == given {
            key.clone()
        } else {
            join(&key, given)
        };
        let listed: Vec<&str> = rest
            .split_once("expected")
            .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        return unknown_key(err, &key, spans, &listed);
    }
    if let Some(rest) = message.strip_prefix("unknown variant `")
        && matches!(spans.value_at(&key), None | Some(DeValue::String(_)))
    {
        let given = rest.split('`').next().unwrap_or_default();
        let allowed: Vec<&str> = names_of(&key).unwrap_or_else(|| {
            rest.split_once("expected")
                .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
                .unwrap_or_default()
        });
        return unknown_value(err, &key, given, &allowed);
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        let full = join(&key, field);
        let mut err = err.with_key(full.clone()).allowing(allowed_for(&full));
        // The table the key is missing from, or no line for a top-level key.
        err.line = (!key.is_empty()).then(|| spans.line_of_key(&key)).flatten();
        err.problem = match expectation(&full) {
            Some((Shape::Table, _)) => format!("the [{full}] table is missing"),
            _ => format!("required key `{full}` is missing"),
        };
        return err;
    }
    wrong_value(err, &key, spans, message)
}

/// A key that its table does not have.
/// `listed` holds the keys serde names for the table, used for tables that
/// [`TABLES`] does not describe (the marketing model's).
fn unknown_key(err: ScenarioError, key: &str, spans: &Spans, listed: &[&str]) -> ScenarioError {
    let (table, given) = (parent(key), leaf(key));
    let here: &[&str] = TABLES
        .iter()
        .find(|(t, _)| *t == table)
        .map_or(listed, |(_, keys)| *keys);
    let mut err = err
        .with_key(key)
        .at_line(spans.line_of_key(key))
        .suggesting(given, here.iter().copied());
    let place = if table.is_empty() {
        "at the top of the file".to_string()
    } else {
        format!("in [{table}]")
    };
    err.problem = format!("unknown key `{given}` {place}");
    err = err.allowing(here.join(", "));
    if err.suggestion.is_none() {
        // A valid key written in the wrong table, e.g. `ticks` after a [model] header.
        let home = TABLES
            .iter()
            .find(|(t, keys)| *t != table && keys.iter().any(|k| k.eq_ignore_ascii_case(given)));
        if let Some((t, _)) = home {
            let right = join(t, &given.to_ascii_lowercase());
            err.problem = if t.is_empty() {
                format!(
                    "`{given}` belongs at the top of the file, before the first [table] header, not {place}"
                )
            } else {
                format!("`{given}` belongs in the [{t}] table, not {place}")
            };
            // At the top level the key is already spelt right: only its place is wrong.
            err.suggestion = (!t.is_empty()).then_some(right);
        }
    }
    err
}

/// A name that is not one of those a key allows.
fn unknown_value(err: ScenarioError, key: &str, given: &str, allowed: &[&str]) -> ScenarioError {
    let mut err = err
        .with_key(key)
        .allowing(quoted_names(allowed.iter().copied()))
        .suggesting(given, allowed.iter().copied());
    // An entry of a list is named after its list: `phase.1.actions.0` is an action.
    let what = match leaf(key).parse::<usize>() {
        Ok(_) => leaf(parent(key)).trim_end_matches('s'),
        Err(_) => leaf(key),
    };
    err.problem = format!("unknown {} \"{given}\"", what.replace('_', " "));
    // A model kind under [network] or a network kind under [model].
    let other = match key {
        "network.kind" => MODEL_KINDS.iter().any(|k| k.0 == given).then_some("model"),
        "model.kind" => NETWORK_KINDS
            .iter()
            .any(|k| k.0 == given)
            .then_some("network"),
        _ => None,
    };
    if let Some(table) = other {
        err.problem =
            format!("\"{given}\" is a {table} kind; it belongs in the [{table}] table, not here");
        err.suggestion = None;
    }
    err
}

/// A value of the wrong sort for its key, or out of the range its type can hold.
fn wrong_value(err: ScenarioError, key: &str, spans: &Spans, message: &str) -> ScenarioError {
    let mut err = if key.is_empty() {
        err
    } else {
        err.with_key(key)
    };
    let (Some((shape, words)), Some(value)) = (expectation(key), spans.value_at(key)) else {
        err.problem = fallback_problem(key, spans.value_at(key), message);
        return err;
    };
    let fits = matches!(
        (shape, value),
        (Shape::Whole, DeValue::Integer(_))
            | (Shape::Number, DeValue::Integer(_) | DeValue::Float(_))
            | (Shape::Bool, DeValue::Boolean(_))
            | (Shape::Text | Shape::Name, DeValue::String(_))
            | (Shape::Table, DeValue::Table(_))
    );
    err.problem = if fits {
        format!("{} is out of range", bare(value))
    } else {
        let want = match shape {
            Shape::Whole => "a whole number".to_string(),
            Shape::Number => "a number".to_string(),
            Shape::Bool => "true or false (without quotes)".to_string(),
            Shape::Text => "text in double quotes".to_string(),
            Shape::Name => "one of the names below, in double quotes".to_string(),
            Shape::Table => format!("a table, written [{key}]"),
        };
        format!(
            "`{}` must be {want}, but it is {}",
            leaf(key),
            describe(value)
        )
    };
    err.allowing(words)
}

/// A TOML value as written, for quoting.
fn bare(value: &DeValue) -> String {
    match value {
        DeValue::String(s) => format!("\"{}\"", excerpt(s)),
        DeValue::Integer(i) => i.to_string(),
        DeValue::Float(f) => f.to_string(),
        DeValue::Boolean(b) => b.to_string(),
        DeValue::Datetime(d) => d.to_string(),
        DeValue::Array(_) => "a list".into(),
        DeValue::Table(_) => "a table".into(),
    }
}

/// A TOML value in words a scenario author knows.
fn describe(value: &DeValue) -> String {
    match value {
        DeValue::String(s) => format!("the text \"{}\"", excerpt(s)),
        DeValue::Integer(i) => format!("the whole number {i}"),
        DeValue::Float(f) => format!("the decimal number {f}"),
        DeValue::Boolean(b) => format!("the value {b}"),
        DeValue::Datetime(d) => format!("the date/time {d}"),
        DeValue::Array(_) => "a list".into(),
        DeValue::Table(_) => "a table".into(),
    }
}

/// The problem of a wrong value for a key without an [`expectation`], in words a
/// scenario author knows, from serde's `message`: names the key (or the value) and
/// what it must be.
fn fallback_problem(key: &str, value: Option<&DeValue>, message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    let what = match leaf(key).parse::<usize>() {
        // An entry of a list is named by its list and position.
        Ok(i) if !key.is_empty() => format!("entry {} of `{}`", i + 1, leaf(parent(key))),
        _ if key.is_empty() => "the value".to_string(),
        _ => format!("`{}`", leaf(key)),
    };
    let is = value
        .map(|v| format!(", but it is {}", describe(v)))
        .unwrap_or_default();
    if message == "wanted string or table" {
        return format!("{what} must be a name in double quotes{is}");
    }
    if message == "u64 value was too large" {
        return format!(
            "{what} is too large: whole numbers in a scenario go up to {}",
            i64::MAX
        );
    }
    let typed = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .and_then(|m| m.split_once(", expected "));
    if let Some((found, wanted)) = typed {
        return format!(
            "{what} must be {}, but it is {}",
            friendly_types(wanted),
            friendly_types(found)
        );
    }
    friendly_types(message)
}

/// Rewrites Rust type names in serde messages into words a scenario author knows
/// (a fallback: keys with an [`expectation`] get a message of their own).
fn friendly_types(message: &str) -> String {
    message
        .replace("invalid type: ", "")
        .replace("invalid value: ", "")
        .replace("string ", "the text ")
        .replace("floating point ", "the decimal number ")
        .replace("integer ", "the whole number ")
        .replace("a sequence", "a list")
        .replace("sequence", "a list")
        .replace("a map", "a table")
        .replace("map", "a table")
        .replace(
            "expected u32",
            "expected a whole number from 0 to 4294967295",
        )
        .replace("expected u64", "expected a whole number ≥ 0")
        .replace("expected f64", "expected a number")
        .replace("expected a boolean", "expected true or false")
        .replace("expected a string", "expected text in double quotes")
        // The wanted half of "invalid type: X, expected Y", on its own.
        .replace("u32", "a whole number from 0 to 4294967295")
        .replace("u64", "a whole number ≥ 0")
        .replace("f64", "a number")
        .replace("a boolean", "true or false")
        .replace("a string", "text in double quotes")
}

/// Maps byte offsets and key paths of the scenario text to line numbers.
struct Spans<'t> {
    text: &'t str,
    table: Option<toml::Spanned<DeTable<'t>>>,
}

impl<'t> Spans<'t> {
    fn new(text: &'t str) -> Self {
        Spans {
            text,
            table: DeTable::parse(text).ok(),
        }
    }

    fn line_of(&self, span: Option<std::ops::Range<usize>>) -> Option<usize> {
        let start = span?.start.min(self.text.len());
        Some(
            self.text.as_bytes()[..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1,
        )
    }

    /// The line of a dotted key path such as `network.mean_degree`.
    fn line_of_key(&self, path: &str) -> Option<usize> {
        if path.is_empty() {
            return None;
        }
        let mut table = self.table.as_ref()?.get_ref();
        let mut list: Option<&toml::de::DeArray<'t>> = None;
        let mut span = None;
        for part in path.split('.') {
            let value = match list.take() {
                // An entry of a list (such as the i-th [[phase]]) is found by index.
                Some(items) => {
                    let item = items.get(part.parse::<usize>().ok()?)?;
                    span = Some(item.span());
                    item
                }
                None => {
                    let (key, value) = table.get_key_value(part)?;
                    span = Some(key.span());
                    value
                }
            };
            match value.get_ref() {
                DeValue::Table(t) => table = t,
                DeValue::Array(items) => list = Some(items),
                _ => {}
            }
        }
        self.line_of(span)
    }

    /// The keys of the table at a dotted path, in the order of the text.
    fn keys_of(&self, path: &str) -> Option<Vec<String>> {
        let DeValue::Table(t) = self.value_at(path)? else {
            return None;
        };
        let mut keys: Vec<(usize, String)> = t
            .iter()
            .map(|(k, _)| (k.span().start, k.get_ref().to_string()))
            .collect();
        keys.sort();
        Some(keys.into_iter().map(|(_, k)| k).collect())
    }

    /// The value of a dotted key path, if the text holds it.
    fn value_at(&self, path: &str) -> Option<&DeValue<'t>> {
        let root = self.table.as_ref()?.get_ref();
        let mut value: Option<&DeValue<'t>> = None;
        for part in path.split('.') {
            value = Some(match value {
                None => root.get(part)?.get_ref(),
                Some(DeValue::Table(t)) => t.get(part)?.get_ref(),
                Some(DeValue::Array(items)) => items.get(part.parse::<usize>().ok()?)?.get_ref(),
                Some(_) => return None,
            });
        }
        value
    }

    /// The dotted key that line `line` sets or (for a `[header]`) opens, read from the
    /// text itself, so that it works when the text is not valid TOML.
    fn key_on_line(&self, line: usize) -> Option<String> {
        let mut table = String::new();
        for (i, l) in self.text.lines().enumerate().take(line) {
            let l = l.trim();
            let here = i + 1 == line;
            if let Some(header) = l.strip_prefix('[') {
                let name = header.trim_start_matches('[').split(']').next()?;
                let name = dotted_key(name.split('#').next()?);
                if here {
                    return name;
                }
                table = name.unwrap_or_default();
            } else if here {
                let (lhs, _) = l.split_once('=')?;
                return dotted_key(lhs).map(|k| join(&table, &k));
            }
        }
        None
    }
}

/// A bare dotted key (`a.b`, spaces around dots allowed) in its plain form.
fn dotted_key(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.split('.').map(str::trim).collect();
    parts
        .iter()
        .all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
        .then(|| parts.join("."))
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
        let name = match raw.name {
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
        };
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
        let marketing_tables = [
            ("market", raw.market.is_some()),
            ("strategy", raw.strategy.is_some()),
            ("phase", raw.phase.is_some()),
        ];
        if let ModelSpec::Marketing(spec) = &mut model {
            spec.market = raw.market.unwrap_or_default();
            spec.strategy = raw.strategy.unwrap_or_default();
            spec.phases = raw.phase.unwrap_or_default();
            if let Some((key, problem, allowed)) = spec.check(raw.ticks) {
                return Err(self.error(&key, problem, &allowed));
            }
        } else if let Some((table, _)) = marketing_tables.iter().find(|(_, given)| *given) {
            return Err(self.error(
                table,
                format!("[{table}] only applies to the marketing model"),
                "model kind = \"marketing\", or remove the table",
            ));
        }
        let sweep = match raw.sweep {
            None => None,
            Some(sw) => {
                // The swept keys in the order the file lists them.
                let order: Vec<String> = self.spans.keys_of("sweep.parameters").unwrap_or_default();
                Some(
                    SweepSpec::resolve(sw, raw.seed.unwrap_or(1), &order).map_err(
                        |(key, problem, allowed)| {
                            let mut e = self.error(&key, problem, &allowed);
                            if e.line.is_none() {
                                e.line = self.spans.line_of_key("sweep");
                            }
                            e
                        },
                    )?,
                )
            }
        };
        Ok(Scenario {
            sweep,
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
        self.only(
            "network",
            n.kind.name(),
            &given,
            &NETWORK_KINDS,
            NETWORK_COMMON,
        )?;
        let mean_degree = |s: &Self| -> Result<f64, ScenarioError> {
            let d = s.required(n.mean_degree, "network.mean_degree")?;
            if !(d.is_finite() && d >= 0.0) {
                return Err(s.error(
                    "network.mean_degree",
                    format!("mean degree {d} is negative or not finite"),
                    &allowed_for("network.mean_degree"),
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
                let k = self.required(n.k, "network.k")?;
                if k < 2 || k % 2 == 1 {
                    return Err(self.error(
                        "network.k",
                        format!("k = {k} is not an even number of ring neighbours"),
                        &allowed_for("network.k"),
                    ));
                }
                let rewire = self.required(n.rewire, "network.rewire")?;
                NetworkSpec::WattsStrogatz {
                    k,
                    rewire: self.probability(rewire, "network.rewire")?,
                }
            }
            NetworkKind::BarabasiAlbert => {
                let m = self.required(n.m, "network.m")?;
                if m == 0 {
                    return Err(self.error(
                        "network.m",
                        "m = 0 adds no ties",
                        &allowed_for("network.m"),
                    ));
                }
                NetworkSpec::BarabasiAlbert { m }
            }
            NetworkKind::Communities => {
                let count = self.required(n.count, "network.count")?;
                if count == 0 {
                    return Err(self.error(
                        "network.count",
                        "there must be at least one community",
                        &allowed_for("network.count"),
                    ));
                }
                let mixing = self.required(n.mixing, "network.mixing")?;
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
                                "a number above 1 (LFR benchmarks use 1 to 2; default 2)",
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
                let path = self.required(n.path.clone(), "network.path")?;
                let base = self.file.parent().unwrap_or(Path::new(""));
                let resolved = base.join(&path);
                let problem = if path.trim().is_empty() {
                    Some("the edge-list path is empty".to_string())
                } else if resolved.is_dir() {
                    Some(format!(
                        "{} is a folder, not an edge-list file",
                        resolved.display()
                    ))
                } else if !resolved.is_file() {
                    Some(format!(
                        "edge-list file {} does not exist (paths are relative to the scenario file's folder)",
                        resolved.display()
                    ))
                } else {
                    None
                };
                if let Some(problem) = problem {
                    return Err(self.error(
                        "network.path",
                        problem,
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
        for name in SEEDINGS {
            assert!(toml::from_str::<One<Seeding>>(&format!("v = \"{name}\"")).is_ok());
        }
        for name in SIZE_DISTRIBUTIONS {
            assert!(toml::from_str::<One<SizeDistribution>>(&format!("v = \"{name}\"")).is_ok());
        }
    }

    #[test]
    fn key_tables_match_the_raw_structs_and_every_key_has_an_expectation() {
        for (table, keys) in TABLES {
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
            for key in keys {
                assert!(expectation(&join(table, key)).is_some(), "{table}.{key}");
            }
        }
    }

    #[test]
    fn lines_of_keys_in_headers_dotted_keys_and_inline_tables() {
        let text = "ticks = 3\npopulation.size = 10\nnetwork = { kind = \"complete\" }\n\
                    [model]\n\nkind = \"bass\"\n";
        let spans = Spans::new(text);
        assert_eq!(spans.line_of_key("ticks"), Some(1));
        assert_eq!(spans.line_of_key("population.size"), Some(2));
        assert_eq!(spans.line_of_key("network.kind"), Some(3));
        assert_eq!(spans.line_of_key("model"), Some(4));
        assert_eq!(spans.line_of_key("model.kind"), Some(6));
        assert_eq!(spans.line_of_key("model.p"), None);
        assert_eq!(spans.line_of_key(""), None);
    }

    #[test]
    fn keys_are_read_from_lines_of_invalid_toml() {
        let spans = Spans::new("ticks = = 3\n[ model ]\n# c\np =\n[net\nkind = x = y\n");
        assert_eq!(spans.key_on_line(1).as_deref(), Some("ticks"));
        assert_eq!(spans.key_on_line(2).as_deref(), Some("model"));
        assert_eq!(spans.key_on_line(3), None);
        assert_eq!(spans.key_on_line(4).as_deref(), Some("model.p"));
        assert_eq!(spans.key_on_line(5).as_deref(), Some("net"));
        assert_eq!(spans.key_on_line(6).as_deref(), Some("net.kind"));
    }

    #[test]
    fn every_message_is_one_line_without_rust_names() {
        for text in [
            "ticks = \"x\"\n",
            "ticks = 3\nnetwork = 1\n",
            "ticks = 3\nnetwork = []\nmodel = {}\n",
            "ticks = 3\nname = \"a\\nb\"\n[network]\nkind = \"complete\"\n[model]\nkind = \"bass\"\np = 0\nq = 0\n[population]\nsize = 1\n",
            "\"quoted key\" = 1\n",
            "ticks = 3\n[network]\nkind = \"edge_list\"\npath = \"\"\n[model]\nkind = \"bass\"\np = 0\nq = 0\n",
        ] {
            let message = parse_at(text).unwrap_err().to_string();
            assert!(!message.contains('\n'), "{message:?}");
            for rust in ["u32", "u64", "f64", "struct", "Raw", "invalid type"] {
                assert!(!message.contains(rust), "{message}");
            }
        }
    }
}
