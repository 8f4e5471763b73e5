//! A sweep's summary: one row per point with its parameter values (from points.csv,
//! else summary.csv) and the mean and 95% interval of each headline metric. The
//! points themselves are laid out by `sweep`; this module only reads them back.

use super::markup::{decimals, esc, interval_cell};
use super::table::Table;
use super::{ReportError, distinct};
use crate::metrics::Interval;
use crate::results::Manifest;
use std::fmt::Write as _;
use std::path::Path;

/// The headline metrics of a marketing sweep, shown when summary.csv has them.
const MARKETING: [&str; 3] = ["final_customers", "churn_hazard", "cumulative_profit"];
/// The headline metrics of a classic (Bass, IC, LT) sweep.
const CLASSIC: [&str; 3] = ["final_adopters", "final_share", "peak_tick"];

/// What the sweep table shows: its columns and, per point, the headline intervals.
struct Layout {
    /// The `point` column of summary.csv.
    point_col: usize,
    /// The swept key paths, in column order.
    parameters: Vec<String>,
    /// The headline metric columns of summary.csv.
    headline: Vec<usize>,
    /// The point ids, in order of first appearance.
    points: Vec<String>,
    /// Each point's interval for each headline metric.
    intervals: Vec<Vec<Option<Interval>>>,
    /// One number of decimals per headline column.
    digits: Vec<usize>,
}

/// A sweep's summary: one row per point with its parameter values and headline
/// metrics.
pub(super) fn summary(
    page: &mut String,
    dir: &Path,
    manifest: &Manifest,
    summary: &Table,
) -> Result<(), ReportError> {
    let points_table = Table::read_optional(&dir.join(crate::results::POINTS))?;
    let layout = layout(manifest, summary)?;
    let _ = writeln!(
        page,
        "<p class=\"note\">{} points; each cell is the mean over the point's replicates \
         with its 95% confidence interval.</p>",
        layout.points.len()
    );
    header(page, &layout, summary);
    for (point, row_intervals) in layout.points.iter().zip(&layout.intervals) {
        let _ = write!(page, "<tr><td class=\"num\">{}</td>", esc(point));
        for p in &layout.parameters {
            let value = parameter_value(points_table.as_ref(), summary, &layout, point, p);
            let _ = write!(page, "<td>{}</td>", esc(value));
        }
        for (k, interval) in row_intervals.iter().enumerate() {
            page.push_str(&interval_cell(*interval, layout.digits[k]));
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody></table></div>\n");
    Ok(())
}

/// The table's columns and the headline intervals of every point.
fn layout(manifest: &Manifest, summary: &Table) -> Result<Layout, ReportError> {
    let point_col = summary.index("point").ok_or_else(|| ReportError::Invalid {
        path: summary.path.clone(),
        reason: "a sweep's summary.csv has no `point` column".into(),
    })?;
    let replicate_col = summary.index("replicate").unwrap_or(summary.header.len());
    let parameters: Vec<String> = match &manifest.parameters {
        Some(p) if !p.is_empty() => p.clone(),
        _ => summary.header[point_col + 1..replicate_col].to_vec(),
    };
    let names = if summary.index("final_customers").is_some() {
        MARKETING
    } else {
        CLASSIC
    };
    let headline: Vec<usize> = names.iter().filter_map(|m| summary.index(m)).collect();
    let points = distinct(summary.rows.iter().map(|r| r[point_col].as_str()));
    let intervals: Vec<Vec<Option<Interval>>> = points
        .iter()
        .map(|p| {
            let rows: Vec<&Vec<String>> =
                summary.rows.iter().filter(|r| &r[point_col] == p).collect();
            let values: Vec<Vec<f64>> = headline
                .iter()
                .map(|&c| summary.values(c, rows.iter().copied()))
                .collect();
            Interval::of_columns(&values)
        })
        .collect();
    let digits = column_digits(&intervals, headline.len());
    Ok(Layout {
        point_col,
        parameters,
        headline,
        points,
        intervals,
        digits,
    })
}

/// One number format per headline column, from every point's mean and bounds in it.
fn column_digits(intervals: &[Vec<Option<Interval>>], columns: usize) -> Vec<usize> {
    (0..columns)
        .map(|k| {
            let all: Vec<f64> = intervals
                .iter()
                .filter_map(|row| row[k])
                .flat_map(|i| [Some(i.mean), i.low(), i.high()])
                .flatten()
                .collect();
            decimals(&all)
        })
        .collect()
}

/// The table's opening and header row: point, parameters, headline metrics.
fn header(page: &mut String, layout: &Layout, summary: &Table) {
    page.push_str("<div class=\"wrap\"><table class=\"summary sweep\">\n<thead><tr><th>point</th>");
    for p in &layout.parameters {
        let _ = write!(page, "<th><code>{}</code></th>", esc(p));
    }
    for &c in &layout.headline {
        let _ = write!(
            page,
            "<th class=\"num\"><code>{}</code> mean [95% interval]</th>",
            esc(&summary.header[c])
        );
    }
    page.push_str("</tr></thead>\n<tbody>\n");
}

/// A point's value of parameter `p`: from points.csv when it has the point and the
/// column, else from the point's first row of summary.csv, else empty.
fn parameter_value<'a>(
    points_table: Option<&'a Table>,
    summary: &'a Table,
    layout: &Layout,
    point: &str,
    p: &str,
) -> &'a str {
    let from_points = points_table.and_then(|t| {
        let pc = t.index("point")?;
        t.rows.iter().find(|r| r[pc] == point).map(|r| (t, r))
    });
    let first = summary.rows.iter().find(|r| r[layout.point_col] == point);
    from_points
        .and_then(|(t, r)| t.index(p).map(|c| r[c].as_str()))
        .or_else(|| summary.index(p).and_then(|c| first.map(|r| r[c].as_str())))
        .unwrap_or("")
}
