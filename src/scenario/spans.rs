//! Where things are in the scenario text: the line of a byte offset or of a dotted
//! key, the value at a key, and the key a line sets even when the text is not TOML.

use super::keys::join;
use toml::de::{DeTable, DeValue};

/// The line of `key` in the scenario `text`, if the text is TOML and holds the key.
pub(super) fn line_of_key(text: &str, key: &str) -> Option<usize> {
    Spans::new(text).line_of_key(key)
}

/// Maps byte offsets and key paths of the scenario text to line numbers.
pub(super) struct Spans<'t> {
    pub(super) text: &'t str,
    table: Option<toml::Spanned<DeTable<'t>>>,
}

impl<'t> Spans<'t> {
    /// Reads `text`; key lookups find nothing when it is not valid TOML.
    pub(super) fn new(text: &'t str) -> Self {
        Spans {
            text,
            table: DeTable::parse(text).ok(),
        }
    }

    /// The 1-based line of a byte span's start.
    pub(super) fn line_of(&self, span: Option<std::ops::Range<usize>>) -> Option<usize> {
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
    pub(super) fn line_of_key(&self, path: &str) -> Option<usize> {
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
    pub(super) fn keys_of(&self, path: &str) -> Option<Vec<String>> {
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
    pub(super) fn value_at(&self, path: &str) -> Option<&DeValue<'t>> {
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
    pub(super) fn key_on_line(&self, line: usize) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
