//! The files of `murmur optimise` (docs/OUTPUTS.md): `candidates.csv`, `curves.csv`,
//! `plan_timeline.csv` and `best.toml`, and the table printed at the end.

use super::{Candidate, Evaluation, Optimisation, Status};
use crate::metrics::{Interval, number};
use crate::results::{
    BEST, CANDIDATES, CANDIDATES_COLUMNS, CURVES, CURVES_COLUMNS, OutputError, PLAN_TIMELINE,
    PLAN_TIMELINE_COLUMNS, write_table,
};
use std::path::Path;

/// An interval's bounds as two cells, empty without them.
fn bounds(i: &Interval) -> [String; 2] {
    i.bounds.map_or([String::new(), String::new()], |(l, h)| {
        [number(l), number(h)]
    })
}

/// An optional day or index as a cell.
fn cell<T: ToString>(x: Option<T>) -> String {
    x.map_or(String::new(), |x| x.to_string())
}

/// Writes the optimisation's files into `dir`.
pub fn write_files(dir: &Path, o: &Optimisation) -> Result<(), OutputError> {
    write_candidates(&dir.join(CANDIDATES), o)?;
    write_curves(&dir.join(CURVES), o)?;
    write_timeline(&dir.join(PLAN_TIMELINE), o)?;
    if let Some(text) = best_toml(o) {
        let path = dir.join(BEST);
        std::fs::write(&path, text).map_err(|e| OutputError::from_io(&path, e))?;
    }
    Ok(())
}

/// One row of `candidates.csv`.
fn candidate_row(o: &Optimisation, c: usize, cand: &Candidate) -> Vec<String> {
    let p = &cand.plan;
    let e = o.evaluation_of(c);
    let (status, same_as, reason) = match &cand.status {
        Status::Run(_) => ("run", None, String::new()),
        Status::Duplicate { of, .. } => ("duplicate", Some(*of), String::new()),
        Status::OutOfBounds => (
            "out_of_bounds",
            None,
            "a channel's spend per tick is outside [optimise.bounds]".into(),
        ),
        Status::Invalid(m) => ("invalid", None, m.replace('\n', " ")),
    };
    let figure = |f: fn(&Evaluation) -> f64| e.map_or(String::new(), |e| number(f(e)));
    let [low, high] = e.map_or([String::new(), String::new()], |e| bounds(&e.objective));
    vec![
        c.to_string(),
        number(p.budget),
        number(p.social_media_share),
        p.timing.name().into(),
        number(p.social_media_spend()),
        number(p.community_spend()),
        figure(|e| e.spend.mean),
        e.is_some_and(|e| e.feasible).to_string(),
        o.spec.objective.name().into(),
        figure(|e| e.objective.mean),
        low,
        high,
        figure(|e| e.incremental_customers.mean),
        figure(|e| e.incremental_profit.mean),
        cand.marginal_roi.map_or(String::new(), number),
        cell(e.and_then(|e| e.break_even_day)),
        cell(e.and_then(|e| e.payback_day)),
        cand.stage.name().into(),
        status.into(),
        cell(same_as),
        reason,
    ]
}

/// `candidates.csv`: every proposed plan, in the order proposed.
fn write_candidates(path: &Path, o: &Optimisation) -> Result<(), OutputError> {
    let rows = o
        .candidates
        .iter()
        .enumerate()
        .map(|(c, cand)| candidate_row(o, c, cand));
    write_table(path, &CANDIDATES_COLUMNS, rows)
}

/// `curves.csv`: the response curves, channel by channel.
fn write_curves(path: &Path, o: &Optimisation) -> Result<(), OutputError> {
    let rows = o.curves.iter().map(|p| {
        let [cl, ch] = bounds(&p.incremental_customers);
        let [pl, ph] = bounds(&p.incremental_profit);
        vec![
            p.channel.to_string(),
            number(p.level),
            number(p.spend_per_day),
            number(p.incremental_customers.mean),
            cl,
            ch,
            number(p.incremental_profit.mean),
            pl,
            ph,
            p.marginal_roi.map_or(String::new(), number),
            u8::from(p.current).to_string(),
            number(p.spent_per_day),
        ]
    });
    write_table(path, &CURVES_COLUMNS, rows)
}

/// The plans `plan_timeline.csv` follows: `best`, `runner_up`, then for every other
/// timing searched the best feasible plan with that timing (`best_burst`, ...), so the
/// carry-over after a burst or between pulses shows beside the winner.
fn timeline_plans(o: &Optimisation) -> Vec<(String, usize)> {
    let mut plans: Vec<(String, usize)> = [("best", o.best), ("runner_up", o.runner_up)]
        .into_iter()
        .filter_map(|(name, c)| Some((name.to_string(), c?)))
        .collect();
    for &timing in &o.spec.timing {
        if plans
            .iter()
            .any(|(_, c)| o.candidates[*c].plan.timing == timing)
        {
            continue;
        }
        let best = o
            .candidates
            .iter()
            .enumerate()
            .filter(|(_, cand)| cand.plan.timing == timing)
            .filter_map(|(c, cand)| match cand.status {
                Status::Run(e) if o.evaluations[e].feasible => Some((c, e)),
                _ => None,
            })
            .max_by(|a, b| {
                let (x, y) = (&o.evaluations[a.1], &o.evaluations[b.1]);
                // Highest mean; among equals, the first proposed.
                x.objective
                    .mean
                    .total_cmp(&y.objective.mean)
                    .then(b.0.cmp(&a.0))
            });
        if let Some((c, _)) = best {
            plans.push((format!("best_{}", timing.name()), c));
        }
    }
    plans
}

/// `plan_timeline.csv`: per tick, the mean incremental customers with 95% intervals
/// and mean spend of the plans [`timeline_plans`] picks.
fn write_timeline(path: &Path, o: &Optimisation) -> Result<(), OutputError> {
    let mut rows = Vec::new();
    for (name, c) in timeline_plans(o) {
        let Some(e) = o.evaluation_of(c) else {
            continue;
        };
        for (t, spend) in e.spend_by_tick.iter().enumerate() {
            let values: Vec<f64> = e
                .incremental_customers_by_tick
                .iter()
                .map(|r| r[t])
                .collect();
            let i = super::interval(&values);
            let [low, high] = bounds(&i);
            rows.push(vec![
                name.clone(),
                c.to_string(),
                t.to_string(),
                number(i.mean),
                low,
                high,
                number(*spend),
            ]);
        }
    }
    write_table(path, &PLAN_TIMELINE_COLUMNS, rows)
}

/// A plan in words: `budget 150/day, 25% social media, burst`.
fn describe(o: &Optimisation, c: usize) -> String {
    let p = &o.candidates[c].plan;
    format!(
        "candidate {c}: budget {}/day, {}% social media, {}",
        number(p.budget),
        number(p.social_media_share * 100.0),
        p.timing.name()
    )
}

/// An interval as `mean [low, high]`.
fn show(i: &Interval) -> String {
    match i.bounds {
        Some((l, h)) => format!("{:.0} [{:.0}, {:.0}]", i.mean, l, h),
        None => format!("{:.0}", i.mean),
    }
}

/// `best.toml`: the best plan's scenario text, after comments giving the objective
/// with its interval and the runner-up's; `None` without a feasible plan.
pub fn best_toml(o: &Optimisation) -> Option<String> {
    let best = o.best?;
    let e = o.evaluation_of(best)?;
    let objective = o.spec.objective.name();
    let mut head = format!(
        "# murmur optimise: the best plan ({}).\n# {objective}: {} (mean [95% interval] over {} \
         replicates); spend {}; break-even day {}.\n",
        describe(o, best),
        show(&e.objective),
        e.objective.n,
        show(&e.spend),
        cell(e.break_even_day),
    );
    if let Some(r) = o.runner_up
        && let Some(re) = o.evaluation_of(r)
    {
        head.push_str(&format!(
            "# runner-up ({}): {objective} {}.\n",
            describe(o, r),
            show(&re.objective)
        ));
    }
    Some(format!("{head}\n{}", e.text))
}

/// The best and runner-up plans, and the scenario as given, as a text table, for the
/// end of the command.
pub fn table(o: &Optimisation) -> String {
    let mut out = format!(
        "{:<10} {:>9} {:>6} {:<10} {:>30} {:>26} {:>10}\n",
        "plan",
        "budget",
        "share",
        "timing",
        o.spec.objective.name(),
        "spend",
        "break-even"
    );
    let row = |name: &str, budget: String, share: String, timing: &str, e: &Evaluation| {
        format!(
            "{:<10} {:>9} {:>6} {:<10} {:>30} {:>26} {:>10}\n",
            name,
            budget,
            share,
            timing,
            show(&e.objective),
            show(&e.spend),
            e.break_even_day
                .map_or("never".into(), |d| format!("day {d}"))
        )
    };
    for (name, c) in [("best", o.best), ("runner-up", o.runner_up)] {
        let Some(c) = c else { continue };
        let Some(e) = o.evaluation_of(c) else {
            continue;
        };
        let p = &o.candidates[c].plan;
        let (b, s) = (number(p.budget), number(p.social_media_share));
        out.push_str(&row(name, b, s, p.timing.name(), e));
    }
    if let Some(e) = o.current.map(|e| &o.evaluations[e]) {
        out.push_str(&row("as given", String::new(), String::new(), "", e));
    }
    if o.best.is_none() {
        out.push_str("no feasible plan: every plan run spends more than optimise.max_spend\n");
    }
    out
}
