//! The `[optimise]` table (docs/MODEL.md §4.13): which objective `murmur optimise`
//! maximises, over which budget levels, splits and timings, under which spend
//! constraint and per-channel bounds. The search itself is `crate::optimise`'s; `run`
//! and `compare` ignore the table.

use super::Violation;
use super::keys;
use serde::{Deserialize, Serialize};

/// What `murmur optimise` maximises, per replicate, then averaged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Cumulative profit at the horizon minus the no-marketing baseline's.
    #[default]
    IncrementalProfit,
    /// Customers at the horizon (`final_customers`).
    Customers,
    /// Customer equity at the horizon (`customer_equity`).
    CustomerEquity,
    /// Customers at the horizon minus the no-marketing baseline's.
    IncrementalCustomers,
}

impl Objective {
    /// The name a scenario file and `candidates.csv` use.
    pub fn name(self) -> &'static str {
        match self {
            Objective::IncrementalProfit => "incremental_profit",
            Objective::Customers => "customers",
            Objective::CustomerEquity => "customer_equity",
            Objective::IncrementalCustomers => "incremental_customers",
        }
    }
}

/// When the paid and community actions run (docs/MODEL.md §4.13).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    /// Every action all the time (no phases).
    AlwaysOn,
    /// Paid social and posts on days 1..=burst_days only; everything else always.
    Burst,
    /// Paid social on for `pulse_on` days, off for `pulse_off`, repeating; the rest always.
    Pulse,
    /// Weber's order: social media on days 1..=burst_days, the community's actions
    /// from burst_days + 1 on.
    Phased,
}

impl Timing {
    /// Every timing, in the order of the default list.
    pub const ALL: [Timing; 4] = [
        Timing::AlwaysOn,
        Timing::Burst,
        Timing::Pulse,
        Timing::Phased,
    ];

    /// The name a scenario file and `candidates.csv` use.
    pub fn name(self) -> &'static str {
        match self {
            Timing::AlwaysOn => "always_on",
            Timing::Burst => "burst",
            Timing::Pulse => "pulse",
            Timing::Phased => "phased",
        }
    }
}

/// The `[optimise]` table as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOptimise {
    pub objective: Option<Objective>,
    pub budget: Option<Vec<f64>>,
    pub social_media_share: Option<Vec<f64>>,
    pub timing: Option<Vec<Timing>>,
    pub burst_days: Option<u32>,
    pub pulse_on: Option<u32>,
    pub pulse_off: Option<u32>,
    pub max_spend: Option<f64>,
    pub refine: Option<u32>,
    pub bounds: Option<RawBounds>,
}

/// `[optimise.bounds]` as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBounds {
    pub social_media: Option<Vec<f64>>,
    pub community: Option<Vec<f64>>,
}

/// Lower and upper spend per tick of one channel.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Bounds {
    /// Least spend per tick.
    pub low: f64,
    /// Most spend per tick.
    pub high: f64,
}

impl Bounds {
    /// No bound: [0, ∞).
    pub const NONE: Bounds = Bounds {
        low: 0.0,
        high: f64::INFINITY,
    };

    /// Whether `spend` (per tick) is inside, ends included.
    pub fn holds(&self, spend: f64) -> bool {
        spend >= self.low && spend <= self.high
    }
}

/// A validated `[optimise]` table, every default filled in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptimiseSpec {
    /// What is maximised.
    pub objective: Objective,
    /// Budget levels per tick screened, ascending.
    pub budget: Vec<f64>,
    /// Social-media shares screened, ascending.
    pub social_media_share: Vec<f64>,
    /// Timings screened.
    pub timing: Vec<Timing>,
    /// Days of a burst (and the social-media phase of `phased`).
    pub burst_days: u32,
    /// Days paid social is on in each pulse.
    pub pulse_on: u32,
    /// Days paid social is off between pulses.
    pub pulse_off: u32,
    /// The most mean total spend over the horizon a plan may have to be chosen.
    pub max_spend: f64,
    /// Rounds of local refinement.
    pub refine: u32,
    /// Bounds on budget × share per tick.
    pub social_media: Bounds,
    /// Bounds on budget × (1 − share) per tick.
    pub community: Bounds,
}

/// The most refinement rounds: the 10th already steps by 1/1024 of a grid gap.
pub const MAX_REFINE: u32 = 10;

/// What the resolution needs to know of the scenario.
pub(super) struct Context {
    /// Simulated ticks.
    pub ticks: u32,
    /// The scenario's budget per tick.
    pub budget: f64,
    /// The scenario's social-media share.
    pub share: f64,
    /// Whether both `[strategy.social_media]` and `[strategy.community]` are given.
    pub both: bool,
    /// Whether the scenario has `[[phase]]`s.
    pub phases: bool,
}

/// A problem with an optimise key, allowing what its catalogue entry allows.
fn violation(key: &str, problem: impl Into<String>) -> Violation {
    let allowed = keys::find(key).map_or_else(String::new, keys::Key::allowed);
    Violation::new(key, problem, allowed)
}

/// Sorted, deduplicated levels, each finite and in [lo, hi]; an empty list is refused.
fn levels(key: &str, values: Vec<f64>, lo: f64, hi: f64) -> Result<Vec<f64>, Violation> {
    if values.is_empty() {
        return Err(violation(key, "the list is empty"));
    }
    if let Some(v) = values
        .iter()
        .find(|v| !(v.is_finite() && (lo..=hi).contains(*v)))
    {
        return Err(violation(key, format!("{v} is out of range")));
    }
    let mut values = values;
    values.sort_by(f64::total_cmp);
    values.dedup();
    Ok(values)
}

/// `[low, high]` bounds of `key`, low ≤ high, both ≥ 0.
fn bounds(key: &str, given: Option<Vec<f64>>) -> Result<Bounds, Violation> {
    let Some(v) = given else {
        return Ok(Bounds::NONE);
    };
    match v[..] {
        [low, high] if low.is_finite() && high.is_finite() && 0.0 <= low && low <= high => {
            Ok(Bounds { low, high })
        }
        [low, high] if low > high => Err(violation(
            key,
            format!("the lower bound {low} is above the upper bound {high}"),
        )),
        _ => Err(violation(key, "bounds need [lower, upper]")),
    }
}

impl OptimiseSpec {
    /// Validates the raw table against the scenario it belongs to.
    pub(super) fn resolve(raw: RawOptimise, c: &Context) -> Result<OptimiseSpec, Violation> {
        let budget = match raw.budget {
            Some(b) => levels("optimise.budget", b, 0.0, keys::MAX_MONEY)?,
            None if c.budget > 0.0 => [0.5, 1.0, 1.5, 2.0].map(|f| f * c.budget).to_vec(),
            None => {
                return Err(violation(
                    "optimise.budget",
                    "the scenario's budget is 0, so there is no default list of levels",
                ));
            }
        };
        let social_media_share = match raw.social_media_share {
            Some(s) => levels("optimise.social_media_share", s, 0.0, 1.0)?,
            None if c.both => vec![0.0, 0.25, 0.5, 0.75, 1.0],
            None => vec![c.share],
        };
        let timing = match raw.timing {
            Some(t) if t.is_empty() => {
                return Err(violation("optimise.timing", "the list is empty"));
            }
            Some(t) => {
                let mut seen = Vec::new();
                for x in t {
                    if !seen.contains(&x) {
                        seen.push(x);
                    }
                }
                seen
            }
            None if c.phases => vec![Timing::AlwaysOn],
            None => Timing::ALL.to_vec(),
        };
        if c.phases
            && let Some(t) = timing.iter().find(|t| **t != Timing::AlwaysOn)
        {
            return Err(Violation::new(
                "optimise.timing",
                format!(
                    "timing \"{}\" needs a scenario without [[phase]]s (the scenario's own \
                     phases are its timing)",
                    t.name()
                ),
                "[\"always_on\"] for a scenario with phases, or remove its [[phase]]s",
            ));
        }
        let burst_days = raw.burst_days.unwrap_or((c.ticks / 6).clamp(1, 120));
        if burst_days == 0 || burst_days > c.ticks {
            return Err(Violation::new(
                "optimise.burst_days",
                format!("{burst_days} days is not inside the horizon"),
                format!("a whole number from 1 to {} (the ticks)", c.ticks),
            ));
        }
        let pulse_on = raw.pulse_on.unwrap_or(14);
        let pulse_off = raw.pulse_off.unwrap_or(14);
        for (key, v) in [
            ("optimise.pulse_on", pulse_on),
            ("optimise.pulse_off", pulse_off),
        ] {
            if v == 0 {
                return Err(violation(key, "a pulse needs at least one day"));
            }
        }
        let max_spend = raw.max_spend.unwrap_or(c.budget * f64::from(c.ticks));
        if !(max_spend.is_finite() && max_spend >= 0.0) {
            return Err(violation(
                "optimise.max_spend",
                format!("{max_spend} is not a spend"),
            ));
        }
        let raw_bounds = raw.bounds.unwrap_or(RawBounds {
            social_media: None,
            community: None,
        });
        let refine = raw.refine.unwrap_or(2);
        if refine > MAX_REFINE {
            return Err(violation(
                "optimise.refine",
                format!("{refine} rounds is more than {MAX_REFINE}"),
            ));
        }
        Ok(OptimiseSpec {
            objective: raw.objective.unwrap_or_default(),
            budget,
            social_media_share,
            timing,
            burst_days,
            pulse_on,
            pulse_off,
            max_spend,
            refine,
            social_media: bounds("optimise.bounds.social_media", raw_bounds.social_media)?,
            community: bounds("optimise.bounds.community", raw_bounds.community)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context {
        Context {
            ticks: 600,
            budget: 100.0,
            share: 0.5,
            both: true,
            phases: false,
        }
    }

    fn raw() -> RawOptimise {
        RawOptimise {
            objective: None,
            budget: None,
            social_media_share: None,
            timing: None,
            burst_days: None,
            pulse_on: None,
            pulse_off: None,
            max_spend: None,
            refine: None,
            bounds: None,
        }
    }

    #[test]
    fn defaults_follow_the_scenario() {
        let s = OptimiseSpec::resolve(raw(), &context()).unwrap();
        assert_eq!(s.budget, [50.0, 100.0, 150.0, 200.0]);
        assert_eq!(s.social_media_share, [0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(s.timing, Timing::ALL);
        assert_eq!(
            (s.burst_days, s.pulse_on, s.pulse_off, s.refine),
            (100, 14, 14, 2)
        );
        assert_eq!(s.max_spend, 60_000.0);
        assert_eq!(s.objective, Objective::IncrementalProfit);
    }

    #[test]
    fn bad_lists_and_bounds_name_their_key() {
        let mut r = raw();
        r.budget = Some(vec![]);
        let v = OptimiseSpec::resolve(r, &context()).unwrap_err();
        assert_eq!(v.key, "optimise.budget");
        let mut r = raw();
        r.bounds = Some(RawBounds {
            social_media: None,
            community: Some(vec![50.0, 10.0]),
        });
        let v = OptimiseSpec::resolve(r, &context()).unwrap_err();
        assert_eq!(v.key, "optimise.bounds.community");
        let mut r = raw();
        r.timing = Some(vec![Timing::Burst]);
        let c = Context {
            phases: true,
            ..context()
        };
        let v = OptimiseSpec::resolve(r, &c).unwrap_err();
        assert_eq!(v.key, "optimise.timing");
    }
}
