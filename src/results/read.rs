//! Reading a results folder's CSVs: one reader for every table, used by `report` and
//! `plot`. Small tables (summary, differences, programme, points, degrees) are held
//! whole as a [`Table`]; a time series, which can be large, is streamed row by row
//! with [`Rows`]. Cells are kept as written; each consumer parses the numbers it needs
//! and names its own errors.

use std::path::{Path, PathBuf};

/// Why a CSV could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened.
    #[error("cannot read {path}: {source}")]
    Open {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The file is not CSV murmur can read (bad UTF-8, a short row, ...).
    #[error("{path}: {source}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The parser's reason, with its position.
        #[source]
        source: csv::Error,
    },
}

/// One row of a [`Table`]: its line in the file (1 is the header) and its cells.
#[derive(Clone, Debug)]
pub struct Row {
    /// The line the row starts on.
    pub line: u64,
    /// Its cells, as written.
    pub cells: Vec<String>,
}

/// A CSV file held whole: its header and its rows, every row as long as the header.
#[derive(Clone, Debug)]
pub struct Table {
    /// The file read.
    pub path: PathBuf,
    /// The column names, as written.
    pub header: Vec<String>,
    /// The rows, in file order.
    pub rows: Vec<Row>,
}

impl Table {
    /// Reads `path` whole.
    pub fn read(path: &Path) -> Result<Table, ReadError> {
        let rows = Rows::open(path)?;
        let header = rows.header.clone();
        Ok(Table {
            path: path.to_path_buf(),
            header,
            rows: rows.collect::<Result<_, _>>()?,
        })
    }

    /// Reads `path` whole when it is a file; `None` when it is absent.
    pub fn read_optional(path: &Path) -> Result<Option<Table>, ReadError> {
        if path.is_file() {
            Table::read(path).map(Some)
        } else {
            Ok(None)
        }
    }

    /// The index of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

/// A CSV file read row by row, so that a large file (a sweep's time series) never has
/// to be held whole: its header, then its rows as an iterator.
pub struct Rows {
    /// The file read.
    pub path: PathBuf,
    /// The column names, as written.
    pub header: Vec<String>,
    reader: csv::Reader<std::io::BufReader<std::fs::File>>,
    record: csv::StringRecord,
}

impl Rows {
    /// Opens `path` and reads its header.
    pub fn open(path: &Path) -> Result<Rows, ReadError> {
        let file = std::fs::File::open(path).map_err(|source| ReadError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let mut reader = csv::Reader::from_reader(std::io::BufReader::new(file));
        let header = reader
            .headers()
            .map_err(|source| ReadError::Csv {
                path: path.to_path_buf(),
                source,
            })?
            .iter()
            .map(str::to_owned)
            .collect();
        Ok(Rows {
            path: path.to_path_buf(),
            header,
            reader,
            record: csv::StringRecord::new(),
        })
    }

    /// The index of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

impl Iterator for Rows {
    type Item = Result<Row, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => Some(Ok(Row {
                line: self.record.position().map_or(0, |p| p.line()),
                cells: self.record.iter().map(str::to_owned).collect(),
            })),
            Err(source) => Some(Err(ReadError::Csv {
                path: self.path.clone(),
                source,
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_keeps_cells_and_lines_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "a,b\n1, 2\n\"x\ny\",\n").unwrap();
        let t = Table::read(&path).unwrap();
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(t.rows[0].cells, ["1", " 2"]);
        assert_eq!((t.rows[0].line, t.rows[1].line), (2, 3));
        assert_eq!(t.rows[1].cells, ["x\ny", ""]);
        assert_eq!(t.column("b"), Some(1));
        assert!(
            Table::read_optional(&dir.path().join("none.csv"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_short_row_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "a,b\n1\n").unwrap();
        let e = Table::read(&path).unwrap_err();
        assert!(matches!(e, ReadError::Csv { .. }), "{e}");
        assert!(e.to_string().contains("t.csv"), "{e}");
    }
}
