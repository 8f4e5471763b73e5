//! Command-line settings of scenario keys (`--set key.path=VALUE`, repeatable): the file's
//! text with the keys set, checked exactly as the file is, so scaling a population or a
//! horizon needs no edit. A problem with a set key names the `--set`; the resolved
//! scenario records the settings (`set`), so the manifest and a sweep point's hash say
//! what the command line changed.

use super::{Scenario, ScenarioError};
use std::path::Path;

/// One `--set key.path=VALUE`.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// Dotted key path.
    pub key: String,
    /// The value as written after `=`.
    pub raw: String,
    /// The value as TOML: a number, boolean, array or quoted string as written, or
    /// else the text as a string (`--set strategy.social_media.targeting=lookalike`).
    pub value: toml::Value,
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.key, self.raw)
    }
}

/// Reads `key.path=VALUE` (clap's value parser of `--set`).
pub fn parse_setting(arg: &str) -> Result<Setting, String> {
    let (key, raw) = arg
        .split_once('=')
        .ok_or_else(|| format!("`{arg}` is not KEY=VALUE, e.g. population.size=20000"))?;
    let key = key.trim();
    let valid = !key.is_empty()
        && key
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    if !valid {
        return Err(format!(
            "`{key}` is not a dotted key path, e.g. strategy.community.recruitment"
        ));
    }
    let raw = raw.trim().to_string();
    let value = toml::from_str::<toml::Table>(&format!("v = {raw}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(raw.clone()));
    Ok(Setting {
        key: key.to_string(),
        raw,
        value,
    })
}

/// The scenario in `text` (the file `path`) with `settings` applied, and the text it was
/// read from. Without settings this is [`Scenario::from_str_at`] of the file as it is.
pub fn apply(
    text: &str,
    path: &Path,
    settings: &[Setting],
) -> Result<(Scenario, String), ScenarioError> {
    if settings.is_empty() {
        return Ok((Scenario::from_str_at(text, path)?, text.to_string()));
    }
    let mut table: toml::Table = toml::from_str(text).map_err(|e| {
        // The file's own error, with its line.
        match Scenario::from_str_at(text, path) {
            Err(own) => own,
            Ok(_) => ScenarioError::new(path, e.message().to_string()),
        }
    })?;
    for s in settings {
        set_path(&mut table, &s.key, s.value.clone());
    }
    let edited = toml::to_string(&table)
        .map_err(|e| ScenarioError::new(path, format!("cannot apply --set: {e}")))?;
    match Scenario::from_str_at(&edited, path) {
        Ok(mut scenario) => {
            scenario.set = settings.iter().map(Setting::to_string).collect();
            Ok((scenario, edited))
        }
        Err(mut e) => {
            let culprit = settings.iter().rev().find(|s| {
                e.key
                    .as_deref()
                    .is_some_and(|k| k == s.key || k.starts_with(&format!("{}.", s.key)))
            });
            if let Some(s) = culprit {
                e.problem = format!("--set {s}: {}", e.problem);
                e.line = None;
                return Err(e);
            }
            // The file's own problem keeps its line; one the settings made says so.
            match Scenario::from_str_at(text, path) {
                Err(own) => Err(own),
                Ok(_) => {
                    let list: Vec<String> = settings.iter().map(Setting::to_string).collect();
                    e.problem = format!("{} (with --set {})", e.problem, list.join(", --set "));
                    e.line = None;
                    Err(e)
                }
            }
        }
    }
}

/// Sets a dotted key path in a TOML table, creating tables on the way.
pub fn set_path(table: &mut toml::Table, path: &str, value: toml::Value) {
    let mut parts = path.split('.').peekable();
    let mut current = table;
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            current.insert(part.to_string(), value);
            return;
        }
        let entry = current
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        current = entry.as_table_mut().expect("just made a table");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_as_toml_or_else_as_text() {
        let s = parse_setting("population.size=20000").unwrap();
        assert_eq!(
            (s.key.as_str(), s.value.as_integer()),
            ("population.size", Some(20000))
        );
        let s = parse_setting("strategy.social_media.targeting=lookalike").unwrap();
        assert_eq!(s.value.as_str(), Some("lookalike"));
        let s = parse_setting("market.retention.churn = 0.002").unwrap();
        assert_eq!(s.value.as_float(), Some(0.002));
        assert_eq!(s.to_string(), "market.retention.churn=0.002");
        assert!(
            parse_setting("population.size")
                .unwrap_err()
                .contains("KEY=VALUE")
        );
        assert!(
            parse_setting("population..size=3")
                .unwrap_err()
                .contains("dotted")
        );
    }
}
