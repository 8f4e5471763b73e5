//! A comparison's summary: each scenario's means (common random numbers), the paired
//! differences against the baseline (differences.csv) and the programme's value
//! (programme.csv). The numbers are compare's; this module only lays them out.

use super::markup::{bounds, cell, decimals, esc, fmt, interval_decimals};
use super::run::{diagnosis, metric_table};
use super::table::Table;
use super::{ReportError, compared_names, distinct};
use crate::metrics::Interval;
use crate::results::Manifest;
use std::fmt::Write as _;
use std::path::Path;

/// A comparison's summary: each scenario's means, the paired differences against the
/// baseline and the programme's value.
pub(super) fn summary(
    page: &mut String,
    dir: &Path,
    manifest: &Manifest,
    summary: &Table,
) -> Result<(), ReportError> {
    let scenario_col = summary
        .index("scenario")
        .ok_or_else(|| ReportError::Invalid {
            path: summary.path.clone(),
            reason: "a comparison's summary.csv has no `scenario` column".into(),
        })?;
    let mut names = compared_names(manifest, summary);
    for extra in distinct(summary.rows.iter().map(|r| r[scenario_col].as_str())) {
        if !names.contains(&extra) {
            names.push(extra);
        }
    }
    page.push_str(
        "<p class=\"note\">Every scenario ran on the same seeds (common random numbers). \
         Means over replicates with 95% confidence intervals (percentile bootstrap).</p>\n",
    );
    for name in &names {
        let rows: Vec<&Vec<String>> = summary
            .rows
            .iter()
            .filter(|r| &r[scenario_col] == name)
            .collect();
        let _ = writeln!(
            page,
            "<h3>{} <span class=\"ci\">({} replicates)</span></h3>",
            esc(name),
            rows.len()
        );
        metric_table(page, summary, &rows);
        diagnosis(page, summary, &rows);
    }

    if let Some(diff) = Table::read_optional(&dir.join(crate::results::DIFFERENCES))? {
        differences_table(page, manifest, &diff)?;
    }
    if let Some(programme) = Table::read_optional(&dir.join(crate::results::PROGRAMME))? {
        programme_table(page, &programme)?;
    }
    Ok(())
}

/// The differences.csv table.
fn differences_table(
    page: &mut String,
    manifest: &Manifest,
    diff: &Table,
) -> Result<(), ReportError> {
    let cols = diff.require(&crate::results::DIFFERENCES_COLUMNS)?;
    let baseline = manifest.baseline.as_deref().unwrap_or("baseline");
    page.push_str(
        "<p class=\"note\">Paired difference (scenario − baseline, replicate by replicate on \
         common random numbers) with its 95% interval, beside the interval an unpaired \
         comparison would give. Greyed rows: the paired interval includes 0.</p>\n",
    );
    for name in distinct(diff.rows.iter().map(|r| r[cols[0]].as_str())) {
        let _ = writeln!(
            page,
            "<h3>Differences: {} − {}</h3>",
            esc(&name),
            esc(baseline)
        );
        page.push_str(
            "<div class=\"wrap\"><table class=\"differences\">\n<thead><tr><th>metric</th>\
             <th class=\"num\">baseline mean</th><th class=\"num\">mean</th>\
             <th class=\"num\">difference</th><th class=\"num\">paired 95% interval</th>\
             <th class=\"num\">unpaired 95% interval</th></tr></thead>\n<tbody>\n",
        );
        for row in diff.rows.iter().filter(|r| r[cols[0]] == name) {
            let v: Vec<Option<f64>> = cols[2..].iter().map(|&c| cell(&row[c])).collect();
            let (base, mean, d, lo, hi, ulo, uhi) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
            let md = decimals(&[base, mean].into_iter().flatten().collect::<Vec<_>>());
            let dd = decimals(
                &[d, lo, hi, ulo, uhi]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>(),
            );
            let significant = matches!((lo, hi), (Some(l), Some(h)) if l > 0.0 || h < 0.0);
            let opt = |x: Option<f64>, d: usize| x.map_or_else(|| "—".to_owned(), |x| fmt(x, d));
            let interval = |l: Option<f64>, h: Option<f64>| match (l, h) {
                (None, None) => "—".to_owned(),
                _ => format!("[{}, {}]", opt(l, dd), opt(h, dd)),
            };
            let _ = writeln!(
                page,
                "<tr{}><td><code>{}</code></td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num ci\">{}</td></tr>",
                if significant { "" } else { " class=\"ns\"" },
                esc(&row[cols[1]]),
                opt(base, md),
                opt(mean, md),
                opt(d, dd),
                interval(lo, hi),
                interval(ulo, uhi),
            );
        }
        page.push_str("</tbody></table></div>\n");
    }
    Ok(())
}

/// programme.csv summarised per scenario: the mean of each figure (extra customers,
/// expansion, acceleration and their values) with its interval.
fn programme_table(page: &mut String, programme: &Table) -> Result<(), ReportError> {
    let sc = programme.require(&["scenario"])?[0];
    page.push_str(
        "<h3>Programme value</h3>\n<p class=\"note\">Extra customers against the baseline, \
         split into market expansion (customers the baseline never won: they bought from \
         the competitor, counted apart, or nothing) and acceleration \
         (customers won earlier), with their values; mean over replicates with its 95% \
         interval.</p>\n<div class=\"wrap\"><table class=\"programme\">\n<thead><tr>\
         <th>scenario</th><th>figure</th><th class=\"num\">mean</th>\
         <th class=\"num\">95% interval</th><th class=\"num\">n</th></tr></thead>\n<tbody>\n",
    );
    for name in distinct(programme.rows.iter().map(|r| r[sc].as_str())) {
        let rows: Vec<&Vec<String>> = programme.rows.iter().filter(|r| r[sc] == name).collect();
        for c in programme.metric_columns() {
            let values = programme.values(c, rows.iter().copied());
            let _ = write!(
                page,
                "<tr><td>{}</td><td><code>{}</code></td>",
                esc(&name),
                esc(&programme.header[c])
            );
            match Interval::of(&values) {
                Some(i) => {
                    let d = interval_decimals(&i);
                    let _ = write!(
                        page,
                        "<td class=\"num\">{}</td><td class=\"num\">{}</td>",
                        fmt(i.mean, d),
                        bounds(&i, d)
                    );
                }
                None => page.push_str(
                    "<td class=\"num\">—</td><td class=\"num undefined\">not defined</td>",
                ),
            }
            let _ = writeln!(page, "<td class=\"num\">{}</td></tr>", values.len());
        }
    }
    page.push_str("</tbody></table></div>\n");
    Ok(())
}
