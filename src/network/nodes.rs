//! Node files (docs/MODEL.md §3.3): a CSV of attributes joined to an edge list by the
//! nodes' original ids.
//!
//! The header names the columns: `id` (required) and any of `community`,
//! `involvement`, `persona`, `status` and `member`. A `community` column replaces the
//! network's communities; the other columns are read here and checked as far as the
//! network can check them (values of `involvement`, `status`, `member`), and set the
//! marketing population's initial state in `engine/marketing` (which persona names a
//! scenario has is checked by `experiment`). An empty cell, and every node of the edge
//! list the file does not list, leaves that attribute to be drawn as without a file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The columns a node file may have, in the order they are described.
pub const NODE_COLUMNS: [&str; 6] = [
    "id",
    "community",
    "involvement",
    "persona",
    "status",
    "member",
];

/// The values of the `status` column, in [`InitialStatus`] order.
pub const STATUSES: [&str; 4] = ["unaware", "aware", "customer", "competitor"];

/// An agent's status at tick 0, as a node file's `status` column gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitialStatus {
    /// A prospect who has not heard of the brand (in the category if drawn so).
    Unaware,
    /// A prospect who has heard of the brand (in the category if drawn so).
    Aware,
    /// A customer of the brand, in the category.
    Customer,
    /// A customer of the market's first competitor, in the category.
    Competitor,
}

/// The attributes a node file gives, one entry per agent (indexed like the network),
/// `None` where the file is silent (an empty cell or an unlisted agent).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeAttributes {
    /// The node file.
    pub path: PathBuf,
    /// Columns the file has besides `id`, in file order.
    pub columns: Vec<String>,
    /// Whether the file lists each agent.
    pub listed: Vec<bool>,
    /// The distinct community labels, sorted (numerically when every label is a whole
    /// number, else as text); community k of the network is `community_labels[k]`, and
    /// agents without a label are in one more community, numbered `len()`.
    pub community_labels: Vec<String>,
    /// High involvement (true) or low (false).
    pub involvement: Vec<Option<bool>>,
    /// Persona: an index into `personas`.
    pub persona: Vec<Option<u8>>,
    /// The persona names the file uses, in first-seen order, with the line of each
    /// one's first use (for error messages).
    pub personas: Vec<(String, usize)>,
    /// Initial status.
    pub status: Vec<Option<InitialStatus>>,
    /// Initial community membership.
    pub member: Vec<Option<bool>>,
}

impl NodeAttributes {
    /// Whether the file has the column `name`.
    pub fn has(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c == name)
    }

    /// Bytes held, for memory estimates.
    pub fn bytes(&self) -> usize {
        self.listed.len() * 6
    }
}

/// Why a node file could not be joined to its network.
#[derive(Debug, thiserror::Error)]
pub enum NodeFileError {
    /// The file is missing or could not be read.
    #[error("could not read node file \"{}\": {message}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A cell (or the header) holds what its column does not allow.
    #[error("node file \"{}\", line {line}, column {column}: found \"{value}\", expected {allowed}", .path.display())]
    Value {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The column's name (or `header`).
        column: String,
        /// The offending value.
        value: String,
        /// What the column allows.
        allowed: String,
    },
}

/// A network's communities and node attributes from the node file at `path`, joined by
/// the original ids `labels` (ascending, as an edge list's). Returns the community of
/// every agent when the file has a `community` column.
pub fn read_node_file(
    path: &Path,
    labels: &[u64],
) -> Result<(NodeAttributes, Option<Vec<u32>>), NodeFileError> {
    let io = |e: &dyn std::fmt::Display| NodeFileError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| io(&e))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| io(&e))?
        .iter()
        .map(str::to_string)
        .collect();
    let bad = |line: usize, column: &str, value: &str, allowed: String| NodeFileError::Value {
        path: path.to_path_buf(),
        line,
        column: column.to_string(),
        value: value.chars().take(80).collect(),
        allowed,
    };
    let allowed_columns = || format!("columns among {}", NODE_COLUMNS.join(", "));
    for (k, name) in header.iter().enumerate() {
        if !NODE_COLUMNS.contains(&name.as_str()) || header[..k].contains(name) {
            return Err(bad(1, "header", name, allowed_columns() + ", each once"));
        }
    }
    let Some(id_column) = header.iter().position(|c| c == "id") else {
        return Err(bad(1, "header", &header.join(","), "an `id` column".into()));
    };
    let n = labels.len();
    let mut attrs = NodeAttributes {
        path: path.to_path_buf(),
        columns: header.iter().filter(|c| *c != "id").cloned().collect(),
        listed: vec![false; n],
        involvement: vec![None; n],
        persona: vec![None; n],
        status: vec![None; n],
        member: vec![None; n],
        ..NodeAttributes::default()
    };
    let mut community: Vec<Option<String>> = Vec::new();
    if attrs.has("community") {
        community = vec![None; n];
    }
    let mut persona_index: HashMap<String, u8> = HashMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| io(&e))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let id_text = record.get(id_column).unwrap_or("");
        let agent = id_text
            .parse::<u64>()
            .ok()
            .and_then(|id| labels.binary_search(&id).ok());
        let Some(i) = agent else {
            let allowed = if id_text.parse::<u64>().is_ok() {
                "the id of a node of the edge list (a node file cannot add nodes)"
            } else {
                "a node id (a whole number, 0 or more)"
            };
            return Err(bad(line, "id", id_text, allowed.into()));
        };
        if attrs.listed[i] {
            return Err(bad(line, "id", id_text, "each node listed once".into()));
        }
        attrs.listed[i] = true;
        for (name, value) in header.iter().zip(record.iter()) {
            if value.is_empty() {
                continue;
            }
            let flag = |yes: &str, no: &str| match value {
                v if v.eq_ignore_ascii_case(yes) || v == "1" => Some(true),
                v if v.eq_ignore_ascii_case(no) || v == "0" => Some(false),
                _ => None,
            };
            match name.as_str() {
                "community" => community[i] = Some(value.to_string()),
                "involvement" => {
                    let v = flag("high", "low");
                    let words = "high or low (or 1 or 0), or an empty cell to draw it";
                    attrs.involvement[i] =
                        Some(v.ok_or_else(|| bad(line, name, value, words.into()))?);
                }
                "member" => {
                    let v = flag("true", "false");
                    let words = "true or false (or 1 or 0), or an empty cell to draw it";
                    attrs.member[i] = Some(v.ok_or_else(|| bad(line, name, value, words.into()))?);
                }
                "status" => {
                    let k = STATUSES.iter().position(|s| s.eq_ignore_ascii_case(value));
                    let words = format!(
                        "one of {}, or an empty cell to draw it",
                        STATUSES.join(", ")
                    );
                    let k = k.ok_or_else(|| bad(line, name, value, words))?;
                    attrs.status[i] = Some(
                        [
                            InitialStatus::Unaware,
                            InitialStatus::Aware,
                            InitialStatus::Customer,
                            InitialStatus::Competitor,
                        ][k],
                    );
                }
                "persona" => {
                    let next = persona_index.len();
                    if next >= 255 && !persona_index.contains_key(value) {
                        return Err(bad(line, name, value, "at most 255 persona names".into()));
                    }
                    let k = *persona_index.entry(value.to_string()).or_insert_with(|| {
                        attrs.personas.push((value.to_string(), line));
                        next as u8
                    });
                    attrs.persona[i] = Some(k);
                }
                _ => {}
            }
        }
    }
    let communities = attrs
        .has("community")
        .then(|| dense_communities(&mut attrs, community));
    Ok((attrs, communities))
}

/// Dense community ids from labels: the distinct labels sorted (numerically when all
/// are whole numbers), unlabelled agents in one more community after them.
fn dense_communities(attrs: &mut NodeAttributes, labels: Vec<Option<String>>) -> Vec<u32> {
    let mut distinct: Vec<&str> = labels.iter().flatten().map(String::as_str).collect();
    let numeric = distinct.iter().all(|l| l.parse::<u64>().is_ok());
    if numeric {
        distinct.sort_unstable_by_key(|l| l.parse::<u64>().unwrap_or(0));
    } else {
        distinct.sort_unstable();
    }
    distinct.dedup();
    let index: HashMap<&str, u32> = distinct
        .iter()
        .enumerate()
        .map(|(k, l)| (*l, k as u32))
        .collect();
    let unlabelled = distinct.len() as u32;
    let ids = labels
        .iter()
        .map(|l| l.as_deref().map_or(unlabelled, |l| index[l]))
        .collect();
    attrs.community_labels = distinct.into_iter().map(str::to_string).collect();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(
        text: &str,
        labels: &[u64],
    ) -> Result<(NodeAttributes, Option<Vec<u32>>), NodeFileError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nodes.csv");
        std::fs::write(&path, text).unwrap();
        read_node_file(&path, labels)
    }

    #[test]
    fn communities_are_dense_in_sorted_label_order_and_unlisted_nodes_share_one_more() {
        let text = "id,community,status\n30,10,customer\n10,9,\n20,10,aware\n";
        let (attrs, community) = read(text, &[10, 20, 30, 40]).unwrap();
        assert_eq!(community, Some(vec![0, 1, 1, 2]));
        assert_eq!(attrs.community_labels, ["9", "10"]);
        assert_eq!(attrs.listed, [true, true, true, false]);
        assert_eq!(
            attrs.status,
            [
                None,
                Some(InitialStatus::Aware),
                Some(InitialStatus::Customer),
                None
            ]
        );
        let (attrs, community) = read("id,community\n1,sales\n2,legal\n", &[1, 2]).unwrap();
        assert_eq!(
            (community, attrs.community_labels),
            (Some(vec![1, 0]), vec!["legal".into(), "sales".into()])
        );
    }

    #[test]
    fn attributes_are_read_per_node() {
        let text =
            "member,id,persona,involvement\ntrue,1,social,high\n0,2,private,low\n,3,social,\n";
        let (attrs, community) = read(text, &[1, 2, 3]).unwrap();
        assert_eq!(community, None);
        assert_eq!(attrs.columns, ["member", "persona", "involvement"]);
        assert_eq!(attrs.member, [Some(true), Some(false), None]);
        assert_eq!(attrs.involvement, [Some(true), Some(false), None]);
        assert_eq!(attrs.persona, [Some(0), Some(1), Some(0)]);
        assert_eq!(
            attrs.personas,
            [("social".to_string(), 2), ("private".to_string(), 3)]
        );
    }

    #[test]
    fn bad_cells_name_line_column_value_and_what_is_allowed() {
        for (text, line, column, value, words) in [
            (
                "id,colour\n1,red\n",
                1,
                "header",
                "colour",
                "columns among id, community",
            ),
            ("community\n3\n", 1, "header", "community", "an `id` column"),
            ("id,id\n1,1\n", 1, "header", "id", "each once"),
            ("id\n1\n7\n", 3, "id", "7", "a node of the edge list"),
            ("id\n1\nx\n", 3, "id", "x", "a whole number"),
            ("id\n1\n1\n", 3, "id", "1", "listed once"),
            (
                "id,status\n1,lost\n",
                2,
                "status",
                "lost",
                "unaware, aware, customer, competitor",
            ),
            ("id,member\n1,yes\n", 2, "member", "yes", "true or false"),
            (
                "id,involvement\n2,7\n",
                2,
                "involvement",
                "7",
                "high or low",
            ),
        ] {
            let err = read(text, &[1, 2]).unwrap_err();
            let message = err.to_string();
            let NodeFileError::Value {
                line: l,
                column: c,
                value: v,
                ..
            } = &err
            else {
                panic!("{err:?}")
            };
            assert_eq!(
                (*l, c.as_str(), v.as_str()),
                (line, column, value),
                "{text}"
            );
            assert!(message.contains(words), "{message}");
            assert!(message.contains("nodes.csv\", line"), "{message}");
        }
    }
}
