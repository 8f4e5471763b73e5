//! Reading a results folder's CSVs through [`crate::results::read`]: small tables
//! whole, the time series streamed into per-tick statistics across replicates.

use super::PlotError;
use crate::metrics::t_975;
use crate::results::read::Row;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Mean, spread and range of one quantity over replicates (Welford's running form),
/// streamed so that per-tick bands cost O(1) memory per tick.
#[derive(Clone, Copy, Debug)]
pub struct Stat {
    /// Number of defined values.
    pub n: u32,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
}

impl Default for Stat {
    fn default() -> Self {
        Stat {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }
}

impl Stat {
    /// Adds one defined value.
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / f64::from(self.n);
        self.m2 += d * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    /// The mean; NaN when no value was defined.
    pub fn mean(&self) -> f64 {
        if self.n == 0 { f64::NAN } else { self.mean }
    }

    /// Half the width of the 95% t-interval of the mean (0 for one value, NaN for none).
    pub fn half_width(&self) -> f64 {
        match self.n {
            0 => f64::NAN,
            1 => 0.0,
            n => {
                let var = self.m2 / f64::from(n - 1);
                t_975(n as usize - 1) * (var / f64::from(n)).sqrt()
            }
        }
    }

    /// Mean with the bounds of its 95% band: the t-interval clipped to the range the
    /// values took, so a band never leaves what the quantity can be (no negative
    /// counts, no share above 1); zero width for one value, NaN for none.
    pub fn interval(&self) -> (f64, f64, f64) {
        if self.n == 0 {
            return (f64::NAN, f64::NAN, f64::NAN);
        }
        let (m, h) = (self.mean().clamp(self.min, self.max), self.half_width());
        (m, (m - h).max(self.min), (m + h).min(self.max))
    }

    /// The statistics of `values`.
    pub fn of(values: &[f64]) -> Stat {
        let mut s = Stat::default();
        for &v in values {
            s.push(v);
        }
        s
    }
}

/// Per-tick statistics over replicates of some time-series columns, for each group
/// (a sweep point, a compared scenario, or the single group of a run).
pub struct Series {
    /// Group names in order of first appearance ("" for a run).
    pub groups: Vec<String>,
    columns: Vec<String>,
    /// `cells[group][column][tick]`.
    cells: Vec<Vec<Vec<Stat>>>,
    /// Number of distinct replicate ids seen (over all groups).
    pub replicates: usize,
}

impl Series {
    /// The statistics of `column` for group index `g`, one per tick, when the file has
    /// the column and at least one defined value in it.
    pub fn column(&self, g: usize, column: &str) -> Option<&[Stat]> {
        let c = self.columns.iter().position(|x| x == column)?;
        let cells = &self.cells[g][c];
        cells.iter().any(|s| s.n > 0).then_some(cells.as_slice())
    }

    /// Whether any group has defined values in `column`.
    pub fn has(&self, column: &str) -> bool {
        (0..self.groups.len()).any(|g| self.column(g, column).is_some())
    }

    /// Index of a group by name.
    pub fn group(&self, name: &str) -> Option<usize> {
        self.groups.iter().position(|g| g == name)
    }
}

fn csv_error(path: &Path, e: csv::Error) -> PlotError {
    let line = e.position().map(|p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("a row has {len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "the file is not valid UTF-8".to_string(),
        _ => e.to_string(),
    };
    PlotError::Csv {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// A reader's error as a plot error, naming the file (and the line, for bad CSV).
fn read_error(e: crate::results::ReadError) -> PlotError {
    match e {
        crate::results::ReadError::Open { path, source } => PlotError::Io { path, source },
        crate::results::ReadError::Csv { path, source } => csv_error(&path, source),
    }
}

/// The largest magnitude a cell may hold. murmur writes nothing near it (populations
/// are at most 2^32 agents, money keys have finite ranges); anything larger is a
/// tampered file, and would overflow the spans and squares of the statistics and axes.
pub const MAX_MAGNITUDE: f64 = 1e18;

/// Cells of per-tick statistics a time series may need (groups × columns × ticks):
/// a bound on the memory a file, tampered or not, can make the plots take.
pub const MAX_CELLS: usize = 1 << 26;

fn parse_cell(path: &Path, line: u64, column: &str, cell: &str) -> Result<Option<f64>, PlotError> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(None);
    }
    let error = |what: &str| PlotError::Csv {
        path: path.to_path_buf(),
        line: Some(line),
        message: format!("column `{column}`: `{}` {what}", excerpt(cell)),
    };
    match cell.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= MAX_MAGNITUDE => Ok(Some(v)),
        Ok(v) if !v.is_nan() => Err(error(&format!(
            "is out of range (murmur writes no number beyond ±{MAX_MAGNITUDE:e})"
        ))),
        _ => Err(error("is not a number")),
    }
}

/// A cell cut to about 40 characters for quoting in a message.
fn excerpt(cell: &str) -> String {
    if cell.chars().count() <= 40 {
        cell.to_string()
    } else {
        let mut cut: String = cell.chars().take(37).collect();
        cut.push_str("...");
        cut
    }
}

/// Streams `path` (a timeseries.csv) with [`crate::results::Rows`], keeping the
/// per-tick statistics of the `wanted` columns it has, split by the `group` column
/// when given. Ticks beyond `last_tick` (the manifest's ticks, when it says) are
/// refused, and so is a file whose groups × columns × ticks would exceed [`MAX_CELLS`].
pub fn read_series(
    path: &Path,
    group: Option<&str>,
    wanted: &[&str],
    last_tick: Option<u64>,
) -> Result<Series, PlotError> {
    let rows = crate::results::Rows::open(path).map_err(read_error)?;
    let mut tally = Tally::new(&rows, group, wanted)?;
    for row in rows {
        let row = row.map_err(read_error)?;
        tally.add(path, &row, last_tick)?;
    }
    tally.finish(path)
}

/// The per-tick statistics of a time series, gathered row by row.
struct Tally {
    /// The `tick` column.
    tick_col: usize,
    /// The grouping column, when the series is split.
    group_col: Option<usize>,
    /// The `replicate` column, when the file has one.
    rep_col: Option<usize>,
    /// The wanted columns the file has, in the order wanted, and their indices.
    columns: Vec<String>,
    indices: Vec<usize>,
    /// Group names in order of first appearance, and their indices.
    groups: Vec<String>,
    group_index: HashMap<String, usize>,
    /// `cells[group][column][tick]`.
    cells: Vec<Vec<Vec<Stat>>>,
    /// The distinct replicate ids seen.
    reps: HashSet<String>,
    /// One past the largest tick seen.
    widest: usize,
}

impl Tally {
    /// An empty tally of the columns of `rows` that the plots want.
    fn new(
        rows: &crate::results::Rows,
        group: Option<&str>,
        wanted: &[&str],
    ) -> Result<Tally, PlotError> {
        let missing = |name: &str| PlotError::Csv {
            path: rows.path.clone(),
            line: Some(1),
            message: format!("the header has no `{name}` column"),
        };
        let tick_col = rows.column("tick").ok_or_else(|| missing("tick"))?;
        let group_col = match group {
            Some(g) => Some(rows.column(g).ok_or_else(|| missing(g))?),
            None => None,
        };
        let mut columns: Vec<String> = Vec::new();
        let mut indices = Vec::new();
        for &w in wanted {
            if let Some(i) = rows.column(w)
                && !columns.iter().any(|c| c == w)
            {
                columns.push(w.to_string());
                indices.push(i);
            }
        }
        Ok(Tally {
            tick_col,
            group_col,
            rep_col: rows.column("replicate"),
            columns,
            indices,
            groups: Vec::new(),
            group_index: HashMap::new(),
            cells: Vec::new(),
            reps: HashSet::new(),
            widest: 0,
        })
    }

    /// Adds one row's values to its group's statistics at its tick.
    fn add(&mut self, path: &Path, row: &Row, last_tick: Option<u64>) -> Result<(), PlotError> {
        let cell = |i: usize| row.cells.get(i).map_or("", String::as_str);
        let tick = tick_of(path, row.line, cell(self.tick_col), last_tick)?;
        // Every group's columns will span the ticks seen: bound what that takes.
        self.widest = self.widest.max(tick.saturating_add(1));
        let needed = (self.groups.len() + 1)
            .saturating_mul(self.columns.len())
            .saturating_mul(self.widest);
        if needed > MAX_CELLS {
            return Err(PlotError::Csv {
                path: path.to_path_buf(),
                line: Some(row.line),
                message: format!(
                    "{} groups × {} columns × {} ticks are too many to plot \
                     (at most {MAX_CELLS} values)",
                    self.groups.len() + 1,
                    self.columns.len(),
                    self.widest,
                ),
            });
        }
        let g = self.group_of(self.group_col.map_or("", |c| cell(c).trim()));
        if let Some(r) = self.rep_col
            && let Some(rep) = row.cells.get(r)
            && !self.reps.contains(rep)
        {
            self.reps.insert(rep.clone());
        }
        for (c, &i) in self.indices.iter().enumerate() {
            let value = parse_cell(path, row.line, &self.columns[c], cell(i))?;
            let col = &mut self.cells[g][c];
            if col.len() <= tick {
                col.resize(tick + 1, Stat::default());
            }
            if let Some(v) = value {
                col[tick].push(v);
            }
        }
        Ok(())
    }

    /// The index of the group named `name` ("" for a run), added when new.
    fn group_of(&mut self, name: &str) -> usize {
        if let Some(&g) = self.group_index.get(name) {
            return g;
        }
        self.group_index.insert(name.to_string(), self.groups.len());
        self.groups.push(name.to_string());
        self.cells.push(vec![Vec::new(); self.columns.len()]);
        self.groups.len() - 1
    }

    /// The series, every column of every group spanning the same ticks.
    fn finish(mut self, path: &Path) -> Result<Series, PlotError> {
        if self.groups.is_empty() {
            return Err(PlotError::Csv {
                path: path.to_path_buf(),
                line: None,
                message: "the file has no rows".to_string(),
            });
        }
        let ticks = self
            .cells
            .iter()
            .flat_map(|g| g.iter().map(Vec::len))
            .max()
            .unwrap_or(0);
        for g in &mut self.cells {
            for c in g.iter_mut() {
                c.resize(ticks, Stat::default());
            }
        }
        Ok(Series {
            groups: self.groups,
            columns: self.columns,
            cells: self.cells,
            replicates: self.reps.len().max(1),
        })
    }
}

/// A `tick` cell as an index, refused when it is not a tick number or is past
/// `last_tick`.
fn tick_of(path: &Path, line: u64, cell: &str, last_tick: Option<u64>) -> Result<usize, PlotError> {
    let cell = cell.trim();
    let error = |message: String| PlotError::Csv {
        path: path.to_path_buf(),
        line: Some(line),
        message,
    };
    match cell.parse::<u64>() {
        Ok(t) if last_tick.is_none_or(|last| t <= last) => Ok(t as usize),
        Ok(t) => Err(error(format!(
            "column `tick`: {t} is past the last tick, {} (manifest.json)",
            last_tick.unwrap_or_default()
        ))),
        Err(_) => Err(error(format!(
            "column `tick`: `{}` is not a tick number",
            excerpt(cell)
        ))),
    }
}

/// A small CSV held whole (read with [`crate::results::Table`]): its header and its
/// rows as trimmed text, with numbers parsed on demand and refused beyond
/// [`MAX_MAGNITUDE`].
pub struct Table {
    /// The file read.
    pub path: PathBuf,
    /// The column names, trimmed.
    pub headers: Vec<String>,
    /// Each row's line in the file and its cells, trimmed.
    rows: Vec<(u64, Vec<String>)>,
}

impl Table {
    /// Reads `path` whole with [`crate::results::Table`], headers and cells trimmed.
    pub fn read(path: &Path) -> Result<Table, PlotError> {
        let table = crate::results::Table::read(path).map_err(read_error)?;
        let trim = |cells: Vec<String>| -> Vec<String> {
            cells.iter().map(|c| c.trim().to_string()).collect()
        };
        Ok(Table {
            path: table.path,
            headers: trim(table.header),
            rows: table
                .rows
                .into_iter()
                .map(|r| (r.line, trim(r.cells)))
                .collect(),
        })
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The index of the column named `name`.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The column's index, or an error naming the file and the column.
    pub fn require(&self, name: &str) -> Result<usize, PlotError> {
        self.col(name).ok_or_else(|| PlotError::Csv {
            path: self.path.clone(),
            line: Some(1),
            message: format!("the header has no `{name}` column"),
        })
    }

    /// A cell's text, trimmed ("" past the row's end).
    pub fn text(&self, row: usize, col: usize) -> &str {
        self.rows[row].1.get(col).map_or("", String::as_str)
    }

    /// The number in a cell; `None` when the cell is empty (not defined).
    pub fn num(&self, row: usize, col: usize) -> Result<Option<f64>, PlotError> {
        let (line, cells) = &self.rows[row];
        parse_cell(
            &self.path,
            *line,
            &self.headers[col],
            cells.get(col).map_or("", String::as_str),
        )
    }

    /// Whether the column exists and holds at least one defined number.
    pub fn has_values(&self, name: &str) -> Result<bool, PlotError> {
        let Some(c) = self.col(name) else {
            return Ok(false);
        };
        for r in 0..self.len() {
            if self.num(r, c)?.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_matches_hand_computation() {
        let s = Stat::of(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(s.mean(), 2.5);
        // sd = sqrt(5/3); half = t(3) * sd / 2
        let expected = 3.182 * (5.0f64 / 3.0).sqrt() / 2.0;
        assert!((s.half_width() - expected).abs() < 1e-9);
        assert_eq!(Stat::of(&[7.0]).half_width(), 0.0);
        assert_eq!(Stat::of(&[7.0]).interval(), (7.0, 7.0, 7.0));
        assert!(Stat::default().mean().is_nan());
        assert!(Stat::default().interval().1.is_nan());
    }

    #[test]
    fn band_stays_within_the_values() {
        // Two-humped: the t-interval would reach below 0.
        let s = Stat::of(&[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 100.0, 100.0]);
        let (m, lo, hi) = s.interval();
        assert!(m - s.half_width() < 0.0);
        assert_eq!((m, lo), (20.0, 0.0));
        assert!(hi <= 100.0);
    }
}
