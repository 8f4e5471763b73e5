//! The catalogue of scenario keys: one entry per key, classic and marketing alike,
//! with the sort of value it takes, its range, default, unit, meaning and source.
//!
//! Validation reads the ranges from here (`resolve` for the classic keys,
//! [`MarketingSpec::check`](super::marketing::MarketingSpec::check) for the marketing
//! ones), error messages read the words (`diagnose`), and the parameter tables of
//! docs/MODEL.md (sections 3.3, 3.5 and 4.9) are rendered from it by `table`; a test
//! there fails when the document and the catalogue disagree.
//!
//! This module holds the entry type and the look-ups; `classic` lists the classic,
//! network and sweep keys, `marketing` the marketing model's.

mod classic;
mod marketing;
mod table;

pub(super) use classic::{MODEL_KINDS, NETWORK_COMMON, NETWORK_KINDS};
pub use table::{markdown_table, network_table};

use classic::{CALIBRATION, CLASSIC, SENSITIVITY, SWEEP, UNCERTAINTY};
use marketing::MARKETING;

/// The largest amount of money any key takes (docs/MODEL.md): 10⁹ currency units per
/// purchase, per tick, per event, per advocate per tick or per answer.
pub const MAX_MONEY: f64 = 1e9;

/// The largest value of a rate, count or multiplier key without a natural bound
/// (docs/MODEL.md): 10⁶.
pub const MAX_RATE: f64 = 1e6;

/// What sort of TOML value a key takes, as error messages name it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Shape {
    Whole,
    Number,
    Bool,
    Text,
    Name,
    Table,
    List,
}

/// The values a key accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// A whole number from `min`, up to `max` when given (else up to what its type holds).
    Whole {
        /// Smallest value.
        min: u64,
        /// Largest value, when a message states it.
        max: Option<u64>,
    },
    /// A finite number in [lo, hi].
    Number {
        /// Smallest value.
        lo: f64,
        /// Largest value.
        hi: f64,
    },
    /// `true` or `false`.
    Bool,
    /// Text in quotes.
    Text,
    /// One of a fixed set of names.
    Names(&'static [&'static str]),
    /// A table.
    Table,
    /// A list (of tables or names).
    List,
}

/// A probability or share: [0, 1].
const PROBABILITY: Value = num(0.0, 1.0);
/// An amount of money: [0, 10⁹] (docs/MODEL.md section 4.9).
const MONEY: Value = num(0.0, MAX_MONEY);
/// A rate, count or multiplier without a natural bound: [0, 10⁶].
const RATE: Value = num(0.0, MAX_RATE);
/// A logit weight: [−50, 50].
const LOGIT: Value = num(-50.0, 50.0);

const fn num(lo: f64, hi: f64) -> Value {
    Value::Number { lo, hi }
}

const fn whole(min: u64) -> Value {
    Value::Whole { min, max: None }
}

const fn names(names: &'static [&'static str]) -> Value {
    Value::Names(names)
}

/// Which parameter table of docs/MODEL.md lists a key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Table {
    /// None of the key tables: tables, the scenario name, the sweep's keys, and the
    /// network kinds' keys (listed per kind in section 3.3, by
    /// [`network_table`]).
    Hidden,
    /// Section 3.5, the classic models.
    Classic,
    /// Section 4.9, the marketing model.
    Marketing,
}

/// One scenario key.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    /// Dotted path; `i` stands for the index of a list entry (`phase.i.start`).
    pub path: &'static str,
    /// The values it accepts.
    pub value: Value,
    /// Its default, in words (`required` when it has none).
    pub default: &'static str,
    /// Its unit.
    pub unit: &'static str,
    /// One line on what it means.
    pub meaning: &'static str,
    /// Where the value comes from: a citation (of the mechanism only where marked
    /// "(mechanism)"), or `assumption (plausible a–b)` for murmur's own value.
    pub source: &'static str,
    /// The models it applies to (classic keys).
    pub model: &'static str,
    /// The docs/MODEL.md table listing it.
    pub table: Table,
    /// What messages say it accepts, when not rendered from `value`.
    words: &'static str,
    /// The range column of docs/MODEL.md, when not rendered from `value`; for a network
    /// key, what follows its name in the parameters column of section 3.3.
    doc: &'static str,
    /// Text appended to the rendered range column (a condition on other keys).
    note: &'static str,
}

/// A marketing key (section 4.9); the builders below adjust it.
const fn key(
    path: &'static str,
    value: Value,
    default: &'static str,
    unit: &'static str,
    meaning: &'static str,
    source: &'static str,
) -> Key {
    Key {
        path,
        value,
        default,
        unit,
        meaning,
        source,
        model: "",
        table: Table::Marketing,
        words: "",
        doc: "",
        note: "",
    }
}

/// A classic key listed in section 3.5 for `model`.
const fn classic(
    path: &'static str,
    model: &'static str,
    value: Value,
    default: &'static str,
    unit: &'static str,
    meaning: &'static str,
    source: &'static str,
) -> Key {
    let mut k = key(path, value, default, unit, meaning, source);
    k.model = model;
    k.table = Table::Classic;
    k
}

/// A key no parameter table lists, with the words its messages use.
const fn hidden(path: &'static str, value: Value, words: &'static str) -> Key {
    let mut k = key(path, value, "", "", "", "");
    k.table = Table::Hidden;
    k.words = words;
    k
}

impl Key {
    /// The plausible range `assumption (plausible a–b)` gives for murmur's own value,
    /// as numbers: what `murmur compare --uncertain` draws from by default.
    pub fn plausible(&self) -> Option<(f64, f64)> {
        let rest = self.source.split_once("plausible ")?.1;
        let range = rest.split([';', ')', ',']).next()?.replace('−', "-");
        let (low, high) = range.trim().split_once('–')?;
        // A unit may follow the range ("2–5 masks").
        let high = high.split_whitespace().next()?;
        let (low, high) = (low.trim().parse().ok()?, high.parse().ok()?);
        (low <= high).then_some((low, high))
    }

    const fn words(mut self, words: &'static str) -> Key {
        self.words = words;
        self
    }
    const fn doc(mut self, doc: &'static str) -> Key {
        self.doc = doc;
        self
    }
    const fn note(mut self, note: &'static str) -> Key {
        self.note = note;
        self
    }

    /// The sort of value, as messages name it.
    pub(super) fn shape(&self) -> Shape {
        match self.value {
            Value::Whole { .. } => Shape::Whole,
            Value::Number { .. } => Shape::Number,
            Value::Bool => Shape::Bool,
            Value::Text => Shape::Text,
            Value::Names(_) => Shape::Name,
            Value::Table => Shape::Table,
            Value::List => Shape::List,
        }
    }

    /// What the key accepts, in the words of an error message's "Allowed:".
    pub fn allowed(&self) -> String {
        if let Some(kind) = self.words.find("{kinds}").map(|_| join(self.path, "kind")) {
            let kinds = find(&kind).map_or_else(String::new, |k| k.allowed());
            return self.words.replace("{kinds}", &kinds);
        }
        if !self.words.is_empty() {
            return self.words.to_string();
        }
        match self.value {
            Value::Whole { min, max: None } => format!("a whole number ≥ {min}"),
            Value::Whole {
                min,
                max: Some(max),
            } => format!("a whole number from {min} to {max}"),
            Value::Number { lo, hi } => format!("a number from {} to {}", short(lo), short(hi)),
            Value::Bool => "true or false".into(),
            Value::Text => "text in quotes".into(),
            Value::Names(names) => quoted_names(names.iter().copied()),
            Value::Table => "a table".into(),
            Value::List => "a list".into(),
        }
    }
}

/// `"a", "b" or "c"`.
pub(super) fn quoted_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.into_iter().map(|n| format!("\"{n}\"")).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// A number as a message shows it: in exponent form when very large or very small
/// (1e9, 1e-6, 1e308 rather than hundreds of digits).
pub(super) fn short(x: f64) -> String {
    if x != 0.0 && x.is_finite() && (x.abs() >= 1e6 || x.abs() < 1e-3) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// Joins a table and a key into a dotted path.
pub(super) fn join(table: &str, key: &str) -> String {
    if table.is_empty() {
        key.to_string()
    } else {
        format!("{table}.{key}")
    }
}

/// A key's last part: `mean_degree` of `network.mean_degree`.
pub(super) fn leaf(key: &str) -> &str {
    key.rsplit_once('.').map_or(key, |(_, l)| l)
}

/// The table holding a key: `network` of `network.mean_degree`, `""` at the top.
pub(super) fn parent(key: &str) -> &str {
    key.rsplit_once('.').map_or("", |(t, _)| t)
}

/// Every key: the classic ones, the sweep's, then the marketing model's.
pub fn all() -> impl Iterator<Item = &'static Key> {
    CLASSIC
        .iter()
        .chain(SWEEP)
        .chain(UNCERTAINTY)
        .chain(SENSITIVITY)
        .chain(CALIBRATION)
        .chain(MARKETING)
}

/// The entry of a dotted path; list indices (`phase.2.end`) match `i`.
pub fn find(path: &str) -> Option<&'static Key> {
    let general: Vec<&str> = path
        .split('.')
        .map(|p| if p.parse::<usize>().is_ok() { "i" } else { p })
        .collect();
    let general = general.join(".");
    all().find(|k| k.path == general)
}

/// The entry of a marketing key, which its check needs (a missing one is a bug).
pub(super) fn marketing(path: &str) -> &'static Key {
    match find(path) {
        Some(k) if k.table == Table::Marketing => k,
        _ => panic!("scenario key {path} is not in the catalogue"),
    }
}

/// The tables the classic keys live in (`""` is the top level), in file order.
pub(super) const CLASSIC_TABLES: [&str; 4] = ["", "population", "network", "model"];

/// The keys of a classic table, in the order of the file-facing struct.
pub(super) fn keys_of(table: &str) -> Vec<&'static str> {
    CLASSIC
        .iter()
        .filter(|k| parent(k.path) == table)
        .map(|k| leaf(k.path))
        .collect()
}

/// What a classic key takes: the sort of value and, in words, the values allowed.
/// Marketing keys are checked after their defaults are filled in
/// ([`MarketingSpec::check`](super::marketing::MarketingSpec::check)); a value of the
/// wrong sort for one gets serde's message in plain words instead.
pub(super) fn expectation(path: &str) -> Option<(Shape, String)> {
    CLASSIC
        .iter()
        .find(|k| k.path == path)
        .map(|k| (k.shape(), k.allowed()))
}

/// The names allowed for a key whose value is one of a fixed set of names.
pub(super) fn names_of(path: &str) -> Option<Vec<&'static str>> {
    match find(path)?.value {
        Value::Names(names) => Some(names.to_vec()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::marketing::{Community, MarketingSpec, SocialMedia};

    /// Every leaf of a serialised value, as dotted paths with their values.
    fn leaves(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, serde_json::Value)>) {
        match value {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    leaves(&join(prefix, k), v, out);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    leaves(&join(prefix, &i.to_string()), v, out);
                }
            }
            _ => out.push((prefix.to_string(), value.clone())),
        }
    }

    /// Every field of the marketing structs, with both strategies switched on.
    fn marketing_defaults() -> Vec<(String, serde_json::Value)> {
        let mut spec = MarketingSpec {
            market: Default::default(),
            strategy: Default::default(),
            phases: Vec::new(),
        };
        spec.strategy.social_media = Some(SocialMedia::default());
        spec.strategy.community = Some(Community::default());
        let mut out = Vec::new();
        leaves(
            "market",
            &serde_json::to_value(&spec.market).unwrap(),
            &mut out,
        );
        leaves(
            "strategy",
            &serde_json::to_value(&spec.strategy).unwrap(),
            &mut out,
        );
        out
    }

    #[test]
    fn every_marketing_field_has_an_entry_whose_default_is_the_code_s() {
        for (path, value) in marketing_defaults() {
            let entry = find(&path).unwrap_or_else(|| panic!("{path} is not in the catalogue"));
            assert_eq!(entry.table, Table::Marketing, "{path}");
            // A mask's entry gives `Mask::default`; the default masks are a table of
            // their own in docs/MODEL.md.
            if path.contains(".masks.") {
                continue;
            }
            // Defaults written as numbers must be the code's; the others are words.
            let written = entry.default.replace('−', "-");
            if let (Ok(doc), Some(code)) = (written.parse::<f64>(), value.as_f64()) {
                assert_eq!(doc, code, "default of {path}");
            }
            if let (Value::Names(names), Some(code)) = (entry.value, value.as_str()) {
                assert!(names.contains(&code), "{path}: {code}");
                assert_eq!(entry.default, format!("`{code}`"), "default of {path}");
            }
        }
    }

    #[test]
    fn every_marketing_number_key_has_a_finite_range() {
        for k in all().filter(|k| k.table == Table::Marketing) {
            if let Value::Number { lo, hi } = k.value {
                assert!(lo.is_finite() && hi.is_finite() && lo <= hi, "{}", k.path);
            }
        }
    }

    #[test]
    fn sweep_entries_are_the_sweep_table_s_keys() {
        let text = "ticks = 3\n[population]\nsize = 10\n[network]\nkind = \"complete\"\n\
                    [model]\nkind = \"bass\"\np = 0.1\nq = 0.1\n[sweep]\nzzz = 1\n";
        let err = crate::scenario::Scenario::from_str_at(text, std::path::Path::new("s.toml"))
            .unwrap_err();
        let leaves: Vec<&str> = SWEEP.iter().map(|k| leaf(k.path)).collect();
        assert_eq!(err.allowed, Some(leaves.join(", ")), "{err}");
    }

    #[test]
    fn uncertainty_entries_are_the_uncertainty_table_s_keys() {
        let text = "ticks = 3\n[population]\nsize = 10\n[network]\nkind = \"complete\"\n\
                    [model]\nkind = \"bass\"\np = 0.1\nq = 0.1\n[uncertainty]\nzzz = 1\n";
        let err = crate::scenario::Scenario::from_str_at(text, std::path::Path::new("s.toml"))
            .unwrap_err();
        let leaves: Vec<&str> = UNCERTAINTY.iter().map(|k| leaf(k.path)).collect();
        assert_eq!(err.allowed, Some(leaves.join(", ")), "{err}");
    }

    #[test]
    fn every_plausible_range_reads_as_two_numbers_inside_the_keys_values() {
        let mut read = 0;
        for k in all().filter(|k| k.source.contains("plausible")) {
            let (low, high) = k
                .plausible()
                .unwrap_or_else(|| panic!("{}: cannot read {:?}", k.path, k.source));
            match k.value {
                Value::Number { lo, hi } => {
                    assert!(lo <= low && high <= hi, "{}: {low}–{high}", k.path)
                }
                Value::Whole { min, max } => assert!(
                    low >= min as f64 && max.is_none_or(|m| high <= m as f64),
                    "{}",
                    k.path
                ),
                // A list (the persona masks) is not drawn.
                _ => continue,
            }
            read += 1;
        }
        assert!(read > 50, "{read}");
    }

    #[test]
    fn paths_are_unique() {
        let mut paths: Vec<&str> = all().map(|k| k.path).collect();
        paths.sort_unstable();
        let before = paths.len();
        paths.dedup();
        assert_eq!(paths.len(), before);
    }

    /// A number written in the catalogue, where "−" (U+2212) may stand for the minus.
    fn number(text: &str) -> Option<f64> {
        text.trim().replace('−', "-").parse().ok()
    }

    /// The two numbers of the "plausible a–b" range in a source, if it has one.
    fn plausible(source: &str) -> Option<(f64, f64)> {
        let rest = &source[source.find("plausible ")? + "plausible ".len()..];
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '−' || c == '–'));
        let (low, high) = rest[..end.unwrap_or(rest.len())].split_once('–')?;
        Some((number(low)?, number(high)?))
    }

    #[test]
    fn plausible_ranges_are_read_with_either_minus() {
        assert_eq!(
            plausible("assumption (plausible −9–−4)"),
            Some((-9.0, -4.0))
        );
        assert_eq!(
            plausible("x; assumption (plausible 0.2–1); y"),
            Some((0.2, 1.0))
        );
        assert_eq!(
            plausible("assumption (plausible 2–5 masks)"),
            Some((2.0, 5.0))
        );
        assert_eq!(plausible("assumption"), None);
    }

    #[test]
    fn every_marketing_default_cites_a_source_or_is_an_assumption_with_a_range() {
        for k in all().filter(|k| k.table == Table::Marketing) {
            let (path, source) = (k.path, k.source.trim());
            assert!(
                source != "calibration" && !source.ends_with("calibration"),
                "{path}: source `{source}` must cite the value or be an assumption"
            );
            if !source.contains("assumption") {
                continue;
            }
            let (low, high) = plausible(source)
                .unwrap_or_else(|| panic!("{path}: `{source}` gives no plausible a–b range"));
            assert!(low <= high, "{path}: {low} > {high}");
            if let Some(default) = number(k.default) {
                assert!(
                    low <= default && default <= high,
                    "{path}: default {default} outside the plausible {low}–{high}"
                );
            }
            if let Value::Number { lo, hi } = k.value {
                assert!(
                    lo <= low && high <= hi,
                    "{path}: plausible {low}–{high} outside [{lo}, {hi}]"
                );
            }
        }
    }

    #[test]
    fn messages_and_documents_write_numbers_their_own_way() {
        assert_eq!(
            key("x", MONEY, "", "", "", "").allowed(),
            "a number from 0 to 1e9"
        );
        assert_eq!(
            key("x", num(1e-6, MAX_MONEY), "", "", "", "").range_doc(),
            "[10⁻⁶, 10⁹]"
        );
        assert_eq!(
            key("x", num(1e-3, 1e3), "", "", "", "").range_doc(),
            "[0.001, 1000]"
        );
        assert_eq!(key("x", LOGIT, "", "", "", "").range_doc(), "[−50, 50]");
    }
}
