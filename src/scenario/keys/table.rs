//! The parameter tables of docs/MODEL.md, rendered from the catalogue: the network
//! kinds of section 3.3, the classic keys of section 3.5 and the marketing keys of
//! section 4.9. A test below fails when the document differs.

use super::classic::{NETWORK_CONSTRUCTIONS, NETWORK_KINDS};
use super::{Key, Table, Value, all, find, join};

impl Key {
    /// The range column of docs/MODEL.md.
    pub fn range_doc(&self) -> String {
        if !self.doc.is_empty() {
            return self.doc.to_string();
        }
        let range = match self.value {
            Value::Whole {
                min,
                max: Some(max),
            } if max < u64::from(u32::MAX) => {
                format!("whole number {min}–{max}")
            }
            Value::Whole { min: 0, .. } => "whole number".to_string(),
            Value::Whole { min, .. } => format!("whole number ≥ {min}"),
            Value::Number { lo, hi } => format!("[{}, {}]", doc_number(lo), doc_number(hi)),
            Value::Bool => "bool".into(),
            Value::Text => "any".into(),
            Value::Names(names) => names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Table | Value::List => "—".into(),
        };
        format!("{range}{}", self.note)
    }
}

/// A number as docs/MODEL.md writes it: powers of ten from 10⁶ (and below 10⁻³) with a
/// superscript exponent, and a true minus sign.
fn doc_number(x: f64) -> String {
    const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let exponent = x.abs().log10().round();
    let text = if x != 0.0 && !(-3.0..6.0).contains(&exponent) && 10f64.powf(exponent) == x.abs() {
        let digits: String = (exponent.abs() as u32)
            .to_string()
            .chars()
            .map(|d| SUPERSCRIPTS[d.to_digit(10).unwrap_or(0) as usize])
            .collect();
        let sign = if exponent < 0.0 { "⁻" } else { "" };
        format!("10{sign}{digits}")
    } else {
        x.abs().to_string()
    };
    if x < 0.0 { format!("−{text}") } else { text }
}

/// A parameter table of docs/MODEL.md as markdown, from its header to its last row.
pub fn markdown_table(table: Table) -> String {
    let cells = |k: &Key| -> Vec<String> {
        let mut row = vec![format!("`{}`", k.path)];
        if table == Table::Classic {
            row.push(k.model.to_string());
        }
        row.extend([
            k.default.to_string(),
            k.unit.to_string(),
            k.range_doc(),
            k.meaning.to_string(),
            k.source.to_string(),
        ]);
        row
    };
    let mut header = vec!["name"];
    if table == Table::Classic {
        header.push("model");
    }
    header.extend(["default", "unit", "range", "meaning", "source"]);
    let line = |cells: &[String]| format!("| {} |\n", cells.join(" | "));
    let mut text = line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    text += &line(&vec!["---".to_string(); header.len()]);
    for k in all().filter(|k| k.table == table) {
        text += &line(&cells(k));
    }
    text
}

/// The network table of docs/MODEL.md section 3.3: each kind, how it is built, and the
/// keys it takes besides `kind` and `per_replicate`, with their ranges.
pub fn network_table() -> String {
    let mut text = "| kind | construction | parameters |\n| --- | --- | --- |\n".to_string();
    for ((kind, keys), construction) in NETWORK_KINDS.iter().zip(NETWORK_CONSTRUCTIONS) {
        let parameters: Vec<String> = keys
            .iter()
            .map(|k| {
                let doc = find(&join("network", k)).map_or("", |e| e.doc);
                format!("`{k}` {doc}").trim_end().to_string()
            })
            .collect();
        let parameters = if parameters.is_empty() {
            "—".to_string()
        } else {
            parameters.join("; ")
        };
        text += &format!("| `{kind}` | {construction} | {parameters} |\n");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table under `heading` in docs/MODEL.md, from its `header` line to its last
    /// row.
    fn table_under(doc: &str, heading: &str, header: &str) -> String {
        let after = doc.split_once(heading).map_or("", |(_, rest)| rest);
        after
            .lines()
            .skip_while(|l| !l.starts_with(header))
            .take_while(|l| l.starts_with('|'))
            .map(|l| format!("{l}\n"))
            .collect()
    }

    #[test]
    fn model_md_parameter_tables_are_rendered_from_the_catalogue() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/MODEL.md");
        let doc = std::fs::read_to_string(path).unwrap();
        let tables = [
            ("### 3.3 Networks", "| kind |", network_table()),
            (
                "### 3.5 Parameters",
                "| name |",
                markdown_table(Table::Classic),
            ),
            (
                "### 4.9 Parameters",
                "| name |",
                markdown_table(Table::Marketing),
            ),
        ];
        for (heading, header, expected) in tables {
            assert!(
                table_under(&doc, heading, header) == expected,
                "the table under {heading} in docs/MODEL.md differs from the catalogue \
                 (src/scenario/keys/); replace it with:\n\n{expected}"
            );
        }
    }
}
