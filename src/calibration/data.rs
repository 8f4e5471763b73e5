//! The observed data of a calibration (docs/MODEL.md §4.17, docs/OUTPUTS.md): a CSV
//! file with a header, a `tick` column and one or more of murmur's time-series columns
//! (the names `timeseries.csv` uses), `#` comment lines allowed. Ticks may be any
//! subset of 0..=ticks, in any order; an empty cell is a missing observation. Every
//! problem is bad input naming the data file, its line and column, and the
//! scenario's `calibration.data` (or `calibration.fit`) key.

use crate::results::{BASE_COLUMNS, MARKETING_COLUMNS};
use crate::scenario::{ModelSpec, Scenario, ScenarioError};
use std::path::{Path, PathBuf};

/// An observed series: per column, the value at each observed tick.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// The data file, as read.
    pub path: PathBuf,
    /// The observed ticks, ascending.
    pub ticks: Vec<u32>,
    /// The fitted columns' names, in the data file's order.
    pub columns: Vec<String>,
    /// `values[column][k]`: the column's value at `ticks[k]` (NaN: missing).
    pub values: Vec<Vec<f64>>,
}

impl Observed {
    /// Each fitted column's standard deviation over its observations, the scale of
    /// its errors in the distance (1 when it is 0 or undefined, so a constant column
    /// is compared in its own units).
    pub fn scales(&self) -> Vec<f64> {
        self.values
            .iter()
            .map(|v| {
                let x: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
                if x.len() < 2 {
                    return 1.0;
                }
                let n = x.len() as f64;
                let mean = x.iter().sum::<f64>() / n;
                let sd =
                    (x.iter().map(|y| (y - mean) * (y - mean)).sum::<f64>() / (n - 1.0)).sqrt();
                if sd > 0.0 { sd } else { 1.0 }
            })
            .collect()
    }
}

/// The time-series columns of `scenario`'s model, as `timeseries.csv` names them
/// (without `replicate` and `tick`).
pub fn timeseries_columns(scenario: &Scenario) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = BASE_COLUMNS[2..].to_vec();
    if matches!(scenario.model, ModelSpec::Marketing(_)) {
        out.extend(MARKETING_COLUMNS);
    }
    out
}

/// A problem with the data file, at `line` and `column` of it, as a scenario error of
/// `key` (`calibration.data` or `calibration.fit`) of the scenario file `scenario`.
fn problem(
    scenario: &Path,
    key: &str,
    data: &Path,
    at: Option<(u64, usize)>,
    what: String,
) -> ScenarioError {
    let place = match at {
        Some((line, 0)) => format!("{}, line {line}", data.display()),
        Some((line, column)) => format!("{}, line {line}, column {column}", data.display()),
        None => data.display().to_string(),
    };
    ScenarioError::new(scenario, format!("{place}: {what}")).at_key(key)
}

/// Reads the observed data at `data` for `scenario` (the file `file`), keeping the
/// columns of `fit` (all of the file's, when empty), in the file's order.
pub fn read(
    data: &Path,
    scenario: &Scenario,
    file: &Path,
    fit: &[String],
) -> Result<Observed, ScenarioError> {
    let bad = |at, what: String| problem(file, "calibration.data", data, at, what);
    let text = std::fs::read(data).map_err(|e| {
        let what = match e.kind() {
            std::io::ErrorKind::NotFound => "the data file does not exist".to_string(),
            _ => format!("cannot read the data file: {e}"),
        };
        bad(None, what).allowing(
            "the path of a CSV file with a tick column, relative to the scenario file's folder",
        )
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_slice());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| bad(None, format!("cannot read the data file as CSV: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let known = timeseries_columns(scenario);
    let allowed = format!("tick, then any of {}", known.join(", "));
    if header.iter().all(String::is_empty) {
        return Err(bad(None, "the data file is empty".into()).allowing(allowed));
    }
    // The header is the first line that is not a comment.
    let header_line = 1 + text
        .split(|&b| b == b'\n')
        .take_while(|l| l.first() == Some(&b'#'))
        .count() as u64;
    let Some(tick_at) = header.iter().position(|h| h == "tick") else {
        return Err(bad(
            Some((header_line, 0)),
            "the header has no `tick` column".into(),
        )
        .allowing(allowed));
    };
    for (c, name) in header.iter().enumerate() {
        if c != tick_at && !known.contains(&name.as_str()) {
            return Err(bad(
                Some((header_line, c + 1)),
                format!("`{name}` is not a time-series column of this model"),
            )
            .allowing(allowed)
            .suggesting(name, known.iter().copied()));
        }
        if header[..c].contains(name) {
            return Err(bad(
                Some((header_line, c + 1)),
                format!("the column `{name}` appears twice"),
            ));
        }
    }
    let columns: Vec<usize> = (0..header.len()).filter(|&c| c != tick_at).collect();
    if columns.is_empty() {
        return Err(bad(
            Some((header_line, 0)),
            "the header has no column besides `tick`".into(),
        )
        .allowing(allowed));
    }
    for name in fit {
        if !columns.iter().any(|&c| &header[c] == name) {
            let data_columns: Vec<&str> = columns.iter().map(|&c| header[c].as_str()).collect();
            return Err(problem(
                file,
                "calibration.fit",
                data,
                None,
                format!("`{name}` is to be fitted but the data file has no such column"),
            )
            .allowing(format!(
                "the data file's columns: {}",
                data_columns.join(", ")
            ))
            .suggesting(name, data_columns.iter().copied()));
        }
    }
    let kept: Vec<usize> = columns
        .into_iter()
        .filter(|&c| fit.is_empty() || fit.contains(&header[c]))
        .collect();
    let mut rows: Vec<(u32, Vec<f64>)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| bad(None, format!("cannot read the data file: {e}")))?;
        let line = record.position().map_or(0, csv::Position::line);
        let cell = |c: usize| record.get(c).unwrap_or("");
        let tick_text = cell(tick_at);
        let tick = match tick_text.parse::<u32>() {
            Ok(t) if t <= scenario.ticks => t,
            Ok(t) => {
                return Err(bad(
                    Some((line, tick_at + 1)),
                    format!(
                        "tick {t} is beyond the scenario's horizon of {} ticks",
                        scenario.ticks
                    ),
                )
                .allowing(format!("whole numbers from 0 to {}", scenario.ticks)));
            }
            Err(_) => {
                return Err(bad(
                    Some((line, tick_at + 1)),
                    format!("`{tick_text}` is not a tick"),
                )
                .allowing(format!("whole numbers from 0 to {}", scenario.ticks)));
            }
        };
        if rows.iter().any(|(t, _)| *t == tick) {
            return Err(bad(
                Some((line, tick_at + 1)),
                format!("tick {tick} appears twice"),
            ));
        }
        let mut values = Vec::with_capacity(kept.len());
        for &c in &kept {
            let text = cell(c);
            let value = if text.is_empty() {
                f64::NAN
            } else {
                match text.parse::<f64>() {
                    Ok(v) if v.is_finite() => v,
                    _ => {
                        return Err(bad(
                            Some((line, c + 1)),
                            format!("`{text}` in column `{}` is not a number", header[c]),
                        )
                        .allowing("a finite number, or an empty cell for a missing observation"));
                    }
                }
            };
            values.push(value);
        }
        rows.push((tick, values));
    }
    if rows.is_empty() {
        return Err(bad(
            None,
            "the data file has a header but no observations".into(),
        )
        .allowing("one row per observed tick under the header"));
    }
    rows.sort_by_key(|(t, _)| *t);
    Ok(Observed {
        path: data.to_path_buf(),
        ticks: rows.iter().map(|(t, _)| *t).collect(),
        columns: kept.iter().map(|&c| header[c].clone()).collect(),
        values: (0..kept.len())
            .map(|j| rows.iter().map(|(_, v)| v[j]).collect())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bass() -> Scenario {
        Scenario::from_str_at(
            "ticks = 10\n[population]\nsize = 50\n[network]\nkind = \"complete\"\n\
             [model]\nkind = \"bass\"\np = 0.01\nq = 0.1\n",
            Path::new("s.toml"),
        )
        .unwrap()
    }

    fn read_text(text: &str, fit: &[&str]) -> Result<Observed, ScenarioError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.csv");
        std::fs::write(&path, text).unwrap();
        let fit: Vec<String> = fit.iter().map(|s| s.to_string()).collect();
        read(&path, &bass(), Path::new("s.toml"), &fit)
    }

    #[test]
    fn a_subset_of_ticks_with_comments_reads_in_tick_order() {
        let o = read_text(
            "# made up\ntick,adopters,new_adopters\n5,10,2\n0,0,0\n",
            &["adopters"],
        )
        .unwrap();
        assert_eq!(o.ticks, [0, 5]);
        assert_eq!(o.columns, ["adopters"]);
        assert_eq!(o.values, [vec![0.0, 10.0]]);
    }

    #[test]
    fn bad_data_names_its_line_column_and_what_is_allowed() {
        // (text, fit, words in the message)
        let cases: [(&str, &[&str], &str); 6] = [
            ("tick,adopterz\n1,2\n", &[], "line 1, column 2: `adopterz`"),
            (
                "tick,adopters\n11,2\n",
                &[],
                "line 2, column 1: tick 11 is beyond",
            ),
            ("tick,adopters\n1,many\n", &[], "line 2, column 2: `many`"),
            ("", &[], "empty"),
            ("tick,adopters\n", &[], "no observations"),
            (
                "tick,adopters\n1,2\n",
                &["share"],
                "`share` is to be fitted",
            ),
        ];
        for (text, fit, words) in cases {
            let e = read_text(text, fit).unwrap_err();
            assert!(e.to_string().contains(words), "{text:?}: {e}");
        }
        let e = read_text("tick,adopterz\n1,2\n", &[]).unwrap_err();
        assert_eq!(e.suggestion.as_deref(), Some("adopters"));
        assert_eq!(e.key.as_deref(), Some("calibration.data"));
    }
}
