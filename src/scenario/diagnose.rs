//! Messages for text that is not TOML or does not fit the file-facing structs:
//! serde's and the TOML parser's errors rewritten as [`ScenarioError`]s that name the
//! key and line, say what the key accepts (from the catalogue in `keys`), and
//! suggest the closest valid name. Range checks of parsed values live in `resolve`.

use super::ScenarioError;
use super::keys::{
    self, CLASSIC_TABLES, MODEL_KINDS, NETWORK_KINDS, Shape, Table, expectation, join, keys_of,
    leaf, names_of, parent, quoted_names,
};
use super::spans::Spans;
use serde_path_to_error::Segment;
use std::path::Path;
use toml::de::DeValue;

/// Turns a TOML syntax error into a scenario error naming the line and, where the
/// line reads as `key = ...`, the key.
pub(super) fn syntax_error(e: &toml::de::Error, file: &Path, spans: &Spans) -> ScenarioError {
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
pub(super) fn excerpt(text: &str) -> String {
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
pub(super) fn serde_error(
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
/// `listed` holds the keys serde names for the table, used for tables the classic
/// part of the catalogue does not describe (the marketing model's).
fn unknown_key(err: ScenarioError, key: &str, spans: &Spans, listed: &[&str]) -> ScenarioError {
    let (table, given) = (parent(key), leaf(key));
    let here: Vec<&str> = if CLASSIC_TABLES.contains(&table) {
        keys_of(table)
    } else {
        listed.to_vec()
    };
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
        let home = CLASSIC_TABLES
            .into_iter()
            .find(|t| *t != table && keys_of(t).iter().any(|k| k.eq_ignore_ascii_case(given)));
        if let Some(t) = home {
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
        // A marketing key's range is checked once its defaults are filled in, but its
        // catalogue entry already says what it takes (unless that is just "a list").
        let allowed = keys::find(key)
            .filter(|k| k.table == Table::Marketing)
            .map(keys::Key::allowed)
            .filter(|words| !matches!(words.as_str(), "a list" | "a table"));
        return match allowed {
            Some(words) => err.allowing(words),
            None => err,
        };
    };
    let fits = matches!(
        (shape, value),
        (Shape::Whole, DeValue::Integer(_))
            | (Shape::Number, DeValue::Integer(_) | DeValue::Float(_))
            | (Shape::Bool, DeValue::Boolean(_))
            | (Shape::Text | Shape::Name, DeValue::String(_))
            | (Shape::Table, DeValue::Table(_))
            | (Shape::List, DeValue::Array(_))
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
            Shape::List => "a list".to_string(),
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

/// The expectation's words, or a bare fallback for a key without one.
pub(super) fn allowed_for(key: &str) -> String {
    expectation(key).map_or_else(|| "see the scenario documentation".into(), |(_, w)| w)
}

#[cfg(test)]
mod tests {
    use crate::scenario::{Scenario, ScenarioError};
    use std::path::Path;

    fn parse_at(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::from_str_at(text, Path::new("some/dir/launch.toml"))
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
