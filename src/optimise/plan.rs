//! The pure pieces of the search (docs/MODEL.md §4.13): the screening grid, the
//! refinement steps, the phases a timing stands for, a candidate's scenario text, and
//! the break-even and payback days of a mean series.

use crate::scenario::marketing::Action;
use crate::scenario::optimise::{OptimiseSpec, Timing};
use crate::scenario::set::set_path;

/// One plan: a budget level, a split and a timing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    /// Budget per tick (`strategy.budget`).
    pub budget: f64,
    /// Social-media share of the budget (`strategy.social_media_share`).
    pub social_media_share: f64,
    /// When paid social, posts and the community's actions run.
    pub timing: Timing,
}

impl Plan {
    /// Paid social's money per tick: budget × share.
    pub fn social_media_spend(&self) -> f64 {
        self.budget * self.social_media_share
    }

    /// The community's money per tick: budget × (1 − share).
    pub fn community_spend(&self) -> f64 {
        self.budget * (1.0 - self.social_media_share)
    }
}

/// The screening grid: every timing × share × budget, in that nesting (budget varies
/// fastest), in the orders of the spec.
pub fn grid(spec: &OptimiseSpec) -> Vec<Plan> {
    let mut plans = Vec::new();
    for &timing in &spec.timing {
        for &social_media_share in &spec.social_media_share {
            for &budget in &spec.budget {
                plans.push(Plan {
                    budget,
                    social_media_share,
                    timing,
                });
            }
        }
    }
    plans
}

/// The gaps from `value` to its neighbours in the sorted `levels` (below, above);
/// `None` on a side without a neighbour.
pub fn gaps(value: f64, levels: &[f64]) -> (Option<f64>, Option<f64>) {
    let below = levels
        .iter()
        .filter(|&&l| l < value)
        .map(|&l| value - l)
        .reduce(f64::min);
    let above = levels
        .iter()
        .filter(|&&l| l > value)
        .map(|&l| l - value)
        .reduce(f64::min);
    (below, above)
}

/// The values refinement round `round` (1, 2, …) evaluates around `best`: one step
/// below and one above, each the gap to the screen's grid neighbour on that side
/// halved `round` times, so round 1 evaluates the midpoints to the neighbours and each
/// later round half the step of the one before. A side without a neighbour is skipped.
pub fn refine_points(best: f64, gaps: (Option<f64>, Option<f64>), round: u32) -> Vec<f64> {
    let scale = 0.5f64.powi(round as i32);
    let mut out = Vec::new();
    if let Some(g) = gaps.0 {
        out.push(best - g * scale);
    }
    if let Some(g) = gaps.1 {
        out.push(best + g * scale);
    }
    out
}

/// The actions of the community, which `phased` starts after the burst.
const COMMUNITY_ACTIONS: [Action; 7] = [
    Action::Recruit,
    Action::Engage,
    Action::Events,
    Action::Cocreation,
    Action::Advocates,
    Action::Surveys,
    Action::Reviews,
];

/// One `[[phase]]` as a candidate writes it.
#[derive(Clone, Debug, PartialEq)]
pub struct PhaseText {
    /// Its label.
    pub name: &'static str,
    /// First day.
    pub start: u32,
    /// Last day; open-ended when `None`.
    pub end: Option<u32>,
    /// The actions it runs.
    pub actions: Vec<Action>,
}

/// The phases of `timing` for a plan with or without social media and a community
/// (docs/MODEL.md §4.13). An `always` phase from day 1 holds listening and every action
/// the timing does not schedule; a timing whose phases would all run from day 1 to the
/// end is always-on and has none, so equal plans are run once.
pub fn phases(
    timing: Timing,
    spec: &OptimiseSpec,
    ticks: u32,
    social: bool,
    community: bool,
) -> Vec<PhaseText> {
    let community_actions: Vec<Action> = if community {
        COMMUNITY_ACTIONS.to_vec()
    } else {
        Vec::new()
    };
    let burst = |name| PhaseText {
        name,
        start: 1,
        end: Some(spec.burst_days),
        actions: vec![Action::Paid, Action::Posts],
    };
    let mut always = vec![Action::Listen];
    let mut scheduled = Vec::new();
    match timing {
        Timing::AlwaysOn => return Vec::new(),
        Timing::Burst => {
            always.extend(&community_actions);
            if social {
                scheduled.push(burst("social media"));
            }
        }
        Timing::Pulse => {
            always.extend(&community_actions);
            if social {
                always.push(Action::Posts);
                let period = spec.pulse_on + spec.pulse_off;
                let mut start = 1;
                while start <= ticks {
                    scheduled.push(PhaseText {
                        name: "paid",
                        start,
                        end: Some((start + spec.pulse_on - 1).min(ticks)),
                        actions: vec![Action::Paid],
                    });
                    start += period;
                }
            }
        }
        Timing::Phased => {
            if social {
                scheduled.push(burst("social media"));
            }
            if community && spec.burst_days < ticks {
                scheduled.push(PhaseText {
                    name: "community",
                    start: spec.burst_days + 1,
                    end: None,
                    actions: community_actions,
                });
            }
        }
    }
    let mut out = vec![PhaseText {
        name: "always",
        start: 1,
        end: None,
        actions: always,
    }];
    out.extend(scheduled);
    if out.iter().all(|p| p.start <= 1 && p.end.is_none()) {
        return Vec::new();
    }
    out
}

/// The name a scenario file gives an action.
fn action_name(a: Action) -> String {
    serde_json::to_value(a)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The table at a dotted path, if there is one.
pub fn get_table<'a>(table: &'a mut toml::Table, path: &str) -> Option<&'a mut toml::Table> {
    let mut current = table;
    for part in path.split('.') {
        current = current.get_mut(part)?.as_table_mut()?;
    }
    Some(current)
}

/// The scenario table of `plan`: `base` (the scenario without `[optimise]`) with the
/// budget and share set, the channel a share of 0 or 1 leaves without money removed,
/// a channel a share gives money to added with its defaults when missing, and the
/// timing's phases (always-on keeps the scenario's own).
pub fn plan_table(base: &toml::Table, plan: &Plan, spec: &OptimiseSpec, ticks: u32) -> toml::Table {
    let mut t = base.clone();
    set_path(&mut t, "strategy.budget", toml::Value::Float(plan.budget));
    set_path(
        &mut t,
        "strategy.social_media_share",
        toml::Value::Float(plan.social_media_share),
    );
    let strategy = get_table(&mut t, "strategy").expect("just set");
    for (name, money) in [
        ("social_media", plan.social_media_share),
        ("community", 1.0 - plan.social_media_share),
    ] {
        if money <= 0.0 {
            strategy.remove(name);
        } else if !strategy.contains_key(name) {
            strategy.insert(name.into(), toml::Value::Table(toml::Table::new()));
        }
    }
    let social = strategy.contains_key("social_media");
    let community = strategy.contains_key("community");
    let phases = phases(plan.timing, spec, ticks, social, community);
    if !phases.is_empty() {
        let list = phases
            .iter()
            .map(|p| {
                let mut e = toml::Table::new();
                e.insert("name".into(), toml::Value::String(p.name.into()));
                e.insert("start".into(), toml::Value::Integer(p.start.into()));
                if let Some(end) = p.end {
                    e.insert("end".into(), toml::Value::Integer(end.into()));
                }
                let actions = p
                    .actions
                    .iter()
                    .map(|&a| toml::Value::String(action_name(a)));
                e.insert("actions".into(), toml::Value::Array(actions.collect()));
                toml::Value::Table(e)
            })
            .collect();
        t.insert("phase".into(), toml::Value::Array(list));
    }
    t
}

/// The first day d ≥ 1 from which `series[t] ≥ 0` for every t ≥ d up to the horizon;
/// `None` when the last value is negative (or the series holds only day 0).
pub fn first_day_staying_non_negative(series: &[f64]) -> Option<u32> {
    let mut day = None;
    for (t, v) in series.iter().enumerate().skip(1).rev() {
        if *v >= 0.0 {
            day = Some(t as u32);
        } else {
            break;
        }
    }
    day
}

/// The break-even day: the first day from which the mean incremental cumulative profit
/// (profit net of spend, against no marketing) is ≥ 0 and stays so.
pub fn break_even_day(incremental_profit: &[f64]) -> Option<u32> {
    first_day_staying_non_negative(incremental_profit)
}

/// The payback day: the first day from which the mean incremental cumulative profit is
/// at least the mean cumulative spend and stays so (the campaign has earned its spend
/// back on top of covering it: incremental ROI ≥ 1).
pub fn payback_day(incremental_profit: &[f64], cumulative_spend: &[f64]) -> Option<u32> {
    let surplus: Vec<f64> = incremental_profit
        .iter()
        .zip(cumulative_spend)
        .map(|(p, s)| p - s)
        .collect();
    first_day_staying_non_negative(&surplus)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::optimise::{Bounds, Objective};

    fn spec() -> OptimiseSpec {
        OptimiseSpec {
            objective: Objective::IncrementalProfit,
            budget: vec![50.0, 100.0, 200.0],
            social_media_share: vec![0.0, 0.5, 1.0],
            timing: vec![Timing::AlwaysOn, Timing::Burst],
            burst_days: 30,
            pulse_on: 10,
            pulse_off: 20,
            max_spend: 1e6,
            refine: 2,
            social_media: Bounds::NONE,
            community: Bounds::NONE,
        }
    }

    #[test]
    fn the_grid_nests_timing_share_then_budget() {
        let g = grid(&spec());
        assert_eq!(g.len(), 2 * 3 * 3);
        assert_eq!((g[0].budget, g[0].social_media_share), (50.0, 0.0));
        assert_eq!((g[1].budget, g[1].social_media_share), (100.0, 0.0));
        assert_eq!((g[3].budget, g[3].social_media_share), (50.0, 0.5));
        assert_eq!(g[9].timing, Timing::Burst);
    }

    #[test]
    fn refinement_halves_the_step_each_round() {
        let g = gaps(100.0, &[50.0, 100.0, 200.0]);
        assert_eq!(g, (Some(50.0), Some(100.0)));
        assert_eq!(refine_points(100.0, g, 1), [75.0, 150.0]);
        assert_eq!(refine_points(150.0, g, 2), [137.5, 175.0]);
        // The last level has no neighbour above.
        let edge = gaps(200.0, &[50.0, 100.0, 200.0]);
        assert_eq!(refine_points(200.0, edge, 1), [150.0]);
    }

    #[test]
    fn break_even_is_the_first_day_profit_stays_non_negative() {
        assert_eq!(break_even_day(&[0.0, -5.0, 1.0, -1.0, 0.0, 3.0]), Some(4));
        assert_eq!(break_even_day(&[0.0, 1.0, 2.0]), Some(1));
        assert_eq!(break_even_day(&[0.0, 1.0, -2.0]), None);
        assert_eq!(
            payback_day(&[0.0, 1.0, 5.0, 9.0], &[0.0, 2.0, 4.0, 6.0]),
            Some(2)
        );
    }

    #[test]
    fn a_share_of_one_drops_the_community_and_a_burst_writes_its_phases() {
        let base: toml::Table =
            toml::from_str("[strategy]\nbudget = 10.0\n[strategy.community]\n").unwrap();
        let plan = Plan {
            budget: 80.0,
            social_media_share: 1.0,
            timing: Timing::Burst,
        };
        let t = plan_table(&base, &plan, &spec(), 90);
        let strategy = t["strategy"].as_table().unwrap();
        assert_eq!(strategy["budget"].as_float(), Some(80.0));
        assert!(!strategy.contains_key("community"));
        assert!(strategy["social_media"].as_table().unwrap().is_empty());
        let phases = t["phase"].as_array().unwrap();
        assert_eq!(phases.len(), 2);
        assert_eq!(phases[1]["end"].as_integer(), Some(30));
        // Always-on adds no phases.
        let on = Plan {
            timing: Timing::AlwaysOn,
            social_media_share: 0.5,
            ..plan
        };
        assert!(!plan_table(&base, &on, &spec(), 90).contains_key("phase"));
    }

    #[test]
    fn pulses_alternate_paid_social_and_keep_the_rest_on() {
        let p = phases(Timing::Pulse, &spec(), 65, true, false);
        let paid: Vec<(u32, Option<u32>)> = p[1..].iter().map(|p| (p.start, p.end)).collect();
        assert_eq!(paid, [(1, Some(10)), (31, Some(40)), (61, Some(65))]);
        assert_eq!(p[0].actions, [Action::Listen, Action::Posts]);
        // Without social media a burst changes nothing: it is always-on.
        assert!(phases(Timing::Burst, &spec(), 65, false, true).is_empty());
    }
}
