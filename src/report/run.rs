//! A run's summary: one row per metric of summary.csv, its mean over replicates with
//! the 95% interval. The per-metric table is shared with the comparison's summary.

use super::markup::{bounds, cell, esc, fmt, interval_decimals};
use super::table::Table;
use crate::metrics::Interval;
use crate::results::diagnosis_sentence;
use std::fmt::Write as _;

/// A run's summary: one row per metric of summary.csv.
pub(super) fn summary(page: &mut String, summary: &Table) {
    let rows: Vec<&Vec<String>> = summary.rows.iter().collect();
    let _ = writeln!(
        page,
        "<p class=\"note\">Mean over {} replicates with its 95% confidence interval \
         (percentile bootstrap; none for a single value); n counts the replicates where \
         the metric is defined.</p>",
        rows.len()
    );
    metric_table(page, summary, &rows);
    diagnosis(page, summary, &rows);
}

/// The `diagnosis` column in words (docs/MODEL.md §4.7.14): each verdict with the
/// number of replicates that reached it. Nothing when the column is absent.
pub(super) fn diagnosis(page: &mut String, table: &Table, rows: &[&Vec<String>]) {
    let Some(c) = table.index("diagnosis") else {
        return;
    };
    let codes = table.values(c, rows.iter().copied());
    for code in [1.0, -1.0] {
        let n = codes.iter().filter(|&&x| x == code).count();
        if let (Some(sentence), true) = (diagnosis_sentence(code), n > 0) {
            let _ = writeln!(
                page,
                "<p class=\"diagnosis\">Diagnosis ({n} of {} replicates): {}.</p>",
                codes.len(),
                esc(sentence)
            );
        }
    }
}

/// A table of every metric column of `table` over `rows`: metric, mean, interval, n.
pub(super) fn metric_table(page: &mut String, table: &Table, rows: &[&Vec<String>]) {
    page.push_str(
        "<div class=\"wrap\"><table class=\"summary\">\n<thead><tr><th>metric</th>\
         <th class=\"num\">mean</th><th class=\"num\">95% interval</th>\
         <th class=\"num\">n</th></tr></thead>\n<tbody>\n",
    );
    let columns = table.metric_columns();
    let values: Vec<Vec<f64>> = columns
        .iter()
        .map(|&c| table.values(c, rows.iter().copied()))
        .collect();
    for ((&c, values), interval) in columns
        .iter()
        .zip(&values)
        .zip(Interval::of_columns(&values))
    {
        let _ = write!(page, "<tr><td><code>{}</code></td>", esc(&table.header[c]));
        match interval {
            Some(i) => {
                let d = interval_decimals(&i);
                let _ = write!(
                    page,
                    "<td class=\"num\" title=\"{}\">{}</td><td class=\"num\">{}</td>",
                    i.mean,
                    fmt(i.mean, d),
                    bounds(&i, d)
                );
            }
            None => page
                .push_str("<td class=\"num\">—</td><td class=\"num undefined\">not defined</td>"),
        }
        let _ = writeln!(page, "<td class=\"num\">{}</td></tr>", values.len());
    }
    page.push_str("</tbody></table></div>\n");
}

/// The folder of `murmur calibrate` (it has calibration.csv): each fitted parameter's
/// posterior mean, median and 95% interval against its prior, before the calibrated
/// scenario's own figures.
pub(super) fn calibration(
    page: &mut String,
    dir: &std::path::Path,
) -> Result<(), super::ReportError> {
    let Some(t) = Table::read_optional(&dir.join(crate::results::CALIBRATION))? else {
        return Ok(());
    };
    let c = t.require(&crate::results::CALIBRATION_COLUMNS)?;
    page.push_str(
        "<h3>Calibration</h3>\n<p class=\"glance\">The parameters fitted to the observed \
         data by ABC-SMC (docs/MODEL.md §4.17); the rest of this page is the run of \
         <code>calibrated.toml</code>, its fitted keys at their posterior means. <code>posterior.csv</code> \
         holds the accepted particles, <code>fit.png</code> the fit.</p>\n\
         <div class=\"wrap\"><table class=\"summary\">\n<thead><tr><th>parameter</th>\
         <th class=\"num\">mean</th><th class=\"num\">median</th>\
         <th class=\"num\">95% interval</th><th class=\"num\">prior</th></tr></thead>\n<tbody>\n",
    );
    for r in &t.rows {
        // Four significant digits.
        let num = |k: usize| {
            cell(&r[c[k]]).map_or("—".to_string(), |x| {
                let d = 3 - x.abs().max(1e-300).log10().floor() as i32;
                fmt(x, d.clamp(0, 12) as usize)
            })
        };
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
             <td class=\"num\">[{}, {}]</td><td class=\"num\">[{}, {}]</td></tr>",
            esc(&r[c[0]]),
            num(1),
            num(2),
            num(3),
            num(4),
            num(5),
            num(6)
        );
    }
    page.push_str("</tbody></table></div>\n");
    Ok(())
}

/// Plans shown by [`best_plans`].
const PLANS_SHOWN: usize = 5;

/// The folder of `murmur optimise` (it has candidates.csv): the best feasible plans,
/// best first, with the objective's interval, spend, break-even and payback days, before
/// the best plan's own figures.
pub(super) fn best_plans(
    page: &mut String,
    dir: &std::path::Path,
) -> Result<(), super::ReportError> {
    let Some(t) = Table::read_optional(&dir.join(crate::results::CANDIDATES))? else {
        return Ok(());
    };
    let names = [
        "budget",
        "social_media_share",
        "timing",
        "spend",
        "feasible",
        "objective",
        "objective_mean",
        "objective_low",
        "objective_high",
        "break_even_day",
        "payback_day",
        "status",
    ];
    let c = t.require(&names)?;
    let mut run: Vec<&Vec<String>> = t
        .rows
        .iter()
        .filter(|r| r[c[4]] == "true" && r[c[11]] == "run")
        .filter(|r| cell(&r[c[6]]).is_some())
        .collect();
    run.sort_by(|a, b| {
        cell(&b[c[6]])
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&cell(&a[c[6]]).unwrap_or(f64::NEG_INFINITY))
    });
    let Some(first) = run.first() else {
        return Ok(());
    };
    let _ = writeln!(
        page,
        "<h3>The best plans</h3>\n<p class=\"glance\">The best plan (<code>best.toml</code>, \
         whose run is the rest of this page) maximises <code>{}</code> among the plans \
         searched, all run on common random numbers against one run with marketing off. \
         <code>candidates.csv</code> lists every plan; <code>curves.csv</code> the response \
         curves.</p>",
        esc(&first[c[5]])
    );
    page.push_str(
        "<div class=\"wrap\"><table class=\"summary\">\n<thead><tr><th>plan</th>\
         <th class=\"num\">budget per day</th><th class=\"num\">social-media share</th>\
         <th>timing</th><th class=\"num\">objective</th><th class=\"num\">95% interval</th>\
         <th class=\"num\">spend</th><th class=\"num\">break-even day</th>\
         <th class=\"num\">payback day</th></tr></thead>\n<tbody>\n",
    );
    for (i, r) in run.iter().take(PLANS_SHOWN).enumerate() {
        let num = |k: usize, d: usize| cell(&r[c[k]]).map_or("—".to_string(), |x| fmt(x, d));
        let day = |k: usize| {
            if r[c[k]].is_empty() {
                "never".to_string()
            } else {
                esc(&r[c[k]])
            }
        };
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">[{}, {}]</td><td class=\"num\">{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            i + 1,
            num(0, 1),
            num(1, 4),
            esc(&r[c[2]]),
            num(6, 0),
            num(7, 0),
            num(8, 0),
            num(3, 0),
            day(9),
            day(10)
        );
    }
    page.push_str("</tbody></table></div>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(codes: &[&str]) -> Table {
        Table {
            path: "summary.csv".into(),
            header: vec!["replicate".into(), "diagnosis".into()],
            rows: codes
                .iter()
                .enumerate()
                .map(|(r, c)| vec![r.to_string(), c.to_string()])
                .collect(),
        }
    }

    #[test]
    fn the_diagnosis_is_said_in_words_with_its_replicates() {
        let t = table(&["-1", "-1", "1"]);
        let rows: Vec<&Vec<String>> = t.rows.iter().collect();
        let mut page = String::new();
        diagnosis(&mut page, &t, &rows);
        assert!(page.contains("Diagnosis (1 of 3 replicates): audience growth is the bottleneck"));
        assert!(page.contains("Diagnosis (2 of 3 replicates): conversion is the bottleneck"));
        let none = Table {
            header: vec!["replicate".into()],
            rows: vec![vec!["0".into()]],
            ..table(&[])
        };
        let mut page = String::new();
        diagnosis(&mut page, &none, &[]);
        assert!(page.is_empty());
    }
}
