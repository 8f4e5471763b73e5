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
    if let Some(diff) = Table::read_optional(&dir.join(crate::results::DIFFERENCES))? {
        let crossovers = Table::read_optional(&dir.join(crate::results::CROSSOVERS))?;
        at_a_glance(page, manifest, &diff, crossovers.as_ref())?;
        plans_table(page, dir, summary, scenario_col, &names)?;
        for stem in GLANCE_PLOTS {
            super::plots::figure(page, dir, stem)?;
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

/// The comparison at a glance, for a strategist, before the tables: which scenario
/// earns the most cumulative profit, and for each scenario against the baseline its
/// paired differences in profit, customers at the end and customers early (the
/// `customers_day_<N>` metric), with the day the lead in profit last changed hands.
/// "How sure" here is the paired 95% interval: Monte Carlo error on one network and one
/// set of assumptions, not robustness to the assumptions.
fn at_a_glance(
    page: &mut String,
    manifest: &Manifest,
    diff: &Table,
    crossovers: Option<&Table>,
) -> Result<(), ReportError> {
    let cols = diff.require(&crate::results::DIFFERENCES_COLUMNS)?;
    let baseline = manifest.baseline.as_deref().unwrap_or("baseline");
    let value = |row: &Vec<String>, k: usize| cell(&row[cols[k]]);
    let find = |name: &str, metric: &str| {
        diff.rows
            .iter()
            .find(|r| r[cols[0]] == name && r[cols[1]] == metric)
    };
    let names = distinct(diff.rows.iter().map(|r| r[cols[0]].as_str()));
    // Mean cumulative profit of the baseline and of every scenario.
    let mut profits: Vec<(String, f64)> = Vec::new();
    for name in &names {
        if let Some(row) = find(name, "cumulative_profit") {
            if profits.is_empty()
                && let Some(b) = value(row, 2)
            {
                profits.push((baseline.to_string(), b));
            }
            if let Some(m) = value(row, 3) {
                profits.push((name.clone(), m));
            }
        }
    }
    page.push_str("<h3>At a glance</h3>\n");
    // The robustness check leads: who wins across the uncertain assumptions.
    let robust = manifest.robustness.as_deref().unwrap_or_default();
    for sentence in robust {
        // Who wins and how often in bold; what it depends on after.
        let (lead, rest) = sentence.split_once("; ").unwrap_or((sentence, ""));
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!("; {rest}")
        };
        let _ = writeln!(
            page,
            "<p class=\"glance\"><strong>{}</strong>{}</p>",
            esc(lead),
            esc(&rest)
        );
    }
    if let Some((winner, best)) = profits.iter().cloned().max_by(|a, b| a.1.total_cmp(&b.1)) {
        let how_sure = if robust.is_empty() {
            "How sure: the paired 95% intervals below (Monte Carlo error on one network and \
             one set of assumptions; `compare --uncertain` checks the assumptions)."
        } else {
            "The paired 95% intervals below are Monte Carlo error at the scenarios' own \
             values; the sentence above counts wins over the uncertain draws."
        };
        let _ = writeln!(
            page,
            "<p class=\"glance\">At the scenarios' own values, <strong>{}</strong> earns the \
             most cumulative profit by the last day, {} on average. {how_sure}</p>",
            esc(&winner),
            fmt(best, 0)
        );
    }
    page.push_str("<ul class=\"glance\">\n");
    for name in &names {
        let mut parts = Vec::new();
        for (metric, words) in [
            ("cumulative_profit", "cumulative profit"),
            ("final_customers", "customers at the end"),
        ]
        .into_iter()
        .chain(
            diff.rows
                .iter()
                .filter(|r| &r[cols[0]] == name && r[cols[1]].starts_with("customers_day_"))
                .map(|r| (r[cols[1]].as_str(), "customers early"))
                .take(1),
        ) {
            let Some(row) = find(name, metric) else {
                continue;
            };
            let (d, lo, hi) = (value(row, 4), value(row, 5), value(row, 6));
            let Some(d) = d else { continue };
            // Customers are counts: whole numbers read best.
            let digits = if metric.contains("customers") {
                0
            } else {
                decimals(&[d, lo.unwrap_or(d), hi.unwrap_or(d)])
            };
            let day = metric
                .strip_prefix("customers_day_")
                .map(|n| format!(" (day {n})"))
                .unwrap_or_default();
            let interval = match (lo, hi) {
                (Some(l), Some(h)) => format!(" [{}, {}]", fmt(l, digits), fmt(h, digits)),
                _ => String::new(),
            };
            parts.push(format!(
                "{words}{day} {}{}{}",
                if d > 0.0 { "+" } else { "" },
                fmt(d, digits),
                interval
            ));
        }
        if let Some(x) = crossovers.and_then(|t| {
            let sc = t.index("scenario")?;
            let last = t.index("last_day")?;
            t.rows
                .iter()
                .find(|r| &r[sc] == name)
                .map(|r| r[last].clone())
        }) {
            parts.push(if x.is_empty() {
                "the lead in cumulative profit never changes hands".to_string()
            } else {
                format!("the lead in cumulative profit last changes hands on day {x}")
            });
        }
        let _ = writeln!(
            page,
            "<li><strong>{}</strong> − {}: {}</li>",
            esc(name),
            esc(baseline),
            esc(&parts.join("; "))
        );
    }
    page.push_str("</ul>\n");
    Ok(())
}

/// The plots the summary shows at a glance (and the plots section then leaves out).
pub(super) const GLANCE_PLOTS: [&str; 2] = ["attribution", "robustness"];

/// The plans side by side at a glance: each scenario's incremental customers and
/// profit against no marketing and its spend, with 95% intervals over replicates, and
/// P(beats the baseline on cumulative profit) when a robustness check ran.
fn plans_table(
    page: &mut String,
    dir: &Path,
    summary: &Table,
    scenario_col: usize,
    names: &[String],
) -> Result<(), ReportError> {
    let metrics = [
        ("incremental_customers", "incremental customers"),
        ("incremental_profit", "incremental profit"),
        ("spend", "spend"),
    ];
    let cols: Vec<(usize, &str)> = metrics
        .iter()
        .filter_map(|(m, words)| summary.index(m).map(|c| (c, *words)))
        .collect();
    if cols.is_empty() {
        return Ok(());
    }
    let robustness = Table::read_optional(&dir.join(crate::results::ROBUSTNESS))?;
    let p_of = |name: &str| -> Option<String> {
        let t = robustness.as_ref()?;
        let (m, s, p) = (
            t.index("metric")?,
            t.index("scenario")?,
            t.index("p_beats_baseline")?,
        );
        t.rows
            .iter()
            .find(|r| r[m] == "cumulative_profit" && r[s] == name)
            .map(|r| r[p].clone())
    };
    page.push_str("<div class=\"wrap\"><table class=\"summary\">\n<thead><tr><th>plan</th>");
    for (_, words) in &cols {
        let _ = write!(page, "<th class=\"num\">{}</th>", esc(words));
    }
    if robustness.is_some() {
        page.push_str("<th class=\"num\">P(beats baseline on profit)</th>");
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for name in names {
        let rows: Vec<&Vec<String>> = summary
            .rows
            .iter()
            .filter(|r| &r[scenario_col] == name)
            .collect();
        let _ = write!(page, "<tr><td>{}</td>", esc(name));
        for (c, _) in &cols {
            let values = summary.values(*c, rows.iter().copied());
            match Interval::of(&values) {
                Some(i) => {
                    let _ = write!(
                        page,
                        "<td class=\"num\">{} <span class=\"ci\">{}</span></td>",
                        fmt(i.mean, 0),
                        bounds(&i, 0)
                    );
                }
                None => page.push_str("<td class=\"num\">—</td>"),
            }
        }
        if robustness.is_some() {
            let p = p_of(name)
                .and_then(|p| cell(&p))
                .map_or("baseline".to_string(), |p| format!("{:.0}%", p * 100.0));
            let _ = write!(page, "<td class=\"num\">{}</td>", esc(&p));
        }
        page.push_str("</tr>\n");
    }
    page.push_str(
        "</tbody></table></div>\n<p class=\"note\">Incremental: against the same market \
         with marketing off, replicate by replicate on common random numbers. Spend: total \
         over the horizon.</p>\n",
    );
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
