//! The folder's files as the report reads them: CSVs whole through
//! [`crate::results::Table`], with the lookups the summaries need (columns by name,
//! metric columns, a column's defined values), and text files.

use super::ReportError;
use super::markup::cell;
use std::path::{Path, PathBuf};

/// Reads a text file, naming it in the error.
pub(super) fn read_text(path: &Path) -> Result<String, ReportError> {
    std::fs::read_to_string(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// A CSV file: its header and its rows of text cells, as written.
pub(super) struct Table {
    /// The file read.
    pub path: PathBuf,
    /// The column names.
    pub header: Vec<String>,
    /// The rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Reads a CSV whole with [`crate::results::Table`].
    pub fn read(path: &Path) -> Result<Table, ReportError> {
        let table = crate::results::Table::read(path).map_err(|e| match e {
            crate::results::ReadError::Open { path, source } => ReportError::Read { path, source },
            crate::results::ReadError::Csv { path, source } => ReportError::Csv { path, source },
        })?;
        Ok(Table {
            path: table.path,
            header: table.header,
            rows: table.rows.into_iter().map(|r| r.cells).collect(),
        })
    }

    /// Reads a CSV whole when it is a file; `None` when it is absent.
    pub fn read_optional(path: &Path) -> Result<Option<Table>, ReportError> {
        if path.is_file() {
            Table::read(path).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The index of the column named `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The indexes of the named columns, or an error naming the first missing one.
    pub fn require(&self, names: &[&str]) -> Result<Vec<usize>, ReportError> {
        names
            .iter()
            .map(|n| {
                self.index(n).ok_or_else(|| ReportError::Invalid {
                    path: self.path.clone(),
                    reason: format!("no `{n}` column"),
                })
            })
            .collect()
    }

    /// The metric columns: those after `replicate` (or all but the identifying ones)
    /// whose every non-empty cell is a number.
    pub fn metric_columns(&self) -> Vec<usize> {
        let start = self.index("replicate").map_or(0, |i| i + 1);
        (start..self.header.len())
            .filter(|&c| !matches!(self.header[c].as_str(), "scenario" | "point" | "replicate"))
            .filter(|&c| {
                self.rows.iter().all(|r| {
                    let v = r[c].trim();
                    v.is_empty() || v.parse::<f64>().is_ok()
                })
            })
            .collect()
    }

    /// The defined, finite values of column `c` over `rows`.
    pub fn values<'a>(&self, c: usize, rows: impl Iterator<Item = &'a Vec<String>>) -> Vec<f64> {
        rows.filter_map(|r| cell(&r[c])).collect()
    }
}
